"""Declarations moved between the trial and its libraries: the same content, read where it now is.

A sponsor tidying an amendment may move a definition, a code list or a form out
of a library into the protocol (or into a library, or from one library to
another), word for word, or move a criterion from one library to another.
Matched by qualified name, that reads as one declaration removed, another
added and everything using it changed; it is one move, reported once at both
places (`DEFINITION_RELOCATED`, `CODELIST_RELOCATED`, `FORM_RELOCATED`,
`CRITERION_RELOCATED`: not substantial): the same rule decides the same
criteria, the same values are recorded.

A declaration is taken to have moved when the old version has it only under
one qualified name (`sle.eular_acr_2019_classified`) and the new version only
under another of the same name (`eular_acr_2019_classified`), and the two say
the same once every name in them is read from the trial (`eular_acr_2019` in
the library is `sle.eular_acr_2019` in the trial; inside a form, a bare name
is one of its items), and no other declaration of the kind says the same (so
that the pairing reads the same both ways).  Forms are paired last, with the
code lists and definitions already found to have moved read where they went.
A declaration whose names cannot all be read that way is not taken to have
moved, and is reported as before.  A code list of the same name and label is
the same list even when its values changed (they are then compared as usual).

A form's schedule belongs to the trial: a trial form's `at` visits and the
`collect` of the library form that replaced it are compared as the same
assessment.  A criterion moves only between two libraries: a trial applies
its own criteria, never a library's, so a criterion moved between the trial
and a library leaves or joins the trial's eligibility, and is reported as the
removal or addition it is.

`apply(old, moves)` gives the old version with each moved declaration where
the new version has it, and every reference to it following it (a code list
is named where an item's type, a whole-list test or a table's keys name one;
a definition or a form, in expressions, `collect` lines and the fields that
name a form as text), so that the rest of the diff reports only what else
changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from protocol_dsl import model as m
from protocol_dsl.spec import Spec

Kind = Literal["definition", "code list", "criterion", "form"]
Declaration = m.Define | m.CodeList | m.Criterion | m.Form

#: where a reference sits: the class of the node holding it and the field (None at the top)
Field = tuple[type, str] | None
PartsOf = Callable[[tuple[str, ...], Field], tuple[str, ...]]


#: the fields a code list is named in: every other reference reads a value or a definition
_CODELIST_FIELDS = frozenset(
    {(m.ItemType, "codelist"), (m.MemberOf, "codelist"), (m.Table, "keys")}
)


@attrs.frozen
class Move:
    """A declaration moved: its kind, its qualified names in each version, both declarations."""

    kind: Kind
    old: str
    new: str
    declaration: Declaration
    old_declaration: Declaration


def modules(spec: Spec) -> dict[str, Spec]:
    """The trial and its libraries by the prefix that qualifies their names in the trial
    ("" for the trial, "sle." for a library used as sle), breadth first."""
    found: dict[str, Spec] = {}
    queue: list[tuple[str, Spec]] = [("", spec)]
    seen: set[int] = set()
    while queue:
        prefix, current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.setdefault(prefix, current)
        for alias, library in current.libraries.items():
            queue.append((f"{prefix}{alias}.", library))
    return found


def _name(declaration: Declaration) -> str:
    return declaration.id if isinstance(declaration, m.Criterion) else declaration.name


def _kind(declaration: Declaration) -> Kind:
    if isinstance(declaration, m.Define):
        return "definition"
    if isinstance(declaration, m.Form):
        return "form"
    return "code list" if isinstance(declaration, m.CodeList) else "criterion"


_CLASSES: dict[Kind, type[Declaration]] = {
    "definition": m.Define,
    "code list": m.CodeList,
    "criterion": m.Criterion,
    "form": m.Form,
}

#: the fields that name a form as text (a quantifier's, an endpoint's log)
_FORM_TEXT = frozenset({(m.Quantifier, "form"), (m.TimeToEvent, "log"), (m.Endpoint, "per")})


def _declared(spec: Spec, kind: Kind) -> dict[str, tuple[str, Declaration]]:
    cls = _CLASSES[kind]
    return {
        prefix + _name(d): (prefix, d)
        for prefix, module in modules(spec).items()
        for d in module.module.declarations
        if isinstance(d, cls)
    }


def find(old: Spec, new: Spec) -> list[Move]:
    """Every definition, code list and criterion moved between modules from `old` to `new`."""
    found: list[Move] = []
    for kind in _CLASSES:
        old_declared = _declared(old, kind)
        new_declared = _declared(new, kind)
        gone = {q: v for q, v in old_declared.items() if q not in new_declared}
        came = {q: v for q, v in new_declared.items() if q not in old_declared}
        if kind == "criterion":  # only a library's criteria can move without leaving the trial
            gone = {q: v for q, v in gone.items() if v[0]}
            came = {q: v for q, v in came.items() if v[0]}
        old_said: dict[str, object] = {
            q: (_name(d), _remapped(_absolute(d, p, old), found)) for q, (p, d) in gone.items()
        }
        new_said: dict[str, object] = {
            q: (_name(d), _absolute(d, p, new)) for q, (p, d) in came.items()
        }
        found += _paired(kind, gone, came, old_said, new_said)
        if kind == "code list":
            # a list of the same name and label is the same list, its values compared as usual
            paired = {mv.new for mv in found} | {mv.old for mv in found}
            gone = {q: v for q, v in gone.items() if q not in paired}
            came = {q: v for q, v in came.items() if q not in paired}
            labelled = {q: (_name(d), getattr(d, "label", None)) for q, (_p, d) in gone.items()}
            found += _paired(
                kind,
                gone,
                came,
                labelled,
                {q: (_name(d), getattr(d, "label", None)) for q, (_p, d) in came.items()},
            )
    return found


def _remapped(absolute: object, found: Sequence[Move]) -> object:
    """An old declaration's content with the names of what has moved already (a form's code
    lists, found before the forms) read where they now are."""
    if absolute is None or not found:
        return absolute
    moved = {tuple(mv.old.split(".")): tuple(mv.new.split(".")) for mv in found}

    def follow(parts: tuple[str, ...], _field: Field) -> tuple[str, ...]:
        for old_q, new_q in moved.items():
            if parts[: len(old_q)] == old_q:
                return (*new_q, *parts[len(old_q) :])
        return parts

    return _rewrite(absolute, follow, {}, None)


def _paired(
    kind: Kind,
    gone: Mapping[str, tuple[str, Declaration]],
    came: Mapping[str, tuple[str, Declaration]],
    old_said: Mapping[str, object],
    new_said: Mapping[str, object],
) -> list[Move]:
    """Each declaration that came paired with the one that went saying the same, when
    nothing else of either version says it."""
    found = []
    for new_q, said in new_said.items():
        if isinstance(said, tuple) and said[1] is None:
            continue
        same = [q for q, other in old_said.items() if other == said]
        twins = [q for q, other in new_said.items() if other == said]
        if len(same) == 1 and len(twins) == 1:
            found.append(Move(kind, same[0], new_q, came[new_q][1], gone[same[0]][1]))
    return found


def _absolute(declaration: Declaration, prefix: str, spec: Spec) -> object:
    """The declaration without its name, with every name in it qualified from the trial; None
    where a name is not one of its module's declarations or libraries (then it cannot be read
    elsewhere)."""
    module = modules(spec)[prefix]
    local = {getattr(d, "name", None) for d in module.module.declarations}
    local |= set(module.libraries)
    # a code value (`female`) is read against the list of what it is compared with, wherever
    # that list is declared: it is the same value in every module
    values = {
        entry.name
        for owner in modules(spec).values()
        for codelist in owner.codelists.values()
        for entry in codelist.entries
    } - local
    # inside a form, a bare name is one of its items or derived values
    own: set[str] = set()
    if isinstance(declaration, m.Form):
        own = {i.name for i in declaration.items} | {dv.name for dv in declaration.derives}
    bare = {(name,) for name in values | own}
    parts = tuple(prefix.split(".")[:-1]) if prefix else ()
    refs: list[m.Ref] = []
    _collect_refs(declaration, refs)
    if any(r.parts[0] not in local and r.parts not in bare for r in refs):
        return None

    # a library reached through another library is one module: named by its first prefix
    canonical = {id(owner): p for p, owner in modules(spec).items()}

    def qualify(ref: tuple[str, ...], _field: Field) -> tuple[str, ...]:
        if ref in bare:
            return ref
        library = module.libraries.get(ref[0])
        if library is not None and len(ref) > 1:
            return (*canonical[id(library)].split(".")[:-1], *ref[1:])
        return (*parts, *ref)

    qualified = _rewrite(declaration, qualify, {}, None)
    node: Any = qualified
    if isinstance(declaration, m.Criterion):
        return attrs.evolve(node, id="", marks=())
    if isinstance(declaration, m.Form):
        # where a form is collected is the trial's schedule, compared as such
        return attrs.evolve(node, name="", marks=(), visits=())
    return attrs.evolve(node, name="", marks=())


def _collect_refs(value: Any, refs: list[m.Ref]) -> None:
    if isinstance(value, tuple):
        for v in value:
            _collect_refs(v, refs)
        return
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return
    if isinstance(value, m.Ref):
        refs.append(value)
    for field in attrs.fields(type(value)):
        if field.name != "span":
            _collect_refs(getattr(value, field.name), refs)


def _rewrite(value: Any, parts_of: PartsOf, nodes: dict[int, Any], field: Field) -> Any:
    """`value` with every `Ref`'s parts replaced by `parts_of(parts, where it sits)`."""
    if isinstance(value, tuple):
        items = tuple(_rewrite(v, parts_of, nodes, field) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return value
    memo = id(value)
    if isinstance(value, m.Ref):
        parts = tuple(parts_of(value.parts, field))
        node: Any = value
        return attrs.evolve(node, parts=parts) if parts != value.parts else value
    if memo in nodes:
        return nodes[memo]
    changes: dict[str, Any] = {}
    for attribute in attrs.fields(type(value)):
        if attribute.name == "span":
            continue
        current = getattr(value, attribute.name)
        where = (type(value), attribute.name)
        if where in _FORM_TEXT and isinstance(current, str):
            rebuilt: Any = ".".join(parts_of(tuple(current.split(".")), where))
            if rebuilt != current:
                changes[attribute.name] = rebuilt
            continue
        rebuilt = _rewrite(current, parts_of, nodes, where)
        if rebuilt is not current:
            changes[attribute.name] = rebuilt
    node = value
    result = attrs.evolve(node, **changes) if changes else value
    nodes[memo] = result
    return result


def apply(old: Spec, moves: Sequence[Move]) -> Spec:
    """`old` with each moved declaration where the new version has it and every reference
    to it following it (the same object when nothing moved, or when a reference could not
    follow: a library cannot name what the trial declares)."""
    if not moves:
        return old
    prefixes = modules(old)
    moved = {(mv.kind, tuple(mv.old.split("."))) for mv in moves}
    codelists = {
        tuple(mv.old.split(".")): tuple(mv.new.split(".")) for mv in moves if mv.kind == "code list"
    }
    # a definition and a form are both read where an expression names them
    defines = {
        tuple(mv.old.split(".")): tuple(mv.new.split("."))
        for mv in moves
        if mv.kind in ("definition", "form")
    }
    collected = _collected(old, moves)
    rebuilt: dict[str, m.Module] = {}
    for prefix, spec in prefixes.items():
        here = tuple(prefix.split(".")[:-1]) if prefix else ()
        follow = _Follow(here, codelists, defines)
        declarations = []
        for d in spec.module.declarations:
            if isinstance(d, m.Define | m.CodeList | m.Criterion | m.Form) and (
                (_kind(d), (*here, _name(d))) in moved
            ):
                continue  # it lives elsewhere in the new version
            if not prefix and isinstance(d, m.Collect) and d.form.parts in collected:
                continue  # a library form moved into the trial: its visits go with it
            declarations.append(_rewrite(d, follow, {}, None))
        # a code list names nothing: the old one goes where the new one is, so that what else
        # changed in it is compared; a definition or criterion moved is its new self word for
        # word, its names already read from where it now is
        declarations += [_placed(mv, collected) for mv in moves if _module_of(mv.new) == prefix]
        if not prefix:
            declarations += _collects(moves)
        if follow.stranded:
            return old
        module: Any = spec.module
        rebuilt[prefix] = attrs.evolve(module, declarations=tuple(declarations))
    return _respec(old, "", rebuilt, {})


def _collected(old: Spec, moves: Sequence[Move]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The visits the old trial collected each library form at that moved into the trial."""
    into_trial = {
        tuple(mv.old.split(".")) for mv in moves if mv.kind == "form" and not _module_of(mv.new)
    }
    return {
        collect.form.parts: collect.visits
        for collect in old.module.of_type(m.Collect)
        if collect.form.parts in into_trial
    }


def _placed(mv: Move, collected: Mapping[tuple[str, ...], tuple[str, ...]]) -> Any:
    """The declaration the old version has where the new one put it.  A code list names
    nothing: the old list goes there, so that what else changed in it is compared.  A
    definition, criterion or form moved is its new self word for word, its names already
    read from where it now is; a form moved into the trial is scheduled at the visits the
    old trial collected it at."""
    if mv.kind == "code list":
        return mv.old_declaration
    node: Any = mv.declaration
    if mv.kind == "form" and not _module_of(mv.new):
        return attrs.evolve(node, visits=collected.get(tuple(mv.old.split(".")), ()))
    return node


def _collects(moves: Sequence[Move]) -> list[m.Collect]:
    """A trial form moved into a library, collected by the old trial where it was scheduled."""
    found = []
    for mv in moves:
        before = mv.old_declaration
        if mv.kind == "form" and not _module_of(mv.old) and _module_of(mv.new):
            assert isinstance(before, m.Form)
            if before.visits:
                form = m.Ref(tuple(mv.new.split(".")), span=before.span)
                found.append(m.Collect(form, before.visits, span=before.span))
    return found


def _module_of(qualified: str) -> str:
    """The prefix of the module a qualified name is declared in ("" for the trial)."""
    return qualified.rsplit(".", 1)[0] + "." if "." in qualified else ""


class _Follow:
    """Reference parts as seen from the module at `here`, following the moves: a code list's
    where a code list is named, a definition's elsewhere."""

    def __init__(
        self,
        here: tuple[str, ...],
        codelists: Mapping[tuple[str, ...], tuple[str, ...]],
        defines: Mapping[tuple[str, ...], tuple[str, ...]],
    ):
        self.here = here
        self.codelists = codelists
        self.defines = defines
        self.stranded = False

    def __call__(self, parts: tuple[str, ...], field: Field) -> tuple[str, ...]:
        moved = self.codelists if field in _CODELIST_FIELDS else self.defines
        absolute = (*self.here, *parts)
        for old_q, new_q in moved.items():
            if absolute[: len(old_q)] == old_q:
                target = (*new_q, *absolute[len(old_q) :])
                if target[: len(self.here)] != self.here:
                    self.stranded = True  # a library cannot reach where it went
                    return parts
                return target[len(self.here) :]
        return parts


def _respec(
    spec: Spec, prefix: str, modules_: Mapping[str, m.Module], done: dict[str, Spec]
) -> Spec:
    if prefix in done:
        return done[prefix]
    libraries = {
        alias: _respec(library, f"{prefix}{alias}.", modules_, done)
        for alias, library in spec.libraries.items()
    }
    done[prefix] = Spec(spec.path, modules_.get(prefix, spec.module), libraries)
    return done[prefix]
