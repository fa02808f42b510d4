"""What a sample-size statement means: the number of participants its assumptions imply.

A `sample_size METHOD { … }` block of the statistics section states the
assumptions of a calculation; this module owns the methods, their parameters
(with the ranges a check enforces) and the formulas.  Every formula is a
normal approximation whose quantiles come from the standard library's
`statistics.NormalDist`, and each result names the formula it used, so a
reader can redo the calculation by hand:

* ``two_proportions``: two independent proportions, the formula of Fleiss
  (1981, *Statistical Methods for Rates and Proportions*, 2nd ed., ch. 3) for
  an allocation ratio k = n2/n1 (Fleiss, Tytun and Ury 1980)::

      n1 = [z(α) √((1 + 1/k) p̄ q̄) + z(β) √(p1 q1 + p2 q2 / k)]² / (p2 − p1)²
      p̄ = (p1 + k p2) / (1 + k)

  and, with ``continuity_correction yes``, Fleiss, Tytun and Ury's
  approximation of the Casagrande, Pike and Smith (1978) corrected size::

      n1' = n1 / 4 · [1 + √(1 + 2 (k + 1) / (k n1 |p2 − p1|))]²

* ``two_means``: two independent means with a common standard deviation σ
  (a z test: no t correction, so slightly smaller than a t-test size for
  small groups)::

      n1 = (z(α) + z(β))² σ² (1 + 1/k) / δ²

z(α) is the standard normal quantile at 1 − α/2 for a two-sided test (1 − α
one-sided), z(β) at the power.  Each group's size is rounded up, then
inflated for dropout: n / (1 − dropout), rounded up.  With more than two
groups (``groups``, else the trial's arms), the control group has n1 and
every other group n2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs

ParameterKind = Literal["probability", "positive", "number", "sides", "count", "yes_no", "dropout"]


@attrs.frozen
class Parameter:
    """A parameter of a method: its name, meaning, kind of value and default (None: required)."""

    name: str
    meaning: str
    kind: ParameterKind
    default: Decimal | bool | None = None


#: What each kind of parameter allows, in words (for messages and the reference).
ALLOWED: dict[ParameterKind, str] = {
    "probability": "a number strictly between 0 and 1",
    "positive": "a number greater than 0",
    "number": "a number other than 0",
    "sides": "1 or 2",
    "count": "a whole number of at least 2",
    "yes_no": "yes or no",
    "dropout": "a number from 0 up to (not including) 1",
}

_COMMON = (
    Parameter("alpha", "significance level (type I error)", "probability"),
    Parameter("power", "power (1 − type II error)", "probability"),
    Parameter("sided", "a one- or two-sided test", "sides", Decimal(2)),
    Parameter(
        "ratio", "allocation ratio k = n2/n1 (experimental to control)", "positive", Decimal(1)
    ),
    Parameter("dropout", "proportion expected to drop out", "dropout", Decimal(0)),
    Parameter("groups", "number of groups randomised (default: the trial's arms)", "count"),
)


@attrs.frozen
class Method:
    name: str
    title: str
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter | None:
        for p in self.parameters:
            if p.name == name:
                return p
        return None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters if p.default is None and p.name != "groups")


METHODS: dict[str, Method] = {
    "two_proportions": Method(
        "two_proportions",
        "comparison of two independent proportions",
        (
            *_COMMON,
            Parameter("p1", "proportion expected in the control group", "probability"),
            Parameter("p2", "proportion expected in the experimental group", "probability"),
            Parameter("continuity_correction", "apply the continuity correction", "yes_no", False),
        ),
    ),
    "two_means": Method(
        "two_means",
        "comparison of two independent means",
        (
            *_COMMON,
            Parameter("difference", "difference in means to detect (δ)", "number"),
            Parameter("sd", "common standard deviation (σ)", "positive"),
        ),
    ),
}


@attrs.frozen
class SampleSizeResult:
    """A recomputed sample size: per group before and after dropout, and the total."""

    method: str
    formula: str
    exact: float  # n1 before rounding
    control: int  # n1, rounded up
    experimental: int  # n2, rounded up
    groups: int
    dropout: Fraction
    control_enrolled: int  # after dropout inflation
    experimental_enrolled: int

    @property
    def total(self) -> int:
        """Participants to enrol: the control group and every other group, after dropout."""
        return self.control_enrolled + (self.groups - 1) * self.experimental_enrolled

    @property
    def per_group(self) -> str:
        """The size of each group in words ("99 per group", "60 control and 120 experimental")."""
        if self.control == self.experimental:
            return f"{self.control} per group"
        return f"{self.control} control and {self.experimental} in each other group"

    def describe(self) -> str:
        """The whole result in one sentence, with the formula's name."""
        text = f"{self.formula}: n = {self.per_group}"
        if self.dropout:
            percent = _percent(self.dropout)
            if self.control_enrolled == self.experimental_enrolled:
                enrolled = f"{self.control_enrolled} per group"
            else:
                enrolled = (
                    f"{self.control_enrolled} control and {self.experimental_enrolled} "
                    "in each other group"
                )
            text += f", {enrolled} with {percent} dropout"
        return f"{text}; {self.total} in total over {self.groups} groups"


