"""Screening a batch: every input subject validated, screened and edit-checked.

This module owns one run of `protocol screen` apart from its output: it
validates each subject record read from the inputs (naming the file and row
each invalid value came from), screens it with the interpreter, runs the edit
checks, and computes the screen-failure funnel.  Every input subject comes out,
in input order, even one whose record could not be read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from protocol_dsl.compiler import CompileResult
from protocol_dsl.diagnostics import has_errors, sorted_diagnostics
from protocol_dsl.spec import Spec

if TYPE_CHECKING:  # imported where a batch is screened: loading a spec does not need them
    from protocol_dsl.data.batch import Batch, RawSubject
    from protocol_dsl.evaluate.edit_checks import EditChecker, Finding
    from protocol_dsl.evaluate.interpreter import Screener, SubjectResult
    from protocol_dsl.evaluate.subject import DataProblem


def load_for_screening(path: str, source: str | None = None) -> CompileResult:
    """The spec with the checks evaluation relies on: names, mappings, types and units,
    and what every engine needs to evaluate a rule at all (no value defined through
    itself, constant durations, yes/no score items).

    The other checks (satisfiability, schedule, data availability …) judge the
    protocol, not whether its rules can be evaluated; `protocol check` runs them.
    """
    from protocol_dsl.checks import evaluation_checks, run_checks
    from protocol_dsl.syntax.loader import load

    spec, diagnostics, sources = load(path, source)
    if spec is not None and not has_errors(diagnostics):
        diagnostics = diagnostics + run_checks(spec, evaluation_checks())
    return CompileResult(spec, sorted_diagnostics(diagnostics), sources)


@attrs.define
class Outcome:
    """One subject's eligibility and edit-check findings."""

    result: SubjectResult
    findings: list[Finding]
    source: str  # where the subject's record starts ("subjects.jsonl line 3", "DM row 12")

    @property
    def subject_id(self) -> str:
        return self.result.subject_id


@attrs.frozen
class FunnelStep:
    """How many subjects a criterion excluded, counted in criterion order."""

    criterion: str
    kind: str
    text: str
    excluded: int  # excluded by this criterion and by no earlier one
    cumulative: int  # excluded by this or an earlier criterion
    remaining: int  # subjects still in after this criterion
    unknown: int  # of the remaining subjects, how many this criterion leaves unknown

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class ScreenRun:
    spec: Spec
    outcomes: list[Outcome]
    input_problems: list[DataProblem]
    funnel: list[FunnelStep]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"subjects": len(self.outcomes), "eligible": 0, "ineligible": 0}
        counts["indeterminate"] = 0
        for outcome in self.outcomes:
            counts[outcome.result.status] += 1
        counts["invalid_values"] = sum(len(o.result.invalid) for o in self.outcomes)
        counts["findings"] = sum(len(o.findings) for o in self.outcomes)
        counts["input_problems"] = len(self.input_problems)
        return counts


def screen_batch(
    spec: Spec,
    batch: Batch,
    *,
    explain: bool = True,
    edit_checks: bool = True,
    progress: Callable[[int], None] | None = None,
    screener: Screener | None = None,
) -> ScreenRun:
    """Screen and edit-check every subject of a batch (`screener`: the spec's, if compiled)."""
    from protocol_dsl.evaluate.edit_checks import EditChecker
    from protocol_dsl.evaluate.interpreter import compile_spec_rules

    if screener is None:
        screener = compile_spec_rules(spec)
    checker = EditChecker(spec, screener) if edit_checks else None
    unknown_forms = _unknown_forms(screener, batch)
    outcomes: list[Outcome] = []
    for subject in batch.each_subject():
        outcomes.append(_one(screener, checker, subject, batch, explain, unknown_forms))
        if progress is not None:
            progress(1)
    _report_duplicates(outcomes)
    return ScreenRun(spec, outcomes, list(batch.problems), funnel(spec, outcomes))


def _report_duplicates(outcomes: list[Outcome]) -> None:
    """Every record of a subject id used more than once gets a finding; none is merged."""
    from protocol_dsl.evaluate import log_checks

    duplicates = log_checks.duplicate_ids(
        [o.subject_id for o in outcomes], [o.source for o in outcomes]
    )
    for index, message in duplicates.items():
        outcomes[index].findings.append(_duplicate(outcomes[index].subject_id, message))


