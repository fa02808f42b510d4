"""Data problems as the three screening engines can compare them: one category each.

The interpreter explains a value it cannot read in words; the generated
module names the category.  Both say which field (``labs.egfr at SCR``,
``meds[0].dose``, ``attestations.I6``).
"""

from __future__ import annotations

from typing import Any

from protocol_dsl.evaluate.subject import DataProblem

#: The categories of a value an item cannot hold, as the generated module names them.
CATEGORIES = (
    "invalid_value",
    "out_of_range",
    "unit_not_ucum",
    "unit_not_convertible",
    "unit_other_scale",
)


def category(problem: DataProblem) -> str:
    """The category of one of the interpreter's data problems."""
    reason = problem.reason
    if problem.check == "ITEM_OUT_OF_RANGE" or "is out of range" in reason:
        return "out_of_range"
    if "is not a UCUM unit" in reason:
        return "unit_not_ucum"
    if "is another scale than the item's unit" in reason:
        return "unit_other_scale"
    if "cannot be converted to the item's unit" in reason:
        return "unit_not_convertible"
    return "invalid_value"


#: Problems of a record's layout rather than of a value: a name that is not an item or
#: criterion, an item recorded at a visit it is not collected at.  The generated module
#: skips such entries without a word.
_LAYOUT = (
    "is not an item of the form",
    "is not a criterion of the spec",
    "is not an attested criterion",
    "the item is collected at",
)


def interpreter_problems(problems: list[DataProblem]) -> list[tuple[str, str]]:
    """(field, category) of each value the interpreter could not read."""
    return sorted(
        (p.where(), category(p))
        for p in problems
        if p.item is not None and not any(text in p.reason for text in _LAYOUT)
    )


def module_problems(result: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, category) of each value the generated module could not read."""
    return sorted((p["where"], p["problem"]) for p in result["invalid"])
