"""The record of a comparison: the two versions, the changes found so far, how to add one.

`Differ` is what every comparison (the per-area modules, the generic walker of
`walk`) writes to: `emit` a classified change, `emit_dependency` a change of
something criteria or endpoints use (classified by who uses it), `annotations`
for notes and marks, and `guard`, the safety net that reports a pair of
unequal declarations no specific comparison described.  It knows nothing of
the areas themselves, so that they can all depend on it without a circle;
`compare` runs them in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from generators.diff import redefined, rules
from generators.diff.changes import Change, make
from generators.diff.depends import Dependencies
from generators.diff.directions import unranked
from generators.diff.editorial import only_editorial
from generators.diff.phrases import mark_words, quoted
from protocol_dsl import model as m
from protocol_dsl.spec import Spec


class Nodes(TypedDict):
    """The two declarations of a change and their keys, as `Differ.emit` takes them; one
    comparison often passes the same to several calls."""

    old_node: object
    new_node: object
    keys: Sequence[str]


class Shown(Nodes):
    """`Nodes` and the two versions in words."""

    old: str | None
    new: str | None


def phase_of(spec: Spec) -> rules.Phase:
    field = spec.trial_field("phase")
    return rules.fda_phase(field.value.text if field is not None else None)


class Differ:
    """The comparison of two versions: the changes found so far, and how to record one.

    The comparisons themselves live in one module per part of the protocol
    (`header`, `schedule`, `dictionary`, `eligibility`, `design`,
    `objectives`, `reading`), each a function of the differ and the two specs;
    `compare` runs them.
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
        if not rule_id.endswith(("_RENUMBERED", "_RENAMED")) and only_editorial(old_node, new_node):
            # whatever the declaration, a change of typesetting is editorial; it stays in
            # the section of the declaration it edits
            section = section or rules.RULES[rule_id].section
            rule_id, direction = "EDITORIAL_CHANGE", "reworded"
            summary = f"editorial only: {summary}"
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
            if direction not in ("widened", "narrowed"):
                decided = redefined.eligibility_moved(criteria, self.old, self.new)
                if decided is not None:
                    direction, records = decided
                    summary += f" (eligibility {direction}, {redefined.decided_by(records)})"
                elif unknown_effect:
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
        # `was` marks say which declaration of the old version this is: not a change
        old_marks = tuple(mk for mk in old_marks if mk.kind != "was")
        new_marks = tuple(mk for mk in new_marks if mk.kind != "was")
        old_allows = [mk for mk in old_marks if mk.kind == "allow"]
        new_allows = [mk for mk in new_marks if mk.kind == "allow"]
        if old_allows != new_allows:
            self._emit_allows(target, old_allows, new_allows, old_node, new_node, keys)
        old_marks = tuple(mk for mk in old_marks if mk.kind != "allow")
        new_marks = tuple(mk for mk in new_marks if mk.kind != "allow")
        if old_marks == new_marks:
            return
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

    def _emit_allows(
        self,
        target: str,
        old_allows: list[m.Mark],
        new_allows: list[m.Mark],
        old_node: object,
        new_node: object,
        keys: Sequence[str],
    ) -> None:
        """An `allow` added, removed, or its reason changed (same code): SUPPRESSION_CHANGED."""
        old_by_code = {mk.code: mk for mk in old_allows}
        new_by_code = {mk.code: mk for mk in new_allows}
        for code in sorted(old_by_code.keys() | new_by_code.keys()):
            old, new = old_by_code.get(code), new_by_code.get(code)
            if old is not None and new is not None and old.text == new.text:
                continue
            if old is None and new is not None:
                direction, words = "added", f"{mark_words(new)} added"
            elif new is None and old is not None:
                direction, words = "removed", f"{mark_words(old)} removed"
            elif old is not None and new is not None:
                direction = "changed"
                words = f"reason of allow {code}: {quoted(old.text)} → {quoted(new.text)}"
            else:  # pragma: no cover - a code comes from one side or the other
                continue
            self.emit(
                "SUPPRESSION_CHANGED",
                direction,
                target,
                words,
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
