"""Screening with DuckDB: typed views over the input, then the screening query.

Inputs: a folder of CSV or Parquet tables (``<table>.csv`` / ``<table>.parquet``,
one per form plus ``visits``, ``attestations`` and ``subjects``), a DuckDB database file, a
JSON or JSON Lines file of subject records, or subject records in memory.

Every table of the layout becomes a view with the types the query expects
(`schema.table_columns`): a column already of that type is read as it is; any
other is read through its text with the rules of subject records (``1:160``
and ``160`` are titers; yes / no / true / false / 1 / 0 are yes/no values; a
date is ``YYYY-MM-DD``); what cannot be read is NULL, hence unknown.  Missing
columns and tables are empty, so every input subject still comes out.  All
statements are SQLGlot trees.
"""

from __future__ import annotations

import json
import math
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from generators.sql.compile import SUBJECT_ID, screening_query
from generators.sql.schema import table_columns
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.data.jsonfiles import witness_note
from protocol_dsl.errors import UserError
from protocol_dsl.evaluate.values import TITER_LARGEST, parse_titer
from protocol_dsl.plan.dictionary import Dictionary, build_dictionary
from protocol_dsl.spec import Spec

STATUS_WORDS = {1: "met", 0: "not_met", None: "unknown"}

#: Between a subject id and the number of its record, for the second and later input
#: records with the same id: they stay apart in the query (a control character no
#: subject id holds), and come out under their own id.
DUPLICATE_MARK = "\x1f#"

_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")


class SourceError(UserError):
    """Subject data that cannot be opened at all (a missing file, an unknown format)."""


