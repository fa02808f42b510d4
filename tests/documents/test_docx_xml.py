"""Every accessor of `docx_xml` against the installed python-docx.

The Word writers reach the XML behind python-docx's proxies through `docx_xml` alone;
these tests run each accessor on the objects python-docx makes, so a release that moves
or drops what an accessor reads fails here (`.ci/newest` runs them against the newest
python-docx), and check that the accessor then refuses with a clear internal error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generators.documents.docx_xml import (
    DocxChanged,
    paragraph_element,
    row_element,
    run_element,
    table_element,
)
from protocol_dsl.errors import InternalError

docx = pytest.importorskip("docx", reason="python-docx writes the Word files")


def test_a_paragraph_gives_its_own_element() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Inclusion criteria")
    element = paragraph_element(paragraph)
    assert element.tag == docx.oxml.ns.qn("w:p")
    assert element.getparent() is document.element.body
    # the element is live: what is built on it is what python-docx reads back
    element.append(run_element(document.add_paragraph().add_run(" and exclusion")))
    assert paragraph.text == "Inclusion criteria and exclusion"


def test_a_run_gives_its_own_element() -> None:
    run = docx.Document().add_paragraph().add_run("Screening")
    element = run_element(run)
    assert element.tag == docx.oxml.ns.qn("w:r")
    run.bold = True
    assert element.rPr is not None and element.rPr.b is not None


def test_a_table_and_its_rows_give_their_own_elements() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    tbl = table_element(table)
    assert tbl.tag == docx.oxml.ns.qn("w:tbl")
    assert tbl.getparent() is document.element.body
    assert [row_element(row) for row in table.rows] == list(tbl.tr_lst)
    tbl.tr_lst[1].tc_lst[2].append(docx.oxml.OxmlElement("w:p"))
    assert len(table.cell(1, 2).paragraphs) == 2


class _Moved:
    """A proxy as a later python-docx might make it: no element where it used to be."""


class _MovedFormat:
    element = None


class _MovedParagraph:
    paragraph_format = _MovedFormat()


class _MovedRun:
    font = _MovedFormat()


@pytest.mark.parametrize(
    ("accessor", "proxy"),
    [
        (paragraph_element, _MovedParagraph()),
        (run_element, _MovedRun()),
        (table_element, _Moved()),
        (row_element, _Moved()),
    ],
    ids=["paragraph", "run", "table", "row"],
)
def test_a_changed_python_docx_is_a_clear_internal_error(
    accessor: Callable[[Any], object], proxy: object
) -> None:
    with pytest.raises(DocxChanged, match=r"python-docx.*the Word writers need updating"):
        accessor(proxy)
    assert issubclass(DocxChanged, InternalError)
