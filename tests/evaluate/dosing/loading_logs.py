"""Subjects of the loading-dose spec: doses on the planned days, then deviations drawn at
random (a dose skipped, moved, doubled, an extra one), under the arm or a dose level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

DAY1 = dt.date(2026, 3, 2)
#: the arm's loading doses then every 4 weeks (at most 5); the dose levels' every 3 weeks
ARM_DAYS = (1, 15, 29, 57, 85)
LEVEL_DAYS = (1, 22, 43)
LEVEL_DOSES = {"DL1": 100.0, "DL2": 300.0}
VISIT_DAYS = (1, 15, 22, 29, 43, 57, 85)


def _on(day: int) -> str:
    return (DAY1 + dt.timedelta(days=day - 1)).isoformat()


@st.composite
def subjects(draw: st.DrawFn, subject_id: str) -> dict[str, Any]:
    level = draw(st.sampled_from([None, "DL1", "DL2"]))
    weight = draw(st.one_of(st.none(), st.integers(45, 120).map(float)))
    days = list(LEVEL_DAYS if level else ARM_DAYS)
    amount = LEVEL_DOSES[level] if level else 10 * (weight or 70.0)
    count = draw(st.integers(1, len(days)))
    doses: list[tuple[int, float]] = []
    for day in days[:count]:
        if draw(st.integers(0, 9)) == 0:
            continue  # skipped
        shift = draw(st.sampled_from([0, 0, 0, 1, -2, 3, 5]))
        factor = draw(st.sampled_from([1.0, 1.0, 1.0, 1.08, 1.5, 0.5]))
        doses.append((day + shift, amount * factor))
    if draw(st.booleans()):
        doses.append((draw(st.integers(2, 120)), amount))  # an extra dose
    doses.sort()
    last = max([d for d, _a in doses] + [days[count - 1]])
    visits = {f"D{d}": _on(d) for d in VISIT_DAYS if d <= last}
    vitals = {"D1": {"weight": weight}} if weight is not None else {}
    subject: dict[str, Any] = {
        "subject_id": subject_id,
        "visits": visits,
        "forms": {
            "vitals": vitals,
            "exposure": [{"given": _on(d), "dose": round(a, 3)} for d, a in doses],
        },
    }
    if level:
        subject["dose_level"] = level
    else:
        subject["arm"] = "A"
    return subject
