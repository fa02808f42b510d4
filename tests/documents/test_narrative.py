"""Narrative sections, open items and plain words in the protocol document.

The writer's Markdown becomes document nodes (never markup); every ICH M11
section holds something, and what the spec cannot say reads "To be completed"
and is listed at the front; readers see labels, not the spec's identifiers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.documents.content import build_protocol
from generators.documents.document import (
    Code,
    Document,
    Emphasis,
    ListBlock,
    Paragraph,
    Preformatted,
    Section,
    Strong,
    Table,
    Text,
)
from generators.documents.narrative import narrative_blocks
from generators.documents.render_markdown import render
from protocol_dsl import model as m
from protocol_dsl.narratives import NARRATIVE_SECTIONS
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module
from tests.documents.helpers import REAL_SPECS, SPECS, compile_clean

# ---------------------------------------------------------------- Markdown → document


def test_markdown_becomes_paragraphs_lists_and_emphasis() -> None:
    blocks = narrative_blocks(
        "Belimumab binds **BLyS** and *inhibits* it; see `BLyS`.\n"
        "Second line of the same paragraph.\n\n"
        "- first reason\n- second reason\n\n"
        "1. step one\n2. step two\n"
    )
    assert blocks[0] == Paragraph(
        (
            Text("Belimumab binds "),
            Strong("BLyS"),
            Text(" and "),
            Emphasis("inhibits"),
            Text(" it; see "),
            Code("BLyS"),
            Text(". Second line of the same paragraph."),
        )
    )
    bullets, numbered = blocks[1], blocks[2]
    assert isinstance(bullets, ListBlock) and not bullets.labelled
    assert [item.blocks[0].inlines for item in bullets.items] == [
        (Text("first reason"),),
        (Text("second reason"),),
    ]
    assert isinstance(numbered, ListBlock) and numbered.labelled
    assert [item.label for item in numbered.items] == ["1.", "2."]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[click](javascript:alert(3))",
        "![x](http://evil.example/x.png)",
        "&#60;script&#62;",
        "<https://evil.example>",
    ],
)
def test_html_links_images_and_entities_stay_the_characters_written(text: str) -> None:
    blocks = narrative_blocks(text)
    shown = "".join(
        inline.text
        for block in blocks
        if isinstance(block, Paragraph)
        for inline in block.inlines
        if isinstance(inline, Text | Strong | Emphasis | Code)
    )
    assert shown == text


def test_acting_characters_are_taken_out() -> None:
    [block] = narrative_blocks("red\x1b[31m \u202etxt.exe\x07")
    assert isinstance(block, Paragraph)
    assert block.inlines == (Text("red[31m txt.exe"),)


def test_indented_code_is_preformatted() -> None:
    assert narrative_blocks("Text.\n\n    code line\n") == [
        Paragraph((Text("Text."),)),
        Preformatted("code line"),
    ]


# ---------------------------------------------------------------- the language


def _narrative(source: str) -> m.Narrative:
    module, diagnostics = parse_module(source, "<test>")
    assert module is not None, [d.message for d in diagnostics]
    [narrative] = module.of_type(m.Narrative)
    return narrative


def test_text_block_loses_its_indentation_and_the_blank_lines_around_it() -> None:
    narrative = _narrative(
        'narrative background """\r\n'
        '      First paragraph, with "quotes" and a \\ backslash.   \r\n'
        "\r\n"
        "      - a list item\r\n"
        "        continued\r\n"
        '    """ provisional\n'
    )
    assert narrative.name == "background"
    assert narrative.text == (
        'First paragraph, with "quotes" and a \\ backslash.\n\n- a list item\n  continued'
    )
    assert [mark.kind for mark in narrative.marks] == ["provisional"]


_LINE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\\u2028\u2029'),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=6), st.sampled_from(["", "  ", "    "]))
def test_fmt_keeps_any_narrative_text(lines: list[str], indent: str) -> None:
    text = "\n".join(indent + line for line in lines).strip("\n")
    source = f"narrative background {_quoted(text)}\n"
    formatted = format_source(source)
    assert _narrative(formatted).text == text
    assert format_source(formatted) == formatted


def _quoted(text: str) -> str:
    from protocol_dsl.syntax.printer import quote

    return quote(text)


# ---------------------------------------------------------------- the document


@pytest.fixture(scope="module", params=REAL_SPECS, ids=lambda p: p.stem)
def real_document(request: pytest.FixtureRequest) -> tuple[Path, Document]:
    spec = compile_clean(request.param)
    return request.param, build_protocol(spec)


def _text_of(section: Section) -> str:
    from generators.documents.document import block_text

    return "\n".join(line for block in section.blocks for line in block_text(block))


def test_no_section_is_silently_empty(real_document: tuple[Path, Document]) -> None:
    _, document = real_document
    empty = [s.heading for s in document.all_sections() if not s.blocks and not s.subsections]
    assert empty == []


def test_every_part_to_be_completed_is_listed_at_the_front(
    real_document: tuple[Path, Document],
) -> None:
    _, document = real_document
    in_place = [
        s.number for s in document.all_sections() if s.number and "To be completed:" in _text_of(s)
    ]
    front = next(s for s in document.sections if s.id == "open-questions")
    [table] = [
        b
        for b in front.blocks
        if isinstance(b, Table) and b.caption == "Parts of the protocol to be completed"
    ]
    listed = [row[0][0].inlines[0].text for row in table.rows]  # type: ignore[union-attr]
    assert [n for n in listed if n != "Title page"] == in_place


