"""The sample-size formulas against published worked examples, and their invariants.

Published examples (each compared to the rounding it is published with):

* Chow, Shao and Wang, *Sample Size Calculations in Clinical Research*, 2nd
  ed. (2008), chapter 3 (comparing means), the example of the two-sample
  parallel design, test for equality:
  α = 0.05 two-sided, power 80%, clinically meaningful difference 0.05,
  standard deviation 0.10: n = (1.96 + 0.84)² · 2 · 0.1² / 0.05² ≈ 62.72,
  so 63 per group.
* R's `stats::power.prop.test(p1 = .50, p2 = .75, power = .90)` (the example
  of its help page, the same normal approximation as Fleiss 1981 without
  continuity correction): n = 76.7 per group.
* The CDISC pilot protocol (H2Q-MC-LZZT): "approximately 100 patients" per
  group give "90% power to detect a 3.0 mean treatment difference in
  ADAS-Cog (p < .05, two-sided), based on a standard deviation of 6.5" and
  "80% power to detect a 0.36 mean treatment difference in CIBIC+ ... based on
  a standard deviation of 0.9": both need at most 100 per group.
"""

from __future__ import annotations

import math
from decimal import Decimal
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.semantics.sample_size import compute

D = Decimal


def test_chow_shao_wang_two_sample_means() -> None:
    result = compute(
        "two_means",
        {"alpha": D("0.05"), "power": D("0.8"), "difference": D("0.05"), "sd": D("0.1")},
    )
    assert round(result.exact, 1) == pytest.approx(62.8, abs=0.1)  # 62.72 with z rounded to 0.84
    assert result.control == result.experimental == 63
    assert "normal approximation for two independent means" in result.formula


def test_r_power_prop_test_example() -> None:
    result = compute(
        "two_proportions", {"alpha": D("0.05"), "power": D("0.9"), "p1": D("0.5"), "p2": D("0.75")}
    )
    assert round(result.exact, 1) == 76.7
    assert result.control == 77
    assert result.formula == (
        "normal approximation for two independent proportions "
        "(Fleiss 1981, without continuity correction)"
    )


@pytest.mark.parametrize(
    "power,difference,sd", [(D("0.9"), D("3.0"), D("6.5")), (D("0.8"), D("0.36"), D("0.9"))]
)
def test_cdisc_pilot_protocol_statement(power: Decimal, difference: Decimal, sd: Decimal) -> None:
    result = compute(
        "two_means",
        {"alpha": D("0.05"), "power": power, "difference": difference, "sd": sd},
        default_groups=3,
    )
    assert 95 <= result.control <= 100  # "approximately 100 patients" per group
    assert result.total == 3 * result.control


def test_the_pilot_spec_recomputes_its_enrolment_without_a_warning() -> None:
    result = compile_spec("specs/cdiscpilot01.trial")
    codes = {d.code for d in result.diagnostics}
    assert not codes & {"W1043", "W1044", "W1045"}


def test_the_warning_shows_both_numbers_and_the_formula() -> None:
    result = compile_spec("tests/checks/cases/sample_size.trial")
    (warning,) = [d for d in result.diagnostics if d.code == "W1043"]
    assert warning.message.startswith(
        "the planned enrolment is 100, but the sample-size assumptions need 126: "
        "normal approximation for two independent means (z test, no t correction): "
        "n = 63 per group; 126 in total over 2 groups"
    )


def test_continuity_correction_of_fleiss_tytun_ury() -> None:
    """n' = n/4 (1 + √(1 + 4/(n Δ)))² for equal groups, which adds about 2/Δ."""
    plain = compute(
        "two_proportions", {"alpha": D("0.05"), "power": D("0.8"), "p1": D("0.25"), "p2": D("0.4")}
    )
    corrected = compute(
        "two_proportions",
        {
            "alpha": D("0.05"),
            "power": D("0.8"),
            "p1": D("0.25"),
            "p2": D("0.4"),
            "continuity_correction": True,
        },
    )
    n, delta = plain.exact, 0.15
    assert corrected.exact == pytest.approx(n / 4 * (1 + math.sqrt(1 + 4 / (n * delta))) ** 2)
    assert corrected.exact - n == pytest.approx(2 / delta, rel=0.1)
    assert (plain.control, corrected.control) == (152, 165)
    assert "continuity correction" in corrected.formula


