"""The pre-commit gate, run for real: a contradictory spec cannot be committed.

pre-commit is run on a throw-away git repository with the `protocol-check` hook
of `.pre-commit-hooks.yaml` (its entry, file pattern and name) declared as a
`repo: local` hook with `language: system`: the hook then runs the
`protocol` command of the environment the tests run in, which has the solver
installed.  The hook as published is `language: python`, for which pre-commit
builds its own virtual environment (`pip install . protocol-dsl[solver]`): that
needs a package index, which a test may not use, so the published hook's
install (its `additional_dependencies` and an entry that refuses to run
without the solver) is checked on the file itself, and its entry here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
yaml = pytest.importorskip("yaml", reason="PyYAML reads the hook definitions")

CONTRADICTORY = """\
trial GATE {
  title "A protocol whose criteria contradict each other"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age integer "Age (years)" range 0 .. 120 required
}

inclusion I1 "Aged 18 to 70" = demographics.age between 18 and 70
exclusion E1 "Aged 80 or younger" = demographics.age <= 80
"""

CLEAN = CONTRADICTORY.replace(
    'exclusion E1 "Aged 80 or younger" = demographics.age <= 80',
    'exclusion E1 "Aged over 65" = demographics.age > 65',
)


def _hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_published_hook_installs_and_requires_the_solver() -> None:
    hook = _hooks()["protocol-check"]
    assert hook["language"] == "python"
    # pre-commit runs `pip install . protocol-dsl[solver]`: the project with its solver extra
    assert hook["additional_dependencies"] == ["protocol-dsl[solver]"]
    assert "--require-solver" in str(hook["entry"]).split()


def _environment(tmp_path: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Protocol writer",
        "GIT_AUTHOR_EMAIL": "writer@example.org",
        "GIT_COMMITTER_NAME": "Protocol writer",
        "GIT_COMMITTER_EMAIL": "writer@example.org",
        "NO_COLOR": "1",
    }


def _run(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    pytest.importorskip("z3", reason="the gate runs the solver: install protocol-dsl[solver]")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (Path(sys.executable).parent / "protocol").exists():
        pytest.skip("the `protocol` command is not installed beside this Python")
    hook = _hooks()["protocol-check"]
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        "id": hook["id"],
                        "name": hook["name"],
                        "entry": hook["entry"],
                        "language": "system",
                        "files": hook["files"],
                    }
                ],
            }
        ]
    }
    repo = tmp_path / "protocols"
    repo.mkdir()
    env = _environment(tmp_path)
    assert _run(repo, env, "git", "init", "-q", "-b", "main").returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = _run(repo, env, sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr
    assert _run(repo, env, "git", "add", ".pre-commit-config.yaml").returncode == 0
    return repo, env


def _commit(repo: Path, env: dict[str, str], text: str) -> subprocess.CompletedProcess[str]:
    (repo / "specs").mkdir(exist_ok=True)
    (repo / "specs" / "gate.trial").write_text(text, encoding="utf-8")
    assert _run(repo, env, "git", "add", "specs/gate.trial").returncode == 0
    return _run(repo, env, "git", "commit", "-m", "Protocol version 1")


def test_hook_blocks_a_contradictory_spec(repository: tuple[Path, dict[str, str]]) -> None:
    repo, env = repository
    result = _commit(repo, env, CONTRADICTORY)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"protocol check\.+Failed", output), output
    assert "E0401" in output and "no subject can be eligible" in output, output
    log = _run(repo, env, "git", "log", "--oneline")
    assert log.stdout == "", "the commit was made although the hook failed"


def test_hook_passes_a_clean_spec(repository: tuple[Path, dict[str, str]]) -> None:
    repo, env = repository
    result = _commit(repo, env, CLEAN)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"protocol check\.+Passed", output), output
    assert _run(repo, env, "git", "log", "--oneline").stdout.count("\n") == 1


def test_check_refuses_to_run_as_a_gate_without_the_solver(tmp_path: Path) -> None:
    """Without the solver, `--require-solver` fails instead of passing a spec unchecked."""
    spec = tmp_path / "gate.trial"
    spec.write_text(CONTRADICTORY, encoding="utf-8")
    without_solver = (
        "import sys; sys.modules['z3'] = None; "  # as if the solver extra were not installed
        "from protocol_dsl.cli import main; main(sys.argv[1:])"
    )
    result = subprocess.run(
        [sys.executable, "-c", without_solver, "check", "--require-solver", str(spec)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the solver is not installed" in result.stderr
    assert "pip install 'protocol-dsl[solver]'" in result.stderr
    skipped = subprocess.run(
        [sys.executable, "-c", without_solver, "check", str(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    # the hole the option closes: without it, the contradiction goes unnoticed
    assert skipped.returncode == 0 and "N0903" in skipped.stdout
