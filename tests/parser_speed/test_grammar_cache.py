"""The parser loaded from the per-user cache gives exactly what a parser built from the grammar gives.

`protocol check` loads the analysed grammar and its parse table from Lark's
own cache file (`Lark(..., cache=PATH)`) instead of building them on every
run.  These tests hold the loaded parser to one built from the grammar text
in the same process:

* the same tree (node names, children, tokens with their types, texts and
  every position, node positions) on the real specs, every example of
  docs/, a synthetic 1,000-line spec and generated specs;
* the same model (every field, spans included), diagnostics and comments
  through the whole of `parse_with_comments`, on that input and on broken
  input (mutated and cut real specs, extreme and random text);
* a cache file is written on the first run, read on the next, and a damaged
  one is rebuilt rather than trusted.
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
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from benchmarks.synthetic import synthetic_spec
from protocol_dsl.syntax import parser as protocol_parser
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


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache file written by one parser: the parsers under test load it."""
    path = tmp_path_factory.mktemp("grammar-cache") / "grammar.lark"
    protocol_parser.build_parser(str(path))
    assert path.stat().st_size > 0
    return path


@pytest.fixture(scope="module")
def loaded(cache_file: Path) -> Lark:
    return protocol_parser.build_parser(str(cache_file))


@pytest.fixture(scope="module")
def built() -> Lark:
    return protocol_parser.build_parser(None)


def tree(parser: Lark, text: str) -> Tree:
    try:
        return parser.parse(text, on_error=protocol_parser._keyword_as_name)
    finally:
        protocol_parser._comments.clear()


def assert_same_tree(ours: Any, theirs: Any) -> None:
    """Node names, children, tokens and positions all equal (without recursion)."""
    pending = [(ours, theirs, "start")]
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
def parsing_with(parser: Lark) -> Iterator[None]:
    """`parse_with_comments` (and its syntax-error wording) running on `parser`."""
    saved = protocol_parser.lark_parser
    protocol_parser.lark_parser = lambda: parser  # type: ignore[assignment]
    try:
        yield
    finally:
        protocol_parser.lark_parser = saved


def outcome(parser: Lark, text: str) -> tuple[Any, ...]:
    """The module (every field, spans included), the diagnostics and the comments."""
    with parsing_with(parser):
        module, diagnostics, comments = protocol_parser.parse_with_comments(text, "spec.trial")
    # repr: also tells apart equal values written differently (Decimal 1.0 and 1.00)
    whole = None if module is None else repr(attrs.asdict(module))
    return whole, diagnostics, comments


def assert_same_outcome(loaded: Lark, built: Lark, text: str) -> tuple[Any, ...]:
    ours = outcome(loaded, text)
    theirs = outcome(built, text)
    assert ours == theirs
    assert repr(ours) == repr(theirs)
    return ours


def assert_same(loaded: Lark, built: Lark, text: str, *, parses: bool | None = None) -> None:
    """The same tree (or the same refusal) and the same model, diagnostics and comments."""
    try:
        expected = tree(built, text)
    except UnexpectedInput as refused:
        assert parses is not True, refused
        with pytest.raises(type(refused)):
            tree(loaded, text)
    else:
        assert parses is not False
        assert_same_tree(tree(loaded, text), expected)
    module, diagnostics, _comments = assert_same_outcome(loaded, built, text)
    if parses:
        assert module is not None and not diagnostics


# ---------------------------------------------------------------- valid input


@pytest.mark.parametrize("name", sorted(SPECS))
def test_real_specs(name: str, loaded: Lark, built: Lark) -> None:
    assert_same(loaded, built, SPECS[name], parses=True)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_docs_examples(name: str, loaded: Lark, built: Lark) -> None:
    assert_same(loaded, built, DOCS[name])


def test_synthetic_spec(loaded: Lark, built: Lark) -> None:
    assert_same(loaded, built, SYNTHETIC, parses=True)


def test_empty_and_blank_files(loaded: Lark, built: Lark) -> None:
    for text in ["", "\n\n", "# only a comment\n", "  # indented comment"]:
        assert_same(loaded, built, text, parses=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs())
