"""The protocol with tracked changes: real Word revisions for exactly the words that changed.

The QLS4131 amendment (`amendment/qls4131_v2.trial`) against the real spec:
the tracked-changes Word file marks the changed words with `w:ins`/`w:del`
(signed with the sponsor and the amendment's date), accepting every revision
gives the new protocol's text and rejecting every one the old protocol's,
the file rebuilds byte for byte, and LibreOffice opens it (converted to PDF,
whose text holds the new wording).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.diff.amended_protocol import protocol_docx, tracked_protocol
from generators.diff.rationale import current_amendments
from generators.diff.tracked import paragraph_text, w
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from tests.diff.revisions import accept_all, document_root, paragraphs, reject_all

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "specs" / "qls4131_sle_phase1b.trial"
NEW = ROOT / "tests" / "diff" / "amendment" / "qls4131_v2.trial"


@pytest.fixture(scope="module")
def versions():  # type: ignore[no-untyped-def]
    old, new = compile_spec(str(OLD)).spec, compile_spec(str(NEW)).spec
    assert old is not None and new is not None
    return old, new


@pytest.fixture(scope="module")
def tracked(versions) -> bytes:  # type: ignore[no-untyped-def]
    old, new = versions
    return tracked_protocol(old, new, current_amendments(old, new))


def _revisions(root, kind: str, paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    return ["".join(mark.itertext()) for mark in paragraph if mark.tag == w(kind)]


def _paragraph_containing(root, words: str):  # type: ignore[no-untyped-def]
    found = [p for p in root.iter(w("p")) if words in "".join(p.itertext())]
    assert found, f"no paragraph with {words!r}"
    return found[0]


def test_the_changed_words_are_marked_and_nothing_else(tracked: bytes) -> None:
    root = document_root(tracked)
    title = _paragraph_containing(root, "Subjects With Systemic Lupus")
    assert _revisions(root, "del", title) == ["Ib"]
    assert _revisions(root, "ins", title) == ["1b", " for Injection"]
    criterion = _paragraph_containing(root, "Aged 18 to")
    assert _revisions(root, "del", criterion) == ["70"]
    assert _revisions(root, "ins", criterion) == ["75"]
    # the unchanged words of a changed paragraph stay plain runs
    plain = "".join(t.text for r in criterion if r.tag == w("r") for t in r.iter(w("t")))
    assert plain == "I1Aged 18 to  (inclusive);"


def test_a_new_criterion_is_an_inserted_paragraph(tracked: bytes) -> None:
    root = document_root(tracked)
    new_criterion = _paragraph_containing(root, "live or live-attenuated vaccine within 4 weeks")
    mark = new_criterion.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}")
    assert mark is not None, "the paragraph mark is not marked inserted"
    runs = [c for c in new_criterion if c.tag != w("pPr")]
    assert runs and all(c.tag == w("ins") for c in runs)


def test_revisions_are_signed_with_the_amendment(tracked: bytes) -> None:
    root = document_root(tracked)
    marks = [e for e in root.iter(w("ins"), w("del"))]
    assert marks
    assert {m.get(w("author")) for m in marks} == {"Qilu Pharmaceutical Co., Ltd."}
    assert {m.get(w("date")) for m in marks} == {"2025-09-15T00:00:00Z"}
    ids = [int(m.get(w("id"))) for m in marks]
    assert ids == list(range(1, len(ids) + 1))
    settings = zipfile.ZipFile(io.BytesIO(tracked)).read("word/settings.xml")
    assert b"trackRevisions" in settings


def test_accepting_every_revision_gives_the_new_protocol(versions, tracked: bytes) -> None:  # type: ignore[no-untyped-def]
    _old, new = versions
    assert paragraphs(accept_all(document_root(tracked))) == paragraphs(
        document_root(protocol_docx(new))
    )


def test_rejecting_every_revision_gives_the_old_protocol(versions, tracked: bytes) -> None:  # type: ignore[no-untyped-def]
    old, _new = versions
    assert paragraphs(reject_all(document_root(tracked))) == paragraphs(
        document_root(protocol_docx(old))
    )


def test_python_docx_reads_the_tracked_file(tracked: bytes) -> None:
    import docx

    document = docx.Document(io.BytesIO(tracked))
    # python-docx sees the runs outside revisions: the unchanged text of the new version
    assert any("Systemic Lupus Erythematosus" in p.text for p in document.paragraphs)
    assert document.tables


def test_the_same_specs_give_the_same_bytes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    outputs = []
    for name in ("a", "b"):
        tracked_file, clean_file = tmp_path / f"{name}.docx", tmp_path / f"{name}-clean.docx"
        result = CliRunner().invoke(
            cli,
            [
                "diff",
                str(OLD.relative_to(ROOT)),
                str(NEW.relative_to(ROOT)),
                "--tracked-changes",
                str(tracked_file),
                "--clean",
                str(clean_file),
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 4, result.output
        outputs.append((tracked_file.read_bytes(), clean_file.read_bytes()))
    assert outputs[0] == outputs[1]
    clean_root = document_root(outputs[0][1])
    assert not list(clean_root.iter(w("ins"), w("del")))
    assert any("Aged 18 to 75 (inclusive);" in text for text in paragraphs(clean_root))


def test_identical_versions_give_no_revision(versions) -> None:  # type: ignore[no-untyped-def]
    old, _new = versions
    same = tracked_protocol(old, old, ())
    assert not list(document_root(same).iter(w("ins"), w("del")))


def test_libreoffice_opens_the_tracked_file(tracked: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from pypdf import PdfReader

    source = tmp_path / "tracked.docx"
    source.write_bytes(tracked)
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "tracked.pdf"
    assert pdf.exists(), done.stderr.decode(errors="replace")
    text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
    words = " ".join(text.split())
    assert "for Injection" in words
    assert "live or live-attenuated vaccine" in words


def test_paragraph_text_reads_tabs_and_breaks() -> None:
    from lxml import etree

    paragraph = etree.fromstring(
        f'<w:p xmlns:w="{w("x")[1:-2]}"><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/></w:r></w:p>'
    )
    assert paragraph_text(paragraph) == "a\tb\n"


def _edited(spec: Path, *edits: tuple[str, str]):  # type: ignore[no-untyped-def]
    import re

    from protocol_dsl.commands.diff import compile_for_diff

    text = spec.read_text(encoding="utf-8")
    for pattern, replacement in edits:
        changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE | re.DOTALL)
        assert changed != text, pattern
        text = changed
    result = compile_for_diff(str(spec), text)
    assert result.spec is not None and result.ok, [d.message for d in result.diagnostics]
    return result.spec


#: (name, spec, edits): amendments whose revisions include deleted paragraphs and rows
_AMENDMENTS = (
    (
        "qls4131 criterion removed and reworded",
        OLD,
        (
            (r"^exclusion E7 .*?organ_transplant\n", ""),
            (
                r"opportunistic infections within 12 weeks",
                "opportunistic infections within 8 weeks",
            ),
        ),
    ),
    (
        "qls4131 assessment dropped",
        OLD,
        (
            (r"^activity ada_sampling .*?\n", ""),
            (r'"Adverse event review"', '"Review of adverse events"'),
        ),
    ),
    (
        "mgc018 eligibility and title",
        ROOT / "specs" / "mgc018_first_in_human.trial",
        (
            (
                r'^exclusion E2 "Pregnant or breastfeeding\."',
                'exclusion E2 "Pregnant or breast-feeding women."',
            ),
            (r'^  title +"', '  title "Amended: '),
        ),
    ),
)


@pytest.mark.parametrize(("name", "spec", "edits"), _AMENDMENTS, ids=[a[0] for a in _AMENDMENTS])
def test_accept_and_reject_give_each_version(name: str, spec: Path, edits) -> None:  # type: ignore[no-untyped-def]
    old = compile_spec(str(spec)).spec
    assert old is not None
    new = _edited(spec, *edits)
    for first, second in ((old, new), (new, old)):
        tracked = document_root(tracked_protocol(first, second, ()))
        assert list(tracked.iter(w("del"))) and list(tracked.iter(w("ins")))
        assert paragraphs(accept_all(tracked)) == paragraphs(document_root(protocol_docx(second)))
        assert paragraphs(reject_all(tracked)) == paragraphs(document_root(protocol_docx(first)))


def test_the_amendment_read_backwards_deletes_what_it_added(versions) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    backwards = document_root(tracked_protocol(new, old, ()))
    deleted = [
        p for p in backwards.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
    ]
    assert any(
        "live or live-attenuated vaccine within 4 weeks" in "".join(p.itertext()) for p in deleted
    )
    rows = [r for r in backwards.iter(w("tr")) if r.find(f"{w('trPr')}/{w('del')}") is not None]
    assert any("DL7" in "".join(r.itertext()) for r in rows)
    assert paragraphs(accept_all(backwards)) == paragraphs(document_root(protocol_docx(old)))


# ---------------------------------------------------------------- an invariant on any two documents

_WORDS = st.sampled_from(
    ["dose", "level", "18", "70", "75", "subjects", "(inclusive);", "—", "E11"]
)
_PARAGRAPH = st.lists(_WORDS, max_size=6).map(" ".join)
_CELLS = st.lists(_PARAGRAPH, min_size=2, max_size=2)


def _docx(paragraphs_: list[str], rows: list[list[str]]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs_:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=2)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("end")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_PARAGRAPH, max_size=6),
    st.lists(_PARAGRAPH, max_size=6),
    st.lists(_CELLS, min_size=1, max_size=4),
    st.lists(_CELLS, min_size=1, max_size=4),
)
def test_accept_gives_the_new_and_reject_the_old_document(  # type: ignore[no-untyped-def]
    old_paragraphs, new_paragraphs, old_rows, new_rows
) -> None:
    from generators.diff.tracked import Revision, compare_documents

    old, new = _docx(old_paragraphs, old_rows), _docx(new_paragraphs, new_rows)
    tracked = document_root(
        compare_documents(old, new, Revision("Sponsor", "2025-01-01T00:00:00Z"))
    )
    assert paragraphs(accept_all(tracked)) == paragraphs(document_root(new))
    assert paragraphs(reject_all(tracked)) == paragraphs(document_root(old))


def test_deleted_rows_keep_no_reference_to_the_old_footnotes() -> None:
    """A deleted SoA row carried a footnote of the old protocol: its copy in the tracked
    file keeps the mark as deleted text, and every footnote reference left points at a
    footnote of the file."""
    old = compile_spec(str(OLD)).spec
    assert old is not None
    new = _edited(OLD, (r"^activity crs_monitoring .*?\n.*?\n", ""))
    for first, second in ((old, new), (new, old)):
        data = tracked_protocol(first, second, ())
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            from lxml import etree

            notes = etree.fromstring(package.read("word/footnotes.xml"))
        ids = {n.get(w("id")) for n in notes.iter(w("footnote"))}
        root = document_root(data)
        references = [r.get(w("id")) for r in root.iter(w("footnoteReference"))]
        assert references and set(references) <= ids
        assert paragraphs(accept_all(root)) == paragraphs(document_root(protocol_docx(second)))
