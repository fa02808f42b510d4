"""Nothing a spec says becomes live in any artefact `protocol build` writes.

`hostile.trial` puts into every text of a spec what each output format would
act on: script tags and event handlers (HTML), raw HTML and forged headings
(Markdown), spreadsheet formulas and forged rows (CSV), XML breakouts (ODM,
DOCX), REDCap action tags, piping and field embedding, SQL and Python
breakouts, forged registry headings, terminal escape sequences, a lone
carriage return and a right-to-left override.  The spec is built once with
every artefact; each test reads one format the way its consumer does and
checks that the texts are shown as text and nothing else happens.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import tokenize
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators import registry
from protocol_dsl.compiler import compile_spec
from protocol_dsl.inert_text import ACTING, printable
from tests.crf.support import executable_cells

HERE = Path(__file__).resolve().parent
SPEC = HERE / "hostile.trial"

# Markup the hostile texts try to open; none of it may reach any HTML as a tag.
HOSTILE_TAGS = {"script", "img", "svg", "iframe", "b", "i", "x", "form", "style", "a"}
# ... except those the renderers write themselves (a table of contents links, a page styles).
RENDERER_TAGS = {"a", "style"}
TEXT_SUFFIXES = {".html", ".md", ".csv", ".txt", ".json", ".xml", ".sql", ".py"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = compile_spec(str(SPEC))
    assert result.ok and result.spec is not None
    out = tmp_path_factory.mktemp("hostile")
    for name in registry.available():
        registry.load(name).build(result.spec, out)
    return out


def _files(built: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in built.rglob("*") if p.suffix in suffixes)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self._in_heading = tag in {"h1", "h2", "h3", "h4", "h5", "h6"}

    def handle_endtag(self, tag: str) -> None:
        self._in_heading = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_heading:
            self.headings.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _assert_inert_html(html: str, where: str) -> _Page:
    page = _page(html)
    assert "<script" not in html.lower(), where
    assert not (set(page.tags) & HOSTILE_TAGS) - RENDERER_TAGS, where
    assert not [n for n, _v in page.attributes if n.startswith("on")], where
    assert not [v for _n, v in page.attributes if "javascript:" in v.lower()], where
    assert "alert(" not in " ".join(v for _n, v in page.attributes), where
    return page


def test_every_artefact_was_built(built: Path) -> None:
    written = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    for expected in (
        "protocol.html",
        "protocol.md",
        "protocol.docx",
        "soa.csv",
        "crf/odm.xml",
        "crf/redcap_data_dictionary.csv",
        "crf/annotated_crf.html",
        "registry/ctgov.json",
        "registry/eligibility.txt",
        "sdtm/ts.csv",
        "screening_checks.py",
        "screening.duckdb.sql",
    ):
        assert expected in written


def test_no_text_file_carries_a_control_or_bidi_character(built: Path) -> None:
    for path in _files(built, *TEXT_SUFFIXES):
        text = path.read_bytes().decode("utf-8")
        # CSV rows end with CRLF by RFC 4180; any other acting character is a fault
        body = text.replace("\r\n", "\n") if path.suffix == ".csv" else text
        assert not ACTING.findall(body), path.name
        # JSON escapes would turn back into the characters in any reader
        if path.suffix == ".json":
            assert not re.search(r"\\u00[01][0-9a-fA-F]|\\u202[a-eA-E]|\\r", text), path.name


@pytest.mark.parametrize("name", ["protocol.html", "soa.html", "crf/annotated_crf.html"])
def test_html_shows_the_texts_and_runs_nothing(built: Path, name: str) -> None:
    page = _assert_inert_html((built / name).read_text(encoding="utf-8"), name)
    shown = "".join(page.text)
    assert "<svg onload=alert(4)>" in shown or "<script>alert(7)</script>" in shown


def test_markdown_renders_no_markup_and_forges_no_heading(built: Path) -> None:
    import markdown_it

    markdown = (built / "protocol.md").read_text(encoding="utf-8")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    page = _assert_inert_html(html, "protocol.md")
    assert not [h for h in page.headings if "Forged" in h]
    assert "<script>alert(1)</script> <img src=x onerror=alert(2)>" in "".join(page.text)


@pytest.mark.parametrize("name", ["protocol.docx", "soa.docx"])
def test_docx_parts_are_well_formed_and_hold_the_texts(built: Path, name: str) -> None:
    texts: list[str] = []
    with zipfile.ZipFile(built / name) as archive:
        for entry in archive.namelist():
            if entry.endswith((".xml", ".rels")):
                root = ElementTree.fromstring(archive.read(entry))  # raises if broken out of
                texts += [t.text or "" for t in root.iter() if t.tag.endswith("}t")]
    assert not [t for t in texts if ACTING.search(t)]
    assert any("]]></ODM>" in t or "<svg onload=alert(4)>" in t for t in texts)


def test_odm_is_one_valid_document_with_the_texts_as_text(built: Path) -> None:
    from tests.crf.test_odm import _errors

    data = (built / "crf" / "odm.xml").read_bytes()
    root = ElementTree.fromstring(data)
    assert _errors(data) == []
    assert not [e for e in root.iter() if e.tag in {"x", "script", "ODM"} and e is not root]
    texts = " ".join(
        [e.text or "" for e in root.iter()] + [v for e in root.iter() for v in e.attrib.values()]
    )
    assert "<script>alert(7)</script> @HIDDEN" in texts
    assert "]]></ODM>" in texts


# What REDCap acts on in a label, note, choice or header: an action tag, piping or a
# smart variable, field embedding, an HTML tag.
REDCAP_LIVE = re.compile(r"@[A-Za-z]|\[[^\]]*\]|\{[^}]*\}|<[A-Za-z/!?]")


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_redcap_files_hold_no_action_tag_piping_embedding_or_markup(built: Path) -> None:
    for path in _files(built / "crf", ".csv"):
        rows = _rows(path)
        for row in rows[1:]:
            texts = row if path.name != "redcap_data_dictionary.csv" else row[2:11] + row[12:]
            live = [t for t in texts if REDCAP_LIVE.search(t)]
            assert live == [], path.name
    labels = [row[4] for row in _rows(built / "crf" / "redcap_data_dictionary.csv")]
    # the words still read as written: full-width signs, "<" as the entity REDCap shows as "<"
    assert "＠HIDDEN &lt;script>alert(8)&lt;/script> ［y］" in labels


def test_every_csv_is_inert_and_keeps_its_columns(built: Path) -> None:
    for path in _files(built, ".csv"):
        rows = _rows(path)
        assert executable_cells(rows) == [], path.name
        assert {len(row) for row in rows} == {len(rows[0])}, path.name


def test_registry_text_has_only_the_registry_layout(built: Path) -> None:
    json.loads((built / "registry" / "ctgov.json").read_text(encoding="utf-8"))
    text = (built / "registry" / "eligibility.txt").read_text(encoding="utf-8")
    headings = ("Inclusion Criteria:", "Exclusion Criteria:")
    for line in text.splitlines():
        assert not line or line in headings or line.startswith(("* ", "    ")), line
    assert [line for line in text.splitlines() if line in headings] == list(headings)


def test_sql_is_only_the_statements_the_compiler_writes(built: Path) -> None:
    import sqlglot
    from sqlglot import exp

    dialects = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark", "trino": "trino"}
    for path in _files(built, ".sql"):
        dialect = dialects.get(path.stem.split(".")[-1])
        if dialect is None:
            continue
        statements = sqlglot.parse(path.read_text(encoding="utf-8"), read=dialect)
        for statement in statements:
            assert statement is not None
            assert not list(statement.find_all(exp.Drop, exp.Delete, exp.Update)), path.name
    assert "DROP TABLE" not in (built / "screening.duckdb.sql").read_text(encoding="utf-8")


def test_generated_python_names_nothing_from_the_spec(built: Path) -> None:
    source = (built / "screening_checks.py").read_text(encoding="utf-8")
    ast.parse(source)
    names = {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.NAME
    }
    assert not names & {"alert", "DROP", "rm", "CMD", "HYPERLINK", "IMPORTXML"}


def test_the_spark_job_names_nothing_from_the_spec(built: Path) -> None:
    """The spark-submit job: the spec's words only inside string literals."""
    source = (built / "screening_spark_job.py").read_text(encoding="utf-8")
    ast.parse(source)
    names = {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.NAME
    }
    assert not names & {"alert", "DROP", "rm", "CMD", "HYPERLINK", "IMPORTXML"}


def test_json_schema_is_json(built: Path) -> None:
    json.loads((built / "subject.schema.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- any text


_any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>[]{}@'\"|&=+-"),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_redcap_text_never_acts_and_reads_the_same(text: str) -> None:
    from generators.crf.redcap import redcap_text

    shown = redcap_text(text)
    assert not REDCAP_LIVE.search(shown)
    assert not ACTING.search(shown)
    # what REDCap displays (the entity as "<", full-width signs as their plain forms) is the text
    displayed = shown.replace("&lt;", "<").translate(
        str.maketrans("\uff20\uff3b\uff3d\uff5b\uff5d", "@[]{}")
    )
    assert displayed == printable(
        text.replace("\uff20", "@")
        .replace("\uff3b", "[")
        .replace("\uff3d", "]")
        .replace("\uff5b", "{")
        .replace("\uff5d", "}")
    )


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_xpath_string_literals_hold_any_text(text: str) -> None:
    import elementpath

    from generators.crf.xpath import _string

    text = printable(text)
    root = ElementTree.fromstring("<r/>")
    assert elementpath.select(root, _string(text), parser=elementpath.XPath1Parser) == text
