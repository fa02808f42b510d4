"""`check`, `fmt` and `diff` end the process once their output is out: nothing is lost.

They skip the interpreter's shutdown (freeing the model object by object), so
these tests run the real command in a fresh process and compare what it wrote,
through a pipe and into a file, and its exit code, with the same command run
in-process (which ends normally).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
AMENDED = ROOT / "tests" / "diff" / "amendment" / "qls4131_v2.trial"


def _run(args: list[str], **options) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "protocol_dsl", *args],
        cwd=ROOT,
        env=environment,
        text=True,
        **options,
    )


def _in_process(args: list[str]) -> tuple[str, int]:
    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})
    return result.output, result.exit_code


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """QLS4131 with a name that does not exist: one error, exit 1."""
    (tmp_path / "lib").mkdir()
    for library in (ROOT / "specs" / "lib").glob("*.trial"):
        (tmp_path / "lib" / library.name).write_text(library.read_text(encoding="utf-8"))
    text = QLS.read_text(encoding="utf-8").replace(
        "  = age between 18 and 70", "  = age between 18 and 70 and nosuch > 1"
    )
    target = tmp_path / QLS.name
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_check_writes_everything_through_a_pipe(broken: Path, output_format: str) -> None:
    args = ["check", "--no-color", "--format", output_format, str(broken)]
    done = _run(args, capture_output=True)
    expected, code = _in_process(args)
    assert (done.stdout, done.returncode) == (expected, code) and code == 1
    if output_format == "json":
        assert any(d["code"] == "E0101" for d in json.loads(done.stdout)["diagnostics"])


def test_check_writes_everything_into_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    with target.open("w", encoding="utf-8") as handle:
        done = _run(["check", "--no-color", str(QLS)], stdout=handle)
    expected, code = _in_process(["check", "--no-color", str(QLS)])
    assert done.returncode == code == 0
    assert target.read_text(encoding="utf-8") == expected
    assert expected.endswith("ok: 1 spec checked\n")


def test_fmt_check_reports_and_exits_as_before(broken: Path) -> None:
    broken.write_text(broken.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    done = _run(["fmt", "--check", str(broken)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    expected, code = _in_process(["fmt", "--check", str(broken)])  # stdout and stderr
    assert (done.stdout, done.returncode) == (expected, code) and code != 0


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_diff_writes_everything_through_a_pipe(output_format: str) -> None:
    args = ["diff", "--no-color", "--format", output_format, str(QLS), str(AMENDED)]
    done = _run(args, capture_output=True)
    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})
    # 4: substantial changes, the status a CI job gates on
    assert (done.stdout, done.returncode) == (result.stdout, result.exit_code)
    assert result.exit_code == 4 and "substantial" in done.stdout


def test_diff_writes_its_report_into_a_file(tmp_path: Path) -> None:
    target = tmp_path / "amendment.md"
    args = ["diff", "--format", "markdown", str(QLS), str(AMENDED)]
    done = _run([*args, "-o", str(target)], capture_output=True)
    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})
    assert done.returncode == result.exit_code == 4
    assert target.read_text(encoding="utf-8") == result.stdout
    assert f"wrote {target}" in done.stderr


def test_other_commands_end_normally() -> None:
    done = _run(["--version"], capture_output=True)
    assert done.returncode == 0 and done.stdout.startswith("protocol")
