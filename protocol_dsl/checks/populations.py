"""Analysis sets and subgroups: rules the solver proves empty or identical (W1041, W1042).

A population's rule is an ordinary condition: its names and types are
checked with every other expression (`names`, `types`).  This check asks the
solver (`protocol_dsl.solver.populations`) what only it can see; the solver
is imported only for a spec that declares populations.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    if not spec.module.of_type(m.Population):
        return
    from protocol_dsl.solver.populations import analyse

    yield from analyse(spec)
