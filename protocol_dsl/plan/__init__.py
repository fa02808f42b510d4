"""The screening plan: eligibility criteria lowered to a small, typed, resolved tree.

Two back ends compile the same plan: set-based SQL (`generators.sql`) and a
standalone Python module (`generators.checks`).  The plan is where every
decision about meaning is taken once: names resolved, visits chosen, scores
expanded into weighted conditions, definitions and derived values inlined,
quantities brought to one unit (constants converted exactly at compile time),
durations turned into day or calendar-month shifts.  What is left are a few
node kinds, each with one meaning, that both back ends implement the same way.
"""

from protocol_dsl.plan.dictionary import Column, Conversion, Dictionary, Table
from protocol_dsl.plan.lower import CriterionPlan, Plan, PlanError, build_plan

__all__ = [
    "Column",
    "Conversion",
    "CriterionPlan",
    "Dictionary",
    "Plan",
    "PlanError",
    "Table",
    "build_plan",
]
