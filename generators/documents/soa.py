"""The schedule-of-activities artefact: soa.html, soa.docx and soa.csv.

The grid is the one the protocol prints in section 1.3 (`schedule.py`), with
repeating columns grouped (`soa_groups.py`).  The CSV is for machines: it
keeps one column per visit of the expanded schedule (C1D1 … C17D1, SURV1 …
SURV8), never grouped, so that a filter on a column finds one visit.  A few
rows describing the visits come above the activity and form rows, and the
footnotes below.  When the schedule has cycles or repeats, four more rows
after "Visit footnotes" say where each visit comes from: "Series" (the cycle
or repeat), "Cycle" (its number), "Occurrence" (the repeat's count) and
"Printed in" (the heading of the grouped column the documents print it in,
e.g. "C5–C17 Day 1"), so that a reader can rebuild the grouping.  The CSV
is written like every
CSV of the project (`protocol_dsl.csv_cells`): UTF-8, LF line ends, and every
cell a spreadsheet could read as a formula neutralised with a leading
apostrophe.
"""

from __future__ import annotations

from pathlib import Path

from generators.documents.document import Badge, Document, Section, Table, cell, para
from generators.documents.marks import MarkIndex
from generators.documents.protocol import write_html_and_docx
from generators.documents.schedule import Schedule, build_schedule, visit_rows
from generators.documents.soa_groups import group_schedule, soa_blocks
from protocol_dsl.csv_cells import csv_bytes
from protocol_dsl.spec import Spec

DOC_KIND = "Schedule of activities"


def build(
    spec: Spec,
    out_dir: Path,
    *,
    reference_docx: bytes | None = None,
    paper_name: str | None = None,
) -> list[Path]:
    """Write soa.html, soa.docx and soa.csv (`reference_docx`, `paper_name`: as for the
    protocol)."""
    out_dir = Path(out_dir)
    marks = MarkIndex(spec)
    schedule = build_schedule(spec)
    document = soa_document(spec, group_schedule(spec, schedule), marks)
    html, word = write_html_and_docx(
        spec,
        document,
        out_dir / "soa",
        DOC_KIND,
        body_class="soa",
        with_toc=False,
        landscape=True,
        reference_docx=reference_docx,
        paper_name=paper_name,
    )
    table = out_dir / "soa.csv"
    table.write_bytes(soa_csv(schedule, group_schedule(spec, schedule)))
    return [html, word, table]


def soa_document(spec: Spec, schedule: Schedule, marks: MarkIndex) -> Document:
    title_field = spec.trial_field("title")
    title = str(title_field.value.value) if title_field else (spec.trial.name if spec.trial else "")
    blocks = [*soa_blocks(spec, schedule, marks), visit_rows(spec, marks)]
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


def soa_csv(schedule: Schedule, printed: Schedule | None = None) -> bytes:
    """The grid as CSV: visit details, then one row per activity or form, then footnotes;
    `printed` (the grouped grid) adds where each visit is printed."""
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
    if any(c.visit.series for c in columns):
        printed_in = _printed_in(printed or schedule)
        rows += [
            ["Series", "visit series", "", *(c.visit.series or "" for c in columns)],
            ["Cycle", "visit cycle", "", *(_number(c.visit.cycle) for c in columns)],
            ["Occurrence", "visit occurrence", "", *(_number(c.visit.occurrence) for c in columns)],
            [
                "Printed in",
                "visit column",
                "",
                *(printed_in.get(c.visit.name, "") for c in columns),
            ],
        ]
    for row in schedule.rows:
        rows.append(
            [row.label, row.kind, " ".join(row.footnotes), *("X" if at else "" for at in row.at)]
        )
    for note in schedule.footnotes:
        rows.append([note.key, "footnote", note.text, *("" for _ in columns)])
    return csv_bytes(header, rows)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _printed_in(printed: Schedule) -> dict[str, str]:
    """Each visit's printed column heading: the cycle group and the column's label."""
    out: dict[str, str] = {}
    for column in printed.columns:
        heading = f"{column.group} {column.label}" if column.group else column.label
        for visit in column.visits or (column.visit,):
            out[visit.name] = heading
    return out
