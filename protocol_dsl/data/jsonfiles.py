"""Subject records in JSON: one record (or a list of records) per file, or JSON Lines.

A JSON Lines file holds one record per line; a line that is not JSON, or not
a JSON object, is reported with its line number and the reading goes on.
The note `protocol witness` writes where it has no subject for a criterion
(``{"witness": {"kind": "unavailable", …}}``) is reported as a row not read,
not screened as an empty subject: its output can be screened as it is.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from protocol_dsl.data.batch import Batch, InputError, RawSubject
from protocol_dsl.evaluate.subject import DataProblem, subject_id_of


def read_json_text(text: str, name: str) -> Batch:
    """One JSON document: a subject record or a list of them."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    batch = Batch()
    records = document if isinstance(document, list) else [document]
    for index, record in enumerate(records, start=1):
        where = name if len(records) == 1 and not isinstance(document, list) else f"{name}[{index}]"
        _add(batch, record, where)
    return batch


def read_jsonl_text(text: str, name: str) -> Batch:
    """JSON Lines: one subject record per non-blank line."""
    batch = Batch()
    lines = enumerate(text.split("\n"), start=1)
    for _number, where, record in _records(lines, name, batch):
        _add(batch, record, where)
    return batch


def _records(
    lines: Iterable[tuple[int, str]], name: str, batch: Batch
) -> Iterator[tuple[int, str, Any]]:
    """(line number, where, record) of each JSON line; a line that is not JSON is a problem of `batch`.

    Lines end at a line feed only, as JSON Lines defines them: a record may hold a
    line or paragraph separator (U+2028) in a text."""
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            batch.problems.append(_not_json(line, error, where))
            continue
        yield number, where, record


def _not_json(line: str, error: json.JSONDecodeError, where: str) -> DataProblem:
    return DataProblem(
        None,
        None,
        None,
        None,
        _clip(line.rstrip("\r\n")),
        f"not valid JSON ({error.msg} at column {error.colno}); the line is skipped",
        where,
    )


class JsonLinesFile:
    """The subject records of a JSON Lines file, read line by line each time they are walked.

    A report written subject by subject then holds one record at a time, however
    large the file.  The file is scanned once first for what is needed before the
    first subject is written: how many subjects, the id of each (a duplicated id is
    reported on every record that has it) and the lines that are no subject.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines = array("q")  # the line number of each subject record
        self._ids: list[str] = []

    @classmethod
    def scan(cls, path: Path) -> Batch:
        part = cls(path)
        batch = Batch()
        for number, where, record in _records(part._numbered_lines(), path.name, batch):
            note = witness_note(record)
            if note is not None:
                batch.problems.append(_witness_problem(note, where))
                continue
            part._lines.append(number)
            part._ids.append(subject_id_of(record, where))
        batch.streamed.append(part)
        return batch

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[RawSubject]:
        index = 0
        for number, line in self._numbered_lines():
            if index == len(self._lines) or number != self._lines[index]:
                continue
            where = f"{self.path.name} line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise self._changed() from None
            if witness_note(record) is not None or subject_id_of(record, where) != self._ids[index]:
                raise self._changed()
            yield _subject(record, where)
            index += 1
        if index != len(self._lines):
            raise self._changed()

    def _changed(self) -> InputError:
        # scanned and read apart: an edit in between would give a report of two files
        return InputError(f"{self.path} changed while it was being screened; screen it again")

    def subject_ids(self) -> list[str]:
        return self._ids

    def sources(self) -> Sequence[str]:
        return _LineSources(self.path.name, self._lines)

    def _numbered_lines(self) -> Iterator[tuple[int, str]]:
        try:
            with self.path.open("rb") as handle:
                for number, data in enumerate(handle, start=1):
                    line = data.decode("utf-8-sig" if number == 1 else "utf-8")
                    yield number, line
        except OSError as error:
            raise InputError(f"cannot read {self.path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise InputError(f"{self.path} is not UTF-8 text") from None


def _add(batch: Batch, record: Any, where: str) -> None:
    note = witness_note(record)
    if note is None:
        batch.subjects.append(_subject(record, where))
        return
    batch.problems.append(_witness_problem(note, where))


def _witness_problem(note: str, where: str) -> DataProblem:
    reason = "a note of protocol witness, not a subject: " + note
    return DataProblem(None, None, None, None, None, reason, where)


def witness_note(record: Any) -> str | None:
    """What a `protocol witness` "unavailable" entry says, None for anything else."""
    if not isinstance(record, dict) or set(record) != {"witness"}:
        return None
    witness = record["witness"]
    if not isinstance(witness, dict) or witness.get("kind") != "unavailable":
        return None
    what = witness.get("criterion") or "an eligible subject"
    return f"no witness for {what} ({witness.get('reason') or 'no reason given'})"


def _subject(record: Any, where: str) -> RawSubject:
    if isinstance(record, dict):
        subject = RawSubject(record, where)
    else:
        subject = RawSubject({}, where)
        subject.problems.append(
            DataProblem(None, None, None, None, _clip(json.dumps(record)), "not a JSON object")
        )
    subject.provenance[("", None)] = where
    return subject


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_json_file(path: Path) -> Batch:
    return read_json_text(_read(path), path.name)


def read_jsonl_file(path: Path) -> Batch:
    return read_jsonl_text(_read(path), path.name)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None


class _LineSources(Sequence[str]):
    """Where each record of a JSON Lines file starts, made when asked (a duplicated id)."""

    def __init__(self, name: str, lines: array[int]) -> None:
        self._name = name
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return f"{self._name} line {self._lines[index]}"
