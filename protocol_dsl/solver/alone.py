"""A cheap proof that a criterion can fail while every other criterion of its group passes.

For each criterion the analysis of `logic` asks the solver whether a subject
can fail it while passing all the others; only an unsatisfiable answer leads
to a finding.  In a large group that query holds every criterion of the group,
and most answers are "yes, such a subject exists".  This module finds many of
those answers with a query of the criterion's own size.

Take a subject `M0` who passes every criterion of the group (the model of the
group's eligibility query).  Change only the variables that belong to
criterion c alone (its own records and values: variables no other criterion
reads, with those tied to them by domain constraints).  If c can fail that
way, with every other variable kept at its value in `M0` and the domain
constraints on the changed variables holding, the changed subject still passes
every other criterion (their formulas and the other constraints read nothing
that changed) and fails c: the full query is satisfiable.  When this small
query is unsatisfiable nothing follows, and the full query is asked as before;
so findings come only from full queries, as before.

Which variables are held fixed is a choice (`OwnParts`); a criterion whose
variables stay tied to another's through constraints gets no shortcut.
"""

from __future__ import annotations

from collections import Counter

import z3

from protocol_dsl.solver.groups import Linker, Partition


class OwnParts:
    """For the criteria of one group: each one's own variables and the constraints on them.

    The variables held fixed (`shared`) start as those read by two criteria.  Then,
    as long as some variable-connected part of what is left holds two criteria,
    the variables of that part used by the most formulas and constraints (the
    anchors everything is relative to, such as the first dose) are held fixed too,
    for a few rounds.  Any choice is sound; this one lets most criteria of a
    machine-made or a long real spec stand alone.
    """

    ROUNDS = 4

    def __init__(
        self,
        linker: Linker,
        formulas: dict[str, list[z3.BoolRef]],
        constraints: list[z3.BoolRef],
    ) -> None:
        reads = {c: frozenset().union(*map(linker.variables_of, fs)) for c, fs in formulas.items()}
        on = [(c, linker.variables_of(c)) for c in constraints]
        uses = Counter(v for variables in reads.values() for v in variables)
        shared = {v for v, n in uses.items() if n > 1}
        uses.update(v for _, variables in on for v in variables)
        #: criterion → (its own variables, the constraints on them), for the criteria
        #: that stand alone once the shared variables are held fixed
        self.parts: dict[str, tuple[frozenset[int], list[z3.BoolRef]]] = {}
        for round_ in range(self.ROUNDS + 1):
            partition = Partition()
            for criterion, variables in reads.items():
                partition.join([("criterion", criterion), *(variables - shared)])
            for _, variables in on:
                partition.join(list(variables - shared))
            members: dict[object, list[str]] = {}
            for criterion in reads:
                members.setdefault(partition.find(("criterion", criterion)), []).append(criterion)
            crowded = {root for root, criteria in members.items() if len(criteria) > 1}
            if not crowded or round_ == self.ROUNDS:
                break
            hubs: dict[object, tuple[int, list[int]]] = {}
            for variable in sorted(uses):
                if variable in shared:
                    continue
                root = partition.find(variable)
                if root in crowded:
                    best, found = hubs.get(root, (0, []))
                    if uses[variable] > best:
                        hubs[root] = (uses[variable], [variable])
                    elif uses[variable] == best:
                        found.append(variable)
            shared.update(v for _, found in hubs.values() for v in found)
        on_own: dict[object, list[z3.BoolRef]] = {}
        own_variables: dict[object, set[int]] = {}
        for constraint, variables in on:
            private = variables - shared
            if private:
                root = partition.find(next(iter(private)))
                on_own.setdefault(root, []).append(constraint)
                own_variables.setdefault(root, set()).update(private)
        for root, criteria in members.items():
            if len(criteria) == 1 and root not in crowded:
                own = (reads[criteria[0]] - shared) | own_variables.get(root, set())
                self.parts[criteria[0]] = (frozenset(own), on_own.get(root, []))


class Shortcut:
    """Small queries over one group, against one subject who passes all its criteria."""

    def __init__(
        self, ctx: z3.Context, linker: Linker, parts: OwnParts, model: z3.ModelRef, rlimit: int
    ):
        self.ctx = ctx
        self.linker = linker
        self.parts = parts
        self.model = model
        self.solver = z3.Solver(ctx=ctx)
        self.solver.set("rlimit", rlimit)
        self.values: dict[int, z3.ExprRef] = {}

    def fails_alone(self, criterion: str, fails: z3.BoolRef) -> bool:
        """True when a subject fails `criterion` and passes every other criterion of the
        group (proved by changing only its own variables in the model); False: unknown."""
        found = self.parts.parts.get(criterion)
        if found is None:
            return False
        own, constraints = found
        fixed = self.linker.variables_of(fails).union(
            *(self.linker.variables_of(c) for c in constraints)
        )
        solver = self.solver
        solver.push()
        try:
            solver.add(fails, *constraints)
            # z3 coerces the sorts (an integer variable whose value is a real numeral)
            solver.add(*[self._term(v) == self._value(v) for v in sorted(fixed - own)])
            return solver.check() == z3.sat
        finally:
            solver.pop()

    def _term(self, variable: int) -> z3.ExprRef:
        return self.linker.term(variable)

    def _value(self, variable: int) -> z3.ExprRef:
        value = self.values.get(variable)
        if value is None:
            value = self.model.eval(self._term(variable), model_completion=True)
            self.values[variable] = value
        return value