def screen_with_duckdb(
    spec: Spec,
    source: Any,
    problems: list[str] | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Screen every subject of `source`; one dict per subject, sorted by subject id.

    Each row: ``{"subject_id": …, "status": "eligible" | "ineligible" |
    "indeterminate", "criteria": {criterion id: "met" | "not_met" | "unknown"}}``.
    Lines of a JSON Lines file that are not JSON are skipped, and said in
    `problems` ("subjects.jsonl line 3: not valid JSON …"), as the interpreter does.
    With `findings`, the window and dosing edit checks (`edit_checks`) are added to it,
    one dict per finding as the interpreter's `Finding.to_json`.
    """
    connection = connect(spec, source, problems)
    try:
        relation = screening_relation(connection, spec)
        names = relation.columns
        rows = relation.fetchall()
        if findings is not None:
            findings += edit_check_findings(connection, spec)
    finally:
        connection.close()
    return subject_results(spec, names, rows)


def subject_results(
    spec: Spec, names: list[str], rows: Iterable[Iterable[Any]]
) -> list[dict[str, Any]]:
    """The screening query's rows (columns `names`) as one dict per subject, the same for
    every engine that runs the query (DuckDB here, Spark in `spark_run`)."""
    criteria = [c.id for c in spec.criteria]
    results = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        result: dict[str, Any] = {
            "subject_id": str(values[SUBJECT_ID]).split(DUPLICATE_MARK)[0],
            "status": values["status"],
            "criteria": {cid: STATUS_WORDS[values[cid]] for cid in criteria},
        }
        if spec.randomisation is not None and spec.randomisation.factors:
            result.update(_strata(spec.randomisation, values, result["status"]))
        results.append(result)
    return results


def _strata(
    randomisation: m.Randomisation, values: Mapping[str, Any], status: str
) -> dict[str, Any]:
    """The eligible subject's stratum of each factor, decided from the strata's flags
    as the interpreter decides it (`allocation.decide_stratum`)."""
    if status != "eligible":
        return {"strata": {}, "stratum": None}
    levels = {
        factor.name: allocation.decide_stratum(
            [
                (s.name, _truth(values[allocation.stratum_column(factor.name, s.name)]))
                for s in factor.strata
            ]
        )
        for factor in randomisation.factors
    }
    return {"strata": levels, "stratum": allocation.subject_stratum(levels)}


def _truth(flag: Any) -> bool | None:
    return None if flag is None else bool(flag)


def screening_relation(
    connection: duckdb.DuckDBPyConnection, spec: Spec
) -> duckdb.DuckDBPyRelation:
    """The screening result over the typed views of `connection` (see `connect`)."""
    return connection.sql(query_text(spec, units_in_data(connection, spec)))


_EDIT_QUERIES: weakref.WeakKeyDictionary[Spec, str] = weakref.WeakKeyDictionary()


def edit_check_findings(connection: duckdb.DuckDBPyConnection, spec: Spec) -> list[dict[str, Any]]:
    """The window and dosing edit-check findings over the typed views of `connection`."""
    # imported here: the statuses report has no findings and needs none of the interpreter's
    from generators.sql import edit_checks

    if spec not in _EDIT_QUERIES:
        _EDIT_QUERIES[spec] = edit_checks.render(spec, "duckdb")
    return findings_from_rows(connection.sql(_EDIT_QUERIES[spec]).fetchall(), spec)


def findings_from_rows(rows: Iterable[Sequence[Any]], spec: Spec) -> list[dict[str, Any]]:
    """Finding dicts from the rows of the edit-check query, run on any engine."""
    from generators.sql import edit_checks

    found = edit_checks.findings(rows, spec)
    for finding in found:
        finding["subject_id"] = str(finding["subject_id"]).split(DUPLICATE_MARK)[0]
    return found


_QUERIES: weakref.WeakKeyDictionary[Spec, dict[tuple[str, ...], str]] = weakref.WeakKeyDictionary()


def query_text(spec: Spec, extra_units: tuple[str, ...] = ()) -> str:
    """The DuckDB screening query of `spec` as text (kept per spec and units)."""
    cache = _QUERIES.setdefault(spec, {})
    if extra_units not in cache:
        cache[extra_units] = screening_query(spec, "duckdb", extra_units).sql(dialect="duckdb")
    return cache[extra_units]


def units_in_data(connection: duckdb.DuckDBPyConnection, spec: Spec) -> tuple[str, ...]:
    """Every unit written in a ``<item>__unit`` column, so that the query accepts it."""
    union = units_query(spec)
    if union is None:
        return ()
    found = connection.sql(union.sql("duckdb")).fetchall()
    return tuple(sorted({row[0] for row in found}))


def units_query(spec: Spec) -> exp.Expression | None:
    """The distinct units of every ``<item>__unit`` column (None: the layout has none)."""
    selects = []
    for name, columns in table_columns(build_dictionary(spec)):
        for column, _type in columns:
            if column.endswith("__unit"):
                selects.append(
                    exp.select(_column(column).as_("unit"))
                    .from_(_table(name))
                    .where(exp.Not(this=exp.Is(this=_column(column), expression=exp.Null())))
                )
    if not selects:
        return None
    union: exp.Expression = selects[0]
    for select in selects[1:]:
        union = exp.union(union, select, distinct=True)
    return union


# ---------------------------------------------------------------- opening a source


def connect(
    spec: Spec,
    source: Any,
    problems: list[str] | None = None,
    settings: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one typed view per table of the layout.

    A CSV table is read once, into a temporary table (the query reads most
    tables twice: for the list of subjects and for their values), so `settings`
    (a memory limit, a spill folder) are made before any table is read.
    """
    connection = duckdb.connect()
    dictionary = build_dictionary(spec)
    try:
        if settings is not None:
            settings(connection)
        raw = _open(connection, dictionary, source, problems if problems is not None else [])
        for name, columns in table_columns(dictionary):
            expression, types = raw.get(name, (None, None))
            view = _typed_view(connection, name, columns, expression, types)
            connection.execute(view.sql("duckdb"))
    except Exception:
        connection.close()
        raise
    return connection


#: An input table: what to select from, and its column types when already known.
_Raw = tuple[exp.Expression, dict[str, str] | None]


def _open(
    connection: duckdb.DuckDBPyConnection,
    dictionary: Dictionary,
    source: Any,
    problems: list[str],
) -> dict[str, _Raw]:
    """The input tables found in `source`, as SQL expressions to select from."""
    if not isinstance(source, (str, Path)):
        return _load_subjects(connection, dictionary, source, problems)
    path = Path(source)
    if path.is_dir():
        return _open_folder(connection, dictionary, path, problems)
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    if path.suffix in (".json", ".jsonl", ".ndjson"):
        return _load_subjects(connection, dictionary, _read_json(path, problems), problems)
    if path.suffix in (".duckdb", ".db", ".ddb"):
        connection.execute(
            exp.Attach(
                this=exp.alias_(exp.Literal.string(str(path)), "source"),
                expressions=[exp.AttachOption(this=exp.var("READ_ONLY"))],
            ).sql("duckdb")
        )
        listing = (
            exp.select(exp.column("table_name"))
            .from_(exp.table_("tables", db="information_schema"))
            .where(
                exp.EQ(this=exp.column("table_catalog"), expression=exp.Literal.string("source"))
            )
        )
        tables = connection.sql(listing.sql("duckdb")).fetchall()
        return {
            name: (exp.Table(this=_ident(name), db=_ident("main"), catalog=_ident("source")), None)
            for (name,) in tables
        }
    raise SourceError(
        f"{path}: not a folder of CSV or Parquet tables, a DuckDB database, or JSON subject records"
    )


def _open_folder(
    connection: duckdb.DuckDBPyConnection,
    dictionary: Dictionary,
    path: Path,
    problems: list[str],
) -> dict[str, _Raw]:
    """A folder read as the interpreter reads it (`protocol_dsl.data.read_inputs`): CSV or
    Parquet tables, else JSON and JSON Lines subject records (as `protocol witness -o`
    writes them); a folder of neither is refused, never screened as zero subjects."""
    kinds = {file.suffix.lower() for file in path.iterdir() if file.is_file()}
    if ".xpt" in kinds:
        raise SourceError(
            f"{path}: SDTM datasets (.xpt) are read only by the python engine; use --engine python"
        )
    if kinds & {".csv", ".parquet", ".gz"}:
        return _folder(path)
    if kinds & {".json", ".jsonl", ".ndjson"}:
        records: list[Any] = []
        for file in sorted(path.iterdir()):
            if file.is_file() and file.suffix.lower() in (".json", ".jsonl", ".ndjson"):
                records += _read_json(file, problems)
        return _load_subjects(connection, dictionary, records, problems)
    raise SourceError(f"{path}: holds no subject data (JSON, JSON Lines, CSV or Parquet files)")


def _folder(path: Path) -> dict[str, _Raw]:
    tables: dict[str, _Raw] = {}
    for file in sorted(path.iterdir()):
        name, suffix = file.name.split(".", 1)[0], "".join(file.suffixes)
        if suffix in (".parquet",):
            reader = exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(str(file))])
        elif suffix in (".csv", ".csv.gz"):
            # every cell as text: the typed view applies the rules of subject records
            reader = exp.Anonymous(
                this="read_csv",
                expressions=[
                    exp.Literal.string(str(file)),
                    exp.EQ(this=exp.var("all_varchar"), expression=exp.true()),
                    exp.EQ(this=exp.var("header"), expression=exp.true()),
                ],
            )
        else:
            continue
        if name in tables:
            raise SourceError(f"{path}: two files for the table '{name}'")
        tables[name] = (reader, None)
    return tables