def _percent(value: Fraction) -> str:
    text = format(Decimal(value.numerator) / Decimal(value.denominator) * 100, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def formula_name(method: str, *, continuity_correction: bool = False) -> str:
    """The name of the formula a method uses, as messages and documents cite it."""
    if method == "two_proportions":
        if continuity_correction:
            return (
                "normal approximation for two independent proportions with the continuity "
                "correction (Casagrande, Pike and Smith 1978, as approximated by Fleiss, "
                "Tytun and Ury 1980)"
            )
        return (
            "normal approximation for two independent proportions "
            "(Fleiss 1981, without continuity correction)"
        )
    return "normal approximation for two independent means (z test, no t correction)"


def _round_up(value: float) -> int:
    """Rounded up, ignoring a floating-point excess far below one participant (62.0000000001)."""
    return math.ceil(round(value, 9))


def compute(
    method: str, values: Mapping[str, Decimal | bool], *, default_groups: int = 2
) -> SampleSizeResult:
    """The sample size `values` imply; the values must be valid (the checks see to that).

    Raises `ValueError` for an unknown method, a missing or out-of-range value.
    """
    spec = METHODS.get(method)
    if spec is None:
        raise ValueError(f"unknown sample-size method {method!r}")
    given: dict[str, Decimal | bool] = {}
    for p in spec.parameters:
        value = values.get(p.name, p.default)
        if value is None and p.name != "groups":
            raise ValueError(f"missing {p.name}")
        if value is not None:
            given[p.name] = value
            if not valid(p.kind, value):
                raise ValueError(f"{p.name} must be {ALLOWED[p.kind]}")
    alpha = float(given["alpha"])
    power = float(given["power"])
    sided = int(given["sided"])
    k = float(given["ratio"])
    dropout = Fraction(str(given["dropout"]))
    groups = int(given.get("groups", max(default_groups, 2)))
    from statistics import NormalDist  # only a sample size to compute needs it

    normal = NormalDist()
    z_alpha = normal.inv_cdf(1 - alpha / sided)
    z_beta = normal.inv_cdf(power)
    correction = False
    if method == "two_proportions":
        p1, p2 = float(given["p1"]), float(given["p2"])
        if p1 == p2:
            raise ValueError("p1 and p2 are equal: there is no difference to detect")
        delta = abs(p2 - p1)
        p_bar = (p1 + k * p2) / (1 + k)
        root = z_alpha * math.sqrt((1 + 1 / k) * p_bar * (1 - p_bar)) + z_beta * math.sqrt(
            p1 * (1 - p1) + p2 * (1 - p2) / k
        )
        n1 = root**2 / delta**2
        correction = bool(given["continuity_correction"])
        if correction:
            n1 = n1 / 4 * (1 + math.sqrt(1 + 2 * (k + 1) / (k * n1 * delta))) ** 2
    else:
        delta = abs(float(given["difference"]))
        sd = float(given["sd"])
        n1 = (z_alpha + z_beta) ** 2 * sd**2 * (1 + 1 / k) / delta**2
    control = _round_up(n1)
    experimental = _round_up(n1 * k)
    return SampleSizeResult(
        method,
        formula_name(method, continuity_correction=correction),
        n1,
        control,
        experimental,
        groups,
        dropout,
        _inflate(control, dropout),
        _inflate(experimental, dropout),
    )


def _inflate(n: int, dropout: Fraction) -> int:
    """n / (1 − dropout), rounded up; exact (fractions), so 90 / 0.9 is 100, not 101."""
    return math.ceil(Fraction(n) / (1 - dropout))


def valid(kind: ParameterKind, value: Decimal | bool) -> bool:
    """Whether `value` is allowed for a parameter of `kind` (see `ALLOWED`)."""
    if kind == "yes_no":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "probability":
        return 0 < value < 1
    if kind == "positive":
        return value > 0
    if kind == "number":
        return value != 0
    if kind == "sides":
        return value in (1, 2)
    if kind == "count":
        return value >= 2 and value == value.to_integral_value()
    return 0 <= value < 1  # dropout
