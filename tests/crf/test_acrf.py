"""Annotated blank CRF: every field with its variable, mapping targets, escaped, printable."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from generators.crf import acrf
from generators.crf.forms import crf_forms
from tests.crf.support import REAL_SPECS, check_golden, hostile_spec, load_spec

GOLDEN = Path(__file__).parent / "golden"


class _Elements(HTMLParser):
    """Tags and external references of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_golden(stem: str, tmp_path: Path) -> None:
    (path,) = acrf.build(load_spec(stem), tmp_path)
    assert path == tmp_path / "crf" / "annotated_crf.html"
    check_golden(path.read_bytes(), GOLDEN / stem / "annotated_crf.html")


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_every_field_is_annotated_with_its_variable(stem: str) -> None:
    spec = load_spec(stem)
    html = acrf.render(spec)
    for form in crf_forms(spec):
        assert f'id="form-{form.storage_name}"' in html
        for field in form.fields:
            variable = f"{form.storage_name}.{field.name}"
            if field.kind == "attestation":
                variable = f"attestations.{field.name}"
            assert f'<span class="annotation variable">{variable}</span>' in html


def test_mapping_targets_and_codes_are_shown() -> None:
    html = acrf.render(load_spec("cdiscpilot01"))
    assert '<span class="annotation sdtm">DM.AGE</span>' in html
    assert '<span class="annotation sdtm">EX.EXDOSE (unit EX.EXDOSU)</span>' in html
    html = acrf.render(load_spec("qls4131_sle_phase1b"))
    assert '<span class="annotation code">LOINC 4485-9</span>' in html
    assert '<span class="annotation redcap">REDCap mh_onset</span>' in html


def test_answers_are_shaped_by_type() -> None:
    html = acrf.render(load_spec("qls4131_sle_phase1b"))
    assert '&#9744; Female <span class="value">female</span>' in html
    assert "YYYY-MM-DD" in html
    assert "(0 to 10)" in html  # C3's allowed range beside its box
    assert "Asked only when sex is Female." in html
    assert "Rule: age at screening is between 18 and 70 (inclusive)" in html


def test_page_is_self_contained_and_printable() -> None:
    html = acrf.render(load_spec("qls4131_sle_phase1b"))
    parsed = _parse(html)
    assert "script" not in parsed.tags
    assert parsed.external == []
    assert "@media print" in html and "page-break-before" in html


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    spec = load_spec("qls4131_sle_phase1b")
    first = acrf.build(spec, tmp_path / "a")[0].read_bytes()
    second = acrf.build(spec, tmp_path / "b")[0].read_bytes()
    assert first == second


def test_hostile_texts_are_escaped() -> None:
    html = acrf.render(hostile_spec())
    parsed = _parse(html)
    assert "script" not in parsed.tags and "b" not in parsed.tags and "i" not in parsed.tags
    assert "<script" not in html.lower()
    text = "".join(parsed.text)
    assert "<script>alert(1)</script> form & co" in text  # shown as text, exactly
    assert "Ünïcödé" in text
