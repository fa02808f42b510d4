"""Every E04xx/W04xx rule: a small spec that triggers it, one that does not.

Each spec in cases/ carries its expected diagnostics next to the offending
line (`# expect: E0401`); a spec without expectations must be clean of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.solver.support import (
    CASES,
    LOGIC_CODES,
    SPECS,
    compile_path,
    expectations,
    logic_findings,
)

CASE_FILES = sorted(CASES.glob("*.trial"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_reports_exactly_its_expectations(path: Path) -> None:
    result = compile_path(path)
    assert result.spec is not None
    assert logic_findings(result) == expectations(path)


def test_every_code_has_a_triggering_case_and_a_clean_one() -> None:
    triggered = {code for path in CASE_FILES for _line, code in expectations(path)}
    assert triggered == set(LOGIC_CODES)
    assert any(not expectations(path) for path in CASE_FILES)


def test_contradiction_names_a_minimal_set_with_spans_on_each() -> None:
    result = compile_path(CASES / "e0401_inclusion_exclusion.trial")
    (finding,) = [d for d in result.diagnostics if d.code == "E0401"]
    assert finding.severity == "error"
    assert "I1 and E1" in finding.message
    # the primary span is I1's rule, the label E1's rule
    assert [label.span.line for label in finding.labels] == [finding.span.line + 1]


def test_range_finding_points_at_the_threshold_and_the_range() -> None:
    path = CASES / "e0405_threshold.trial"
    result = compile_path(path)
    (finding,) = [d for d in result.diagnostics if d.code == "E0405"]
    source = path.read_text(encoding="utf-8")
    spans = {source[lb.span.start : lb.span.end] for lb in finding.labels}
    assert spans == {"range 0 .. 10", "90 g/L"}


def test_unit_conversion_is_exact_before_comparing_with_the_range() -> None:
    # 90 mg/dL is 0.9 g/L, inside the range 0 .. 10 g/L: no finding for I1
    result = compile_path(CASES / "e0405_threshold.trial")
    lines = {line for line, code in logic_findings(result) if code == "E0405"}
    assert len(lines) == 1


def test_a_spec_without_formal_criteria_does_not_load_the_solver() -> None:
    # protocol check must start fast: z3 is imported only for specs with rules to solve
    program = (
        "import sys\n"
        "from protocol_dsl.compiler import compile_spec\n"
        "compile_spec(sys.argv[1])\n"
        "print('z3' in sys.modules)\n"
    )
    library = subprocess.run(
        [sys.executable, "-c", program, str(SPECS / "lib" / "sle.trial")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert library.stdout.strip() == "False"
    trial = subprocess.run(
        [sys.executable, "-c", program, str(CASES / "w0404_inclusion.trial")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert trial.stdout.strip() == "True"
