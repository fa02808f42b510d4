"""Which declaration of the new version is which of the old: by what it says, not only its id.

Real amendments renumber: a criterion inserted as E9 pushes the old E9 and
E10 to E10 and E11.  Matched by id alone, that reads as three criteria
changed beyond recognition and one added, all substantial; read by content it
is one criterion added and two renumbered, which is what the sponsor did.

`pair(olds, news, ...)` pairs two lists of declarations by score:

- a `was E10` mark on the new declaration pairs it with the old E10, whatever
  either says;
- otherwise the same content (the same rule, the same text once its
  typesetting is taken out: see `editorial`) pairs two declarations of the
  same kind whatever their ids; the same rule or the same text alone pairs
  them when nothing closer claims either;
- the same id pairs what is left, as it always did.

What is paired under two different ids is a renumbering, reported on its
own (not substantial); whatever else changed in the pair is then compared
as usual.  What is left unpaired was added or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import attrs

from generators.diff.editorial import prose
from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

N = TypeVar("N")

#: how strongly two declarations are the same one
_WAS = 100
_SAME_ID = 1
_SAME_RULE = 2
_SAME_TEXT = 2
_SAME_BOTH = 4  # added to the two above: same content under another id beats same id


@attrs.frozen
class Pairing(Generic[N]):
    """The pairs (old, new) by the name each version gives, and what each side has alone."""

    pairs: tuple[tuple[N, N], ...]
    removed: tuple[N, ...]
    added: tuple[N, ...]


def was_marks(node: object) -> tuple[m.Mark, ...]:
    """The `was NAME` marks of a declaration: the names it had in the previous version."""
    return tuple(mk for mk in getattr(node, "marks", ()) if mk.kind == "was")


def pair(
    olds: Sequence[N],
    news: Sequence[N],
    name: Callable[[N], str],
    content: Callable[[N], tuple[Hashable, Hashable]],
) -> Pairing[N]:
    """Pair `olds` with `news` (see the module docstring).  `content(node)` is what the node
    says: (its rule, its text), either None when the kind has none."""
    candidates: list[tuple[int, int, int]] = []
    claims = previous_names(olds, news, name)
    old_names = {name(o) for o in olds}
    for j, n in enumerate(news):
        # a `was` naming nothing of the old version pairs nothing (E0127 says so): the
        # declaration is then paired as if unmarked, the same way in both directions
        claimed = claims[j] & old_names
        n_rule, n_text = content(n)
        for i, o in enumerate(olds):
            if claimed:
                score = _WAS if name(o) in claimed else 0
            else:
                o_rule, o_text = content(o)
                same_rule = n_rule is not None and o_rule == n_rule
                same_text = n_text is not None and o_text == n_text
                score = (
                    _SAME_RULE * same_rule
                    + _SAME_TEXT * same_text
                    + _SAME_BOTH * (same_rule and same_text)
                    + _SAME_ID * (name(o) == name(n))
                )
            if score:
                candidates.append((score, j, i))
    # the strongest claims first; among equals the new version's order, then the old's
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    found: dict[int, int] = {}
    for _score, j, i in candidates:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        found[j] = i
    return Pairing(
        pairs=tuple((olds[found[j]], n) for j, n in enumerate(news) if j in found),
        removed=tuple(o for i, o in enumerate(olds) if i not in taken_old),
        added=tuple(n for j, n in enumerate(news) if j not in taken_new),
    )


def previous_names(
    olds: Sequence[N], news: Sequence[N], name: Callable[[N], str]
) -> list[set[str]]:
    """The old names each new declaration claims with `was`, leaving out the marks the old
    version already had on the declaration of the same name: those were about an earlier
    amendment (as its `amendment` block is), not this one."""
    old_marks = {name(o): {mk.text for mk in was_marks(o)} for o in olds}
    return [{mk.text for mk in was_marks(n)} - old_marks.get(name(n), set()) for n in news]


def unknown_previous_names(old: Spec, new: Spec) -> list[Diagnostic]:
    """E0127: a `was` naming no criterion of the version compared with (a slip, or a mark
    written against another version): the pairing it asks for cannot be made."""
    old_ids = {c.id for c in old.criteria}
    found = []
    for n, claimed in zip(
        new.criteria, previous_names(old.criteria, new.criteria, _id), strict=False
    ):
        for mark in was_marks(n):
            if mark.text in claimed and mark.text not in old_ids:
                known = ", ".join(sorted(old_ids)) or "none"
                found.append(
                    Diagnostic(
                        "E0127",
                        "error",
                        f"{n.id} says it was {mark.text}, but the version it is compared with "
                        f"has no criterion {mark.text}",
                        mark.span,
                        notes=(f"the criteria of that version: {known}",),
                        help=f"name the criterion {n.id} had in that version, or remove "
                        f"`was {mark.text}`",
                    )
                )
    return found


def _id(c: m.Criterion) -> str:
    return c.id


def criterion_content(c: m.Criterion) -> tuple[Hashable, Hashable]:
    """A criterion's rule (or attestation) with its kind, and its text with its kind."""
    rule: Hashable = None
    if c.rule is not None or c.attested:
        rule = (c.kind, c.rule, c.attested, c.attestation)
    return rule, (c.kind, prose(c.text))
