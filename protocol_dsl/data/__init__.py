"""Readers of subject data for `protocol screen`: every input format, one result.

`read_inputs` looks at each path and picks the reader: a JSON record (or a
list of records), JSON Lines, a folder (or files) of CSV / Parquet tables, a
DuckDB database file, or SDTM datasets (.xpt) read through the spec's
mapping.  ``-`` reads JSON or JSON Lines from standard input.  All readers
return a `Batch` of raw subject records in the JSON format plus the rows
they could not use; validation against the dictionary happens afterwards,
the same way for every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from protocol_dsl.data.batch import Batch, InputError, RawSubject
from protocol_dsl.evaluate.subject import DataDictionary
from protocol_dsl.spec import Spec

__all__ = ["Batch", "InputError", "RawSubject", "read_inputs"]

_TABLE_SUFFIXES = {".csv", ".parquet"}
_DUCKDB_SUFFIXES = {".duckdb", ".db", ".ddb"}


def read_inputs(
    spec: Spec,
    dictionary: DataDictionary,
    paths: Sequence[str],
    *,
    mapping: str | None = None,
    stdin_text: str | None = None,
    streamed: bool = False,
) -> Batch:
    """Read every input path into one batch; an unreadable input is an `InputError`.

    `streamed`: when every input is a JSON Lines file, its records are not held but
    read again as the batch is walked (`Batch.each_subject`), for a report written
    subject by subject in bounded memory."""
    from protocol_dsl.data import jsonfiles

    if streamed and paths and all(_is_json_lines_file(text) for text in paths):
        batch = Batch()
        for text in paths:
            batch.extend(jsonfiles.JsonLinesFile.scan(Path(text)))
        return batch
    batch = Batch()
    xpt: list[Path] = []
    table_files: list[Path] = []
    for text in paths:
        if text == "-":
            source = stdin_text or ""
            batch.extend(_json_or_lines(source, "<stdin>"))
            continue
        path = Path(text)
        if not path.exists():
            raise InputError(f"{text} does not exist")
        if path.is_dir():
            kinds = {p.suffix.lower() for p in path.iterdir() if p.is_file()}
            if ".xpt" in kinds:
                xpt.append(path)
            elif kinds & _TABLE_SUFFIXES:
                from protocol_dsl.data import tables

                batch.extend(tables.read_table_folder(dictionary, path))
            elif kinds & {".json", ".jsonl", ".ndjson"}:
                for file in sorted(path.iterdir()):
                    if file.suffix.lower() == ".json":
                        batch.extend(jsonfiles.read_json_file(file))
                    elif file.suffix.lower() in (".jsonl", ".ndjson"):
                        batch.extend(jsonfiles.read_jsonl_file(file))
            else:
                raise InputError(
                    f"{text} holds no subject data (JSON, JSON Lines, CSV, Parquet or .xpt files)"
                )
            continue
        suffix = path.suffix.lower()
        if suffix == ".json":
            batch.extend(jsonfiles.read_json_file(path))
        elif suffix in (".jsonl", ".ndjson"):
            batch.extend(jsonfiles.read_jsonl_file(path))
        elif suffix in _DUCKDB_SUFFIXES:
            from protocol_dsl.data import tables

            batch.extend(tables.read_duckdb(dictionary, path))
        elif suffix == ".xpt":
            xpt.append(path)
        elif suffix in _TABLE_SUFFIXES:
            table_files.append(path)
        else:
            raise InputError(
                f"{text}: unknown kind of input (expected .json, .jsonl, .csv, .parquet, "
                ".duckdb, .xpt or a folder of them)"
            )
    if table_files:
        from protocol_dsl.data import tables

        read = {p.stem: tables.read_table_file(p) for p in table_files}
        batch.extend(tables.tables_to_batch(dictionary, read))
    if xpt:
        from protocol_dsl.data import sdtm

        batch.extend(sdtm.read_sdtm(spec, dictionary, xpt, mapping))
    return batch


def _is_json_lines_file(text: str) -> bool:
    path = Path(text)
    return text != "-" and path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file()


def _json_or_lines(text: str, name: str) -> Batch:
    from protocol_dsl.data import jsonfiles

    try:
        return jsonfiles.read_json_text(text, name)
    except InputError:
        if len([line for line in text.splitlines() if line.strip()]) > 1:
            return jsonfiles.read_jsonl_text(text, name)
        raise