def test_dropout_inflation_is_exact() -> None:
    """90 / (1 − 0.1) is 100, not 101 (no floating-point excess)."""
    result = compute(
        "two_means",
        {
            "alpha": D("0.05"),
            "power": D("0.8"),
            "difference": D("1"),
            "sd": D("2.392"),
            "dropout": D("0.1"),
        },
    )
    assert result.control_enrolled == math.ceil(result.control / 0.9 - 1e-9)
    assert "with 10% dropout" in result.describe()


def test_allocation_ratio_and_groups() -> None:
    values = {
        "alpha": D("0.05"),
        "power": D("0.8"),
        "difference": D("1"),
        "sd": D("2"),
        "ratio": D("2"),
    }
    result = compute("two_means", values, default_groups=3)
    z = NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.8)
    assert result.exact == pytest.approx(z**2 * 4 * 1.5)
    assert result.experimental == math.ceil(2 * result.exact)
    assert result.total == result.control + 2 * result.experimental


_probabilities = st.decimals(min_value=D("0.01"), max_value=D("0.99"), places=2)


@given(
    p1=_probabilities,
    p2=_probabilities,
    alpha=st.sampled_from([D("0.01"), D("0.05"), D("0.1")]),
    low=st.decimals(min_value=D("0.5"), max_value=D("0.89"), places=2),
    dropout=st.decimals(min_value=D("0"), max_value=D("0.5"), places=2),
)
def test_more_power_never_needs_fewer_participants(
    p1: Decimal, p2: Decimal, alpha: Decimal, low: Decimal, dropout: Decimal
) -> None:
    if p1 == p2:
        return
    common = {"alpha": alpha, "p1": p1, "p2": p2, "dropout": dropout}
    weaker = compute("two_proportions", {**common, "power": low})
    stronger = compute("two_proportions", {**common, "power": low + D("0.1")})
    assert stronger.total >= weaker.total
    assert weaker.control_enrolled >= weaker.control
    corrected = compute("two_proportions", {**common, "power": low, "continuity_correction": True})
    assert corrected.control >= weaker.control


@given(
    difference=st.decimals(min_value=D("0.1"), max_value=D("10"), places=2),
    sd=st.decimals(min_value=D("0.1"), max_value=D("10"), places=2),
)
def test_the_sign_of_the_difference_does_not_matter(difference: Decimal, sd: Decimal) -> None:
    common = {"alpha": D("0.05"), "power": D("0.8"), "sd": sd}
    up = compute("two_means", {**common, "difference": difference})
    down = compute("two_means", {**common, "difference": -difference})
    assert up == down


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="power"):
        compute(
            "two_means", {"alpha": D("0.05"), "power": D("1"), "difference": D("1"), "sd": D("1")}
        )
    with pytest.raises(ValueError, match="unknown"):
        compute("three_means", {})


@pytest.mark.parametrize(
    ("ratio", "published", "n1", "n2"), [("1", 127.2343, 128, 128), ("3", 83.1527, 84, 250)]
)
def test_zar_example_24_26_with_continuity_correction(
    ratio: str, published: float, n1: int, n2: int
) -> None:
    """Zar, J. H. (1999), *Biostatistical Analysis*, 4th ed., Prentice Hall, Example 24.26,
    p. 561: the sample size to detect proportions 0.45 and 0.25 with 90% power at
    α = 0.05 two-sided, by the normal approximation with the continuity correction of
    Casagrande, Pike and Smith as approximated by Fleiss, Tytun and Ury (1980).
    Published to four decimals: n1 = 127.2343 for equal groups, and n1 = 83.1527 with
    n2/n1 = 3 (n2 = 3 × 83.1527 = 249.4581), as the UNISTAT guide reproduces the example
    ("Sample Size and Power: Two Proportions")."""
    result = compute(
        "two_proportions",
        {
            "alpha": D("0.05"),
            "power": D("0.9"),
            "p1": D("0.45"),
            "p2": D("0.25"),
            "ratio": D(ratio),
            "continuity_correction": True,
        },
    )
    assert round(result.exact, 4) == published
    assert (result.control, result.experimental) == (n1, n2)
    assert result.formula == (
        "normal approximation for two independent proportions with the continuity "
        "correction (Casagrande, Pike and Smith 1978, as approximated by Fleiss, Tytun and Ury 1980)"
    )
