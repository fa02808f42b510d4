"""The editors' TextMate grammar: the language's keywords, and the scopes of real specs.

The keyword lists of `editors/vscode/syntaxes/trial.tmLanguage.json` must be the
language's (`protocol_dsl.syntax.keywords`, read from the Lark grammar), so that
a keyword added to the language cannot be forgotten by the highlighting.  The
tokens are checked as VS Code computes them: the grammar is loaded by
vscode-textmate with the Oniguruma engine (npm packages, in a small node
script), over an excerpt of real specs and over every real spec, where the
language's own parser says which text is a string, a number, a unit or a code.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lark import Token

from protocol_dsl.syntax.keywords import (
    KEYWORD_UNITS,
    declaration_keywords,
    keywords,
    unit_word,
)
from protocol_dsl.syntax.parser import parse_with_comments, strict_parser
from tests.editor.helpers import EXTENSION, NODE, ROOT, needs_node

GRAMMAR = EXTENSION / "syntaxes" / "trial.tmLanguage.json"
EXCERPT = Path(__file__).resolve().parent / "fixtures" / "excerpt.trial"
REAL_FILES = sorted((ROOT / "specs").rglob("*.trial"))


def _repository() -> dict[str, Any]:
    return json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"]


def _words(pattern: str) -> list[str]:
    """The words of the first alternation of plain words in a pattern."""
    found = re.search(r"\((?:\?:)?([a-z_]+(?:\|[a-z_]+)+)\)", pattern)
    assert found, pattern
    return found[1].split("|")


# ---------------------------------------------------------------- keywords


def test_the_keyword_groups_are_the_language_s_keywords() -> None:
    groups = {
        name: _words(rule["match"])
        for name, rule in _repository().items()
        if name.startswith("keywords-")
    }
    every = [word for words in groups.values() for word in words]
    assert len(every) == len(set(every)), "a keyword is in two groups"
    missing = keywords() - set(every)
    assert not missing, f"keywords missing from {GRAMMAR.name}: {sorted(missing)}"
    assert set(every) - keywords() == set(), "words the language does not have"


def test_the_declarations_are_the_language_s() -> None:
    repository = _repository()
    assert set(_words(repository["declaration"]["match"])) == set(declaration_keywords())
    assert set(_words(repository["keywords-declaration"]["match"])) == set(declaration_keywords())


def test_a_unit_after_a_number_is_read_as_the_language_reads_it() -> None:
    """A keyword right after a number is not its unit, except the units of time that
    are keywords too ("7 days"); a unit is the grammar's UNIT_WORD."""
    pattern = _repository()["quantity"]["match"]
    excluded = re.search(r"\(\?!\(\?:([a-z_|]+)\)\\b\)", pattern)
    assert excluded, pattern
    assert set(excluded[1].split("|")) == keywords() - KEYWORD_UNITS
    assert f"({unit_word().pattern})" in pattern


