"""Every example in docs/ is parsed and checked; every diagnostic code is documented.

A plain example must check without errors.  In docs/diagnostics/CODE.md the
"Bad" example must report CODE and the "Good" example must not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.codes import CODES
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.parser import parse_module
from tests.docs_examples import DOCS, all_docs, examples, materialise

DIAGNOSTICS = DOCS / "diagnostics"

_PLAIN = [e for doc in all_docs() if doc.parent != DIAGNOSTICS for e in examples(doc)]


@pytest.mark.parametrize("example", _PLAIN, ids=lambda e: e.id)
def test_doc_example_checks_clean(example, tmp_path: Path) -> None:
    if example.fragment:
        module, diagnostics = parse_module(example.text, example.id)
        assert module is not None, f"{example.id}: {[d.message for d in diagnostics]}"
        return
    path = materialise(example, tmp_path)
    result = compile_spec(str(path))
    errors = [
        f"{d.code} {d.message} (line {d.span.line})" for d in result.diagnostics if d.is_error
    ]
    assert not errors, f"{example.id}: {errors}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_documented(code: str) -> None:
    page = DIAGNOSTICS / f"{code}.md"
    assert page.exists(), f"{code} has no page docs/diagnostics/{code}.md"
    sections = {e.section for e in examples(page)}
    assert {"Bad", "Good"} <= sections, f"{page} needs a Bad and a Good example"


def _code_examples(code: str, section: str):
    page = DIAGNOSTICS / f"{code}.md"
    if not page.exists():
        pytest.skip(f"no page for {code}")
    for example in examples(page):
        if example.section == section:
            return example
    pytest.fail(f"{page} has no '## {section}' example")


#: The data file a diagnostics page writes (```csv file=cohorts.csv) for the
#: codes `protocol escalate` reports on it; the example is then run through
#: `protocol escalate SPEC --data cohorts.csv` as well as checked.
COHORTS_FILE = "cohorts.csv"
#: Codes that depend on the installation rather than on the spec; their
#: Bad example is checked with the condition simulated (see below).
ENVIRONMENT_CODES = {"N0903"}
#: Codes reported when an effort limit is reached; their Bad example is checked
#: with the limit lowered, since a spec that reaches the real one fills pages.
LIMIT_CODES = {"N0904"}
#: Codes of a bug in a check, never of a spec: their Bad example is checked with
#: one check made to fail.
INTERNAL_CODES = {"E0999"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_bad_example_triggers_its_code(code: str, tmp_path: Path, monkeypatch) -> None:
    example = _code_examples(code, "Bad")
    path = materialise(example, tmp_path)
    if code in ENVIRONMENT_CODES:
        _without_solver(monkeypatch)
    if code in LIMIT_CODES:
        from protocol_dsl.solver import logic

        monkeypatch.setattr(logic, "WORK_LIMIT", 3)
    if code in INTERNAL_CODES:
        _failing_check(monkeypatch)
    result = compile_spec(str(path))
    codes = {d.code for d in result.diagnostics} | _cohorts_codes(path) | _minimise_codes(path)
    codes |= _import_codes(path)
    codes |= _previous_version_codes(path)
    assert code in codes, f"{example.id}: expected {code}, got {sorted(codes)}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_good_example_does_not_trigger_its_code(code: str, tmp_path: Path) -> None:
    example = _code_examples(code, "Good")
    path = materialise(example, tmp_path)
    result = compile_spec(str(path))
    codes = {d.code for d in result.diagnostics} | _cohorts_codes(path) | _minimise_codes(path)
    codes |= _import_codes(path)
    codes |= _previous_version_codes(path)
    assert code not in codes, f"{example.id}: {code} reported on the good example"
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, f"{example.id}: the good example has errors: {errors}"


def _cohorts_codes(spec: Path) -> set[str]:
    """The codes `protocol escalate` reports on the example's cohorts file, if it has one."""
    cohorts = spec.parent / COHORTS_FILE
    if not cohorts.exists():
        return set()
    result = CliRunner().invoke(
        cli, ["escalate", str(spec), "--data", str(cohorts), "--format", "json"]
    )
    if result.exit_code == 0:
        return set()
    report = json.loads(result.stdout)
    return {d["code"] for d in report["diagnostics"]}


#: The previous version a diagnostics page writes (```trial file=previous.trial) for the codes
#: `protocol diff` reports comparing the two versions.
PREVIOUS_FILE = "previous.trial"


def _previous_version_codes(spec: Path) -> set[str]:
    """The codes `protocol diff previous.trial SPEC` reports, if the example has one."""
    previous = spec.parent / PREVIOUS_FILE
    if not previous.exists():
        return set()
    result = CliRunner().invoke(cli, ["diff", str(previous), str(spec)])
    if result.exit_code in (0, 3, 4):
        return set()
    return set(re.findall(r"\b[EWN]\d{4}\b", result.output + (result.stderr or "")))


#: The subjects file a diagnostics page writes (```jsonl file=subjects.jsonl) for the codes
#: `protocol randomise --minimise` reports on it.
SUBJECTS_FILE = "subjects.jsonl"


def _minimise_codes(spec: Path) -> set[str]:
    """The codes `protocol randomise --minimise` reports on the example's subjects file."""
    subjects = spec.parent / SUBJECTS_FILE
    if not subjects.exists():
        return set()
    out = spec.parent / "allocation.csv"
    args = ["randomise", str(spec), "--seed", "1", "--out", str(out), "--minimise", str(subjects)]
    result = CliRunner().invoke(cli, args)
    if result.exit_code == 0:
        return set()
    return set(re.findall(r"\b[EWN]\d{4}\b", result.output + (result.stderr or "")))


#: The USDM study a diagnostics page writes (```json file=study.json) for the codes
#: `protocol import usdm study.json -o draft.trial` reports (a page that also writes
#: ```trial file=draft.trial shows the draft that would be replaced).
STUDY_FILE = "study.json"


def _import_codes(spec: Path) -> set[str]:
    """The codes `protocol import usdm` reports on the example's USDM study, if it has one."""
    study = spec.parent / STUDY_FILE
    if not study.exists():
        return set()
    result = CliRunner().invoke(
        cli, ["import", "usdm", str(study), "-o", str(spec.parent / "draft.trial")]
    )
    if result.exit_code == 0:
        return set()
    return set(re.findall(r"\b[EWN]\d{4}\b", result.output + (result.stderr or "")))


def _without_solver(monkeypatch) -> None:
    """Make the logic check behave as on an installation without z3."""
    from protocol_dsl.checks import logic

    def missing_z3(spec):
        raise ModuleNotFoundError("No module named 'z3'", name="z3")

    monkeypatch.setattr(logic, "check", missing_z3)


def _failing_check(monkeypatch) -> None:
    """Make one check fail as a bug in it would."""
    from protocol_dsl.checks import completeness

    def broken(spec):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(completeness, "check", broken)
