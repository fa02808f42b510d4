"""Objectives and endpoints in the diff, by level (primary, secondary, exploratory).

An endpoint's time frame is ranked by its computable end (`until … after`);
the time frame of a safety endpoint (adverse events, toxicity) is the safety
follow-up, shortened or lengthened.

Objectives and an endpoint's own fields are rule tables of the generic
walker (`walk`).  Endpoints are matched by name across objectives, by hand:
an endpoint moved to an objective of another level is a change of the
endpoint, and the higher of the two levels classifies its changes.
Estimands are matched the same way, and their five attributes compared by
the `ESTIMAND` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generators.diff.directions import (
    higher_level,
    quantity_direction,
)
from generators.diff.matching import match
from generators.diff.phrases import (
    endpoint_words,
    quoted,
    reworded,
    rule_words,
    timeframe_words,
)
from generators.diff.schedule import is_safety
from generators.diff.walk import Kind, Pair, Row, Table, declarations, old_to_new, rows
from protocol_dsl import model as m
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer

if TYPE_CHECKING:
    from generators.diff.recorder import Differ


def _objective_rule(pair: Pair[m.Objective]) -> str:
    """Of an objective that moved between levels, the higher level classifies the change."""
    return f"{higher_level(pair.old.level, pair.new.level).upper()}_OBJECTIVE_CHANGED"


def _level(pair: Pair[m.Endpoint] | Pair[m.Estimand]) -> str:
    """Of an endpoint whose objectives differ in level, the higher one classifies it."""
    return higher_level(pair.old_owner.level, pair.new_owner.level).upper()


def _endpoint_rule(pair: Pair[m.Endpoint]) -> str:
    return f"{_level(pair)}_ENDPOINT_CHANGED"


def _reworded(pair: Pair[Any], direction: str, names: Sequence[str]) -> str:
    return f"reworded: {reworded(pair.old.text, pair.new.text)}"


def _text(node: m.Objective | m.Endpoint, spec: Spec) -> str:
    return node.text


OBJECTIVE = Table(
    m.Objective,
    (
        Row(
            ("level",),
            _objective_rule,
            summary=lambda pair, direction, names: (
                f"moved from {pair.old.level} to {pair.new.level}"
            ),
            show=lambda objective, spec: objective.level,
        ),
        Row(("text",), _objective_rule, "reworded", _reworded, _text),
    ),
    by_hand=("endpoints", "estimands"),
)


OBJECTIVES = Kind[m.Objective](
    "objective {}",
    lambda objective: f"{objective.level.upper()}_OBJECTIVE_ADDED",
    lambda objective: f"{objective.level.upper()}_OBJECTIVE_REMOVED",
    lambda n: f"{n.level} objective added: {quoted(n.text)}",
    lambda o: f"{o.level} objective removed: {quoted(o.text)}",
    None,
    OBJECTIVE,
    show=_text,
)


def _by_visit(endpoint: m.Endpoint) -> tuple[str, ...]:
    return (f"by visit {', '.join(endpoint.visits)}",) if endpoint.visits else ()


def _timeframe_rule(pair: Pair[m.Endpoint]) -> str:
    """The time frame of a safety endpoint is the safety follow-up."""
    if is_safety(pair.new.name, pair.new.text):
        return "SAFETY_FOLLOW_UP_CHANGED"
    return f"{_level(pair)}_ENDPOINT_TIMEFRAME_CHANGED"


def _timeframe_direction(pair: Pair[m.Endpoint]) -> str:
    """Ranked by the computable end of the time frame, when both count from one anchor."""
    o, n = pair.old, pair.new
    if o.until is None or n.until is None or o.until_anchor != n.until_anchor:
        return "changed"
    return quantity_direction(o.until, n.until, up="lengthened", down="shortened")


def _timeframe(endpoint: m.Endpoint, spec: Spec) -> str:
    return timeframe_words(endpoint)


ENDPOINT = Table(
    m.Endpoint,
    (
        Row(("text",), _endpoint_rule, "reworded", _reworded, _text),
        Row(
            ("rule",),
            _endpoint_rule,
            summary=lambda pair, direction, names: "derivation changed",
            show=lambda endpoint, spec: rule_words(endpoint.rule, spec) if endpoint.rule else None,
        ),
        Row(
            ("kind", "per", "event", "visits"),
            _endpoint_rule,
            summary=lambda pair, direction, names: "what it computes changed",
            show=lambda endpoint, spec: (
                " ".join((*printer.endpoint_kind(endpoint), *_by_visit(endpoint))) or None
            ),
        ),
        Row(
            ("timeframe", "until", "until_anchor"),
            _timeframe_rule,
            _timeframe_direction,
            old_to_new(_timeframe, "time frame", "ranked"),
            _timeframe,
        ),
    ),
)


def objectives(d: Differ, old: Spec, new: Spec) -> None:
    old_obj = {ob.name: ob for ob in old.objectives}
    new_obj = {ob.name: ob for ob in new.objectives}
    declarations(d, OBJECTIVES, old_obj, new_obj, old, new)
    old_ep = {e.name: (ob, e) for ob in old.objectives for e in ob.endpoints}
    new_ep = {e.name: (ob, e) for ob in new.objectives for e in ob.endpoints}
    for name, op, np in match(old_ep, new_ep):
        endpoint(d, name, op, np, old, new)
    old_est = {e.name: (ob, e) for ob, e in old.estimands}
    new_est = {e.name: (ob, e) for ob, e in new.estimands}
    for name, oe, ne in match(old_est, new_est):
        estimand(d, name, oe, ne, old, new)


def _estimand_rule(pair: Pair[m.Estimand]) -> str:
    return f"{_level(pair)}_ESTIMAND_CHANGED"


def _arms_words(estimand: m.Estimand, spec: Spec) -> str:
    sides = [
        ", ".join(r.dotted for r in side) for side in (estimand.treatment, estimand.comparator)
    ]
    return " versus ".join(side for side in sides if side) or "(none)"


def _ref_words(ref: m.Ref | None) -> str:
    return ref.dotted if ref is not None else "(none)"


def intercurrent_words(estimand: m.Estimand, spec: Spec | None = None) -> str:
    """The intercurrent events and their strategies in one line."""
    if estimand.no_intercurrent and not estimand.intercurrent:
        return "none identified"
    events = []
    for event in estimand.intercurrent:
        words = f"{quoted(event.text)}: {event.strategy.replace('_', ' ')}"
        if event.detail:
            words += f" ({event.detail})"
        if event.occurs is not None:
            words += f" when {printer.expr(event.occurs)}"
        events.append(words)
    return "; ".join(events) or "(none)"


def _estimand_text(estimand: m.Estimand, spec: Spec) -> str:
    return estimand.label or estimand.name


ESTIMAND = Table(
    m.Estimand,
    (
        Row(
            ("label",),
            _estimand_rule,
            "reworded",
            lambda p, d, n: reworded(p.old.label, p.new.label),
        ),
        Row(
            ("treatment", "comparator"),
            _estimand_rule,
            summary=old_to_new(_arms_words, "treatment"),
            show=_arms_words,
        ),
        Row(
            ("population",),
            _estimand_rule,
            summary=lambda p, d, n: (
                f"population {_ref_words(p.old.population)} → {_ref_words(p.new.population)}"
            ),
        ),
        Row(
            ("variable",),
            _estimand_rule,
            summary=lambda p, d, n: (
                f"variable {_ref_words(p.old.variable)} → {_ref_words(p.new.variable)}"
            ),
        ),
        Row(
            ("intercurrent", "no_intercurrent"),
            _estimand_rule,
            summary=old_to_new(intercurrent_words, "intercurrent events"),
            show=intercurrent_words,
        ),
        Row(
            ("summary",),
            _estimand_rule,
            "reworded",
            lambda p, d, n: f"summary measure reworded: {reworded(p.old.summary, p.new.summary)}",
        ),
    ),
)


def estimand(
    d: Differ,
    name: str,
    op: tuple[m.Objective, m.Estimand] | None,
    np: tuple[m.Objective, m.Estimand] | None,
    old: Spec,
    new: Spec,
) -> None:
    """An estimand is matched by name across objectives, as an endpoint is."""
    target = f"estimand {name}"
    if op is None or np is None:
        objective, present = np or op  # type: ignore[misc]
        which = "ADDED" if op is None else "REMOVED"
        d.emit(
            f"{objective.level.upper()}_ESTIMAND_{which}",
            which.lower(),
            target,
            f"estimand of a {objective.level} objective {which.lower()}: "
            f"{quoted(present.label or present.name)}",
            old=_estimand_text(op[1], old) if op else None,
            new=_estimand_text(np[1], new) if np else None,
            old_node=op[1] if op else None,
            new_node=np[1] if np else None,
            keys=(name,),
        )
        return
    (oo, o), (no, n) = op, np
    pair = Pair(o, n, old, new, target, name, (name, no.name), oo, no)
    with d.guard(_estimand_rule(pair), target, o, n):
        if oo.name != no.name:
            d.emit(
                _estimand_rule(pair),
                "changed",
                target,
                f"moved from objective {oo.name} to {no.name}",
                old=oo.name,
                new=no.name,
                old_node=o,
                new_node=n,
                keys=pair.keys,
            )
        rows(d, ESTIMAND, pair)
        d.annotations(target, o, n, (name,))


def endpoint(
    d: Differ,
    name: str,
    op: tuple[m.Objective, m.Endpoint] | None,
    np: tuple[m.Objective, m.Endpoint] | None,
    old: Spec,
    new: Spec,
) -> None:
    """An endpoint is matched by name across objectives: moved to an objective of another
    level is a change of the endpoint, compared here; its own fields are `ENDPOINT`'s."""
    target = f"endpoint {name}"
    if op is None or np is None:
        objective, endpoint = np or op  # type: ignore[misc]
        which = "ADDED" if op is None else "REMOVED"
        d.emit(
            f"{objective.level.upper()}_ENDPOINT_{which}",
            which.lower(),
            target,
            f"{objective.level} endpoint {which.lower()}: {quoted(endpoint.text)}",
            old=endpoint_words(op[1]) if op else None,
            new=endpoint_words(np[1]) if np else None,
            old_node=op[1] if op else None,
            new_node=np[1] if np else None,
            keys=(name,),
        )
        return
    (oo, o), (no, n) = op, np
    pair = Pair(o, n, old, new, target, name, (name, no.name), oo, no)
    with d.guard(_endpoint_rule(pair), target, o, n):
        if oo.level != no.level:
            d.emit(
                _endpoint_rule(pair),
                "changed",
                target,
                f"moved from a {oo.level} to a {no.level} objective",
                old=oo.level,
                new=no.level,
                old_node=o,
                new_node=n,
                keys=pair.keys,
            )
        rows(d, ENDPOINT, pair)
        d.annotations(target, o, n, (name,))
