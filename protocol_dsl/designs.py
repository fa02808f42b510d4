"""The escalation designs a spec may declare: their names, parameters and spellings.

This module is the one table of dose-escalation designs (3+3, BOIN, mTPI-2,
CRM).  The checker (`protocol_dsl.checks.dosing`), the escalation engine
(`generators.escalation.designs`), the spec differ and the documents all read
it, so a parameter or a spelling added here is known everywhere at once.  It
imports nothing heavier than the standard library: `protocol check` loads it
and must start fast.

What stays elsewhere is what is not a table: the engine's numerical
validation (target within (0, 0.5), phi1 below the target, …) lives on its
design classes, and the checker restates the few rules it can report with a
position.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

#: How a parameter's value is written: a number, a whole number (`optional_whole`
#: when the engine also takes "none" for it), a yes/no flag, one of a few words,
#: or a list of numbers.
ValueKind: TypeAlias = Literal["number", "whole", "optional_whole", "flag", "word", "numbers"]

#: The words a yes/no flag is written with in a spec.
FLAG_WORDS = ("yes", "no")

#: The escalation engine's cohort size and number of cohorts when a design does
#: not give them (the R packages' defaults).
DEFAULT_COHORT_SIZE = 3
DEFAULT_COHORTS = 10


@dataclass(frozen=True)
class Parameter:
    """One design parameter by its canonical name, and how its value is written."""

    name: str
    kind: ValueKind
    #: The allowed words, for a `word` parameter.
    choices: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The words a spec may give this parameter (empty when it takes numbers)."""
        return FLAG_WORDS if self.kind == "flag" else self.choices

    @property
    def whole(self) -> bool:
        return self.kind in ("whole", "optional_whole")


@dataclass(frozen=True)
class Design:
    """An escalation design: its display name, title, spellings and parameters."""

    #: The short name used in messages: "3+3", "BOIN", "mTPI-2", "CRM".
    name: str
    #: The name in running text, as the protocol document writes it.
    title: str
    #: The spellings of `design KIND` in a spec, normalised (see `normalise_kind`).
    spellings: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    required: tuple[str, ...] = ()

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter | None:
        for p in self.parameters:
            if p.name == name:
                return p
        return None


_COHORTS = (
    Parameter("cohort_size", "whole"),
    Parameter("n_cohorts", "whole"),
    Parameter("start_level", "whole"),
    Parameter("max_sample_size", "whole"),
)
_INTERVAL = (
    *_COHORTS,
    Parameter("target", "number"),
    Parameter("max_per_dose", "optional_whole"),
    Parameter("elimination_cutoff", "number"),
)

THREE_PLUS_THREE = Design(
    "3+3",
    "3+3 design",
    ("threeplusthree", "3plus3"),
    (
        Parameter("mtd_rule", "word", ("previous", "expand")),
        Parameter("allow_deescalation", "flag"),
        Parameter("start_level", "whole"),
    ),
)
BOIN = Design(
    "BOIN",
    "Bayesian optimal interval design (BOIN)",
    ("boin",),
    (
        *_INTERVAL,
        Parameter("phi1", "number"),
        Parameter("phi2", "number"),
        Parameter("extrasafe", "flag"),
        Parameter("extrasafe_offset", "number"),
    ),
    required=("target",),
)
MTPI2 = Design(
    "mTPI-2",
    "modified toxicity probability interval design (mTPI-2)",
    ("mtpi2",),
    (*_INTERVAL, Parameter("eps1", "number"), Parameter("eps2", "number")),
    required=("target",),
)
CRM = Design(
    "CRM",
    "continual reassessment method (CRM)",
    ("crm",),
    (
        *_COHORTS,
        Parameter("target", "number"),
        Parameter("skeleton", "numbers"),
        Parameter("model", "word", ("empiric", "logistic")),
        Parameter("prior_sd", "number"),
        Parameter("intercept", "number"),
        Parameter("restrict", "flag"),
    ),
    required=("target", "skeleton"),
)

DESIGNS: tuple[Design, ...] = (THREE_PLUS_THREE, BOIN, MTPI2, CRM)

#: Every spelling of `design KIND` a spec may write, normalised, to its design.
KINDS: Mapping[str, Design] = {s: d for d in DESIGNS for s in d.spellings}

#: Other names a spec may give a parameter (those of the R packages and of the
#: reference manual), to the canonical name.
PARAMETER_ALIASES: Mapping[str, str] = {
    "cohort": "cohort_size",
    "cohorts": "n_cohorts",
    "ncohort": "n_cohorts",
    "cutoff_eli": "elimination_cutoff",
    "n_earlystop": "max_per_dose",
    "p_saf": "phi1",
    "p_tox": "phi2",
    "scale": "prior_sd",
    "deescalation": "allow_deescalation",
}


def normalise_kind(kind: str) -> str:
    """`design KIND` folded so that `three_plus_three`, `Three-Plus-Three` … compare equal."""
    return kind.strip().lower().replace("_", "").replace("-", "").replace(" ", "")


def design_for(kind: str) -> Design | None:
    """The design a spec's `design KIND` names, None if it names none."""
    return KINDS.get(normalise_kind(kind))


def canonical_parameter(name: str) -> str:
    """A parameter's canonical name, whichever accepted spelling `name` is."""
    return PARAMETER_ALIASES.get(name, name)


def all_parameters() -> Iterator[Parameter]:
    """Each parameter of any design once, in the order the designs list them."""
    seen: set[str] = set()
    for design in DESIGNS:
        for p in design.parameters:
            if p.name not in seen:
                seen.add(p.name)
                yield p
