"""Which criteria and endpoints depend on which declarations, and with which polarity.

A criterion's meaning changes when anything its rule reaches changes: a
definition, a form's derived value, a score (its weights and descriptors), a
lookup table (a changed prednisone factor changes who is eligible), a code
list tested as a whole (`x in list`), an anchor, or the type and unit of an
item.  `Dependencies` follows every rule through those declarations, once,
and answers "who uses this?" for a declaration key such as
`define low_complement` or `table gc.prednisone_factor`; keys name library
declarations through the alias chain of the importing spec.

`polarities` says how a boolean definition occurs in a rule: positively
(making it true can only make the rule true), negatively (under `not`, the
left of `implies`, the filter of `none`/`all`), or in a position where the
effect is unknown; the diff uses it to turn "definition widened" into
"eligibility widened" or "narrowed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from protocol_dsl import model as m
from protocol_dsl.spec import Scope, Spec, Symbol, endpoint_expressions, inner_scope


def prefixes(spec: Spec) -> dict[int, str]:
    """For the spec and every library it reaches: the qualifier of its names ("" or "sle.")."""
    found: dict[int, str] = {id(spec): ""}
    queue: list[tuple[Spec, str]] = [(spec, "")]
    while queue:
        owner, prefix = queue.pop(0)
        for alias, library in owner.libraries.items():
            if id(library) not in found:
                found[id(library)] = f"{prefix}{alias}."
                queue.append((library, f"{prefix}{alias}."))
    return found


def key(kind: str, qualified: str) -> str:
    return f"{kind} {qualified}"


class Dependencies:
    """The declarations each criterion and endpoint of a spec reaches."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.prefix = prefixes(spec)
        self._memo: dict[int, frozenset[str]] = {}
        self._users: dict[str, set[str]] = {}
        for criterion in spec.criteria:
            if criterion.rule is not None:
                for reached in self._expr(criterion.rule, Scope(spec), set()):
                    self._users.setdefault(reached, set()).add(criterion.id)
        for objective in spec.objectives:
            for endpoint in objective.endpoints:
                for scope, expr in endpoint_expressions(spec, endpoint):
                    for reached in self._expr(expr, scope, set()):
                        self._users.setdefault(reached, set()).add(endpoint.name)
        self.criteria = {c.id for c in spec.criteria}

    def users(self, declaration: str) -> set[str]:
        """Criteria ids and endpoint names whose rules reach the declaration."""
        return set(self._users.get(declaration, ()))

    def symbol_key(self, symbol: Symbol) -> str | None:
        prefix = self.prefix.get(id(symbol.owner), "?.")
        decl = symbol.decl
        if symbol.kind in ("item", "derive") and symbol.form is not None:
            return key(symbol.kind, f"{prefix}{symbol.form.name}.{decl.name}")  # type: ignore[attr-defined]
        if symbol.kind in ("score", "score_part"):
            return key("score", prefix + decl.name)  # type: ignore[attr-defined]
        if symbol.kind in ("define", "anchor", "table", "codelist", "form"):
            return key(symbol.kind, prefix + decl.name)  # type: ignore[attr-defined]
        return None

    # ------------------------------------------------------------ reaching

    def _expr(self, expr: m.Expr, scope: Scope, seen: set[int]) -> frozenset[str]:
        reached: set[str] = set()
        for node, node_scope in _walk(expr, scope):
            if isinstance(node, m.Ref):
                symbol = self.spec.resolve(node.parts, node_scope)
                if symbol is not None:
                    reached |= self._symbol(symbol, seen)
            elif isinstance(node, m.Quantifier):
                form = node_scope.owner.forms.get(node.form)
                if form is not None:
                    reached.add(key("form", self.prefix.get(id(node_scope.owner), "") + form.name))
            elif isinstance(node, m.Aggregate):
                symbol = self.spec.resolve(node.target.parts, Scope(node_scope.owner))
                if symbol is not None:
                    reached |= self._symbol(symbol, seen)
                    if symbol.form is not None:
                        form_key = self.prefix.get(id(symbol.owner), "") + symbol.form.name
                        reached.add(key("form", form_key))
            elif isinstance(node, m.MemberOf) and node.codelist is not None:
                symbol = self.spec.resolve(node.codelist.parts, node_scope)
                if symbol is not None:
                    reached |= self._symbol(symbol, seen)
            elif isinstance(node, m.Call):
                applied = node_scope.owner.application(node)
                if applied is not None:
                    # a parameterised definition: it, and what its rule reads once applied
                    prefix = self.prefix.get(id(node_scope.owner), "")
                    reached.add(key("define", prefix + applied.definition.name))
                    if applied.expansion is not None:
                        reached |= self._expr(applied.expansion, node_scope, seen)
        return frozenset(reached)

    def _symbol(self, symbol: Symbol, seen: set[int]) -> frozenset[str]:
        own = self.symbol_key(symbol)
        reached: set[str] = {own} if own else set()
        decl = symbol.decl
        if id(decl) in seen:
            return frozenset(reached)
        if id(decl) in self._memo:
            return self._memo[id(decl)] | reached
        seen = seen | {id(decl)}
        inner: set[str] = set()
        owner = symbol.owner
        if symbol.kind == "define":
            inner |= self._expr(decl.expr, Scope(owner), seen)  # type: ignore[attr-defined]
        elif symbol.kind == "derive" and symbol.form is not None:
            inner |= self._expr(decl.expr, Scope(owner, symbol.form), seen)  # type: ignore[attr-defined]
        elif symbol.kind == "anchor" and decl.expr is not None:  # type: ignore[attr-defined]
            inner |= self._expr(decl.expr, Scope(owner), seen)  # type: ignore[attr-defined]
        elif symbol.kind in ("score", "score_part"):
            inner |= self._score(owner, decl, seen)  # type: ignore[arg-type]
        self._memo[id(decl)] = frozenset(inner)
        return frozenset(reached | inner)

    def _score(self, owner: Spec, score: m.Score | m.ScoreVariant, seen: set[int]) -> set[str]:
        reached: set[str] = set()
        if isinstance(score, m.ScoreVariant):
            base = owner.resolve(score.base.parts, Scope(owner))
            if base is not None:
                reached |= self._symbol(base, seen)
            return reached
        form_symbol = owner.resolve(score.form.parts, Scope(owner)) if score.form else None
        form = form_symbol.form if form_symbol is not None else None
        form_owner = form_symbol.owner if form_symbol is not None else owner
        if form is not None:
            reached.add(key("form", self.prefix.get(id(form_owner), "") + form.name))
        for _domain, item in score.items():
            if item.expr is not None:
                reached |= self._expr(item.expr, Scope(owner, form), seen)
            elif form is not None and form.item(item.name) is not None:
                prefix = self.prefix.get(id(form_owner), "")
                reached.add(key("item", f"{prefix}{form.name}.{item.name}"))
        return reached


