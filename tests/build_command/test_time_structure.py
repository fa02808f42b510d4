"""Every back end handles any schedule `check` accepts: random cycles, repeats, event visits.

Specs are drawn with a cycle of random length and count (template visits on
random days and cycle ranges), an optional repeat after the first dose, an
optional visit and repeat after the last dose, and activities and a form at
random places.  A spec that does not check clean is discarded (the checker
owns those).  For the others, the schedule of activities, ODM, REDCap and the
SDTM trial design build without error and keep their invariants: the printed
SoA stands for every visit once, ODM is schema-valid, REDCap event names are
unique and every visit belongs to one event, TV has one row per visit.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generators.crf import odm, redcap
from generators.documents.schedule import build_schedule
from generators.documents.soa_groups import group_schedule
from generators.sdtm import tdm
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec


@functools.cache
def _schema():  # type: ignore[no-untyped-def]
    import odmlib
    import xmlschema

    folder = Path(os.path.dirname(odmlib.__file__)) / "schemas" / "odm" / "1.3.2"
    return xmlschema.XMLSchema(str(folder / "ODM1-3-2.xsd"))


@st.composite
def schedules(draw: st.DrawFn) -> str:
    length = draw(st.sampled_from([14, 21, 28]))
    cycles = draw(st.integers(1, 8))
    count = draw(st.sampled_from(["count", "up_to"]))
    until = ' until "disease progression"' if count == "up_to" else ""
    days = draw(st.lists(st.integers(2, length), max_size=3, unique=True))
    templates = ['  visit D1 "Day 1" day 1 window 0 +2']
    for day in sorted(days):
        first = draw(st.integers(1, cycles))
        last = draw(st.integers(first, cycles))
        templates.append(f'  visit D{day} "Day {day}" day {day} cycles {first} .. {last}')
    lines = [
        'trial GEN { title "Generated schedule" }',
        'epoch screening "Screening"',
        'epoch treatment "Treatment"',
        'epoch follow_up "Follow-up"',
        'visit SCR "Screening" day -14 .. -1 in screening',
        f'cycle cyc "Cycle" lasts {length} days in treatment {count} {cycles}{until} {{',
        *templates,
        "}",
        'visit EOT "End of treatment" in treatment',
        'anchor first_dose "First dose" = visit C1D1',
        'anchor last_dose "Last dose" = visit EOT',
    ]
    places = ["SCR", "cyc", "cyc.D1", "C1D1", "EOT"]
    if draw(st.booleans()):
        every = draw(st.integers(2, 9))
        most = draw(st.integers(1, 6))
        lines.append(
            f'repeat TA "Assessment" every {every} weeks after first_dose at_most {most} '
            "in treatment"
        )
        places.append("TA")
    if draw(st.booleans()):
        lines.append(
            f'visit SFU "Safety follow-up" {draw(st.integers(7, 60))} days after last_dose'
        )
        places.append("SFU")
    if draw(st.booleans()):
        every = draw(st.integers(4, 12))
        lines.append(
            f'repeat SURV "Survival" every {every} weeks after last_dose at_most '
            f"{draw(st.integers(1, 5))} in follow_up"
        )
        places.append("SURV")
    for index in range(draw(st.integers(1, 3))):
        at = draw(st.lists(st.sampled_from(places), min_size=1, max_size=4, unique=True))
        lines.append(f'activity a{index} "Activity {index}" at {", ".join(at)}')
    at = draw(st.lists(st.sampled_from(places), min_size=1, max_size=3, unique=True))
    lines.append(f'form f "Form" at {", ".join(at)} {{ x integer "X" for_reporting }}')
    return "\n".join(lines) + "\n"


def _checked(source: str, folder: Path) -> Spec | None:
    path = folder / "generated.trial"
    path.write_text(source, encoding="utf-8")
    result = compile_spec(str(path))
    return result.spec if result.ok else None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=schedules())
def test_back_ends_handle_every_checked_schedule(source: str, tmp_path: Path) -> None:
    spec = _checked(source, tmp_path)
    assume(spec is not None)
    assert spec is not None
    names = [v.name for v in spec.visit_order]
    # the SoA: every visit printed in exactly one column, all documents written
    grouped = group_schedule(spec, build_schedule(spec))
    assert sorted(v.name for c in grouped.columns for v in (c.visits or (c.visit,))) == sorted(
        names
    )
    from generators.documents import protocol, soa

    protocol.build(spec, tmp_path)
    soa.build(spec, tmp_path)
    # ODM: schema-valid
    document = odm.odm_bytes(spec).decode("utf-8")
    assert [str(e) for e in _schema().iter_errors(document)] == []
    # REDCap: unique events, each visit in one event
    project = redcap.Project(spec)
    events = [e.event_name for e in project.events]
    assert len(events) == len(set(events))
    assert sorted(v for e in project.events for v in e.visits) == sorted(names)
    redcap.build(spec, tmp_path)
    # SDTM: one TV row per visit, TA in element order
    tv = tdm.tv_rows(spec, "GEN")
    assert len(tv) == len(names)
    for dataset in tdm.datasets(spec):
        assert all(len(row) == len(dataset.columns) for row in dataset.rows)
