"""Dose escalation as executable rules: decide the next cohort, print decision
tables, and simulate operating characteristics.

Designs are plain typed parameters (`ThreePlusThree`, `Boin`, `Mtpi2`,
`Crm`, or `design_from_params` for loosely typed input); nothing here reads
the spec model.  The public names are re-exported from the modules that own
them.
"""

from .boin import BoinLambdas, beta_tail, boin_lambdas, regularized_incomplete_beta
from .cohorts_file import read_cohorts
from .decide import (
    Action,
    Cohort,
    Decision,
    EscalationInputError,
    decide,
    rules_for,
)
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
