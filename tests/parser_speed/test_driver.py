"""The one-pass parse gives exactly what Lark's parser and the model builder give.

`protocol_dsl.syntax.lalr.Driver` runs Lark's LALR tables in one loop, and the
parser calls the model builder from that loop instead of building a tree
and transforming it.  These tests hold it to Lark's results:

* built as a tree (`tree_handlers`), it is Lark's tree: the same node names,
  children, tokens (type, text, every position) and node positions, on the
  real specs, every example of docs/, a synthetic 1,000-line spec and
  generated specs;
* the model (with every span) and the comments are those of the usual path
  (Lark's tree through `ModelBuilder.transform`);
* on broken input (mutated and cut real specs, extreme and random text) the
  driver steps aside and the diagnostics are those of the usual path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from benchmarks.synthetic import synthetic_spec
from protocol_dsl.syntax import parser as protocol_parser
from protocol_dsl.syntax.builder import ModelBuilder
from protocol_dsl.syntax.lalr import Driver, Fallback, tree_handlers
from tests.docs_examples import ROOT, all_docs, examples
from tests.language.test_fuzz import EXTREMES, mutated, nested, truncated
from tests.strategies import specs

SPECS = {
    p.relative_to(ROOT).as_posix(): p.read_text("utf-8") for p in ROOT.glob("specs/**/*.trial")
}


def _doc_texts() -> dict[str, str]:
    """Every ```trial text of docs/ (examples and the companion files they use)."""
    texts: dict[str, str] = {}
    for doc in all_docs():
        for example in examples(doc):
            texts[example.id] = example.text
            for relative, body in example.files:
                texts[f"{example.id}:{relative}"] = body
    return texts


DOCS = _doc_texts()
SYNTHETIC = synthetic_spec(1000)
_POSITIONS = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")


def driver() -> Driver:
    found = protocol_parser._driver()
    assert found is not None, "the grammar is no longer one the driver can run"
    return found


def lark_tree(text: str) -> Tree:
    try:
        return protocol_parser.lark_parser().parse(text, on_error=protocol_parser._keyword_as_name)
    finally:
        protocol_parser._comments.clear()


def fast_tree(text: str) -> Tree:
    try:
        tree, _height = driver().parse(text, tree_handlers(driver()), protocol_parser._name_instead)
    finally:
        protocol_parser._comments.clear()
    return tree


def assert_same_tree(ours: Any, lark: Any) -> None:
    """Node names, children, tokens and positions all equal (without recursion)."""
    pending = [(ours, lark, "start")]
    while pending:
        a, b, where = pending.pop()
        if isinstance(b, Tree):
            assert isinstance(a, Tree), where
            assert a.data == b.data, where
            assert len(a.children) == len(b.children), (where, a.children, b.children)
            assert a.meta.empty == b.meta.empty, where
            for name in _POSITIONS:
                assert getattr(a.meta, name, None) == getattr(b.meta, name, None), (where, name)
            pending.extend(
                (x, y, f"{where}/{b.data}[{k}]")
                for k, (x, y) in enumerate(zip(a.children, b.children, strict=True))
            )
        else:
            assert type(a) is Token and type(b) is Token, (where, a, b)
            assert (a.type, a.value) == (b.type, b.value), where
            for name in _POSITIONS:
                assert getattr(a, name) == getattr(b, name), (where, name)


@contextmanager
def lark_only() -> Iterator[None]:
    """The usual path: Lark's parse, then `ModelBuilder.transform`."""
    saved = protocol_parser._fast_parse
    protocol_parser._fast_parse = lambda source, path: None
    try:
        yield
    finally:
        protocol_parser._fast_parse = saved


def outcome(text: str) -> tuple[Any, ...]:
    """The module (every field, spans included), the diagnostics and the comments."""
    module, diagnostics, comments = protocol_parser.parse_with_comments(text, "spec.trial")
    # repr: also tells apart equal values written differently (Decimal 1.0 and 1.00)
    whole = None if module is None else repr(attrs.asdict(module))
    return whole, diagnostics, comments


def assert_same_outcome(text: str) -> tuple[Any, ...]:
    ours = outcome(text)
    with lark_only():
        usual = outcome(text)
    assert ours == usual
    assert repr(ours) == repr(usual)
    return ours


def assert_same_parse(text: str) -> None:
    """A text Lark parses: the same tree, and the same model and comments."""
    assert_same_tree(fast_tree(text), lark_tree(text))
    module, diagnostics, _comments = assert_same_outcome(text)
    if module is not None:  # built in one pass, not by falling back
        assert protocol_parser._fast_parse(text, "spec.trial") is not None
        protocol_parser._comments.clear()
    else:
        assert diagnostics


def assert_same_or_steps_aside(text: str) -> None:
    """Any text: the same tree when Lark parses it, else the driver steps aside."""
    try:
        expected = lark_tree(text)
    except UnexpectedInput:
        with pytest.raises(Fallback):
            fast_tree(text)
    else:
        assert_same_tree(fast_tree(text), expected)
    assert_same_outcome(text)


# ---------------------------------------------------------------- valid input


def test_the_driver_runs_this_grammar() -> None:
    assert driver().names  # every node name has its builder method (else no driver)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_real_specs(name: str) -> None:
    assert_same_parse(SPECS[name])


@pytest.mark.parametrize("name", sorted(DOCS))
def test_docs_examples(name: str) -> None:
    assert_same_or_steps_aside(DOCS[name])


def test_synthetic_spec() -> None:
    assert_same_parse(SYNTHETIC)


def test_empty_and_blank_files() -> None:
    for text in ["", "\n\n", "# only a comment\n", "  # indented comment"]:
        assert_same_parse(text)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs())
def test_generated_specs(source: str) -> None:
    assert_same_parse(source)


# ---------------------------------------------------------------- keywords read as names

KEYWORD_ITEM = """
trial X {{
  title "x"
}}

visit SCR "Screening" day -7 .. -1

form exposure "Exposure" at SCR {{
  weight quantity kg "Weight" range 30 .. 300
  {name} quantity mg "Item named like a keyword" range 0 .. 100 # {name}
  {name}_2 yes_no "after it"
}}
"""


@pytest.mark.parametrize(
    "name", ["dose", "date", "type", "number", "day", "lasts", "starts", "ends", "visit", "unit"]
)
def test_keyword_read_as_a_name_in_one_pass(name: str) -> None:
    text = KEYWORD_ITEM.format(name=name)
    assert_same_parse(text)
    # the driver itself reads the keyword as a name (it does not step aside)
    assert any(
        isinstance(t, Token) and t.type == "NAME" and t == name
        for t in fast_tree(text).scan_values(lambda v: isinstance(v, Token))
    )


@pytest.mark.parametrize("name", ["note", "source", "question", "rationale"])
def test_mark_word_as_a_name_is_still_an_error(name: str) -> None:
    text = KEYWORD_ITEM.format(name=name).replace("quantity mg", "text")
    with pytest.raises(Fallback):
        fast_tree(text)
    _module, diagnostics, _comments = assert_same_outcome(text)
    assert f"'{name}' is read as a {name}" in (diagnostics[0].help or "")


# ---------------------------------------------------------------- problems


@pytest.mark.parametrize("depth", [99, 100, 101, 500])
def test_nesting_limit(depth: int) -> None:
    for text in nested(depth):
        assert_same_or_steps_aside(text)


@pytest.mark.parametrize(
    "text",
    [
        "define x = 2025-02-30",
        "define x = 2:80",
        "define x = 1:0",
        "visit V day 1.5",
        "define x = 1" + "0" * 40,
        "table t { keys a.b\n  r 1" + "0" * 40 + " }",
        "define x = 1.5e40 mg",
        "amendment 1 { date 2025-13-01 }",
    ],
)
def test_problems_found_while_building(text: str) -> None:
    _module, diagnostics, _comments = assert_same_outcome(text)
    assert diagnostics


@pytest.mark.parametrize("index", range(len(EXTREMES)))
def test_extreme_inputs(index: int) -> None:
    assert_same_or_steps_aside(EXTREMES[index])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(mutated(), truncated()))
def test_broken_inputs(text: str) -> None:
    assert_same_or_steps_aside(text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("az09_ .:-+*/()[]{}'\"#\n\t=<>≥é%")), max_size=60))
def test_random_text(text: str) -> None:
    assert_same_or_steps_aside(text)


def test_a_problem_in_the_builder_is_left_to_the_usual_path() -> None:
    with pytest.raises(Fallback):
        driver().parse("define x = 2:80", _handlers_that_build_the_model())
    assert protocol_parser._fast_parse("define x = 2:80", "spec.trial") is None


def _handlers_that_build_the_model() -> dict[str, Any]:
    takes_meta = protocol_parser._builder_methods(driver().names)
    assert takes_meta is not None
    builder = ModelBuilder("spec.trial", "define x = 2:80")
    return protocol_parser._handlers(builder, takes_meta)


def test_sources_are_read_as_the_loader_reads_them() -> None:
    # CRLF line ends and tabs keep Lark's line and column counting
    text = SPECS["specs/qls4131_sle_phase1b.trial"].replace("\n", "\r\n").replace("  ", "\t")
    assert_same_or_steps_aside(text)


def test_paths_of_the_real_specs_exist() -> None:
    assert len(SPECS) >= 3 and all(Path(ROOT, name).exists() for name in SPECS)
