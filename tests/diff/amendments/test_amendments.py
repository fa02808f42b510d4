"""The realistic amendments of `cases`: the tool's verdicts against a reviewer's.

Every amendment is applied to a copy of the specs and diffed against the
real spec with `protocol diff OLD NEW --format json`.  Each change the
reviewer expected counts as right when the diff reports it (by its target)
with the reviewer's EU verdict on every change of that target; a change the
reviewer did not expect counts as wrong.  The suite must be right on at
least 90 % of the changes, and the exit code must be right for every
amendment.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from tests.diff.amendments.cases import AMENDMENTS, SPEC, Amendment

ROOT = Path(__file__).resolve().parents[3]
SPECS = ROOT / "specs"


def _apply(text: str, amendment: Amendment) -> str:
    text = _edited(text, amendment.edits, amendment.id)
    for word, replacement in amendment.words:
        assert re.search(rf"\b{word}\b", text), f"{amendment.id}: {word!r} is not in the file"
        text = re.sub(rf"\b{word}\b", replacement, text)
    if amendment.crlf:
        text = text.replace("\n", "\r\n")
    return text


def _edited(text: str, edits: tuple[tuple[str, str], ...], case_id: str) -> str:
    for find, replace in edits:
        assert text.count(find) == 1, f"{case_id}: edit anchor must occur once: {find!r}"
        text = text.replace(find, replace)
    return text


@cache
def _outcome(case_id: str, folder: str) -> tuple[int, tuple[dict[str, object], ...]]:
    amendment = next(a for a in AMENDMENTS if a.id == case_id)
    copy = Path(folder) / amendment.id
    shutil.copytree(SPECS, copy, dirs_exist_ok=True)
    target = copy / amendment.file
    # bytes, so that a CRLF file is written as such
    target.write_bytes(_apply(target.read_text(encoding="utf-8"), amendment).encode("utf-8"))
    for name, edit in amendment.elsewhere:
        other = copy / name
        other.write_text(_edited(other.read_text(encoding="utf-8"), (edit,), amendment.id))
    result = CliRunner().invoke(
        cli, ["diff", str(SPECS / SPEC), str(copy / SPEC), "--format", "json"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    data = json.loads(result.output) if result.output.strip() else {"changes": []}
    return result.exit_code, tuple(data["changes"])


def _score(
    amendment: Amendment, changes: tuple[dict[str, object], ...]
) -> tuple[int, int, list[str]]:
    """(right, counted, what went wrong) for one amendment."""
    by_target: dict[str, list[bool]] = {}
    for change in changes:
        by_target.setdefault(str(change["target"]), []).append(bool(change["substantial_eu"]))
    wrong = []
    right = 0
    for target, substantial in amendment.expected.items():
        found = by_target.get(target)
        if found is None:
            wrong.append(f"{target}: not reported (found {sorted(by_target)})")
        elif any(verdict != substantial for verdict in found):
            wrong.append(f"{target}: EU substantial {found}, expected {substantial}")
        else:
            right += 1
    extra = sorted(set(by_target) - set(amendment.expected))
    wrong += [f"{target}: not expected" for target in extra]
    return right, len(amendment.expected) + len(extra), wrong


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("amendments"))


def test_there_are_enough_realistic_amendments() -> None:
    assert len(AMENDMENTS) >= 30
    assert len({a.id for a in AMENDMENTS}) == len(AMENDMENTS)
    assert all(a.why for a in AMENDMENTS)
    kinds = {a.id.split("-")[0] for a in AMENDMENTS}
    assert {"renumber", "insert", "equivalent", "criterion", "new"} <= kinds


@pytest.mark.parametrize("amendment", AMENDMENTS, ids=lambda a: a.id)
def test_exit_code(amendment: Amendment, folder: str) -> None:
    exit_code, changes = _outcome(amendment.id, folder)
    shown = [(c["target"], c["rule_id"], c["substantial_eu"]) for c in changes]
    assert exit_code == amendment.exit_code, f"{amendment.why}\n{shown}"


def test_verdicts_right_on_at_least_90_percent(folder: str) -> None:
    right = counted = 0
    report = []
    for amendment in AMENDMENTS:
        _, changes = _outcome(amendment.id, folder)
        got, total, wrong = _score(amendment, changes)
        right += got
        counted += total
        report += [f"{amendment.id}: {w}" for w in wrong]
    assert counted >= 30
    assert right / counted >= 0.9, f"{right}/{counted} right:\n" + "\n".join(report)