def test_the_extension_declares_the_grammar_and_follows_the_project_s_version() -> None:
    import tomllib

    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    (language,) = package["contributes"]["languages"]
    (grammar,) = package["contributes"]["grammars"]
    assert language["id"] == grammar["language"] == "trial"
    assert language["extensions"] == [".trial"]
    assert (EXTENSION / grammar["path"]).resolve() == GRAMMAR
    assert grammar["scopeName"] == json.loads(GRAMMAR.read_text())["scopeName"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # the client refuses a `protocol` of another minor version than its own
    assert package["version"] == project["project"]["version"]


def test_the_language_configuration_comments_with_the_language_s_comment() -> None:
    configuration = json.loads((EXTENSION / "language-configuration.json").read_text())
    assert configuration["comments"] == {"lineComment": "#"}
    assert ["{", "}"] in configuration["brackets"]


# ---------------------------------------------------------------- tokens


Tokens = list[list[dict[str, Any]]]


@functools.cache
def _tokenized() -> dict[str, Tokens]:
    """Every real spec and the excerpt, tokenized in one node process."""
    files = [str(f) for f in (EXCERPT, *REAL_FILES)]
    assert NODE is not None
    result = subprocess.run(
        [NODE, str(EXTENSION / "test" / "tokenize.js"), *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {entry["file"]: entry["lines"] for entry in json.loads(result.stdout)}


def _scope(tokens: Tokens, line: int, text: str, nth: int = 0) -> str:
    """The innermost scope of the `nth` token of `line` (1-based) whose text is `text`."""
    found = [t for t in tokens[line - 1] if t["text"] == text]
    assert len(found) > nth, (text, [t["text"] for t in tokens[line - 1]])
    return found[nth]["scopes"][-1]


#: (line of the excerpt, token text, occurrence on the line, innermost scope)
EXPECTED = [
    (1, "# Excerpts of the real specs", 0, None),
    (4, "visit", 0, "keyword.declaration.trial"),
    (4, "D8", 0, "entity.name.declaration.trial"),
    (4, "Day 8", 0, "string.quoted.double.trial"),
    (4, "day", 0, "keyword.other.trial"),
    (4, "8", 0, "constant.numeric.trial"),
    (4, "window", 0, "keyword.other.trial"),
    (4, "-", 0, "keyword.operator.trial"),
    (4, "in", 0, "keyword.operator.word.trial"),
    (4, "provisional", 0, "storage.modifier.mark.trial"),
    (6, "form", 0, "keyword.declaration.trial"),
    (6, "vital_signs", 0, "entity.name.declaration.trial"),
    (6, "at", 0, "keyword.operator.word.trial"),
    (6, "SCR", 0, "variable.other.trial"),
    (6, "{", 0, "punctuation.section.braces.trial"),
    (7, "systolic_bp", 0, "entity.name.variable.item.trial"),
    (7, "quantity", 0, "support.type.trial"),
    (7, "mm[Hg]", 0, "keyword.other.unit.trial"),
    (7, "range", 0, "keyword.other.trial"),
    (7, "50", 0, "constant.numeric.trial"),
    (7, "..", 0, "keyword.operator.trial"),
    (7, "required", 0, "keyword.other.trial"),
    (7, "LOINC", 0, "support.constant.terminology.trial"),
    (7, "8480-6", 0, "constant.other.code.trial"),
    (9, "Cel", 0, "keyword.other.unit.trial"),
    (9, "for_reporting", 0, "keyword.other.trial"),
    (12, "define", 0, "keyword.declaration.trial"),
    (12, "corticosteroid_rule", 0, "entity.name.declaration.trial"),
    (13, "all", 0, "keyword.control.trial"),
    (13, "where", 0, "keyword.control.trial"),
    (13, "medications", 0, "variable.other.trial"),
    (13, "and", 0, "keyword.operator.logical.trial"),
    (13, "yes", 0, "constant.language.boolean.trial"),
    (14, "satisfy", 0, "keyword.control.trial"),
    (14, "at least", 0, "keyword.operator.word.trial"),
    (14, "4", 0, "constant.numeric.trial"),
    (14, "weeks", 0, "keyword.other.unit.trial"),
    (14, "before", 0, "keyword.operator.word.trial"),
    (18, "exclusion", 0, "keyword.declaration.trial"),
    (18, "E8", 0, "entity.name.declaration.trial"),
    (19, "any", 0, "keyword.control.trial"),
    (20, "within", 0, "keyword.operator.word.trial"),
    (20, "12", 0, "constant.numeric.trial"),
    (20, "weeks", 0, "keyword.other.unit.trial"),
    (20, "or", 0, "keyword.operator.logical.trial"),
    (24, "haematology", 0, "variable.other.object.trial"),
    (24, ".anc", 0, "variable.other.property.trial"),
    (24, ">=", 0, "keyword.operator.trial"),
    (24, "1.5", 0, "constant.numeric.trial"),
    (24, "'10*9/L'", 0, "keyword.other.unit.trial"),
    (26, "g/dL", 0, "keyword.other.unit.trial"),
    (30, "1:80", 0, "constant.numeric.titer.trial"),
]


@needs_node
@pytest.mark.parametrize(("line", "text", "nth", "scope"), EXPECTED, ids=lambda v: str(v))
def test_the_excerpt_s_tokens(line: int, text: str, nth: int, scope: str | None) -> None:
    tokens = _tokenized()[str(EXCERPT)]
    if scope is None:  # a comment: the line starts with its punctuation, then the text
        assert tokens[line - 1][0]["scopes"][-1] == "punctuation.definition.comment.trial"
        assert tokens[line - 1][1]["text"].lstrip().startswith(text[2:])
        assert tokens[line - 1][1]["scopes"][-1] == "comment.line.number-sign.trial"
    else:
        assert _scope(tokens, line, text, nth) == scope


#: What the language's own terminals must look like in the editor.
TERMINAL_SCOPES = {
    "STRING": "string.quoted.double.trial",
    "NUMBER": "constant.numeric.trial",
    "DATE": "constant.numeric.date.trial",
    "TITER": "constant.numeric.titer.trial",
    "UNIT_WORD": "keyword.other.unit.trial",
    "QUOTED_UNIT": "keyword.other.unit.trial",
    "CODE": "constant.other.code.trial",
    "AT_LEAST": "keyword.operator.word.trial",
}


def _scopes_at(tokens: Tokens, line: int, column: int) -> list[str]:
    """The scopes of the character at (line, column), both 0-based."""
    for token in tokens[line]:
        if token["start"] <= column < token["start"] + len(token["text"]):
            return token["scopes"]
    raise AssertionError(f"no token at {line + 1}:{column + 1}")


def _characters(source: str, token: Token) -> list[tuple[int, int]]:
    """Each non-blank character of a token as (line, column), 0-based."""
    assert token.line is not None and token.column is not None
    line, column = token.line - 1, token.column - 1
    out = []
    for char in str(token):
        if char == "\n":
            line, column = line + 1, 0
            continue
        if not char.isspace():
            out.append((line, column))
        column += 1
    return out


@needs_node
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_specs_are_scoped_as_the_language_reads_them(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tokens = _tokenized()[str(path)]
    wrong: list[str] = []
    tree = strict_parser().parse(source)
    for token in tree.scan_values(lambda v: isinstance(v, Token)):
        if token.type == "QUANTITY":
            # the number as the grammar's QUANTITY reads it, before the unit
            number = re.match(r"\d+(\.\d+)?([eE][+-]?\d+)?(?![eE][+-]?\d)", str(token))
            assert number, token
            cut = len(number[0])
            for n, (line, column) in enumerate(_characters(source, token)):
                want = "constant.numeric.trial" if n < cut else "keyword.other.unit.trial"
                if _scopes_at(tokens, line, column)[-1] != want:
                    wrong.append(f"{token.line}:{token.column} {token!s} is not {want}")
                    break
            continue
        wanted = TERMINAL_SCOPES.get(token.type)
        if wanted is None:
            continue
        for line, column in _characters(source, token):
            scopes = _scopes_at(tokens, line, column)
            if wanted not in scopes:
                wrong.append(f"{token.line}:{token.column} {token.type} {token!s} is {scopes}")
                break
    _module, _diagnostics, comments = parse_with_comments(source, str(path))
    assert comments or path.parent.name == "lib"
    for comment in comments:
        scopes = _scopes_at(tokens, comment.line - 1, comment.column - 1)
        if "comment.line.number-sign.trial" not in scopes:
            wrong.append(f"comment at line {comment.line} is {scopes}")
    assert wrong == []
