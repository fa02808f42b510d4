"""Texts from a spec are always text: escaped HTML and Markdown, well-formed XML, inert CSV.

The fixture `nasty.trial` puts markup, formulas, quotes, ampersands and
non-ASCII characters into every kind of text a document prints.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.documents import render_html, render_markdown
from generators.documents.document import Document, Paragraph, Section, Table, Text, cell
from tests.documents.helpers import build_documents, fixture_spec

# Tags the HTML renderer itself writes; anything else came from a spec.
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section",
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "span", "strong", "em", "code", "a", "sup",
    "br", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "div",
    "ul", "ol", "li", "pre",
    "blockquote",  # how Markdown shows the "Rule:" lines
}  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nasty")
    build_documents(fixture_spec("nasty.trial"), out)
    return out


@pytest.mark.parametrize("name", ["protocol.html", "soa.html"])
def test_html_is_escaped(built: Path, name: str) -> None:
    html = (built / name).read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    parsed = parse_html(html)
    assert set(parsed.tags) <= OUR_TAGS
    assert not [a for a in parsed.attributes if a.startswith("on")]
    text = "".join(parsed.text)
    # the markup in the spec is shown as the text it is
    assert "<script>alert('visit')</script>" in text
    if name == "protocol.html":
        assert "Étude <script>alert(1)</script> & \"quotes\" 'single' — naïve café ≥ 5 µg" in text
        assert "Smith & Sons <b>Ltd</b>" in text


def test_markdown_never_opens_raw_html(built: Path) -> None:
    markdown = (built / "protocol.md").read_text(encoding="utf-8")
    # the only raw tags are the renderer's own <sup> and <br>
    raw = re.findall(r"(?<!\\)<(/?)([A-Za-z]+)", markdown)
    assert {tag for _slash, tag in raw} <= {"sup", "br"}
    assert "\\<script\\>alert(1)\\</script\\>" in markdown


@pytest.mark.parametrize("name", ["protocol.docx", "soa.docx"])
def test_docx_is_well_formed_xml(built: Path, name: str) -> None:
    with zipfile.ZipFile(built / name) as archive:
        texts = []
        for entry in archive.namelist():
            if entry.endswith((".xml", ".rels")):
                root = ElementTree.fromstring(archive.read(entry))  # raises if malformed
                if entry == "word/document.xml":
                    texts = [t.text or "" for t in root.iter() if t.tag.endswith("}t")]
    assert any("<script>alert('visit')</script>" in t for t in texts)


def test_docx_opens_with_the_text_as_written(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "protocol.docx"))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Étude <script>alert(1)</script> & \"quotes\" 'single' — naïve café ≥ 5 µg" in paragraphs


def test_csv_cells_are_inert(built: Path) -> None:
    text = (built / "soa.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'+Day 1 & <i>go</i>" in cells
    assert "'@End «fin»" in cells
    assert any(c.startswith("'=1+2 consent") for c in cells)


# ---------------------------------------------------------------- any text, any renderer

_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'=+-@"),
    min_size=1,
    max_size=40,
)


def _document(words: str) -> Document:
    table = Table((cell(words),), ((cell(words),),), caption=words)
    section = Section("s", "1", words, (Paragraph((Text(words),)), table))
    return Document(words, words, (), (section,))


@settings(max_examples=100, deadline=None)
@given(_texts)
def test_html_shows_any_text_as_text(words: str) -> None:
    html = render_html.render(_document(words), words, body_class="protocol", with_toc=True)
    parsed = parse_html(html)
    assert set(parsed.tags) <= OUR_TAGS
    assert not [a for a in parsed.attributes if a.startswith("on")]
    # every place the text is printed gives it back exactly (whitespace aside)
    shown = "".join(parsed.text)
    assert words.strip() in shown or " ".join(words.split()) in " ".join(shown.split())


def _commonmark(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders CommonMark")
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_markdown_renders_as_commonmark_without_raw_html(built: Path) -> None:
    html = _commonmark((built / "protocol.md").read_text(encoding="utf-8"))
    parsed = parse_html(html)
    assert "script" not in parsed.tags
    assert set(parsed.tags) <= OUR_TAGS
    assert "Étude <script>alert(1)</script> & \"quotes\" 'single' — naïve café ≥ 5 µg" in "".join(
        parsed.text
    )


@settings(max_examples=100, deadline=None)
@given(_texts)
def test_markdown_escapes_any_text(words: str) -> None:
    markdown = render_markdown.render(_document(words), "kind", with_toc=False)
    raw = re.findall(r"(?<!\\)<(/?)([A-Za-z]+)", markdown)
    assert {tag for _slash, tag in raw} <= {"sup", "br"}
    parsed = parse_html(_commonmark(markdown))
    assert set(parsed.tags) <= OUR_TAGS
    shown = " ".join("".join(parsed.text).split())
    assert " ".join(words.split()) in shown
