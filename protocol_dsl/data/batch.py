"""What every input reader produces: subject records with provenance, and bad rows.

A reader turns its input (JSON, JSON Lines, tables, SDTM datasets) into
`RawSubject`s in the one subject-record format, remembering where each part
came from, plus the rows it could not attach to any subject.  Nothing is
dropped silently: a row that cannot be read is a `DataProblem` with its row
number and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import attrs

from protocol_dsl.errors import UserError
from protocol_dsl.evaluate.subject import DataProblem, subject_id_of


class InputError(UserError):
    """An input that cannot be read at all (missing file, not JSON, unknown format)."""


@attrs.define
class RawSubject:
    """One subject record as read, before validation."""

    record: dict[str, Any]
    #: the id to report under when the record has none ("line 3")
    fallback_id: str
    #: (form storage name or "visits", visit or record index) → where it was read
    provenance: dict[tuple[str, Any], str] = attrs.Factory(dict)
    #: problems found while assembling the record (duplicate rows, unknown visits …)
    problems: list[DataProblem] = attrs.Factory(list)
    #: repeating forms (storage names) whose log the input declares complete for
    #: the subject: without records, the subject has none (an SDTM mapping's
    #: `complete medical_history for DM`)
    complete_forms: set[str] = attrs.Factory(set)

    def source_of(self, problem: DataProblem) -> str | None:
        """Where a problem's field was read: its row, else where the record starts."""
        if problem.form is not None:
            found = self.provenance.get((problem.form, problem.visit_or_record_index))
            if found is None:
                found = self.provenance.get((problem.form, None))
            if found is not None:
                return found
        return self.provenance.get(("", None))


def blank(value: Any) -> bool:
    """A cell that holds nothing: empty, only spaces, or NaN (a blank cell read by pandas)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def subject_record(subjects: dict[str, RawSubject], subject_id: str, where: str) -> RawSubject:
    """The record of `subject_id`, started (as read at `where`) on its first row."""
    subject = subjects.get(subject_id)
    if subject is None:
        subject = RawSubject({"subject_id": subject_id}, where)
        subject.provenance[("", None)] = where
        subjects[subject_id] = subject
    return subject


class StreamedSubjects(Protocol):
    """Subject records read again from their file each time they are walked, so that a
    report written subject by subject holds one record at a time (JSON Lines)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[RawSubject]: ...

    def subject_ids(self) -> list[str]:
        """The id each record is screened under, in order (read when the file was scanned)."""
        ...

    def sources(self) -> Sequence[str]:
        """Where each record starts ("subjects.jsonl line 3"), in order."""
        ...


@attrs.define
class Batch:
    """Everything read from the inputs of one `protocol screen` run."""

    subjects: list[RawSubject] = attrs.Factory(list)
    #: subjects read again from their file when walked, after `subjects` (see
    #: `read_inputs(streamed=True)`); walk `each_subject()` to see both
    streamed: list[StreamedSubjects] = attrs.Factory(list)
    #: rows or files that belong to no subject (no subject id, unreadable line, unknown table)
    problems: list[DataProblem] = attrs.Factory(list)
    #: (form storage name, item) pairs the input can supply; None: anything
    coverage: set[tuple[str, str]] | None = None
    #: forms the input can supply; None: any
    forms_supplied: set[str] | None = None

    def each_subject(self) -> Iterator[RawSubject]:
        """Every subject record, in input order."""
        yield from self.subjects
        for part in self.streamed:
            yield from part

    def subject_count(self) -> int:
        return len(self.subjects) + sum(len(part) for part in self.streamed)

    def ids_and_sources(self) -> tuple[list[str], Sequence[str]]:
        """The id each record is screened under and where it starts, in input order,
        without reading a streamed record again."""
        ids = [subject_id_of(raw.record, raw.fallback_id) for raw in self.subjects]
        parts: list[Sequence[str]] = [[raw.fallback_id for raw in self.subjects]]
        for part in self.streamed:
            ids += part.subject_ids()
            parts.append(part.sources())
        return ids, _Joined(parts)

    def extend(self, other: Batch) -> None:
        # input order is `subjects` then `streamed`: a batch streams only when every
        # input does (`read_inputs`), so no listed subject follows a streamed one
        self.subjects.extend(other.subjects)
        self.streamed.extend(other.streamed)
        self.problems.extend(other.problems)
        if other.coverage is not None:
            self.coverage = (self.coverage or set()) | other.coverage
        if other.forms_supplied is not None:
            self.forms_supplied = (self.forms_supplied or set()) | other.forms_supplied


class _Joined(Sequence[str]):
    """Several sequences read as one, without copying them."""

    def __init__(self, parts: list[Sequence[str]]) -> None:
        self._parts = parts

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        for part in self._parts:
            if index < len(part):
                return part[index]
            index -= len(part)
        raise IndexError(index)
