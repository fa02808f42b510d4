"""One part of a spec's criteria analysed in a z3 context kept from one edit to the next.

The language server asks the solver again only about the part of the criteria
an edit touched (`lsp.whole_set`).  Encoding that part, walking its terms into
groups and setting up its solvers costs more than the queries themselves.  So
when an edit changed only numbers in some of the part's rules (a threshold
typed, a digit changed), only those criteria are encoded again, into the
encoder that encoded the part before, and their new rules are added to the
solvers that hold the rest.

Why the answers are those of a fresh analysis (`logic.analyse_criteria(only=…)`):

- a rule that differs from its earlier version only in its numbers reads the
  same items, visits, records and definitions: the variables it shares with the
  other criteria, the quantifiers over each log (so the number of record slots
  the first encoding laid out) and the definitions' encodings are those a fresh
  encoding of the new rules makes;
- what the earlier versions made stays in the context, and none of it limits
  what a query can find: their rules hang on switches that no query assumes any
  more (each version has switches of its own), and the links of their
  quantifiers and aggregates each define helper variables of their own;
- the groups are found again from the current rules (the terms walked before
  are not walked again), and the solvers are kept only while the groups are
  the groups they were;
- the findings of a group of fewer than `BATCH` criteria rest on the solver's
  answers alone, never on a model or on which unsat core it gave (`logic`), and
  effort is counted per query asked: a part of `BATCH` criteria or more, whose
  analysis reads models, is never kept.

Any other edit of the part (a rule whose shape changed, a criterion added,
removed or moved to another part) has the part encoded afresh in a new context.
A query that ran out of effort (z3's resource limit) is reported as such
(`Analysis.gave_up`), and the caller then analyses the whole spec afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.solver import make
from protocol_dsl.solver.encode import Encoder
from protocol_dsl.solver.groups import Linker, Partition, connected_groups
from protocol_dsl.solver.logic import (
    BATCH,
    Analysis,
    Switches,
    _Findings,
    _Group,
    solvers_of_groups,
)
from protocol_dsl.spec import Spec

#: Edits a kept part takes before it is encoded afresh: each leaves its earlier rules in
#: the solvers (switched off, but the solver still carries them).
VERSIONS = 50


class KeptPart:
    """The criteria of one part, encoded in a context of their own, with their solvers."""

    def __init__(
        self,
        spec: Spec,
        criteria: list[m.Criterion],
        knowable: set[tuple[int, str, str]],
        context: z3.Context,
    ) -> None:
        self.encoder = Encoder(spec, "check", ctx=context, knowable=knowable)
        #: the version of each criterion encoded last, in the part's order
        self.criteria = {c.id: c for c in criteria}
        conds = {c.id: self.encoder.criterion(c) for c in criteria}
        self.encoder.finalize()
        self.switches = {c.id: Switches.of(c, conds[c.id], context) for c in criteria}
        self.linker = Linker(context)
        self.versions = 0
        #: the groups (criteria by id) and their solvers, as last set up
        self.groups: list[_Group] = []
        #: per solver: the ids of the formulas added to it (constraints and rules)
        self._added: dict[int, set[int]] = {}
        #: the earlier versions of the criteria and their switches, kept alive: the linker
        #: and the encoder know terms and model nodes by ids, which a freed one would pass
        #: on to a new one
        self._retired: list[tuple[m.Criterion, Switches]] = []

    @staticmethod
    def fits(criteria: list[m.Criterion]) -> bool:
        """Whether a part can be kept: fewer than BATCH criteria (see the docstring)."""
        return len(criteria) < BATCH

    def follows(self, criteria: list[m.Criterion]) -> bool:
        """Whether `criteria` (the part now, in order) are the criteria encoded, each the
        same or differing only in the numbers of its rule, and the context has room for
        their versions (see `VERSIONS`)."""
        if self.versions >= VERSIONS:
            return False
        return [c.id for c in criteria] == list(self.criteria) and all(
            c == self.criteria[c.id] or same_but_numbers(c, self.criteria[c.id]) for c in criteria
        )

    def analyse(
        self,
        spec: Spec,
        criteria: list[m.Criterion],
        work_limit: int | None,
        nobody_eligible: bool = False,
    ) -> Analysis:
        """The findings about `criteria` (`follows` must hold), the changed ones encoded
        again first; with `nobody_eligible`, also what is said of them when another part
        makes nobody eligible (`Analysis.singles`)."""
        ctx = self.encoder.ctx
        changed = [c for c in criteria if c != self.criteria[c.id]]
        if changed:
            self.versions += 1
            for c in changed:
                self._retired.append((self.criteria[c.id], self.switches[c.id]))
                cond = self.encoder.criterion_again(c)
                self.switches[c.id] = Switches.of(c, cond, ctx, f"@{self.versions}")
                self.criteria[c.id] = c
        ids = list(self.criteria)
        self.linker.partition = Partition()
        grouped = connected_groups(
            ctx, ids, {i: self.switches[i].rules for i in ids}, self.encoder.constraints,
            self.linker,
        )  # fmt: skip
        if [ids for ids, _ in grouped] == [g.ids for g in self.groups]:
            groups = [
                _Group(g.ids, g.solver, g.guard, self.linker) for g in self.groups
            ]  # the work of each analysis is counted afresh
            for group, (_, constraints) in zip(groups, grouped, strict=True):
                self._add(group, constraints, guarded=True)
        else:
            self._added = {}
            groups = []
            for group, constraints in solvers_of_groups(ctx, grouped, self.linker):
                self._added.setdefault(id(group.solver), set()).update(
                    c.get_id() for c in constraints
                )
                groups.append(group)
        for group in groups:
            self._add(group, [r for i in group.ids for r in self.switches[i].rules])
        self.groups = groups
        findings = _Findings.of_groups(spec, criteria, groups, self.switches, work_limit)
        found = list(findings.run())
        work, work_of = findings.work, [g.work for g in groups]
        if any(d.code == "E0401" for _, d in found):  # what `run` said is the singles
            singles: list[tuple[str | None, Diagnostic]] | None = found
        elif nobody_eligible:
            # another part makes nobody eligible: what is said of these criteria then
            # (its questions count towards no limit: with an E0401 none applies)
            singles = list(findings.singles())
        else:
            singles = None
        return Analysis(
            found,
            [list(g.ids) for g in groups],
            findings.gave_up,
            work,
            work_of,
            singles,
        )

    def _add(self, group: _Group, formulas: Iterable[z3.BoolRef], guarded: bool = False) -> None:
        """Add to the group's solver the formulas it does not hold yet (a constraint of a
        small group switched on by its guard, as `logic.solvers_of_groups` adds it)."""
        added = self._added.setdefault(id(group.solver), set())
        for formula in formulas:
            key = formula.get_id()
            if key in added:
                continue
            added.add(key)
            if guarded and group.guard is not None:
                formula = make.implication(group.guard, formula)
            group.solver.add(formula)


def same_but_numbers(a: Any, b: Any) -> bool:
    """Whether two model values are equal but for the numbers they hold (a number, or the
    amount of a quantity with the same unit), wherever they stand."""
    if type(a) is not type(b):
        return False
    if isinstance(a, m.NumberLit):
        return True
    if isinstance(a, m.Quantity):
        return bool(a.unit == b.unit)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same_but_numbers(x, y) for x, y in zip(a, b, strict=True))
    fields = m.node_fields(type(a))
    if fields is None:
        return bool(a == b)
    return all(
        name == "span" or same_but_numbers(getattr(a, name), getattr(b, name)) for name in fields
    )
