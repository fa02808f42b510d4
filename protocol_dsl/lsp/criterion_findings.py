"""Checks whose findings about a criterion are asked again only for a new criterion.

Some checks find, for each criterion, findings that rest on that criterion and
on the declarations that are not criteria, never on another criterion: a rule
cannot name one (`names`: what a rule's names resolve to; `partial_dates`: a
partial date read where its period is unknown; `rounded_fractions`: the numbers
a rule writes; `ongoing`: what its counts of records read; `logs`: the logs a
rule reads that cannot record "none", which the check then lists per log;
`wording`: the numbers its quoted text states against those its rule compares
with; `durations`: the lengths of its time windows and date shifts, by the types
of what it reads; `availability`: whether what it reads is collected by the visit
it is judged at, and the library forms it reads that the trial never collects).
Each such check exposes the question about one criterion (`criterion_findings`,
`criterion_logs`) and runs itself as `findings(spec, question)`, so the check
and a language server ask the same questions in the same order.

The re-parse of an edit keeps every declaration it did not touch: the same
object before the edit, a copy moved by the edit's length after it (`lineage`).
While every declaration but the criteria, of the spec and its libraries, is kept
since the last check, a kept criterion has the findings it had, moved with it;
they are given back instead of found again.  Any other edit (one to a form, a
visit, a definition; one that adds or removes a line break) asks every
criterion again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.checks import (
    Check,
    availability,
    durations,
    logs,
    names,
    ongoing,
    partial_dates,
    rounded_fractions,
    wording,
)
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.lineage import Lineage, Moves, Shift
from protocol_dsl.spec import Spec

#: A question about one criterion: its findings, or what the check makes them from.
Question = Callable[[Spec, Spec, m.Criterion], Iterable[Any]]

#: A check run with its question about each criterion given.
Findings = Callable[[Spec, Any], Iterable[Diagnostic]]

#: The checks split so, and how each runs and asks about one criterion.
PER_CRITERION: dict[Check, tuple[Findings, Question]] = {
    names.check: (names.findings, names.criterion_findings),
    partial_dates.check: (partial_dates.findings, partial_dates.criterion_findings),
    rounded_fractions.check: (rounded_fractions.findings, rounded_fractions.criterion_findings),
    ongoing.check: (ongoing.findings, ongoing.criterion_findings),
    logs.check: (logs.findings, logs.criterion_logs),
    wording.check: (wording.findings, wording.criterion_findings),
    durations.check: (durations.findings, durations.criterion_findings),
    availability.check: (availability.findings, availability.criterion_findings),
}

#: Per criterion (by its spec's path and its number among the declarations of that spec's
#: module): the criterion, the question's answer.
Kept = dict[tuple[str, int], tuple[m.Criterion, list[Any]]]

#: The module of each spec path a check ran on.
Modules = dict[str, m.Module]


class CriterionFindings:
    """The last findings about each criterion, per check, with what they rest on."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        #: per check: (the modules it ran on, its findings per criterion), replaced as one
        #: value: the solver's check may run in another thread
        self._last: dict[Check, tuple[Modules, Kept]] = {}
        #: How many criteria's findings were given back (the tests read it).
        self.reused = 0

    def wrap(self, checks: list[Check]) -> list[Check]:
        if not any(check in PER_CRITERION for check in checks):
            return checks
        run = _Run(self)
        return [run.wrapped(check) if check in PER_CRITERION else check for check in checks]

    def last(self, check: Check) -> tuple[Modules, Kept]:
        return self._last.get(check, ({}, {}))

    def keep(self, check: Check, modules: Modules, found: Kept) -> None:
        last = dict(self._last)
        last[check] = (modules, found)
        self._last = last


class _Run:
    """One check of one text: how each module came from the modules of the last check."""

    def __init__(self, memory: CriterionFindings) -> None:
        self.memory = memory
        #: per module of the last check and of this one (by their ids): the moves from
        #: one to the other, None when a declaration that is not a criterion changed
        self._moves: dict[tuple[int, int], Moves | None] = {}
        self._numbers: dict[int, dict[int, int]] = {}

    def moves(self, then: m.Module | None, now: m.Module) -> Moves | None:
        """The moves from `then` to `now` when every declaration but the criteria is kept."""
        if then is None:
            return None
        key = (id(then), id(now))
        if key not in self._moves:
            moves = self.memory.lineage.moves(then, now)
            if moves is not None and not all(
                isinstance(then.declarations[n], m.Criterion)
                and isinstance(now.declarations[n], m.Criterion)
                for n in moves.edited
            ):
                moves = None
            self._moves[key] = moves
        return self._moves[key]

    def number(self, module: m.Module, criterion: m.Criterion) -> int | None:
        """The criterion's number among the module's declarations."""
        numbers = self._numbers.get(id(module))
        if numbers is None:
            numbers = {id(d): n for n, d in enumerate(module.declarations)}
            self._numbers[id(module)] = numbers
        return numbers.get(id(criterion))

    def wrapped(self, check: Check) -> Check:
        findings, question = PER_CRITERION[check]

        def kept(spec: Spec) -> list[Diagnostic]:
            modules = {owner.path: owner.module for owner in spec.all_specs()}
            then, before = self.memory.last(check)
            # the criteria's findings rest on every other declaration, of every module
            moves = [self.moves(then.get(path), module) for path, module in modules.items()]
            same_modules = then.keys() == modules.keys() and None not in moves
            shift = Shift(one for one in moves if one is not None)
            now: Kept = {}

            def asked(root: Spec, owner: Spec, criterion: m.Criterion) -> list[Any]:
                number = self.number(owner.module, criterion)
                found = None
                if same_modules and number is not None:
                    found = self._reused(
                        owner.path, then[owner.path], owner.module, number, before, shift
                    )
                if found is None:
                    found = list(question(root, owner, criterion))
                else:
                    self.memory.reused += 1
                if number is not None:
                    now[(owner.path, number)] = (criterion, found)
                return found

            result = list(findings(spec, asked))
            # kept only when the check ran to the end (a failed check is E0999)
            self.memory.keep(check, modules, now)
            return result

        # the family name of a check (E0999, N0903) comes from its module
        kept.__module__ = check.__module__
        return kept

    def _reused(
        self, path: str, then: m.Module, now: m.Module, number: int, before: Kept, shift: Shift
    ) -> list[Any] | None:
        """The findings about criterion `number` of `now` kept from `then`, moved."""
        moves = self.moves(then, now)
        last = before.get((path, number))
        if moves is None or last is None or not moves.kept(number):
            return None
        if last[0] is not then.declarations[number]:
            return None
        return shift.findings(last[1])
