"""The schedule in the diff: visits, anchors, epochs, the end of follow-up, and assessments.

Assessments are the forms the trial collects (its own and the library forms
it `collect`s) and its activities, compared by the visits they happen at.
Those whose name or label speaks of safety (`SAFETY_WORDS`) are safety
assessments: adding or dropping them, or the visits they are done at, is
classified as safety monitoring.

Visits, anchors, epochs and an activity's own fields are rule tables of the
generic walker (`walk`).  Written by hand, because the logic is their own:
the end of follow-up (the last planned visit of either version, whatever its
name) and assessments (a form or activity compared by the visits it is done
at, safety or not).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from generators.diff.matching import match
from generators.diff.phrases import (
    anchor_words,
    day_words,
    names_words,
    quoted,
    visit_words,
    window_words,
)
from generators.diff.walk import (
    Kind,
    Pair,
    Row,
    Table,
    added,
    compare,
    declarations,
    old_to_new,
    relabelled,
    removed,
)
from protocol_dsl import durations
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


def _day_direction(pair: Pair[Any]) -> str:
    """Later or earlier by the planned day, else by the end of the planned days."""
    o, n = pair.old, pair.new
    if o.day is not None and n.day is not None and o.day != n.day:
        return "later" if n.day > o.day else "earlier"
    if o.day_end is not None and n.day_end is not None and o.day_end != n.day_end:
        return "later" if n.day_end > o.day_end else "earlier"
    old_after, new_after = _after_days(o), _after_days(n)
    if old_after and new_after and old_after[0] == new_after[0] and old_after != new_after:
        return "later" if new_after[1] > old_after[1] else "earlier"
    return "changed"


def _after_days(visit: m.Visit | m.CycleVisit) -> tuple[str, Fraction] | None:
    """An event-relative visit's anchor and signed distance from it in days."""
    after = getattr(visit, "after", None)
    if after is None or after.anchor is None:
        return None
    days = durations.exact_days(after.offset) if after.offset is not None else Fraction(0)
    if days is None:
        return None
    return after.anchor, -days if after.direction == "before" else days


def _moved(pair: Pair[m.Visit]) -> str:
    return "VISIT_MOVED" if _day_direction(pair) != "changed" else "VISIT_CHANGED"


def _window_direction(pair: Pair[m.Visit]) -> str:
    o, n = pair.old, pair.new
    wider = n.window_before >= o.window_before and n.window_after >= o.window_after
    narrower = n.window_before <= o.window_before and n.window_after <= o.window_after
    return "widened" if wider else "narrowed" if narrower else "changed"


def _days(visit: m.Visit, spec: Spec) -> str:
    return day_words(visit)


def _window(visit: m.Visit, spec: Spec) -> str:
    return window_words(visit)


VISIT = Table(
    m.Visit,
    (
        Row(
            ("day", "day_end", "after"),
            _moved,
            _day_direction,
            old_to_new(_days, "", "ranked"),
            _days,
        ),
        Row(
            ("window_before", "window_after"),
            "VISIT_WINDOW_CHANGED",
            _window_direction,
            old_to_new(_window, "window", "always"),
            _window,
        ),
        Row(
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
            "VISIT_CHANGED",
        ),
    ),
    # what the expansion of cycles and repeats records on the visits it yields: a
    # declared visit has none of it, and the series are compared as declarations
    by_hand=(
        "series",
        "template",
        "cycle",
        "occurrence",
        "calendar",
        "relative_to",
        "timepoints",
        # `week 52` is day 365 written as a week: a spelling, compared as its day above
        "as_week",
    ),
)


VISITS = Kind[m.Visit](
    "visit {}",
    "VISIT_ADDED",
    "VISIT_REMOVED",
    lambda n: f"added ({visit_words(n)})",
    lambda o: f"removed (was {visit_words(o)})",
    "VISIT_CHANGED",
    VISIT,
    show=lambda v, spec: visit_words(v),
)


ANCHOR = Table(
    m.Anchor,
    (
        Row(
            ("visit", "expr"),
            "ANCHOR_CHANGED",
            summary=old_to_new(anchor_words),
            show=anchor_words,
            dependency="anchor",
        ),
        Row(("label",), "ANCHOR_CHANGED", summary=relabelled),
    ),
)


ANCHORS = Kind[m.Anchor](
    "anchor {}",
    "ANCHOR_ADDED",
    "ANCHOR_REMOVED",
    added,
    removed,
    "ANCHOR_CHANGED",
    ANCHOR,
    show=anchor_words,
)


EPOCH = Table(m.Epoch, (Row(("label",), "EPOCH_CHANGED", summary=relabelled),))


