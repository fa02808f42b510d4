"""The built-in functions of the language: the one table of their names and arities.

The checker reports an unknown function or a wrong number of arguments from
this table; the test strategies keep generated names clear of it.  Each back
end implements every function listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Function:
    """A built-in function: how many arguments it takes and what it computes."""

    name: str
    arity: int
    description: str


FUNCTIONS: Mapping[str, Function] = {
    f.name: f
    for f in (
        Function("years_between", 2, "completed years from the first date to the second"),
        Function("months_between", 2, "completed months from the first date to the second"),
        Function("days_between", 2, "days from the first date to the second"),
        Function("lookup", 2, "the value of a lookup table for a key"),
        Function("abs", 1, "absolute value"),
        Function("least", 2, "the smaller of two values"),
        Function("greatest", 2, "the larger of two values"),
        Function("sqrt", 1, "square root"),
        Function("power", 2, "the first value raised to the power of the second"),
        Function("exp", 1, "e raised to the power of the value"),
        Function("ln", 1, "natural logarithm"),
        Function("round", 2, "rounded to a number of decimals, halves away from zero"),
        Function("floor", 1, "the largest whole number not above the value"),
        Function("ceiling", 1, "the smallest whole number not below the value"),
    )
}


#: The functions of numbers that every engine computes with `values.math_function`'s
#: rules (and the SQL back end with the SQL functions of the same meaning).
MATH_FUNCTIONS: tuple[str, ...] = ("sqrt", "power", "exp", "ln", "round", "floor", "ceiling")
