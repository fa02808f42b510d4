"""Dose escalation as executable rules: decide the next cohort, print decision
tables, and simulate operating characteristics.

Designs are plain typed parameters (`ThreePlusThree`, `Boin`, `Mtpi2`,
`Crm`, or `design_from_params` for loosely typed input); nothing here reads
the spec model.  The public names are re-exported from the modules that own
them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# `decide` and `simulate` are also the names of their modules: importing those
# here, before the functions, keeps the functions the package's attributes.
from .boin import BoinLambdas, beta_tail, boin_lambdas, regularized_incomplete_beta
from .decide import Action, Cohort, Decision, EscalationInputError, decide, rules_for
from .designs import Boin, Crm, Design, DesignError, Mtpi2, ThreePlusThree, design_from_params
from .simulate import SimulationResult, plot_oc, simulate

#: Names of the modules a simulation does not run (the cohorts-file reader, the
#: decision tables), imported when first used.
_LATER = {
    "read_cohorts": "cohorts_file",
    "BoundaryRow": "table",
    "DecisionTable": "table",
    "decision_table": "table",
}

if TYPE_CHECKING:
    from .cohorts_file import read_cohorts
    from .table import BoundaryRow, DecisionTable, decision_table


def __getattr__(name: str) -> Any:
    owner = _LATER.get(name)
    if owner is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{owner}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Action",
    "Boin",
    "BoinLambdas",
    "BoundaryRow",
    "Cohort",
    "Crm",
    "Decision",
    "DecisionTable",
    "Design",
    "DesignError",
    "EscalationInputError",
    "Mtpi2",
    "SimulationResult",
    "ThreePlusThree",
    "beta_tail",
    "boin_lambdas",
    "decide",
    "decision_table",
    "design_from_params",
    "plot_oc",
    "read_cohorts",
    "regularized_incomplete_beta",
    "rules_for",
    "simulate",
]
