"""Groups of criteria the solver can analyse apart: no variable links one group to another.

Two criteria belong together when their formulas share a variable, directly or
through a domain constraint (an item's range, a record slot, a definition).
A conjunction splits along these groups: it is satisfiable exactly when each
group's part is.  So a query about one criterion ("can it fail while the others
pass?") needs only its own group, and the cost of the per-criterion analysis
grows with the size of the groups rather than with the whole spec.

Domain constraints that touch no criterion are left out: they cannot change
what any criterion can do, and leaving a constraint out can only hide a
finding, never invent one.
"""

from __future__ import annotations

import z3

_APP = z3.Z3_APP_AST
_NUMERAL = z3.Z3_NUMERAL_AST
_QUANTIFIER = z3.Z3_QUANTIFIER_AST
_UNINTERPRETED = z3.Z3_OP_UNINTERPRETED


class _Partition:
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
) -> list[tuple[list[str], list[z3.BoolRef]]]:
    """The criteria `ids` in groups, each with the domain constraints it needs.

    Groups come in the order of their first criterion, criteria in the order given.
    """
    partition = _Partition()
    linker = _Linker(ctx, partition)
    for criterion in ids:
        partition.join([("criterion", criterion)] + [linker.link(f) for f in rules[criterion]])
    roots = [linker.link(constraint) for constraint in constraints]
    members: dict[object, list[str]] = {}
    for criterion in ids:
        members.setdefault(partition.find(("criterion", criterion)), []).append(criterion)
    needed: dict[object, list[z3.BoolRef]] = {root: [] for root in members}
    for constraint, key in zip(constraints, roots, strict=True):
        group = needed.get(partition.find(key))
        if group is not None:
            group.append(constraint)
    return [(group, needed[root]) for root, group in members.items()]


class _Linker:
    """Joins every term of a formula with its sub-terms, each term visited once overall.

    Terms are the nodes of z3's shared term graph, so a variable read by two
    formulas joins them.  Numerals and other interpreted constants join nothing;
    a shared term without variables may join two formulas needlessly, which only
    makes a group larger, never wrong.
    """

    def __init__(self, ctx: z3.Context, partition: _Partition) -> None:
        self.ref = ctx.ref()
        self.partition = partition
        self.visited: set[int] = set()

    def link(self, formula: z3.ExprRef) -> int:
        ref, partition, visited = self.ref, self.partition, self.visited
        top = formula.get_id()
        stack = [formula.as_ast()]
        while stack:
            ast = stack.pop()
            key = z3.Z3_get_ast_id(ref, ast)
            if key in visited:
                continue
            visited.add(key)
            kind = z3.Z3_get_ast_kind(ref, ast)
            if kind == _QUANTIFIER:
                children = [z3.Z3_get_quantifier_body(ref, ast)]
            elif kind == _APP:
                count = z3.Z3_get_app_num_args(ref, ast)
                children = [z3.Z3_get_app_arg(ref, ast, i) for i in range(count)]
            else:
                continue
            joined: list[object] = [key]
            for child in children:
                child_kind = z3.Z3_get_ast_kind(ref, child)
                if child_kind == _NUMERAL:
                    continue
                if child_kind == _APP and z3.Z3_get_app_num_args(ref, child) == 0:
                    decl = z3.Z3_get_app_decl(ref, child)
                    if z3.Z3_get_decl_kind(ref, decl) != _UNINTERPRETED:
                        continue  # true, false, and other interpreted constants
                joined.append(z3.Z3_get_ast_id(ref, child))
                stack.append(child)
            partition.join(joined)
        return top
