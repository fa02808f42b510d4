"""The compiled connectives: Kleene's tables, and the missing data they keep."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.interpreter import _DECIDING, _short_circuit

TABLES = {"and": v.k_and, "or": v.k_or, "implies": v.k_implies}


def _side(value: bool | None, name: str, reads: list[str]) -> Any:
    """A compiled operand giving `value` after reporting one missing item (`name`)."""

    def operand(ctx: Any, rec: Any) -> bool | None:
        reads.append(name)
        ctx.missing.append(name)
        return value

    return operand


@pytest.mark.parametrize(
    ("op", "a", "b"), list(itertools.product(TABLES, (True, False, None), (True, False, None)))
)
def test_connective_follows_kleene_and_keeps_only_the_missing_data_that_matters(
    op: str, a: bool | None, b: bool | None
) -> None:
    reads: list[str] = []
    left_decides, right_decides = _DECIDING[op]
    fn = _short_circuit(
        _side(a, "left", reads), _side(b, "right", reads), left_decides, right_decides
    )
    ctx = SimpleNamespace(missing=["earlier"])
    result = fn(ctx, None)
    assert result is TABLES[op](a, b)
    # the right side is not evaluated once the left decides
    assert reads == (["left"] if a is left_decides else ["left", "right"])
    # a known result needs none of the data its operands missed; an unknown one needs all
    expected = ["earlier", *reads] if result is None else ["earlier"]
    assert ctx.missing == expected
