"""One classified change between two protocol versions.

A `Change` says what changed (rule id, ICH M11 section, target, a summary in
words, the old and new value or rule in words), which way (direction), where
(spans in the old and the new source), what it affects (criteria and
endpoints that depend on it), and how it is classified (USDM impact category,
substantial or not under EU CTR and FDA, with the reasoning).  It is built
with `make`, which looks the classification up in the rule catalogue so that
a change can never disagree with `docs/diff.md`.
"""

from __future__ import annotations

from typing import Any

import attrs

from generators.diff import rules
from protocol_dsl.model import Span


@attrs.frozen
class Override:
    """A reviewer's verdict that replaced the computed one, kept with the computed one."""

    #: "eu" or "fda"
    regulation: str
    computed: bool
    overridden: bool
    computed_reason: str
    reason: str
    #: the amendment (number) whose `change` entry records it, and the name it gave
    amendment: str
    entry: str

    @property
    def words(self) -> str:
        """`EU: substantial → not substantial (reviewer: reason)`."""
        return (
            f"{self.regulation.upper()}: {_substantial_word(self.computed)} → "
            f"{_substantial_word(self.overridden)} (reviewer: {self.reason})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "regulation": self.regulation,
            "computed": self.computed,
            "overridden": self.overridden,
            "computed_reason": self.computed_reason,
            "reason": self.reason,
            "amendment": self.amendment,
            "change_entry": self.entry,
        }


def _substantial_word(value: bool) -> str:
    return "substantial" if value else "not substantial"


@attrs.frozen
class Change:
    rule_id: str
    section: str
    target: str
    summary: str
    old: str | None
    new: str | None
    category: rules.Category
    substantial_eu: bool
    substantial_fda: bool
    reason_eu: str
    reason_fda: str
    direction: str
    old_span: Span | None = None
    new_span: Span | None = None
    #: names an amendment's `change NAME "…"` entry may use for this change
    keys: tuple[str, ...] = ()
    #: criteria and endpoints whose meaning depends on what changed
    affects: tuple[str, ...] = ()
    #: the reviewer's verdicts that replaced the computed ones (the verdicts above are theirs)
    overrides: tuple[Override, ...] = ()

    @property
    def substantial(self) -> bool:
        return self.substantial_eu or self.substantial_fda

    @property
    def regulations(self) -> tuple[str, ...]:
        """The regulations under which the change is substantial."""
        found = []
        if self.substantial_eu:
            found.append(rules.EU_REGULATION)
        if self.substantial_fda:
            found.append(rules.FDA_REGULATION)
        return tuple(found)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "section": self.section,
            "target": self.target,
            "summary": self.summary,
            "old": self.old,
            "new": self.new,
            "direction": self.direction,
            "category": self.category,
            "substantial": self.substantial,
            "substantial_eu": self.substantial_eu,
            "substantial_fda": self.substantial_fda,
            "reason_eu": self.reason_eu,
            "reason_fda": self.reason_fda,
            "affects": list(self.affects),
            "old_span": _span_json(self.old_span),
            "new_span": _span_json(self.new_span),
            "overrides": [o.to_json() for o in self.overrides],
        }


def make(
    rule_id: str,
    direction: str,
    phase: rules.Phase,
    *,
    target: str,
    summary: str,
    old: str | None = None,
    new: str | None = None,
    old_span: Span | None = None,
    new_span: Span | None = None,
    keys: tuple[str, ...] = (),
    affects: tuple[str, ...] = (),
    section: str | None = None,
) -> Change:
    """A change classified by the catalogue (`KeyError` for an unknown rule or direction)."""
    verdict = rules.classify(rule_id, direction, phase)
    return Change(
        rule_id=rule_id,
        section=section or rules.RULES[rule_id].section,
        target=target,
        summary=summary,
        old=old,
        new=new,
        category=verdict.category,
        substantial_eu=verdict.substantial_eu,
        substantial_fda=verdict.substantial_fda,
        reason_eu=verdict.reason_eu,
        reason_fda=verdict.reason_fda,
        direction=direction,
        old_span=old_span,
        new_span=new_span,
        keys=keys,
        affects=affects,
    )


def _span_json(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }
