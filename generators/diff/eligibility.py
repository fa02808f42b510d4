"""Criteria in the diff: added, removed, reworded, threshold or logic changed.

Two formal rules are compared as conditions (`conditions.compare`): a
threshold moved or a term added has a direction, which widens or narrows
eligibility according to whether the criterion is an inclusion or an
exclusion.  A judged or attested criterion is its text: a text change may
change who is eligible, in a direction no one can compute.

Criteria are declarations of the generic walker (`walk`), matched by id; a
pair is compared by hand (`criterion_pair`), because its kind, rule, way of
assessment and text interact: they make one change, whose rule and direction
depend on all of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from generators.diff import identity, proof
from generators.diff.conditions import ConditionChange
from generators.diff.conditions import compare as compare_conditions
from generators.diff.directions import (
    eligibility_direction,
    eligibility_note,
)
from generators.diff.phrases import (
    assessed_by,
    criterion_words,
    quoted,
    reworded,
)
from generators.diff.walk import Kind, declarations
from protocol_dsl import model as m
from protocol_dsl.checks import wording
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ, Shown


CRITERIA = Kind[m.Criterion](
    "{}",
    "CRITERION_ADDED",
    "CRITERION_REMOVED",
    lambda n: f"{n.kind} added: {quoted(n.text)} (eligibility narrowed)",
    lambda o: f"{o.kind} removed: {quoted(o.text)} (eligibility widened)",
    "CRITERION_LOGIC_CHANGED",
    pair=lambda d, pair: criterion_pair(d, pair.old, pair.new, pair.old_spec, pair.new_spec),
    show=criterion_words,
)


def criteria(d: Differ, old: Spec, new: Spec) -> None:
    """Criteria paired by id and by content (`identity`): a renumbered criterion is its own
    change, then compared with its old self like any other pair."""
    pairing = identity.pair(old.criteria, new.criteria, lambda c: c.id, identity.criterion_content)
    renumbered = [(o, n) for o, n in pairing.pairs if o.id != n.id]
    same_id = [(o, n) for o, n in pairing.pairs if o.id == n.id]
    old_criteria = {c.id: c for c in [*(o for o, _ in same_id), *pairing.removed]}
    new_criteria = {c.id: c for c in [*(n for _, n in same_id), *pairing.added]}
    declarations(d, CRITERIA, _ordered(old_criteria, old), _ordered(new_criteria, new), old, new)
    for o, n in renumbered:
        _renumbered(d, o, n, old, new)


def _ordered(by_id: dict[str, m.Criterion], spec: Spec) -> dict[str, m.Criterion]:
    return {c.id: c for c in spec.criteria if by_id.get(c.id) is c}


def _renumbered(d: Differ, o: m.Criterion, n: m.Criterion, old: Spec, new: Spec) -> None:
    """ "renumbered E10 → E11", never "E11 added": then what else changed, under the new id."""
    how = "stated by `was`" if identity.was_marks(n) else "the same criterion"
    d.emit(
        "CRITERION_RENUMBERED",
        "changed",
        n.id,
        f"renumbered {o.id} → {n.id} ({how}): {quoted(n.text)}",
        old=criterion_words(o, old),
        new=criterion_words(n, new),
        old_node=o,
        new_node=n,
        keys=(n.id, o.id),
    )
    before = len(d.changes)
    criterion_pair(d, o, n, old, new)
    for index in range(before, len(d.changes)):
        change = d.changes[index]
        if o.id not in change.keys:
            d.changes[index] = attrs.evolve(change, keys=(*change.keys, o.id))


def criterion_pair(d: Differ, o: m.Criterion, n: m.Criterion, old: Spec, new: Spec) -> None:
    """One change that says it all: kind, rule (as a condition, with its direction of
    eligibility), assessment and text interact, so they are compared together here."""
    cid = n.id
    fields: Shown = {
        "old": criterion_words(o, old),
        "new": criterion_words(n, new),
        "old_node": o,
        "new_node": n,
        "keys": (cid,),
    }
    text_note = "; text updated" if o.text != n.text else ""
    before = len(d.changes)
    _compare_parts(d, o, n, old, new, fields, text_note)
    disagreement = _text_rule_disagreement(o, n, old, new)
    if disagreement and len(d.changes) > before:
        last = d.changes[-1]
        d.changes[-1] = attrs.evolve(last, summary=f"{last.summary}; {disagreement}")
    d.annotations(cid, o, n, (cid,))


def _rule_change(change: ConditionChange) -> tuple[str, str]:
    """The rule id and the opening words of a changed rule: only thresholds, or its logic."""
    if change.thresholds_only:
        return "CRITERION_THRESHOLD_CHANGED", f"threshold changed: {change.describe()}"
    return "CRITERION_LOGIC_CHANGED", "rule changed"


def _numbers(text: str) -> list[str]:
    """The numbers a text states, in order ("18 to 70" → ["18", "70"])."""
    return re.findall(r"\d+(?:[.,]\d+)?", text)


def _proved(
    d: Differ, o: m.Criterion, n: m.Criterion, new: Spec, change: ConditionChange
) -> proof.Outcome | None:
    """The solver's answer where the tree comparison has no direction, and only when nothing
    the criterion reads changed (then both rules speak of the same data)."""
    if o.rule is None or eligibility_direction(change, n.kind) != "changed":
        return None
    if any(o.id in c.affects or n.id in c.affects for c in d.changes):
        return None
    return proof.compare(o.rule, n, new)


def _text_rule_disagreement(o: m.Criterion, n: m.Criterion, old: Spec, new: Spec) -> str:
    """A warning when the amendment leaves the text and the rule stating different
    thresholds (only one of the two edited): W0413 on the new version, not on the old."""
    if n.rule is None or n.attested:
        return ""
    now = wording.disagreement(new, n)
    if now is None:
        return ""
    if o.rule is not None and not o.attested and wording.disagreement(old, o) is not None:
        return ""  # the disagreement is not the amendment's
    if o.text != n.text and o.rule != n.rule:
        how = "text and rule both changed but disagree"
    else:
        how = "only the text changed" if o.text != n.text else "only the rule changed"
    return f"{how}: {now.message.split(': ', 1)[1]} (W0413)"


def _compare_parts(
    d: Differ,
    o: m.Criterion,
    n: m.Criterion,
    old: Spec,
    new: Spec,
    fields: Shown,
    text_note: str,
) -> None:
    cid = n.id
    if o.kind != n.kind:
        d.emit(
            "CRITERION_KIND_CHANGED",
            "changed",
            cid,
            f"turned from {o.kind} into {n.kind}{text_note}",
            **fields,
        )
    elif o.rule is not None and n.rule is not None:
        change = compare_conditions(o.rule, n.rule, old, new)
        proved = (
            _proved(d, o, n, new, change) if o.rule != n.rule and not change.equivalent else None
        )
        if proved == "equivalent" and _numbers(o.text) == _numbers(n.text):
            parts = [f"rule rewritten with the same meaning ({proof.PROVED_BY})"]
            if o.text != n.text:
                parts.append(f"text reworded: {reworded(o.text, n.text)}")
            d.emit("CRITERION_REWORDED", "reworded", cid, "; ".join(parts), **fields)
        elif proved is not None:
            wider = proved == "wider"
            direction = "widened" if wider == (n.kind == "inclusion") else "narrowed"
            rule_id, what = _rule_change(change)
            d.emit(
                rule_id,
                direction,
                cid,
                f"{what}{eligibility_note(direction)}, {proof.PROVED_BY}{text_note}",
                **fields,
            )
        elif (change.equivalent or proved == "equivalent") and _numbers(o.text) != _numbers(n.text):
            d.emit(
                "CRITERION_TEXT_NUMBERS_CHANGED",
                "changed",
                cid,
                f"the text states other numbers ({reworded(o.text, n.text)}) but the rule "
                "means the same",
                **fields,
            )
        elif change.equivalent and (o.rule != n.rule or o.text != n.text):
            parts = []
            if o.rule != n.rule:
                how = f" ({change.describe()})" if change.describe() else ""
                parts.append(f"rule rewritten with the same meaning{how}")
            if o.text != n.text:
                parts.append(f"text reworded: {reworded(o.text, n.text)}")
            d.emit("CRITERION_REWORDED", "reworded", cid, "; ".join(parts), **fields)
        elif o.rule != n.rule:
            direction = eligibility_direction(change, n.kind)
            rule_id, what = _rule_change(change)
            d.emit(
                rule_id,
                direction,
                cid,
                f"{what}{eligibility_note(direction)}{text_note}",
                **fields,
            )
    elif (o.rule is None) != (n.rule is None) or (o.attested, o.attestation) != (
        n.attested,
        n.attestation,
    ):
        if o.text != n.text:
            d.emit(
                "JUDGED_CRITERION_CHANGED",
                "reworded",
                cid,
                f"text changed ({reworded(o.text, n.text)}), now {assessed_by(n)}",
                **fields,
            )
        else:
            d.emit(
                "CRITERION_ASSESSMENT_CHANGED",
                "changed",
                cid,
                f"{assessed_by(o)} → {assessed_by(n)}{text_note}",
                **fields,
            )
    elif o.text != n.text:
        d.emit(
            "JUDGED_CRITERION_CHANGED",
            "reworded",
            cid,
            f"text changed ({assessed_by(n)}): {reworded(o.text, n.text)}",
            **fields,
        )
