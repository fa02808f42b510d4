"""The time structure in words: positions, event-relative visits, cycles, repeats, time points.

Documents print the time line as a protocol writer would say it: "30 days after
last dose of Drug Z", "every 12 weeks after last dose, until death, at most 8
times", "1 h after dose (±10 min)".  Every text from the spec stays plain text;
the renderers escape it.
"""

from __future__ import annotations

import re

from generators.documents.days import day_text, visit_timing, window_text, window_words
from protocol_dsl import model as m
from protocol_dsl.semantics.words import label_phrase, quantity_in_words
from protocol_dsl.spec import Spec


def anchor_words(spec: Spec, name: str) -> str:
    anchor = spec.anchors.get(name)
    return label_phrase(anchor.label if anchor else None, name)


def position_words(spec: Spec, position: m.Position) -> str:
    """ "day 22", "week 6", "first dose of Drug Z", "30 days after last dose"."""
    if position.anchor is not None:
        anchor = anchor_words(spec, position.anchor)
        if position.offset is None:
            return anchor
        return f"{quantity_in_words(position.offset)} {position.direction or 'after'} {anchor}"
    if position.day is None:
        return ""
    if position.as_week and position.week is not None:
        return f"week {position.week}"
    return f"day {day_text(position.day)}"


def relative_timing(spec: Spec, visit: m.Visit) -> str:
    """The timing of a visit planned relative to an event with no planned day, else ""."""
    position = visit.relative_to or visit.after
    return position_words(spec, position) if position is not None else ""


def repeat_words(spec: Spec, repeat: m.Repeat) -> str:
    """ "every 12 weeks after last dose, until death, at most 8 times"."""
    start = position_words(spec, repeat.start)
    parts = [
        f"every {quantity_in_words(repeat.every)} {'from' if repeat.start_inclusive else 'after'} {start}"
    ]
    if repeat.end is not None:
        parts.append(f"to {position_words(spec, repeat.end)}")
    if repeat.until:
        parts.append(f"until {repeat.until}")
    if repeat.at_most is not None:
        parts.append(f"at most {repeat.at_most} times")
    return ", ".join(parts)


def cycle_words(cycle: m.Cycle) -> str:
    """ "21 days, up to 17 cycles, until disease progression"."""
    parts = [quantity_in_words(cycle.length)]
    if cycle.count is not None:
        parts.append(f"{cycle.count} cycle{'s' if cycle.count != 1 else ''}")
    elif cycle.up_to is not None:
        parts.append(f"up to {cycle.up_to} cycles")
    if cycle.until:
        parts.append(f"until {cycle.until}")
    return ", ".join(parts)


def timepoint_words(point: m.TimePoint, labels: dict[str, str]) -> str:
    """ "1 hour after dose, ±10 minutes"; `labels` names the visit's other time points."""
    text = ""
    if point.offset is not None and point.reference is not None:
        reference = (
            "dose" if point.reference == "dose" else labels.get(point.reference, point.reference)
        )
        text = f"{quantity_in_words(point.offset)} {point.direction or 'after'} {reference}"
    if point.window is not None:
        window = f"±{quantity_in_words(point.window)}"
        text = f"{text}, {window}" if text else window
    return text


def timepoint_labels(points: tuple[m.TimePoint, ...]) -> dict[str, str]:
    return {p.name: label_phrase(p.label, p.name) for p in points}


#: a placeholder of a cycle's or repeat's label pattern, as the time line fills it
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def series_title(label: str | None, first: m.Visit, last: m.Visit) -> str | None:
    """The label of a run of a series' visits, as shown for the whole run.

    A pattern's placeholders become the span of their values, read back from the labels
    the time line gave the first and the last visit: "Infusion (week {week})" for weeks
    4 to 48 is "Infusion (week 4–48)".  A label without placeholders is shown as written.
    """
    if label is None or not _PLACEHOLDER.search(label):
        return label
    parts = _PLACEHOLDER.split(label)
    pattern = "".join("(.*?)" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    start = re.fullmatch(pattern, first.label or "", re.DOTALL)
    end = re.fullmatch(pattern, last.label or "", re.DOTALL)
    if start is None or end is None:  # a label the pattern did not make: both, as they are
        shown = first.label or first.name
        return shown if first is last else f"{shown} – {last.label or last.name}"
    filled = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            filled.append(part)
            continue
        a, b = start[(i + 1) // 2], end[(i + 1) // 2]
        filled.append(a if a == b else f"{a}–{b}")
    return "".join(filled)


def series_visits(spec: Spec, series: str) -> list[m.Visit]:
    """The visits a cycle or repeat yields, in schedule order."""
    return [visit for visit in spec.visit_order if visit.series == series]


def repeat_timing(spec: Spec, repeat: m.Repeat) -> str:
    """ "Every 4 weeks from week 4, to week 48 (window ±7 days)": a repeat's value."""
    words = repeat_words(spec, repeat)
    window = window_words(repeat.window_before, repeat.window_after)
    text = words[:1].upper() + words[1:]
    return f"{text} (window {window})" if window else text


def planned_timing(spec: Spec, visit: m.Visit) -> str:
    """A visit's timing in words: its planned day, else its time after an event."""
    relative = relative_timing(spec, visit) if visit.day is None else ""
    if not relative:
        return visit_timing(visit)
    window = window_text(visit)
    text = relative[:1].upper() + relative[1:]
    return f"{text} (window {window})" if window else text
