"""The trial's milestone dates in their order (W0806).

Registries and the SDTM trial summary read the start, primary completion and
completion dates; ClinicalTrials.gov refuses a record whose primary completion
comes before the start or after the completion.  A version dated before the
trial started is fine (protocols are written before first enrolment), so only
the three milestones are compared with each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import cast

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec

#: the milestones, in the order they must come
MILESTONES = ("start_date", "primary_completion_date", "completion_date")
_WORDS = {
    "start_date": "the study start",
    "primary_completion_date": "the primary completion",
    "completion_date": "the study completion",
}


def check(spec: Spec) -> Iterator[Diagnostic]:
    dated: list[tuple[str, datetime.date, m.Field]] = []
    for key in MILESTONES:
        found = spec.trial_field(key)
        if found is not None and found.value.kind == "date":
            dated.append((key, cast(datetime.date, found.value.value), found))
    for index, (key, date, field) in enumerate(dated):
        for earlier_key, earlier, earlier_field in dated[:index]:
            if date < earlier:
                yield Diagnostic(
                    "W0806",
                    "warning",
                    f"{_WORDS[key]} ({date.isoformat()}) comes before "
                    f"{_WORDS[earlier_key]} ({earlier.isoformat()})",
                    field.span,
                    labels=(Label(earlier_field.span, f"{earlier_key} is here"),),
                    help=(
                        "the trial starts, reaches its primary completion (the last "
                        "participant's primary endpoint), then completes (the last "
                        "participant's last visit): correct the date that is wrong"
                    ),
                )
                break
