"""The XML element behind a python-docx paragraph, run, table or table row: the one
place that reaches it.

The Word writers build runs, cells and properties with lxml directly (the same XML
python-docx makes, at a fraction of the cost of its proxy objects), so they need the
element a proxy wraps.  python-docx's public API gives it for a paragraph and a run
(a paragraph's `paragraph_format` and a run's `font` are element proxies over the
paragraph's own `w:p` and the run's own `w:r`) but not for a table or a row: those are read here from the attribute python-docx keeps for them,
checked to be the element expected.  When a release of python-docx no longer has it,
the accessor raises `DocxChanged`, an internal error that names what went missing,
rather than writing a document half-built.  `tests/documents/test_docx_xml.py` runs
every accessor against the installed python-docx (and `.ci/newest` against its newest
release), and `tests/test_public_apis.py` keeps these attribute names out of every
other module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from protocol_dsl.errors import InternalError

if TYPE_CHECKING:
    from docx.oxml.table import CT_Row, CT_Tbl
    from docx.oxml.text.paragraph import CT_P
    from docx.oxml.text.run import CT_R
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

_Element = TypeVar("_Element")


class DocxChanged(InternalError):
    """The installed python-docx no longer exposes an element the Word writers build on."""


def paragraph_element(paragraph: Paragraph) -> CT_P:
    """The `w:p` element of a paragraph, through its public paragraph format."""
    from docx.oxml.text.paragraph import CT_P

    return _checked(paragraph.paragraph_format.element, CT_P, "a paragraph's format")


def run_element(run: Run) -> CT_R:
    """The `w:r` element of a run, through its public font."""
    from docx.oxml.text.run import CT_R

    return _checked(run.font.element, CT_R, "a run's font")


def table_element(table: Table) -> CT_Tbl:
    """The `w:tbl` element of a table: python-docx has no public way to it."""
    from docx.oxml.table import CT_Tbl

    return _checked(getattr(table, "_tbl", None), CT_Tbl, "a table")


def row_element(row: Any) -> CT_Row:
    """The `w:tr` element of a table row (an item of `Table.rows`, whose class python-docx
    keeps private, hence `Any`): python-docx has no public way to it."""
    from docx.oxml.table import CT_Row

    return _checked(getattr(row, "_tr", None), CT_Row, "a table row")


def _checked(element: object, expected: type[_Element], where: str) -> _Element:
    if not isinstance(element, expected):
        raise DocxChanged(
            f"python-docx no longer gives the {expected.__name__} element of {where} where "
            f"this version of protocol-dsl reads it (it found {type(element).__name__}); "
            "the Word writers need updating"
        )
    return element
