"""decide(): actions and rule text, every kind of bad input, and reading
cohorts from CSV with line numbers in the errors.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generators.escalation import (
    Boin,
    Cohort,
    Crm,
    DesignError,
    EscalationInputError,
    Mtpi2,
    ThreePlusThree,
    decide,
    design_from_params,
    read_cohorts,
)

LEVELS = ("DL1", "DL2", "DL3", "DL4", "DL5")


def test_empty_history_starts_at_the_start_level() -> None:
    decision = decide(Boin(0.3, start_level=1), 5, [])
    assert (decision.action, decision.next_level) == ("start", 1)
    assert decision.rule == "no cohort yet: treat the first cohort of 3 at DL2"


def test_escalate_stay_and_level_names() -> None:
    names = ["0.1 mg", "0.3 mg", "1 mg"]
    decision = decide(Boin(0.3), 3, [Cohort(0, 3, 0)], level_names=names)
    assert decision.action == "escalate"
    assert decision.rule == "0/3 DLTs = 0.00 ≤ λe 0.236: escalate to 0.3 mg"
    stay = decide(Boin(0.3), 3, [Cohort(0, 3, 1)])
    assert stay.action == "stay"
    assert stay.rule == "1/3 DLTs = 0.33 lies between λe 0.236 and λd 0.359: stay at DL1"


def test_escalation_is_blocked_at_the_top_and_below_an_eliminated_level() -> None:
    top = decide(Boin(0.3), 2, [Cohort(0, 3, 0), Cohort(1, 3, 0)])
    assert (top.action, top.next_level) == ("stay", 1)
    assert "DL2 is the highest level: stay at DL2" in top.rule
    history = [Cohort(0, 3, 0), Cohort(1, 3, 3), Cohort(0, 3, 0)]
    blocked = decide(Boin(0.3), 3, history)
    assert (blocked.action, blocked.next_level) == ("stay", 0)
    assert blocked.eliminated == (1, 2)
    assert "DL2 is eliminated: stay at DL1" in blocked.rule


def test_deviations_from_the_recommendation_are_allowed() -> None:
    # The design said escalate to DL2; the committee chose to stay at DL1.
    decision = decide(Boin(0.3), 5, [Cohort(0, 3, 0), Cohort(0, 3, 0)])
    assert (decision.action, decision.next_level) == ("escalate", 1)


def test_final_cohort_selects_the_mtd() -> None:
    design = Boin(0.3, n_cohorts=3)
    decision = decide(design, 3, [Cohort(0, 3, 0), Cohort(1, 3, 1), Cohort(1, 3, 1)])
    assert decision.action == "select_mtd"
    assert decision.next_level is None
    assert decision.mtd == 1
    assert "9 patients treated, the design's maximum sample size: the trial ends" in decision.rule
    assert decision.rule.endswith("DL2 is closest to the target 0.3: MTD = DL2")


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([Cohort(5, 3, 0)], "cohort 1: dose level index 5 does not exist"),
        ([Cohort(-1, 3, 0)], "cohort 1: dose level index -1 does not exist"),
        ([Cohort(0, 3, 0), Cohort(1, 3, 4)], "cohort 2: 4 DLTs among 3 patients"),
        ([Cohort(0, -3, 0)], "cohort 1: the number of patients cannot be negative"),
        ([Cohort(0, 3, -1)], "cohort 1: the number of DLTs cannot be negative"),
        ([Cohort(0, 0, 0)], "cohort 1: a cohort needs at least one patient"),
        ([Cohort(0, 2.5, 0)], "cohort 1: patients must be a whole number; got 2.5"),  # type: ignore[arg-type]
        (
            [Cohort(0, 3, 0), Cohort(1, 3, 3), Cohort(1, 3, 0)],
            "cohort 3: DL2 was eliminated after cohort 2",
        ),
        ([Cohort(0, 3, 3), Cohort(0, 3, 0)], "cohort 2: the trial already ended after cohort 1"),
    ],
)
def test_bad_history(history: list[Cohort], message: str) -> None:
    with pytest.raises(EscalationInputError) as caught:
        decide(Boin(0.3), 5, history)
    assert str(caught.value).startswith(message)
    assert caught.value.cohort == len(history)


def test_history_beyond_the_maximum_sample_size() -> None:
    design = Boin(0.3, n_cohorts=2)
    with pytest.raises(EscalationInputError, match="7 patients in all, more than the design's "):
        decide(design, 5, [Cohort(0, 3, 0), Cohort(1, 4, 0)])


def test_three_plus_three_input_rules() -> None:
    with pytest.raises(EscalationInputError, match="treats cohorts of exactly 3"):
        decide(ThreePlusThree(), 3, [Cohort(0, 2, 0)])
    with pytest.raises(EscalationInputError, match="at most 6 patients at DL1"):
        decide(ThreePlusThree(), 3, [Cohort(0, 3, 1), Cohort(0, 3, 0), Cohort(0, 3, 0)])
    with pytest.raises(EscalationInputError, match="DL2 was eliminated"):
        decide(
            ThreePlusThree("expand", True), 3, [Cohort(0, 3, 0), Cohort(1, 3, 2), Cohort(1, 3, 0)]
        )


def test_levels_must_fit_the_design() -> None:
    with pytest.raises(EscalationInputError, match="skeleton has 3 values but there are 5"):
        decide(Crm(0.25, (0.1, 0.2, 0.3)), 5, [])
    with pytest.raises(EscalationInputError, match="starts at level index 4"):
        decide(Boin(0.3, start_level=4), 3, [])
    with pytest.raises(EscalationInputError, match="2 level names given for 3"):
        decide(Boin(0.3), 3, [], level_names=["a", "b"])


# ---------------------------------------------------------------- design_from_params


def test_design_from_params_builds_each_design() -> None:
    assert design_from_params("boin", {"target": 0.3, "cohort_size": 3, "cohorts": 12}) == Boin(
        0.3, n_cohorts=12
    )
    assert design_from_params("BOIN", {"target": 0.3, "max_sample_size": 36}).n_cohorts == 12
    assert design_from_params("mTPI-2", {"target": 0.25, "eps1": 0.05}) == Mtpi2(0.25)
    assert design_from_params("three_plus_three", {"mtd_rule": "expand"}) == ThreePlusThree(
        "expand"
    )
    crm = design_from_params("crm", {"target": 0.25, "skeleton": [0.05, 0.1, 0.2]})
    assert crm == Crm(0.25, (0.05, 0.1, 0.2))
    boin = design_from_params("boin", {"target": 0.3, "phi1": None})
    assert boin.phi1 == pytest.approx(0.18)
    assert boin.phi2 == pytest.approx(0.42)
    assert Boin(0.3, phi1=None, phi2=None) == Boin(0.3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "params", "parameter", "message"),
    [
        ("boin", {"target": 0.6}, "target", "strictly between 0 and 0.5"),
        ("boin", {"target": 0}, "target", "strictly between 0 and 0.5"),
        ("boin", {"target": 0.3, "cohort_size": 0}, "cohort_size", "at least 1"),
        ("boin", {"target": 0.3, "cohort_size": 2.5}, "cohort_size", "whole number"),
        ("boin", {"target": 0.3, "phi1": 0.35}, "phi1", "between 0 and the target"),
        ("boin", {"target": 0.3, "phi2": 0.2}, "phi2", "between the target"),
        ("boin", {"target": 0.3, "max_sample_size": 31}, "max_sample_size", "whole number of"),
        ("boin", {"target": 0.3, "elimination_cutoff": 1.2}, "elimination_cutoff", "[0.5, 1)"),
        ("boin", {"target": 0.3, "max_per_dose": 2}, "max_per_dose", "at least the cohort"),
        ("boin", {"target": "high"}, "target", "must be a number"),
        ("boin", {}, "target", "needs a target"),
        ("boin", {"target": 0.3, "traget": 0.3}, "traget", "did you mean 'target'"),
        ("mtpi2", {"target": 0.3, "eps1": 0.4}, "eps1", "between 0 and the target"),
        ("crm", {"target": 0.3, "skeleton": [0.3, 0.2]}, "skeleton", "increase strictly"),
        ("crm", {"target": 0.3, "skeleton": [0.1, 1.2]}, "skeleton", "between 0 and 1"),
        ("crm", {"target": 0.3, "skeleton": [0.1, 0.2], "model": "probit"}, "model", "empiric"),
        ("crm", {"target": 0.3, "skeleton": [0.1, 0.2], "prior_sd": -1}, "prior_sd", "positive"),
        ("3+3", {"mtd_rule": "next"}, "mtd_rule", "'previous' or 'expand'"),
        ("bion", {}, "kind", "did you mean 'boin'"),
    ],
)
def test_design_errors_name_the_parameter(
    kind: str, params: dict[str, object], parameter: str, message: str
) -> None:
    with pytest.raises(DesignError) as caught:
        design_from_params(kind, params)  # type: ignore[arg-type]
    assert caught.value.parameter == parameter
    assert message in caught.value.message


# ---------------------------------------------------------------- CSV


def test_read_cohorts_resolves_level_names(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_text(
        "\ufeffdose_level,patients,dlts,comment\nDL1,3,0,first\n\nDL2, 3 ,1,\n", encoding="utf-8"
    )
    cohorts = read_cohorts(path, LEVELS)
    assert cohorts == [Cohort(0, 3, 0), Cohort(1, 3, 1)]
    assert [c.line for c in cohorts] == [2, 4]


def test_read_cohorts_from_a_stream_in_any_column_order() -> None:
    cohorts = read_cohorts(io.StringIO("dlts,dose_level,patients\n1,DL3,3\n"), LEVELS)
    assert cohorts == [Cohort(2, 3, 1)]


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        ("", 1, "the file is empty"),
        ("level,patients,dlts\n", 1, "missing dose_level"),
        ("dose_level,patients,dlts\nDL1,3,0\nDL6,3,0\n", 3, "unknown dose level 'DL6'"),
        ("dose_level,patients,dlts\ndl1,3,0\n", 2, "(did you mean 'DL1'?)"),
        ("dose_level,patients,dlts\nDL1,three,0\n", 2, "patients must be a whole number"),
        ("dose_level,patients,dlts\nDL1,3,-1\n", 2, "dlts cannot be negative"),
        ("dose_level,patients,dlts\nDL1,3,4\n", 2, "4 DLTs among 3 patients"),
        ("dose_level,patients,dlts\nDL1,0,0\n", 2, "at least one patient"),
        ("dose_level,patients,dlts\nDL1,3\n", 2, "2 values, but the header has 3 columns"),
    ],
)
def test_csv_errors_name_the_line(text: str, row: int, message: str) -> None:
    with pytest.raises(EscalationInputError) as caught:
        read_cohorts(io.StringIO(text), LEVELS)
    assert caught.value.row == row
    assert str(caught.value).startswith(f"line {row}: ")
    assert message in str(caught.value)


def test_decide_reports_the_csv_line_of_a_bad_cohort() -> None:
    text = "dose_level,patients,dlts\nDL1,3,0\nDL2,3,3\nDL2,3,0\n"
    cohorts = read_cohorts(io.StringIO(text), LEVELS)
    with pytest.raises(EscalationInputError) as caught:
        decide(Boin(0.3), 5, cohorts)
    assert caught.value.row == 4
    assert str(caught.value).startswith("cohort 3 (line 4): DL2 was eliminated after cohort 2")


def test_three_plus_three_honours_the_start_level() -> None:
    """A 3+3 trial may start above the lowest level, as BOIN may: the start is not ignored."""
    design = design_from_params("three_plus_three", {"start_level": 1})
    assert isinstance(design, ThreePlusThree) and design.start_level == 1
    decision = decide(design, 5, [])
    assert (decision.action, decision.next_level) == ("start", 1)
    from generators.escalation import simulate

    result = simulate(design, [0.0, 0.0, 0.9, 0.9, 0.9], n_trials=50, seed=3)
    assert int(result.patients[:, 0].sum()) == 0  # nobody is treated below the start
    assert int(result.patients[:, 1].min()) >= 3  # every trial treats its first cohort at DL2


def test_three_plus_three_start_level_must_be_a_level_index() -> None:
    with pytest.raises(DesignError, match="start_level"):
        ThreePlusThree(start_level=-1)
