"""The statuses report: what every engine decides, in one layout, row for row.

`protocol screen --report statuses` writes, for each input subject, its
overall status, the criteria decided against it (`failed`), the criteria
still unknown (`unknown`), each criterion's status and, for a stratified
design, an eligible subject's stratum, plus the engine that decided.  The
interpreter and the SQL engines decide exactly these, so their reports are
the same bytes; the full report (data still needed, evidence, edit checks,
invalid values, the row each subject was read from) is the interpreter's.

Rows are sorted by subject id (a subject id used by several input records
keeps its records in input order), so that an engine that sorts in SQL and
one that screens record by record write the same file.  The rows are written
as they come: the report never holds the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

from protocol_dsl import allocation
from protocol_dsl.spec import Spec

if TYPE_CHECKING:  # a type only: the SQL engines' reports never load the interpreter
    from protocol_dsl.evaluate.interpreter import SubjectResult

#: Status of a criterion in the report.
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@attrs.frozen
class StatusRow:
    """One subject's statuses as an engine decided them."""

    subject_id: str
    status: str  # eligible | ineligible | indeterminate
    criteria: dict[str, str]  # criterion id → met | not_met | unknown, in the spec's order
    #: an eligible subject's stratum of each factor (None: the design is not stratified)
    strata: dict[str, str] | None = None


@attrs.frozen
class Layout:
    """What the report's columns are, from the spec."""

    criteria: tuple[tuple[str, str], ...]  # (id, inclusion | exclusion)
    factors: tuple[str, ...]

    @classmethod
    def of(cls, spec: Spec) -> Layout:
        randomisation = spec.randomisation
        factors = tuple(f.name for f in randomisation.factors) if randomisation else ()
        return cls(tuple((c.id, c.kind) for c in spec.criteria), factors)

    def failed(self, row: StatusRow) -> list[str]:
        """Criteria decided against the subject: inclusions not met, exclusions met."""
        against = {"inclusion": NOT_MET, "exclusion": MET}
        return [cid for cid, kind in self.criteria if row.criteria[cid] == against[kind]]

    def unknown(self, row: StatusRow) -> list[str]:
        return [cid for cid, _kind in self.criteria if row.criteria[cid] == UNKNOWN]

    def stratum(self, row: StatusRow) -> str | None:
        return allocation.subject_stratum(row.strata) if row.strata else None

    @property
    def csv_header(self) -> list[str]:
        strata = [*(f"stratum_{f}" for f in self.factors), "stratum"] if self.factors else []
        criteria = [c for c, _ in self.criteria]
        return ["subject_id", "status", "failed", "unknown", *criteria, *strata, "engine"]

    def csv_cells(self, row: StatusRow, engine: str) -> list[str | None]:
        cells: list[str | None] = [
            row.subject_id,
            row.status,
            " ".join(self.failed(row)),
            " ".join(self.unknown(row)),
            *(row.criteria[cid] for cid, _ in self.criteria),
        ]
        if self.factors:
            strata = row.strata or {}
            cells += [*(strata.get(f) for f in self.factors), self.stratum(row)]
        cells.append(engine)
        return cells

    def json_entry(self, row: StatusRow, engine: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "subject_id": row.subject_id,
            "status": row.status,
            "failed": self.failed(row),
            "unknown": self.unknown(row),
            "criteria": dict(row.criteria),
        }
        if self.factors:
            entry["strata"] = dict(row.strata or {})
            entry["stratum"] = self.stratum(row)
        entry["engine"] = engine
        return entry


def from_result(result: SubjectResult) -> StatusRow:
    """The statuses of an interpreter's `SubjectResult`."""
    return StatusRow(
        result.subject_id,
        result.status,
        {cid: c.status for cid, c in result.criteria.items()},
        result.strata,
    )


def in_report_order(rows: Iterable[StatusRow]) -> list[StatusRow]:
    """Rows sorted by subject id; records of one id keep their input order (a stable sort)."""
    return sorted(rows, key=lambda row: row.subject_id)


def write_csv(layout: Layout, rows: Iterable[StatusRow], engine: str, out: IO[bytes]) -> int:
    """The CSV report, cell for cell as `csv_cells.csv_bytes` writes it, as the rows come."""
    import csv
    import io

    from protocol_dsl.csv_cells import cell, neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in layout.csv_header])
    count = 0
    for chunk in _chunks(rows, 4096):
        writer.writerows([cell(v) for v in layout.csv_cells(r, engine)] for r in chunk)
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
        count += len(chunk)
    out.write(buffer.getvalue().encode("utf-8"))
    return count


def write_jsonl(layout: Layout, rows: Iterable[StatusRow], engine: str, out: IO[bytes]) -> int:
    """One subject per line, compact JSON (the text the SQL engine's own writer gives)."""
    count = 0
    for chunk in _chunks(rows, 4096):
        text = "".join(
            json.dumps(layout.json_entry(r, engine), ensure_ascii=False, separators=(",", ":"))
            + "\n"
            for r in chunk
        )
        out.write(text.encode("utf-8"))
        count += len(chunk)
    return count


def _chunks(rows: Iterable[StatusRow], size: int) -> Iterator[Sequence[StatusRow]]:
    chunk: list[StatusRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
