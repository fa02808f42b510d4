"""The schedule in the diff: visits, anchors, epochs, the end of follow-up, and assessments.

Assessments are the forms the trial collects (its own and the library forms
it `collect`s) and its activities, compared by the visits they happen at.
Those whose name or label speaks of safety (`SAFETY_WORDS`) are safety
assessments: adding or dropping them, or the visits they are done at, is
classified as safety monitoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generators.diff.depends import key
from generators.diff.matching import match
from generators.diff.phrases import (
    anchor_words,
    attribute_changes,
    day_words,
    names_words,
    quoted,
    visit_words,
    window_words,
)
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ


#: Words in a form's, activity's or endpoint's name or label that make it a safety assessment.
SAFETY_WORDS: tuple[str, ...] = (
    "adverse",
    "safety",
    "toxicit",
    "dlt",
    "dose-limiting",
    "dose_limiting",
    "vital",
    "ecg",
    "electrocardiogra",
    "laborator",
    "labs",
    "physical exam",
    "physical_exam",
    "cytokine release",
    "crs",
    "neurotox",
    "hospitalis",
    "hospitaliz",
    "pregnan",
    "teae",
    "tolerab",
)


def follow_up(d: Differ) -> None:
    old_end = _schedule_end(d.old)
    new_end = _schedule_end(d.new)
    if old_end is None or new_end is None or old_end[0] == new_end[0]:
        return
    direction = "lengthened" if new_end[0] > old_end[0] else "shortened"
    d.emit(
        "FOLLOW_UP_CHANGED",
        direction,
        "end of the schedule",
        f"last planned visit day {old_end[0]} ({old_end[1].name}) → day {new_end[0]} "
        f"({new_end[1].name}): follow-up {direction}",
        old=f"day {old_end[0]}",
        new=f"day {new_end[0]}",
        old_node=old_end[1],
        new_node=new_end[1],
        keys=(new_end[1].name, old_end[1].name),
    )


def visits(d: Differ, old: Spec, new: Spec) -> None:
    for name, o, n in match(old.visits, new.visits):
        target = f"visit {name}"
        if o is None:
            d.emit(
                "VISIT_ADDED",
                "added",
                target,
                f"added ({visit_words(n)})",
                new=visit_words(n),
                new_node=n,
                keys=(name,),
            )
            continue
        if n is None:
            d.emit(
                "VISIT_REMOVED",
                "removed",
                target,
                f"removed (was {visit_words(o)})",
                old=visit_words(o),
                old_node=o,
                keys=(name,),
            )
            continue
        with d.guard("VISIT_CHANGED", target, o, n):
            visit_pair(d, o, n, target)


def visit_pair(d: Differ, o: m.Visit, n: m.Visit, target: str) -> None:
    fields = {"old_node": o, "new_node": n, "keys": (n.name,)}
    if (o.day, o.day_end) != (n.day, n.day_end):
        if o.day is not None and n.day is not None and o.day != n.day:
            direction = "later" if n.day > o.day else "earlier"
        elif o.day_end is not None and n.day_end is not None and o.day_end != n.day_end:
            direction = "later" if n.day_end > o.day_end else "earlier"
        else:
            direction = ""
        words = f"{day_words(o)} → {day_words(n)}"
        if direction:
            d.emit(
                "VISIT_MOVED",
                direction,
                target,
                f"{words} ({direction})",
                old=day_words(o),
                new=day_words(n),
                **fields,
            )
        else:
            d.emit(
                "VISIT_CHANGED",
                "changed",
                target,
                words,
                old=day_words(o),
                new=day_words(n),
                **fields,
            )
    if (o.window_before, o.window_after) != (n.window_before, n.window_after):
        wider = n.window_before >= o.window_before and n.window_after >= o.window_after
        narrower = n.window_before <= o.window_before and n.window_after <= o.window_after
        direction = "widened" if wider else "narrowed" if narrower else "changed"
        d.emit(
            "VISIT_WINDOW_CHANGED",
            direction,
            target,
            f"window {window_words(o)} → {window_words(n)} ({direction})",
            old=window_words(o),
            new=window_words(n),
            **fields,
        )
    details = attribute_changes(
        o,
        n,
        (
            "label",
            "epoch",
            "number",
            "unscheduled",
            "early_termination",
            "condition",
            "start_rule",
            "end_rule",
        ),
    )
    if details:
        d.emit("VISIT_CHANGED", "changed", target, details, **fields)
    d.annotations(target, o, n, (n.name,))


def anchors(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    for name, o, n in match(old.anchors, new.anchors):
        qualified = prefix + name
        target = f"anchor {qualified}"
        if o is None:
            d.emit(
                "ANCHOR_ADDED",
                "added",
                target,
                "added",
                new=anchor_words(n, new),
                new_node=n,
                keys=(name,),
            )
        elif n is None:
            d.emit(
                "ANCHOR_REMOVED",
                "removed",
                target,
                "removed",
                old=anchor_words(o, old),
                old_node=o,
                keys=(name,),
            )
        else:
            with d.guard("ANCHOR_CHANGED", target, o, n):
                fields = {"old_node": o, "new_node": n, "keys": (name,)}
                if (o.visit, o.expr) != (n.visit, n.expr):
                    old_words, new_words = anchor_words(o, old), anchor_words(n, new)
                    d.emit_dependency(
                        "ANCHOR_CHANGED",
                        "changed",
                        key("anchor", qualified),
                        target,
                        f"{old_words} → {new_words}",
                        old=old_words,
                        new=new_words,
                        **fields,
                    )
                if o.label != n.label:
                    d.emit(
                        "ANCHOR_CHANGED",
                        "changed",
                        target,
                        f"relabelled: {quoted(o.label)} → {quoted(n.label)}",
                        **fields,
                    )
                d.annotations(target, o, n, (name,))


def epochs(d: Differ, old: Spec, new: Spec) -> None:
    for name, o, n in match(old.epochs, new.epochs):
        target = f"epoch {name}"
        if o is None:
            d.emit("EPOCH_ADDED", "added", target, "added", new_node=n, keys=(name,))
        elif n is None:
            d.emit(
                "EPOCH_REMOVED",
                "removed",
                target,
                "removed",
                old_node=o,
                keys=(name,),
            )
        else:
            if o.label != n.label:
                d.emit(
                    "EPOCH_CHANGED",
                    "changed",
                    target,
                    f"relabelled: {quoted(o.label)} → {quoted(n.label)}",
                    old_node=o,
                    new_node=n,
                    keys=(name,),
                )
            d.annotations(target, o, n, (name,))


def assessments(d: Differ) -> None:
    """Forms collected and activities done: added, removed, moved between visits."""
    old_uses = {u.key: u for u in d.old.form_uses}
    new_uses = {u.key: u for u in d.new.form_uses}
    for use_key, o, n in match(old_uses, new_uses):
        use = n or o
        assert use is not None
        label = use.form.label
        node_old = _use_node(d.old, o) if o else None
        node_new = _use_node(d.new, n) if n else None
        assessment(
            d,
            f"form {use_key}",
            label,
            o.visits if o else None,
            n.visits if n else None,
            node_old,
            node_new,
            (use_key.split(".")[-1],),
            safety=is_safety(use_key, label),
        )
        if isinstance(node_old, m.Collect) and isinstance(node_new, m.Collect):
            d.annotations(f"form {use_key}", node_old, node_new, (use_key,))
    for name, o, n in match(d.old.activities, d.new.activities):
        activity = n or o
        assert activity is not None
        target = f"activity {name}"
        assessment(
            d,
            target,
            activity.label,
            o.visits if o else None,
            n.visits if n else None,
            o,
            n,
            (name,),
            safety=is_safety(name, activity.label),
        )
        if o is not None and n is not None:
            details = attribute_changes(o, n, ("label", "condition"))
            if details:
                d.emit(
                    "ASSESSMENT_CHANGED",
                    "changed",
                    target,
                    details,
                    old_node=o,
                    new_node=n,
                    keys=(name,),
                )
            d.annotations(target, o, n, (name,))


def assessment(
    d: Differ,
    target: str,
    label: str | None,
    old_visits: tuple[str, ...] | None,
    new_visits: tuple[str, ...] | None,
    old_node: object,
    new_node: object,
    keys: Sequence[str],
    *,
    safety: bool,
) -> None:
    prefix = "SAFETY_ASSESSMENT" if safety else "ASSESSMENT"
    kind = "safety assessment" if safety else "assessment"
    what = f" {quoted(label)}" if label else ""
    if old_visits is None and new_visits is not None:
        d.emit(
            f"{prefix}_ADDED",
            "added",
            target,
            f"{kind}{what} added at {names_words(new_visits)}",
            new=names_words(new_visits),
            new_node=new_node,
            keys=keys,
        )
    elif new_visits is None and old_visits is not None:
        d.emit(
            f"{prefix}_REMOVED",
            "removed",
            target,
            f"{kind}{what} removed (was at {names_words(old_visits)})",
            old=names_words(old_visits),
            old_node=old_node,
            keys=keys,
        )
    elif old_visits is not None and new_visits is not None and old_visits != new_visits:
        added = [v for v in new_visits if v not in old_visits]
        removed = [v for v in old_visits if v not in new_visits]
        direction = (
            "added" if added and not removed else "removed" if removed and not added else "changed"
        )
        parts = []
        if added:
            parts.append(f"added at {names_words(added)}")
        if removed:
            parts.append(f"no longer at {names_words(removed)}")
        d.emit(
            f"{prefix}_VISITS_CHANGED",
            direction,
            target,
            f"{kind}{what}: " + ("; ".join(parts) or "order of visits changed"),
            old=names_words(old_visits),
            new=names_words(new_visits),
            old_node=old_node,
            new_node=new_node,
            keys=keys,
        )


def is_safety(name: str, label: str | None) -> bool:
    text = f"{name} {label or ''}".lower()
    return any(word in text for word in SAFETY_WORDS)


def _schedule_end(spec: Spec) -> tuple[int, m.Visit] | None:
    planned = [v for v in spec.visits.values() if v.latest is not None]
    if not planned:
        return None
    last = max(planned, key=lambda v: v.latest)  # type: ignore[arg-type, return-value]
    return last.latest, last  # type: ignore[return-value]


def _use_node(spec: Spec, use: Any) -> object:
    """The declaration that makes a form part of the trial: the form, or its `collect`."""
    for collect in spec.collects:
        if collect.form.dotted == use.key:
            return collect
    return use.form
