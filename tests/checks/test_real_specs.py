"""The real specs check clean but for their notes, and `--strict` fails on exactly those notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
SPECS = sorted((ROOT / "specs").glob("*.trial")) + sorted((ROOT / "specs" / "lib").glob("*.trial"))


def _marks(path: Path, kind: str) -> int:
    """How many `provisional` / `question` marks the file has (outside comments and texts)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', path.read_text(encoding="utf-8"))
    text = re.sub(r"#[^\n]*", "", text)
    return len(re.findall(rf"\b{kind}\b", text))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_real_spec_has_no_errors(path: Path) -> None:
    result = compile_spec(str(path))
    errors = [f"{d.code} line {d.span.line}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors


def test_qls4131_reports_only_its_provisional_values_and_questions() -> None:
    result = compile_spec(str(QLS))
    codes = [d.code for d in result.diagnostics]
    assert set(codes) == {"N0901", "N0902"}
    assert codes.count("N0901") == _marks(QLS, "provisional")
    assert codes.count("N0902") == _marks(QLS, "question")
    assert all(d.severity == "note" for d in result.diagnostics)


def test_strict_turns_exactly_those_notes_into_errors() -> None:
    relaxed = compile_spec(str(QLS))
    strict = compile_spec(str(QLS), strict=True)
    assert all(d.is_error for d in strict.diagnostics)
    key = [(d.code, d.span.line, d.span.column, d.message) for d in relaxed.diagnostics]
    assert [(d.code, d.span.line, d.span.column, d.message) for d in strict.diagnostics] == key


def test_strict_command_fails_on_the_real_spec_and_passes_without_notes() -> None:
    runner = CliRunner()
    strict = runner.invoke(cli, ["check", "--strict", "--format", "json", str(QLS)])
    assert strict.exit_code == 1
    relaxed = runner.invoke(cli, ["check", str(QLS)])
    assert relaxed.exit_code == 0
    assert "ok: 1 spec checked" in relaxed.output
