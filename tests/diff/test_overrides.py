"""A reviewer's classification override: applied, shown beside the computed verdict, kept.

The QLS4131 amendment with the reviewer deciding that E11 (a new exclusion,
substantial under EU CTR by the rules) is not substantial in the EU: every
output shows the computed and the overridden verdict with the reason, the
count of substantial changes follows the reviewer, and an override that
names none of the changes stops the diff (E0133, exit 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.formatter import format_source

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "specs" / "qls4131_sle_phase1b.trial"
NEW = ROOT / "tests" / "diff" / "amendment" / "qls4131_v2.trial"
REASON = "Live vaccines were already prohibited by the concomitant-medication section"


def _amended(tmp_path: Path, entry: str) -> Path:
    """The amendment with one more entry in its block (libraries read from specs/lib)."""
    text = NEW.read_text(encoding="utf-8").replace('"../../../specs/lib/', f'"{ROOT}/specs/lib/')
    anchor = '  change title "Title corrected"'
    assert text.count(anchor) == 1
    path = tmp_path / "qls4131_v2.trial"
    path.write_text(text.replace(anchor, entry + "\n" + anchor), encoding="utf-8")
    return path


@pytest.fixture
def overridden(tmp_path: Path) -> Path:
    return _amended(
        tmp_path, f'  change E11 "E11 not substantial" override eu not_substantial "{REASON}"'
    )


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_the_override_is_applied_and_shown(overridden: Path) -> None:
    text = run(str(OLD), str(overridden))
    assert text.exit_code == 4
    assert f"overridden: EU: substantial → not substantial (reviewer: {REASON})" in text.output
    assert "12 changes, 4 substantial" in text.output
    data = json.loads(run(str(OLD), str(overridden), "--format", "json").output)
    (e11,) = [c for c in data["changes"] if c["target"] == "E11"]
    assert e11["substantial_eu"] is False
    assert e11["overrides"] == [
        {
            "regulation": "eu",
            "computed": True,
            "overridden": False,
            "computed_reason": e11["overrides"][0]["computed_reason"],
            "reason": REASON,
            "amendment": "1",
            "change_entry": "E11",
        }
    ]
    assert e11["overrides"][0]["computed_reason"].startswith("eligibility narrowed")
    cited = [f for f in data["conclusion"]["findings"] if f["rule"] == "DOC_CRF_BUILD"]
    assert "E11 (CRITERION_ADDED, overridden)" in cited[0]["changes"]
    markdown = run(str(OLD), str(overridden), "--format", "markdown").output
    assert f"overridden: EU: substantial → not substantial (reviewer: {REASON})" in markdown
    sarif = json.loads(run(str(OLD), str(overridden), "--format", "sarif").output)
    results = sarif["runs"][0]["results"]
    assert any(r["properties"]["overrides"] for r in results)


def test_an_override_naming_no_change_stops_the_diff(tmp_path: Path) -> None:
    path = _amended(
        tmp_path, '  change DL9 "No such level" override not_substantial "Draft left over"'
    )
    result = run(str(OLD), str(path))
    assert result.exit_code == 1
    assert "error[E0133]" in result.output
    assert f"{path.name}:" in result.output


def test_the_override_survives_formatting(overridden: Path) -> None:
    formatted = format_source(overridden.read_text(encoding="utf-8"), str(overridden))
    assert f'override eu not_substantial "{REASON}"' in formatted
    again = overridden.with_name("formatted.trial")
    again.write_text(formatted, encoding="utf-8")
    before, after = compile_spec(str(overridden)).spec, compile_spec(str(again)).spec
    assert before is not None and after is not None
    assert before.amendments == after.amendments
    (entry,) = [c for a in after.amendments for c in a.changes if c.overrides]
    assert (entry.target, entry.overrides[0].regulation, entry.overrides[0].reason) == (
        "E11",
        "eu",
        REASON,
    )