EPOCHS = Kind[m.Epoch]("epoch {}", "EPOCH_ADDED", "EPOCH_REMOVED", added, removed, None, EPOCH)


def visits(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, VISITS, old.declared_visits, new.declared_visits, old, new)
    declarations(d, CYCLES, old.cycles, new.cycles, old, new)
    declarations(d, REPEATS, old.repeats, new.repeats, old, new)


# ---------------------------------------------------------------- cycles and repeats
#
# A cycle or a repeat is compared as written (its length, count, interval, end),
# never through the visits it yields: a change of cycle length moves every visit
# of every cycle, and is one change.  A cycle's template visits are compared by
# name, as visits are.


def _series_words(decl: m.Cycle | m.Repeat, spec: Spec) -> str:
    if isinstance(decl, m.Cycle):
        count = f"{decl.count} cycles" if decl.count is not None else f"up to {decl.up_to} cycles"
        return f"{decl.label or decl.name}: {count} of {decl.length}"
    return f"{decl.label or decl.name}: every {decl.every}"


CYCLE_VISIT = Table(
    m.CycleVisit,
    (
        Row(("day", "day_end"), _moved, _day_direction, old_to_new(_days, "", "ranked"), _days),
        Row(
            ("window_before", "window_after"),
            "VISIT_WINDOW_CHANGED",
            _window_direction,
            old_to_new(_window, "window", "always"),
            _window,
        ),
        Row(("cycles_from", "cycles_to", "single_cycle", "timepoints"), "CYCLE_CHANGED"),
        Row(("label", "epoch", "condition"), "VISIT_CHANGED"),
    ),
)

CYCLE_VISITS = Kind[m.CycleVisit](
    "cycle visit {}",
    "VISIT_ADDED",
    "VISIT_REMOVED",
    added,
    removed,
    "VISIT_CHANGED",
    CYCLE_VISIT,
)


def _cycle_pair(d: Differ, pair: Pair[m.Cycle]) -> None:
    compare(d, CYCLE, pair)
    old = {v.name: v for v in pair.old.visits}
    new = {v.name: v for v in pair.new.visits}
    declarations(d, CYCLE_VISITS, old, new, pair.old_spec, pair.new_spec, f"{pair.qualified}.")


CYCLE = Table(
    m.Cycle,
    (
        Row(
            ("length", "count", "up_to", "until", "start"),
            "CYCLE_CHANGED",
            show=_series_words,
        ),
        Row(("label", "epoch", "names"), "SERIES_RELABELLED"),
    ),
    by_hand=("visits",),
)

CYCLES = Kind[m.Cycle](
    "cycle {}",
    "CYCLE_ADDED",
    "CYCLE_REMOVED",
    added,
    removed,
    "CYCLE_CHANGED",
    CYCLE,
    pair=_cycle_pair,
    show=_series_words,
)

REPEAT = Table(
    m.Repeat,
    (
        Row(
            ("every", "start", "start_inclusive", "end", "until", "at_most"),
            "REPEAT_CHANGED",
            show=_series_words,
        ),
        Row(
            ("window_before", "window_after"),
            "VISIT_WINDOW_CHANGED",
            _window_direction,
            old_to_new(_window, "window", "always"),
            _window,
        ),
        Row(("label", "epoch", "condition", "names"), "SERIES_RELABELLED"),
    ),
)

REPEATS = Kind[m.Repeat](
    "repeat {}",
    "REPEAT_ADDED",
    "REPEAT_REMOVED",
    added,
    removed,
    "REPEAT_CHANGED",
    REPEAT,
    show=_series_words,
)


def anchors(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    declarations(d, ANCHORS, old.anchors, new.anchors, old, new, prefix)


def epochs(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, EPOCHS, old.epochs, new.epochs, old, new)


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
    for name, old_activity, new_activity in match(d.old.activities, d.new.activities):
        activity = new_activity or old_activity
        assert activity is not None
        target = f"activity {name}"
        assessment(
            d,
            target,
            activity.label,
            old_activity.visits if old_activity else None,
            new_activity.visits if new_activity else None,
            old_activity,
            new_activity,
            (name,),
            safety=is_safety(name, activity.label),
        )
        if old_activity is not None and new_activity is not None:
            pair = Pair(old_activity, new_activity, d.old, d.new, target, name, (name,))
            compare(d, ACTIVITY, pair)


#: what of an activity is compared besides its visits (those are compared as assessments)
ACTIVITY = Table(
    m.Activity, (Row(("label", "condition"), "ASSESSMENT_CHANGED"),), by_hand=("visits",)
)


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
