"""Checks made of one question per declaration, asked again only for a new declaration.

Some checks find their findings declaration by declaration, each from that
declaration alone (`field_details`: the `{ … }` details of its fields; `notes`:
its `provisional` and `question` marks).  The
re-parse of an edit keeps every declaration it did not touch: the same object
before the edit, a copy moved by the edit's length after it (`lineage`).  Such a
declaration means what it meant, and its findings are those it had, moved with
it.  They are kept by the declaration's place in its module, for the modules of
the last check only.

So are the nodes of a declaration that carry marks, where the `allow` marks are
read (`checks.allows`) and the previous names (`previous_names`): walking every
node of a long spec for its marks is what both would otherwise do at each edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from protocol_dsl import model as m
from protocol_dsl.checks import Check, field_details, notes, previous_names
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.lineage import Lineage, Shift
from protocol_dsl.spec import Spec

#: The checks that are one question per declaration, and that question.
PER_DECLARATION: dict[Check, Callable[[m.Declaration], Iterable[Diagnostic]]] = {
    field_details.check: field_details.declaration_findings,
    notes.check: notes.declaration_findings,
}

#: The checks that read the marked nodes of each declaration, run with a memory of them.
READING_MARKS: dict[Check, Callable[[Spec, m.MarkedNodes], Iterable[Diagnostic]]] = {
    previous_names.check: previous_names.findings,
}

#: The marked nodes of each declaration, by the declaration's id.
_Marked = dict[int, tuple[object, list[Any]]]

#: The module of each spec path a check ran on.
Modules = dict[str, m.Module]

#: A check's findings per declaration, by its spec's path and its number in the module.
_Kept = dict[tuple[str, int], tuple[m.Declaration, list[Diagnostic]]]


class DeclarationFindings:
    """The last findings of each per-declaration check, by declaration object."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self._kept: dict[Check, tuple[Modules, _Kept]] = {}
        #: How many declarations' findings were given back (the tests read it).
        self.reused = 0
        #: The modules of the last check and the marked nodes of their declarations.
        self._marked: tuple[Modules, _Marked] = ({}, {})
        #: How many declarations' marked nodes were given back (the tests read it).
        self.marks_reused = 0

    def wrap(self, checks: list[Check], marked: m.MarkedNodes) -> list[Check]:
        """`checks`, those that read marks reading them from `marked` (`marked_nodes`)."""
        return [self._one(check, marked) for check in checks]

    def _one(self, check: Check, marked: m.MarkedNodes) -> Check:
        if check in PER_DECLARATION:
            return self._wrapped(check)
        if check in READING_MARKS:
            findings = READING_MARKS[check]

            def reading(spec: Spec) -> Iterable[Diagnostic]:
                return findings(spec, marked)

            reading.__module__ = check.__module__
            return reading
        return check

    def marked_nodes(self, spec: Spec) -> m.MarkedNodes:
        """The marked nodes of a declaration, for one check of `spec`: those of a
        declaration of the last check given back, the others found and kept.  A copy of
        a declaration moved by an edit (`lineage`) has no marked node when the original
        had none; its marked nodes are found again otherwise (they are the copy's own)."""
        modules = _modules(spec)
        then, before = self._marked
        now: _Marked = {}
        # replaced as one value: the solver's check may run in another thread
        self._marked = (modules, now)
        unmarked: set[int] = set()
        for path, module in modules.items():
            earlier = then.get(path)
            moves = self.lineage.moves(earlier, module) if earlier is not None else None
            if moves is None or not moves.steps:
                continue
            assert earlier is not None
            for number, (old, new) in enumerate(
                zip(earlier.declarations, module.declarations, strict=True)
            ):
                last = before.get(id(old))
                if last is not None and last[0] is old and not last[1] and moves.kept(number):
                    unmarked.add(id(new))

        def marked(declaration: object) -> list[Any]:
            found = now.get(id(declaration)) or before.get(id(declaration))
            if found is not None and found[0] is declaration:
                self.marks_reused += 1
                nodes = found[1]
            elif id(declaration) in unmarked:
                self.marks_reused += 1
                nodes = []
            else:
                nodes = m.marked_nodes(declaration)
            now[id(declaration)] = (declaration, nodes)
            return nodes

        return marked

    def _wrapped(self, check: Check) -> Check:
        question = PER_DECLARATION[check]

        def kept(spec: Spec) -> list[Diagnostic]:
            then, before = self._kept.get(check, ({}, {}))
            modules = _modules(spec)
            now: _Kept = {}
            found: list[Diagnostic] = []
            moves_of = {
                path: self.lineage.moves(then[path], module) if path in then else None
                for path, module in modules.items()
            }
            shift = Shift(one for one in moves_of.values() if one is not None)
            # in the order of the check itself: the spec and its libraries, each in order
            for owner in spec.all_specs():
                module = owner.module
                earlier = then.get(owner.path)
                moves = moves_of[owner.path]
                for number, decl in enumerate(module.declarations):
                    moved = None
                    last = before.get((owner.path, number))
                    if (
                        moves is not None
                        and earlier is not None
                        and last is not None
                        and moves.kept(number)
                        and last[0] is earlier.declarations[number]
                    ):
                        moved = shift.findings(last[1])
                    if moved is None:
                        findings = list(question(decl))
                    else:
                        self.reused += 1
                        findings = cast(list[Diagnostic], moved)
                    now[(owner.path, number)] = (decl, findings)
                    found.extend(findings)
            self._kept[check] = (modules, now)
            return found

        # the family name of a check (E0999, N0903) comes from its module
        kept.__module__ = check.__module__
        return kept


def _modules(spec: Spec) -> Modules:
    return {owner.path: owner.module for owner in spec.all_specs()}
