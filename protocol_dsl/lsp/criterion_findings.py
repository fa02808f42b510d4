"""Checks whose findings about a criterion are asked again only for a new criterion.

Some checks find, for each criterion, findings that rest on that criterion and
on the declarations that are not criteria, never on another criterion: a rule
cannot name one (`names`: what a rule's names resolve to; `partial_dates`: a
partial date read where its period is unknown; `rounded_fractions`: the numbers
a rule writes; `ongoing`: what its counts of records read; `logs`: the logs a
rule reads that cannot record "none", which the check then lists per log).
Each such check exposes the question about one criterion (`criterion_findings`,
`criterion_logs`) and runs itself as `findings(spec, question)`, so the check
and a language server ask the same questions in the same order.

The re-parse of an edit keeps every declaration it did not touch as the same
object (those after the edit too when the edit replaces a character by one).
While every declaration but the criteria, of the spec and its libraries, is the
same object as in the last check, a criterion that is the same object as then
has the findings it had, spans included; they are given back instead of found
again.  Any other edit (one to a form, a visit, a definition; one that moves
later declarations) asks every criterion again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.checks import (
    Check,
    logs,
    names,
    ongoing,
    partial_dates,
    rounded_fractions,
)
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.reuse import Rest, same_objects
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
}

#: Per criterion (by id): the criterion, the path of its spec, the question's answer.
Kept = dict[int, tuple[m.Criterion, str, list[Any]]]


class CriterionFindings:
    """The last findings about each criterion, per check, with what they rest on."""

    def __init__(self) -> None:
        #: (the declarations that are not criteria, the findings per check), replaced as
        #: one value: the solver's check may run in another thread
        self._last: tuple[Rest | None, dict[Check, Kept]] = (None, {})
        #: How many criteria's findings were given back (the tests read it).
        self.reused = 0

    def wrap(self, checks: list[Check]) -> list[Check]:
        if not any(check in PER_CRITERION for check in checks):
            return checks
        run = _Run(self)
        return [run.wrapped(check) if check in PER_CRITERION else check for check in checks]

    def last(self, rest: Rest) -> dict[Check, Kept]:
        last_rest, kept = self._last
        return kept if same_objects(last_rest, rest) else {}

    def keep(self, rest: Rest, check: Check, found: Kept) -> None:
        last_rest, kept = self._last
        kept = dict(kept) if same_objects(last_rest, rest) else {}
        kept[check] = found
        self._last = (rest, kept)


class _Run:
    """One check of one text: the declarations that are not criteria are listed once."""

    def __init__(self, memory: CriterionFindings) -> None:
        self.memory = memory
        self.rest: Rest | None = None

    def wrapped(self, check: Check) -> Check:
        findings, question = PER_CRITERION[check]

        def kept(spec: Spec) -> list[Diagnostic]:
            if self.rest is None:
                self.rest = _rest(spec)
            rest = self.rest
            before = self.memory.last(rest).get(check, {})
            now: Kept = {}

            def asked(root: Spec, owner: Spec, criterion: m.Criterion) -> list[Any]:
                last = before.get(id(criterion))
                if last is not None and last[0] is criterion and last[1] == owner.path:
                    self.memory.reused += 1
                    found = last[2]
                else:
                    found = list(question(root, owner, criterion))
                now[id(criterion)] = (criterion, owner.path, found)
                return found

            result = list(findings(spec, asked))
            # kept only when the check ran to the end (a failed check is E0999)
            self.memory.keep(rest, check, now)
            return result

        # the family name of a check (E0999, N0903) comes from its module
        kept.__module__ = check.__module__
        return kept


def _rest(spec: Spec) -> Rest:
    return tuple(
        (owner.path, tuple(d for d in owner.module.declarations if not isinstance(d, m.Criterion)))
        for owner in spec.all_specs()
    )
