"""Planted errors in copies of the real QLS4131 spec: found with the right code and span."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.solver.support import QLS4131, compile_path, line_of, planted

AGE = "  = age between 18 and 70"
E10 = 'exclusion E10 "Pregnant or lactating women."'


def _findings(path: Path, code: str):
    result = compile_path(path)
    assert result.spec is not None
    return [d for d in result.diagnostics if d.code == code]


def test_the_real_spec_has_no_logic_findings() -> None:
    result = compile_path(QLS4131)
    codes = {d.code for d in result.diagnostics}
    assert not codes & {"E0401", "W0402", "W0403", "W0404", "E0405", "W0406"}


def test_impossible_age_range(tmp_path: Path) -> None:
    path = planted(tmp_path, QLS4131, [(AGE, "  = age between 71 and 70")])
    (finding,) = _findings(path, "E0401")
    assert finding.severity == "error"
    assert "I1 can never be met" in finding.message
    assert finding.span.line == line_of(path, "= age between 71 and 70")
    source = path.read_text(encoding="utf-8")
    assert source[finding.span.start : finding.span.end] == "age between 71 and 70"


def test_age_range_covered_by_an_exclusion(tmp_path: Path) -> None:
    exclusion = 'exclusion E11 "Aged 80 or younger" = age <= 80\n\n'
    path = planted(tmp_path, QLS4131, [(E10, exclusion + E10)])
    (finding,) = _findings(path, "E0401")
    assert "I1 and E11" in finding.message
    assert finding.span.line == line_of(path, AGE)
    assert [label.span.line for label in finding.labels] == [line_of(path, "= age <= 80")]


def test_exclusion_contradicting_an_inclusion(tmp_path: Path) -> None:
    # I3 asks for a positive autoantibody; this exclusion rules every such subject out
    exclusion = (
        'exclusion E11 "Positive autoantibodies" = serology.ana_titer at SCR >= 1:40\n'
        "  or serology.anti_dsdna at SCR = positive or serology.anti_sm at SCR = positive\n\n"
    )
    path = planted(tmp_path, QLS4131, [(E10, exclusion + E10)])
    (finding,) = _findings(path, "E0401")
    assert "I3 and E11" in finding.message
    assert finding.span.line == line_of(path, "= serology.ana_titer at SCR >= 1:80")
    assert [label.span.line for label in finding.labels] == [line_of(path, ">= 1:40")]


def test_threshold_outside_the_items_range(tmp_path: Path) -> None:
    # the unit slip: 3000 (mg) written for 3 g/d, on an item whose range is 0 .. 30 g/d
    path = planted(
        tmp_path,
        QLS4131,
        [("screening_labs.proteinuria > 3 g/d", "screening_labs.proteinuria > 3000 g/d")],
    )
    (finding,) = _findings(path, "E0405")
    assert finding.severity == "error"
    source = path.read_text(encoding="utf-8")
    assert source[finding.span.start : finding.span.end] == "screening_labs.proteinuria > 3000 g/d"
    assert {source[lb.span.start : lb.span.end] for lb in finding.labels} == {
        "range 0 .. 30",
        "3000 g/d",
    }


def test_threshold_every_allowed_value_passes(tmp_path: Path) -> None:
    path = planted(
        tmp_path,
        QLS4131,
        [("  = serology.c3 < serology.c3_lln or", "  = serology.c3 < 90 g/L or")],
    )
    (finding,) = _findings(path, "W0406")
    source = path.read_text(encoding="utf-8")
    assert source[finding.span.start : finding.span.end] == "serology.c3 < 90 g/L"


@pytest.mark.parametrize(
    ("edit", "code", "marker"),
    [
        (('exclusion E11 "Old" = age >= 90\n\n', E10), "W0403", "= age >= 90"),
        (('inclusion I7 "Adult" = age >= 16\n\n', E10), "W0404", "= age >= 16"),
        (
            ('exclusion E11 "High" = vital_signs.systolic_bp at SCR >= 170 mm[Hg]\n\n', E10),
            "W0404",
            ">= 170 mm[Hg]",
        ),
    ],
    ids=["exclusion-excludes-nobody", "redundant-inclusion", "redundant-exclusion"],
)
def test_planted_warnings(tmp_path: Path, edit: tuple[str, str], code: str, marker: str) -> None:
    addition, anchor = edit
    path = planted(tmp_path, QLS4131, [(anchor, addition + anchor)])
    (finding,) = _findings(path, code)
    assert finding.severity == "warning"
    assert finding.span.line == line_of(path, marker)
