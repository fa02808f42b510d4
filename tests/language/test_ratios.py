"""Exact ratios in lookup tables: read exactly, formatted as written, compared by value.

A table value may be written `20/3` or `5/0.75`, as a protocol states a
conversion factor.  The model keeps it as a fraction (never a float), `fmt`
keeps the spelling, a zero denominator is E0142, and the diff compares the
exact value (`1.25 → 5/4` is no change, `6.67 → 20/3` is one).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generators.diff.compare import diff
from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module

_HEADER = """\
codelist glucocorticoid "Glucocorticoid" {
  prednisone         "Prednisone"
  methylprednisolone "Methylprednisolone"
  dexamethasone      "Dexamethasone"
}
"""


def _table(methylprednisolone: str, dexamethasone: str) -> str:
    return (
        _HEADER
        + '\ntable prednisone_factor "Factor" {\n'
        + "  keys glucocorticoid\n"
        + "  prednisone         1\n"
        + f"  methylprednisolone {methylprednisolone}\n"
        + f"  dexamethasone      {dexamethasone}\n"
        + "}\n"
    )


def _values(source: str) -> dict[str, m.Value]:
    module, diagnostics = parse_module(source, "ratios.trial")
    assert module is not None, [d.message for d in diagnostics]
    (table,) = [d for d in module.declarations if isinstance(d, m.Table)]
    return {row.key: row.value for row in table.rows}


def test_a_ratio_is_kept_exact_as_a_fraction() -> None:
    values = _values(_table("5/4", "5/0.75"))
    assert values["dexamethasone"].value == Fraction(20, 3)
    assert isinstance(values["dexamethasone"].value, Fraction)
    assert values["dexamethasone"].text == "5/0.75"
    assert values["methylprednisolone"].value == Fraction(5, 4)
    assert values["prednisone"].value == Decimal(1)


def test_a_negative_ratio() -> None:
    assert _values(_table("-1/3", "20/3"))["methylprednisolone"].value == Fraction(-1, 3)


def test_fmt_keeps_the_ratio_as_written() -> None:
    source = _table("5/4", "5/0.75")
    assert format_source(source) == source
    assert "5/0.75" in format_source(source.replace("5/0.75", "5 / 0.75"))


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
    st.booleans(),
)
def test_every_ratio_reads_back_exactly_after_formatting(top: int, bottom: int, neg: bool) -> None:
    written = f"{'-' if neg else ''}{top}/{bottom}"
    formatted = format_source(_table("1", written))
    value = _values(formatted)["dexamethasone"].value
    assert value == (-1 if neg else 1) * Fraction(top, bottom)
    assert format_source(formatted) == formatted


def test_a_zero_denominator_is_e0142(tmp_path: Path) -> None:
    path = tmp_path / "zero.trial"
    path.write_text('trial ZERO {\n  title "Zero"\n}\n\n' + _table("5/4", "5/0.0"))
    result = compile_spec(str(path))
    (problem,) = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "E0142"
    assert "5/0.0" in problem.message and "zero" in problem.message
    assert problem.span.line == 15


def _spec(tmp_path: Path, name: str, source: str) -> Spec:
    path = tmp_path / f"{name}.trial"
    path.write_text('trial RATIOS {\n  title "Ratios"\n}\n\n' + source, encoding="utf-8")
    result = compile_spec(str(path))
    assert result.spec is not None
    return result.spec


def test_diff_compares_the_exact_value(tmp_path: Path) -> None:
    old = _spec(tmp_path, "old", _table("1.25", "6.67"))
    new = _spec(tmp_path, "new", _table("5/4", "5/0.75"))
    changes = diff(old, new)
    lookups = [c for c in changes if c.rule_id == "LOOKUP_VALUE_CHANGED"]
    assert [c.target for c in lookups] == ["table prednisone_factor, dexamethasone"]
    (change,) = lookups
    assert (change.old, change.new) == ("6.67", "5/0.75")
    assert change.direction == "lowered"  # 20/3 is below 6.67
    same = _spec(tmp_path, "same", _table("5/4", "40/6"))
    assert not [c for c in diff(new, same) if c.rule_id == "LOOKUP_VALUE_CHANGED"]