def _read_json(path: Path, problems: list[str]) -> list[Any]:
    """Subject records from a JSON list, one JSON object, or JSON Lines.

    A line of JSON Lines that is not JSON is skipped and said in `problems`: the
    batch goes on, as with the interpreter.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                problems.append(
                    f"{path.name} line {number}: not valid JSON ({error.msg} at column "
                    f"{error.colno}); the line is skipped"
                )
        return records
    return data if isinstance(data, list) else [data]


# ---------------------------------------------------------------- typed views


def _typed_view(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    columns: list[tuple[str, str]],
    raw: exp.Expression | None,
    types: dict[str, str] | None,
) -> exp.Expression:
    present: dict[str, str] = dict(types or {})
    if raw is not None and types is None:
        describe = connection.sql(exp.Describe(this=exp.select("*").from_(raw)).sql("duckdb"))
        present = {row[0]: str(row[1]).upper() for row in describe.fetchall()}
    select = exp.select()
    for column, sql_type in columns:
        if column in present:
            value = _read_as(_column(column), present[column], sql_type)
        else:
            value = exp.cast(exp.Null(), sql_type)
        select = select.select(value.as_(exp.to_identifier(column, quoted=True)), copy=False)
    # a table the input does not have is empty: its subjects come from the other tables
    select = select.where(exp.false(), copy=False) if raw is None else select.from_(raw, copy=False)
    return exp.Create(
        this=exp.to_identifier(name, quoted=True),
        kind="TABLE" if _is_text_file(raw) else "VIEW",
        expression=select,
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )


def _is_text_file(raw: exp.Expression | None) -> bool:
    """Whether the table is read from a CSV file, parsed again at every read of a view."""
    return isinstance(raw, exp.Anonymous) and raw.name == "read_csv"


def _read_as(value: exp.Expression, actual: str, wanted: str) -> exp.Expression:
    """`value` of SQL type `actual` read as `wanted`, NULL when it cannot be read."""
    if actual == wanted or (wanted == "INT" and actual == "INTEGER"):
        if wanted == "DOUBLE":
            return _finite(value)
        return value
    if wanted in ("INT", "BIGINT", "DOUBLE") and actual in _NUMERIC_TYPES:
        number = _finite(exp.cast(value, "DOUBLE"))
        if wanted == "DOUBLE":
            return number
        whole: exp.Condition = exp.EQ(this=number.copy(), expression=exp.Floor(this=number.copy()))
        if wanted == "INT":  # a titer's denominator is positive
            whole = exp.and_(whole, exp.GT(this=number.copy(), expression=exp.Literal.number(0)))
        return exp.Case().when(whole, exp.cast(number, wanted))
    text = exp.Trim(this=exp.cast(value, "VARCHAR"))
    if wanted == "VARCHAR":
        return exp.cast(value, "VARCHAR")
    if wanted == "BOOLEAN":
        word = exp.Lower(this=text)
        return (
            exp.Case()
            .when(exp.In(this=word, expressions=[exp.Literal.string(w) for w in _YES]), exp.true())
            .when(
                exp.In(this=word.copy(), expressions=[exp.Literal.string(w) for w in _NO]),
                exp.false(),
            )
        )
    if wanted == "DATE":
        iso = exp.RegexpLike(this=text, expression=exp.Literal.string(r"^\d{4}-\d{2}-\d{2}(T.*)?$"))
        day = exp.TryCast(this=exp.Substring(this=text.copy(), start=exp.Literal.number(1),
                                             length=exp.Literal.number(10)), to=exp.DataType.build("DATE"))  # fmt: skip
        return exp.Case().when(iso, day)
    if wanted == "TIMESTAMP":
        return exp.TryCast(this=text, to=exp.DataType.build("TIMESTAMP"))
    if wanted == "INT":
        denominator = exp.RegexpExtract(
            this=text, expression=exp.Literal.string(r"^(?:1\s*:\s*)?(\d+)$"), group=exp.Literal.number(1)
        )  # fmt: skip
        number = exp.TryCast(this=exp.Nullif(this=denominator, expression=exp.Literal.string("")),
                             to=exp.DataType.build("INT"))  # fmt: skip
        return exp.Case().when(exp.GT(this=number, expression=exp.Literal.number(0)), number.copy())
    number = exp.TryCast(this=text, to=exp.DataType.build("DOUBLE"))
    number = _finite(number)
    if wanted == "DOUBLE":
        return number
    whole = exp.EQ(this=number.copy(), expression=exp.Floor(this=number.copy()))
    return exp.Case().when(whole, exp.cast(number, "BIGINT"))


_NUMERIC_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
    "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL",
}  # fmt: skip


def _finite(value: exp.Expression) -> exp.Expression:
    """NaN and infinities (e.g. pandas' missing values in Parquet) are missing."""
    bad = exp.or_(
        exp.Anonymous(this="isnan", expressions=[value.copy()]),
        exp.Anonymous(this="isinf", expressions=[value.copy()]),
        # out of range (numbers are less than 10^18 in magnitude in every engine)
        exp.GTE(this=exp.Abs(this=value.copy()), expression=exp.Literal.number("1e18")),
    )
    return exp.Case().when(exp.Not(this=exp.Paren(this=bad)), value)


def _column(name: str) -> exp.Column:
    return exp.Column(this=exp.to_identifier(name, quoted=True))


def _table(name: str) -> exp.Table:
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


# ---------------------------------------------------------------- subject records


def _load_subjects(
    connection: duckdb.DuckDBPyConnection,
    dictionary: Dictionary,
    subjects: Iterable[Any],
    problems: list[str] | None = None,
) -> dict[str, _Raw]:
    """Subject records (the JSON format) as typed in-memory tables."""
    import pyarrow as pa

    columns = dict(table_columns(dictionary))
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in columns}
    records: dict[str, list[int]] = {}
    for index, subject in enumerate(subjects):
        subject_rows = list(_subject_rows(dictionary, subject, index))
        if not subject_rows:
            continue
        sid = subject_rows[0][1]["subject_id"]
        records.setdefault(sid, []).append(index + 1)
        count = len(records[sid])
        for table, row in subject_rows:
            if count > 1:  # the same id again: a subject of its own, never merged
                row["subject_id"] = f"{sid}{DUPLICATE_MARK}{count}"
            rows[table].append(row)
    for sid, numbers in records.items():
        if len(numbers) > 1 and problems is not None:
            listed = ", ".join(f"record {n}" for n in numbers)
            problems.append(
                f"the subject id {sid} is used by {len(numbers)} input records ({listed}); "
                "each is screened on its own, none is merged: correct the ids"
            )
    tables: dict[str, _Raw] = {}
    for name, spec_columns in columns.items():
        arrays = {
            column: pa.array(
                [_typed(row.get(column), sql_type) for row in rows[name]], type=_ARROW[sql_type]
            )
            for column, sql_type in spec_columns
        }
        registered = f"subject_records__{name}"
        connection.register(registered, pa.table(arrays))
        tables[name] = (_table(registered), dict(spec_columns))
    return tables


