"""The reviewer's suite: planted and mutated slips on copies of the real specs.

Each slip must be reported with its code on the line it was planted on (the
diagnostic's own line, or one of its labels: the line to edit may be the text or
the rule).  The catch rate is printed and must stay at or above 90 %; every
unmodified real spec must give no warning or error at all (no false alarm).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from protocol_dsl.compiler import compile_spec
from tests.reviewer.slips import PLANTED, ROOT, Slip, mutations

SLIPS = PLANTED + mutations()
REAL = sorted((ROOT / "specs").glob("*.trial")) + sorted((ROOT / "specs" / "lib").glob("*.trial"))


def _apply(slip: Slip, folder: Path) -> tuple[Path, int]:
    source = (ROOT / "specs" / slip.spec).read_text(encoding="utf-8")
    assert source.count(slip.old) == 1, f"{slip.name}: the text to replace is not unique"
    at = source.index(slip.old)
    planted = source.replace(slip.old, slip.new)
    anchor = slip.anchor or slip.new.lstrip("\n").split("\n")[0]
    start = planted.find(anchor, max(0, at - 2000)) if anchor else -1
    start = start if start >= 0 else planted.find(anchor)
    assert start >= 0, f"{slip.name}: anchor not found"
    line = planted.count("\n", 0, start) + 1
    specs = folder / "specs"
    if not (specs / "lib").exists():
        shutil.copytree(ROOT / "specs" / "lib", specs / "lib")
    path = specs / slip.spec
    path.write_text(planted, encoding="utf-8")  # a library slip overwrites its copy
    return path, line


def caught(slip: Slip, folder: Path) -> bool:
    path, line = _apply(slip, folder)
    result = compile_spec(str(path))
    for d in result.diagnostics:
        if d.code != slip.code:
            continue
        lines = {d.span.line} | {
            label.span.line for label in d.labels if label.span.file == str(path)
        }
        if d.span.file == str(path) and line in lines:
            return True
    return False


def test_there_are_enough_slips() -> None:
    assert len(PLANTED) >= 40
    assert len(SLIPS) >= 70


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_no_false_alarm_on_real_specs(path: Path) -> None:
    result = compile_spec(str(path))
    alarms = [
        f"{d.code} line {d.span.line}: {d.message}"
        for d in result.diagnostics
        if d.severity != "note"
    ]
    assert alarms == []


def test_catch_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missed = [s for s in SLIPS if not caught(s, tmp_path)]
    rate = 1 - len(missed) / len(SLIPS)
    planted = sum(1 for s in PLANTED if s not in missed)
    mutated = len(SLIPS) - len(PLANTED)
    with capsys.disabled():
        print(
            f"\nreviewer's suite: {len(SLIPS) - len(missed)} of {len(SLIPS)} slips caught at "
            f"the right line ({rate:.1%}): planted {planted}/{len(PLANTED)}, mutations "
            f"{len(SLIPS) - len(missed) - planted}/{mutated}"
        )
        for slip in missed:
            print(f"  missed: {slip.name} ({slip.kind})")
    assert rate >= 0.9, [s.name for s in missed]
