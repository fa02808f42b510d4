"""`protocol diff` flags an amendment that edits a criterion's numbers on one side only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"


def _amended(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    text = QLS.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = tmp_path / "specs"
    (folder / "lib").mkdir(parents=True)
    for lib in (ROOT / "specs" / "lib").glob("*.trial"):
        (folder / "lib" / lib.name).write_text(lib.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / QLS.name
    path.write_text(text, encoding="utf-8")
    return path


def _summaries(tmp_path: Path, edits: list[tuple[str, str]]) -> dict[str, str]:
    new = _amended(tmp_path, edits)
    result = CliRunner().invoke(cli, ["diff", str(QLS), str(new), "--format", "json"])
    report = json.loads(result.stdout)
    return {c["target"]: c["summary"] for c in report["changes"]}


@pytest.mark.parametrize(
    ("edits", "target", "expected"),
    [
        (
            [("age between 18 and 70", "age between 18 and 75")],
            "I1",
            "only the rule changed: the text states 70",
        ),
        (
            [('"Aged 18 to 70 (inclusive);"', '"Aged 18 to 65 (inclusive);"')],
            "I1",
            "only the text changed: the text states 65",
        ),
        (
            [("within 5 years prior to screening;", "within 10 years prior to screening;")],
            "E6",
            "only the text changed: the text states 10 years",
        ),
    ],
)
def test_one_sided_edit_is_flagged(
    tmp_path: Path, edits: list[tuple[str, str]], target: str, expected: str
) -> None:
    summary = _summaries(tmp_path, edits)[target]
    assert expected in summary and summary.endswith("(W0413)")


def test_edit_of_both_sides_is_not_flagged(tmp_path: Path) -> None:
    summaries = _summaries(
        tmp_path,
        [
            ('"Aged 18 to 70 (inclusive);"', '"Aged 18 to 75 (inclusive);"'),
            ("age between 18 and 70", "age between 18 and 75"),
        ],
    )
    assert "W0413" not in summaries["I1"]
