"""The generic differ: compare two model nodes field by field, driven by rule tables.

Most of the diff is "if this field differs, emit that change".  It is written
here once, and each area says only *what* to compare, in tables:

- a `Table` lists, for one model class, its `Row`s: the attrs fields compared
  together, the rule that classifies a difference, its direction (fixed or
  computed from the pair), the summary and how the old and new values are
  shown, and whether it is a change of something criteria or endpoints use
  (then classified by who uses it).  A table accounts for every attrs field
  of its class (`identity`, `by_hand`, rows, marks and span), checked when it
  is built, so that a field added to the model cannot be forgotten silently;
- a `Kind` is a kind of declaration matched by name between two versions: the
  rules and summaries of one added or removed, and the table (or the
  hand-written comparison) of a pair;
- a `KeyRule` classifies the `key value` fields of a trial header, an
  intervention or a dose finding, by key (`keyed_fields`).

Rows are compared in the table's order, which is the order their changes are
listed in: the tables are written in that order on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from generators.diff.depends import key
from generators.diff.directions import quantity_direction
from generators.diff.matching import fields_by_key, match
from generators.diff.phrases import (
    attribute_changes,
    attribute_words,
    field_text,
    field_words,
    quoted,
)
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ

N = TypeVar("N")

#: fields never compared: where a node (or one of its clauses) is written, and its notes
#: (compared as annotations)
_UNCOMPARED = ("span", "duration_span", "marks")


@attrs.frozen
class Pair(Generic[N]):
    """Two versions of one declaration, with the specs that declare them and its names."""

    old: N
    new: N
    old_spec: Spec
    new_spec: Spec
    #: how the change names it ("visit V1", "code list sex, value M")
    target: str
    #: its name qualified by the library alias, for the key of a dependency
    qualified: str
    #: names an amendment's `change NAME "…"` entry may use
    keys: tuple[str, ...]
    #: the declarations the pair belongs to, where its comparison depends on them
    old_owner: Any = None
    new_owner: Any = None


Summary = Callable[["Pair[Any]", str, Sequence[str]], str]
Decide = Callable[["Pair[Any]"], str]
Show = Callable[[Any, Spec], "str | None"]


def details(pair: Pair[Any], direction: str, names: Sequence[str]) -> str:
    """ "label “A” → “B”; range 0 to 10 → 0 to 20" for the fields that differ."""
    return attribute_changes(pair.old, pair.new, names)


def old_to_new(
    show: Show, what: str = "", direction: Literal["never", "always", "ranked"] = "never"
) -> Summary:
    """ "WHAT OLD → NEW" in the words of `show`, followed by the direction "always", or only
    when it is "ranked" (not just "changed"), or "never"."""

    def summary(pair: Pair[Any], way: str, names: Sequence[str]) -> str:
        words = f"{show(pair.old, pair.old_spec)} → {show(pair.new, pair.new_spec)}"
        if what:
            words = f"{what} {words}"
        if direction == "always" or (direction == "ranked" and way != "changed"):
            words += f" ({way})"
        return words

    return summary


def relabelled(pair: Pair[Any], direction: str, names: Sequence[str]) -> str:
    return f"relabelled: {quoted(pair.old.label)} → {quoted(pair.new.label)}"


@attrs.frozen
class Row:
    """One comparison of a table: a group of fields and how a difference is reported."""

    fields: tuple[str, ...]
    #: the catalogue rule (`rules.RULES`), or how to choose it from the pair
    rule: str | Decide
    #: the direction, or how to compute it from the pair
    direction: str | Decide = "changed"
    #: the summary from the pair, the direction and the fields (default: each field old → new)
    summary: Summary = details
    #: the old and new columns, from one version of the node (default: none)
    show: Show | None = None
    #: the kind of declaration (`depends.key`) whose users classify the change
    dependency: str | None = None

    def differs(self, pair: Pair[Any]) -> bool:
        return any(getattr(pair.old, f) != getattr(pair.new, f) for f in self.fields)


@attrs.frozen
class Table:
    """How two versions of one model class are compared: every attrs field accounted for."""

    node: type
    rows: tuple[Row, ...]
    #: the fields that match the pair (equal in both by construction)
    identity: tuple[str, ...] = ("name",)
    #: the fields the area's own code compares (its module docstring says why)
    by_hand: tuple[str, ...] = ()
    #: whether notes, questions and marks are compared (last)
    annotations: bool = True

    def __attrs_post_init__(self) -> None:
        named = [f for row in self.rows for f in row.fields]
        named += [*self.identity, *self.by_hand, *_UNCOMPARED]
        declared = {f.name for f in attrs.fields(self.node)}
        unknown = sorted(set(named) - declared - set(_UNCOMPARED))
        missing = sorted(declared - set(named))
        # a field in two rows would make two changes of one difference
        twice = sorted({f for f in named if named.count(f) > 1})
        if unknown or missing or twice:
            raise ValueError(
                f"the table of {self.node.__name__} names {unknown or 'no'} unknown fields, "
                f"leaves {missing or 'no'} fields out and names {twice or 'no'} fields twice"
            )


def compare(d: Differ, table: Table, pair: Pair[Any]) -> None:
    """The rows of `table` that differ, each one change; then the annotations."""
    rows(d, table, pair)
    if table.annotations:
        d.annotations(pair.target, pair.old, pair.new, pair.keys)


def rows(d: Differ, table: Table, pair: Pair[Any]) -> None:
    """The rows of `table` that differ, each one change (annotations left to the caller)."""
    for row in table.rows:
        if row.differs(pair):
            emit(d, row, pair)


def emit(d: Differ, row: Row, pair: Pair[Any]) -> None:
    rule = row.rule if isinstance(row.rule, str) else row.rule(pair)
    direction = row.direction if isinstance(row.direction, str) else row.direction(pair)
    summary = row.summary(pair, direction, row.fields)
    shown: dict[str, Any] = {}
    if row.show is not None:
        shown = {
            "old": row.show(pair.old, pair.old_spec),
            "new": row.show(pair.new, pair.new_spec),
        }
    fields = {"old_node": pair.old, "new_node": pair.new, "keys": pair.keys, **shown}
    if row.dependency is None:
        d.emit(rule, direction, pair.target, summary, **fields)
    else:
        dependency = key(row.dependency, pair.qualified)
        d.emit_dependency(rule, direction, dependency, pair.target, summary, **fields)


@attrs.frozen
class Kind(Generic[N]):
    """A kind of declaration matched by name: what is reported when one comes or goes,
    and how a pair is compared (its table, or the area's own code)."""

    #: the target of a change: the qualified name in this pattern ("visit {}")
    target: str
    added: str | Callable[[N], str]
    removed: str | Callable[[N], str]
    added_summary: Callable[[N], str]
    removed_summary: Callable[[N], str]
    #: the generic rule of a pair that differs in a way no comparison reported (None: no net)
    changed: str | None
    #: the table of a pair, or the hand-written comparison of one
    table: Table | None = None
    pair: Callable[[Differ, Pair[N]], None] | None = None
    #: the old or new column of one added or removed (default: none)
    show: Show | None = None


def added(n: N) -> str:
    return "added"


def removed(o: N) -> str:
    return "removed"


def added_label(n: Any) -> str:
    return f"added ({quoted(n.label or n.name)})"


def removed_label(o: Any) -> str:
    return f"removed (was {quoted(o.label or o.name)})"


def declarations(
    d: Differ,
    kind: Kind[N],
    olds: Mapping[str, N],
    news: Mapping[str, N],
    old_spec: Spec,
    new_spec: Spec,
    prefix: str = "",
    owners: tuple[str, ...] = (),
) -> None:
    """Declarations of one kind, matched by name: added, removed, or compared as a pair
    (`prefix`: the library alias or form they belong to; `owners`: its names, for `keys`)."""
    for name, o, n in match(dict(olds), dict(news)):
        qualified = prefix + name
        target = kind.target.format(qualified)
        keys = (name, *owners)
        if o is None or n is None:
            present = n if o is None else o
            assert present is not None
            which = kind.added if o is None else kind.removed
            rule = which if isinstance(which, str) else which(present)
            spec = new_spec if o is None else old_spec
            shown = kind.show(present, spec) if kind.show is not None else None
            d.emit(
                rule,
                "added" if o is None else "removed",
                target,
                kind.added_summary(present) if o is None else kind.removed_summary(present),
                old=None if o is None else shown,
                new=shown if o is None else None,
                old_node=o,
                new_node=n,
                keys=keys,
            )
            continue
        pair = Pair(o, n, old_spec, new_spec, target, qualified, keys)
        if kind.changed is None:
            _pair(d, kind, pair)
            continue
        with d.guard(kind.changed, target, o, n):
            _pair(d, kind, pair)


def _pair(d: Differ, kind: Kind[N], pair: Pair[N]) -> None:
    if kind.pair is not None:
        kind.pair(d, pair)
    elif kind.table is not None:
        compare(d, kind.table, pair)


def ranked_part(what: str, old: m.Quantity | None, new: m.Quantity | None) -> tuple[str, str]:
    """One part of a change listing several (a score's look-back, a step's amount): raised or
    lowered, and its words."""
    words = f"{what} {attribute_words(old)} → {attribute_words(new)}"
    return quantity_direction(old, new), words


def one_direction(parts: Sequence[tuple[str, str]]) -> str:
    """The direction of a change made of parts: theirs if they agree, else "changed"."""
    directions = {way for way, _ in parts}
    return directions.pop() if len(directions) == 1 else "changed"


# ---------------------------------------------------------------- `key value` fields


@attrs.frozen
class FieldPair:
    """The fields of one key in two versions (none: the key is absent), and their words."""

    key: str
    olds: tuple[m.Field, ...]
    news: tuple[m.Field, ...]
    #: the declarations the fields belong to (a dose finding's start level names its levels)
    old_owner: Any = None
    new_owner: Any = None

    @property
    def presence(self) -> str:
        return "added" if not self.olds else "removed" if not self.news else "changed"

    @property
    def old_words(self) -> str | None:
        return "; ".join(field_words(f) for f in self.olds) or None

    @property
    def new_words(self) -> str | None:
        return "; ".join(field_words(f) for f in self.news) or None

    @property
    def change(self) -> str:
        return f"{self.old_words or '(none)'} → {self.new_words or '(none)'}"


def presence(fields: FieldPair) -> str:
    return fields.presence


def change(fields: FieldPair, direction: str) -> str:
    return fields.change


@attrs.frozen
class KeyRule:
    """How a difference in the values of one key is classified."""

    rule: str
    direction: str | Callable[[FieldPair], str] = presence
    summary: Callable[[FieldPair, str], str] = change


def keyed_fields(
    d: Differ,
    olds: Sequence[m.Field],
    news: Sequence[m.Field],
    table: Mapping[str, KeyRule],
    default: KeyRule,
    *,
    target: Callable[[str], str],
    keys: Callable[[str], tuple[str, ...]],
    owners: tuple[Any, Any] = (None, None),
) -> None:
    """`key value` fields matched by key: their values by `table` (else `default`), their
    notes as annotations.  Values are compared as written (a field's canonical source)."""
    new_fields = fields_by_key(news)
    for field_key, old_group, new_group in match(fields_by_key(olds), new_fields):
        pair = FieldPair(field_key, old_group or (), new_group or (), *owners)
        old_node = pair.olds[0] if pair.olds else None
        new_node = pair.news[0] if pair.news else None
        where, names = target(field_key), keys(field_key)
        if [field_text(f) for f in pair.olds] != [field_text(f) for f in pair.news]:
            rule = table.get(field_key, default)
            direction = rule.direction if isinstance(rule.direction, str) else rule.direction(pair)
            d.emit(
                rule.rule,
                direction,
                where,
                rule.summary(pair, direction),
                old=pair.old_words,
                new=pair.new_words,
                old_node=old_node,
                new_node=new_node,
                keys=names,
            )
        old_marks = tuple(mk for f in pair.olds for mk in f.marks)
        new_marks = tuple(mk for f in pair.news for mk in f.marks)
        if old_marks != new_marks:
            d.emit_marks(where, old_marks, new_marks, old_node, new_node, names)
