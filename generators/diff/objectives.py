"""Objectives and endpoints in the diff, by level (primary, secondary, exploratory).

An endpoint's time frame is ranked by its computable end (`until … after`);
the time frame of a safety endpoint (adverse events, toxicity) is the safety
follow-up, shortened or lengthened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.diff.directions import (
    compare_quantities,
    higher_level,
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
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ


def objectives(d: Differ, old: Spec, new: Spec) -> None:
    old_obj = {ob.name: ob for ob in old.objectives}
    new_obj = {ob.name: ob for ob in new.objectives}
    for name, o, n in match(old_obj, new_obj):
        target = f"objective {name}"
        if o is None or n is None:
            present = n or o
            assert present is not None
            which = "ADDED" if o is None else "REMOVED"
            d.emit(
                f"{present.level.upper()}_OBJECTIVE_{which}",
                "added" if o is None else "removed",
                target,
                f"{present.level} objective {which.lower()}: {quoted(present.text)}",
                old=o.text if o else None,
                new=n.text if n else None,
                old_node=o,
                new_node=n,
                keys=(name,),
            )
            continue
        level = higher_level(o.level, n.level)
        fields = {"old_node": o, "new_node": n, "keys": (name,)}
        if o.level != n.level:
            d.emit(
                f"{level.upper()}_OBJECTIVE_CHANGED",
                "changed",
                target,
                f"moved from {o.level} to {n.level}",
                old=o.level,
                new=n.level,
                **fields,
            )
        if o.text != n.text:
            d.emit(
                f"{level.upper()}_OBJECTIVE_CHANGED",
                "reworded",
                target,
                f"reworded: {reworded(o.text, n.text)}",
                old=o.text,
                new=n.text,
                **fields,
            )
        d.annotations(target, o, n, (name,))
    old_ep = {e.name: (ob, e) for ob in old.objectives for e in ob.endpoints}
    new_ep = {e.name: (ob, e) for ob in new.objectives for e in ob.endpoints}
    for name, op, np in match(old_ep, new_ep):
        endpoint(d, name, op, np, old, new)


def endpoint(
    d: Differ,
    name: str,
    op: tuple[m.Objective, m.Endpoint] | None,
    np: tuple[m.Objective, m.Endpoint] | None,
    old: Spec,
    new: Spec,
) -> None:
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
    level = higher_level(oo.level, no.level).upper()
    fields = {"old_node": o, "new_node": n, "keys": (name, no.name)}
    with d.guard(f"{level}_ENDPOINT_CHANGED", target, o, n):
        if oo.level != no.level:
            d.emit(
                f"{level}_ENDPOINT_CHANGED",
                "changed",
                target,
                f"moved from a {oo.level} to a {no.level} objective",
                old=oo.level,
                new=no.level,
                **fields,
            )
        if o.text != n.text:
            d.emit(
                f"{level}_ENDPOINT_CHANGED",
                "reworded",
                target,
                f"reworded: {reworded(o.text, n.text)}",
                old=o.text,
                new=n.text,
                **fields,
            )
        if o.rule != n.rule:
            d.emit(
                f"{level}_ENDPOINT_CHANGED",
                "changed",
                target,
                "derivation changed",
                old=rule_words(o.rule, old) if o.rule else None,
                new=rule_words(n.rule, new) if n.rule else None,
                **fields,
            )
        if (o.timeframe, o.until, o.until_anchor) != (n.timeframe, n.until, n.until_anchor):
            direction = "changed"
            if o.until is not None and n.until is not None and o.until_anchor == n.until_anchor:
                order = compare_quantities(o.until, n.until)
                direction = {1: "shortened", -1: "lengthened"}.get(order, "changed")  # type: ignore[arg-type]
            safety = is_safety(name, n.text)
            rule_id = (
                "SAFETY_FOLLOW_UP_CHANGED" if safety else f"{level}_ENDPOINT_TIMEFRAME_CHANGED"
            )
            d.emit(
                rule_id,
                direction,
                target,
                f"time frame {timeframe_words(o)} → {timeframe_words(n)}"
                + (f" ({direction})" if direction != "changed" else ""),
                old=timeframe_words(o),
                new=timeframe_words(n),
                **fields,
            )
        d.annotations(target, o, n, (name,))
