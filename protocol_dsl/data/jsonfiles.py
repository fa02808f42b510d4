"""Subject records in JSON: one record (or a list of records) per file, or JSON Lines.

A JSON Lines file holds one record per line; a line that is not JSON, or not
a JSON object, is reported with its line number and the reading goes on.
The note `protocol witness` writes where it has no subject for a criterion
(``{"witness": {"kind": "unavailable", …}}``) is reported as a row not read,
not screened as an empty subject: its output can be screened as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from protocol_dsl.data.batch import Batch, InputError, RawSubject
from protocol_dsl.evaluate.subject import DataProblem


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
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            batch.problems.append(
                DataProblem(
                    None,
                    None,
                    None,
                    None,
                    _clip(line),
                    f"not valid JSON ({error.msg} at column {error.colno}); the line is skipped",
                    where,
                )
            )
            continue
        _add(batch, record, where)
    return batch


def _add(batch: Batch, record: Any, where: str) -> None:
    note = witness_note(record)
    if note is None:
        batch.subjects.append(_subject(record, where))
        return
    reason = "a note of protocol witness, not a subject: " + note
    batch.problems.append(DataProblem(None, None, None, None, None, reason, where))


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
