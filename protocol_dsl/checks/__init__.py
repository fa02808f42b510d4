"""Consistency checks: each module owns one rule or a small family of rules.

A check is a function `check(spec) -> Iterable[Diagnostic]` over a loaded,
parsed spec.  `run_checks` runs them all and collects every diagnostic (never
stop-at-first).  A check whose optional dependency is not installed is
skipped by `run_checks`, with a note saying which extra to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

Check = Callable[[Spec], Iterable[Diagnostic]]


def all_checks() -> list[Check]:
    from protocol_dsl.checks import (
        availability,
        completeness,
        dosing,
        logic,
        mapping,
        names,
        notes,
        schedule,
        types,
        units,
    )

    return [
        names.check,
        mapping.check,
        types.check,
        units.check,
        logic.check,
        availability.check,
        schedule.check,
        dosing.check,
        completeness.check,
        notes.check,
    ]


def run_checks(spec: Spec, checks: list[Check] | None = None) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for check in checks if checks is not None else all_checks():
        diagnostics.extend(check(spec))
    return diagnostics
