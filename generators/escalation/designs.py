"""Dose-escalation designs as plain typed parameters.

This module owns what a design *is*: the four parameter classes (3+3, BOIN,
mTPI-2, CRM), their validation in plain words, `design_from_params` (the
entry point the spec checker uses), and `Step`, the shape every design's rule
returns when it is applied to a batch of trials at once.  It knows nothing
about the spec model and nothing about how decisions are computed.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Literal, NamedTuple, TypeAlias

import attrs
import numpy as np

from protocol_dsl import designs
from protocol_dsl.errors import UserError


class DesignError(UserError, ValueError):
    """A design parameter that cannot work, explained in plain words.

    `parameter` names the offending parameter (or "kind" for an unknown
    design) so the spec checker can point at the right field.
    """

    def __init__(self, message: str, parameter: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


def _check_target(target: float) -> None:
    # Above 0.5 the interval designs' boundaries stop making sense, and no
    # phase 1 trial accepts a coin-flip DLT rate.
    if not 0.0 < target < 0.5:
        raise DesignError(
            f"target is the acceptable DLT rate and must lie strictly between 0 and 0.5; "
            f"got {target:g}",
            "target",
        )


def _check_count(value: int, name: str, what: str, minimum: int = 1) -> None:
    if value < minimum:
        raise DesignError(f"{name} ({what}) must be at least {minimum}; got {value}", name)


def _check_elimination_cutoff(cutoff: float) -> None:
    # Below 0.5 a dose could be eliminated while its DLT rate is more likely
    # below the target than above it.
    if not 0.5 <= cutoff < 1.0:
        raise DesignError(
            "elimination_cutoff is the posterior probability that the DLT rate exceeds the "
            f"target above which a dose is eliminated; it must be in [0.5, 1), usually 0.95; "
            f"got {cutoff:g}",
            "elimination_cutoff",
        )


def _check_optional_cap(max_per_dose: int | None, cohort_size: int) -> None:
    if max_per_dose is not None and max_per_dose < cohort_size:
        raise DesignError(
            f"max_per_dose (patients at one level that stop the trial when the decision is to "
            f"stay) must be at least the cohort size {cohort_size}; got {max_per_dose}",
            "max_per_dose",
        )


def _check_interval_limits(design: Boin | Mtpi2) -> None:
    """The limits BOIN and mTPI-2 share: cohorts, the cap per level, the elimination cutoff."""
    _check_count(design.cohort_size, "cohort_size", "patients per cohort")
    _check_count(design.n_cohorts, "n_cohorts", "number of cohorts")
    _check_optional_cap(design.max_per_dose, design.cohort_size)
    _check_elimination_cutoff(design.elimination_cutoff)


class _Design:
    """What every design answers from its catalogue entry (`protocol_dsl.designs`)."""

    __slots__ = ()
    entry: ClassVar[designs.Design]

    @property
    def name(self) -> str:
        return self.entry.name


class _FixedCohorts(_Design):
    """A design that treats a fixed number of cohorts of a fixed size (BOIN, mTPI-2, CRM)."""

    __slots__ = ()
    cohort_size: int
    n_cohorts: int

    def max_sample_size(self, n_levels: int) -> int:
        return self.n_cohorts * self.cohort_size


@attrs.frozen
class ThreePlusThree(_Design):
    """The 3+3 rule-based design (Storer 1989).

    `mtd_rule`:
      - "previous": when a level shows ≥2 DLTs the trial stops and the next
        lower level is the MTD, however many patients it had.
      - "expand": the MTD must be confirmed on 6 patients with ≤1 DLT.  The
        level below a toxic level is expanded to 6 if it had only 3, and a
        cleared top level is confirmed on 6.
    `allow_deescalation` (only with "expand"): when the expanded level also
    shows ≥2/6, carry on one level further down, expanding again as needed
    (Lin & Shih 2001, "with de-escalation").  Without it the trial stops there
    and the MTD is the level below only if it already has 6 patients with ≤1 DLT.
    """

    entry: ClassVar[designs.Design] = designs.THREE_PLUS_THREE

    mtd_rule: Literal["previous", "expand"] = "previous"
    allow_deescalation: bool = False
    #: the level index the first cohort is treated at (a protocol may start above the lowest)
    start_level: int = 0

    def __attrs_post_init__(self) -> None:
        _check_count(self.start_level, "start_level", "index of the first level", minimum=0)
        if self.mtd_rule not in ("previous", "expand"):
            raise DesignError(
                f"mtd_rule must be 'previous' or 'expand'; got {self.mtd_rule!r}", "mtd_rule"
            )
        if self.allow_deescalation and self.mtd_rule == "previous":
            raise DesignError(
                "allow_deescalation needs mtd_rule 'expand': with the 'previous' rule the trial "
                "stops at the first level with 2 or more DLTs and treats nobody below it",
                "allow_deescalation",
            )

    @property
    def cohort_size(self) -> int:
        return 3

    def max_sample_size(self, n_levels: int) -> int:
        # At most two cohorts of three at any level.
        return 6 * n_levels


def _default_phi1(design: Boin) -> float:
    return 0.6 * design.target


def _default_phi2(design: Boin) -> float:
    return 1.4 * design.target


@attrs.frozen
class Boin(_FixedCohorts):
    """Bayesian optimal interval design (Liu & Yuan 2015; Yuan et al. 2016).

    `phi1`/`phi2` are the highest rate deemed sub-therapeutic and the lowest
    deemed overly toxic (defaults 0.6 and 1.4 times the target).
    `max_per_dose` is the R package's `n.earlystop`: the trial stops once the
    current level has that many patients and the decision is to stay.
    `extrasafe` adds the package's stricter stopping rule at the lowest level
    (cutoff lowered by `extrasafe_offset`).
    """

    entry: ClassVar[designs.Design] = designs.BOIN

    target: float
    cohort_size: int = designs.DEFAULT_COHORT_SIZE
    n_cohorts: int = designs.DEFAULT_COHORTS
    phi1: float = attrs.field(default=attrs.Factory(_default_phi1, takes_self=True))
    phi2: float = attrs.field(default=attrs.Factory(_default_phi2, takes_self=True))
    max_per_dose: int | None = None
    elimination_cutoff: float = 0.95
    extrasafe: bool = False
    extrasafe_offset: float = 0.05
    start_level: int = 0

    def __attrs_post_init__(self) -> None:
        _check_target(self.target)
        # An explicit None also means "the default", as in design_from_params.
        if self.phi1 is None:
            object.__setattr__(self, "phi1", _default_phi1(self))
        if self.phi2 is None:
            object.__setattr__(self, "phi2", _default_phi2(self))
        if not 0.0 < self.phi1 < self.target:
            raise DesignError(
                f"phi1 (the highest DLT rate that is clearly too low) must lie between 0 and the "
                f"target {self.target:g}; got {self.phi1:g}",
                "phi1",
            )
        if not self.target < self.phi2 < 1.0:
            raise DesignError(
                f"phi2 (the lowest DLT rate that is clearly too high) must lie between the "
                f"target {self.target:g} and 1; got {self.phi2:g}",
                "phi2",
            )
        _check_interval_limits(self)
        if not 0.0 < self.extrasafe_offset < self.elimination_cutoff - 0.5:
            raise DesignError(
                "extrasafe_offset lowers the elimination cutoff for the stopping rule at the "
                f"lowest level; it must lie between 0 and {self.elimination_cutoff - 0.5:g}; "
                f"got {self.extrasafe_offset:g}",
                "extrasafe_offset",
            )
        _check_count(self.start_level, "start_level", "index of the first level", minimum=0)


@attrs.frozen
class Mtpi2(_FixedCohorts):
    """Modified toxicity probability interval design, mTPI-2 (Guo et al. 2017).

    The equivalence interval is [target − eps1, target + eps2]; elimination
    and MTD selection are BOIN's.
    """

    entry: ClassVar[designs.Design] = designs.MTPI2

    target: float
    eps1: float = 0.05
    eps2: float = 0.05
    cohort_size: int = designs.DEFAULT_COHORT_SIZE
    n_cohorts: int = designs.DEFAULT_COHORTS
    max_per_dose: int | None = None
    elimination_cutoff: float = 0.95
    start_level: int = 0

    def __attrs_post_init__(self) -> None:
        _check_target(self.target)
        if not 0.0 < self.eps1 < self.target:
            raise DesignError(
                f"eps1 (how far below the target the equivalence interval reaches) must lie "
                f"between 0 and the target {self.target:g}; got {self.eps1:g}",
                "eps1",
            )
        if not 0.0 < self.eps2 < 1.0 - self.target:
            raise DesignError(
                f"eps2 (how far above the target the equivalence interval reaches) must lie "
                f"between 0 and {1.0 - self.target:g}; got {self.eps2:g}",
                "eps2",
            )
        _check_interval_limits(self)
        _check_count(self.start_level, "start_level", "index of the first level", minimum=0)


@attrs.frozen
class Crm(_FixedCohorts):
    """Continual reassessment method (O'Quigley 1990), parametrised as in R `dfcrm`.

    Empiric model p_k = s_k ** exp(β); logistic model
    logit p_k = intercept + exp(β) · x_k with x_k = logit(s_k) − intercept, so
    that β = 0 reproduces the skeleton in both.  β ~ N(0, prior_sd²).
    `restrict` forbids skipping an untried level when escalating (at most one
    level above the current one) and escalating right after a cohort with a DLT.
    """

    entry: ClassVar[designs.Design] = designs.CRM

    target: float
    skeleton: tuple[float, ...] = attrs.field(converter=tuple)
    model: Literal["empiric", "logistic"] = "empiric"
    prior_sd: float = math.sqrt(1.34)
    intercept: float = 3.0
    cohort_size: int = designs.DEFAULT_COHORT_SIZE
    n_cohorts: int = designs.DEFAULT_COHORTS
    start_level: int = 0
    restrict: bool = True

    def __attrs_post_init__(self) -> None:
        _check_target(self.target)
        if len(self.skeleton) < 2:
            raise DesignError(
                "skeleton needs one prior DLT-rate guess per dose level, at least two",
                "skeleton",
            )
        if any(not 0.0 < s < 1.0 for s in self.skeleton):
            raise DesignError(
                "every skeleton value is a prior DLT-rate guess and must lie strictly between "
                f"0 and 1; got {', '.join(f'{s:g}' for s in self.skeleton)}",
                "skeleton",
            )
        if any(b <= a for a, b in zip(self.skeleton, self.skeleton[1:], strict=False)):
            raise DesignError(
                "skeleton values must increase strictly from the lowest level to the highest; "
                f"got {', '.join(f'{s:g}' for s in self.skeleton)}",
                "skeleton",
            )
        if self.model not in ("empiric", "logistic"):
            raise DesignError(f"model must be 'empiric' or 'logistic'; got {self.model!r}", "model")
        if not self.prior_sd > 0.0:
            raise DesignError(
                f"prior_sd (standard deviation of the prior on β) must be positive; "
                f"got {self.prior_sd:g}",
                "prior_sd",
            )
        if not math.isfinite(self.intercept):
            raise DesignError("intercept must be a finite number", "intercept")
        _check_count(self.cohort_size, "cohort_size", "patients per cohort")
        _check_count(self.n_cohorts, "n_cohorts", "number of cohorts")
        if not 0 <= self.start_level < len(self.skeleton):
            raise DesignError(
                f"start_level must index one of the {len(self.skeleton)} skeleton levels "
                f"(0 to {len(self.skeleton) - 1}); got {self.start_level}",
                "start_level",
            )


Design: TypeAlias = ThreePlusThree | Boin | Mtpi2 | Crm
IntervalDesign: TypeAlias = Boin | Mtpi2


class Step(NamedTuple):
    """The outcome of a design's rule after one cohort, for a batch of trials.

    Every field is an array with one entry per trial.  `next_level` is
    meaningless where `ended`; `eliminated_from` is the lowest eliminated
    level (the number of levels when none is); `reason` is a design-specific
    code (an IntEnum in the design's module) that says which rule fired.
    """

    next_level: np.ndarray
    ended: np.ndarray
    eliminated_from: np.ndarray
    reason: np.ndarray


class AfterCohort(NamedTuple):
    """What a design's rule reads after one cohort, for a batch of trials (a row each)."""

    level: np.ndarray  # the level the cohort was treated at
    patients: np.ndarray  # patients treated so far, trials × levels
    dlts: np.ndarray  # DLTs seen so far, trials × levels
    eliminated_from: np.ndarray  # the lowest eliminated level (the number of levels: none)
    cohort_dlts: np.ndarray  # DLTs in this cohort


# ---------------------------------------------------------------- design_from_params

ParamValue: TypeAlias = float | int | str | bool | Decimal | Sequence[float | int | Decimal] | None
_Coerce: TypeAlias = Callable[[str, Any], Any]


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise DesignError(f"{name} must be a number; got {value!r}", name)
    result = float(value)
    if not math.isfinite(result):
        raise DesignError(f"{name} must be a finite number; got {value!r}", name)
    return result


def _whole(name: str, value: Any) -> int:
    number = _number(name, value)
    if not number.is_integer():
        raise DesignError(f"{name} must be a whole number; got {value!r}", name)
    return int(number)


def _optional_whole(name: str, value: Any) -> int | None:
    return None if value is None else _whole(name, value)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    words = {"yes": True, "true": True, "no": False, "false": False}
    if isinstance(value, str) and value.lower() in words:
        return words[value.lower()]
    raise DesignError(f"{name} must be yes or no; got {value!r}", name)


def _word(*choices: str) -> _Coerce:
    def coerce(name: str, value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            options = " or ".join(repr(c) for c in choices)
            raise DesignError(f"{name} must be {options}; got {value!r}", name)
        return value

    return coerce


def _numbers(name: str, value: Any) -> tuple[float, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise DesignError(f"{name} must be a list of numbers; got {value!r}", name)
    return tuple(_number(name, v) for v in value)


_COERCE: dict[designs.ValueKind, _Coerce] = {
    "number": _number,
    "whole": _whole,
    "optional_whole": _optional_whole,
    "flag": _flag,
    "numbers": _numbers,
}


def _coercer(parameter: designs.Parameter) -> _Coerce:
    if parameter.kind == "word":
        return _word(*parameter.choices)
    return _COERCE[parameter.kind]


_CLASSES: dict[str, type] = {
    designs.THREE_PLUS_THREE.name: ThreePlusThree,
    designs.BOIN.name: Boin,
    designs.MTPI2.name: Mtpi2,
    designs.CRM.name: Crm,
}
_TABLES: dict[type, designs.Design] = {_CLASSES[d.name]: d for d in designs.DESIGNS}
# `max_sample_size` is not a field of the design classes: `design_from_params`
# turns it into a number of cohorts.
_PARAMETERS: dict[type, dict[str, _Coerce]] = {
    cls: {p.name: _coercer(p) for p in table.parameters if p.name != "max_sample_size"}
    for cls, table in _TABLES.items()
}
# The engine also takes a design's display name ("3+3", "mTPI-2") as its kind.
_KINDS: dict[str, type] = {
    **{designs.normalise_kind(d.name): _CLASSES[d.name] for d in designs.DESIGNS},
    **{spelling: _CLASSES[d.name] for spelling, d in designs.KINDS.items()},
}


def design_from_params(kind: str, params: Mapping[str, ParamValue]) -> Design:
    """Build and validate a design from a kind name and loosely typed parameters.

    Raises `DesignError` naming the parameter at fault.  `max_sample_size`
    is accepted for the cohort designs instead of `n_cohorts` and must be a
    whole number of cohorts.
    """
    cls = _KINDS.get(designs.normalise_kind(kind))
    if cls is None:
        known = "3+3, boin, mtpi2, crm"
        close = difflib.get_close_matches(
            designs.normalise_kind(kind), list(_KINDS), n=1, cutoff=0.6
        )
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DesignError(f"unknown design {kind!r}{hint}; known designs are {known}", "kind")
    coercers = _PARAMETERS[cls]
    values: dict[str, Any] = {}
    sample_size: int | None = None
    for raw_name, raw_value in params.items():
        name = designs.canonical_parameter(raw_name)
        if name == "max_sample_size" and cls is not ThreePlusThree:
            sample_size = _whole(raw_name, raw_value)
            continue
        if name not in coercers:
            allowed = sorted(coercers) + ([] if cls is ThreePlusThree else ["max_sample_size"])
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise DesignError(
                f"{_display_name(cls)} has no parameter {raw_name!r}{hint}; "
                f"its parameters are {', '.join(sorted(allowed))}",
                raw_name,
            )
        if name in values:
            raise DesignError(f"{name} is given twice", raw_name)
        if raw_value is None:
            # None means "use the default", as for BOIN's phi1 and phi2.
            continue
        values[name] = coercers[name](raw_name, raw_value)
    for name in _TABLES[cls].required:
        if name not in values:
            raise DesignError(f"{_display_name(cls)} needs a {name}", name)
    if sample_size is not None:
        values["n_cohorts"] = _cohorts_from_sample_size(values, sample_size)
    design: Design = cls(**values)
    return design


def _cohorts_from_sample_size(values: Mapping[str, Any], sample_size: int) -> int:
    cohort_size = int(values.get("cohort_size", designs.DEFAULT_COHORT_SIZE))
    if cohort_size < 1:
        raise DesignError(f"cohort_size must be at least 1; got {cohort_size}", "cohort_size")
    if sample_size < cohort_size or sample_size % cohort_size:
        raise DesignError(
            f"max_sample_size {sample_size} must be a whole number of cohorts of {cohort_size}",
            "max_sample_size",
        )
    n_cohorts = sample_size // cohort_size
    if "n_cohorts" in values and values["n_cohorts"] != n_cohorts:
        raise DesignError(
            f"max_sample_size {sample_size} disagrees with n_cohorts {values['n_cohorts']} "
            f"cohorts of {cohort_size}; give one of them",
            "max_sample_size",
        )
    return n_cohorts


def _display_name(cls: type) -> str:
    return _TABLES[cls].name
