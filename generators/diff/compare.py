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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from generators.diff import (
    design,
    dictionary,
    eligibility,
    header,
    objectives,
    reading,
    rules,
    schedule,
)
from generators.diff.changes import Change, make
from generators.diff.depends import Dependencies, prefixes
from generators.diff.directions import unranked
from generators.diff.matching import match
from generators.diff.phrases import mark_words
from generators.diff.spelling import plain
from protocol_dsl import model as m
from protocol_dsl.spec import Spec


def diff(old: Spec, new: Spec) -> list[Change]:
    """Every classified change from `old` to `new`, by ICH M11 section then source order."""
    differ = Differ(*plain(old, new))
    differ.run()
    order = {section: index for index, section in enumerate(rules.SECTIONS)}
    return sorted(differ.changes, key=lambda c: order.get(c.section, len(order)))


def phase_of(spec: Spec) -> rules.Phase:
    field = spec.trial_field("phase")
    return rules.fda_phase(field.value.text if field is not None else None)


class Differ:
    """The comparison of two versions: the changes found so far, and how to record one.

    The comparisons themselves live in one module per part of the protocol
    (`header`, `schedule`, `dictionary`, `eligibility`, `design`,
    `objectives`), each a function of the differ and the two specs.
    """

    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.phase = phase_of(new)
        self.changes: list[Change] = []
        self.old_deps = Dependencies(old)
        self.new_deps = Dependencies(new)
        order = [c.id for c in new.criteria] + [c.id for c in old.criteria]
        order += [e.name for o in new.objectives for e in o.endpoints]
        order += [e.name for o in old.objectives for e in o.endpoints]
        self.user_order = {name: index for index, name in reversed(list(enumerate(order)))}
        self.criterion_ids = {c.id for c in new.criteria} | {c.id for c in old.criteria}

    def emit(
        self,
        rule_id: str,
        direction: str,
        target: str,
        summary: str,
        *,
        old: str | None = None,
        new: str | None = None,
        old_node: object = None,
        new_node: object = None,
        keys: Sequence[str] = (),
        affects: Sequence[str] = (),
        section: str | None = None,
    ) -> None:
        if direction not in rules.RULES[rule_id].verdicts:
            direction = "changed"  # e.g. two values of a field that cannot be ordered
        self.changes.append(
            make(
                rule_id,
                direction,
                self.phase,
                target=target,
                summary=summary,
                old=old,
                new=new,
                old_span=getattr(old_node, "span", None),
                new_span=getattr(new_node, "span", None),
                keys=tuple(dict.fromkeys(keys)),
                affects=tuple(affects),
                section=section,
            )
        )

    def emit_dependency(
        self,
        own_rule: str,
        direction: str,
        dependency: str | Sequence[str],
        target: str,
        summary: str,
        *,
        eligibility: str | None = None,
        unknown_effect: str | None = None,
        **fields: Any,
    ) -> None:
        """A change of something criteria or endpoints may use: classified by who uses it.

        `dependency` is one declaration key or several (a conversion reaches every item it
        applies to); `unknown_effect` says, when criteria are affected, why the direction
        of eligibility cannot be computed."""
        keys = (dependency,) if isinstance(dependency, str) else tuple(dependency)
        users: set[str] = set()
        for reached in keys:
            users |= self.old_deps.users(reached) | self.new_deps.users(reached)
        ordered = sorted(users, key=lambda u: (self.user_order.get(u, len(self.user_order)), u))
        criteria = [u for u in ordered if u in self.criterion_ids]
        if criteria:
            rule_id = "ELIGIBILITY_DEPENDENCY_CHANGED"
            direction = eligibility or unranked(direction, rule_id)
            if unknown_effect and direction not in ("widened", "narrowed"):
                summary += f"; {unknown_effect}"
            summary += f"; affects {', '.join(ordered)}"
        elif ordered:
            rule_id = "ENDPOINT_DEPENDENCY_CHANGED"
            direction = unranked(direction, rule_id)
            summary += f"; affects {', '.join(ordered)}"
        else:
            rule_id = own_rule
        self.emit(rule_id, direction, target, summary, affects=ordered, **fields)

    def annotations(self, target: str, old: object, new: object, keys: Sequence[str]) -> None:
        """Notes, questions, sources, rationales and provisional marks of one declaration."""
        old_marks = tuple(getattr(old, "marks", ()))
        new_marks = tuple(getattr(new, "marks", ()))
        if old_marks == new_marks:
            return
        self.emit_marks(target, old_marks, new_marks, old, new, keys)

    def emit_marks(
        self,
        target: str,
        old_marks: tuple[m.Mark, ...],
        new_marks: tuple[m.Mark, ...],
        old_node: object,
        new_node: object,
        keys: Sequence[str],
    ) -> None:
        added = [mk for mk in new_marks if mk not in old_marks]
        removed = [mk for mk in old_marks if mk not in new_marks]
        direction = (
            "added" if added and not removed else "removed" if removed and not added else "changed"
        )
        parts = [f"{mark_words(mk)} added" for mk in added]
        parts += [f"{mark_words(mk)} removed" for mk in removed]
        self.emit(
            "ANNOTATION_CHANGED",
            direction,
            target,
            "; ".join(parts) or "order of notes changed",
            old_node=old_node,
            new_node=new_node,
            keys=keys,
        )

    def guard(
        self, rule_id: str, target: str, old: object, new: object, *, compared: object = None
    ) -> _Guard:
        """Around the comparison of a pair: if the pair differs but nothing was reported,
        report the generic `rule_id` change (`compared`: what to compare, if not the pair)."""
        return _Guard(self, rule_id, target, old, new, compared or (old, new))

    def run(self) -> None:
        header.header(self)
        schedule.follow_up(self)
        schedule.assessments(self)
        new_prefix = prefixes(self.new)
        old_prefix = prefixes(self.old)
        self.module(self.old, self.new, "")
        done = {id(self.new)}
        for old_lib, new_lib, prefix in self.libraries(self.old, self.new, ""):
            if id(new_lib) in done or new_prefix.get(id(new_lib)) != prefix:
                continue
            if old_prefix.get(id(old_lib)) != prefix:
                continue
            done.add(id(new_lib))
            if old_lib is not new_lib:  # one loader read both versions of an unchanged file
                self.module(old_lib, new_lib, prefix)
        # a conversion applies across the spec and its libraries: compared once, all together
        reading.conversions_diff(self)

    def libraries(self, old: Spec, new: Spec, prefix: str) -> Iterator[tuple[Spec, Spec, str]]:
        """Library pairs by alias (breadth first), reporting libraries added or removed."""
        old_uses = {u.alias: u for u in old.module.of_type(m.Use)}
        new_uses = {u.alias: u for u in new.module.of_type(m.Use)}
        pairs: list[tuple[Spec, Spec, str]] = []
        for alias, old_use, new_use in match(old_uses, new_uses):
            name = prefix + alias
            if old_use is None:
                self.emit(
                    "LIBRARY_ADDED",
                    "added",
                    f"library {name}",
                    f"“{new_use.path}” imported",
                    new_node=new_use,
                    keys=(alias,),
                )
            elif new_use is None:
                self.emit(
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
            yield from self.libraries(old_lib, new_lib, name)

    def module(self, old: Spec, new: Spec, prefix: str) -> None:
        dictionary.codelists(self, old, new, prefix)
        dictionary.tables(self, old, new, prefix)
        dictionary.forms(self, old, new, prefix)
        dictionary.defines(self, old, new, prefix)
        dictionary.scores(self, old, new, prefix)
        eligibility.criteria(self, old, new)
        schedule.anchors(self, old, new, prefix)
        schedule.epochs(self, old, new)
        schedule.visits(self, old, new)
        design.elements(self, old, new)
        design.arms(self, old, new)
        design.interventions(self, old, new)
        design.dose_findings(self, old, new)
        objectives.objectives(self, old, new)
        dictionary.mappings(self, old, new, prefix)

    def generic(self, rule_id: str, target: str, old: object, new: object) -> None:
        """A difference no specific comparison described: still reported, never lost."""
        direction = (
            "changed"
            if "changed" in rules.RULES[rule_id].verdicts
            else next(iter(rules.RULES[rule_id].verdicts))
        )
        self.emit(
            rule_id,
            direction,
            target,
            "changed",
            old_node=old,
            new_node=new,
            keys=(getattr(new, "name", None) or getattr(new, "id", None) or target,),
        )


class _Guard:
    """The safety net: a pair of unequal declarations never goes unreported."""

    def __init__(
        self, differ: Differ, rule_id: str, target: str, old: object, new: object, compared: Any
    ) -> None:
        self.differ = differ
        self.rule_id = rule_id
        self.target = target
        self.old = old
        self.new = new
        self.compared = compared

    def __enter__(self) -> None:
        self.before = len(self.differ.changes)

    def __exit__(self, *exc: object) -> None:
        first, second = self.compared
        if exc[0] is None and len(self.differ.changes) == self.before and first != second:
            self.differ.generic(self.rule_id, self.target, self.old, self.new)
