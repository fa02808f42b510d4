"""The diff's documentation and CI files agree with the code.

* docs/diff.md holds the rule table generated from the catalogue (regenerate
  it with UPDATE_GOLDEN=1), so every rule id is documented with its
  classification;
* the workflow in docs/ci.md is docs/examples/protocol-ci.yml, and it is a
  valid workflow that runs `protocol check` and `protocol diff --against` on
  pull requests; its diff script works on a real git repository;
* .pre-commit-hooks.yaml defines the `protocol-check` and `protocol-fmt` hooks;
* the worked examples of docs/diff.md (a spec, a declaration as a new version
  writes it, and the output of `protocol diff`) print exactly what is shown.

YAML is parsed with PyYAML when it is installed; without it, a small
line-based reader checks the same structure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generators.diff import rules
from tests.diff.util import amend

ROOT = Path(__file__).resolve().parents[2]
DIFF_DOC = ROOT / "docs" / "diff.md"
CI_DOC = ROOT / "docs" / "ci.md"
WORKFLOW = ROOT / "docs" / "examples" / "protocol-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def test_rule_table_is_generated_from_the_catalogue() -> None:
    text = DIFF_DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    generated = "\n" + rules.catalogue_markdown() + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        DIFF_DOC.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        return
    assert text[start:end] == generated, "docs/diff.md is stale: run with UPDATE_GOLDEN=1"


def test_every_rule_id_is_in_the_docs() -> None:
    text = DIFF_DOC.read_text(encoding="utf-8")
    missing = [rule_id for rule_id in rules.RULES if f"`{rule_id}`" not in text]
    assert not missing


# ---------------------------------------------------------------- YAML


def _load_yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _top_level_keys(text: str) -> list[str]:
    """The keys at column 0 (the structure check used without PyYAML)."""
    keys = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#") and ":" in line:
            keys.append(line.split(":", 1)[0].strip())
    return keys


def test_workflow_in_the_docs_is_the_example_file() -> None:
    doc = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert WORKFLOW.read_text(encoding="utf-8") in blocks


def test_workflow_structure() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    data = _load_yaml(WORKFLOW)
    if data is None:
        assert _top_level_keys(text) == ["name", "on", "permissions", "jobs"]
        assert "    runs-on: ubuntu-latest" in text.splitlines()
    else:
        triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
        assert "pull_request" in triggers
        steps = data["jobs"]["protocol"]["steps"]
        assert steps[0]["uses"].startswith("actions/checkout@")
        assert steps[0]["with"]["fetch-depth"] == 0
        runs = "\n".join(step.get("run", "") for step in steps)
        assert "protocol check --require-solver --format github" in runs
        assert 'pip install "protocol-dsl[solver]"' in runs
        assert '--against "origin/${BASE_REF}" --format github' in runs
        assert "$GITHUB_STEP_SUMMARY" in runs
        assert data["jobs"]["protocol"]["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_pre_commit_hooks() -> None:
    text = HOOKS.read_text(encoding="utf-8")
    data = _load_yaml(HOOKS)
    if data is None:
        ids = [
            line.removeprefix("- id: ") for line in text.splitlines() if line.startswith("- id: ")
        ]
        assert ids == ["protocol-check", "protocol-fmt"]
        assert text.count("  language: python\n") == 2
        assert text.count("  files: \\.trial$\n") == 2
        return
    hooks = {hook["id"]: hook for hook in data}
    assert set(hooks) == {"protocol-check", "protocol-fmt"}
    assert hooks["protocol-check"]["entry"] == "protocol check --require-solver"
    assert hooks["protocol-check"]["additional_dependencies"] == ["protocol-dsl[solver]"]
    assert hooks["protocol-fmt"]["entry"] == "protocol fmt --check"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"\.trial$"
        assert re.search(hook["files"], "specs/qls4131_sle_phase1b.trial")
        assert not re.search(hook["files"], "specs/notes.md")


# ---------------------------------------------------------------- the workflow's script, run


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
    )


def _diff_script() -> str:
    data = _load_yaml(WORKFLOW)
    if data is None:
        pytest.skip("PyYAML is not installed: the script is not extracted")
    (step,) = [s for s in data["jobs"]["protocol"]["steps"] if "protocol diff" in s.get("run", "")]
    return step["run"]


@pytest.mark.parametrize("with_rationale", [True, False])
def test_workflow_diff_script_on_a_pull_request(tmp_path: Path, with_rationale: bool) -> None:
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed")
    script = _diff_script()
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "specs" / "lib", repo / "specs" / "lib")
    spec = repo / "specs" / "qls4131.trial"
    shutil.copy(ROOT / "specs" / "qls4131_sle_phase1b.trial", spec)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "version 1")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    amended = amend(
        spec.read_text(encoding="utf-8"), r"^(\s*)DL6 3 mg\n", "\\g<0>\\g<1>DL7 10 mg\n"
    )
    # one more true DLT rate per scenario, for the new level
    amended = amend(amended, r"^(\s*scenario .*= [0-9., ]*[0-9])$", r"\1, 0.9", count=0)
    if with_rationale:
        amended += (
            '\namendment 1 {\n  change DL7 "Dose level DL7 added" rationale "DL6 was cleared"\n}\n'
        )
    spec.write_text(amended, encoding="utf-8")
    summary = tmp_path / "step_summary.md"
    (tmp_path / "runner").mkdir()
    env = {
        **os.environ,
        "BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "title=DOSE_LEVEL_ADDED" in done.stdout
    assert "| 6 Trial intervention and concomitant therapy | dose level DL7" in summary.read_text(
        encoding="utf-8"
    )
    if with_rationale:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 1
        assert "without a rationale" in done.stderr


# ---------------------------------------------------------------- the worked examples, run

#: A spec of the docs (`trial fragment diff=old`), a changed declaration of it
#: (`trial fragment diff=new`) and the output of `protocol diff old.trial new.trial` below it.
_SPEC = re.compile(r"^```trial fragment diff=old\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EDIT = re.compile(
    r"^```trial fragment diff=new\n(.*?)^```\n\n```\n(.*?)^```",
    re.MULTILINE | re.DOTALL,
)


def _declaration_key(decl: object) -> tuple[str, str | None]:
    return type(decl).__name__, getattr(decl, "name", None) or getattr(decl, "id", None)


def splice(spec: str, edit: str) -> str:
    """`spec` with each declaration of `edit` in place of the one of the same kind and name."""
    from protocol_dsl.syntax.parser import parse_module

    old_module, _ = parse_module(spec, "old.trial")
    new_module, _ = parse_module(edit, "edit.trial")
    assert old_module is not None and new_module is not None
    spans = {_declaration_key(d): d.span for d in old_module.declarations}
    for decl in sorted(new_module.declarations, key=lambda d: -d.span.start):
        span = spans[_declaration_key(decl)]
        spec = spec[: span.start] + edit[decl.span.start : decl.span.end] + spec[span.end :]
    return spec


def diff_examples() -> list[tuple[str, str, str]]:
    """(old spec, new spec, output shown) for every worked example of docs/diff.md."""
    text = DIFF_DOC.read_text(encoding="utf-8")
    found: list[tuple[str, str, str]] = []
    for section in text.split("\n## "):
        specs = _SPEC.findall(section)
        if not specs:
            continue
        (spec,) = specs
        for edit, output in _EDIT.findall(section):
            found.append((spec, splice(spec, edit), output))
    return found


def test_docs_have_worked_diff_examples() -> None:
    assert len(diff_examples()) >= 5


@pytest.mark.parametrize("number", range(len(diff_examples())))
def test_worked_diff_example_output(
    number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example's output is what `protocol diff` prints for it, byte for byte."""
    from click.testing import CliRunner

    from protocol_dsl.cli import cli

    old, new, shown = diff_examples()[number]
    (tmp_path / "old.trial").write_text(old, encoding="utf-8")
    (tmp_path / "new.trial").write_text(new, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(cli, ["diff", "old.trial", "new.trial"], catch_exceptions=False)
    assert result.exit_code in (3, 4), result.output
    assert result.output == shown
