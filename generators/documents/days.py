"""Study days, visit windows and a visit's planned day in the words of the documents.

Shared by the provisional-values index, the visit table, the schedule of
activities and the time structure in words.  A negative day is written with
a typographic minus, so that no cell of a table starts with "-".
"""

from __future__ import annotations

from protocol_dsl import model as m


def day_text(day: int) -> str:
    """A study day with a typographic minus (a leading "-" would read as a formula)."""
    return str(day) if day >= 0 else f"−{-day}"


def visit_timing(visit: m.Visit) -> str:
    """ "Day 8 (window −1/+1 days)", "Days −28 to −1", "Early termination"."""
    if visit.day is None:
        if visit.early_termination:
            return "Early termination"
        if visit.unscheduled:
            return "Unscheduled"
        return "Not scheduled by day"
    if visit.day_end is not None:
        text = f"Days {day_text(visit.day)} to {day_text(visit.day_end)}"
    else:
        text = f"Day {day_text(visit.day)}"
    window = window_text(visit)
    return f"{text} (window {window})" if window else text


def window_text(visit: m.Visit) -> str:
    """ "±2 days", "−1/+3 days", "0/+3 days", or "" when the visit has no window."""
    return window_words(visit.window_before, visit.window_after)


def window_words(before: int, after: int) -> str:
    """A window of `before` and `after` days in words (see `window_text`)."""
    if not before and not after:
        return ""
    unit = "day" if max(before, after) == 1 and before == after else "days"
    if before == after:
        return f"±{before} {unit}"
    # a window on one side only: "0/+3 days" (a leading "+" would read as a formula)
    if not before:
        return f"0/+{after} days"
    if not after:
        return f"−{before}/0 days"
    return f"−{before}/+{after} days"
