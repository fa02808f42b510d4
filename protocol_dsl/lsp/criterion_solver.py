"""The solver checks about single criteria, asked again only when what they encode changed.

Two checks hand a few criteria to the solver, each question about one criterion
against the rest of the spec: conditional collection (`checks.collection`, the
criteria that read an item collected `when` a condition holds) and dead
alternatives (`checks.alternatives`, the criteria whose `or` has alternatives
that read something in common).  They share one encoder, so their answers rest
on exactly three things: every declaration of the spec and its libraries but the
criteria, the criteria the first selects and those the second selects, in order.

When all three are equal to those of the last check (spans aside: model nodes
that differ only in where they stand are equal), z3 would be asked the same
questions in the same order, and its answers are those of the last check: its
findings are moved with the edit (`reuse.moved`) instead of being found again.
Typing in a criterion that neither check selects, before and after the edit, is
such an edit; so is one that changes a rule's layout only.  When an edit adds or
removes a line break, or a finding stands where the text changed, both checks
run again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.checks import Check, alternatives, collection
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp import reuse
from protocol_dsl.lsp.lineage import Lineage
from protocol_dsl.spec import Spec

if TYPE_CHECKING:  # z3 is imported only for a spec whose criteria the checks select
    import z3

#: What the two checks' answers rest on (see the module's docstring).
Inputs = tuple[Any, ...]


@attrs.frozen
class _Last:
    inputs: Inputs
    sources: dict[str, str]
    collection: list[Diagnostic]
    alternatives: list[Diagnostic]


class CriterionSolverChecks:
    """The last findings of the two checks, per spec, with what they were found on."""

    def __init__(self, lineage: Lineage) -> None:
        self._last: dict[str, _Last] = {}
        self.selection = _Selection(lineage)
        #: How many checks reused the last findings (the tests read it).
        self.reused = 0
        #: A z3 context made between checks for the next shared encoder; None before the
        #: first spec that needed one (z3 is not imported until then).
        self._spare: list[z3.Context] | None = None

    def context(self) -> z3.Context:
        """A context nothing has used, for the shared encoder: one made between checks."""
        import z3

        if self._spare is None:
            self._spare = []
        try:
            return self._spare.pop()
        except IndexError:  # two checks without a pause between them
            return z3.Context()

    def tidy(self) -> None:
        """Between checks: free the encoders of texts no longer checked and make the next
        encoder's context, once a spec has needed one."""
        if self._spare is None:
            return
        import z3

        from protocol_dsl.solver.collection import forget_dead_encoders

        forget_dead_encoders()
        if not self._spare:
            self._spare.append(z3.Context())

    def wrap(self, checks: list[Check], path: str, sources: dict[str, str]) -> list[Check]:
        """`checks` with the two replaced by ones that reuse the last findings of `path`."""
        run = _Run(self, path, sources)
        wrapped: list[Check] = []
        for check in checks:
            if check is collection.check:
                wrapped.append(_named(run.collection, check))
            elif check is alternatives.check:
                wrapped.append(_named(run.alternatives, check))
            else:
                wrapped.append(check)
        return wrapped

    def last(self, path: str) -> _Last | None:
        return self._last.get(path)

    def keep(self, path: str, last: _Last) -> None:
        self._last[path] = last


class _Run:
    """One check of one text: collection runs first, then alternatives (their order in
    `all_checks`, which the shared encoder's answers depend on)."""

    def __init__(self, memory: CriterionSolverChecks, path: str, sources: dict[str, str]):
        self.memory = memory
        self.path = path
        self.sources = sources
        self.inputs: Inputs | None = None
        self.found_collection: list[Diagnostic] | None = None
        self.reused: tuple[list[Diagnostic], list[Diagnostic]] | None = None

    def collection(self, spec: Spec) -> list[Diagnostic]:
        self.inputs = self.memory.selection.inputs(spec)
        last = self.memory.last(self.path)
        if last is not None and last.inputs == self.inputs:
            moved_collection = reuse.moved(last.collection, last.sources, self.sources)
            moved_alternatives = reuse.moved(last.alternatives, last.sources, self.sources)
            if moved_collection is not None and moved_alternatives is not None:
                self.memory.reused += 1
                self.reused = moved_collection, moved_alternatives
                self.memory.keep(self.path, _Last(self.inputs, dict(self.sources), *self.reused))
                return list(moved_collection)
        if self.inputs[1] or self.inputs[2]:  # the checks will encode: in a context made before
            from protocol_dsl.solver.collection import shared_encoder

            shared_encoder(spec, self.memory.context())
        self.found_collection = list(collection.check(spec))
        return list(self.found_collection)

    def alternatives(self, spec: Spec) -> list[Diagnostic]:
        if self.reused is not None:
            return list(self.reused[1])
        found = list(alternatives.check(spec))
        # kept only when both ran to the end on this text (a failed check is E0999)
        if self.found_collection is not None and self.inputs is not None:
            self.memory.keep(
                self.path, _Last(self.inputs, dict(self.sources), self.found_collection, found)
            )
        return list(found)


class _Selection:
    """Which criteria each check selects, kept per criterion while every other declaration
    is kept (the same object, or a copy an edit moved: `lineage`): whether a criterion is
    selected depends on its rule and on the declarations its names resolve to, never on
    another criterion (a rule cannot name one), nor on where anything stands."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        #: (the modules, the flags of each criterion by its path and number), replaced as
        #: one value: the solver's check may run in another thread
        self._last: tuple[dict[str, m.Module], dict[tuple[str, int], _Flags]] = ({}, {})
        #: How many criteria's flags were given back (the tests read it).
        self.reused = 0

    def inputs(self, spec: Spec) -> Inputs:
        """Every declaration but the criteria, of the spec and its libraries, and the
        criteria each check selects, in order."""
        rest = tuple(
            (owner.path, tuple(d for d in owner.module.declarations if not _is_criterion(d)))
            for owner in spec.all_specs()
        )
        modules = {owner.path: owner.module for owner in spec.all_specs()}
        then, last_flags = self._last
        moves = self.lineage.criteria_moves(then, modules)
        numbers = {
            id(d): (path, n)
            for path, module in modules.items()
            for n, d in enumerate(module.declarations)
            if _is_criterion(d)
        }
        memo: dict[int, bool] = {}
        flags: dict[tuple[str, int], _Flags] = {}
        chosen: list[_Flags] = []
        for criterion in spec.criteria:
            where = numbers.get(id(criterion))
            found = None
            if where is not None and moves is not None:
                path, number = where
                last = last_flags.get(where)
                if (
                    last is not None
                    and moves[path].kept(number)
                    and last[0] is then[path].declarations[number]
                ):
                    found = (criterion, last[1], last[2])
                    self.reused += 1
            if found is None:
                found = (
                    criterion,
                    collection.reads_conditional(spec, criterion, memo),
                    alternatives.alternatives_overlap(spec, criterion),
                )
            if where is not None:
                flags[where] = found
            chosen.append(found)
        self._last = (modules, flags)
        return (
            rest,
            tuple(c for c, in_collection, _ in chosen if in_collection),
            tuple(c for c, _, in_alternatives in chosen if in_alternatives),
        )


#: A criterion, and whether conditional collection and dead alternatives select it.
_Flags = tuple[m.Criterion, bool, bool]


def _is_criterion(declaration: object) -> bool:
    return isinstance(declaration, m.Criterion)


def _named(run: Any, check: Check) -> Check:
    def wrapped(spec: Spec) -> Iterable[Diagnostic]:
        return run(spec)

    # the family name of a check (E0999, N0903) comes from its module
    wrapped.__module__ = check.__module__
    return wrapped
