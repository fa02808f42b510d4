"""Where every name of a spec is declared and used: the index behind navigation.

Built from a loaded spec (the model, with its libraries) and the source texts:

- a *declaration* is a named construct (a form, an item, a code-list value, a
  visit, a criterion, a definition …), at the offsets of its name;
- an *occurrence* is a place in a file where a name stands for a declaration.
  A reference in a rule (`vitals.sbp`, `sle.sledai_2k`) is resolved the way
  the checks resolve it (`Spec.resolve`, in the scope of its rule), part by
  part; a name the model keeps as plain text (a visit after `at`, an epoch,
  a form after `any`) counts when it names exactly one declaration of the
  spec and its libraries, so that a word shared by two kinds is never
  renamed by guess.

Go to definition, find references, rename, hover and highlighting all read
this one index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.lsp.tokens import scan
from protocol_dsl.spec import Scope, Spec, expressions, walk_scoped


@attrs.frozen
class SymbolKey:
    """A declaration's identity: its file, where it starts, its kind."""

    file: str
    start: int
    kind: str


@attrs.frozen
class Declared:
    key: SymbolKey
    name: str
    decl: Any = attrs.field(eq=False, repr=False)
    owner: Spec = attrs.field(eq=False, repr=False)
    #: The declaration it is part of (the form of an item, the code list of a value).
    parent: Any = attrs.field(default=None, eq=False, repr=False)
    name_start: int = 0
    name_end: int = 0

    @property
    def kind(self) -> str:
        return self.key.kind

    @property
    def file(self) -> str:
        return self.key.file


@attrs.frozen
class Occurrence:
    file: str
    start: int
    end: int
    key: SymbolKey
    declaration: bool = False


#: Kinds by model class, as people call them.
KIND_NAMES: dict[type, str] = {
    m.CodeListEntry: "value",
    m.CodeList: "codelist",
    m.ItemGroup: "group",
    m.ScoreItem: "score item",
    m.ScoreDomain: "domain",
    m.ScoreVariant: "score",
    m.CycleVisit: "visit",
}

#: Model classes whose name is text, not a declaration of its own.
_NOT_DECLARATIONS: tuple[type, ...] = (m.Ref, m.Value, m.Field, m.Mark, m.Code, m.Use)


def kind_of(node: object) -> str:
    return KIND_NAMES.get(type(node)) or type(node).__name__.lower()


def declared_name(node: object) -> str | None:
    if isinstance(node, m.Criterion):
        return node.id
    if isinstance(node, _NOT_DECLARATIONS):
        return None
    name = getattr(node, "name", None)
    return name if isinstance(name, str) and name else None


def key_of(node: Any) -> SymbolKey:
    span: m.Span = node.span
    return SymbolKey(span.file, span.start, kind_of(node))


