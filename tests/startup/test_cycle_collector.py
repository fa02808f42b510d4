"""`protocol check` runs its first spec without the cycle collector, and no more than that.

One spec leaves almost no reference cycles behind, so the collector's passes
over the freshly built model are pure cost there (`cli.main` turns it off for
`check`); a run over many specs must still keep its memory bounded, so the
command turns the collector back on before its second spec.  `protocol diff`
loads and compares its two versions without it too, and turns it back on
before it re-screens subject data (of any size).
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from protocol_dsl.commands import check

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
PILOT = ROOT / "specs" / "cdiscpilot01.trial"
AMENDED = ROOT / "tests" / "diff" / "amendment" / "qls4131_v2.trial"
SUBJECTS = ROOT / "tests" / "diff" / "subjects" / "qls4131_subjects.jsonl"


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The state `cli.main` leaves for `check`; the test process's own state restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check(*paths: Path) -> int:
    with pytest.raises(SystemExit) as done:
        check.command.main([str(p) for p in paths], standalone_mode=False)
    return int(done.value.code or 0)


#: Runs the `protocol` command as a user does and reports, at its quick exit,
#: whether the cycle collector was on.
_REPORTING = """
import gc, os, sys
from protocol_dsl import cli
exit_now = os._exit
def report(code):
    sys.stderr.write("collector " + ("on" if gc.isenabled() else "off") + "\\n")
    sys.stderr.flush()
    exit_now(code)
os._exit = report
sys.argv = ["protocol", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.parametrize(
    ("args", "state"),
    [
        (["check", str(QLS)], "off"),
        (["fmt", "--check", str(QLS)], "on"),
        (["diff", str(QLS), str(AMENDED)], "off"),
        (["diff", str(QLS), str(AMENDED), "--subjects", str(SUBJECTS)], "on"),
    ],
    ids=["check", "fmt", "diff", "diff-subjects"],
)
def test_only_check_and_diff_run_without_the_collector(args: list[str], state: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _REPORTING, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    # diff: 4, substantial changes
    assert done.returncode == (4 if args[0] == "diff" else 0), done.stderr
    assert f"collector {state}" in done.stderr.splitlines()


def test_one_spec_is_checked_without_the_collector(collector_off: None) -> None:
    assert _check(QLS) == 0
    assert not gc.isenabled()


def test_the_collector_is_back_for_a_second_spec(collector_off: None) -> None:
    assert _check(QLS, PILOT) == 0
    assert gc.isenabled()


def test_a_command_run_in_process_leaves_the_collector_as_it_found_it() -> None:
    """A script or test that calls `cli.main` keeps its own collector settings."""
    from protocol_dsl import cli

    before = gc.get_threshold(), gc.isenabled()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert (gc.get_threshold(), gc.isenabled()) == before
