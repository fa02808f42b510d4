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
    for j, n in enumerate(news):
        claimed = {mk.text for mk in was_marks(n)}
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


def criterion_content(c: m.Criterion) -> tuple[Hashable, Hashable]:
    """A criterion's rule (or attestation) with its kind, and its text with its kind."""
    rule: Hashable = None
    if c.rule is not None or c.attested:
        rule = (c.kind, c.rule, c.attested, c.attestation)
    return rule, (c.kind, prose(c.text))


def labelled_content(node: object) -> tuple[Hashable, Hashable]:
    """A declaration known by its label (an endpoint, a visit): the label is its text; the
    rest of it (spans, marks, name and label aside) is its rule."""
    label = getattr(node, "label", None)
    rest = tuple(
        getattr(node, f.name)
        for f in attrs.fields(type(node))
        if f.name not in ("span", "marks", "name", "label")
    )
    return (type(node).__name__, rest), (prose(label) if label else None)
