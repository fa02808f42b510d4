"""simulate(): reproducibility, the summary's arithmetic, certain outcomes in
degenerate scenarios, the progress callback, input errors, and a PNG that is
byte-identical between runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generators.escalation import (
    Boin,
    Crm,
    EscalationInputError,
    Mtpi2,
    ThreePlusThree,
    plot_oc,
    simulate,
)

RATES = [0.05, 0.10, 0.20, 0.30, 0.50]
DESIGNS = [
    Boin(0.3),
    Boin(0.3, max_per_dose=9, extrasafe=True),
    Mtpi2(0.3),
    ThreePlusThree(),
    ThreePlusThree("expand", True),
    Crm(0.3, (0.05, 0.12, 0.2, 0.3, 0.42), n_cohorts=6),
]


@pytest.mark.parametrize("design", DESIGNS, ids=repr)
def test_same_seed_same_trials(design: object) -> None:
    first = simulate(design, RATES, n_trials=2000, seed=42)  # type: ignore[arg-type]
    second = simulate(design, RATES, n_trials=2000, seed=42)  # type: ignore[arg-type]
    other = simulate(design, RATES, n_trials=2000, seed=43)  # type: ignore[arg-type]
    assert np.array_equal(first.selected, second.selected)
    assert np.array_equal(first.patients, second.patients)
    assert np.array_equal(first.dlts, second.dlts)
    assert not np.array_equal(first.patients, other.patients)


@pytest.mark.parametrize("design", DESIGNS, ids=repr)
def test_summary_adds_up(design: object) -> None:
    result = simulate(design, RATES, n_trials=3000, seed=1, target=0.3)  # type: ignore[arg-type]
    assert sum(result.selection_percent) + result.stop_percent == pytest.approx(100.0)
    assert sum(result.mean_patients) == pytest.approx(result.mean_sample_size)
    assert sum(result.mean_dlts) == pytest.approx(result.mean_total_dlts)
    assert np.all(result.dlts <= result.patients)
    maximum = design.max_sample_size(len(RATES))  # type: ignore[attr-defined]
    assert result.patients.sum(axis=1).max() <= maximum
    assert result.true_mtd == 3
    assert result.percent_correct_selection == result.selection_percent[3]
    above = result.patients[:, 4].sum() / result.patients.sum() * 100
    assert result.percent_patients_above_mtd == pytest.approx(above)


def test_certain_outcomes() -> None:
    safe = simulate(Boin(0.3), [0.0] * 4, n_trials=500, seed=0)
    assert safe.selection_percent == (0.0, 0.0, 0.0, 100.0)
    assert safe.mean_patients == (3.0, 3.0, 3.0, 21.0)
    toxic = simulate(Boin(0.3), [1.0] * 4, n_trials=500, seed=0)
    assert toxic.stop_percent == 100.0
    assert toxic.mean_sample_size == 3.0
    classic = simulate(ThreePlusThree(), [0.0, 0.0, 1.0], n_trials=500, seed=0)
    assert classic.selection_percent == (0.0, 100.0, 0.0)
    assert classic.mean_sample_size == 9.0


def test_cap_shortens_trials() -> None:
    capped = simulate(Boin(0.3, max_per_dose=6), [0.3] * 3, n_trials=4000, seed=5)
    uncapped = simulate(Boin(0.3), [0.3] * 3, n_trials=4000, seed=5)
    assert capped.mean_sample_size < uncapped.mean_sample_size


def test_three_plus_three_has_no_target_unless_given() -> None:
    result = simulate(ThreePlusThree(), RATES, n_trials=100, seed=0)
    assert result.true_mtd is None
    assert result.percent_patients_above_mtd is None
    assert "true MTD" not in result.render()


def test_progress_reports_every_cohort() -> None:
    calls: list[tuple[int, int]] = []
    simulate(
        Boin(0.3, n_cohorts=4), RATES, n_trials=100, seed=0, progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    early: list[tuple[int, int]] = []
    simulate(Boin(0.3), [1.0] * 3, n_trials=10, seed=0, progress=lambda *a: early.append(a))
    assert early == [(1, 10), (10, 10)]


def test_render_lists_the_operating_characteristics() -> None:
    text = simulate(Boin(0.3), RATES, n_trials=1000, seed=3).render(["a", "b", "c", "d", "e"])
    assert text.startswith("BOIN operating characteristics: 1000 simulated trials, seed 3")
    assert "% selected as MTD" in text
    assert "true MTD: d" in text


@pytest.mark.parametrize(
    ("rates", "kwargs", "message"),
    [
        ([0.1, 1.5], {}, "true DLT rate 2 is 1.5"),
        ([], {}, "one true DLT rate per dose level"),
        ([0.1, 0.2], {"n_trials": 0}, "at least 1"),
        ([0.1, 0.2], {"seed": -1}, "seed"),
    ],
)
def test_bad_input(rates: list[float], kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(EscalationInputError, match=message):
        simulate(Boin(0.3), rates, **kwargs)


def test_plot_is_byte_identical_between_runs(tmp_path: Path) -> None:
    result = simulate(Boin(0.3), RATES, n_trials=1000, seed=9)
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    plot_oc(result, first)
    plot_oc(result, second, level_names=None)
    data = first.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data == second.read_bytes()
    assert b"Software" not in data
