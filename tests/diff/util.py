"""Compiling spec texts for the diff tests (libraries resolved from tests/diff/cases)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from generators.diff import rules
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.spec import Spec
from tests.diff.cases import CASES


@lru_cache(maxsize=256)
def compile_text(text: str, name: str = "case") -> Spec:
    """A spec from source text, as if it were the file cases/<name>.trial; errors fail the test."""
    result = compile_for_diff(str(CASES / f"{name}.trial"), text)
    errors = [f"{d.code} line {d.span.line}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, "\n".join(errors)
    assert result.spec is not None
    return result.spec


def reversed_view(changes) -> Counter:  # type: ignore[no-untyped-def]
    """What the diff read backwards must report: inverse rule and direction, old and new swapped;
    a renumbered criterion's changes are named by its id in the version compared with."""
    renamed = {c.keys[0]: c.keys[1] for c in changes if c.rule_id == "CRITERION_RENUMBERED"}
    # a renamed visit, item or endpoint, a declaration moved between modules: named by its
    # old name read backwards
    names = {c.new: c.old for c in changes if c.rule_id.endswith(("_RENAMED", "_RELOCATED"))}
    # a target names its kind: a renamed visit E0 leaves an endpoint E0 as it is
    kinded = {
        (_kind(c.target), c.new): c.old
        for c in changes
        if c.rule_id.endswith(("_RENAMED", "_RELOCATED"))
    }
    return Counter(
        (
            renamed[c.target] if renamed.get(c.target) in c.keys else _old_name(c.target, kinded),
            rules.RULES[c.rule_id].inverse,
            rules.INVERSE_DIRECTION[c.direction],
            c.new if c.rule_id in _NAMING else in_old_names(c.new, names),
            c.old if c.rule_id in _NAMING else in_old_names(c.old, names),
        )
        for c in changes
    )


#: the changes whose shown values are the names themselves
_NAMING = frozenset(
    rule_id for rule_id in rules.RULES if rule_id.endswith(("_RENAMED", "_RELOCATED"))
)


def in_old_names(value: str | None, names: dict[str, str]) -> str | None:
    """A shown value in the names of the version compared with.

    The diff compares a renamed visit, item or endpoint under its new name, so both sides of
    every other change name it as the version read towards does (a form removed "at V9",
    the visit the new version calls V9); read backwards, the same change names it as the
    other version does.  That is the one way a diff read backwards reads differently, and
    this is exactly how: every renamed name (an item's with its form first) in its old
    spelling."""
    if value is None:
        return None
    for new, old in sorted(names.items(), key=lambda pair: -len(pair[0])):
        value = re.sub(rf"(?<![\w.]){re.escape(new)}(?![\w])", old, value)
    return value


def _kind(target: str) -> str:
    return target.rpartition(" ")[0]


def _old_name(target: str, names: dict[tuple[str, str], str]) -> str:
    kind, _, name = target.rpartition(" ")
    old = names.get((kind, name))
    return f"{kind} {old}" if old is not None else target


def view(changes) -> Counter:  # type: ignore[no-untyped-def]
    return Counter((c.target, c.rule_id, c.direction, c.old, c.new) for c in changes)


def amend(text: str, pattern: str, replacement: str, count: int = 1) -> str:
    """Edit a real spec whatever its layout (a regular expression); the edit must apply."""
    changed = re.sub(pattern, replacement, text, count=count, flags=re.MULTILINE)
    assert changed != text, f"no match for {pattern!r}"
    return changed
