"""The schedule of activities of an oncology trial, grouped as the protocol prints it.

The fixture has 21-day cycles up to 17 (cycle 1 dense, pharmacokinetics at
cycles 1, 2 and 4), tumour assessments every 6 weeks, a safety follow-up 30
days after the last dose and survival follow-up every 12 weeks: forty-two
visits, printed as twelve columns.  The golden files are read once to approve
them (`UPDATE_GOLDEN=1` rewrites them).
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.documents.document import plain
from generators.documents.marks import MarkIndex
from generators.documents.schedule import build_schedule, soa_table
from generators.documents.soa_groups import group_schedule, timepoint_table
from protocol_dsl.spec import Spec
from tests.documents.helpers import (
    FIXTURES,
    GOLDEN,
    SPECS,
    build_documents,
    compile_clean,
    fixture_spec,
)

FIXTURE = "oncology_cycles.trial"


@pytest.fixture(scope="module")
def oncology() -> Spec:
    return fixture_spec(FIXTURE)


@pytest.fixture(scope="module")
def built(oncology: Spec, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("oncology")
    build_documents(oncology, out)
    return out


def _headings(spec: Spec) -> list[str]:
    table = soa_table(group_schedule(spec, build_schedule(spec)), MarkIndex(spec))
    return [" / ".join(plain(p.inlines) for p in c) for c in table.header]


def test_columns_are_grouped_as_the_protocol_prints_them(oncology: Spec) -> None:
    grouped = group_schedule(oncology, build_schedule(oncology))
    printed = [(c.group, c.label, c.names) for c in grouped.columns]
    assert printed == [
        ("", "Screening", "SCR"),
        ("C1", "Day 1", "C1D1"),
        ("C1", "Day 8", "C1D8"),
        ("C1", "Day 15", "C1D15"),
        ("C2", "Day 1", "C2D1"),  # pharmacokinetics: unlike cycle 3
        ("C3", "Day 1", "C3D1"),
        ("C4", "Day 1", "C4D1"),
        ("C5–C17", "Day 1", "C5D1–C17D1"),
        ("", "Tumour assessment", "TA1–TA12"),  # after the cycles, not among them
        ("", "End of treatment", "EOT"),
        ("", "Safety follow-up", "SFU"),
        ("", "Survival follow-up", "SURV1–SURV8"),
    ]
    days = {c.names: c.day for c in grouped.columns}
    assert days["C5D1–C17D1"] == "Day 1 of each cycle"
    assert days["TA1–TA12"] == "every 6 weeks"
    assert days["SFU"] == "30 days after last dose of Drug Z"
    assert days["SURV1–SURV8"] == "every 12 weeks"
    table = soa_table(grouped, MarkIndex(oncology))
    assert table.subgroups == (
        ("Cycle", 1),
        ("", 1),
        ("C1", 3),
        ("C2", 1),
        ("C3", 1),
        ("C4", 1),
        ("C5–C17", 1),
        ("", 1),
        ("", 1),
        ("", 1),
        ("", 1),
    )
    assert table.groups == (("Epoch", 1), ("Screening", 1), ("Treatment", 9), ("Follow-up", 2))


def test_every_x_of_a_grouped_column_holds_for_every_visit_it_stands_for(oncology: Spec) -> None:
    expanded = build_schedule(oncology)
    grouped = group_schedule(oncology, expanded)
    index = {c.visit.name: i for i, c in enumerate(expanded.columns)}
    covered: list[str] = []
    for position, column in enumerate(grouped.columns):
        covered += [v.name for v in column.visits]
        for row, full in zip(grouped.rows, expanded.rows, strict=True):
            assert {full.at[index[v.name]] for v in column.visits} == {row.at[position]}
    assert sorted(covered) == sorted(index)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_grouping_never_merges_visits_that_differ(oncology: Spec, data: st.DataObject) -> None:
    """Whatever the activities at each visit, a printed column's X holds for all its visits,
    and every visit is printed in exactly one column."""
    expanded = build_schedule(oncology)
    width = len(expanded.columns)
    # few distinct patterns, so that runs of equal columns are common
    pattern = data.draw(st.lists(st.integers(0, 2), min_size=width, max_size=width))
    rows = tuple(
        attrs.evolve(row, at=tuple(bool((p + r) % 3 == 0) for p in pattern))
        for r, row in enumerate(expanded.rows)
    )
    expanded = attrs.evolve(expanded, rows=rows)
    grouped = group_schedule(oncology, expanded)
    index = {c.visit.name: i for i, c in enumerate(expanded.columns)}
    printed = [v.name for c in grouped.columns for v in c.visits]
    assert sorted(printed) == sorted(index)
    for position, column in enumerate(grouped.columns):
        for row, full in zip(grouped.rows, expanded.rows, strict=True):
            assert {full.at[index[v.name]] for v in column.visits} == {row.at[position]}


def test_series_and_time_points_are_explained_in_footnotes(oncology: Spec) -> None:
    grouped = group_schedule(oncology, build_schedule(oncology))
    notes = [n.text for n in grouped.footnotes]
    assert (
        "Treatment cycle: 21 days, up to 17 cycles, "
        "until disease progression or unacceptable toxicity." in notes
    )
    assert (
        "Tumour assessment: every 6 weeks after first dose of Drug Z, "
        "until disease progression, at most 12 times." in notes
    )
    assert (
        "Survival follow-up: every 12 weeks after last dose of Drug Z, until death, "
        "at most 8 times." in notes
    )
    points = next(n for n in notes if n.startswith("Time points"))
    assert "pre-dose: 1 hour before dose" in points
    assert "end of infusion: 1 hour after dose, ±10 minutes" in points
    table = timepoint_table(oncology)
    assert table is not None and len(table.rows) == 3  # one cycle day, said once


def test_a_condition_on_a_cycle_visit_is_one_footnote_per_printed_column() -> None:
    source = (FIXTURES / FIXTURE).read_text(encoding="utf-8")
    conditional = source.replace(
        'visit D1 "Day 1" day 1 window 0 +3 {',
        'visit D1 "Day 1" day 1 window 0 +3 when "if the subject is still on treatment" {',
    )
    assert conditional != source
    spec = compile_clean(SPECS / "_fixture_conditional.trial", conditional)
    grouped = group_schedule(spec, build_schedule(spec))
    notes = [n.text for n in grouped.footnotes if "still on treatment" in n.text]
    # C1, C2, C3, C4 and C5–C17: five printed columns, not seventeen visits
    assert len(notes) == 5
    assert "Day 1 (C5D1–C17D1): if the subject is still on treatment." in notes
    used = {k for c in grouped.columns for k in c.footnotes} | {
        k for r in grouped.rows for k in r.footnotes
    }
    assert used == {n.key for n in grouped.footnotes}


def test_a_label_pattern_is_filled_for_a_grouped_column() -> None:
    """A label with placeholders shows the span of its values, never the raw `{week}`."""
    source = (FIXTURES / FIXTURE).read_text(encoding="utf-8")
    patterned = source.replace(
        'repeat TA "Tumour assessment" every 6 weeks after first_dose',
        'repeat TA "Tumour assessment (week {week})" every 6 weeks after first_dose',
    ).replace(
        'visit D1 "Day 1" day 1 window 0 +3 {', 'visit D1 "Cycle {cycle} day 1" day 1 window 0 +3 {'
    )
    patterned = patterned.replace(
        "at_most 12 window ± 7 in treatment", "at_most 12 window ± 7 in treatment provisional"
    )
    assert patterned.count("{week}") == 1 and patterned.count("{cycle}") == 1
    spec = compile_clean(SPECS / "_fixture_patterned.trial", patterned)
    grouped = group_schedule(spec, build_schedule(spec))
    printed = {c.names: c.label for c in grouped.columns}
    assert printed["TA1–TA12"] == "Tumour assessment (week 6–72)"
    assert printed["C5D1–C17D1"] == "Cycle 5–17 day 1"
    assert printed["C2D1"] == "Cycle 2 day 1"
    texts = [n.text for n in grouped.footnotes] + [
        " ".join(plain(p.inlines) for p in c) for c in soa_table(grouped, MarkIndex(spec)).header
    ]
    assert not [t for t in texts if "{" in t]
    points = timepoint_table(spec)
    assert points is not None
    assert plain(points.rows[0][0][0].inlines).startswith("Cycle 1–17 day 1 of each")
    (entry,) = [e for e in MarkIndex(spec).provisional if e.where.startswith("Repeat TA")]
    assert entry.where == "Repeat TA (Tumour assessment (week 6–72))"
    assert entry.value == (
        "Every 6 weeks after first dose of Drug Z, until disease progression, "
        "at most 12 times (window ±7 days)"
    )


def test_a_provisional_visit_after_an_event_is_listed_with_its_timing() -> None:
    """Not "Not scheduled by day": the provisional values say when the visit is."""
    source = (FIXTURES / FIXTURE).read_text(encoding="utf-8")
    marked = source.replace(
        "30 days after last_dose window ± 7 in follow_up",
        "30 days after last_dose window ± 7 in follow_up provisional",
    )
    assert marked != source
    spec = compile_clean(SPECS / "_fixture_marked.trial", marked)
    (entry,) = MarkIndex(spec).provisional
    assert entry.where == "Visit SFU (Safety follow-up)"
    assert entry.value == "30 days after last dose of Drug Z (window ±7 days)"


def test_a_schedule_without_series_is_not_regrouped(oncology: Spec) -> None:
    # QLS4131 declares every visit: no cycle, no repeat
    spec = compile_clean(SPECS / "qls4131_sle_phase1b.trial")
    assert not spec.cycles and not spec.repeats
    schedule = build_schedule(spec)
    assert group_schedule(spec, schedule) is schedule


def test_the_soa_csv_keeps_one_column_per_visit(oncology: Spec, built: Path) -> None:
    lines = (built / "soa.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[3:] == [v.name for v in oncology.visit_order]
    printed_in = next(line for line in lines if line.startswith("Printed in,"))
    cells = printed_in.split(",")[3:]
    assert cells[header.index("C9D1") - 3] == "C5–C17 Day 1"
    assert cells[header.index("SURV8") - 3] == "Survival follow-up"


@pytest.mark.parametrize("name", ["soa.html", "soa.csv", "protocol.md"])
def test_golden(built: Path, name: str) -> None:
    produced = (built / name).read_bytes()
    golden = GOLDEN / "oncology_cycles" / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    assert golden.exists(), f"no golden file {golden}; create it with UPDATE_GOLDEN=1 and read it"
    assert produced == golden.read_bytes(), f"{name} differs from {golden}"
