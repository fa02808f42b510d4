"""`protocol witness`: output formats, one file per subject, errors, same bytes every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from protocol_dsl.cli import cli
from tests.solver.support import CASES, ROOT

SMALL = str(CASES / "clean_mixed.trial")


def test_json_is_a_list_of_subject_records() -> None:
    result = CliRunner().invoke(cli, ["witness", SMALL])
    assert result.exit_code == 0, result.output
    witnesses = json.loads(result.stdout)
    assert witnesses[0]["subject_id"] == "W-ELIGIBLE"
    assert witnesses[0]["witness"] == {"kind": "eligible", "criterion": None, "boundary": None}
    assert {"subject_id", "visits", "forms", "witness"} <= set(witnesses[1])


def test_json_lines_has_one_record_per_line() -> None:
    result = CliRunner().invoke(cli, ["witness", SMALL, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert json.loads(lines[0])["subject_id"] == "W-ELIGIBLE"
    listed = json.loads(CliRunner().invoke(cli, ["witness", SMALL]).stdout)
    assert [json.loads(line) for line in lines] == listed


def test_output_folder_has_one_file_per_subject(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["witness", SMALL, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    listed = json.loads(CliRunner().invoke(cli, ["witness", SMALL]).stdout)
    assert files == sorted(f"{w['subject_id']}.json" for w in listed)
    one = json.loads((tmp_path / "out" / "W-ELIGIBLE.json").read_text(encoding="utf-8"))
    assert one == listed[0]


def test_unavailable_witnesses_are_said_on_stderr_and_in_the_output(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["witness", str(CASES / "w0404_inclusion.trial")])
    assert result.exit_code == 0
    assert "no witness for I2" in result.stderr
    entries = json.loads(result.stdout)
    assert any(e["witness"]["kind"] == "unavailable" for e in entries)
    result = runner.invoke(
        cli, ["witness", str(CASES / "w0404_inclusion.trial"), "-o", str(tmp_path)]
    )
    assert (tmp_path / "unavailable.json").exists()


def test_a_spec_with_errors_exits_1_without_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["witness", str(CASES / "e0401_empty_range.trial")])
    assert result.exit_code == 1
    assert "E0401" in result.stderr
    assert "Traceback" not in result.output


def test_same_bytes_in_separate_processes() -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "protocol_dsl", "witness", SMALL],
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
