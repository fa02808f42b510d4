"""`protocol diff` end to end: the QLS4131 amendment, every output format, exit codes, git.

The realistic amendment (`amendment/qls4131_v2.trial`: upper age 70 → 75, a
new exclusion, a dose level added, the week 12 window widened, the title
corrected, with an `amendment 1` block giving rationales) is diffed against
the real spec; its summary-of-changes table is a golden file
(`golden/qls4131_amendment_1.md`, regenerate with UPDATE_GOLDEN=1 and read
it before committing).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from tests.diff.util import amend

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OLD = "specs/qls4131_sle_phase1b.trial"
NEW = "tests/diff/amendment/qls4131_v2.trial"
SUBJECTS = "tests/diff/subjects/qls4131_subjects.jsonl"
GOLDEN = HERE / "golden"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    return ROOT


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the QLS4131 amendment


def test_amendment_summary_of_changes_is_the_golden_table(at_root: Path) -> None:
    result = run(OLD, NEW, "--format", "markdown")
    assert result.exit_code == 4, result.output
    check_golden("qls4131_amendment_1.md", result.output)


def test_amendment_changes_and_classification(at_root: Path) -> None:
    result = run(OLD, NEW, "--format", "json")
    assert result.exit_code == 4
    data = json.loads(result.output)
    assert data["format_version"] == 1
    assert data["fda_phase"] == "1"
    changes = {(c["target"], c["rule_id"]): c for c in data["changes"]}
    age = changes[("I1", "CRITERION_THRESHOLD_CHANGED")]
    assert age["direction"] == "widened"
    assert "≤ 70 years → ≤ 75 years" in age["summary"]
    assert age["substantial_eu"] and age["substantial_fda"]
    assert age["old"] == "age at screening is between 18 and 70 (inclusive)"
    assert age["new"] == "age at screening is between 18 and 75 (inclusive)"
    exclusion = changes[("E11", "CRITERION_ADDED")]
    assert exclusion["substantial_eu"] and not exclusion["substantial_fda"]  # narrows: phase 1
    dose = changes[("dose level DL7", "DOSE_LEVEL_ADDED")]
    assert dose["direction"] == "raised" and dose["substantial_fda"]
    window = changes[("visit W12", "VISIT_WINDOW_CHANGED")]
    assert window["direction"] == "widened" and not window["substantial"]
    title = changes[("title", "TITLE_CHANGED")]
    assert title["category"] == "administrative" and not title["substantial"]
    assert title["rationale"].startswith("Phase written in Arabic numerals")
    assert data["summary"] == {
        "changes": len(data["changes"]),
        "substantial": sum(c["substantial"] for c in data["changes"]),
        "substantial_eu": sum(c["substantial_eu"] for c in data["changes"]),
        "substantial_fda": sum(c["substantial_fda"] for c in data["changes"]),
    }


def test_text_output(at_root: Path) -> None:
    result = run(OLD, NEW)
    assert result.exit_code == 4
    lines = result.output.splitlines()
    assert lines[-1] == "12 changes, 5 substantial"
    assert "5 Trial population" in lines
    assert any(line.startswith("  ! I1: threshold changed") for line in lines)
    assert "\x1b[" not in result.output


def test_github_annotations(at_root: Path) -> None:
    result = run(OLD, NEW, "--format", "github")
    assert result.exit_code == 4
    lines = result.output.splitlines()
    assert len(lines) == 12
    i1 = next(line for line in lines if "title=CRITERION_THRESHOLD_CHANGED" in line)
    source = (ROOT / NEW).read_text(encoding="utf-8").splitlines()
    line_number = int(i1.split("line=")[1].split(",")[0])
    assert source[line_number - 1].startswith('inclusion I1 "Aged 18 to 75')
    assert i1.startswith(f"::warning file={NEW},")
    assert sum(line.startswith("::warning ") for line in lines) == 5


def test_github_annotations_send_columns_only_on_one_line(at_root: Path) -> None:
    """The Actions toolkit refuses `col`/`endColumn` when `line` and `endLine` differ."""
    lines = run(OLD, NEW, "--format", "github").output.splitlines()
    multi_line = 0
    for line in lines:
        props = dict(p.split("=", 1) for p in line.split(" ", 1)[1].split("::")[0].split(","))
        if "line" not in props:
            continue
        if props["line"] != props["endLine"]:
            multi_line += 1
            assert "col" not in props and "endColumn" not in props, line
        else:
            assert int(props["col"]) <= int(props["endColumn"]), line
    assert multi_line > 0  # the case is exercised: criteria span several lines


def test_sarif(at_root: Path) -> None:
    result = run(OLD, NEW, "--format", "sarif")
    log = json.loads(result.output)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    assert len(run_["results"]) == 12
    rule_ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} == rule_ids
    levels = [r["level"] for r in run_["results"]]
    assert levels.count("warning") == 5


def test_docx_is_deterministic_and_holds_the_table(at_root: Path, tmp_path: Path) -> None:
    import docx

    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run(OLD, NEW, "--format", "docx", "-o", str(first)).exit_code == 4
    assert run(OLD, NEW, "--format", "docx", "-o", str(second)).exit_code == 4
    assert first.read_bytes() == second.read_bytes()
    document = docx.Document(io.BytesIO(first.read_bytes()))
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "Section",
        "Change",
        "Old wording",
        "New wording",
        "Rationale",
        "Classification",
    ]
    assert len(table.rows) == 13
    assert any(
        "threshold changed" in row.cells[1].text
        and row.cells[2].text == "Aged 18 to 70 (inclusive);"
        and row.cells[3].text == "Aged 18 to 75 (inclusive);"
        and row.cells[5].text.startswith("Yes")
        for row in table.rows
    )


def test_docx_needs_an_output_file(at_root: Path) -> None:
    result = run(OLD, NEW, "--format", "docx")
    assert result.exit_code == 2
    assert "-o FILE" in result.output


def test_markdown_to_a_file(at_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.md"
    result = run(OLD, NEW, "--format", "markdown", "-o", str(out))
    assert result.exit_code == 4
    assert out.read_text(encoding="utf-8") == run(OLD, NEW, "--format", "markdown").output


# ---------------------------------------------------------------- exit codes and rationale


def test_no_change_exits_0(at_root: Path) -> None:
    result = run(OLD, OLD)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "no changes"


def test_non_substantial_change_exits_3(at_root: Path, tmp_path: Path) -> None:
    text = amend((ROOT / OLD).read_text(encoding="utf-8"), r"(W12\b.*window) -7 \+7", r"\1 -9 +9")
    new = _beside_specs(tmp_path, text)
    result = run(OLD, str(new))
    assert result.exit_code == 3, result.output
    assert result.output.splitlines()[-1] == "1 change, 0 substantial"


def test_require_rationale_passes_when_every_substantial_change_has_one(at_root: Path) -> None:
    result = run(OLD, NEW, "--require-rationale", "--format", "json")
    assert result.exit_code == 4


def test_require_rationale_fails_without_one(at_root: Path, tmp_path: Path) -> None:
    text = (ROOT / NEW).read_text(encoding="utf-8")
    start = text.index("  change DL7")
    end = text.index("  change step_up")
    new = _beside(tmp_path, NEW, text[:start] + text[end:])
    result = run(OLD, str(new), "--require-rationale")
    assert result.exit_code == 1
    assert "1 substantial change without a rationale" in result.output
    assert "dose level DL7: 10 mg added" in result.output


@pytest.mark.parametrize("blank", ['""', '"   "'])
def test_require_rationale_is_not_satisfied_by_a_blank_one(
    at_root: Path, tmp_path: Path, blank: str
) -> None:
    text = (ROOT / NEW).read_text(encoding="utf-8")
    start = text.index("  change DL7")
    end = text.index("  change step_up")
    entry = f'  change DL7 "Dose level DL7 (10 mg) added"\n    rationale {blank}\n'
    new = _beside(tmp_path, NEW, text[:start] + entry + text[end:])
    result = run(OLD, str(new), "--require-rationale")
    assert result.exit_code == 1, result.output
    assert "1 substantial change without a rationale" in result.output
    assert "dose level DL7: 10 mg added" in result.output


def test_a_change_entry_naming_no_change_is_a_warning_and_fails_the_gate(
    at_root: Path, tmp_path: Path
) -> None:
    text = (ROOT / NEW).read_text(encoding="utf-8").replace("  change DL7 ", "  change DL77 ", 1)
    new = _beside(tmp_path, NEW, text)
    line = text[: text.index("  change DL77 ")].count("\n") + 1
    warning = (
        f"{new}:{line}:3: warning: `change DL77` names none of the changes between "
        "these versions (did you mean DL7?)"
    )
    plain = run(OLD, str(new))
    assert plain.exit_code == 4  # a warning only: the diff itself is unchanged
    assert warning in plain.output
    gated = run(OLD, str(new), "--require-rationale")
    assert gated.exit_code == 1
    assert warning in gated.output
    assert "dose level DL7: 10 mg added" in gated.output  # DL7 has no rationale now


def test_every_change_entry_of_the_real_amendment_names_a_change(at_root: Path) -> None:
    assert "names none of the changes" not in run(OLD, NEW).output


def test_spec_with_errors_exits_1_with_diagnostics(at_root: Path, tmp_path: Path) -> None:
    text = amend((ROOT / OLD).read_text(encoding="utf-8"), "= age between", "= agee between")
    new = _beside_specs(tmp_path, text)
    result = run(OLD, str(new))
    assert result.exit_code == 1
    assert "E0101" in result.output and "has errors" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_1(at_root: Path) -> None:
    result = run(OLD, "specs/no_such_spec.trial")
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_wrong_number_of_specs_is_a_usage_error(at_root: Path) -> None:
    assert run(OLD).exit_code == 2
    assert run(OLD, NEW, "--against", "HEAD").exit_code == 2


# ---------------------------------------------------------------- subjects


def test_subjects_who_change_status(at_root: Path) -> None:
    result = run(OLD, NEW, "--subjects", SUBJECTS, "--format", "json")
    assert result.exit_code == 4, result.output
    subjects = json.loads(result.output)["subjects"]
    assert subjects["screened"] == 4
    changed = {s["subject_id"]: s for s in subjects["changed"]}
    # 72 years old: too old for version 1, eligible once the upper age is 75
    assert changed["S02"]["old_status"] == "ineligible"
    assert changed["S02"]["new_status"] == "eligible"
    assert [c["id"] for c in changed["S02"]["criteria"]] == ["I1"]
    # a live vaccine 12 days before the first dose: excluded by the new E11
    assert changed["S04"]["new_status"] == "ineligible"
    assert "E11" in [c["id"] for c in changed["S04"]["criteria"]]
    # 39 years old (eligible in both) and 76 years old (too old in both) do not change
    assert set(changed) == {"S02", "S04"}


def test_subjects_in_the_text_report(at_root: Path) -> None:
    result = run(OLD, NEW, "--subjects", SUBJECTS)
    assert "S02: ineligible → eligible (I1 not met → met)" in result.output


def test_unreadable_subject_data_exits_1(at_root: Path) -> None:
    result = run(OLD, NEW, "--subjects", "tests/diff/subjects/none.jsonl")
    assert result.exit_code == 1
    assert "cannot read the subject data" in result.output


# ---------------------------------------------------------------- git


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copytree(ROOT / "specs" / "lib", tmp_path / "specs" / "lib")
    shutil.copy(ROOT / OLD, tmp_path / "specs" / "trial.trial")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "version 1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def test_against_head_finds_the_working_copy_changes(repo: Path) -> None:
    spec = repo / "specs" / "trial.trial"
    text = amend(spec.read_text(encoding="utf-8"), r"(maximum_age\s+)70 years", r"\g<1>75 years")
    spec.write_text(amend(text, "age between 18 and 70", "age between 18 and 75"), encoding="utf-8")
    result = run("specs/trial.trial", "--against", "HEAD", "--format", "json")
    assert result.exit_code == 4, result.output
    data = json.loads(result.output)
    assert data["old"] == "HEAD:specs/trial.trial"
    assert {c["rule_id"] for c in data["changes"]} == {
        "AGE_RANGE_CHANGED",
        "CRITERION_THRESHOLD_CHANGED",
    }


def test_against_reads_the_libraries_from_git_too(repo: Path) -> None:
    library = repo / "specs" / "lib" / "glucocorticoids.trial"
    text = amend(library.read_text(encoding="utf-8"), r"(dexamethasone\s+)5/0\.75", r"\g<1>5/0.6")
    library.write_text(text, encoding="utf-8")
    result = run("specs/trial.trial", "--against", "HEAD", "--format", "json")
    assert result.exit_code == 4, result.output
    (change,) = json.loads(result.output)["changes"]
    assert change["rule_id"] == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert change["target"] == "table gc.prednisone_factor, dexamethasone"
    assert change["affects"] == ["I5"]


def test_against_from_another_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "specs")
    result = run("trial.trial", "--against", "HEAD")
    assert result.exit_code == 0, result.output


def test_against_an_unknown_ref_exits_1(repo: Path) -> None:
    result = run("specs/trial.trial", "--against", "no-such-branch")
    assert result.exit_code == 1
    assert "no commit 'no-such-branch'" in result.output


def test_against_a_spec_not_in_the_ref_exits_1(repo: Path) -> None:
    shutil.copy(repo / "specs" / "trial.trial", repo / "specs" / "new.trial")
    result = run("specs/new.trial", "--against", "HEAD")
    assert result.exit_code == 1
    assert "does not exist at HEAD" in result.output


def test_against_outside_a_repository_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "plain"
    shutil.copytree(ROOT / "specs" / "lib", folder / "lib")
    shutil.copy(ROOT / OLD, folder / "trial.trial")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("trial.trial", "--against", "HEAD")
    assert result.exit_code == 1
    assert "not inside a git repository" in result.output


# ---------------------------------------------------------------- helpers


def _beside_specs(tmp_path: Path, text: str) -> Path:
    """A spec file whose `use "lib/…"` finds the real libraries."""
    shutil.copytree(ROOT / "specs" / "lib", tmp_path / "lib", dirs_exist_ok=True)
    path = tmp_path / "spec.trial"
    path.write_text(text, encoding="utf-8")
    return path


def _beside(tmp_path: Path, like: str, text: str) -> Path:
    """A copy of `like` with another text, in the same folder depth so relative uses resolve."""
    folder = tmp_path / "a" / "b" / "c"
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "specs" / "lib", tmp_path / "specs" / "lib")
    path = folder / Path(like).name
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_imports_nothing_heavy() -> None:
    """Only --subjects and --format docx may pay for the interpreter or python-docx."""
    import sys

    code = (
        "import sys\n"
        "from protocol_dsl import cli\n"
        # diff ends the process once its output is out: made to end normally here
        "cli.QUICK_EXIT = frozenset()\n"
        "try:\n"
        f"    cli.main(['diff', {OLD!r}, {NEW!r}, '--format', 'json'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 4, done.code\n"
        "heavy = ('z3', 'duckdb', 'sqlglot', 'numpy', 'pandas', 'docx', 'lxml', 'matplotlib',\n"
        "         'rich', 'pyarrow')\n"
        "loaded = [name for name in heavy if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
