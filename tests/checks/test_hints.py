"""Did-you-mean hints for names mistyped in a real spec: a visit code in other capitals
or with two letters swapped (E0106), an item written without its form (E0101)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import did_you_mean

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
RULE = "  = sle.sledai_2k at SCR >= 8"


@pytest.mark.parametrize(
    ("typed", "code", "hint"),
    [
        ("  = sle.sledai_2k at SRC >= 8", "E0106", "SCR"),
        ("  = sle.sledai_2k at Scr >= 8", "E0106", "SCR"),
        ("  = sledai_2k at SCR >= 8", "E0101", "sle.sledai_2k"),
        ("  = sle.sledai2k at SCR >= 8", "E0101", "sle.sledai_2k"),
    ],
)
def test_mistyped_name_gets_its_hint(tmp_path: Path, typed: str, code: str, hint: str) -> None:
    (tmp_path / "lib").symlink_to(ROOT / "specs" / "lib")
    path = tmp_path / QLS.name
    path.write_text(QLS.read_text(encoding="utf-8").replace(RULE, typed, 1), encoding="utf-8")
    found = [d for d in compile_spec(str(path)).diagnostics if d.code == code]
    assert [d.suggestion for d in found] == [hint]


def test_a_short_name_gets_a_hint_only_when_one_visit_fits() -> None:
    # W21 is W12 with its digits swapped, or W20 with one digit changed: no hint
    assert did_you_mean("W21", ["W12", "W20", "W24"]) is None
    assert did_you_mean("SRC", ["SCR", "D1"]) == "SCR"
    assert did_you_mean("SRC", ["SCR", "RSC"]) is None  # one swap from either: no hint
    assert did_you_mean("scr", ["SCR", "Scr2"]) == "SCR"


@given(
    st.lists(st.text(alphabet="ABCDEFGHSWXYZ0123456789_", min_size=1, max_size=6), max_size=8),
    st.text(alphabet="ABCDEFGHSWXYZabc0123456789_", min_size=1, max_size=6),
)
def test_a_hint_is_always_one_of_the_names(candidates: list[str], name: str) -> None:
    hint = did_you_mean(name, candidates)
    assert hint is None or hint in candidates


@given(st.text(alphabet="ABCDEFGHSWXYZ", min_size=3, max_size=6), st.data())
def test_two_swapped_letters_find_the_only_name(name: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(name) - 2))
    swapped = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if swapped != name:
        assert did_you_mean(swapped, [name]) == name
