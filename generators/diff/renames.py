"""Visits, forms, items, endpoints and code-list values renamed between two versions: found by
content, then read under their new names.

An amendment that renames a visit (W12 → V7, the day and window kept), a form
(`screening_labs` → `labs_at_screening`, its items and visits kept), an item
(`hba1c` → `glycated_hb`, its type, unit, label and codes kept), an endpoint
(EP5 → EP6, its definition kept) or a code-list value (`organ_transplant` →
`transplant`, its label and codes kept) has not removed one and added
another: the schedule, the CRF and the analysis are what they were.  Matched
by name alone, every form scheduled at the visit and every rule reading the
form, item or value would change as well.

`find(old, new)` pairs what only one version names:

- a `was NAME` mark on the new declaration pairs it with the old NAME;
- otherwise a declaration only the old version names and one only the new
  version names are the same when everything but the name (and a visit's
  label and number, which are how a visit is named in words) is equal, and
  no other declaration of the kind is equal to either.  A value is named bare
  wherever it is read, so it is paired only when neither of its names names
  anything else in either version.

`apply(old, renames)` gives the old version with those declarations and
every reference to them under their new names, so that the rest of the diff
compares them as the same declaration and reports only what else changed;
the renaming itself is one change of its own (not substantial).  The values
other changes show therefore name a renamed declaration as the new version
does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

Kind = Literal["visit", "item", "endpoint", "form", "value"]
N = TypeVar("N", m.Visit, m.Item, m.Endpoint, m.Form, m.CodeListEntry)


@attrs.frozen
class Rename:
    """One declaration renamed: `old` and `new` are its names (an item's with its form)."""

    kind: Kind
    old: str
    new: str
    #: the new declaration says so with `was`
    stated: bool
    old_node: Any
    new_node: Any


def was_names(node: object) -> tuple[str, ...]:
    return tuple(mk.text for mk in getattr(node, "marks", ()) or () if mk.kind == "was")


def find(old: Spec, new: Spec) -> list[Rename]:
    """Every visit, item (of a form of the trial) and endpoint renamed from `old` to `new`."""
    found = _kind("visit", old.declared_visits, new.declared_visits, _visit_content)
    old_forms = {f.name: f for f in old.module.of_type(m.Form)}
    for form in new.module.of_type(m.Form):
        before = old_forms.get(form.name)
        if before is None:
            continue
        olds = {i.name: i for i in before.items}
        news = {i.name: i for i in form.items}
        for r in _kind("item", olds, news, _plain_content):
            found.append(attrs.evolve(r, old=f"{form.name}.{r.old}", new=f"{form.name}.{r.new}"))
    found += _kind("endpoint", _endpoints(old), _endpoints(new), _plain_content)
    found += _kind("form", old.forms, new.forms, _plain_content)
    found += _values(old, new)
    # a rename read from content alone is not made when either name stands for another
    # declaration in the other version (a visit renamed to the name an intervention had):
    # the pairing would be uncertain, and it would read differently in each direction
    taken_old, taken_new = _top_names(old), _top_names(new)
    return [
        r
        for r in found
        if r.stated
        or r.kind in ("item", "value")
        or (r.new not in taken_old and r.old not in taken_new)
    ]


def _values(old: Spec, new: Spec) -> list[Rename]:
    """Code-list values of the trial renamed with the same label and codes.  A value is named
    bare wherever a rule, a set or a table row reads it, so both names must name nothing
    else in either version (no other value, declaration, item or derived value): then
    every bare use of the old name is this value."""
    names: set[str] = set()
    lists: dict[str, set[str]] = {}
    for spec in (old, new):
        names |= _bare_names(spec)
        for value, owners in _value_lists(spec).items():
            lists.setdefault(value, set()).update(owners)

    def taken(value: str, codelist: str) -> bool:
        return value in names or bool(lists.get(value, set()) - {codelist})

    found: list[Rename] = []
    for name, after in new.codelists.items():
        before = old.codelists.get(name)
        if before is None:
            continue
        olds = {e.name: e for e in before.entries}
        news = {e.name: e for e in after.entries}
        for r in _kind("value", olds, news, _plain_content):
            if not taken(r.old, name) and not taken(r.new, name):
                found.append(attrs.evolve(r, old=f"{name}.{r.old}", new=f"{name}.{r.new}"))
    return found


def _bare_names(spec: Spec) -> set[str]:
    """Every name a bare reference could read besides a value: declarations, libraries,
    items and derived values, in the spec and its libraries."""
    names: set[str] = set()
    for owner in spec.all_specs():
        names |= _top_names(owner) | set(owner.libraries)
        for form in owner.forms.values():
            names |= {i.name for i in form.items} | {dv.name for dv in form.derives}
    return names


def _value_lists(spec: Spec) -> dict[str, set[str]]:
    """Each value name with the lists that have it (a library's list as "")."""
    found: dict[str, set[str]] = {}
    for owner in spec.all_specs():
        for codelist in owner.codelists.values():
            for entry in codelist.entries:
                found.setdefault(entry.name, set()).add(codelist.name if owner is spec else "")
    return found


def _top_names(spec: Spec) -> set[str]:
    """The names of the declarations of a spec (of every kind)."""
    return {
        name
        for declaration in spec.module.declarations
        if isinstance(name := getattr(declaration, "name", None), str)
    }


def _endpoints(spec: Spec) -> dict[str, m.Endpoint]:
    return {e.name: e for ob in spec.objectives for e in ob.endpoints}


def _visit_content(v: m.Visit) -> object:
    node: Any = v
    return attrs.evolve(node, name="", label=None, number=None, marks=())


def _plain_content(
    declaration: m.Visit | m.Item | m.Endpoint | m.Form | m.CodeListEntry,
) -> object:
    node: Any = declaration
    return attrs.evolve(node, name="", marks=())


def _kind(
    kind: Kind,
    olds: Mapping[str, N],
    news: Mapping[str, N],
    content: Callable[[N], object],
) -> list[Rename]:
    gone = {name: o for name, o in olds.items() if name not in news}
    came = {name: n for name, n in news.items() if name not in olds}
    found: list[Rename] = []
    for name, n in came.items():
        claimed = [w for w in was_names(n) if w in gone]
        if claimed:
            found.append(Rename(kind, claimed[0], name, True, gone.pop(claimed[0]), n))
    paired_new = {r.new for r in found}
    came = {name: n for name, n in came.items() if name not in paired_new}
    old_content = {name: content(o) for name, o in gone.items()}
    new_content = {name: content(n) for name, n in came.items()}
    for name, said in new_content.items():
        same_old = [o for o, c in old_content.items() if c == said]
        same_new = [x for x, c in new_content.items() if c == said]
        if len(same_old) == 1 and len(same_new) == 1:
            found.append(Rename(kind, same_old[0], name, False, gone[same_old[0]], came[name]))
    return found


def unknown_previous_names(old: Spec, new: Spec) -> list[Diagnostic]:
    """E0127 for a visit, item or endpoint whose `was` names nothing of that kind in the
    version compared with (a `was` the old version already had is about an earlier amendment
    and is not read)."""
    found: list[Diagnostic] = []
    old_forms = {f.name: f for f in old.module.of_type(m.Form)}
    groups: list[tuple[str, Mapping[str, Any], Mapping[str, Any]]] = [
        ("visit", old.declared_visits, new.declared_visits),
        ("endpoint", _endpoints(old), _endpoints(new)),
    ]
    for form in new.module.of_type(m.Form):
        before = old_forms.get(form.name)
        olds: Mapping[str, Any] = {i.name: i for i in before.items} if before else {}
        groups.append((f"item of form {form.name}", olds, {i.name: i for i in form.items}))
    for what, olds, news in groups:
        for name, n in news.items():
            earlier = set(was_names(olds[name])) if name in olds else set()
            for mark in getattr(n, "marks", ()) or ():
                if mark.kind != "was" or mark.text in earlier or mark.text in olds:
                    continue
                known = ", ".join(sorted(olds)) or "none"
                found.append(
                    Diagnostic(
                        "E0127",
                        "error",
                        f"{name} says it was {mark.text}, but the version it is compared with "
                        f"has no {what} {mark.text}",
                        mark.span,
                        notes=(f"the names in that version: {known}",),
                        help=f"name the {what} {name} had in that version, or remove "
                        f"`was {mark.text}`",
                    )
                )
    return found


# ---------------------------------------------------------------- reading the old version
# under the new names


@attrs.frozen
class _Names:
    visits: Mapping[str, str]
    #: form → (old item name → new item name)
    items: Mapping[str, Mapping[str, str]]
    endpoints: Mapping[str, str]
    forms: Mapping[str, str]
    #: code list → (old value → new value)
    values: Mapping[str, Mapping[str, str]]

    @property
    def bare_values(self) -> Mapping[str, str]:
        """Every renamed value by its old name (unique: see `_values`)."""
        return {o: n for renamed in self.values.values() for o, n in renamed.items()}


#: the fields that hold a visit's name, whatever node has them
_VISIT_FIELDS = frozenset({"visit", "visits", "start", "end"})


def apply(old: Spec, renames: Sequence[Rename]) -> Spec:
    """`old` with every renamed declaration, and every reference to it, under its new name,
    and without `was` marks on visits, items and endpoints (see `unmarked`)."""
    items: dict[str, dict[str, str]] = {}
    for r in renames:
        if r.kind == "item":
            form, old_item = r.old.split(".", 1)
            items.setdefault(form, {})[old_item] = r.new.split(".", 1)[1]
    values: dict[str, dict[str, str]] = {}
    for r in renames:
        if r.kind == "value":
            codelist, old_value = r.old.split(".", 1)
            values.setdefault(codelist, {})[old_value] = r.new.split(".", 1)[1]
    names = _Names(
        visits={r.old: r.new for r in renames if r.kind == "visit"},
        items=items,
        endpoints={r.old: r.new for r in renames if r.kind == "endpoint"},
        forms={r.old: r.new for r in renames if r.kind == "form"},
        values=values,
    )
    module = _node(old.module, names, None, {})
    return old if module is old.module else Spec(old.path, module, old.libraries)


def unmarked(spec: Spec) -> Spec:
    """`spec` without `was` marks on visits, items and endpoints: once read by `find`, they
    say nothing more, and the comparison of the declarations must not see them (a mark
    added is not a change of the visit)."""
    return apply(spec, ())


def _node(
    value: Any, names: _Names, form: str | None, nodes: dict[tuple[int, str | None], Any]
) -> Any:
    if isinstance(value, tuple):
        items = tuple(_node(v, names, form, nodes) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return value
    memo = (id(value), form)
    if memo in nodes:
        return nodes[memo]
    inner = value.name if isinstance(value, m.Form) else form
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if field.name == "span":
            continue
        current = getattr(value, field.name)
        rebuilt = _node(current, names, _record(value, field.name) or inner, nodes)
        if field.name in _VISIT_FIELDS:
            rebuilt = _visit_names(rebuilt, names.visits)
        if rebuilt is not current:
            changes[field.name] = rebuilt
    changes.update(_own_name(value, names, form))
    changes.update(_form_and_value_names(value, names))
    if isinstance(value, m.Field) and value.key in _VISIT_KEYS:
        values = tuple(_visit_value(v, names.visits) for v in value.values)
        if any(a is not b for a, b in zip(values, value.values, strict=True)):
            changes["values"] = values
    if isinstance(value, m.Ref):
        parts = _ref_parts(value.parts, names, form)
        if parts != value.parts:
            changes["parts"] = parts
    node: Any = value
    result = attrs.evolve(node, **changes) if changes else value
    nodes[memo] = result
    return result


#: the header fields whose value names a visit
_VISIT_KEYS = frozenset({"eligibility_visit"})


def _visit_value(value: m.Value, visits: Mapping[str, str]) -> m.Value:
    if not isinstance(value.value, str) or value.value not in visits:
        return value
    renamed = visits[value.value]
    node: Any = value
    return attrs.evolve(node, value=renamed, text=renamed)


def _record(node: Any, field: str) -> str | None:
    """The form whose records a field of a quantifier or an aggregate reads, where a bare name
    is one of that form's items (`any medications where class = biologic`)."""
    if isinstance(node, m.Quantifier) and field in ("where", "satisfy"):
        return node.form
    if isinstance(node, m.Aggregate) and field == "where":
        return node.target.parts[0]
    if isinstance(node, m.TimeToEvent) and field == "where":
        return node.log
    if isinstance(node, m.Endpoint) and field == "rule" and node.per is not None:
        return node.per  # a flag computed record by record
    return None


def _visit_names(value: Any, visits: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return visits.get(value, value)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        renamed = tuple(visits.get(v, v) for v in value)
        return value if renamed == value else renamed
    return value


#: the fields that hold a form's name as text (a quantifier's, an endpoint's log)
_FORM_FIELDS = frozenset({(m.Quantifier, "form"), (m.TimeToEvent, "log"), (m.Endpoint, "per")})


def _form_and_value_names(value: Any, names: _Names) -> dict[str, Any]:
    """A renamed form where its name is text, a renamed item where a log's date is named as
    text, a renamed value in a set or a table's rows."""
    changes: dict[str, Any] = {}
    for cls, field in _FORM_FIELDS:
        current = getattr(value, field, None) if isinstance(value, cls) else None
        if isinstance(current, str) and current in names.forms:
            changes[field] = names.forms[current]
    if isinstance(value, m.TimeToEvent) and value.date in names.items.get(value.log, {}):
        changes["date"] = names.items[value.log][value.date]
    if isinstance(value, m.MemberOf) and value.values:
        bare = names.bare_values
        renamed = tuple(bare.get(v, v) for v in value.values)
        if renamed != value.values:
            changes["values"] = renamed
    if isinstance(value, m.Table) and value.keys is not None:
        by_list = names.values.get(value.keys.parts[-1], {}) if len(value.keys.parts) == 1 else {}
        if any(row.key in by_list for row in value.rows):
            rows: tuple[Any, ...] = value.rows
            changes["rows"] = tuple(
                attrs.evolve(row, key=by_list[row.key]) if row.key in by_list else row
                for row in rows
            )
    return changes


def _own_name(value: Any, names: _Names, form: str | None) -> dict[str, Any]:
    if isinstance(value, m.Visit | m.Item | m.Endpoint) and was_names(value):
        marks = tuple(mk for mk in value.marks if mk.kind != "was")
        node: Any = value
        return {"marks": marks, **_own_name(attrs.evolve(node, marks=marks), names, form)}
    if isinstance(value, m.Visit) and value.name in names.visits:
        return {"name": names.visits[value.name]}
    if isinstance(value, m.Endpoint) and value.name in names.endpoints:
        return {"name": names.endpoints[value.name]}
    if isinstance(value, m.Form) and value.name in names.forms:
        return {"name": names.forms[value.name]}
    if isinstance(value, m.CodeList) and value.name in names.values:
        new_names = names.values[value.name]
        listed: tuple[Any, ...] = value.entries
        entries = tuple(
            attrs.evolve(e, name=new_names[e.name]) if e.name in new_names else e for e in listed
        )
        return {"entries": entries}
    if isinstance(value, m.Item) and form is not None:
        renamed = names.items.get(form, {}).get(value.name)
        if renamed is not None:
            return {"name": renamed}
    return {}


def _ref_parts(parts: tuple[str, ...], names: _Names, form: str | None) -> tuple[str, ...]:
    """`form.item` anywhere, and a bare `item` inside its own form (a `when`, a derive)."""
    if form is not None and len(parts) == 1 and parts[0] in names.items.get(form, {}):
        return (names.items[form][parts[0]],)
    out = list(parts)
    for i in range(len(out) - 1):
        renamed = names.items.get(out[i], {}).get(out[i + 1])
        if renamed is not None:
            out[i + 1] = renamed
    if len(out) == 1 and out[0] in names.endpoints:
        out[0] = names.endpoints[out[0]]
    # a form is the first part of what reads it (`demographics.sex`, `count(adverse_events)`);
    # a bare name inside a form is one of its items
    if out[0] in names.forms and (form is None or len(out) > 1):
        out[0] = names.forms[out[0]]
    if len(out) == 1 and out[0] in names.bare_values:
        out[0] = names.bare_values[out[0]]
    return tuple(out)
