"""Re-parsing only the edited declaration gives the module a full parse gives, spans included."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.lsp.checker import Checker
from protocol_dsl.lsp.reparse import reparse
from protocol_dsl.syntax.parser import parse_module
from tests.lsp.conftest import CDISCPILOT01, QLS4131

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import synthetic_spec


def _spans(node: Any) -> list[tuple]:
    """Every span in a model tree, in order, with the class that holds it."""
    found: list[tuple] = []
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, tuple):
            stack.extend(reversed(here))
        elif attrs.has(type(here)) and not isinstance(here, m.Span):
            span = getattr(here, "span", None)
            if isinstance(span, m.Span):
                found.append((type(here).__name__, *attrs.astuple(span)))
            stack.extend(
                reversed(
                    [getattr(here, f.name) for f in attrs.fields(type(here)) if f.name != "span"]
                )
            )
    return found


def _texts() -> list[tuple[str, str]]:
    return [
        (str(QLS4131), QLS4131.read_text(encoding="utf-8")),
        (str(CDISCPILOT01), CDISCPILOT01.read_text(encoding="utf-8")),
        ("synthetic.trial", synthetic_spec(400)),
    ]


@pytest.mark.parametrize(("path", "text"), _texts(), ids=["qls4131", "cdiscpilot01", "synthetic"])
def test_an_edit_in_each_rule_reparses_to_the_full_parse(path: str, text: str) -> None:
    module, problems = parse_module(text, path)
    assert module is not None and not problems
    edited = 0
    for criterion in module.of_type(m.Criterion):
        if criterion.rule is None:
            continue
        rule = criterion.rule.span
        space = text.find(" ", rule.start, rule.end)
        for change in (" ", "\n    "):  # a space typed; a rule broken onto a new line
            after = text[:space] + change + text[space:]
            quick = reparse(text, module, after, parse_module)
            full, _ = parse_module(after, path)
            assert quick is not None and full is not None
            assert quick[0] == full
            assert _spans(quick[0]) == _spans(full)
            edited += 1
    assert edited > 0


def test_an_edit_outside_one_declaration_parses_the_whole_file() -> None:
    text = QLS4131.read_text(encoding="utf-8")
    module, _ = parse_module(text, str(QLS4131))
    assert module is not None
    between = text.index("\n\ninclusion I2") + 1
    after = text[:between] + "\n" + text[between:]
    assert reparse(text, module, after, parse_module) is None


def test_the_checker_reparses_an_edit_and_reports_what_a_full_check_does() -> None:
    checker = Checker()
    text = QLS4131.read_text(encoding="utf-8")
    path = str(QLS4131)

    def read(p: str) -> bytes:
        return Path(p).read_bytes()

    checker.quick(path, text, read)
    at = text.index("= age between 18 and 70") + len("= age")
    broken = text[:at] + "x" + text[at:]  # `agex`: an undefined name
    quick = checker.quick(path, broken, read)
    assert checker.reparses == 1
    assert [(d.code, d.span) for d in quick.diagnostics if d.code == "E0101"] == [
        (d.code, d.span) for d in compile_spec(path, broken).diagnostics if d.code == "E0101"
    ]
