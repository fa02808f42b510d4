"""The keyword lists are read from the grammar, and match what the parser accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol_dsl.syntax.keywords import declaration_keywords, keywords
from protocol_dsl.syntax.parser import parse_module

ROOT = Path(__file__).resolve().parents[2]
_SPECS = sorted((ROOT / "specs").glob("*.trial")) + sorted(
    (ROOT / "tests" / "checks" / "cases").glob("*_ok.trial")
)


def test_declaration_keywords_are_keywords_once_each() -> None:
    words = declaration_keywords()
    assert len(set(words)) == len(words)
    assert set(words) <= keywords()
    # the two kinds of criterion start with their own word, not with a rule name
    assert {"inclusion", "exclusion", "trial", "dose_finding", "mapping"} <= set(words)


@pytest.mark.parametrize("path", _SPECS, ids=lambda p: p.stem)
def test_every_declaration_starts_with_a_declaration_keyword(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    module, diagnostics = parse_module(source, str(path))
    assert module is not None, [d.message for d in diagnostics]
    first_words = {source[d.span.start :].split(None, 1)[0] for d in module.declarations}
    assert first_words <= set(declaration_keywords())


@pytest.mark.parametrize("word", declaration_keywords())
def test_a_declaration_keyword_at_column_one_ends_a_broken_declaration(word: str) -> None:
    """After a syntax error the parser starts again at each declaration keyword.

    Both broken declarations are reported, each on its own line: the second
    would go unreported if the word were not known as a declaration start.
    """
    source = f'visit V1 "Day 1" day 1 )\n{word} )\n'
    _module, diagnostics = parse_module(source, "x.trial")
    lines = {d.span.line for d in diagnostics if d.severity == "error"}
    assert lines == {1, 2}, [(d.span.line, d.message) for d in diagnostics]
