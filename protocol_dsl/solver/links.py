"""Which criteria the solver may link, read from the model without encoding anything.

The solver analyses criteria in groups that share no variable (`groups`).  A
variable comes from what a rule reads: an item at a visit or in a record slot,
a definition or derived value (encoded once and shared), an anchor's date, a
form's record slots.  So two criteria whose rules read nothing in common,
through definitions, derived values and anchors, never share a variable: the
groups the solver finds always lie within the parts found here.

The parts are coarser than the solver's groups on purpose (every item of a form
links its readers, every visit date links its readers, since the visits' windows
share study day 1): a part may hold several groups, never the other way round.
The language server uses them to tell which criteria an edit can touch
(`lsp.whole_set`); a test checks the inclusion on every spec it has.
"""

from __future__ import annotations

from collections.abc import Collection

from protocol_dsl import model as m
from protocol_dsl.spec import (
    Scope,
    Spec,
    Symbol,
    declaration_expressions,
    inner_scope,
    walk_scoped,
)

#: What a rule reads that links it with every other rule reading it, by name (so the
#: reads of a criterion an edit kept stay those of its copy): a declaration by its kind,
#: form and name, a form by its name, whatever spec declares them (names that are the
#: same in two specs only make a part larger).
Token = tuple[str, ...] | str

#: Every visit date is tied to study day 1 by its window.
_CALENDAR = "calendar"


class Reads:
    """What each criterion reads, through definitions, derived values and anchors; the
    reads of each declaration are found once per spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._declarations: dict[int, frozenset[Token]] = {}

    def criterion(self, criterion: m.Criterion) -> frozenset[Token]:
        if criterion.rule is None:
            return frozenset()
        return self._expr(criterion.rule, Scope(self.spec))

    def _expr(self, expr: m.Expr, scope: Scope) -> frozenset[Token]:
        found: set[Token] = set()
        for node, here in walk_scoped(expr, scope):
            if isinstance(node, (m.Quantifier, m.Aggregate)):
                inner = inner_scope(node, here)
                if inner is not None and inner.record is not None:
                    found.add(("form", inner.record.name))
                else:  # not resolved: the encoder makes nothing of it
                    found.add(f"form:{getattr(node, 'form', '')}")
                if isinstance(node, m.Aggregate):
                    # the target is no child of the walk (it names the records)
                    self._ref(node.target, Scope(here.owner), found)
            elif isinstance(node, m.Ref):
                self._ref(node, here, found)
            elif isinstance(node, m.IsKnown):
                self._tested(node, here, found)
        return frozenset(found)

    def _tested(self, node: m.IsKnown, here: Scope, found: set[Token]) -> None:
        """An item tested with `is known`: its absence is modelled wherever it is read
        (`encode.items_tested_for_missing`, which resolves the name the same way)."""
        target = node.expr.expr if isinstance(node.expr, m.AtVisit) else node.expr
        if not isinstance(target, m.Ref):
            return
        symbol = self.spec.resolve(target.parts, here)
        if symbol is not None and symbol.kind == "item" and symbol.form is not None:
            name = str(getattr(symbol.decl, "name", ""))
            found.add(("known", symbol.owner.path, symbol.form.name, name))

    def _ref(self, node: m.Ref, here: Scope, found: set[Token]) -> None:
        symbol = here.owner.resolve(node.parts, here)
        if symbol is None or symbol.kind in ("value", "codelist", "table"):
            return  # a code-list value or a table's rows are constants
        form = symbol.form.name if symbol.form is not None else ""
        found.add((symbol.kind, form, str(getattr(symbol.decl, "name", ""))))
        if symbol.form is not None and (symbol.form.repeating or symbol.kind != "item"):
            # a log's records are slots every reader of the log shares; an item of a
            # form filled once is a variable of its own at each visit
            found.add(("form", form))
        if symbol.kind in ("score", "score_part"):
            # a score is encoded from its base score, less some items
            found |= self._score(symbol)
        if symbol.kind == "anchor" and getattr(symbol.decl, "visit", None) is not None:
            found.add(_CALENDAR)
        inner = getattr(symbol.decl, "expr", None)
        if symbol.kind in ("define", "derive", "anchor") and isinstance(inner, m.Expr):
            key = id(symbol.decl)
            reads = self._declarations.get(key)
            if reads is None:
                self._declarations[key] = frozenset()  # a definition that reads itself
                reads = self._expr(inner, Scope(symbol.owner, symbol.form))
                self._declarations[key] = reads
            found |= reads

    def _score(self, symbol: Symbol) -> frozenset[Token]:
        """What a score (or a variant, or one of its parts) reads: every descriptor of its
        base score, an item of the score's form or an expression over them."""
        decl = symbol.decl
        base = symbol.owner.score_base(decl) if isinstance(decl, m.Score | m.ScoreVariant) else None
        if base is None:
            return frozenset()  # the encoder makes nothing of it
        owner, score, _without = base
        key = id(score)
        reads = self._declarations.get(key)
        if reads is None:
            self._declarations[key] = frozenset()  # a descriptor that reads its own score
            found: set[Token] = set()
            for scope, expr in declaration_expressions(owner, score):
                found |= self._expr(expr, scope)
            form = owner.score_form(score)
            if form is not None:
                found |= {
                    ("item", form.name, item.name)
                    for domain in score.domains
                    for item in domain.items
                    if item.expr is None
                }
            reads = self._declarations[key] = frozenset(found)
        return reads


def parts(reads: dict[str, frozenset[Token]]) -> dict[str, int]:
    """Each criterion (by id) → the number of its part: criteria that read something in
    common, directly or through others, share a part."""
    parent: dict[object, object] = {}

    def find(key: object) -> object:
        root = parent.setdefault(key, key)
        while parent[root] != root:
            root = parent[root]
        while key != root:
            parent[key], key = root, parent[key]
        return root

    for criterion, tokens in reads.items():
        mine = find(("criterion", criterion))
        for token in tokens:
            other = find(token)
            if other != mine:
                parent[other] = mine
    numbers: dict[object, int] = {}
    return {
        criterion: numbers.setdefault(find(("criterion", criterion)), len(numbers))
        for criterion in reads
    }


def within_parts(groups: Collection[Collection[str]], part: dict[str, int]) -> bool:
    """Whether each of the solver's groups lies within one part."""
    return all(len({part[i] for i in group}) <= 1 for group in groups)
