"""The solver's check of the whole set of criteria, asked again only of what an edit touched.

The check (`checks.logic`) has two parts: thresholds against the items' ranges
(`solver.ranges`, criterion by criterion, with the definitions each reads) and
the solver's analysis (`solver.logic`).  The analysis works on groups of
criteria that share no variable, and what it finds about a criterion rests on
its group alone.  So when an edit changed some criteria and kept every other
declaration (the same object, or a copy the edit moved: `lineage`):

- the thresholds of the criteria it kept are those of the last check, moved with
  the edit;
- only the criteria that read something in common with a changed one
  (`solver.links`), and those that were in a group with one before the edit,
  can have other findings from the analysis.  They are analysed in contexts of
  their own, as if the spec had no other criteria (`analyse_criteria(only=…)`),
  which gives the findings of the whole spec about them: the minimal sets the
  findings name come from the solver's answers alone, never from its unsat
  cores, and a large group is analysed in a context of its own in every check.
  The other criteria keep their findings, moved with the edit.
- a part of fewer than `logic.BATCH` criteria keeps its context from one edit
  to the next: when the edit changed only numbers in its rules (a threshold
  typed), only the changed criteria are encoded again (`solver.kept`).

The analysis is asked whole again when something ties a criterion to the rest:

- an E0401 (no subject can be eligible) changes what is said of every criterion:
  an edit that makes nobody eligible, or somebody again, is analysed whole (an
  edit that leaves nobody eligible has the parts it touched asked what is said
  of their criteria then, `_Findings.singles`);
- the effort limit (N0904) stops the analysis at a criterion that depends on all
  the queries before it: the criteria are analysed apart only while the queries
  of all the groups, those kept and those asked again, stay below the limit (the
  queries about a group are the same whatever else the spec holds);
- a query that ran out of effort (RLIMIT) depends on everything its solver held;
- an item tested with `is known` is modelled with its absence wherever it is read:
  an edit that changes which items are tested changes other criteria's formulas.

Each full analysis also checks that the solver's groups lie within the parts
`solver.links` reads from the model; a spec where they do not (a link that
reading missed) is always analysed whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp import reuse
from protocol_dsl.lsp.lineage import Lineage, Moves
from protocol_dsl.solver import links
from protocol_dsl.spec import Spec, declaration_expressions

if TYPE_CHECKING:  # z3 is imported only for a spec with formal criteria
    from protocol_dsl.solver.kept import KeptPart
    from protocol_dsl.solver.logic import Analysis, Workspace

#: Parts kept in a context of their own per spec (`solver.kept`), at most.
PARTS_KEPT = 8

#: A declaration's place: its file and its number in the file.
Place = tuple[str, int]
#: An item tested with `is known`, by the path of its spec, its form and its name.
Tested = tuple[str, str, str]
K = TypeVar("K")


@attrs.frozen
class _Criterion:
    """What the last check found about one formal criterion, by the criterion's place."""

    id: str
    reads: frozenset[links.Token]
    thresholds: list[Diagnostic]


@attrs.frozen
class _Last:
    """The last check of one spec's criteria, with what it was made on."""

    modules: dict[str, m.Module]
    sources: dict[str, str]
    criteria: dict[Place, _Criterion]
    #: the items tested with `is known` outside the criteria, and in all
    tested_elsewhere: frozenset[Tested]
    tested: frozenset[Tested]
    #: criterion id → the analysis's findings about it
    findings: dict[str, list[Diagnostic]]
    groups: list[list[str]]
    #: the criterion queries of each group (as `groups`), towards `logic.WORK_LIMIT`
    work_of: list[int]
    #: whether the next edit may have only part of the criteria analysed
    apart: bool


