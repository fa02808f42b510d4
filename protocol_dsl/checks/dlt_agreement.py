"""The DLT window against what the rest of the protocol says of it.

W0416 the `dlt_window` ends on another study day than the DLT endpoint's time
      frame, than a window the DLT definition states ("within 28 days"), or
      than the visit named as the end of the DLT window.

A DLT window edited on its own (28 days shortened to 21) leaves the DLT
endpoint, the definition and the schedule describing the old window: the
dose-escalation decision and the safety analysis then count different
toxicities.  Days are study days, with no day 0, as everywhere in the schedule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.durations import shift
from protocol_dsl.spec import Spec

from .availability import endpoint_frame
from .study_days import dlt_anchor_day, dlt_window_end, dlt_window_words

#: An endpoint about dose-limiting toxicities, by its name or its words.
_ABOUT_DLT = re.compile(r"\bDLTs?\b|dose[- ]limiting", re.IGNORECASE)
#: A visit named as the end of the DLT observation.
_END_OF_WINDOW = re.compile(r"end of (?:the )?DLT(?: observation)? (?:window|period)", re.I)
#: A window the definition states: "within 28 days", "during the first 4 weeks", "21-day".
_STATED_WINDOW = re.compile(
    r"\b(?:within|during|in|over)\s+(?:the\s+)?(?:first\s+)?(\d+)\s+(days?|weeks?)\b"
    r"|\b(\d+)-(day|week)\b",
    re.IGNORECASE,
)


def check(spec: Spec) -> Iterator[Diagnostic]:
    for dose_finding in spec.dose_findings:
        window = dose_finding.dlt_window
        end = dlt_window_end(spec, dose_finding)
        start = dlt_anchor_day(spec, dose_finding)
        if window is None or end is None or start is None:
            continue
        said = f"the DLT window ({dlt_window_words(window)}, from day {start}) ends on day {end}"
        for endpoint in _dlt_endpoints(spec):
            frame = endpoint_frame(spec, endpoint)
            if frame is None or frame[1] == end:
                continue
            yield _disagree(
                window,
                f"{said}, but the DLT endpoint {endpoint.name} runs until day {frame[1]} "
                f"({endpoint.until} after {endpoint.until_anchor})",
                Label(endpoint.span, f"the DLT endpoint's time frame ends on day {frame[1]}"),
            )
        definition = dose_finding.dlt_definition
        if definition is not None:
            for days, words in _stated_windows(definition.text):
                if shift(start, days) == end:
                    continue
                yield _disagree(
                    window,
                    f'{said}, but the DLT definition says "{words}" (to day {shift(start, days)})',
                    Label(definition.span, f'the definition says "{words}"'),
                )
        for visit in spec.visits.values():
            if visit.day is None or not _END_OF_WINDOW.search(visit.label or ""):
                continue
            last = visit.day_end if visit.day_end is not None else visit.day
            if visit.day <= end <= last:
                continue
            yield _disagree(
                window,
                f'{said}, but visit {visit.name} "{visit.label}" is on day {visit.day}',
                Label(visit.span, f"named the end of the DLT window, on day {visit.day}"),
            )


def _dlt_endpoints(spec: Spec) -> Iterator[m.Endpoint]:
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            if _ABOUT_DLT.search(endpoint.name) or _ABOUT_DLT.search(endpoint.text):
                yield endpoint


def _stated_windows(text: str) -> Iterator[tuple[int, str]]:
    for found in _STATED_WINDOW.finditer(text):
        number = found[1] or found[3]
        unit = (found[2] or found[4]).lower()
        yield int(number) * (7 if unit.startswith("week") else 1), found[0]


def _disagree(window: m.DltWindow, message: str, label: Label) -> Diagnostic:
    return Diagnostic(
        "W0416",
        "warning",
        message,
        window.span,
        (label,),
        help="make the DLT window, the DLT endpoint, the definition and the schedule say the "
        "same window: correct the one that was changed alone",
    )
