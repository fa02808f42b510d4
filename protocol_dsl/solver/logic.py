"""What no subject can satisfy: the solver findings of `protocol check` (E04xx/W04xx).

Every finding here rests on an *unsatisfiable* query over the over-approximating
encoding of `encode` (check mode), so it holds for real subjects; a
satisfiable answer or a query that runs out of effort never produces a finding.  That rules
out false alarms from the abstractions (aggregates, calendar bounds, missing
data): they can only hide a problem, never invent one.  The queries:

* E0401 no subject can be eligible: all inclusions met and all exclusions not
  met is unsatisfiable.  The conflicting criteria are a minimal set, found by
  deletion in the criteria's order (dropping any one of them makes the rest
  satisfiable).  Which set that is rests only on the solver's answers, never on
  which unsat core it happened to give (the cores only spare queries whose
  answer is already known), so the same criteria are named however the terms
  were numbered: the language server analyses part of a spec in a context of
  its own (`analyse_criteria`) and gets the findings of the whole.
  A single inclusion that can never be met, or a single exclusion that every
  subject meets, is the one-criterion case.
* For each criterion, "fails only this one" (every other criterion passes):
  when that is unsatisfiable the criterion never decides anything on its own.
  - an inclusion that cannot fail at all is always met (W0402);
  - otherwise it is implied by the others (W0404, naming a minimal set);
  - an exclusion that no subject meeting the inclusions can meet never
    excludes anyone (W0403, naming a minimal set of inclusions, or none when
    it can never be met at all);
  - otherwise every subject it excludes is already excluded by other
    exclusions (W0404).

The criteria are analysed in groups that share no variable (`groups`): a
query about one criterion involves only its own group, which is exact, since
a conjunction of independent parts is satisfiable when each part is.  Each
independent contradiction gets its own E0401.  For the same reason the
queries of small groups that share a solver are first asked all at once: when
that answer is "satisfiable", so is each of them, and no finding is possible.
In a large group, a criterion that can be made to fail by changing only its
own variables in a subject who passes everything needs no query of the whole
group (`alone`).  The per-criterion queries of a spec stop at a deterministic
effort limit (`WORK_LIMIT`, N0904) that only a machine-made spec reaches;
`protocol check --thorough` lifts it.

"Always" and "never" are about subjects with complete data: with missing data
any criterion can be unknown.  Item ranges are part of the question (a
subject's values lie within their items' allowed ranges).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import attrs
import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.solver import links, make
from protocol_dsl.solver.alone import OwnParts, Shortcut
from protocol_dsl.solver.encode import Encoder, formal_criteria, items_tested_for_missing
from protocol_dsl.solver.groups import Linker, connected_groups
from protocol_dsl.solver.terms import as_formula
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer

#: Solver effort per query (a deterministic resource limit, so the same spec always
#: gets the same findings); running out only means no finding.
RLIMIT = 5_000_000

#: Effort of the per-criterion queries of one spec, counted as the criterion
#: switches passed to the solver (deterministic, like RLIMIT).  Each query
#: involves every other criterion it is connected with, so the work grows with
#: the square of a group of connected criteria: a real protocol (tens of
#: criteria) stays far below the limit, a machine-made spec with hundreds of
#: connected criteria stops with a note (N0904) instead of taking minutes.
#: `protocol check --thorough` lifts the limit.
WORK_LIMIT = 20_000


def analyse(
    spec: Spec, *, thorough: bool = False, workspace: Workspace | None = None
) -> list[Diagnostic]:
    return [finding for _, finding in analyse_criteria(spec, None, thorough, workspace).findings]


@attrs.frozen
class Analysis:
    """The findings of an analysis, each with the criterion it is about (for E0401, which
    is about several, the first it names; None for N0904), and what a caller needs to
    tell whether the findings of part of a spec are those of the whole (`lsp.whole_set`)."""

    findings: list[tuple[str | None, Diagnostic]]
    #: the criteria (by id) in their groups: no variable links two groups
    groups: list[list[str]]
    #: a query ran out of effort (RLIMIT): where it stops depends on what the solver holds
    gave_up: bool
    #: criterion queries counted towards WORK_LIMIT, in all and by group (as `groups`)
    work: int
    work_of: list[int]
    #: what is said of the criteria when nobody is eligible (E0401 here or in another
    #: part: `_Findings.singles`, the E0401s included), when the analysis found it (`kept`)
    singles: list[tuple[str | None, Diagnostic]] | None = None


def analyse_criteria(
    spec: Spec,
    only: Collection[str] | None = None,
    thorough: bool = False,
    workspace: Workspace | None = None,
    part: dict[str, int] | None = None,
    knowable: set[tuple[int, str, str]] | None = None,
) -> Analysis:
    """The analysis of the formal criteria, or of those in `only` (by id) as if the spec
    had no other.  `only` gives the findings of the whole spec about those criteria when
    no other criterion shares a variable with them (see `lsp.whole_set`).

    The criteria are encoded part by part (`links`: criteria that read nothing in common
    never share a variable): each part of BATCH criteria or more in a z3 context of its
    own, every smaller part in one shared context.  A large group's analysis rests on
    its solver's models (`alone`), which depend on everything its context holds and the
    order its terms were made in; in a context of its own, that is the group alone, so
    it is analysed the same way whatever else the spec holds.  (A small group's findings
    rest on the solver's answers only.)  `part` and `knowable` (the items tested with
    `is known`, `encode.items_tested_for_missing`): when the caller has them.
    """
    criteria = formal_criteria(spec)
    if only is not None:
        criteria = [c for c in criteria if c.id in only]
    if not criteria:
        return Analysis([], [], False, 0, [])
    if part is None:
        reads = links.Reads(spec)
        part = links.parts({c.id: reads.criterion(c) for c in criteria})
    if knowable is None:
        knowable = items_tested_for_missing(spec)
    units = []
    made = []
    for unit in _units(criteria, part):
        context = workspace.context() if workspace is not None else None
        encoder = Encoder(spec, "check", ctx=context, knowable=knowable)
        conds = {c.id: encoder.criterion(c) for c in unit}
        encoder.finalize()
        units.append((encoder, unit, conds))
        made.append((encoder, conds))
    findings = _Findings(spec, criteria, units, None if thorough else WORK_LIMIT)
    found = list(findings.run())
    if workspace is not None:
        workspace.leave(findings, made)
    groups = findings.groups
    return Analysis(
        found,
        [list(g.ids) for g in groups],
        findings.gave_up,
        findings.work,
        [g.work for g in groups],
    )


def _units(criteria: list[m.Criterion], part: dict[str, int]) -> list[list[m.Criterion]]:
    """The criteria each encoder encodes: the small parts together, then each large part."""
    members: dict[int, list[m.Criterion]] = {}
    for c in criteria:
        members.setdefault(part[c.id], []).append(c)
    small = [c for c in criteria if len(members[part[c.id]]) < BATCH]
    large = [unit for unit in members.values() if len(unit) >= BATCH]
    return ([small] if small else []) + large


class Workspace:
    """Where a long-lived caller (the language server) has the analysis run: a z3 context
    made before it is needed, and the terms of the last analysis freed after its findings
    are out.

    Each analysis still works in a context nothing else has used, as in a fresh process
    (z3's answers depend on everything a context holds): what moves is only the making
    of the context and the freeing of the terms, off the path from an edit to its
    findings.  Not safe to share between threads: the caller holds it under its lock.
    """

    #: Analyses kept for `tidy` at most: when checks follow each other without a pause
    #: (each superseded by the next edit before it was published), the oldest is freed.
    KEPT = 2

    #: Contexts made beforehand: an analysis uses one for the small parts of a spec and
    #: one for each large part (`analyse_criteria`).
    SPARE = 2

    def __init__(self) -> None:
        self._spare: list[z3.Context] = []
        self._done: list[tuple[object, ...]] = []

    def context(self) -> z3.Context:
        """A context no analysis has used: one made beforehand, or a new one."""
        return self._spare.pop() if self._spare else z3.Context()

    def leave(self, *parts: object) -> None:
        """Keep what an analysis made until `tidy`."""
        self._done.append(parts)
        if len(self._done) > self.KEPT:
            del self._done[0]

    @property
    def waiting(self) -> int:
        """How many analyses wait for `tidy` to free what they made."""
        return len(self._done)

    def tidy(self) -> None:
        """Between analyses: free what the last ones made, make the next contexts."""
        self._done.clear()
        while len(self._spare) < self.SPARE:
            self._spare.append(z3.Context())


#: Small groups share a solver, up to this many criteria per solver.  z3 spends
#: about half a millisecond setting up a solver for its first query, and a query
#: costs time in proportion to everything the solver holds: a spec of many
#: independent criteria is analysed fastest in batches of a dozen or so.
BATCH = 16


class _Group:
    """Criteria that share variables, directly or through domain constraints: what one
    of them can do never depends on another group.  A small group shares its solver
    with other small groups, its domain constraints switched on by its own `guard`
    (an assumption of each of its queries), so no query sees another group's."""

    def __init__(self, ids: list[str], solver: z3.Solver, guard: z3.BoolRef | None, linker: Linker):
        self.ids = ids
        self.solver = solver
        self.guard = guard
        #: what knows the variables of the terms of the group's context
        self.linker = linker
        #: the criterion queries asked about the group (towards WORK_LIMIT)
        self.work = 0


def _new_solver(ctx: z3.Context) -> z3.Solver:
    solver = z3.Solver(ctx=ctx)
    solver.set("rlimit", RLIMIT)
    return solver


@attrs.frozen
class Switches:
    """A criterion's two switches (one per polarity: the queries are assumptions over
    them), the formulas they turn on, and the rules that say so."""

    on: z3.BoolRef
    off: z3.BoolRef
    passes: z3.BoolRef
    fails: z3.BoolRef
    rules: list[z3.BoolRef]

    @classmethod
    def of(cls, c: m.Criterion, cond: Any, ctx: z3.Context, version: str = "") -> Switches:
        """`version` tells a criterion's switches apart from those of its earlier versions
        in one context (`kept`).  (The terms are made in this order in every analysis: a
        large group's findings rest on models, which depend on it.)"""
        on = make.bool_const(f"passes:{c.id}{version}", ctx)
        off = make.bool_const(f"fails:{c.id}{version}", ctx)
        passes = as_formula(Encoder.passes(c, cond), ctx)
        fails = as_formula(Encoder.fails(c, cond), ctx)
        rules = [make.implication(on, passes), make.implication(off, fails)]
        return cls(on, off, passes, fails, rules)


def solvers_of_groups(
    ctx: z3.Context, grouped: list[tuple[list[str], list[z3.BoolRef]]], linker: Linker
) -> Iterator[tuple[_Group, list[z3.BoolRef]]]:
    """Each group with its solver, its domain constraints added (the criteria's rules are
    the caller's to add): a solver of its own for a group of BATCH criteria or more, the
    smaller ones sharing solvers, each one's constraints switched on by its guard."""
    shared, room = None, 0
    for ids, constraints in grouped:
        if len(ids) >= BATCH:
            group = _Group(ids, _new_solver(ctx), None, linker)
        else:
            if shared is None or len(ids) > room:
                shared, room = _new_solver(ctx), BATCH
            room -= len(ids)
            group = _Group(ids, shared, make.bool_const(f"group:{ids[0]}", ctx), linker)
        guard = group.guard
        group.solver.add(*[c if guard is None else make.implication(guard, c) for c in constraints])
        yield group, constraints


class _Findings:
    def __init__(
        self,
        spec: Spec,
        criteria: list[m.Criterion],
        units: list[tuple[Encoder, list[m.Criterion], dict]],
        work_limit: int | None,
    ):
        self.spec = spec
        self.criteria = criteria
        self.by_id = {c.id: c for c in criteria}
        self.work = 0
        self.work_limit = work_limit
        self.gave_up = False
        # one switch per criterion and polarity: the queries are assumptions over them
        self.passes: dict[str, z3.BoolRef] = {}
        self.fails: dict[str, z3.BoolRef] = {}
        #: criterion → its passing and failing formulas (what the switches turn on)
        self.formulas: dict[str, list[z3.BoolRef]] = {}
        self.group_of: dict[str, _Group] = {}
        self.groups: list[_Group] = []
        #: groups whose domain constraints admit no subject at all, whatever the
        #: criteria say (a visit window that ends before it starts): the schedule
        #: checks report the cause, and no finding about their criteria means anything
        self.void: set[int] = set()
        #: large group → its domain constraints (for `alone`)
        self.constraints: dict[int, list[z3.BoolRef]] = {}
        #: large group → small queries against a subject passing all its criteria
        self.shortcuts: dict[int, Shortcut] = {}
        for encoder, unit, conds in units:
            self._add_unit(encoder, unit, conds)

    @classmethod
    def of_groups(
        cls,
        spec: Spec,
        criteria: list[m.Criterion],
        groups: list[_Group],
        switches: dict[str, Switches],
        work_limit: int | None,
    ) -> _Findings:
        """The analysis of small groups whose solvers hold their criteria's rules already
        (`kept`): no group of BATCH criteria or more, whose analysis would read models."""
        findings = cls(spec, criteria, [], work_limit)
        for c in criteria:
            one = switches[c.id]
            findings.passes[c.id], findings.fails[c.id] = one.on, one.off
            findings.formulas[c.id] = [one.passes, one.fails]
        for group in groups:
            assert len(group.ids) < BATCH
            for i in group.ids:
                findings.group_of[i] = group
            findings.groups.append(group)
        return findings

    def _add_unit(self, encoder: Encoder, criteria: list[m.Criterion], conds: dict) -> None:
        """The groups of the criteria one encoder encoded, in its context."""
        ctx = encoder.ctx
        switches = {c.id: Switches.of(c, conds[c.id], ctx) for c in criteria}
        for c in criteria:
            one = switches[c.id]
            self.formulas[c.id] = [one.passes, one.fails]
            self.passes[c.id], self.fails[c.id] = one.on, one.off
        linker = Linker(ctx)
        grouped = connected_groups(
            ctx, [c.id for c in criteria], {i: s.rules for i, s in switches.items()},
            encoder.constraints, linker,
        )  # fmt: skip
        for group, constraints in solvers_of_groups(ctx, grouped, linker):
            if group.guard is None:
                self.constraints[id(group)] = constraints
            for i in group.ids:
                group.solver.add(*switches[i].rules)
                self.group_of[i] = group
            self.groups.append(group)

    def run(self) -> Iterator[tuple[str | None, Diagnostic]]:
        contradictory = False
        for sharing in self._sharing_a_solver(self.groups):
            # independent groups: all of them can be passed at once exactly when each can
            if self._all_satisfiable(sharing, [[self.passes[i] for i in g.ids] for g in sharing]):
                continue
            for group in sharing:
                answer = self._check(group, [self.passes[i] for i in group.ids])
                if answer == z3.unsat:
                    # one finding per independent conflict, each named by a minimal core
                    core = self._minimal(group, group.ids, [])
                    if not core:  # contradictory without any criterion
                        self.void.add(id(group))
                        continue
                    # about several criteria: given with the first it names
                    yield core[0], self._nobody_eligible(core)
                    contradictory = True
                elif answer == z3.sat and id(group) in self.constraints:
                    formulas = {i: self.formulas[i] for i in group.ids}
                    parts = OwnParts(group.linker, formulas, self.constraints[id(group)])
                    self.shortcuts[id(group)] = Shortcut(
                        group.solver.ctx, group.linker, parts, group.solver.model(), RLIMIT
                    )
        if contradictory:
            # with nobody eligible every criterion "never decides alone": only the
            # criteria that are constant by themselves are worth a word
            yield from self.singles()
            return
        # Criteria of small groups first: their queries are cheap, so a limit reached
        # in a large group leaves as few criteria unanalysed as it can.
        analysed = [c for c in self.criteria if id(self.group_of[c.id]) not in self.void]
        order = sorted(analysed, key=lambda c: len(self.group_of[c.id].ids))
        position, alone_until = 0, 0
        while position < len(order):
            c = order[position]
            if self.work_limit is not None and self.work >= self.work_limit:
                yield None, self._stopped(c, position, len(order))
                return
            if position >= alone_until:
                batch = self._next_batch(order, position)
                # (a batch of one is asked by `_criterion_findings`: no query to build here)
                if len(batch) > 1 and self._all_satisfiable(
                    [self.group_of[i.id] for i in batch], [self._query(i) for i in batch]
                ):
                    position += len(batch)  # no finding for any of them
                    continue
                alone_until = position + len(batch)
            yield from ((c.id, d) for d in self._criterion_findings(c))
            position += 1

    def _query(self, c: m.Criterion) -> list[z3.BoolRef]:
        """Can `c` fail while every other criterion of its group passes?"""
        others = [i for i in self.group_of[c.id].ids if i != c.id]
        return [self.passes[i] for i in others] + [self.fails[c.id]]

    def _sharing_a_solver(self, groups: list[_Group]) -> Iterator[list[_Group]]:
        """The groups in order, in runs of neighbours that share one solver."""
        run: list[_Group] = []
        for group in groups:
            if run and group.solver is not run[0].solver:
                yield run
                run = []
            run.append(group)
        if run:
            yield run

    def _next_batch(self, order: list[m.Criterion], start: int) -> list[m.Criterion]:
        """`order[start]` and the criteria after it whose first queries can be asked at
        once: of other groups on the same shared solver, none past the effort limit."""
        first = self.group_of[order[start].id]
        if first.guard is None:  # a group with a solver of its own
            return [order[start]]
        # a query names every criterion of its group once: its effort is the group's size
        batch, seen, work = [order[start]], {id(first)}, self.work + len(first.ids)
        for c in order[start + 1 :]:
            group = self.group_of[c.id]
            if group.solver is not first.solver or id(group) in seen:
                break
            if self.work_limit is not None and work >= self.work_limit:
                break
            batch.append(c)
            seen.add(id(group))
            work += len(group.ids)
        return batch

    def _all_satisfiable(self, groups: list[_Group], queries: list[list[z3.BoolRef]]) -> bool:
        """Ask the queries of independent groups on one solver at once.

        True: each of them is satisfiable, and the effort is counted as if each had been
        asked alone (so the effort limit stops at the same criterion either way).
        False: at least one is not (or the solver gave up): ask them one by one.
        """
        if len(groups) < 2:
            return False
        assumptions = [a for query in queries for a in query]
        guards = [g.guard for g in groups if g.guard is not None]
        if groups[0].solver.check(*guards, *assumptions) != z3.sat:
            return False
        self.work += len(assumptions)
        for group, query in zip(groups, queries, strict=True):
            group.work += len(query)
        return True

    def _criterion_findings(self, c: m.Criterion) -> Iterator[Diagnostic]:
        group = self.group_of[c.id]
        shortcut = self.shortcuts.get(id(group))
        if shortcut is not None and shortcut.fails_alone(c.id, self.formulas[c.id][1]):
            return  # it can fail while the others pass: nothing to say
        others = [i for i in group.ids if i != c.id]
        query = [self.passes[i] for i in others] + [self.fails[c.id]]
        if self._check(group, query) != z3.unsat:
            return
        if c.kind == "inclusion":
            if self._check(group, [self.fails[c.id]]) == z3.unsat:
                yield self._always_met(c)
            else:
                implying = self._minimal(group, others, [self.fails[c.id]])
                yield self._redundant(c, implying)
            return
        inclusions = [i for i in group.ids if self.by_id[i].kind == "inclusion"]
        fails = [self.fails[c.id]]
        if self._check(group, [self.passes[i] for i in inclusions] + fails) == z3.unsat:
            if self._check(group, fails) == z3.unsat:
                yield self._never_excludes(c, [])
            else:
                yield self._never_excludes(c, self._minimal(group, inclusions, fails))
        else:
            yield self._redundant(c, self._minimal(group, others, fails))

    def singles(self) -> Iterator[tuple[str, Diagnostic]]:
        """What is said of each criterion when nobody is eligible (here or, for the
        criteria of one part, in another part: `kept`).  After `run`, which finds the
        groups whose domain constraints admit no subject."""
        for c in self.criteria:
            if id(self.group_of[c.id]) not in self.void:
                yield from ((c.id, d) for d in self._single_findings(c))

    def _single_findings(self, c: m.Criterion) -> Iterator[Diagnostic]:
        """With nobody eligible, still say which criteria are constant on their own."""
        if self._check(self.group_of[c.id], [self.fails[c.id]]) != z3.unsat:
            return
        if c.kind == "inclusion":
            yield self._always_met(c)
        else:
            yield self._never_excludes(c, [])

    # ------------------------------------------------------------ solver

    def _check(self, group: _Group, assumptions: list[z3.BoolRef]) -> z3.CheckSatResult:
        self.work += len(assumptions)
        group.work += len(assumptions)
        if group.guard is not None:
            assumptions = [group.guard, *assumptions]
        answer = group.solver.check(*assumptions)
        if answer == z3.unknown:
            self.gave_up = True
        return answer

    def _minimal(self, group: _Group, candidates: list[str], fixed: list[z3.BoolRef]) -> list[str]:
        """A minimal subset of `candidates` (passing) that is unsatisfiable with `fixed`:
        each candidate in turn, the last first, is dropped when the rest without it is
        still unsatisfiable (so the criteria named are the earliest that will do).

        The result rests on the answers alone.  An unsat core only spares a query: a
        candidate outside the last core is dropped without asking, since the core, still
        all kept, is unsatisfiable without it (which core z3 gives depends on how its
        terms were numbered; the criteria named must not).  The query spared still
        counts towards the effort limit, so the count rests on the answers alone too.
        """
        if self._check(group, [self.passes[i] for i in candidates] + fixed) != z3.unsat:
            return list(candidates)
        core = self._core(group)
        kept = list(candidates)
        for candidate in reversed(candidates):
            trial = [i for i in kept if i != candidate]
            if self.passes[candidate].get_id() not in core:
                self.work += len(trial) + len(fixed)
                group.work += len(trial) + len(fixed)
                kept = trial
            elif self._check(group, [self.passes[i] for i in trial] + fixed) == z3.unsat:
                kept, core = trial, self._core(group)
        return kept

    @staticmethod
    def _core(group: _Group) -> set[int]:
        return {a.get_id() for a in group.solver.unsat_core()}

    def _stopped(self, first: m.Criterion, analysed: int, total: int) -> Diagnostic:
        """N0904 at the first criterion left unanalysed."""
        assert first.rule is not None
        return Diagnostic(
            "N0904",
            "note",
            f"the search for redundant and constant criteria stopped after {analysed} of "
            f"{total} criteria: {first.id} and {total - analysed - 1} more were not analysed",
            first.rule.span,
            notes=(
                f"{len(self.group_of[first.id].ids)} criteria are connected through shared "
                "items, dates or definitions, and analysing each against all the others "
                f"exceeds the effort one check spends ({self.work_limit:,} criterion queries)",
            ),
            help="run `protocol check --thorough` to analyse every criterion (it takes longer)",
        )

    # ------------------------------------------------------------ diagnostics

    def _describe(self, criterion: m.Criterion) -> str:
        assert criterion.rule is not None
        return f"{criterion.kind} {criterion.id}: {_short(printer.expr(criterion.rule))}"

    def _label(self, criterion: m.Criterion, note: str = "") -> Label:
        assert criterion.rule is not None
        return Label(criterion.rule.span, note or self._describe(criterion))

    def _nobody_eligible(self, core: list[str]) -> Diagnostic:
        criteria = [self.by_id[i] for i in core]
        first = criteria[0]
        assert first.rule is not None
        if len(criteria) == 1:
            what = (
                f"inclusion {first.id} can never be met"
                if first.kind == "inclusion"
                else f"every subject meets exclusion {first.id}"
            )
            message = f"no subject can be eligible: {what}"
            help_text = "check the numbers and ranges in this rule"
        else:
            message = (
                "no subject can be eligible: "
                + _join([c.id for c in criteria])
                + " contradict each other"
            )
            help_text = (
                "no subject meets these inclusions without meeting one of these exclusions; "
                "change one of them"
            )
        return Diagnostic(
            "E0401",
            "error",
            message,
            first.rule.span,
            labels=tuple(self._label(c) for c in criteria[1:]),
            notes=tuple(self._describe(c) for c in criteria),
            help=help_text,
        )

    def _always_met(self, criterion: m.Criterion) -> Diagnostic:
        assert criterion.rule is not None
        return self._verdict(
            "W0402",
            criterion,
            f"inclusion {criterion.id} is met by every subject whose data are complete",
            [],
            "it excludes nobody: check the thresholds against the items' ranges, "
            "or remove the criterion",
        )

    def _never_excludes(self, criterion: m.Criterion, inclusions: list[str]) -> Diagnostic:
        assert criterion.rule is not None
        if not inclusions:
            message = f"exclusion {criterion.id} can never be met, so it excludes nobody"
            help_text = "check the thresholds against the items' ranges, or remove the criterion"
        else:
            message = (
                f"exclusion {criterion.id} excludes nobody: no subject who meets "
                f"{_join(inclusions)} can meet it"
            )
            help_text = "the inclusions already rule these subjects out; remove the exclusion or "
            help_text += "correct the criteria"
        return self._verdict("W0403", criterion, message, inclusions, help_text)

    def _redundant(self, criterion: m.Criterion, others: list[str]) -> Diagnostic:
        assert criterion.rule is not None
        if criterion.kind == "inclusion":
            message = (
                f"inclusion {criterion.id} is redundant: every subject who passes "
                f"{_join(others)} meets it"
            )
        else:
            message = (
                f"exclusion {criterion.id} is redundant: every subject it excludes "
                f"is already ruled out by {_join(others)}"
            )
        help_text = "it never decides eligibility on its own; remove it or correct the criteria"
        return self._verdict("W0404", criterion, message, others, help_text)

    def _verdict(
        self, code: str, criterion: m.Criterion, message: str, because: list[str], help_text: str
    ) -> Diagnostic:
        """A warning that one criterion never decides eligibility: on its rule, with the
        criteria (by id) that make it so labelled and the criterion described."""
        assert criterion.rule is not None
        return Diagnostic(
            code,
            "warning",
            message,
            criterion.rule.span,
            labels=tuple(self._label(self.by_id[i]) for i in because),
            notes=(self._describe(criterion),),
            help=help_text,
        )


def _join(ids: list[str]) -> str:
    if len(ids) <= 1:
        return "".join(ids) or "the other criteria"
    return ", ".join(ids[:-1]) + " and " + ids[-1]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
