"""The time structure in words: positions, event-relative visits, cycles, repeats, time points.

Documents print the time line as a protocol writer would say it: "30 days after
last dose of Drug Z", "every 12 weeks after last dose, until death, at most 8
times", "1 h after dose (±10 min)".  Every text from the spec stays plain text;
the renderers escape it.
"""

from __future__ import annotations

from generators.documents.marks import day_text
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