class WholeSetChecks:
    """The last check of each spec, and the check of an edited one."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self._last: dict[str, _Last] = {}
        #: How many analyses were of part of the criteria, and how many criteria the
        #: analyses analysed (the tests read them).
        self.apart = 0
        self.analysed = 0
        #: Per spec: the parts analysed last in contexts kept between edits (`solver.kept`),
        #: by their criteria's ids, the most recent last.  Valid while every edit since
        #: changed criteria only: the whole analysis forgets them.
        self.parts: dict[str, OrderedDict[tuple[str, ...], KeptPart]] = {}
        #: How many parts were analysed in a kept context (the tests read it).
        self.parts_kept = 0

    def remembered(self, path: str, sources: dict[str, str], workspace: Workspace | None) -> _Run:
        """The check of the spec at `path` with these texts (`checks.logic.Remembered`)."""
        return _Run(self, path, sources, workspace)

    def last(self, path: str) -> _Last | None:
        return self._last.get(path)

    def keep(self, path: str, last: _Last) -> None:
        self._last[path] = last

    def kept(self, last: _Last, spec: Spec) -> dict[str, Moves] | None:
        """The moves from the last check's modules to the spec's, when an edit changed
        criteria only (the criteria's places and ids unchanged); None otherwise."""
        return self.lineage.criteria_moves(last.modules, _modules(spec), same_ids=True)


class _Run:
    """One check of one text: the thresholds first, then the analysis (`checks.logic`)."""

    def __init__(
        self,
        memory: WholeSetChecks,
        path: str,
        sources: dict[str, str],
        workspace: Workspace | None,
    ) -> None:
        self.memory = memory
        self.path = path
        self.sources = sources
        self.workspace = workspace
        self.last = memory.last(path)
        self.moves: dict[str, Moves] | None = None
        self.criteria: dict[Place, _Criterion] = {}
        self.places: dict[int, Place] = {}

    # ------------------------------------------------------------ thresholds

    def thresholds(self, spec: Spec) -> list[Diagnostic]:
        from protocol_dsl.solver import ranges

        last = self.last
        self.moves = self.memory.kept(last, spec) if last is not None else None
        self.places = _places(spec)
        formal = [c for c in spec.criteria if c.rule is not None]
        if any(id(c) not in self.places for c in formal):
            self.moves = None  # a criterion that is no declaration: nothing to remember
            return list(ranges.check(spec))
        remembered = {}
        for criterion in formal:
            place = self.places[id(criterion)]
            kept = self._kept(place)
            if kept is not None:
                remembered[place] = kept
        # the kept criteria's findings, moved with the edit all at once
        if remembered and last is not None:
            moved = _moved(
                {place: one.thresholds for place, one in remembered.items()},
                last.sources,
                self.sources,
            )
            if moved is None:
                remembered = {}
            else:
                remembered = {
                    place: attrs.evolve(one, thresholds=moved.get(place, []))
                    for place, one in remembered.items()
                }
        reads = links.Reads(spec)
        found: list[Diagnostic] = []
        for criterion in formal:
            place = self.places[id(criterion)]
            one = remembered.get(place)
            if one is None:
                own = list(ranges.check(spec, [criterion]))
                one = _Criterion(criterion.id, reads.criterion(criterion), own)
            self.criteria[place] = one
            found.extend(one.thresholds)
        # a definition read by several criteria is reported once
        return list({(d.code, d.span, d.message): d for d in found}.values())

    def _kept(self, place: Place) -> _Criterion | None:
        """What the last check found about the criterion at `place`, when the edit kept it."""
        if self.moves is None or self.last is None:
            return None
        remembered = self.last.criteria.get(place)
        moves = self.moves.get(place[0])
        if remembered is None or moves is None or not moves.kept(place[1]):
            return None
        return remembered

    # ------------------------------------------------------------ analysis

    def analysis(self, spec: Spec) -> list[Diagnostic]:
        from protocol_dsl.solver.logic import analyse_criteria

        criteria = [c for c in spec.criteria if c.rule is not None]
        if len(self.criteria) == len(criteria):
            described = [(c.id, self.criteria[self.places[id(c)]]) for c in criteria]
        else:  # a criterion without a place: remember nothing
            self.moves = None
            reads = links.Reads(spec)
            described = [(c.id, _Criterion(c.id, reads.criterion(c), [])) for c in criteria]
        part = links.parts({i: one.reads for i, one in described})
        elsewhere = self._tested_elsewhere(spec)
        tested = elsewhere | tested_in_criteria(one.reads for _, one in described)
        knowable = _knowable(spec, tested)
        found = None
        last = self.last
        if last is not None and self.moves is not None and last.apart and last.tested == tested:
            changed = [
                i
                for (i, _), c in zip(described, criteria, strict=True)
                if self._kept(self.places[id(c)]) is None
            ]
            found = self._apart(spec, last, changed, part, knowable)
        if found is None:
            self._forget_parts()
            analysis = analyse_criteria(
                spec, workspace=self.workspace, part=part, knowable=knowable
            )
            self.memory.analysed += len(criteria)
            findings: dict[str, list[Diagnostic]] = {}
            for criterion, finding in analysis.findings:
                findings.setdefault(criterion or "", []).append(finding)
            apart = (
                "" not in findings  # N0904, which depends on every query before it
                and not analysis.gave_up
                and links.within_parts(analysis.groups, part)
            )
            found = findings, analysis.groups, analysis.work_of, apart
        findings, groups, work_of, apart = found
        self.memory.keep(
            self.path,
            _Last(
                _modules(spec),
                dict(self.sources),
                self.criteria,
                elsewhere,
                tested,
                findings,
                groups,
                work_of,
                apart,
            ),
        )
        return [finding for one in findings.values() for finding in one]

    def _tested_elsewhere(self, spec: Spec) -> frozenset[Tested]:
        """The items tested with `is known` outside the criteria (the last check's, when the
        edit changed criteria only)."""
        if self.moves is not None and self.last is not None:
            return self.last.tested_elsewhere
        return tested_outside_criteria(spec)

    def _apart(
        self,
        spec: Spec,
        last: _Last,
        changed: list[str],
        part: dict[str, int],
        knowable: set[tuple[int, str, str]],
    ) -> tuple[dict[str, list[Diagnostic]], list[list[str]], list[int], bool] | None:
        """The findings with only the criteria an edit touched analysed again; None when the
        whole set must be (see the module's docstring)."""
        from protocol_dsl.solver.logic import WORK_LIMIT

        if {i for group in last.groups for i in group} != set(part):
            return None  # a criterion gained or lost its rule: its group is not what it was
        if not changed:
            moved = _moved(last.findings, last.sources, self.sources)
            return (moved, last.groups, last.work_of, True) if moved is not None else None
        # the parts of the changed criteria, and of those that shared a group with one
        # before the edit: every part such a criterion is in now
        group_of = {i: n for n, group in enumerate(last.groups) for i in group}
        touched_groups = {group_of[i] for i in changed if i in group_of}
        touched_parts = {part[i] for i in changed} | {
            part[i] for i in part if group_of.get(i) in touched_groups
        }
        region = {i for i in part if part[i] in touched_parts}
        if len(region) == len(part):
            return None  # nothing to keep: the whole set, as in a fresh check
        # with nobody eligible before the edit (an E0401 on record), the region's
        # criteria are asked what is said of them then, too
        was_nobody = _nobody_eligible(last.findings)
        analysis = self._region(spec, region, part, knowable, was_nobody)
        if analysis.gave_up or any(c is None for c, _ in analysis.findings):
            return None
        if not links.within_parts(analysis.groups, part):
            return None
        kept_groups = [n for n, g in enumerate(last.groups) if not region & set(g)]
        groups = [last.groups[n] for n in kept_groups] + analysis.groups
        work_of = [last.work_of[n] for n in kept_groups] + analysis.work_of
        outside = {i: f for i, f in last.findings.items() if i not in region}
        nobody = _nobody_eligible(outside) or any(d.code == "E0401" for _, d in analysis.findings)
        if nobody != was_nobody:
            # nobody eligible now and not before, or the other way round: what is said of
            # every other criterion changes
            return None
        found = analysis.findings
        if nobody:
            if analysis.singles is None:
                return None
            found = analysis.singles  # what `run` says when nobody is eligible
        elif sum(work_of) >= WORK_LIMIT:
            return None  # the whole analysis would stop at N0904: ask it whole
        findings: dict[str, list[Diagnostic]] = {}
        for criterion, finding in found:
            assert criterion is not None
            findings.setdefault(criterion, []).append(finding)
        moved = _moved(outside, last.sources, self.sources)
        if moved is None:
            return None
        findings.update(moved)
        self.memory.apart += 1
        self.memory.analysed += len(region)
        return findings, groups, work_of, True

    def _region(
        self,
        spec: Spec,
        region: set[str],
        part: dict[str, int],
        knowable: set[tuple[int, str, str]],
        nobody_eligible: bool,
    ) -> Analysis:
        """The analysis of the criteria in `region`, part by part: a small part in the
        context kept from its last analysis when the edit changed only numbers in its
        rules (`solver.kept`), else in a new one; a large part as a fresh check does.
        With `nobody_eligible`, also what is said of them when nobody is eligible
        (`Analysis.singles`: only for the small parts)."""
        from protocol_dsl.solver.encode import formal_criteria
        from protocol_dsl.solver.kept import KeptPart
        from protocol_dsl.solver.logic import WORK_LIMIT, Analysis, analyse_criteria

        kept = self.memory.parts.setdefault(self.path, OrderedDict())
        members: dict[int, list[m.Criterion]] = {}
        for c in formal_criteria(spec):
            if c.id in region:
                members.setdefault(part[c.id], []).append(c)
        found = []
        for criteria in members.values():
            if not KeptPart.fits(criteria):
                only = {c.id for c in criteria}
                found.append(
                    analyse_criteria(
                        spec, only, workspace=self.workspace, part=part, knowable=knowable
                    )
                )
                continue
            key = tuple(c.id for c in criteria)
            one = kept.pop(key, None)
            if one is not None and one.follows(criteria):
                self.memory.parts_kept += 1
            else:
                self._leave(one)
                one = KeptPart(spec, criteria, knowable, self._context())
            kept[key] = one
            while len(kept) > PARTS_KEPT:
                self._leave(kept.popitem(last=False)[1])
            found.append(one.analyse(spec, criteria, WORK_LIMIT, nobody_eligible))
        singles = [one.singles for one in found]
        return Analysis(
            [finding for one in found for finding in one.findings],
            [group for one in found for group in one.groups],
            any(one.gave_up for one in found),
            sum(one.work for one in found),
            [work for one in found for work in one.work_of],
            None if None in singles else [s for one in singles if one for s in one],
        )

    def _forget_parts(self) -> None:
        """The whole set is analysed again: the kept parts may no longer hold."""
        for one in self.memory.parts.pop(self.path, {}).values():
            self._leave(one)

    def _context(self) -> Any:
        if self.workspace is not None:
            return self.workspace.context()
        import z3

        return z3.Context()

    def _leave(self, part: KeptPart | None) -> None:
        """A part no longer kept, freed between checks when there is a workspace."""
        if part is not None and self.workspace is not None:
            self.workspace.leave(part)


def _nobody_eligible(findings: dict[str, list[Diagnostic]]) -> bool:
    return any(d.code == "E0401" for one in findings.values() for d in one)


def tested_outside_criteria(spec: Spec) -> frozenset[Tested]:
    """The items tested with `is known` by the declarations that are not criteria."""
    from protocol_dsl.solver.encode import items_tested_for_missing

    elsewhere = [
        one
        for owner in spec.all_specs()
        for decl in owner.module.declarations
        if not isinstance(decl, m.Criterion)
        for one in declaration_expressions(owner, decl)
    ]
    paths = {id(owner): owner.path for owner in spec.all_specs()}
    return frozenset(
        (paths[owner], form, item)
        for owner, form, item in items_tested_for_missing(spec, elsewhere)
    )


def tested_in_criteria(reads: Iterable[frozenset[links.Token]]) -> frozenset[Tested]:
    """The items tested with `is known` by criteria that read these (`links.Reads`)."""
    return frozenset(
        (token[1], token[2], token[3])
        for one in reads
        for token in one
        if isinstance(token, tuple) and token[0] == "known"
    )


def _modules(spec: Spec) -> dict[str, m.Module]:
    return {owner.path: owner.module for owner in spec.all_specs()}


def _places(spec: Spec) -> dict[int, Place]:
    """Each criterion declaration (by id) → its file and declaration number."""
    return {
        id(d): (owner.path, n)
        for owner in spec.all_specs()
        for n, d in enumerate(owner.module.declarations)
        if isinstance(d, m.Criterion)
    }


def _knowable(spec: Spec, tested: frozenset[Tested]) -> set[tuple[int, str, str]]:
    """`tested` as the encoder keys it (`encode.items_tested_for_missing`)."""
    owners = {owner.path: id(owner) for owner in spec.all_specs()}
    return {(owners[path], form, item) for path, form, item in tested if path in owners}


def _moved(
    findings: dict[K, list[Diagnostic]], before: dict[str, str], after: dict[str, str]
) -> dict[K, list[Diagnostic]] | None:
    flat = [(i, f) for i, found in findings.items() for f in found]
    moved = reuse.moved([f for _, f in flat], before, after)
    if moved is None:
        return None
    result: dict[K, list[Diagnostic]] = {}
    for (key, _), finding in zip(flat, moved, strict=True):
        result.setdefault(key, []).append(finding)
    return result
