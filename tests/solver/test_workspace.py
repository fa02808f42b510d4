"""A workspace (the language server's) changes where the solver works, never what it finds.

`solver.logic.Workspace` hands each analysis a z3 context made beforehand and
keeps the terms of the analyses until `tidy` frees them.  Each analysis must
still find exactly what it finds in a fresh process: random edits of the
thresholds of real specs and of specs with solver findings, analysed one
after the other in one workspace (tidied after some of them, as the server
does between checks, and not after others, as when edits come faster than
the pauses), give every finding of a fresh analysis, in order, word for word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.checks import logic
from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.solver.logic import Workspace
from tests.solver.support import CASES, QLS4131

SPECS = [
    QLS4131,
    CASES / "w0404_inclusion.trial",
    CASES / "w0404_exclusion.trial",
    CASES / "e0401_inclusion_exclusion.trial",
    CASES / "w0403_excluded_already.trial",
]

#: A number in a rule: its last digit is what an edit changes.
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _shown(d: Diagnostic) -> tuple:
    labels = tuple((label.span.start, label.span.end, label.message) for label in d.labels)
    return (d.code, d.message, d.span.start, d.span.end, labels, d.notes, d.help)


def _rule_digits(path: Path, text: str) -> list[int]:
    """Offsets of the last digit of each number in a rule of the spec's own criteria."""
    spec = compile_spec(str(path), text, checks=[]).spec
    assert spec is not None
    return [
        match.end() - 1
        for c in spec.criteria
        if c.rule is not None and c.span.file == str(path)
        for match in NUMBER.finditer(text, c.rule.span.start, c.rule.span.end)
    ]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 9), st.booleans()), max_size=4)
)
def test_analyses_in_one_workspace_find_what_fresh_ones_find(
    path: Path, edits: list[tuple[int, int, bool]]
) -> None:
    text = path.read_text(encoding="utf-8")
    digits = _rule_digits(path, text)
    workspace = Workspace()
    for choice, step, tidy in [(0, 0, False), *edits]:
        at = digits[choice % len(digits)]
        text = text[:at] + str((int(text[at]) + step) % 10) + text[at + 1 :]
        spec = compile_spec(str(path), text, checks=[]).spec
        if spec is None:  # a digit of a date changed into no date: nothing to analyse
            continue
        found = logic.check(spec, workspace=workspace)
        fresh = logic.check(spec)
        assert [_shown(d) for d in found] == [_shown(d) for d in fresh]
        if tidy:
            workspace.tidy()


def test_the_context_made_beforehand_is_handed_out_once() -> None:
    workspace = Workspace()
    workspace.tidy()
    first = workspace.context()
    second = workspace.context()
    assert first is not second
    workspace.tidy()
    assert workspace.context() is not first


def test_a_workspace_never_tidied_keeps_the_last_analyses_only() -> None:
    spec = compile_spec(str(CASES / "w0404_inclusion.trial"), checks=[]).spec
    assert spec is not None
    workspace = Workspace()
    waiting = []
    for _ in range(Workspace.KEPT + 2):
        logic.check(spec, workspace=workspace)
        waiting.append(workspace.waiting)
    assert waiting == [1, *[Workspace.KEPT] * (len(waiting) - 1)]
    workspace.tidy()
    assert workspace.waiting == 0
