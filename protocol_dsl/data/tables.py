"""Subject data as tables: a folder of CSV or Parquet files, or a DuckDB database.

One table per form, named by the form's storage name: a non-repeating form
has the columns ``subject_id, visit, <items…>``, a repeating form
``subject_id, <items…>`` (one row per record).  A quantity column holds
numbers in the item's declared unit; an optional ``<item>__unit`` column gives
another unit row by row.  Three more tables are optional: ``visits``
(``subject_id, visit, date``), ``attestations`` (``subject_id, criterion,
attested``) and ``subjects`` (``subject_id, arm, dose_level``).

Rows become subject records in the JSON format; every row that cannot be used
(no subject id, no visit) is reported with its row number, and so is every
table or column the spec does not know.  Several rows of a subject at one
visit are read as one: an item they give the same value is read once, an item
they give different values is unknown (`_Assembler._agreed_row`).  The same
rule holds for the one value of each key of the other tables: a visit's date,
a criterion's attestation, a subject's arm and dose level (`_Assembler._read_once`).
The writers at the end turn subject records back into such tables.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from protocol_dsl.data.batch import Batch, InputError, RawSubject, blank, subject_record
from protocol_dsl.evaluate.subject import (
    MISSING,
    BadValue,
    DataDictionary,
    DataProblem,
    FormInfo,
    ItemInfo,
    read_date,
    read_yes_no,
)

UNIT_SUFFIX = "__unit"
EXTRA_TABLES = ("subjects", "visits", "attestations")
#: The columns of the subjects table, and how a message names each.
ASSIGNMENTS = ("arm", "dose_level")
ASSIGNMENT_WORDS = {"arm": "arm", "dose_level": "dose level"}


@attrs.frozen
class Table:
    """A table as read: its columns, its rows and how to name a row in a message."""

    name: str
    columns: tuple[str, ...]
    rows: Sequence[Mapping[str, Any]]
    row_labels: Sequence[str]
    #: rows that could not be split into cells: (row label, reason)
    bad_rows: Sequence[tuple[str, str]] = ()


def _text_id(value: Any) -> str | None:
    if blank(value):
        return None
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


class _Assembler:
    """Builds subject records from rows, in order of first appearance."""

    def __init__(self, dictionary: DataDictionary) -> None:
        self.dictionary = dictionary
        self.subjects: dict[str, RawSubject] = {}
        self.batch = Batch()

    def subject(self, subject_id: str, where: str) -> RawSubject:
        return subject_record(self.subjects, subject_id, where)

    def row_subject(self, table: Table, row: Mapping[str, Any], where: str) -> RawSubject | None:
        subject_id = _text_id(row.get("subject_id"))
        if subject_id is None:
            self.batch.problems.append(
                DataProblem(
                    None,
                    table.name,
                    None,
                    "subject_id",
                    None,
                    "the row has no subject id; it is skipped",
                    where,
                )
            )
            return None
        return self.subject(subject_id, where)

    def problem(
        self,
        subject: RawSubject,
        form: str,
        position: Any,
        reason: str,
        where: str,
        item: str | None = None,
        value: Any = None,
    ) -> None:
        subject.problems.append(
            DataProblem(subject.record["subject_id"], form, position, item, value, reason, where)
        )

    # ------------------------------------------------------------ tables

    def read(self, tables: Mapping[str, Table]) -> Batch:
        order = [name for name in EXTRA_TABLES if name == "subjects"]
        order += ["visits"]
        order += [info.storage for info in self.dictionary.forms.values()]
        order += ["attestations"]
        for read_table in tables.values():
            for where, reason in read_table.bad_rows:
                self.batch.problems.append(
                    DataProblem(None, read_table.name, None, None, None, reason, where)
                )
        for name in order:
            table = tables.get(name)
            if table is None:
                continue
            if not self._has_column(table, "subject_id"):
                continue
            if name == "subjects":
                self._subjects_table(table)
            elif name == "visits":
                self._visits_table(table)
            elif name == "attestations":
                self._attestations_table(table)
            else:
                self._form_table(self.dictionary.forms[name], table)
        for name, table in tables.items():
            if name not in order:
                self.batch.problems.append(
                    DataProblem(
                        None,
                        name,
                        None,
                        None,
                        None,
                        f"the table '{name}' is not a form of the spec; its {len(table.rows)} "
                        "rows are not read",
                        name,
                    )
                )
        self.batch.subjects = list(self.subjects.values())
        return self.batch

    def _column_problem(self, table: Table, column: str, reason: str) -> None:
        self.batch.problems.append(
            DataProblem(None, table.name, None, column, None, reason, table.name)
        )

    def _has_column(self, table: Table, column: str) -> bool:
        if column in table.columns:
            return True
        reason = f"the table has no {column} column; its {len(table.rows)} rows are not read"
        self._column_problem(table, column, reason)
        return False

    def _unknown_columns(self, table: Table, known: Iterable[str]) -> None:
        allowed = set(known) | {"subject_id"}
        for column in table.columns:
            if column not in allowed:
                reason = f"'{column}' is not a column of this table; it is not read"
                self._column_problem(table, column, reason)

    def _subjects_table(self, table: Table) -> None:
        self._unknown_columns(table, ASSIGNMENTS)
        by_subject: dict[str, tuple[RawSubject, list[tuple[str, Mapping[str, Any]]]]] = {}
        for row, where in zip(table.rows, table.row_labels, strict=True):
            subject = self.row_subject(table, row, where)
            if subject is None:
                continue
            rows = by_subject.setdefault(subject.record["subject_id"], (subject, []))[1]
            if rows:
                self.problem(
                    subject,
                    "subjects",
                    None,
                    f"a second row for this subject (the first is {rows[0][0]}); an arm or "
                    "dose level given differently by the rows is read as unknown",
                    where,
                )
            rows.append((where, row))
        readers = {
            "arm": _assignment_reader(self.dictionary.arms, "an arm"),
            "dose_level": _assignment_reader(self.dictionary.dose_levels, "a dose level"),
        }
        for subject, rows in by_subject.values():
            for key in ASSIGNMENTS:
                given = [(where, row.get(key)) for where, row in rows]
                value, source = self._read_once(
                    subject,
                    given,
                    readers[key],
                    "subjects",
                    None,
                    key,
                    f"the subject's {ASSIGNMENT_WORDS[key]}",
                )
                if value is not None and source is not None:
                    subject.record[key] = str(value).strip()
                    subject.provenance[(key, None)] = source

    def _visits_table(self, table: Table) -> None:
        self._unknown_columns(table, ("visit", "date"))
        missing = "the row has no visit; it is skipped"
        keyed = self._keyed_rows(table, "visits", "visit", missing)
        for subject, visit, rows in self._rows_by_key(keyed, "date", "visits", True).values():
            visits = subject.record.setdefault("visits", {})
            date, where = self._read_once(
                subject, rows, read_date, "visits", visit, "date", f"the date of {visit}"
            )
            visits[visit] = date
            subject.provenance[("visits", visit)] = where or rows[0][0]

    def _attestations_table(self, table: Table) -> None:
        self._unknown_columns(table, ("criterion", "attested"))
        missing = "the row has no criterion id"
        keyed = self._keyed_rows(table, "attestations", "criterion", missing)
        by_criterion = self._rows_by_key(keyed, "attested", "attestations", False)
        for subject, criterion, rows in by_criterion.values():
            attestations = subject.record.setdefault("attestations", {})
            value, where = self._read_once(
                subject,
                rows,
                read_yes_no,
                "attestations",
                None,
                criterion,
                f"the attestation of {criterion}",
            )
            attestations[criterion] = value
            subject.provenance[("attestations", None)] = where or rows[0][0]

    def _keyed_rows(
        self, table: Table, form: str, column: str, missing: str
    ) -> Iterator[tuple[RawSubject, Mapping[str, Any], str, str]]:
        """The rows of a table keyed by `column`, with their subject and key.

        A row without a known subject, or without a key (reported as `missing`),
        is skipped.
        """
        for row, where in zip(table.rows, table.row_labels, strict=True):
            subject = self.row_subject(table, row, where)
            if subject is None:
                continue
            key = _text_id(row.get(column))
            if key is None:
                self.problem(subject, form, None, missing, where)
                continue
            yield subject, row, where, key

    def _rows_by_key(
        self,
        keyed: Iterable[tuple[RawSubject, Mapping[str, Any], str, str]],
        column: str,
        form: str,
        by_visit: bool,
    ) -> dict[tuple[str, str], tuple[RawSubject, str, list[tuple[str, Any]]]]:
        """The cells of `column` (where, value) of each subject and key, in order of the rows.

        Every row after a key's first is reported, as a visit's (`by_visit`) or a
        criterion's.
        """
        found: dict[tuple[str, str], tuple[RawSubject, str, list[tuple[str, Any]]]] = {}
        for subject, row, where, key in keyed:
            cells = found.setdefault((subject.record["subject_id"], key), (subject, key, []))[2]
            if cells:
                first = cells[0][0]
                if by_visit:
                    self.problem(
                        subject,
                        form,
                        key,
                        f"a second row for this visit (the first is {first}); dates given "
                        "differently by the rows are read as unknown",
                        where,
                        None,
                        row.get(column),
                    )
                else:
                    self.problem(
                        subject,
                        form,
                        None,
                        f"a second row for this criterion (the first is {first}); answers "
                        "given differently by the rows are read as unknown",
                        where,
                        key,
                        row.get(column),
                    )
            cells.append((where, row.get(column)))
        return found

    def _read_once(
        self,
        subject: RawSubject,
        cells: Sequence[tuple[str, Any]],
        read: Callable[[Any], Any],
        form: str,
        position: str | None,
        item: str,
        named: str,
    ) -> tuple[Any, str | None]:
        """The one value the rows of one key give (each row's cell, `where` it is), and
        where it is read from: None when none gives one or when they disagree.

        The rule of a form's rows at one visit (`_agreement`): the values as read
        are compared; the one they agree on is read once; values that differ are
        reported row by row, and read as unknown.
        """
        given = [(where, value) for where, value in cells if not blank(value)]
        if not given:
            return None, None
        agreement = _agreement(given, lambda value: _read_as(read, value))
        for where, value, reason in agreement.unread:
            self.problem(
                subject,
                form,
                position,
                f"{reason}; the value of another row is read ({agreement.source})",
                where,
                item,
                value,
            )
        if agreement.disagreement is not None:
            self.problem(
                subject,
                form,
                position,
                f"{agreement.disagreement}: the rows disagree on {named}; it is read as unknown",
                cells[-1][0],
                item,
                None,
            )
            return None, None
        return agreement.kept, agreement.source

    def _form_table(self, info: FormInfo, table: Table) -> None:
        items = list(info.items)
        unit_columns = [f"{name}{UNIT_SUFFIX}" for name in items]
        known = items + unit_columns + ([] if info.repeating else ["visit"])
        self._unknown_columns(table, known)
        # each item's column with its unit column, if the table has one
        present = [
            (name, f"{name}{UNIT_SUFFIX}" if f"{name}{UNIT_SUFFIX}" in table.columns else None)
            for name in items
            if name in table.columns
        ]
        # several rows of a subject at one visit, in order: compared once all are read
        same_visit: dict[tuple[str, str], tuple[RawSubject, str, list[tuple[str, Any]]]] = {}
        for row, where in zip(table.rows, table.row_labels, strict=True):
            subject = self.row_subject(table, row, where)
            if subject is None:
                continue
            record: dict[str, Any] = {}
            for name, unit_column in present:
                value = row.get(name)
                # `blank`, its commonest answer first: a typed column's empty cell is None
                if value is None or (isinstance(value, (str, float)) and blank(value)):
                    continue
                if unit_column is not None and not blank(row.get(unit_column)):
                    value = {"value": value, "unit": str(row[unit_column]).strip()}
                record[name] = value.isoformat() if isinstance(value, _dt.datetime) else value
            forms = subject.record.setdefault("forms", {})
            if info.repeating:
                records = forms.setdefault(info.storage, [])
                subject.provenance[(info.storage, len(records))] = where
                records.append(record)
                continue
            visit = _text_id(row.get("visit"))
            if visit is None:
                self.problem(
                    subject, info.storage, None, "the row has no visit; it is skipped", where
                )
                continue
            by_visit = forms.setdefault(info.storage, {})
            if visit in by_visit:
                first = subject.provenance[(info.storage, visit)]
                self.problem(
                    subject,
                    info.storage,
                    visit,
                    f"a second row for this visit (the first is {first}); an item given "
                    "different values by the rows is read as unknown",
                    where,
                )
                key = (subject.record["subject_id"], visit)
                rows = same_visit.setdefault(key, (subject, visit, []))[2]
                if not rows:
                    rows.append((first, by_visit[visit]))
                rows.append((where, record))
                continue
            by_visit[visit] = record
            subject.provenance[(info.storage, visit)] = where
        for subject, visit, rows in same_visit.values():
            self._agreed_row(info, subject, visit, rows)

    def _agreed_row(
        self,
        info: FormInfo,
        subject: RawSubject,
        visit: str,
        rows: Sequence[tuple[str, dict[str, Any]]],
    ) -> None:
        """Several rows of one subject at one visit, read as one row.

        For each item, the values the rows give (missing and unreadable ones left
        out, as SQL's MIN and MAX leave out NULL) are compared as read: in the
        item's unit, so 5.5 and 5.50 agree.  The value they agree on is read once;
        when they disagree, the item is unknown at that visit and the values are
        reported row by row.  The first row, kept in the subject's record, is
        changed to that outcome.
        """
        kept = rows[0][1]
        names = {name: None for _where, record in rows for name in record}
        for name in names:
            item = info.items.get(name)
            given = [(where, record[name]) for where, record in rows if name in record]
            if item is None or (len(given) < 2 and name in kept):
                continue
            agreement = _agreement(given, functools.partial(_read, item))
            if agreement.disagreement is not None:
                kept.pop(name, None)
                self.problem(
                    subject,
                    info.storage,
                    visit,
                    f"{agreement.disagreement}: the rows for this visit disagree on {name} at "
                    f"{visit}; it is read as unknown",
                    rows[-1][0],
                    name,
                    None,
                )
                continue
            kept[name] = agreement.kept
            for where, value, reason in agreement.unread:
                self.problem(
                    subject,
                    info.storage,
                    visit,
                    f"{reason}; the value of another row for this visit is read "
                    f"({agreement.source})",
                    where,
                    name,
                    value,
                )


@attrs.frozen
class _Agreement:
    """What several rows give for one value, compared as read (`_agreement`)."""

    #: the value read once, as the first row that gives it writes it (None on a disagreement)
    kept: Any
    #: where `kept` comes from
    source: str | None
    #: values that cannot be read beside the one read: (where, value, why)
    unread: tuple[tuple[str, Any, str], ...]
    #: "line 2 gives 5.5, line 3 gives 9.5" when the rows disagree, else None
    disagreement: str | None


def _agreement(given: Sequence[tuple[str, Any]], read: Callable[[Any], Any]) -> _Agreement:
    """The rule for several rows of one key: the values they give (`given`, missing ones
    already left out) are compared as `read` reads them (an `_Unread` is left out, as
    SQL's MIN and MAX leave out NULL).

    One value as read: the first row that gives it is kept.  None can be read: the
    first is kept, so that its problem is reported where it is read.  Several
    values: a disagreement, naming every row's value.
    """
    read_values = [(where, value, read(value)) for where, value in given]
    readable = [(w, value, key) for w, value, key in read_values if not isinstance(key, _Unread)]
    distinct: list[Any] = []
    for _where, _value, key in readable:
        if key not in distinct:
            distinct.append(key)
    if not distinct:
        return _Agreement(given[0][1], given[0][0], (), None)
    if len(distinct) == 1:
        source, kept, _key = readable[0]
        unread = tuple(
            (where, value, key.reason)
            for where, value, key in read_values
            if isinstance(key, _Unread)
        )
        return _Agreement(kept, source, unread, None)
    found = ", ".join(
        f"{where} gives {_shown(value)}"
        + (f" (not read: {key.reason})" if isinstance(key, _Unread) else "")
        for where, value, key in read_values
    )
    return _Agreement(None, None, (), found)


@attrs.frozen
class _Unread:
    """What `_read` gives for a value the item cannot hold: left out of the comparison."""

    reason: str


def _read(item: ItemInfo, value: Any) -> Any:
    """A row's value as the comparison of several rows sees it.

    The value as read (converted to the item's unit, valid), which is what the
    SQL engines compare; a partial date is compared as written, since SQL
    imputes its day only where it is read.
    """
    if item.kind == "date" and item.item.partial:
        return str(value)
    return _read_as(item.converter, value)


def _read_as(convert: Callable[[Any], Any], value: Any) -> Any:
    """`value` as `convert` reads it, or an `_Unread` that says why it cannot be."""
    try:
        converted = convert(value)
    except BadValue as error:
        return _Unread(str(error))
    if converted is MISSING:
        return _Unread("missing")
    return converted[0] if isinstance(converted, tuple) else converted


def _assignment_reader(names: Sequence[str], word: str) -> Callable[[Any], Any]:
    """The reader of an arm or a dose level: one of `names`, as the record reader wants it."""

    def read(value: Any) -> Any:
        text = str(value).strip()
        if text not in names:
            known = ", ".join(names) or "none declared"
            raise BadValue(f"'{text}' is not {word} ({known})")
        return text

    return read


def _shown(value: Any) -> str:
    """A cell as written, with its unit when the row gives one."""
    if isinstance(value, dict):
        return f"{value.get('value')} {value.get('unit')}"
    return _csv_cell(value)


def tables_to_batch(dictionary: DataDictionary, tables: Mapping[str, Table]) -> Batch:
    """Subject records from tables named by storage name (plus visits, attestations, subjects)."""
    return _Assembler(dictionary).read(tables)


# ---------------------------------------------------------------- reading files


def read_table_folder(dictionary: DataDictionary, folder: Path) -> Batch:
    """A folder of CSV and/or Parquet files, one per table."""
    return tables_to_batch(dictionary, _folder_tables(folder, {".csv", ".parquet"}))


def _folder_tables(folder: Path, suffixes: set[str]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file())
    if not files:
        raise InputError(f"{folder} holds no CSV or Parquet tables")
    for path in files:
        name = path.stem
        if name in tables:
            raise InputError(f"{folder} holds two tables named '{name}'")
        tables[name] = read_table_file(path)
    return tables


def read_table_file(path: Path) -> Table:
    """One CSV or Parquet file as a table named by the file name."""
    return _read_csv(path) if path.suffix.lower() == ".csv" else _read_parquet(path)


def _read_csv(path: Path) -> Table:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        return Table(path.stem, (), [], [])
    except csv.Error as error:
        raise InputError(f"{path}: {error}") from None
    columns = tuple(h.strip() for h in header)
    if len(set(columns)) != len(columns):
        raise InputError(f"{path}: a column name appears twice in the header")
    rows: list[dict[str, Any]] = []
    labels: list[str] = []
    bad: list[tuple[str, str]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = f"{path.name} line {reader.line_num}"
            if len(cells) != len(columns):
                reason = (
                    f"the row has {len(cells)} cells and the header {len(columns)}; it is skipped"
                )
                bad.append((line, reason))
                continue
            rows.append(dict(zip(columns, cells, strict=True)))
            labels.append(line)
    except csv.Error as error:
        raise InputError(f"{path} line {reader.line_num}: {error}") from None
    return Table(path.stem, columns, rows, labels, bad)


def _read_parquet(path: Path) -> Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read {path} as Parquet: {error}") from None
    rows = table.to_pylist()
    labels = [f"{path.name} row {i}" for i in range(1, len(rows) + 1)]
    return Table(path.stem, tuple(table.column_names), rows, labels)


def read_duckdb(dictionary: DataDictionary, path: Path) -> Batch:
    """The tables of a DuckDB database file (schema main)."""
    import duckdb

    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise InputError(f"cannot open {path} as a DuckDB database: {error}") from None
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        tables: dict[str, Table] = {}
        for name in names:
            relation = connection.table(name)
            columns = tuple(relation.columns)
            rows = [dict(zip(columns, values, strict=True)) for values in relation.fetchall()]
            labels = [f"{path.name} table {name} row {i}" for i in range(1, len(rows) + 1)]
            tables[name] = Table(name, columns, rows, labels)
    finally:
        connection.close()
    return tables_to_batch(dictionary, tables)


# ---------------------------------------------------------------- writing tables


def subjects_to_tables(
    dictionary: DataDictionary, subjects: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Subject records (JSON format) as tables: name → (columns, rows).

    Quantities given as ``{"value", "unit"}`` fill the ``<item>__unit`` column;
    every table of the dictionary is present, empty or not, so that SQL over
    the tables always finds them.
    """
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "subjects": (["subject_id", "arm", "dose_level"], []),
        "visits": (["subject_id", "visit", "date"], []),
        "attestations": (["subject_id", "criterion", "attested"], []),
    }
    units_used: dict[str, set[str]] = {}
    subjects = list(subjects)
    for subject in subjects:
        for storage, content in (subject.get("forms") or {}).items():
            records = content if isinstance(content, list) else list((content or {}).values())
            for record in records:
                for item, value in (record or {}).items():
                    if isinstance(value, dict):
                        units_used.setdefault(storage, set()).add(item)
    for form_info in dictionary.forms.values():
        columns = ["subject_id"] + ([] if form_info.repeating else ["visit"])
        for name in form_info.items:
            columns.append(name)
            if name in units_used.get(form_info.storage, ()):
                columns.append(f"{name}{UNIT_SUFFIX}")
        tables[form_info.storage] = (columns, [])
    for subject in subjects:
        sid = subject.get("subject_id")
        if subject.get("arm") is not None or subject.get("dose_level") is not None:
            tables["subjects"][1].append([sid, subject.get("arm"), subject.get("dose_level")])
        for visit, date in (subject.get("visits") or {}).items():
            tables["visits"][1].append([sid, visit, date])
        for criterion, attested in (subject.get("attestations") or {}).items():
            tables["attestations"][1].append([sid, criterion, attested])
        for storage, content in (subject.get("forms") or {}).items():
            info = dictionary.form(storage)
            if info is None:
                continue
            columns, rows = tables[info.storage]
            if info.repeating:
                pairs: Iterator[tuple[str | None, Any]] = ((None, r) for r in content or [])
            else:
                pairs = iter((content or {}).items())
            for visit, record in pairs:
                row: list[Any] = []
                for column in columns:
                    if column == "subject_id":
                        row.append(sid)
                    elif column == "visit":
                        row.append(visit)
                    elif column.endswith(UNIT_SUFFIX):
                        value = (record or {}).get(column[: -len(UNIT_SUFFIX)])
                        row.append(value.get("unit") if isinstance(value, dict) else None)
                    else:
                        value = (record or {}).get(column)
                        row.append(value.get("value") if isinstance(value, dict) else value)
                rows.append(row)
    return tables


def write_csv_folder(tables: Mapping[str, tuple[list[str], list[list[Any]]]], folder: Path) -> None:
    """Tables as CSV files (yes/no as yes/no, missing as empty cells)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_csv_cell(value) for value in row])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _arrow_table(columns: list[str], rows: list[list[Any]]) -> Any:
    import pyarrow as pa

    arrays = []
    for index, _column in enumerate(columns):
        values = [row[index] for row in rows]
        arrays.append(_arrow_array(values))
    return pa.table(arrays, names=columns)


def _arrow_array(values: list[Any]) -> Any:
    """One column, typed by its values (mixed kinds are written as text)."""
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds <= {bool}:
        return pa.array(values, type=pa.bool_())
    if kinds <= {int, float} and bool not in kinds:
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    return pa.array([None if v is None else _csv_cell(v) for v in values], type=pa.string())


def write_parquet_folder(
    tables: Mapping[str, tuple[list[str], list[list[Any]]]], folder: Path
) -> None:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        pq.write_table(_arrow_table(columns, rows), folder / f"{name}.parquet")


def write_duckdb(tables: Mapping[str, tuple[list[str], list[list[Any]]]], path: Path) -> None:
    import duckdb

    connection = duckdb.connect(str(path))
    try:
        for name, (columns, rows) in tables.items():
            connection.from_arrow(_arrow_table(columns, rows)).create(name)
    finally:
        connection.close()