def test_generated_specs(source: str) -> None:
    loaded = protocol_parser.lark_parser()
    assert_same(loaded, _built(), source, parses=True)


_BUILT: list[Lark] = []


def _built() -> Lark:
    """One parser built from the grammar, for the property tests (fixtures are per test)."""
    if not _BUILT:
        _BUILT.append(protocol_parser.build_parser(None))
    return _BUILT[0]


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
def test_keyword_read_as_a_name(name: str, loaded: Lark, built: Lark) -> None:
    text = KEYWORD_ITEM.format(name=name)
    assert_same(loaded, built, text, parses=True)
    assert any(
        isinstance(t, Token) and t.type == "NAME" and t == name
        for t in tree(loaded, text).scan_values(lambda v: isinstance(v, Token))
    )


@pytest.mark.parametrize("name", ["note", "source", "question", "rationale"])
def test_mark_word_as_a_name_is_still_an_error(name: str, loaded: Lark, built: Lark) -> None:
    text = KEYWORD_ITEM.format(name=name).replace("quantity mg", "text")
    assert_same(loaded, built, text, parses=False)
    _module, diagnostics, _comments = outcome(loaded, text)
    assert f"'{name}' is read as a {name}" in (diagnostics[0].help or "")


# ---------------------------------------------------------------- problems


@pytest.mark.parametrize("depth", [99, 100, 101, 500])
def test_nesting_limit(depth: int, loaded: Lark, built: Lark) -> None:
    for text in nested(depth):
        assert_same(loaded, built, text)


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
def test_problems_found_while_building(text: str, loaded: Lark, built: Lark) -> None:
    _module, diagnostics, _comments = assert_same_outcome(loaded, built, text)
    assert diagnostics


@pytest.mark.parametrize("index", range(len(EXTREMES)))
def test_extreme_inputs(index: int, loaded: Lark, built: Lark) -> None:
    assert_same(loaded, built, EXTREMES[index])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(mutated(), truncated()))
def test_broken_inputs(text: str) -> None:
    assert_same(protocol_parser.lark_parser(), _built(), text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("az09_ .:-+*/()[]{}'\"#\n\t=<>≥é%")), max_size=60))
def test_random_text(text: str) -> None:
    assert_same(protocol_parser.lark_parser(), _built(), text)


def test_sources_are_read_as_the_loader_reads_them(loaded: Lark, built: Lark) -> None:
    # CRLF line ends and tabs keep Lark's line and column counting
    text = SPECS["specs/qls4131_sle_phase1b.trial"].replace("\n", "\r\n").replace("  ", "\t")
    assert_same(loaded, built, text, parses=True)


# ---------------------------------------------------------------- the cache file


def test_the_cache_file_is_written_once_and_then_read(tmp_path: Path) -> None:
    path = tmp_path / "grammar.lark"
    protocol_parser.build_parser(str(path))
    written = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    parser = protocol_parser.build_parser(str(path))
    assert path.stat().st_mtime_ns == mtime and path.read_bytes() == written
    assert_same_tree(tree(parser, SYNTHETIC), tree(_built(), SYNTHETIC))


@pytest.mark.parametrize("damage", [b"", b"not a cache", b"\x80\x04garbage"])
def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "grammar.lark"
    protocol_parser.build_parser(str(path))
    good = path.read_bytes()
    path.write_bytes(damage)
    parser = protocol_parser.build_parser(str(path))
    pilot = SPECS["specs/cdiscpilot01.trial"]
    assert_same_tree(tree(parser, pilot), tree(_built(), pilot))
    # written again, for the same grammar (the file starts with the grammar's digest)
    rebuilt = path.read_bytes()
    assert rebuilt != damage and rebuilt.split(b"\n", 1)[0] == good.split(b"\n", 1)[0]


def test_the_process_parser_uses_the_per_user_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = protocol_parser._cache_path(protocol_parser.grammar_text())
    assert path is not None and path.startswith(str(tmp_path / "protocol-dsl"))


def test_paths_of_the_real_specs_exist() -> None:
    assert len(SPECS) >= 3 and all(Path(ROOT, name).exists() for name in SPECS)
