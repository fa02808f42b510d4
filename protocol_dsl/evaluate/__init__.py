"""Evaluation of a spec against subject data: the three-valued interpreter.

`values` holds the runtime values (Kleene truth, intervals, dates, durations,
titers), `subject` validates and normalises subject records against the data
dictionary, `interpreter` compiles criteria into closures and screens
subjects, and `edit_checks` finds recorded data that break the protocol.
Nothing here is imported by `protocol check`.

The names below are loaded when first used: the SQL engines read a few
helpers of `subject` and `values` and never load the interpreter itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from protocol_dsl.evaluate.interpreter import (
        CriterionResult,
        Evidence,
        ExprResult,
        Screener,
        SubjectResult,
        compile_spec_rules,
        evaluate_expr,
        evaluate_subject,
    )
    from protocol_dsl.evaluate.subject import DataDictionary, DataProblem, Subject, normalise
    from protocol_dsl.evaluate.values import Interval, Quantity, Truth

#: Each public name and the module that defines it.
_DEFINED_IN = {
    **dict.fromkeys(
        (
            "CriterionResult",
            "Evidence",
            "ExprResult",
            "Screener",
            "SubjectResult",
            "compile_spec_rules",
            "evaluate_expr",
            "evaluate_subject",
        ),
        "interpreter",
    ),
    **dict.fromkeys(("DataDictionary", "DataProblem", "Subject", "normalise"), "subject"),
    **dict.fromkeys(("Interval", "Quantity", "Truth"), "values"),
}

__all__ = [
    "CriterionResult",
    "DataDictionary",
    "DataProblem",
    "Evidence",
    "ExprResult",
    "Interval",
    "Quantity",
    "Screener",
    "Subject",
    "SubjectResult",
    "Truth",
    "compile_spec_rules",
    "evaluate_expr",
    "evaluate_subject",
    "normalise",
]


def __getattr__(name: str) -> Any:
    module = _DEFINED_IN.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
