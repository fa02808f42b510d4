"""The schedule-of-activities artefact: soa.html, soa.docx and soa.csv.

The grid is the one the protocol prints in section 1.3 (`schedule.py`).  The
CSV has one column per visit, a few rows describing the visits above the
activity and form rows, and the footnotes below; it is written like every
CSV of the project (`protocol_dsl.csv_cells`): UTF-8, LF line ends, and every
cell a spreadsheet could read as a formula neutralised with a leading
apostrophe.
"""

from __future__ import annotations

from pathlib import Path

from generators.documents.document import Badge, Document, Section, Table, cell, para
from generators.documents.marks import MarkIndex
from generators.documents.protocol import write_html_and_docx
from generators.documents.schedule import Schedule, build_schedule, soa_table, visit_rows
from protocol_dsl.csv_cells import csv_bytes
from protocol_dsl.spec import Spec

DOC_KIND = "Schedule of activities"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    marks = MarkIndex(spec)
    schedule = build_schedule(spec)
    document = soa_document(spec, schedule, marks)
    html, word = write_html_and_docx(
        spec,
        document,
        out_dir / "soa",
        DOC_KIND,
        body_class="soa",
        with_toc=False,
        landscape=True,
    )
    table = out_dir / "soa.csv"
    table.write_bytes(soa_csv(schedule))
    return [html, word, table]


def soa_document(spec: Spec, schedule: Schedule, marks: MarkIndex) -> Document:
    title_field = spec.trial_field("title")
    title = str(title_field.value.value) if title_field else (spec.trial.name if spec.trial else "")
    blocks = [soa_table(schedule, marks), visit_rows(spec, marks)]
    sections = [Section("schedule-of-activities", "", "Schedule of activities", tuple(blocks))]
    used = _badge_targets(blocks)
    entries = [e for e in marks.provisional + marks.questions if e.anchor in used]
    if entries:
        from generators.documents.content import CAVEAT

        rows = tuple(
            (cell(f"{'Q' if e.text else 'P'}{e.number}"), cell(e.where), cell(e.text or e.value))
            for e in entries
        )
        sections.append(
            Section(
                "open-questions",
                "",
                "Provisional values and open questions",
                (
                    para(CAVEAT, style="caveat"),
                    Table(
                        (cell("#"), cell("Where"), cell("Value or question")),
                        rows,
                        anchors=tuple(e.anchor for e in entries),
                    ),
                ),
            )
        )
    subtitle = f"Protocol {spec.trial.name}" if spec.trial else ""
    return Document(title, subtitle, (), tuple(sections))


def _badge_targets(blocks: list[Table]) -> set[str]:
    targets: set[str] = set()
    for table in blocks:
        for row in (table.header, *table.rows):
            for c in row:
                for p in c:
                    targets.update(i.target for i in p.inlines if isinstance(i, Badge))
    return targets


def soa_csv(schedule: Schedule) -> bytes:
    """The grid as CSV: visit details, then one row per activity or form, then footnotes."""
    columns = schedule.columns
    header = ["Row", "Row type", "Footnotes", *(c.visit.name for c in columns)]
    rows: list[list[str]] = [
        ["Visit", "visit label", "", *(c.label for c in columns)],
        ["Planned day", "visit timing", "", *(c.day for c in columns)],
        ["Window", "visit timing", "", *(c.window for c in columns)],
        ["Epoch", "visit epoch", "", *(c.epoch for c in columns)],
        ["Status", "visit status", "", *("provisional" if c.provisional else "" for c in columns)],
        ["Visit footnotes", "visit footnotes", "", *(" ".join(c.footnotes) for c in columns)],
    ]
    for row in schedule.rows:
        rows.append(
            [row.label, row.kind, " ".join(row.footnotes), *("X" if at else "" for at in row.at)]
        )
    for note in schedule.footnotes:
        rows.append([note.key, "footnote", note.text, *("" for _ in columns)])
    return csv_bytes(header, rows)
