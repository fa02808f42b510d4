"""The semantic diff: compare two loaded specs declaration by declaration.

`diff(old, new)` compares the models, never the text: declarations are
matched by identity (criteria by id, items by form and name, visits, dose
levels, scores, tables, code lists, definitions, anchors, arms, elements,
epochs, interventions and endpoints by name, header fields by key, library
declarations through their alias), and equality ignores spans, so layout and
comments never produce a change (nor does the spelling of a comparison chain:
see `spelling`).  Each difference becomes a classified
`Change` (see `rules`); a declaration that differs in a way no specific rule
describes still produces its kind's generic change, so two specs with
different models never diff as equal.  Amendment blocks are metadata about
the change, not part of it, and are not compared.

A change in something criteria depend on (a definition, a derived value, a
score, a lookup value, a code list tested as a whole, an anchor, an item's
type) is reported as a change of eligibility, naming the criteria it
affects; one that only endpoints depend on, as a change of those endpoints.
So is a change of how their data are read (a conversion, a log's none
question, a mapping's `complete` line: see `reading`).

The modules of the diff depend on each other in one direction only: the
catalogue (`rules`) and the record of one change (`changes`); the helpers
(`matching`, `phrases`, `directions`, `conditions`, `depends`, `spelling`);
the record of a comparison (`recorder`) and the generic walker with its rule
tables (`walk`); the areas (`header`, `schedule`, `reading`, `dictionary`,
`eligibility`, `design`, `objectives`); this module, which runs them; and the
renderings (`render`, `rationale`, `subjects`).
"""

from __future__ import annotations

from collections.abc import Iterator

from generators.diff import (
    analysis,
    design,
    dictionary,
    eligibility,
    header,
    moves,
    narrative,
    objectives,
    randomisation,
    reading,
    renames,
    rules,
    schedule,
)
from generators.diff.changes import Change
from generators.diff.depends import prefixes
from generators.diff.matching import match
from generators.diff.recorder import Differ, phase_of
from generators.diff.spelling import plain
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

__all__ = ["diff", "phase_of"]


def diff(old: Spec, new: Spec) -> list[Change]:
    """Every classified change from `old` to `new`, by ICH M11 section then source order."""
    old, new = plain(old, new)
    # a declaration moved between the trial and its libraries is read where it now is
    moved = moves.find(old, new)
    old = moves.apply(old, moved)
    renamed = renames.find(old, new)
    differ = Differ(renames.apply(old, renamed), renames.unmarked(new))
    relocating(differ, moved)
    renaming(differ, renamed)
    run(differ)
    order = {section: index for index, section in enumerate(rules.SECTIONS)}
    return sorted(differ.changes, key=lambda c: order.get(c.section, len(order)))


_RELOCATED = {
    "definition": "DEFINITION_RELOCATED",
    "code list": "CODELIST_RELOCATED",
    "criterion": "CRITERION_RELOCATED",
    "form": "FORM_RELOCATED",
}


def relocating(d: Differ, moved: list[moves.Move]) -> None:
    """One change per declaration moved between modules, named at both places (the rest of
    the diff reads it where it now is, and reports whatever else changed)."""
    for mv in moved:
        d.emit(
            _RELOCATED[mv.kind],
            "changed",
            f"{mv.kind} {mv.new}",
            f"moved from {_place(mv.old)} to {_place(mv.new)}, word for word ({mv.old} → {mv.new})",
            old=mv.old,
            new=mv.new,
            old_node=mv.old_declaration,
            new_node=mv.declaration,
            keys=(mv.new, mv.old),
        )


def _place(qualified: str) -> str:
    """Where a qualified name is declared: the trial, or the library by its alias."""
    return f"library {qualified.rsplit('.', 1)[0]}" if "." in qualified else "the trial"


_RENAMED = {
    "visit": "VISIT_RENAMED",
    "item": "ITEM_RENAMED",
    "endpoint": "ENDPOINT_RENAMED",
    "form": "FORM_RENAMED",
    "value": "CODELIST_VALUE_RENAMED",
}


