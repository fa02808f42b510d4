"""Groups of criteria the solver can analyse apart: no variable links one group to another.

Two criteria belong together when their formulas share a variable, directly or
through a domain constraint (an item's range, a record slot, a definition).
A conjunction splits along these groups: it is satisfiable exactly when each
group's part is.  So a query about one criterion ("can it fail while the others
pass?") needs only its own group, and the cost of the per-criterion analysis
grows with the size of the groups rather than with the whole spec.

Domain constraints that touch no criterion are left out: they cannot change
what any criterion can do, and leaving a constraint out can only hide a
finding, never invent one.  (A constraint without variables is left out too:
the encoder writes none, and one that held no subject would be a fault of the
encoder, not of the spec.)
"""

from __future__ import annotations

from typing import Any

import z3

_APP = z3.Z3_APP_AST
_QUANTIFIER = z3.Z3_QUANTIFIER_AST
_UNINTERPRETED = z3.Z3_OP_UNINTERPRETED


class Partition:
    """Union-find over variables."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, key: object) -> object:
        root = self.parent.setdefault(key, key)
        while self.parent[root] != root:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, keys: list[object]) -> None:
        if not keys:
            return
        root = self.find(keys[0])
        for key in keys[1:]:
            other = self.find(key)
            if other != root:
                self.parent[other] = root


def connected_groups(
    ctx: z3.Context,
    ids: list[str],
    rules: dict[str, list[z3.BoolRef]],
    constraints: list[z3.BoolRef],
    linker: Linker | None = None,
) -> list[tuple[list[str], list[z3.BoolRef]]]:
    """The criteria `ids` in groups, each with the domain constraints it needs.

    Groups come in the order of their first criterion, criteria in the order given.
    A `linker` given is left knowing the variables of every term it walked.
    """
    linker = linker if linker is not None else Linker(ctx)
    partition = linker.partition
    for criterion in ids:
        found = linker.link_all(rules[criterion])
        partition.join([("criterion", criterion)] + [v for v in found if v is not None])
    keys = linker.link_all(constraints)
    members: dict[object, list[str]] = {}
    for criterion in ids:
        members.setdefault(partition.find(("criterion", criterion)), []).append(criterion)
    needed: dict[object, list[z3.BoolRef]] = {root: [] for root in members}
    for constraint, key in zip(constraints, keys, strict=True):
        group = needed.get(partition.find(key)) if key is not None else None
        if group is not None:
            group.append(constraint)
    return [(group, needed[root]) for root, group in members.items()]


class Linker:
    """Joins the variables of a formula; a formula's key is one of its variables.

    Terms are the nodes of z3's shared term graph, so a variable read by two
    formulas joins them.  Only variables (uninterpreted constants) join: a
    shared term without variables (a numeral, a unit factor such as
    ``ToReal(1000)``) says nothing about what one formula's subjects can do to
    another's, so it must not put them in one group.  Each term is visited once
    overall (terms are told apart by z3's id of the term) and remembers its
    variables.  The walk uses z3's low-level API (`z3.Z3_get_app_arg`, …, each
    call checked by z3): wrapping every node of the graph in a Python object
    cost more than the solving.
    """

    def __init__(self, ctx: z3.Context) -> None:
        self.ctx = ctx
        self.partition = Partition()
        #: Per term (its id): the ids of the variables in it.  An id names one term
        #: only while the term lives: the formulas walked must outlive the linker.
        self.variables: dict[int, frozenset[int]] = {}
        #: Per variable id: the variable as z3 hands it over, made a term when asked for
        #: (`term`): most variables are never asked for, and making each one a Python
        #: term on the way cost a quarter of the walk.
        self._variables: dict[int, Any] = {}
        self._terms: dict[int, z3.ExprRef] = {}

    def variables_of(self, formula: z3.ExprRef) -> frozenset[int]:
        """The variables of a formula walked by `link_all` (or walked now)."""
        top = formula.get_id()
        found = self.variables.get(top)
        if found is None:
            self._walk([formula])
            found = self.variables[top]
        return found

    def link_all(self, formulas: list[z3.BoolRef]) -> list[int | None]:
        """Join the variables of each formula; one of them per formula, None when it has none.

        One walk for all of them: most domain constraints are tiny.
        """
        self._walk(formulas)
        keys: list[int | None] = []
        join, variables = self.partition.join, self.variables
        for formula in formulas:
            found = variables[formula.get_id()]
            # the formula's variables include those of every part of it: one join does
            join(list(found))
            keys.append(next(iter(found)) if found else None)
        return keys

    def _walk(self, tops: list[z3.ExprRef]) -> None:
        """Find the variables of terms not walked yet, and of their parts."""
        ref = self.ctx.ref()
        variables = self.variables
        ast_id, kind_of = z3.Z3_get_ast_id, z3.Z3_get_ast_kind
        num_args, arg = z3.Z3_get_app_num_args, z3.Z3_get_app_arg
        # (term, its id, the ids of its parts): a term is finished when seen again
        # with its parts.  The formulas walked keep every part alive.
        stack: list[tuple[Any, int, list[int] | None]] = [
            (top.as_ast(), top.get_id(), None) for top in reversed(tops)
        ]
        pop, push = stack.pop, stack.append
        while stack:  # children before parents
            ast, key, parts = pop()
            if parts is not None:
                variables[key] = _NONE.union(*[variables[part] for part in parts])
                continue
            if key in variables:
                continue
            kind = kind_of(ref, ast)
            if kind == _APP:
                count = num_args(ref, ast)
                if count == 0:
                    # true, false and other interpreted constants are no variables
                    decl = z3.Z3_get_app_decl(ref, ast)
                    if z3.Z3_get_decl_kind(ref, decl) == _UNINTERPRETED:
                        variables[key] = frozenset((key,))
                        self._variables[key] = ast
                    else:
                        variables[key] = _NONE
                    continue
                children = [arg(ref, ast, i) for i in range(count)]
            elif kind == _QUANTIFIER:
                children = [z3.Z3_get_quantifier_body(ref, ast)]
            else:  # numerals, bound variables
                variables[key] = _NONE
                continue
            ids = [ast_id(ref, child) for child in children]
            push((ast, key, ids))
            for child, child_key in zip(children, ids, strict=True):
                if child_key not in variables:
                    push((child, child_key, None))

    def term(self, variable: int) -> z3.ExprRef:
        """A variable found by a walk (by its id), as a term.  Making it creates no term in
        the context: z3 gives back the variable the formulas already hold."""
        found = self._terms.get(variable)
        if found is None:
            found = self._terms[variable] = self._variable(self._variables[variable])
        return found

    def _variable(self, ast: Any) -> z3.ExprRef:
        """The variable as z3 makes it from its name and sort (the same term)."""
        ref = self.ctx.ref()
        decl = z3.Z3_get_app_decl(ref, ast)
        name = z3.Z3_get_symbol_string(ref, z3.Z3_get_decl_name(ref, decl))
        sort = z3.SortRef(z3.Z3_get_sort(ref, ast), self.ctx)
        return z3.Const(name, sort)


_NONE: frozenset[int] = frozenset()
