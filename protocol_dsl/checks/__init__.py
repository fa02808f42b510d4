"""Consistency checks: each module owns one rule or a small family of rules.

A check is a function `check(spec) -> Iterable[Diagnostic]` over a loaded,
parsed spec.  `run_checks` runs them all and collects every diagnostic (never
stop-at-first).  A check whose optional dependency is not installed is
skipped by `run_checks`, with a note saying which extra to install.  Any other
exception inside a check is a bug in that check, not in the spec: it becomes an
internal-error diagnostic (E0999) naming the check, and the other checks still
run, so one broken rule never hides what the rest have to say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.model import Span
from protocol_dsl.spec import Spec

Check = Callable[[Spec], Iterable[Diagnostic]]


def evaluation_checks() -> list[Check]:
    """The checks every engine relies on to evaluate a rule at all: names, mappings,
    types and units, no value defined through itself, constant durations, yes/no score
    items.  `protocol screen` runs these; `protocol check` runs them first."""
    from protocol_dsl.checks import (
        cycles,
        durations,
        endpoints,
        mapping,
        names,
        partial_dates,
        reserved,
        scores,
        types,
        units,
    )

    return [
        names.check,
        cycles.check,
        reserved.check,
        partial_dates.check,
        mapping.check,
        types.check,
        durations.check,
        scores.check,
        units.check,
        endpoints.check,
    ]


def all_checks(*, thorough: bool = False) -> list[Check]:
    """Every check, in order; `thorough` lifts the solver's effort limit."""
    from protocol_dsl.checks import (
        alternatives,
        amendments,
        arm_doses,
        availability,
        change_entries,
        collection,
        completeness,
        dlt_agreement,
        dosing,
        element_lengths,
        estimands,
        field_details,
        header_population,
        informal,
        logic,
        logs,
        lookups,
        narratives,
        notes,
        ongoing,
        populations,
        previous_names,
        randomisation,
        regimen_dlt,
        regimen_doses,
        regimens,
        registry_fields,
        rounded_fractions,
        sample_size,
        schedule,
        step_up_visits,
        terminology,
        timeline,
        trial_dates,
        wording,
    )

    return [
        *evaluation_checks(),
        logic.check_thorough if thorough else logic.check,
        availability.check,
        collection.check,
        alternatives.check,
        wording.check,
        informal.check,
        lookups.check,
        rounded_fractions.check,
        terminology.check,
        ongoing.check,
        header_population.check,
        trial_dates.check,
        field_details.check,
        registry_fields.check,
        arm_doses.check,
        logs.check,
        timeline.check,
        schedule.check,
        dosing.check,
        step_up_visits.check,
        dlt_agreement.check,
        element_lengths.check,
        randomisation.check,
        regimens.check,
        regimen_doses.check,
        regimen_dlt.check,
        completeness.check,
        estimands.check,
        populations.check,
        sample_size.check,
        narratives.check,
        notes.check,
        previous_names.check,
        change_entries.check,
        amendments.check,
    ]


#: The checks that ask the SMT solver about the eligibility criteria and populations.
SOLVER_CHECKS = (
    "protocol_dsl.checks.logic",
    "protocol_dsl.checks.collection",
    "protocol_dsl.checks.alternatives",
    "protocol_dsl.checks.populations",
)


def checks_without_solver() -> list[Check]:
    """Every check but the solver's, with the logic check's plain-arithmetic part (a
    threshold outside its item's range, E0405/W0406), which needs no solver.

    For commands that do not read the eligibility criteria or the populations (the
    escalation design's `simulate` and `escalate`): they refuse a spec for every error
    those commands could trip over, without importing z3 or paying for its analysis.
    """
    from protocol_dsl.solver import ranges

    return [c for c in all_checks() if c.__module__ not in SOLVER_CHECKS] + [ranges.check]


#: Optional modules a check may need, and the extra that installs them.
OPTIONAL_EXTRAS = {"z3": "solver"}


def run_checks(
    spec: Spec, checks: list[Check] | None = None, *, thorough: bool = False
) -> list[Diagnostic]:
    """The active findings: those an `allow` mark silences are left out."""
    return run_checks_allowing(spec, checks, thorough=thorough)[0]


def run_checks_allowing(
    spec: Spec,
    checks: list[Check] | None = None,
    *,
    thorough: bool = False,
    marked: m.MarkedNodes = m.marked_nodes,
    every_check: bool | None = None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(active findings, findings an `allow` mark silences, each with its reason).
    `marked`: the marked nodes of a declaration, where the `allow` marks are read;
    `every_check`: whether `checks` stand for every check (each wrapped, as a language
    server does), which is what `checks=None` means."""
    from protocol_dsl.checks.allows import split_allowed
    from protocol_dsl.checks.grouping import grouped

    diagnostics: list[Diagnostic] = []
    for check in checks if checks is not None else all_checks(thorough=thorough):
        try:
            diagnostics.extend(check(spec))
        except ModuleNotFoundError as error:
            extra = OPTIONAL_EXTRAS.get((error.name or "").split(".")[0])
            if extra is None:
                diagnostics.append(internal_error(spec, check, error))
            else:
                diagnostics.append(_skipped(spec, check, extra))
        except Exception as error:  # a bug in the check: report it, run the others
            diagnostics.append(internal_error(spec, check, error))
    # only a run of every check can tell that an `allow` silences nothing (N0905):
    # a subset (`protocol screen`, `protocol diff`) may just not report its code
    every = checks is None if every_check is None else every_check
    active, allowed = split_allowed(spec, diagnostics, report_unused=every, marked=marked)
    return grouped(active), grouped(allowed)


def check_name(check: Check) -> str:
    """The family a check belongs to, as users see it: `names`, `units`, `logic`…"""
    return getattr(check, "__module__", "").rsplit(".", 1)[-1] or repr(check)


def _spec_span(spec: Spec) -> Span:
    """Where a problem of the whole spec is shown: its first declaration."""
    return spec.module.declarations[0].span if spec.module.declarations else spec.module.span


def internal_error(spec: Spec, check: Check, error: BaseException) -> Diagnostic:
    """E0999: the check failed on this spec; a bug to report, distinct from user errors."""
    return Diagnostic(
        "E0999",
        "error",
        f"internal error in the {check_name(check)} checks: {type(error).__name__}: {error}",
        _spec_span(spec),
        notes=("this is a bug in protocol-dsl, not a problem in the spec; the other checks ran",),
        help="please report it with the spec and this message",
    )


def _skipped(spec: Spec, check: Check, extra: str) -> Diagnostic:
    return Diagnostic(
        "N0903",
        "note",
        f"the {check_name(check)} checks were skipped: an optional dependency is not installed",
        _spec_span(spec),
        help=f"install it with: pip install 'protocol-dsl[{extra}]'",
    )
