"""An oncology-shaped schedule: the expanded visits are exactly what the protocol says,
the spec checks clean, and every artefact builds from the expanded schedule."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec

ONCOLOGY = Path(__file__).with_name("oncology.trial")


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = compile_spec(str(ONCOLOGY))
    assert result.spec is not None
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors
    return result.spec


def _row(spec: Spec, name: str) -> tuple:
    v = spec.visits[name]
    return (v.day, v.window_before, v.window_after, v.epoch, v.series, v.cycle, v.occurrence)


def test_checks_clean() -> None:
    result = compile_spec(str(ONCOLOGY))
    assert [d.code for d in result.diagnostics if d.severity != "note"] == []


def test_cycle_one_is_dense_and_later_cycles_have_day_1(spec: Spec) -> None:
    cycle_visits = [v.name for v in spec.visit_order if v.series == "treatment_cycle"]
    later = [f"C{c}D1" for c in range(3, 18)]
    assert cycle_visits == ["C1D1", "C1D2", "C1D8", "C1D15", "C2D1", "C2D15", *later]
    # day 1 of cycle c is study day 1 + 21 (c - 1); day 15 of cycle 2 is day 36
    assert [spec.visits[f"C{c}D1"].day for c in range(1, 18)] == [
        1 + 21 * (c - 1) for c in range(1, 18)
    ]
    assert spec.visits["C2D15"].day == 36
    assert _row(spec, "C1D8") == (8, 1, 1, "treatment", "treatment_cycle", 1, None)
    c1d1 = spec.visits["C1D1"]
    assert (c1d1.template, c1d1.calendar, c1d1.label) == ("D1", False, "Cycle 1 Day 1")
    assert [t.name for t in c1d1.timepoints] == ["predose", "eoi", "h1", "h4"]
    assert spec.visits["C17D1"].label == "Cycle 17 Day 1"


def test_tumour_assessments_run_on_the_calendar_until_the_trial_length(spec: Spec) -> None:
    assessments = [v for v in spec.visit_order if v.series == "TA"]
    # first 6 weeks after first dose (C1D1, day 1), every 6 weeks, within `length 3 years`
    # (1096 days from day 1: the last planned day is 1096)
    assert [v.day for v in assessments] == list(range(43, 1097, 42))
    assert [v.name for v in assessments[:3]] == ["TA1", "TA2", "TA3"]
    assert all(v.calendar and v.relative_to is None for v in assessments)
    assert assessments[0].label == "Tumour assessment 1"


def test_follow_up_is_relative_to_end_of_treatment(spec: Spec) -> None:
    tail = [v.name for v in spec.visit_order if v.day is None]
    assert tail == ["EOT", "SFU", *(f"SURV{n}" for n in range(1, 9))]
    sfu = spec.visits["SFU"]
    assert sfu.relative_to is not None and sfu.relative_to.anchor == "last_dose"
    assert str(sfu.relative_to.offset) == "30 days"
    offsets = [str(spec.visits[f"SURV{n}"].relative_to.offset) for n in range(1, 9)]  # type: ignore[union-attr]
    assert offsets == [f"{84 * n} days" for n in range(1, 9)]
    assert not spec.visits["SURV1"].calendar


def test_at_lists_name_cycles_template_visits_and_repeats(spec: Spec) -> None:
    uses = {u.key: u for u in spec.form_uses}
    vitals = uses["vitals"].visits
    assert vitals[0] == "SCR" and vitals[-2:] == ("EOT", "SFU")
    assert len(vitals) == 1 + 21 + 2  # screening, every cycle visit, end of treatment, SFU
    assert uses["imaging"].visits == ("SCR", *(f"TA{n}" for n in range(1, 27)))
    assert uses["survival"].visits == tuple(f"SURV{n}" for n in range(1, 9))
    pk = spec.activities["pk"].visits
    assert pk == ("C1D1", "C1D2", "C1D8", *(f"C{c}D1" for c in range(2, 18)))


def test_series_groups_for_display(spec: Spec) -> None:
    groups = {g.name: [v.name for v in g.visits] for g in spec.series_groups()}
    assert list(groups) == ["treatment_cycle", "TA", "SURV"]
    assert groups["SURV"] == [f"SURV{n}" for n in range(1, 9)]
    cycle = next(g for g in spec.series_groups() if g.name == "treatment_cycle")
    shown = [(g.template, g.span_of_names, g.description) for g in cycle.groups]
    assert shown == [
        ("D1", "C1D1–C17D1", "day 1 of cycles 1 to 17"),
        ("D2", "C1D2", "day 2 of cycle 1"),
        ("D8", "C1D8", "day 8 of cycle 1"),
        ("D15", "C1D15–C2D15", "day 15 of cycles 1 to 2"),
    ]
    (surv,) = next(g for g in spec.series_groups() if g.name == "SURV").groups
    assert surv.description == "every 12 weeks, 8 visits"


def test_every_artefact_builds(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(ONCOLOGY), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "E0999" not in result.output
    tv = (tmp_path / "sdtm" / "tv.csv").read_text(encoding="utf-8")
    assert "Cycle 17 Day 1" in tv and "Survival follow-up 8" in tv
    soa = (tmp_path / "soa.csv").read_text(encoding="utf-8")
    assert "C2D15" in soa and "TA26" in soa
