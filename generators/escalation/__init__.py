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

#: Each public name and the module that owns it.  Imported when first used, so a
#: command takes only the modules it runs (`protocol simulate` never loads the
#: cohorts-file reader or the decision tables).
_OWNERS = {
    "BoinLambdas": "boin",
    "beta_tail": "boin",
    "boin_lambdas": "boin",
    "regularized_incomplete_beta": "boin",
    "read_cohorts": "cohorts_file",
    "Action": "decide",
    "Cohort": "decide",
    "Decision": "decide",
    "EscalationInputError": "decide",
    "decide": "decide",
    "rules_for": "decide",
    "Boin": "designs",
    "Crm": "designs",
    "Design": "designs",
    "DesignError": "designs",
    "Mtpi2": "designs",
    "ThreePlusThree": "designs",
    "design_from_params": "designs",
    "SimulationResult": "simulate",
    "plot_oc": "simulate",
    "simulate": "simulate",
    "BoundaryRow": "table",
    "DecisionTable": "table",
    "decision_table": "table",
}

if TYPE_CHECKING:
    from .boin import BoinLambdas, beta_tail, boin_lambdas, regularized_incomplete_beta
    from .cohorts_file import read_cohorts
    from .decide import Action, Cohort, Decision, EscalationInputError, decide, rules_for
    from .designs import (
        Boin,
        Crm,
        Design,
        DesignError,
        Mtpi2,
        ThreePlusThree,
        design_from_params,
    )
    from .simulate import SimulationResult, plot_oc, simulate
    from .table import BoundaryRow, DecisionTable, decision_table


def __getattr__(name: str) -> Any:
    owner = _OWNERS.get(name)
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