class Index:
    """Declarations and occurrences of one spec and its libraries."""

    def __init__(self, spec: Spec, sources: dict[str, str]) -> None:
        self.spec = spec
        self.sources = sources
        self.declarations: dict[SymbolKey, Declared] = {}
        self.by_name: dict[str, list[Declared]] = defaultdict(list)
        self.occurrences: dict[str, list[Occurrence]] = defaultdict(list)
        self._covered: set[tuple[str, int]] = set()
        for owner in spec.all_specs():
            for decl in owner.module.declarations:
                self._declare(owner, decl, None)
        self._references()
        self._bare_names()
        for found in self.occurrences.values():
            found.sort(key=lambda o: o.start)

    # ------------------------------------------------------------ declarations

    def _declare(self, owner: Spec, node: Any, parent: Any) -> None:
        name = declared_name(node)
        span: m.Span | None = getattr(node, "span", None)
        if name is not None and span is not None:
            source = self.sources.get(span.file, "")
            start, end = _name_in(source, span, name)
            key = key_of(node)
            declared = Declared(key, name, node, owner, parent, start, end)
            self.declarations.setdefault(key, declared)
            self.by_name[name].append(declared)
            self._occur(Occurrence(span.file, start, end, key, declaration=True))
        for child in _named_children(node):
            self._declare(owner, child, node if name is not None else parent)

    def _occur(self, occurrence: Occurrence) -> None:
        spot = (occurrence.file, occurrence.start)
        if spot not in self._covered and occurrence.end > occurrence.start:
            self._covered.add(spot)
            self.occurrences[occurrence.file].append(occurrence)

    # ------------------------------------------------------------ references

    def _references(self) -> None:
        seen: set[int] = set()
        for scope, expr in expressions(self.spec):
            for node, here in walk_scoped(expr, scope):
                if isinstance(node, m.Ref):
                    seen.add(id(node))
                    self._reference(node, here)
        for owner in self.spec.all_specs():
            for decl in owner.module.declarations:
                for ref in _refs_in(decl):
                    if id(ref) not in seen:
                        seen.add(id(ref))
                        self._reference(ref, Scope(owner))

    def _reference(self, ref: m.Ref, scope: Scope) -> None:
        source = self.sources.get(ref.span.file)
        if source is None:
            return
        words = [t for t in scan(source, ref.span.start, ref.span.end) if t.kind == "word"]
        if len(words) != len(ref.parts):
            return
        owner = scope.owner
        for count, token in enumerate(words, start=1):
            prefix = ref.parts[:count]
            alias = count == 1 and len(ref.parts) > 1 and scope.record is None
            if alias and prefix[0] in owner.libraries:
                continue  # a library's alias: not a declaration of the index
            symbol = owner.resolve(prefix, scope)
            if symbol is None or symbol.kind == "score_part":
                continue
            key = key_of(symbol.decl)
            self._occur(Occurrence(ref.span.file, token.start, token.end, key))

    def _bare_names(self) -> None:
        """Names kept as text by the model (visits after `at`, epochs, forms after `any`).

        A word counts when it names one declaration only, or when the field of its
        declaration that holds it says which kind it is (`in screening` after a
        visit is an epoch, even where an anchor has the same name).
        """
        for owner in self.spec.all_specs():
            source = self.sources.get(owner.path)
            if source is None:
                continue
            for decl in owner.module.declarations:
                hinted = _kinds_by_word(decl)
                for token in scan(source, decl.span.start, decl.span.end):
                    if token.kind != "word" or (owner.path, token.start) in self._covered:
                        continue
                    candidates = self.by_name.get(token.text, [])
                    kinds = hinted.get(token.text)
                    if kinds is not None:
                        candidates = [c for c in candidates if c.kind in kinds]
                    elif _leads_line(source, token.start) or _after_dot(source, token.start):
                        continue  # a field's key, or a member of something else
                    if len({c.key for c in candidates}) != 1:
                        continue
                    self._occur(Occurrence(owner.path, token.start, token.end, candidates[0].key))

    # ------------------------------------------------------------ queries

    def at(self, file: str, offset: int) -> Occurrence | None:
        """The occurrence under `offset` (or ending just before it)."""
        for occurrence in self.occurrences.get(file, ()):
            if occurrence.start <= offset <= occurrence.end:
                return occurrence
            if occurrence.start > offset:
                break
        return None

    def uses(self, key: SymbolKey) -> Iterator[Occurrence]:
        for found in self.occurrences.values():
            for occurrence in found:
                if occurrence.key == key:
                    yield occurrence

    def siblings(self, declared: Declared) -> list[Declared]:
        """The declarations a name must differ from: those of the same block or file."""
        if declared.parent is None:
            return [
                d
                for d in self.declarations.values()
                if d.parent is None and d.file == declared.file and d.key != declared.key
            ]
        same = [
            d
            for d in self.declarations.values()
            if d.parent is declared.parent and d.key != declared.key
        ]
        if declared.kind == "value":  # a value is read by its bare name, anywhere
            same += [
                d for d in self.declarations.values() if d.kind == "value" and d.key != declared.key
            ]
        return same


def _name_in(source: str, span: m.Span, name: str) -> tuple[int, int]:
    for token in scan(source, span.start, span.end or len(source)):
        if token.kind == "word" and token.text == name:
            return token.start, token.end
    return span.start, span.start


def _named_children(node: Any) -> Iterator[Any]:
    if not attrs.has(type(node)):
        return
    for field in attrs.fields(type(node)):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        if isinstance(value, tuple):
            for element in value:
                if attrs.has(type(element)) and declared_name(element) is not None:
                    yield element


def _refs_in(node: Any) -> Iterator[m.Ref]:
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, m.Ref):
            yield here
            continue
        if isinstance(here, tuple):
            stack.extend(here)
        elif attrs.has(type(here)) and not isinstance(here, m.Span):
            stack.extend(getattr(here, f.name) for f in attrs.fields(type(here)))


#: Fields of the model that hold the name of a declaration as text, and its kind.
_NAME_FIELDS: dict[str, frozenset[str]] = {
    "epoch": frozenset({"epoch"}),
    "visit": frozenset({"visit"}),
    "visits": frozenset({"visit", "repeat", "cycle"}),
    "start": frozenset({"visit"}),
    "end": frozenset({"visit"}),
    "form": frozenset({"form"}),
    "values": frozenset({"value"}),
    "anchor": frozenset({"anchor"}),
    "regimen": frozenset({"regimen"}),
    "regimens": frozenset({"regimen"}),
    "receives": frozenset({"intervention"}),
}


def _kinds_by_word(decl: Any) -> dict[str, frozenset[str]]:
    """The words a declaration holds in its name fields, with the kinds they can be."""
    found: dict[str, frozenset[str]] = {}
    stack = [decl]
    while stack:
        here = stack.pop()
        if isinstance(here, tuple):
            stack.extend(here)
            continue
        if not attrs.has(type(here)) or isinstance(here, m.Span | m.Ref):
            continue
        for field in attrs.fields(type(here)):
            value = getattr(here, field.name)
            kinds = _NAME_FIELDS.get(field.name)
            words = value if isinstance(value, tuple) else (value,)
            for word in words:
                if isinstance(word, str) and kinds is not None:
                    found[word] = found.get(word, frozenset()) | kinds
                elif not isinstance(word, str):
                    stack.append(word)
    return found


def _leads_line(source: str, offset: int) -> bool:
    start = source.rfind("\n", 0, offset) + 1
    return not source[start:offset].strip()


def _after_dot(source: str, offset: int) -> bool:
    return offset > 0 and source[offset - 1] == "."