def _walk(expr: m.Expr, scope: Scope) -> Iterator[tuple[m.Expr, Scope]]:
    """Every node with its scope; an aggregate's target is resolved outside its filter."""
    yield expr, scope
    inner = inner_scope(expr, scope)
    if isinstance(expr, m.Quantifier):
        for child in (expr.where, expr.satisfy):
            if child is not None:
                yield from _walk(child, inner or scope)
        return
    if isinstance(expr, m.Aggregate):
        if expr.where is not None:
            yield from _walk(expr.where, inner or scope)
        return
    for child in m.children(expr):
        yield from _walk(child, scope)


# ---------------------------------------------------------------- polarity


def polarities(spec: Spec, expr: m.Expr, target: m.Define, scope: Scope | None = None) -> set[int]:
    """How `target` occurs in `expr` (through other definitions too): +1, -1 or 0 each time."""
    found: set[int] = set()

    def is_target(node: m.Expr, node_scope: Scope) -> bool:
        if not isinstance(node, m.Ref):
            return False
        symbol = spec.resolve(node.parts, node_scope)
        return symbol is not None and symbol.decl is target

    _polar(spec, expr, scope or Scope(spec), 1, is_target, found, set())
    return found


def membership_polarities(
    deps: Dependencies, expr: m.Expr, codelist: str, scope: Scope | None = None
) -> set[int]:
    """How `expr` tests the code list keyed `codelist` as a whole (`x in list`, through
    definitions too): +1 where one more value in the list can only make the rule true, -1
    where it can only make it false, 0 where either; empty when it never does.  A test that
    names its values (`x = a`, `x in {a, b}`) reads no other value of the list, so a value
    added to or removed from the list does not move it."""
    spec = deps.spec
    found: set[int] = set()

    def is_target(node: m.Expr, node_scope: Scope) -> bool:
        if not isinstance(node, m.MemberOf) or node.codelist is None:
            return False
        symbol = spec.resolve(node.codelist.parts, node_scope)
        return symbol is not None and deps.symbol_key(symbol) == codelist

    _polar(spec, expr, scope or Scope(spec), 1, is_target, found, set())
    return found


def _polar(
    spec: Spec,
    expr: m.Expr,
    scope: Scope,
    sign: int,
    is_target: Callable[[m.Expr, Scope], bool],
    found: set[int],
    seen: set[int],
) -> None:
    if is_target(expr, scope):
        found.add(sign)
        return
    if isinstance(expr, m.Ref):
        symbol = spec.resolve(expr.parts, scope)
        if symbol is None or symbol.kind != "define" or id(symbol.decl) in seen:
            return
        define = symbol.decl
        assert isinstance(define, m.Define)
        _polar(spec, define.expr, Scope(symbol.owner), sign, is_target, found, seen | {id(define)})
        return
    if isinstance(expr, m.Not):
        _polar(spec, expr.expr, scope, -sign, is_target, found, seen)
    elif isinstance(expr, m.Logic):
        left_sign = -sign if expr.op == "implies" else sign
        _polar(spec, expr.left, scope, left_sign, is_target, found, seen)
        _polar(spec, expr.right, scope, sign, is_target, found, seen)
    elif isinstance(expr, m.Quantifier):
        inner = inner_scope(expr, scope) or scope
        if expr.where is not None:
            where_sign = sign if expr.kind == "any" else -sign
            _polar(spec, expr.where, inner, where_sign, is_target, found, seen)
        if expr.satisfy is not None:
            _polar(spec, expr.satisfy, inner, sign, is_target, found, seen)
    elif isinstance(expr, m.Conditional):
        _polar(spec, expr.condition, scope, 0, is_target, found, seen)
        _polar(spec, expr.then, scope, sign, is_target, found, seen)
        _polar(spec, expr.otherwise, scope, sign, is_target, found, seen)
    elif isinstance(expr, m.AtVisit):
        _polar(spec, expr.expr, scope, sign, is_target, found, seen)
    else:
        inner = inner_scope(expr, scope) or scope
        for child in m.children(expr):
            _polar(spec, child, inner, 0, is_target, found, seen)
