"""`protocol endpoints --engine duckdb`: the endpoint queries run on DuckDB.

The subjects of a batch (any input `protocol endpoints` reads, SDTM datasets
included) are loaded into the tabular layout the screening SQL reads, with the
logs each subject's input declares complete in `COMPLETE_TABLE`; then one query
gives every subject's values and one per log its records' flags.  The values
fill the same `SubjectValues` as the interpreter's, without evidence.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from generators.endpoints.query import COMPLETE_TABLE, ROW, EndpointQuery
from generators.sql.compile import SUBJECT_ID, render
from generators.sql.run import DUPLICATE_MARK, connect, units_in_data
from protocol_dsl.analysis.plan import EndpointPlan
from protocol_dsl.analysis.results import (
    Event,
    SubjectValues,
    Value,
    event_count,
    time_to_event,
)
from protocol_dsl.data.batch import Batch
from protocol_dsl.plan import Plan
from protocol_dsl.plan.lower import lower_expressions
from protocol_dsl.spec import Spec

#: The suffixes of a time to event's four columns.
_PARTS = ("origin", "happened", "first", "censor")
#: The columns of a count (the records counted) and of a rate (and its time at risk).
_COUNT_PARTS = {"count": ("events",), "rate": ("events", "start", "end")}


def endpoint_queries(
    spec: Spec,
    plan: EndpointPlan,
    complete: frozenset[str] = frozenset(),
    extra_units: tuple[str, ...] = (),
    dialect: str = "duckdb",
    order: str | None = None,
) -> tuple[str, dict[str, str]]:
    """The text of the subject query, and of the record query of each log, in `dialect`.

    The subject query's columns are `subject_id` then `value_1`, `value_2` … in
    the order of `_keys(plan)`: each endpoint's values (one per visit of a `by
    visit` endpoint), then the origin, event, first event date and censoring
    date of each time to event.
    """
    expressions: list[Any] = [(e.rule, spec, None, visit) for e in plan.subject for visit in e.at]
    for tte in plan.events:
        expressions += [(tte.origin, spec, None, None), (tte.happened, spec, None, None),
                        (tte.first, spec, None, None), (tte.censor, spec, None, None)]  # fmt: skip
    for counted in plan.counts:
        expressions += [(counted.events, spec, None, None)]
        if counted.kind == "rate":
            expressions += [(counted.start, spec, None, None), (counted.end, spec, None, None)]
    dictionary, nodes = lower_expressions(spec, expressions, extra_units)
    names = _column_names(plan)
    trial = spec.trial.name if spec.trial is not None else ""
    empty = Plan(trial, dictionary, ())
    subject = EndpointQuery(empty, complete).subject_query(dict(zip(names, nodes, strict=True)))
    records: dict[str, str] = {}
    for log in plan.logs:
        flags = [f for f in plan.records if f.log is log]
        rules = [(f.rule, f.owner, f.log, None) for f in flags]
        _dictionary, flag_nodes = lower_expressions(spec, rules, extra_units)
        use = spec.form_use(flags[0].owner, log)
        assert use is not None, "checked: a log an endpoint reads is collected"
        query = EndpointQuery(empty, complete).record_query(
            use.storage_name,
            {f.name: node for f, node in zip(flags, flag_nodes, strict=True)},
            order,
        )
        records[use.storage_name] = render(query, dialect)
    return render(subject, dialect), records


def declared_complete(batch: Batch) -> list[tuple[str, str]]:
    """(subject id, log) for every log a subject's record declares complete, among the
    forms the input supplies (a log the input does not supply is not declared by it)."""
    supplied = batch.forms_supplied
    return [
        (str(raw.record.get("subject_id")), log)
        for raw in batch.subjects
        for log in sorted(raw.complete_forms)
        if supplied is None or log in supplied
    ]


def derive_with_duckdb(
    spec: Spec, plan: EndpointPlan, source: Batch | str | Path
) -> list[SubjectValues]:
    """Every subject's endpoint values, computed by the endpoint queries on DuckDB.

    `source`: a batch read by `protocol_dsl.data.read_inputs` (any input, the
    logs it declares complete included), or a folder of CSV / Parquet tables or
    a DuckDB file in the tabular layout, read by DuckDB directly.
    """
    declared: list[tuple[str, str]] = []
    if isinstance(source, Batch):
        declared = declared_complete(source)
        connection = connect(spec, [raw.record for raw in source.subjects])
    else:
        connection = connect(spec, source)
    complete = frozenset(log for _, log in declared)
    try:
        return _run(connection, spec, plan, declared, complete)
    finally:
        connection.close()


def _run(
    connection: duckdb.DuckDBPyConnection,
    spec: Spec,
    plan: EndpointPlan,
    declared: list[tuple[str, str]],
    complete: frozenset[str],
) -> list[SubjectValues]:
    # records are numbered in the order they were loaded: keep that order in every scan
    connection.execute("SET preserve_insertion_order = true")
    if declared:
        connection.execute(
            f'CREATE TEMPORARY TABLE "{COMPLETE_TABLE}" (subject_id VARCHAR, log VARCHAR)'
        )
        connection.executemany(f'INSERT INTO "{COMPLETE_TABLE}" VALUES (?, ?)', declared)
    units = units_in_data(connection, spec)
    subject_sql, record_sql = endpoint_queries(spec, plan, complete, units)
    relation = connection.sql(subject_sql)
    records = {}
    for log, sql in record_sql.items():
        found = connection.sql(sql)
        records[log] = (found.columns, found.fetchall())
    return values_from_rows(spec, plan, relation.columns, relation.fetchall(), records)


def values_from_rows(
    spec: Spec,
    plan: EndpointPlan,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    records: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]],
) -> list[SubjectValues]:
    """Every subject's values from the rows of the subject query and of each log's record
    query (`records`: log → its columns and rows, in record order), whatever engine ran them."""
    results: dict[str, SubjectValues] = {}
    # positions in a row, found once: 100,000 rows are read in a plain loop
    at = {key: columns.index(c) for key, c in zip(_keys(plan), _column_names(plan), strict=True)}
    sid = columns.index(SUBJECT_ID)
    values_at = [(key, at[key]) for e in plan.subject for key in e.keys]
    events_at = [(t.name, [at[f"{t.name}__{p}"] for p in _PARTS]) for t in plan.events]
    counts_at = [(c, [at[f"{c.name}__{p}"] for p in _COUNT_PARTS[c.kind]]) for c in plan.counts]
    for row in rows:
        subject_id = _subject(row[sid])
        result = results.get(subject_id)
        if result is None:
            result = results[subject_id] = SubjectValues(subject_id)
        for key, index in values_at:
            result.values[key] = Value(_plain(row[index]))
        for name, indices in events_at:
            origin, happened, first, censor = (row[i] for i in indices)
            date, days, censored = time_to_event(_day(origin), happened, _day(first), _day(censor))
            result.events[name] = Event(_day(origin), date, days, censored)
        for counted, indices in counts_at:
            number, *ends = (row[i] for i in indices)
            first, last = (_day(ends[0]), _day(ends[1])) if ends else (None, None)
            result.counts[counted.name] = event_count(counted, _plain(number), first, last)
    for log, (names, found) in records.items():
        flags = [f.name for f in plan.records if spec.form_use(f.owner, f.log) is not None
                 and spec.form_use(f.owner, f.log).storage_name == log]  # type: ignore[union-attr]  # fmt: skip
        for row in found:
            values = dict(zip(names, row, strict=True))
            subject_id = _subject(values[SUBJECT_ID])
            result = results.setdefault(subject_id, SubjectValues(subject_id))
            result.records.setdefault(log, []).append(
                {name: Value(_plain(values[name])) for name in flags}
            )
            assert values[ROW] is not None
    return [results[k] for k in sorted(results)]


def _keys(plan: EndpointPlan) -> list[str]:
    """What each column of the subject query holds: a value's key, or a part of a time to event."""
    keys = [key for e in plan.subject for key in e.keys]
    keys += [f"{tte.name}__{part}" for tte in plan.events for part in _PARTS]
    return keys + [f"{c.name}__{part}" for c in plan.counts for part in _COUNT_PARTS[c.kind]]


def _column_names(plan: EndpointPlan) -> list[str]:
    """The subject query's columns: `value_N` (keys may hold any character a name has)."""
    return [f"value_{number}" for number, _key in enumerate(_keys(plan), start=1)]


def _subject(value: Any) -> str:
    """The subject id of a row (a repeated input id carries a mark: see `DUPLICATE_MARK`)."""
    text = str(value)
    return text.split(DUPLICATE_MARK)[0] if DUPLICATE_MARK in text else text


def _plain(value: Any) -> Any:
    """A whole number as an integer, whichever type the engine gave it (Spark: decimals)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


def _day(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    return value if isinstance(value, _dt.date) else None
