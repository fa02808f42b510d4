"""Evaluation of a spec against subject data: the three-valued interpreter.

`values` holds the runtime values (Kleene truth, intervals, dates, durations,
titers), `subject` validates and normalises subject records against the data
dictionary, `interpreter` compiles criteria into closures and screens
subjects, and `edit_checks` finds recorded data that break the protocol.
Nothing here is imported by `protocol check`.
"""

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
