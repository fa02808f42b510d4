"""What the tests of the real trial specs share: check, build, witness, screen.

Each real spec is the acceptance test of the language on a public protocol:
it must check without errors or warnings, build every artefact, and give
witness subjects that each screening engine classifies as the witness claims.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import CompileResult, compile_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"


def compiled(name: str) -> CompileResult:
    return compile_spec(str(SPECS / name))


def errors_and_warnings(result: CompileResult) -> list[str]:
    """Everything `protocol check` reports that is not a note."""
    return [
        f"{d.code} line {d.span.line}: {d.message}"
        for d in result.diagnostics
        if d.severity != "note"
    ]


def build(name: str, out: Path) -> dict[str, str]:
    """Build every artefact of the spec into `out`; what the build listed for each artefact."""
    result = CliRunner().invoke(cli, ["build", str(SPECS / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("built ")
    listed = {}
    for line in result.output.splitlines()[:-1]:
        artefact, _, files = line.partition(" ")
        listed[artefact] = files.strip()
    return listed


def witness_file(name: str, out: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The witnesses of the spec as one JSON list in `out`, and its subjects (not the
    `unavailable` entries)."""
    result = CliRunner().invoke(cli, ["witness", str(SPECS / name)])
    assert result.exit_code == 0, result.output
    path = out / "witnesses.json"
    path.write_text(result.stdout, encoding="utf-8")
    entries = json.loads(result.stdout)
    return path, [entry for entry in entries if entry["witness"]["kind"] != "unavailable"]


def screened(name: str, data: Path, engine: str) -> dict[str, dict[str, Any]]:
    """Each subject's screening result by subject id, with the given engine."""
    result = CliRunner().invoke(
        cli, ["screen", str(SPECS / name), str(data), "--format", "json", "--engine", engine]
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return {subject["subject_id"]: subject for subject in report["subjects"]}


def claim(subject: dict[str, Any]) -> tuple[str, list[str]]:
    """(the status a witness claims, the criteria it claims to fail)."""
    witness = subject["witness"]
    if witness["kind"] == "eligible":
        return "eligible", []
    assert witness["kind"] == "fails", witness
    return "ineligible", [witness["criterion"]]


def failed(spec_name: str, result: dict[str, Any]) -> list[str]:
    """The criteria a screening result fails: inclusions not met, exclusions met.

    The interpreter reports each criterion as a record with its status, the SQL
    engine as the status alone."""
    spec = compiled(spec_name).spec
    assert spec is not None
    kinds = {criterion.id: str(criterion.kind) for criterion in spec.criteria}
    failing = []
    for name, outcome in result["criteria"].items():
        status = outcome if isinstance(outcome, str) else outcome["status"]
        if (kinds[name].endswith("inclusion") and status == "not_met") or (
            kinds[name].endswith("exclusion") and status == "met"
        ):
            failing.append(name)
    return sorted(failing)


def check_witnesses(spec_name: str, out: Path, engine: str) -> int:
    """Screen every witness with `engine`; each must get the status and the one
    failed criterion it claims.  Returns how many were screened."""
    path, subjects = witness_file(spec_name, out)
    results = screened(spec_name, path, engine)
    assert sorted(results) == sorted(subject["subject_id"] for subject in subjects)
    for subject in subjects:
        status, failing = claim(subject)
        result = results[subject["subject_id"]]
        assert (result["status"], failed(spec_name, result)) == (status, failing), subject[
            "subject_id"
        ]
    return len(subjects)