def test_narratives_of_the_spec_are_shown_under_their_heading() -> None:
    spec = compile_clean(SPECS / "bliss52_belimumab_sle.trial")
    document = build_protocol(spec)
    sections = {s.title: s for s in document.all_sections()}
    for narrative in spec.narratives.values():
        section = sections[NARRATIVE_SECTIONS[narrative.name].heading]
        first_words = " ".join(narrative.text.split()[:6])
        assert first_words in " ".join(_text_of(section).split())
        assert "To be completed" not in _text_of(section)


def test_contraception_lists_the_criteria_on_pregnancy_when_women_enrol() -> None:
    spec = compile_clean(SPECS / "qls4131_sle_phase1b.trial")
    section = next(
        s for s in build_protocol(spec).all_sections() if s.id == "narrative-contraception"
    )
    text = _text_of(section)
    assert "Women of childbearing potential may enrol" in text
    assert "Pregnant or lactating women." in text
    assert "Pregnancy test (Screening laboratory tests)" in text
    assert "To be completed:" in text


def test_a_trial_of_men_needs_no_contraception_text_when_no_criterion_asks() -> None:
    source = (SPECS / "mgc018_first_in_human.trial").read_text(encoding="utf-8")
    source = re.sub(r"(?m)^(\s*sex\s+)\w+", r"\1male", source, count=1)
    spec = compile_clean(SPECS / "_men_only.trial", source)
    reproductive = [c.id for c in spec.criteria if re.search(r"pregnan|contracept", c.text, re.I)]
    section = next(
        s for s in build_protocol(spec).all_sections() if s.id == "narrative-contraception"
    )
    text = _text_of(section)
    assert "Only men enrol in this trial." in text
    assert ("To be completed:" in text) == bool(reproductive)


# ---------------------------------------------------------------- plain words

# identifiers a reader should never see: the storage names of library forms
_STORAGE = re.compile(r"\b[a-z0-9]+__[a-z0-9_]+\b")


def test_no_storage_name_reaches_a_reader(real_document: tuple[Path, Document]) -> None:
    path, document = real_document
    markdown = render(document, "protocol", with_toc=True)
    assert _STORAGE.findall(markdown) == [], path.name


def test_prose_names_forms_by_their_labels(real_document: tuple[Path, Document]) -> None:
    """Outside code-formatted cells (the data dictionary's item names), no form,
    define or score with a label is called by its identifier.  The open questions
    are left out: they quote the writers' own words, which may name the spec's
    identifiers on purpose."""
    path, document = real_document
    spec = compile_clean(path)
    named = {
        decl.name
        for owner in spec.all_specs()
        for decl in owner.module.declarations
        if isinstance(decl, m.Form | m.Define | m.Score) and decl.label and "_" in decl.name
    }
    words: set[str] = set()
    for section in document.all_sections():
        if section.id == "open-questions":
            continue
        for block in section.blocks:
            for paragraph in _paragraphs(block):
                if paragraph.style == "question":
                    continue  # an open question, in the writers' words
                for inline in paragraph.inlines:
                    if isinstance(inline, Text | Strong | Emphasis):
                        words |= set(re.findall(r"\b\w+\b", inline.text))
    assert sorted(named & words) == [], path.name


def _paragraphs(block: object) -> list[Paragraph]:
    if isinstance(block, Paragraph):
        return [block]
    if isinstance(block, ListBlock):
        return [p for item in block.items for p in item.blocks]
    if isinstance(block, Table):
        return [p for row in block.rows for cell in row for p in cell]
    return []


# ---------------------------------------------------------------- title page


def _title_rows(source: str) -> dict[str, str]:
    from generators.documents.document import plain

    spec = compile_clean(SPECS / "_title.trial", source)
    document = build_protocol(spec)
    rows: dict[str, str] = {}
    for block in document.title_blocks:
        if isinstance(block, Table):
            for row in block.rows:
                rows.setdefault(
                    plain(row[0][0].inlines), " ".join(plain(p.inlines) for p in row[1])
                )
    return rows


def test_title_page_names_each_identifier_and_the_signatory() -> None:
    source = (SPECS / "qls4131_sle_phase1b.trial").read_text(encoding="utf-8")
    registry = re.search(r"^  registry +NCT07001839\n", source, re.M)
    assert registry is not None
    source = source.replace(
        registry[0],
        registry[0] + '  registry "2025-512345-12-00"\n'
        '  ind "123456"\n'
        '  sponsor_address "No. 8888 Lvyou Road, Jinan, China"\n'
        '  sponsor_signatory "Dr Jane Roe, Chief Medical Officer"\n',
    )
    rows = _title_rows(source)
    assert rows["ClinicalTrials.gov identifier"] == "NCT07001839"
    assert rows["EU CT number"] == "2025-512345-12-00"
    assert rows["US IND number"] == "123456"
    assert rows["Sponsor address"] == "No. 8888 Lvyou Road, Jinan, China"
    assert rows["Name and title"] == "Dr Jane Roe, Chief Medical Officer"


def test_without_a_signatory_the_signature_block_is_to_be_completed() -> None:
    rows = _title_rows((SPECS / "qls4131_sle_phase1b.trial").read_text(encoding="utf-8"))
    assert rows["Name and title"].startswith("To be completed:")


def test_fmt_keeps_comments_around_a_text_block_out_of_the_text() -> None:
    source = (
        "# before\n"
        'narrative purpose """\n'
        "  The goal.\n\n  - a # is text here\n"
        '""" source "registry" # after the quotes\n'
        "  # between\n"
        'narrative background """\n  One.\n  Two.\n"""\n'
    )
    formatted = format_source(source)
    assert formatted == (
        "# before\n"
        'narrative purpose """\n'
        "  The goal.\n\n  - a # is text here\n"
        '""" source "registry"  # after the quotes\n'
        "# between\n"
        'narrative background """\n  One.\n  Two.\n"""\n'
    )
    assert _narrative(formatted.split("# between\n")[0]).text == ("The goal.\n\n- a # is text here")