def _duplicate(subject_id: str, message: str) -> Finding:
    from protocol_dsl.evaluate.edit_checks import Finding

    return Finding(
        subject_id,
        "DUPLICATE_SUBJECT_ID",
        None,
        "subject_id",
        None,
        None,
        subject_id,
        "a subject id of its own",
        message,
    )


def screen_stream(
    spec: Spec,
    batch: Batch,
    *,
    explain: bool,
    screener: Screener,
    progress: Callable[[int], None] | None = None,
    edit_checks: bool = True,
) -> Iterator[Outcome]:
    """The outcomes of `screen_batch`, one subject at a time, in input order: a report
    written as they come holds one subject's outcome at a time, never the batch's (nor,
    for a streamed batch, its records)."""
    from protocol_dsl.evaluate import log_checks
    from protocol_dsl.evaluate.edit_checks import EditChecker

    checker = EditChecker(spec, screener) if edit_checks else None
    # the ids every record is screened under, known before screening: a record whose id
    # a later record repeats gets its finding when it is written
    ids, sources = batch.ids_and_sources()
    duplicates = log_checks.duplicate_ids(ids, sources) if edit_checks else {}
    del ids
    unknown_forms = _unknown_forms(screener, batch)
    for index, raw in enumerate(batch.each_subject()):
        outcome = _one(screener, checker, raw, batch, explain, unknown_forms)
        if index in duplicates:
            outcome.findings.append(_duplicate(outcome.subject_id, duplicates[index]))
        if progress is not None:
            progress(1)
        yield outcome


def _unknown_forms(screener: Screener, batch: Batch) -> frozenset[str] | None:
    """The repeating forms the inputs cannot supply (None: they can supply any): the
    same for every subject of the batch."""
    if batch.forms_supplied is None:
        return None
    return frozenset(
        info.storage
        for info in screener.dictionary.forms.values()
        if info.repeating and info.storage not in batch.forms_supplied
    )


def _one(
    screener: Screener,
    checker: EditChecker | None,
    raw: RawSubject,
    batch: Batch,
    explain: bool,
    unknown_forms: frozenset[str] | None,
) -> Outcome:
    data = screener.normalise(raw.record, raw.fallback_id)
    if unknown_forms is not None:
        data.unknown_forms = unknown_forms
    if raw.complete_forms:
        data.none_forms = frozenset(raw.complete_forms) - data.unknown_forms
    problems = [
        attrs.evolve(p, subject_id=data.subject_id) if p.subject_id is None else p
        for p in raw.problems
    ] + data.problems
    data.problems = [
        p if p.source is not None else attrs.evolve(p, source=raw.source_of(p)) for p in problems
    ]
    result = screener.screen(data, explain=explain)
    findings = (
        checker.check(data, coverage=batch.coverage, forms_supplied=batch.forms_supplied)
        if checker is not None
        else []
    )
    return Outcome(result, findings, raw.fallback_id)


def funnel(spec: Spec, outcomes: Iterable[Outcome]) -> list[FunnelStep]:
    """The screen-failure funnel: subjects excluded by each criterion, in criterion order.

    A subject counts against the first criterion (in the spec's order) that is
    decided against them: an inclusion not met or an exclusion met.
    """
    results = [o.result for o in outcomes]
    remaining = list(results)
    steps: list[FunnelStep] = []
    cumulative = 0
    for criterion in spec.criteria:
        still: list[SubjectResult] = []
        excluded = 0
        unknown = 0
        for result in remaining:
            status = result.criteria[criterion.id].status
            against = (criterion.kind == "inclusion" and status == "not_met") or (
                criterion.kind == "exclusion" and status == "met"
            )
            if against:
                excluded += 1
            else:
                still.append(result)
                if status == "unknown":
                    unknown += 1
        cumulative += excluded
        remaining = still
        steps.append(
            FunnelStep(
                criterion.id,
                criterion.kind,
                criterion.text,
                excluded,
                cumulative,
                len(remaining),
                unknown,
            )
        )
    return steps
