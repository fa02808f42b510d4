"""A check reusing what did not change says exactly what a check from scratch says.

After any sequence of edits (spaces typed and deleted inside rules and between
declarations, line breaks, a digit changed, a character typed that breaks the
text), the language server's checker, which re-parses one declaration and moves
the last findings when the spec means the same, must report what `protocol check`
(`compile_spec`) reports on the same text: the same codes, messages, ranges
(lines, columns and offsets), labels, notes, help and fixes, and the same
findings an `allow` mark silences.  On QLS4131 and the tutorial's spec.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.checks import all_checks, logic
from protocol_dsl.compiler import CompileResult, compile_spec
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.checker import Checker
from tests.lsp.conftest import QLS4131

#: What is typed: a space most often (it changes no meaning), a line break, a digit
#: replaced or typed before another (the rule changes; typed, everything after it moves)
#: and a letter (it changes a rule, or breaks it), or a character deleted.
EDITS = st.sampled_from(["space", "space", "delete", "newline", "digit", "insert", "letter"])


def _span(span: m.Span) -> tuple:
    return (span.file, span.line, span.column, span.end_line, span.end_column, span.start, span.end)


def _shown(d: Diagnostic) -> tuple:
    fix = d.fix
    return (
        d.code,
        d.severity,
        d.message,
        _span(d.span),
        tuple((_span(label.span), label.message) for label in d.labels),
        d.notes,
        d.help,
        d.suggestion,
        None if fix is None else (_span(fix.span), fix.replacement, fix.title),
        d.allowed,
    )


def _report(result: CompileResult) -> tuple:
    return (
        result.spec is not None,
        [_shown(d) for d in result.diagnostics],
        [_shown(d) for d in result.allowed],
    )


def _quick_checks() -> list:
    return [check for check in all_checks() if check is not logic.check]


def _edit(text: str, anchors: list[int], choice: int, kind: str, shift: int) -> str:
    """One edit at a point inside a rule (or anywhere, for `shift`)."""
    at = min(max(anchors[choice % len(anchors)] + shift, 0), len(text))
    if kind == "space":
        return text[:at] + " " + text[at:]
    if kind == "newline":
        return text[:at] + "\n  " + text[at:]
    if kind == "delete":
        return text[:at] + text[at + 1 :]
    if kind in ("digit", "insert"):
        digit = next((i for i in range(at, min(at + 40, len(text))) if text[i].isdigit()), None)
        if digit is None:
            return text[:at] + "7" + text[at:]
        if kind == "insert":  # 8 becomes 18, 2.5 becomes 2.15
            return text[:digit] + "1" + text[digit:]
        return text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :]
    return text[:at] + "x" + text[at:]


def _anchors(path: Path, text: str) -> list[int]:
    """Points inside the rules, where a writer types most."""
    spec = compile_spec(str(path), text).spec
    assert spec is not None
    return [
        offset
        for c in spec.criteria
        if c.rule is not None and c.span.file == str(path)
        for offset in (c.rule.span.start + 1, (c.rule.span.start + c.rule.span.end) // 2)
    ]


def _same_as_from_scratch(
    path: Path, edits: list[tuple[int, str, int]], *, full: bool = False
) -> None:
    """After each edit the quick check equals a fresh one; with `full`, as the server does,
    the full check of the same text follows and equals a fresh `compile_spec`."""
    text = path.read_text(encoding="utf-8")
    anchors = _anchors(path, text)
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    (checker.full if full else checker.quick)(str(path), text, read)
    for choice, kind, shift in edits:
        text = _edit(text, anchors, choice, kind, shift)
        incremental = checker.quick(str(path), text, read)
        scratch = compile_spec(str(path), text, checks=_quick_checks())
        assert _report(incremental) == _report(scratch)
        if full:
            found = checker.full(str(path), text, read)
            assert _report(found) == _report(compile_spec(str(path), text))
            checker.tidy()  # as the server does after publishing: the next z3 context made


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EDIT_LISTS = st.lists(
    st.tuples(st.integers(0, 10_000), EDITS, st.integers(-3, 3)), min_size=1, max_size=5
)


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_qls4131_are_checked_as_from_scratch(edits: list[tuple[int, str, int]]) -> None:
    _same_as_from_scratch(QLS4131, edits)


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_the_tutorial_spec_are_checked_as_from_scratch(
    tutorial_spec: Path, edits: list[tuple[int, str, int]]
) -> None:
    _same_as_from_scratch(tutorial_spec, edits)


def test_a_space_typed_in_a_rule_reuses_the_last_findings_and_the_solvers() -> None:
    """The reuse is not only correct but happens: a space changes nothing the checks read."""
    text = QLS4131.read_text(encoding="utf-8")
    spec = compile_spec(str(QLS4131), text).spec
    assert spec is not None
    spaces = [text.find(" ", c.rule.span.start, c.rule.span.end) for c in spec.criteria if c.rule]
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    checker.full(str(QLS4131), text, read)
    # from the end, so that each space typed leaves the next point where it was
    points = sorted((at for at in spaces if at > 0), reverse=True)
    for number, at in enumerate(points[:: max(1, len(points) // 4)]):
        text = text[:at] + " " + text[at:]
        full = checker.full(str(QLS4131), text, read)
        assert checker.reused == number + 1
        assert _report(full) == _report(compile_spec(str(QLS4131), text))


@pytest.mark.parametrize("kind", ["digit", "letter", "newline"])
def test_an_edit_that_changes_the_rule_or_its_lines_is_checked_again(kind: str) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    anchors = _anchors(QLS4131, text)
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    checker.quick(str(QLS4131), text, read)
    text = _edit(text, anchors, 3, kind, 0)
    found = checker.quick(str(QLS4131), text, read)
    assert checker.reused == 0
    assert _report(found) == _report(compile_spec(str(QLS4131), text, checks=_quick_checks()))