def renaming(d: Differ, renamed: list[renames.Rename]) -> None:
    """One change per renamed visit, item or endpoint: its new name said, and how it is known
    to be the same (the rest of the diff compares it under its new name)."""
    for r in renamed:
        how = "stated by `was`" if r.stated else "the same content"
        target, old, new = f"{r.kind} {r.new}", r.old, r.new
        if r.kind == "value":  # a value is named bare, in its list
            codelist, new = r.new.split(".", 1)
            old = r.old.split(".", 1)[1]
            target = f"code list {codelist}, value {new}"
            how = "the same label and codes"
        d.emit(
            _RENAMED[r.kind],
            "changed",
            target,
            f"renamed {old} → {new} ({how})",
            old=old,
            new=new,
            old_node=r.old_node,
            new_node=r.new_node,
            keys=(new, old),
        )


def run(d: Differ) -> None:
    """Every comparison, in the order their changes are listed within a section."""
    header.header(d)
    schedule.follow_up(d)
    schedule.assessments(d)
    new_prefix = prefixes(d.new)
    old_prefix = prefixes(d.old)
    module(d, d.old, d.new, "")
    done = {id(d.new)}
    for old_lib, new_lib, prefix in libraries(d, d.old, d.new, ""):
        if id(new_lib) in done or new_prefix.get(id(new_lib)) != prefix:
            continue
        if old_prefix.get(id(old_lib)) != prefix:
            continue
        done.add(id(new_lib))
        if old_lib is not new_lib:  # one loader read both versions of an unchanged file
            module(d, old_lib, new_lib, prefix)
    # a conversion applies across the spec and its libraries: compared once, all together
    reading.conversions_diff(d)


def libraries(d: Differ, old: Spec, new: Spec, prefix: str) -> Iterator[tuple[Spec, Spec, str]]:
    """Library pairs by alias (breadth first), reporting libraries added or removed."""
    old_uses = {u.alias: u for u in old.module.of_type(m.Use)}
    new_uses = {u.alias: u for u in new.module.of_type(m.Use)}
    pairs: list[tuple[Spec, Spec, str]] = []
    for alias, old_use, new_use in match(old_uses, new_uses):
        name = prefix + alias
        if old_use is None:
            assert new_use is not None  # `match` pairs at least one side
            d.emit(
                "LIBRARY_ADDED",
                "added",
                f"library {name}",
                f"“{new_use.path}” imported",
                new_node=new_use,
                keys=(alias,),
            )
        elif new_use is None:
            d.emit(
                "LIBRARY_REMOVED",
                "removed",
                f"library {name}",
                f"“{old_use.path}” no longer imported",
                old_node=old_use,
                keys=(alias,),
            )
        elif alias in old.libraries and alias in new.libraries:
            pairs.append((old.libraries[alias], new.libraries[alias], name + "."))
    yield from pairs
    for old_lib, new_lib, name in pairs:
        yield from libraries(d, old_lib, new_lib, name)


def module(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    """The declarations of one module (the trial's or a library's) in both versions."""
    dictionary.codelists(d, old, new, prefix)
    dictionary.tables(d, old, new, prefix)
    dictionary.forms(d, old, new, prefix)
    dictionary.defines(d, old, new, prefix)
    dictionary.scores(d, old, new, prefix)
    eligibility.criteria(d, old, new)
    schedule.anchors(d, old, new, prefix)
    schedule.epochs(d, old, new)
    schedule.visits(d, old, new)
    design.elements(d, old, new)
    design.arms(d, old, new)
    design.interventions(d, old, new)
    design.dose_findings(d, old, new)
    randomisation.randomisation(d, old, new)
    randomisation.masking(d, old, new)
    design.regimens(d, old, new)
    objectives.objectives(d, old, new)
    analysis.populations(d, old, new)
    analysis.statistics(d, old, new)
    narrative.narratives(d, old, new)
    dictionary.mappings(d, old, new, prefix)
