"""One root cause, one diagnostic: the two noisy cases of a reviewer's reading of QLS4131.

An edited `collect` line that drops the screening visit left the SLEDAI-2K's 24
items unread by two criteria and an endpoint (72 findings); an endpoint whose time
frame was shortened read the same 24 items after it (24 findings).  Each is one
mistake: one diagnostic on the line to edit, the repeats counted in a note, in text,
JSON and SARIF alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import render_json, render_sarif, render_text
from tests.reviewer.slips import QLS, ROOT

COLLECT = "collect sle.sledai_2k_form      at SCR, D1"
FRAME = "    until 24 weeks after first_dose\n    = sle.sledai_2k at W24"


def _planted(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    (tmp_path / "lib").symlink_to(ROOT / "specs" / "lib")
    source = (ROOT / "specs" / QLS).read_text(encoding="utf-8")
    assert source.count(old) == 1
    planted = source.replace(old, new)
    path = tmp_path / QLS
    path.write_text(planted, encoding="utf-8")
    return path, planted[: planted.index(new)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "code", "repeats"),
    [
        (COLLECT, "collect sle.sledai_2k_form      at D1", "E0501", 71),
        (FRAME, FRAME.replace("24 weeks", "12 weeks"), "E0502", 23),
    ],
    ids=["collect-line", "endpoint-frame"],
)
def test_one_mistake_gives_one_diagnostic_on_the_line_to_edit(
    tmp_path: Path, old: str, new: str, code: str, repeats: int
) -> None:
    path, line = _planted(tmp_path, old, new)
    result = compile_spec(str(path))
    found = [d for d in result.diagnostics if d.severity != "note"]
    assert [d.code for d in found] == [code]
    # the collect line; or the endpoint's read the shortened time frame leaves outside it,
    # on the line under its `until`
    assert found[0].span.line in (line, line + 1)
    assert any(f"and {repeats} more" in note for note in found[0].notes)

    text = render_text(result.diagnostics, {str(path): path.read_text(encoding="utf-8")})
    assert text.count(f"error[{code}]") == 1
    as_json = json.loads(render_json(result.diagnostics))
    errors = [d for d in as_json["diagnostics"] if d["severity"] == "error"]
    assert len(errors) == 1 and any(f"and {repeats} more" in n for n in errors[0]["notes"])
    sarif = json.loads(render_sarif(result.diagnostics, "0"))
    results = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert len(results) == 1 and f"and {repeats} more" in results[0]["message"]["text"]


def test_the_collect_line_labels_every_rule_that_reads_the_form(tmp_path: Path) -> None:
    path, _line = _planted(tmp_path, COLLECT, "collect sle.sledai_2k_form      at D1")
    (found,) = [d for d in compile_spec(str(path)).diagnostics if d.severity == "error"]
    assert "I4, E2 and endpoint EP5" in found.message
    assert {label.span.line for label in found.labels} == {275, 298, 409}