def _subject_rows(
    dictionary: Dictionary, subject: Any, index: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(subject, Mapping):
        yield "subjects", {"subject_id": f"<no subject_id: record {index + 1}>"}
        return
    if witness_note(subject) is not None:
        return  # `protocol witness` found no subject here: a note, not a subject
    subject_id = subject.get("subject_id")
    if subject_id is None or isinstance(subject_id, (dict, list, bool)) or subject_id == "":
        subject_id = f"<no subject_id: record {index + 1}>"
    elif isinstance(subject_id, float) and subject_id.is_integer():  # inf is not
        subject_id = int(subject_id)
    sid = str(subject_id)
    # every subject has a row in `subjects`, so that it appears even without data
    yield "subjects", {"subject_id": sid, "arm": subject.get("arm"),
                       "dose_level": subject.get("dose_level")}  # fmt: skip
    visits = subject.get("visits")
    if isinstance(visits, Mapping):
        for visit, date in visits.items():
            yield "visits", {"subject_id": sid, "visit": visit, "date": date}
    attestations = subject.get("attestations")
    if isinstance(attestations, Mapping):
        for criterion, attested in attestations.items():
            yield "attestations", {"subject_id": sid, "criterion": criterion, "attested": attested}
    forms = subject.get("forms")
    if not isinstance(forms, Mapping):
        return
    for key, content in forms.items():
        table = dictionary.table(str(key).replace(".", "__"))
        if table is None or content is None:
            continue
        if table.repeating:
            if isinstance(content, list):
                for record in content:
                    # a null (or malformed) record is still a record, with unknown values,
                    # as the interpreter and the generated module read it
                    values = _values(table, record) if isinstance(record, Mapping) else {}
                    yield table.name, {"subject_id": sid, **values}
        elif isinstance(content, Mapping):
            for visit, record in content.items():
                if isinstance(record, Mapping):
                    yield table.name, {"subject_id": sid, "visit": visit, **_values(table, record)}


def _values(table: Any, record: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in table.columns:
        value = record.get(column.name)
        if column.item_kind == "partial_date":
            values[column.name] = _partial_date(value)
        elif column.item_kind == "quantity" and isinstance(value, Mapping):
            if set(value) - {"value", "unit"}:
                continue  # not a quantity: unknown
            unit = value.get("unit")
            values[column.name] = value.get("value")
            values[f"{column.name}__unit"] = unit if isinstance(unit, str) else None
            if unit is not None and not isinstance(unit, str):
                values[column.name] = None
        else:
            values[column.name] = value
    return values


def _typed(value: Any, sql_type: str) -> Any:
    """A JSON value as the column's type, None when it is not one (the rules of records)."""
    if value is None:
        return None
    if sql_type == "VARCHAR":
        if isinstance(value, (dict, list)):
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            if not math.isfinite(value):
                return None  # JSON's 1e400 arrives as inf: its written text is lost
            if value == int(value):
                return str(int(value))
        text = str(value)
        return None if text.strip() == "" else text
    if sql_type == "BOOLEAN":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            word = value.strip().lower()
            return True if word in _YES else False if word in _NO else None
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        return None
    if sql_type in ("DATE", "TIMESTAMP"):
        return _date(value) if sql_type == "DATE" else _timestamp(value)
    if sql_type == "INT":
        return _titer(value)
    number = _number(value)
    if number is None or sql_type == "DOUBLE":
        return number
    return int(number) if number == int(number) else None


def _number(value: Any) -> float | None:
    if isinstance(value, (bool, dict, list)):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in {"nan", "inf", "-inf", "infinity", "-infinity", "+inf"}:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    elif isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits: invalid, not a crash
            return None
    else:
        return None
    if not math.isfinite(number):
        return None
    # out of range from 10^18 (the largest 64-bit integer too): unknown, never an overflow;
    # decided on the number as written, as the other engines decide it
    written = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    return number if abs(written) < _LARGEST else None


#: Numbers are less than 10^18 in magnitude in every engine.
_LARGEST = Decimal(10) ** 18


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def _partial_date(value: Any) -> str | None:
    """A partial date item's value as the text the query imputes from: "YYYY-MM-DD",
    "YYYY-MM" or "YYYY"; None when it is none of them (the rules of the interpreter)."""
    if isinstance(value, str):
        match = _PARTIAL_DATE.match(value.strip())
        if match is not None:
            valid = int(match[1]) >= 1 and (match[2] is None or 1 <= int(match[2]) <= 12)
            return value.strip() if valid else None
    date = _date(value)
    return date.isoformat() if date is not None else None


def _date(value: Any) -> Any:
    import datetime as dt
    import re

    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 10 or (len(text) > 10 and text[10] != "T"):
        return None
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text[:10])
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _timestamp(value: Any) -> Any:
    import datetime as dt

    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _titer(value: Any) -> int | None:
    """A titer's denominator as the interpreter reads it (`parse_titer`), None where it
    reads none or the denominator is out of range."""
    denominator = parse_titer(value)
    return denominator if denominator is not None and denominator <= TITER_LARGEST else None


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "VARCHAR": pa.string(),
        "BOOLEAN": pa.bool_(),
        "DOUBLE": pa.float64(),
        "BIGINT": pa.int64(),
        "INT": pa.int32(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
    }


class _LazyArrow(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        self.update(_arrow_types())
        return self[key]


_ARROW = _LazyArrow()
