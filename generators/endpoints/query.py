"""Endpoint queries: the screening query's compiler, asked for values instead of statuses.

Two query shapes (SQLGlot trees, rendered for any dialect the screening SQL
supports):

* `subject_query` — one row per subject with a column per value: the rule of a
  flag, responder or value endpoint, and the four parts of each time to event
  (origin, whether an event happened, the first event's date, the censoring
  date), computed over the same common table expressions as screening;
* `record_query` — one row per record of a log, in input order (``__row``),
  with a column per `flag per LOG` endpoint on it.

Completeness: a log the input declares complete for a subject (an SDTM
`complete adverse_events for DM`) holds none when empty, where an empty log is
otherwise unknown.  The query reads the declaration from a table of the run
(`COMPLETE_TABLE`: subject_id, log), so an SDTM source gives the same values
through SQL as through the interpreter — for a log read by a rule, or by the
rule of a record flag; not yet for a log read inside another quantifier's
condition (`any a where (any b where …)` with b declared complete and empty is
unknown here, not met as in the interpreter).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from sqlglot import exp

from generators.sql.compile import (
    SUBJECT_ID,
    _and,
    _case,
    _col,
    _id,
    _int,
    _Intervals,
    _joined_to_subjects,
    _or,
    _paren,
    _QueryBuilder,
    _RecordScope,
    _Source,
    _table,
)
from protocol_dsl.plan import Plan
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.dictionary import Column

#: The run's table of logs declared complete per subject (subject_id, log).
COMPLETE_TABLE = "endpoint_complete_logs"
#: The position of a record among all records of its log, in input order.
ROW = "__row"


class EndpointQuery(_QueryBuilder):
    """The screening compiler with value columns; `complete` the logs that can be complete."""

    def __init__(self, plan: Plan, complete: frozenset[str] = frozenset()) -> None:
        super().__init__(plan)
        self.complete = complete
        self.complete_sources: dict[str, _Source] = {}
        self._intervals = _CompleteIntervals(self)
        #: the scope of a record query's rows, where the completeness columns are joined
        self.row_scope: _RecordScope | None = None

    # ------------------------------------------------------------ completeness

    def visit_if(self, node: n.If, scope: _RecordScope | None) -> exp.Expression:
        """A log's "is it recorded" test also holds where the log is declared complete."""
        declared = self.declared_complete(node, scope)
        if declared is None:
            return super().visit_if(node, scope)
        cond = _or(_paren(self.scalar(node.cond, scope)), declared)
        a, b = self.scalar(node.then, scope), self.scalar(node.otherwise, scope)
        return _case((cond, a), default=b)

    def declared_complete(self, node: n.If, scope: _RecordScope | None) -> exp.Expression | None:
        """Whether the subject's log is declared complete, for an `If` on "is it recorded"."""
        recorded = _recorded_table(node.cond)
        if recorded is None or recorded not in self.complete:
            return None
        if scope is not None and scope is not self.row_scope:
            # inside a quantifier's condition: its rows are not joined to the declarations
            return None
        source = self.complete_sources.get(recorded)
        if source is None:
            source = _Source(self.names.take(f"complete_{recorded}"), None)
            source.column("complete", "complete")
            self.complete_sources[recorded] = source
        return exp.Coalesce(this=_col("complete", source.name), expressions=[exp.false()])

    def _all_sources(self) -> Iterator[_Source]:
        yield from super()._all_sources()
        yield from self.complete_sources.values()

    def _complete_ctes(self) -> list[tuple[str, exp.Expression]]:
        ctes: list[tuple[str, exp.Expression]] = []
        for log, source in self.complete_sources.items():
            select = exp.select(_col(SUBJECT_ID), exp.true().as_(_id("complete"), copy=False))
            select = select.from_(_table(COMPLETE_TABLE), copy=False)
            select = select.where(exp.EQ(this=_col("log"), expression=exp.Literal.string(log)))
            ctes.append((source.name, select.distinct(copy=False)))
        return ctes

    # ------------------------------------------------------------ values

    def value(self, node: n.Node, scope: _RecordScope | None) -> exp.Expression:
        """A node's value; a partly known number (an interval) is unknown unless lo = hi."""
        if node.kind != "interval":
            return self.scalar(node, scope)
        lo, hi = self.bounds(node, scope)
        return _case((exp.EQ(this=_paren(lo), expression=_paren(hi.copy())), lo.copy()))

    def subject_query(self, columns: dict[str, n.Node]) -> exp.Expression:
        """One row per subject: the subject id and a column per node."""
        self._plan_record_nodes(list(columns.values()))
        compiled = [
            self.value(node, None).as_(_id(name), copy=False) for name, node in columns.items()
        ]
        ctes = self._ctes() + self._complete_ctes()
        sources = list(self._all_sources())
        # every subject of the tables read (and of the completeness declarations), each
        # source left-joined to that list, as the screening query does
        tables = [s.table for s in sources if s.table is not None]
        if self.complete_sources:
            tables.append(COMPLETE_TABLE)
        read = [s for s in sources if s not in self.presence.values()]
        subjects = self.names.take("subject_list")
        select = exp.select(_col(SUBJECT_ID, subjects).as_(_id(SUBJECT_ID), copy=False))
        select = select.select(*compiled, copy=False)
        select = _joined_to_subjects(select, tables, read, subjects)
        outer = exp.select(exp.Star(), copy=False).from_(
            select.subquery(_id(self.names.take("subject_values")), copy=False), copy=False
        )
        outer = outer.order_by(_col(SUBJECT_ID), copy=False)
        for name, body in ctes:
            outer = outer.with_(_id(name), as_=body, copy=False)
        return outer

    def record_query(
        self, log: str, columns: dict[str, n.Node], order: str | None = None
    ) -> exp.Expression:
        """One row per record of the table `log`, numbered in input order, a column per node.

        `order`: a column of the table that orders its records as the input does (an
        engine that scans in no set order, as Spark, numbers the records by it);
        without it the records are numbered in the order the engine scans them.
        """
        self._plan_record_nodes(list(columns.values()))
        table = self.tables[log]
        scope = self.row_scope = _RecordScope(table, self.record_alias)
        compiled = [
            self.value(node, scope).as_(_id(name), copy=False) for name, node in columns.items()
        ]
        ctes = self._ctes() + self._complete_ctes()
        read = {
            field.item
            for node in columns.values()
            for field in n.walk(node)
            if isinstance(field, n.Field) and field.table == log
        }
        window = exp.Window(this=exp.RowNumber())
        if order is not None:
            # carried through the rows as a text column would be: as read, never converted
            table = attrs.evolve(table, columns=(*table.columns, Column(order, "text")))
            read.add(order)
            window.set("order", exp.Order(expressions=[exp.Ordered(this=_col(order))]))
        rows = self._rows(table, None, read)
        rows = rows.select(window.as_(_id(ROW), copy=False), copy=False)
        select = exp.select(
            _col(SUBJECT_ID, scope.alias).as_(_id(SUBJECT_ID), copy=False),
            _col(ROW, scope.alias).as_(_id(ROW), copy=False),
            copy=False,
        )
        select = select.select(*compiled, copy=False)
        select = select.from_(rows.subquery(_id(scope.alias), copy=False), copy=False)
        joined: list[_Source] = []
        for node in columns.values():
            for inner in n.subject_level(node):
                source = self._source_of(inner)
                if source is not None and source not in joined:
                    joined.append(source)
        for source in self.complete_sources.values():
            if source not in joined:
                joined.append(source)
        for source in joined:
            select = select.join(
                _table(source.name),
                on=exp.EQ(
                    this=_col(SUBJECT_ID, source.name), expression=_col(SUBJECT_ID, scope.alias)
                ),
                join_type="LEFT",
                copy=False,
            )
        select = select.order_by(_col(ROW), copy=False)
        for name, body in ctes:
            select = select.with_(_id(name), as_=body, copy=False)
        return select


class _CompleteIntervals(_Intervals):
    """Interval bounds (counts, sums) that read a log declared complete as recorded."""

    q: EndpointQuery

    def visit_if(
        self, node: n.If, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        declared = self.q.declared_complete(node, scope)
        if declared is None:
            return super().visit_if(node, scope)
        cond = _or(_paren(self.q.scalar(node.cond, scope)), declared)
        (a0, a1), (b0, b1) = self.q.bounds(node.then, scope), self.q.bounds(node.otherwise, scope)
        return _case((cond, a0), default=b0), _case((cond.copy(), a1), default=b1)


def _recorded_table(cond: n.Node) -> str | None:
    """The log of a lowered "is the log recorded" test (`AnyRecord(t, TRUE)` [or …])."""
    if isinstance(cond, n.AnyRecord) and cond.condition == n.TRUE:
        return cond.table
    if isinstance(cond, n.Logic) and cond.op == "or" and cond.args:
        return _recorded_table(cond.args[0])
    return None


__all__ = ["COMPLETE_TABLE", "ROW", "EndpointQuery", "_and", "_int"]
