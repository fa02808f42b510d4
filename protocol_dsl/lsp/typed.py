"""The type pass, asked again only of the criteria an edit changed.

The type check (E02xx), the unit check (E03xx) and the unused-item warning
(W0504) share one pass over the spec (`semantics.types.analysed`): the
problems it finds and the items it reads.  What typing a criterion's rule finds
and reads rests on that rule and on the declarations that are not criteria (a
rule cannot name another criterion); what typing everything else finds rests on
those declarations only.  The pass keeps the two apart (`Typer.of_criterion`,
`Typer.of_rest`).

So while an edit changed criteria only (every other declaration kept: the same
object, or a copy the edit moved, `lineage`), the server types the changed
criteria alone and puts the pass together from them and what the last pass
found, moved with the edit.  Any other edit, a definition that reads itself
(its type depends on where the typing began), or a form no longer found by its
name has the spec typed whole.
"""

from __future__ import annotations

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.lineage import Lineage, Moves, Shift
from protocol_dsl.semantics import types
from protocol_dsl.spec import Spec

#: A criterion's place: its file and its number in the file.
Place = tuple[str, int]
#: An item read, by the path of its spec, its form's name and its name.
Item = tuple[str, str, str]


@attrs.frozen
class _Last:
    modules: dict[str, m.Module]
    rest: tuple[list[Diagnostic], frozenset[Item]]
    criteria: dict[Place, tuple[list[Diagnostic], frozenset[Item]]]
    #: the whole pass: its problems and the items it read (by the id of their form)
    problems: list[Diagnostic]
    read: set[tuple[int, str]]


class TypedSpecs:
    """The last type pass of each spec, by what it found about each criterion."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self._last: dict[str, _Last] = {}
        #: How many criteria were typed again, and how many passes were put together
        #: (the tests read them).
        self.typed = 0
        self.assembled = 0

    def provide(self, spec: Spec, path: str) -> None:
        """Have the checks of `spec` (checked as `path`) find the pass put together."""
        last = self._last.pop(path, None)
        modules = {owner.path: owner.module for owner in spec.all_specs()}
        if last is not None and all(
            last.modules.get(path) is module for path, module in modules.items()
        ):
            # the same modules (the full check of the text the quick check checked)
            types.remember(spec, self._typer(spec, last.problems, last.read))
            self._last[path] = last
            return
        moves = self.lineage.criteria_moves(last.modules, modules) if last is not None else None
        if last is None or moves is None:
            self._keep(path, modules, types.analysed(spec))
            return
        shift = Shift(moves.values())
        rest = shift.findings(last.rest[0])
        if rest is None:
            self._keep(path, modules, types.analysed(spec))
            return
        problems: list[Diagnostic] = list(rest)  # type: ignore[arg-type]
        items: set[Item] = set(last.rest[1])
        criteria: dict[Place, tuple[list[Diagnostic], frozenset[Item]]] = {}
        fresh = types.Typer(spec, report=True)
        for owner in spec.all_specs():
            for number, decl in enumerate(owner.module.declarations):
                if not isinstance(decl, m.Criterion) or decl.rule is None:
                    continue
                place = (owner.path, number)
                found = self._kept(last, moves, shift, place)
                if found is None:
                    fresh.criterion(owner, decl)
                    self.typed += 1
                    own = fresh.of_criterion[id(decl)]
                    found = (list(own.problems), frozenset(own.items))
                criteria[place] = found
                problems.extend(found[0])
                items |= found[1]
        read = _by_form(spec, items)
        if fresh.cyclic or read is None:
            self._keep(path, modules, types.analysed(spec))
            return
        types.remember(spec, self._typer(spec, problems, read))
        self.assembled += 1
        rest_problems = problems[: len(rest)]
        self._last[path] = _Last(modules, (rest_problems, last.rest[1]), criteria, problems, read)

    @staticmethod
    def _typer(spec: Spec, problems: list[Diagnostic], read: set[tuple[int, str]]) -> types.Typer:
        typer = types.Typer(spec, report=True)
        typer.problems = list(problems)
        typer.items_read = set(read)
        return typer

    def _keep(self, path: str, modules: dict[str, m.Module], typer: types.Typer) -> None:
        """Remember a pass of the whole spec, unless a definition reads itself."""
        if typer.cyclic:
            return
        criteria = {}
        places = _places(modules)
        for key, found in typer.of_criterion.items():
            place = places.get(key)
            if place is None:
                return  # a criterion that is no declaration: nothing to remember it by
            criteria[place] = (list(found.problems), frozenset(found.items))
        rest = (list(typer.of_rest.problems), frozenset(typer.of_rest.items))
        self._last[path] = _Last(
            modules, rest, criteria, list(typer.problems), set(typer.items_read)
        )

    @staticmethod
    def _kept(
        last: _Last, moves: dict[str, Moves], shift: Shift, place: Place
    ) -> tuple[list[Diagnostic], frozenset[Item]] | None:
        remembered = last.criteria.get(place)
        if remembered is None or not moves[place[0]].kept(place[1]):
            return None
        problems = shift.findings(remembered[0])
        if problems is None:
            return None
        return list(problems), remembered[1]  # type: ignore[arg-type]


def _places(modules: dict[str, m.Module]) -> dict[int, Place]:
    return {
        id(decl): (path, number)
        for path, module in modules.items()
        for number, decl in enumerate(module.declarations)
        if isinstance(decl, m.Criterion)
    }


def _by_form(spec: Spec, items: set[Item]) -> set[tuple[int, str]] | None:
    """The items read as the pass keys them (by the id of their form); None when a form is
    no longer found by its name."""
    forms: dict[tuple[str, str], int] = {}
    for owner in spec.all_specs():
        for form in owner.module.of_type(m.Form):
            if forms.setdefault((owner.path, form.name), id(form)) != id(form):
                return None  # two forms of one name (E0101): which one a name reads is not ours
    read = set()
    for path, form, item in items:
        key = forms.get((path, form))
        if key is None:
            return None
        read.add((key, item))
    return read
