"""The screening query: a plan compiled to one SQLGlot tree over the tabular layout.

Shape of the query (every part a CTE with one row per subject, all set-based):

* one pivot per non-repeating form: its rows at the visits the criteria read
  only (WHERE visit IN …), their items (GROUP BY subject), values made valid
  on the way after that filter (unknown codes, values outside the item's
  range, units the item cannot have become NULL, like invalid values in the
  interpreter), and the scores computed from them; a score that reads more
  than one form is computed in the final SELECT from the joined CTEs;
* ``visit_dates`` and ``attested``: visit dates and attestations per subject;
* per repeating form, its records aggregated once (GROUP BY subject) into
  every quantifier, count and sum the criteria use;
* the final SELECT over the list of every subject of every input table (a
  UNION of their subject ids, tables no criterion reads included), each CTE
  joined to it by LEFT JOIN on the subject id: one status column per
  criterion and the overall status.  One LEFT JOIN per CTE from one subject
  list, rather than a chain of FULL OUTER JOINs on ever longer COALESCEs of
  ids, keeps every operator among those an engine can spill to disk (hash
  aggregates and hash joins on a plain key), so that ten million subjects
  are screened under a memory limit of a few GiB.

Unknown is SQL NULL throughout, and conditions use SQL's own three-valued
AND / OR / NOT, which is Kleene logic in every supported dialect (DuckDB,
PostgreSQL, Spark, Trino, BigQuery, Snowflake document the same truth
tables).  Quantifiers over records combine per-record statuses coded
0 = false, 1 = unknown, 2 = true with MAX (any) and MIN (all), which keeps
unknown where a plain BOOL_OR would drop it.  Intervals (scores, counts,
sums) are pairs of columns; an unknown bound means unbounded.  Criterion
statuses come out as SMALLINT 1 (met), 0 (not met) or NULL (unknown).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import attrs
from sqlglot import exp

from generators.sql import DIALECTS
from protocol_dsl.allocation import stratum_column
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.dictionary import (
    ATTESTATIONS_TABLE,
    LAYOUT_TABLES,
    VISITS_TABLE,
    Column,
    Table,
)
from protocol_dsl.plan.lower import Plan, PlanError, build_plan
from protocol_dsl.plan.visitor import IntervalVisitor, PlanVisitor
from protocol_dsl.spec import Spec

SUBJECT_ID = "subject_id"
STATUS = "status"

#: Codes of a per-record status inside MIN / MAX aggregates.
_FALSE, _UNKNOWN, _TRUE = 0, 1, 2


def screening_query(
    spec: Spec, dialect: str = "duckdb", extra_units: tuple[str, ...] = ()
) -> exp.Expression:
    """The screening query of `spec` as a SQLGlot tree, for `dialect` (render with `render`).

    The tree keeps to constructs SQLGlot transpiles to every supported dialect,
    so it is the same tree whatever the dialect; an unsupported `dialect` is
    an error.  `extra_units` are units seen in the data (in ``<item>__unit``
    columns) to accept besides the common ones.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unsupported SQL dialect {dialect!r}; choose from {', '.join(DIALECTS)}")
    return compile_plan(build_plan(spec, extra_units))


def compile_plan(plan: Plan) -> exp.Expression:
    """The screening query of a plan (see `screening_query`)."""
    return _QueryBuilder(plan).build()


def render(query: exp.Expression, dialect: str) -> str:
    """The query as pretty-printed, deterministic SQL text."""
    return query.sql(dialect=dialect, pretty=True, identify=True) + ";\n"


# ---------------------------------------------------------------- naming


class _Names:
    """Unique identifiers, compared without case (most engines fold identifiers)."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._taken = {name.lower() for name in reserved}

    def take(self, wanted: str) -> str:
        name, number = wanted, 2
        while name.lower() in self._taken:
            name, number = f"{wanted}_{number}", number + 1
        self._taken.add(name.lower())
        return name


def _id(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=_id(name), table=_id(table) if table is not None else None)


def _table(name: str, alias: str | None = None) -> exp.Table:
    table = exp.Table(this=_id(name))
    if alias is not None:
        table = table.as_(_id(alias), copy=False)  # type: ignore[assignment]
    return table


def _string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _int(value: int) -> exp.Expression:
    literal = exp.Literal.number(abs(value))
    return exp.Neg(this=literal) if value < 0 else literal


def _number(value: Fraction | int) -> exp.Expression:
    """A numeric literal: exact decimal when the value has one, else the quotient of
    two integers (20 / 3), a division every dialect computes in double precision
    (integer operands: never a decimal division rounded to a few places)."""
    fraction = Fraction(value)
    if not _terminates(fraction):
        # not an atom: an operand of arithmetic is put in parentheses (`_paren`)
        quotient = exp.Div(
            this=exp.Literal.number(abs(fraction.numerator)),
            expression=exp.Literal.number(fraction.denominator),
        )
        return exp.Neg(this=quotient) if fraction < 0 else quotient
    text = _decimal_text(fraction)
    literal = exp.Literal.number(text.lstrip("-"))
    return exp.Neg(this=literal) if fraction < 0 else literal


def _terminates(value: Fraction) -> bool:
    """Whether the value has an exact decimal (its denominator has only factors 2 and 5)."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    return den == 1


def _decimal_text(value: Fraction) -> str:
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        decimal = Decimal(repr(float(value)))
    text = format(decimal, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _null(kind: str) -> exp.Expression:
    return exp.cast(exp.Null(), _SQL_TYPES[kind])


_SQL_TYPES = {
    "bool": "BOOLEAN",
    "number": "DOUBLE",
    "interval": "DOUBLE",
    "date": "DATE",
    "titer": "INT",
    "code": "VARCHAR",
    "text": "VARCHAR",
}


def _case(*branches: tuple[exp.Expression, exp.Expression], default: Any = None) -> exp.Case:
    case = exp.Case()
    for condition, value in branches:
        case = case.when(condition, value, copy=False)
    if default is not None:
        case = case.else_(default, copy=False)
    return case


_ATOMS = (exp.Column, exp.Literal, exp.Paren, exp.Boolean, exp.Null, exp.Cast, exp.Case, exp.Func)


def _paren(e: exp.Expression) -> exp.Expression:
    """`e` in parentheses unless it is an atom (SQLGlot prints trees as they are built)."""
    if isinstance(e, _ATOMS) and not isinstance(e, (exp.DateAdd, exp.IntDiv)):
        return e
    return exp.Paren(this=e)


def _operand(e: exp.Expression) -> exp.Expression:
    """An operand of a comparison: conditions are parenthesised, arithmetic is not."""
    if isinstance(e, (exp.Connector, exp.Not, exp.Predicate)):
        return exp.Paren(this=e)
    return e


# sqlglot types what its builders return as the `Expr` trait (here `Condition`);
# each node they build is an `Expression`, the type this module works with.
def _and(*args: exp.Expression) -> exp.Expression:
    return cast(exp.Expression, exp.and_(*args, copy=False))


def _or(*args: exp.Expression) -> exp.Expression:
    return cast(exp.Expression, exp.or_(*args, copy=False))


def _alias(value: exp.Expression, name: str) -> exp.Expression:
    return cast(exp.Expression, value.as_(_id(name), copy=False))


def _not(e: exp.Expression) -> exp.Expression:
    return exp.Not(this=exp.Paren(this=e) if isinstance(e, exp.Connector) else e)


def _to_bool(code: exp.Expression) -> exp.Expression:
    """A 0 / 1 / 2 status code back to a three-valued condition."""
    case = exp.Case(this=code)
    return case.when(_int(_TRUE), exp.true(), copy=False).when(
        _int(_FALSE), exp.false(), copy=False
    )


def _to_code(condition: exp.Expression) -> exp.Expression:
    """A three-valued condition as a 0 / 1 / 2 code for MIN / MAX over records."""
    return _case(
        (condition.copy(), _int(_TRUE)),
        (_not(condition.copy()), _int(_FALSE)),
        default=_int(_UNKNOWN),
    )


# ---------------------------------------------------------------- sources of per-subject values


@attrs.define
class _Source:
    """A CTE with one row per subject and the columns the criteria read from it."""

    name: str
    table: str | None = None  # the form table a pivot, record aggregate or id list reads
    columns: dict[Any, str] = attrs.field(factory=dict)  # plan leaf → column name
    scores: dict[n.Node, tuple[str, str]] = attrs.field(factory=dict)  # score → (lo, hi)
    names: _Names = attrs.field(factory=lambda: _Names((SUBJECT_ID,)))

    def column(self, key: Any, wanted: str) -> str:
        if key not in self.columns:
            self.columns[key] = self.names.take(wanted)
        return self.columns[key]


@attrs.frozen
class _RecordScope:
    """Compiling inside a condition over a repeating form's records."""

    table: Table
    alias: str


#: What `scalar` says of an interval: the interval classes are compiled by `bounds` only.
_INTERVAL_AS_VALUE = "an interval where a single value is needed"


class _QueryBuilder(PlanVisitor[exp.Expression, [_RecordScope | None]]):
    """Builds the screening query of a plan; compiles a node as one SQL value per method."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.tables = {table.name: table for table in plan.dictionary.tables}
        for reserved in LAYOUT_TABLES:
            if reserved in self.tables:
                raise PlanError(
                    f"a form's table cannot be named '{reserved}': that is the name of the "
                    f"{reserved} table of the tabular layout; rename the form"
                )
        for criterion in plan.criteria:
            if criterion.id.lower() in (SUBJECT_ID, STATUS):
                raise PlanError(
                    f"a criterion cannot be named '{criterion.id}': the screening result has "
                    "a column of that name"
                )
        self.names = _Names((*self.tables, *LAYOUT_TABLES))
        self.pivots: dict[str, _Source] = {}
        self.visit_dates: _Source | None = None
        self.attested: _Source | None = None
        self.records: dict[tuple[str, int], _Source] = {}
        self.record_nodes: dict[n.Node, tuple[_Source, tuple[str, ...]]] = {}
        self.presence: dict[str, _Source] = {}
        self._inline_scores = False
        self.record_alias = self.names.take("record")
        self._intervals = _Intervals(self)

    # ------------------------------------------------------------ the whole query

    def build(self) -> exp.Expression:
        conditions = {c.id: c.condition for c in self.plan.criteria}
        taken = {cid.lower() for cid in conditions}
        for s in self.plan.strata:
            if stratum_column(s.factor, s.stratum).lower() in taken:
                raise PlanError(
                    f"a criterion cannot be named '{stratum_column(s.factor, s.stratum)}': "
                    "that is the column of a stratum's rule; rename the criterion"
                )
        # the strata's rules are columns beside the criteria's (`stratum_column`); which
        # stratum a subject is in is decided from their flags as the interpreter does
        conditions.update({stratum_column(s.factor, s.stratum): s.rule for s in self.plan.strata})
        self._plan_record_nodes(list(conditions.values()))
        compiled = [
            self.scalar(condition, None).as_(_id(criterion_id), copy=False)
            for criterion_id, condition in conditions.items()
        ]
        # record aggregates and scores may read sources no criterion reads directly
        ctes = self._ctes()
        sources = list(self._all_sources())
        subjects = self.names.take("subject_list")
        criteria = exp.select(_col(SUBJECT_ID, subjects).as_(_id(SUBJECT_ID), copy=False))
        criteria = criteria.select(*compiled, copy=False)
        tables = [s.table for s in sources if s.table is not None]
        read = [s for s in sources if s not in self.presence.values()]
        criteria = _joined_to_subjects(criteria, tables, read, subjects)
        # each criterion's (large) condition is read once, as a 1 / 0 / NULL flag; the
        # overall status is then worked out from the flags (some engines would copy
        # a condition into every expression that reads it)
        flags = exp.select(_col(SUBJECT_ID), copy=False)
        for criterion_id in conditions:
            flag = exp.cast(exp.cast(_col(criterion_id), "INT"), "SMALLINT")
            flags = flags.select(flag.as_(_id(criterion_id), copy=False), copy=False)
        inner = self.names.take("criteria")
        flags = flags.from_(criteria.subquery(_id(inner), copy=False), copy=False)
        criteria_ids = [c.id for c in self.plan.criteria]
        outer = exp.select(*(_col(name) for name in (SUBJECT_ID, *criteria_ids)), copy=False)
        outer = outer.select(self._overall().as_(_id(STATUS), copy=False), copy=False)
        # the strata's flags come after the status: the criteria and status keep their places
        strata_columns = [name for name in conditions if name not in criteria_ids]
        outer = outer.select(*(_col(name) for name in strata_columns), copy=False)
        outer = outer.from_(flags.subquery(_id(self.names.take("flags")), copy=False), copy=False)
        outer = outer.order_by(_col(SUBJECT_ID), copy=False)
        for name, body in ctes:
            outer = outer.with_(_id(name), as_=body, copy=False)
        return outer

    def _overall(self) -> exp.Expression:
        """Ineligible if a criterion is decided against, eligible if all are decided for.

        With g = the flag of an inclusion, 1 - the flag of an exclusion (1: for
        the subject, 0: against, NULL: unknown): ineligible when the product of
        COALESCE(g, 1) is 0, eligible when the sum of COALESCE(g, 0) is their number.
        """
        if not self.plan.criteria:
            return _string("eligible")
        product: exp.Expression | None = None
        total: exp.Expression | None = None
        for criterion in self.plan.criteria:
            flag = _col(criterion.id)
            g = flag if criterion.kind == "inclusion" else exp.Sub(this=_int(1), expression=flag)
            against = exp.Coalesce(this=_paren(g.copy()), expressions=[_int(1)])
            decided = exp.Coalesce(this=_paren(g), expressions=[_int(0)])
            product = against if product is None else exp.Mul(this=product, expression=against)
            total = decided if total is None else exp.Add(this=total, expression=decided)
        assert product is not None and total is not None
        return _case(
            (exp.EQ(this=product, expression=_int(0)), _string("ineligible")),
            (exp.EQ(this=total, expression=_int(len(self.plan.criteria))), _string("eligible")),
            default=_string("indeterminate"),
        )

    def _sources_of(self, node: n.Node) -> list[_Source]:
        """The sources the subject-level parts of `node` read, in creation order."""
        wanted: set[str] = set()
        for inner in n.subject_level(node):
            source = self._source_of(inner)
            if source is not None:
                wanted.add(source.name)
        return [s for s in self._all_sources() if s.name in wanted]

    def _source_of(self, node: n.Node) -> _Source | None:
        if isinstance(node, n.Item):
            return self.pivots.get(node.table)
        if isinstance(node, n.VisitDate):
            return self.visit_dates
        if isinstance(node, n.Attested):
            return self.attested
        if isinstance(node, n.RECORD_NODES):
            return self.record_nodes[node][0]
        return None

    def _all_sources(self) -> Iterator[_Source]:
        yield from self.pivots.values()
        if self.visit_dates is not None:
            yield self.visit_dates
        if self.attested is not None:
            yield self.attested
        yield from self.records.values()
        yield from self.presence.values()

    # ------------------------------------------------------------ scores

    def _score_bounds(self, node: n.IntervalSum) -> tuple[exp.Expression, exp.Expression]:
        """A score computed once per subject in its form's pivot when it reads only that
        form (the usual case), else where it is read, from the sources joined to the
        subject list like everything else.

        A subject the pivot has no row of (nothing of the form at the visits read)
        gets the score computed where it is read too, from the pivot's columns
        (all unknown for that subject): what the row would have held.
        """
        self._inline_scores = True
        try:
            inline = self.bounds(node, None)  # also registers the columns it reads
            sources = self._sources_of(node)
        finally:
            self._inline_scores = False
        if len(sources) != 1 or sources[0] not in self.pivots.values():
            return inline
        source = sources[0]
        if node not in source.scores:
            taken = (source.names.take(f"{node.name}_lo"), source.names.take(f"{node.name}_hi"))
            source.scores[node] = taken
        absent = exp.Is(this=_col(SUBJECT_ID, source.name), expression=exp.Null())
        return tuple(  # type: ignore[return-value]
            _case((absent.copy(), computed), default=_col(stored, source.name))
            for computed, stored in zip(inline, source.scores[node], strict=True)
        )

    def _score_columns(self, source: _Source) -> list[exp.Expression]:
        columns: list[exp.Expression] = []
        self._inline_scores = True
        try:
            for node, (lo_name, hi_name) in source.scores.items():
                lo, hi = self.bounds(node, None)
                columns += [_alias(lo, lo_name), _alias(hi, hi_name)]
        finally:
            self._inline_scores = False
        return columns

    # ------------------------------------------------------------ record aggregates

    def _plan_record_nodes(self, roots: list[n.Node]) -> None:
        """Give every record node a layer (1 + the deepest record node it reads) and a source."""
        layers: dict[n.Node, int] = {}

        def layer(node: n.Node) -> int:
            if node not in layers:
                inner = [
                    layer(child)
                    for child in n.record_level(node)
                    if isinstance(child, n.RECORD_NODES)
                ]
                layers[node] = 1 + max(inner, default=0)
            return layers[node]

        found: list[n.Node] = []
        for root in roots:
            for node in n.walk(root):
                if isinstance(node, n.RECORD_NODES) and node not in layers:
                    layer(node)
                    found.append(node)
        # walk order within a layer keeps the generated SQL stable
        for node in sorted(found, key=lambda x: layers[x]):
            key = (node.table, layers[node])  # type: ignore[union-attr]
            source = self.records.get(key)
            if source is None:
                suffix = f"_{layers[node]}" if layers[node] > 1 else ""
                table = node.table  # type: ignore[union-attr]
                source = _Source(self.names.take(f"{table}_records{suffix}"), table)
                self.records[key] = source
            self.record_nodes[node] = (source, self._record_columns(source, node))

    def _record_columns(self, source: _Source, node: n.Node) -> tuple[str, ...]:
        stem = {
            n.AnyRecord: "any",
            n.AllRecords: "all",
            n.Count: "count",
            n.Total: "total",
            n.Extreme: "extreme",
            n.Average: "average",
        }[type(node)]
        number = len(source.columns) + 1
        if node.kind == "interval":
            lo = source.column((node, "lo"), f"{stem}_{number}_lo")
            hi = source.column((node, "hi"), f"{stem}_{number}_hi")
            return lo, hi
        return (source.column(node, f"{stem}_{number}"),)

    def _record_aggregates(
        self,
        node: n.Node,
        c: exp.Expression,
        v: exp.Expression | None,
        rank: tuple[exp.Expression, exp.Expression] | None = None,
    ) -> list[exp.Expression]:
        """The aggregates of a record node, from each record's condition `c` and value `v`
        (and, for a median, each counted value's rank among the subject's and their number)."""
        if isinstance(node, n.Average):
            assert v is not None
            return [_average(node.op, c, v, rank)]
        if isinstance(node, n.AnyRecord):
            return [exp.Max(this=_to_code(c))]
        if isinstance(node, n.AllRecords):
            return [exp.Min(this=_to_code(c))]
        if isinstance(node, n.Count):
            lo: exp.Expression = exp.Sum(this=_case((c.copy(), _int(1)), default=_int(0)))
            hi: exp.Expression = exp.Sum(this=_case((_not(c.copy()), _int(0)), default=_int(1)))
            return [lo, hi]
        assert v is not None and isinstance(node, (n.Total, n.Extreme))
        missing = exp.Is(this=v.copy(), expression=exp.Null())
        # a record that might count but has no value: its value is anywhere in the
        # value's static range, which may be unbounded (then so is the result)
        open_ended = exp.Max(
            this=_case((_not(c.copy()), _int(0)), (missing, _int(1)), default=_int(0))
        )

        def value_or(bound: float) -> exp.Expression:
            if math.isinf(bound):
                return v.copy()
            return exp.Coalesce(this=v.copy(), expressions=[_number(Fraction(repr(bound)))])

        def bounded(bound: float, aggregate: exp.Expression) -> exp.Expression:
            if not math.isinf(bound):
                return aggregate
            return _case(
                (exp.EQ(this=open_ended.copy(), expression=_int(1)), _null("number")),
                default=aggregate,
            )

        if isinstance(node, n.Total):
            low, high = value_or(node.low), value_or(node.high)
            below = _case(
                (exp.LT(this=low.copy(), expression=_int(0)), low.copy()), default=_int(0)
            )
            above = _case(
                (exp.GT(this=high.copy(), expression=_int(0)), high.copy()), default=_int(0)
            )
            lo_term = _case((c.copy(), low), (_not(c.copy()), _int(0)), default=below)
            hi_term = _case((c.copy(), high), (_not(c.copy()), _int(0)), default=above)
            return [
                bounded(node.low, exact_total(lo_term)),
                bounded(node.high, exact_total(hi_term)),
            ]
        certain = exp.EQ(
            this=exp.Max(this=_case((c.copy(), _int(1)), default=_int(0))), expression=_int(1)
        )
        if node.kind != "interval":  # dates: known only when no record is in doubt
            doubt = exp.Max(
                this=_case(
                    (exp.Is(this=c.copy(), expression=exp.Null()), _int(1)),
                    (_and(c.copy(), exp.Is(this=v.copy(), expression=exp.Null())), _int(1)),
                    default=_int(0),
                )
            )
            aggregate = exp.Min if node.op == "min" else exp.Max
            value = aggregate(this=_case((c.copy(), v.copy())))
            return [_case((exp.EQ(this=doubt, expression=_int(0)), value))]
        might = _case((_not(c.copy()), _null("number")), default=None)
        if node.op == "min":
            # from the lowest any record that might count can have,
            # to the lowest of the records that certainly count
            everyone: exp.Expression = exp.Min(this=might.else_(value_or(node.low), copy=False))
            lo = bounded(node.low, everyone)
            hi = exp.Min(this=_case((c.copy(), value_or(node.high))))
        else:
            lo = exp.Max(this=_case((c.copy(), value_or(node.low))))
            everyone = exp.Max(this=might.else_(value_or(node.high), copy=False))
            hi = bounded(node.high, everyone)
        return [_case((certain, lo)), _case((certain.copy(), hi))]

    def _record_cte(self, key: tuple[str, int], source: _Source) -> exp.Expression:
        """A repeating form's records aggregated into every record node of one layer.

        Inner query: one row per record with each condition and value the
        nodes need, computed once; outer query: the aggregates per subject.
        """
        table = self.tables[key[0]]
        scope = _RecordScope(table, self.record_alias)
        nodes = [node for node, (s, _cols) in self.record_nodes.items() if s is source]
        per_record = exp.select(_col(SUBJECT_ID, scope.alias).as_(_id(SUBJECT_ID), copy=False))
        computed: dict[n.Node, str] = {}

        def column(node: n.Node, stem: str) -> exp.Expression:
            nonlocal per_record
            if node not in computed:
                computed[node] = f"{stem}_{len(computed) + 1}"
                per_record = per_record.select(
                    self.scalar(node, scope).as_(_id(computed[node]), copy=False), copy=False
                )
            return _col(computed[node])

        outer = exp.select(_col(SUBJECT_ID), copy=False)
        medians = 0
        for node in nodes:
            c = column(node.condition, "condition")  # type: ignore[union-attr]
            value = getattr(node, "value", None)
            v = column(value, "value") if value is not None else None
            rank = None
            if isinstance(node, n.Average) and node.op == "median":
                medians += 1
                position, size = self._median_rank(node, scope, medians)
                per_record = per_record.select(position, size, copy=False)
                rank = (_col(position.alias), _col(size.alias))
            aggregates = self._record_aggregates(node, c, v, rank)
            for aggregate, name in zip(aggregates, self.record_nodes[node][1], strict=True):
                outer = outer.select(aggregate.as_(_id(name), copy=False), copy=False)
        joined: list[_Source] = []
        for node in nodes:
            for inner in n.record_level(node):
                inner_source = self._source_of(inner)
                if inner_source is not None and inner_source not in joined:
                    joined.append(inner_source)
        read = {
            field.item
            for node in nodes
            for field in n.record_level(node)
            if isinstance(field, n.Field) and field.table == table.name
        }
        rows = self._rows(table, None, read)
        per_record = per_record.from_(rows.subquery(_id(scope.alias), copy=False), copy=False)
        for inner_source in joined:
            per_record = per_record.join(
                _table(inner_source.name),
                on=exp.EQ(
                    this=_col(SUBJECT_ID, inner_source.name),
                    expression=_col(SUBJECT_ID, scope.alias),
                ),
                join_type="LEFT",
                copy=False,
            )
        outer = outer.from_(
            per_record.subquery(_id(self.names.take(f"{table.name}_each")), copy=False), copy=False
        )
        return outer.group_by(_col(SUBJECT_ID), copy=False)

    def _median_rank(
        self, node: n.Average, scope: _RecordScope, number: int
    ) -> tuple[exp.Alias, exp.Alias]:
        """Each record's rank among the subject's counted values, and their number.

        A window over the records, so that the median is exact in every dialect
        (Spark's percentile_approx is not, and Trino and BigQuery have no exact
        median aggregate): the middle value, or the mean of the two middle ones.
        """
        condition = self.scalar(node.condition, scope)
        value = self.scalar(node.value, scope)
        counted = _case(
            (_and(_paren(condition), exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))),
             _int(1)),
            default=_int(0),
        )  # fmt: skip
        partition = [_col(SUBJECT_ID, scope.alias), counted]
        position = exp.Window(
            this=exp.RowNumber(),
            partition_by=partition,
            order=exp.Order(expressions=[exp.Ordered(this=value.copy())]),
        )
        size = exp.Window(
            this=exp.Count(this=exp.Star()),
            partition_by=[p.copy() for p in partition],
        )
        return (
            exp.Alias(this=position, alias=_id(f"rank_{number}")),
            exp.Alias(this=size, alias=_id(f"counted_{number}")),
        )

    # ------------------------------------------------------------ tables as read

    def _rows(self, table: Table, visits: tuple[str, ...] | None, items: set[str]) -> exp.Select:
        """A form's rows with the items read, as the criteria see them.

        Quantities are converted to their item's unit, then every value the item
        cannot hold (unknown code, out of range) becomes NULL.
        """
        columns = [c for c in table.columns if c.name in items]
        keys = [_col(SUBJECT_ID)] + ([_col("visit")] if visits is not None else [])
        where: exp.Expression = exp.Not(this=exp.Is(this=_col(SUBJECT_ID), expression=exp.Null()))
        if visits:
            visit_in = exp.In(this=_col("visit"), expressions=[_string(v) for v in visits])
            where = _and(where, visit_in)
        source: exp.Expression = _table(table.name)
        if any(c.item_kind in ("quantity", "integer", "datetime") for c in columns):
            converted = exp.select(*(k.copy() for k in keys), copy=False)
            for column in columns:
                converted = converted.select(
                    _converted(column).as_(_id(column.name), copy=False), copy=False
                )
            converted = converted.from_(source, copy=False).where(where, copy=False)
            source = converted.subquery(_id(self.names.take(f"{table.name}_converted")), copy=False)
            where = None  # type: ignore[assignment]
        select = exp.select(*keys, copy=False)
        for column in columns:
            value = _valid(column, _col(column.name))
            select = select.select(value.as_(_id(column.name), copy=False), copy=False)
        select = select.from_(source, copy=False)
        return select.where(where, copy=False) if where is not None else select

    def _pivot_ctes(self, source: _Source) -> list[tuple[str, exp.Expression]]:
        """A form's items at the visits read, one row per subject: the key-only CTE of the
        subjects with several rows at one of those visits, then the pivot itself.

        One row per subject and visit is the rule, several the exception, and the
        rule for them (`_agreed`: values that agree read once, different values
        unknown) needs two aggregates per item over every row.  So the pivot is
        two branches: the subjects without a repeated visit read their rows as
        they are (grouped only when the form is read at several visits, with one
        aggregate per item), and only the others go through the agreement rule.
        The answers are those of the agreement rule for everyone (a value alone
        agrees with itself); finding the repeated keys reads two columns only.
        """
        assert source.table is not None
        table = self.tables[source.table]
        row = self.record_alias
        items: list[tuple[n.Item, str]] = [
            (key, column) for key, column in source.columns.items() if isinstance(key, n.Item)
        ]
        visits = tuple(sorted({item.visit for item, _column in items}))
        repeated = self.names.take(f"{table.name}_repeated")
        single = exp.select(_col(SUBJECT_ID, row).as_(_id(SUBJECT_ID), copy=False), copy=False)
        several = exp.select(_col(SUBJECT_ID, row).as_(_id(SUBJECT_ID), copy=False), copy=False)
        for item, column in items:
            picked: exp.Expression = _col(item.item, row)
            if len(visits) > 1:
                at_visit = exp.EQ(this=_col("visit", row), expression=_string(item.visit))
                picked = _case((at_visit, picked))
                # one row at each visit: the pivot's one value, whichever aggregate picks it
                value: exp.Expression = (exp.LogicalOr if item.kind == "bool" else exp.Max)(
                    this=picked.copy()
                )
            else:
                value = picked.copy()
            single = single.select(_alias(value, column), copy=False)
            several = several.select(_alias(_agreed(picked, item.kind), column), copy=False)
        read = {item.item for item, _column in items}
        # only the rows of the visits read (the subject list has every subject); a form
        # read at one visit needs no visit test per value
        single_rows = self._rows(table, visits, read).subquery(_id(row), copy=False)
        several_rows = self._rows(table, visits, read).subquery(_id(row), copy=False)
        single = single.from_(single_rows, copy=False)
        several = several.from_(several_rows, copy=False)
        listed = exp.select(_col(SUBJECT_ID), copy=False).from_(_table(repeated), copy=False)
        is_repeated = exp.In(this=_col(SUBJECT_ID, row), query=exp.Subquery(this=listed))
        single = single.where(exp.Not(this=is_repeated.copy()), copy=False)
        if len(visits) > 1:
            single = single.group_by(_col(SUBJECT_ID, row), copy=False)
        several = several.where(is_repeated, copy=False).group_by(_col(SUBJECT_ID, row), copy=False)
        select = cast(exp.Expression, exp.union(single, several, distinct=False, copy=False))
        ctes = [(repeated, self._repeated_keys(table, visits))]
        if not source.scores:
            return [*ctes, (source.name, select)]
        # scores from the pivoted values, under the pivot's own name
        kept = [_col(name, source.name) for name in (SUBJECT_ID, *source.columns.values())]
        with_scores = exp.select(*kept, copy=False).select(*self._score_columns(source), copy=False)
        pivot = exp.Subquery(this=select, alias=exp.TableAlias(this=_id(source.name)))
        with_scores = with_scores.from_(pivot, copy=False)
        return [*ctes, (source.name, with_scores)]

    @staticmethod
    def _repeated_keys(table: Table, visits: tuple[str, ...]) -> exp.Expression:
        """The subjects with more than one row of `table` at one of `visits` (key columns only)."""
        not_null = exp.Not(this=exp.Is(this=_col(SUBJECT_ID), expression=exp.Null()))
        visit_in = exp.In(this=_col("visit"), expressions=[_string(v) for v in visits])
        select = exp.select(_col(SUBJECT_ID), copy=False).from_(_table(table.name), copy=False)
        select = select.where(_and(not_null, visit_in), copy=False)
        # read at one visit, the subject id alone is the key (a narrower hash)
        keys = [_col(SUBJECT_ID)] + ([_col("visit")] if len(visits) > 1 else [])
        select = select.group_by(*keys, copy=False)
        more_than_one = exp.GT(this=exp.Count(this=exp.Star()), expression=_int(1))
        return select.having(more_than_one, copy=False)

    def _visits_cte(self, source: _Source) -> exp.Expression:
        select = exp.select(_col(SUBJECT_ID), copy=False)
        for visit, column in source.columns.items():
            picked = _case((exp.EQ(this=_col("visit"), expression=_string(visit)), _col("date")))
            # several rows of one visit: the date they agree on, NULL when they differ
            select = select.select(_agreed(picked, "date").as_(_id(column), copy=False),
                                   copy=False)  # fmt: skip
        select = select.from_(_table(VISITS_TABLE), copy=False)
        select = select.where(
            exp.Not(this=exp.Is(this=_col(SUBJECT_ID), expression=exp.Null())), copy=False
        )
        return select.group_by(_col(SUBJECT_ID), copy=False)

    def _attested_cte(self, source: _Source) -> exp.Expression:
        select = exp.select(_col(SUBJECT_ID), copy=False)
        for criterion, column in source.columns.items():
            of_criterion = exp.EQ(this=_col("criterion"), expression=_string(criterion))
            picked = _case((of_criterion, _col("attested")))
            # several rows of one criterion: the answer they agree on, NULL when they differ
            select = select.select(_agreed(picked, "bool").as_(_id(column), copy=False),
                                   copy=False)  # fmt: skip
        select = select.from_(_table(ATTESTATIONS_TABLE), copy=False)
        select = select.where(
            exp.Not(this=exp.Is(this=_col(SUBJECT_ID), expression=exp.Null())), copy=False
        )
        return select.group_by(_col(SUBJECT_ID), copy=False)

    def _ctes(self) -> list[tuple[str, exp.Expression]]:
        # later parts first: record conditions and scores may read pivot columns,
        # visit dates or attestations that no criterion reads directly
        records = [
            (source.name, self._record_cte(key, source)) for key, source in self.records.items()
        ]
        ctes = [cte for source in self.pivots.values() for cte in self._pivot_ctes(source)]
        if self.visit_dates is not None:
            ctes.append((self.visit_dates.name, self._visits_cte(self.visit_dates)))
        if self.attested is not None:
            ctes.append((self.attested.name, self._attested_cte(self.attested)))
        covered = {s.table for s in (*self.pivots.values(), *self.records.values())}
        if self.visit_dates is not None:
            covered.add(VISITS_TABLE)
        if self.attested is not None:
            covered.add(ATTESTATIONS_TABLE)
        for table in (*self.tables, *LAYOUT_TABLES):
            if table not in covered:
                source = _Source(self.names.take(f"ids_from_{table}"), table)
                self.presence[table] = source
        # tables no criterion reads are only in the subject list (`_joined_to_subjects`)
        return ctes + records

    # ------------------------------------------------------------ leaves

    def _item(self, node: n.Item) -> exp.Expression:
        source = self.pivots.get(node.table)
        if source is None:
            source = _Source(self.names.take(f"{node.table}_by_visit"), node.table)
            self.pivots[node.table] = source
        raw = attrs.evolve(node, impute=None)  # one pivoted column, imputed as each reads it
        value = _col(source.column(raw, f"{node.item}__{node.visit}"), source.name)
        return value if node.impute is None else _imputed(value, node.impute)

    def _visit_date(self, node: n.VisitDate) -> exp.Expression:
        if self.visit_dates is None:
            self.visit_dates = _Source(self.names.take("visit_dates"), VISITS_TABLE)
        column = self.visit_dates.column(node.visit, f"date_{node.visit}")
        return _col(column, self.visit_dates.name)

    def _attested(self, node: n.Attested) -> exp.Expression:
        if self.attested is None:
            self.attested = _Source(self.names.take("attested"), ATTESTATIONS_TABLE)
        column = self.attested.column(node.criterion, node.criterion)
        return _col(column, self.attested.name)

    def visit_field(self, node: n.Field, scope: _RecordScope | None) -> exp.Expression:
        if scope is None or scope.table.name != node.table:
            raise PlanError(f"an item of '{node.table}' is read outside its records")
        value = _col(node.item, scope.alias)
        return value if node.impute is None else _imputed(value, node.impute)

    def _record_value(self, node: n.Node) -> exp.Expression | tuple[exp.Expression, ...]:
        source, columns = self.record_nodes[node]
        if isinstance(node, n.AnyRecord):
            return _to_bool(
                exp.Coalesce(this=_col(columns[0], source.name), expressions=[_int(_FALSE)])
            )
        if isinstance(node, n.AllRecords):
            return _to_bool(
                exp.Coalesce(this=_col(columns[0], source.name), expressions=[_int(_TRUE)])
            )
        if isinstance(node, n.Count):
            # no records: [0, 0]
            return tuple(
                exp.Coalesce(this=_col(column, source.name), expressions=[_int(0)])
                for column in columns
            )
        if isinstance(node, n.Total):
            # no records: [0, 0]; otherwise a NULL bound is unbounded
            absent = exp.Is(this=_col(SUBJECT_ID, source.name), expression=exp.Null())
            return tuple(
                _case((absent.copy(), _int(0)), default=_col(column, source.name))
                for column in columns
            )
        if isinstance(node, n.Extreme) and node.kind == "interval":
            return _col(columns[0], source.name), _col(columns[1], source.name)
        return _col(columns[0], source.name)

    # ------------------------------------------------------------ values

    def scalar(self, node: n.Node, scope: _RecordScope | None) -> exp.Expression:
        """A non-interval node as one SQL expression (NULL is unknown)."""
        if node.kind == "interval":
            raise PlanError(_INTERVAL_AS_VALUE)
        return self.visit(node, scope)

    def bounds(
        self, node: n.Node, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        """A number or interval as (lo, hi); NULL bounds are unbounded."""
        if node.kind != "interval":
            value = self.scalar(node, scope)
            return value, value.copy()
        if scope is None and not self._inline_scores and _is_score(node):
            return self._score_bounds(node)  # type: ignore[arg-type]
        if type(node) not in n.INTERVAL_TYPES:
            raise PlanError(f"no SQL for the interval {type(node).__name__}")
        return self._intervals.visit(node, scope)

    def visit_const(self, node: n.Const, scope: _RecordScope | None) -> exp.Expression:
        value = node.value
        if value is None:
            return _null(node.kind)
        if node.kind == "bool":
            return exp.true() if value else exp.false()
        if node.kind == "date":
            assert isinstance(value, _dt.date)
            return exp.cast(_string(value.isoformat()), "DATE")
        if node.kind in ("code", "text"):
            return _string(str(value))
        if node.kind == "titer":
            return _int(int(value))  # type: ignore[arg-type]
        return _number(value)  # type: ignore[arg-type]

    def visit_not(self, node: n.Not, scope: _RecordScope | None) -> exp.Expression:
        return _not(self.scalar(node.arg, scope))

    def visit_logic(self, node: n.Logic, scope: _RecordScope | None) -> exp.Expression:
        args = [self.scalar(arg, scope) for arg in node.args]
        return _and(*args) if node.op == "and" else _or(*args)

    def visit_compare(self, node: n.Compare, scope: _RecordScope | None) -> exp.Expression:
        if node.left.kind == "interval" or node.right.kind == "interval":
            return self._compare_intervals(node, scope)
        if node.left.kind == "bool" and isinstance(node.right, n.Const):
            value = self.scalar(node.left, scope)
            if node.right.value is None:
                return _null("bool")
            positive = bool(node.right.value) == (node.op == "=")
            return value if positive else _not(value)
        left = _operand(self.scalar(node.left, scope))
        right = _operand(self.scalar(node.right, scope))
        return _COMPARISONS[node.op](this=left, expression=right)

    def _compare_intervals(self, node: n.Compare, scope: _RecordScope | None) -> exp.Expression:
        (a0, a1), (b0, b1) = self.bounds(node.left, scope), self.bounds(node.right, scope)

        def cmp(op: str, x: exp.Expression, y: exp.Expression) -> exp.Expression:
            return _COMPARISONS[op](this=_operand(x.copy()), expression=_operand(y.copy()))

        op = node.op
        if op in ("=", "!="):
            equal = _and(cmp("=", a0, a1), cmp("=", a1, b0), cmp("=", b0, b1))
            apart = _or(cmp("<", a1, b0), cmp("<", b1, a0))
            met, not_met = (equal, apart) if op == "=" else (apart, equal)
        else:
            met, not_met = {
                "<": (cmp("<", a1, b0), cmp(">=", a0, b1)),
                "<=": (cmp("<=", a1, b0), cmp(">", a0, b1)),
                ">": (cmp(">", a0, b1), cmp("<=", a1, b0)),
                ">=": (cmp(">=", a0, b1), cmp("<", a1, b0)),
            }[op]
        return _case((met, exp.true()), (not_met, exp.false()))

    def visit_in_set(self, node: n.InSet, scope: _RecordScope | None) -> exp.Expression:
        return exp.In(
            this=_paren(self.scalar(node.arg, scope)),
            expressions=[_string(v) for v in node.values],
        )

    def visit_contains(self, node: n.Contains, scope: _RecordScope | None) -> exp.Expression:
        text = exp.Upper(this=_paren(self.scalar(node.text, scope)))
        part = exp.Upper(this=_paren(self.scalar(node.part, scope)))
        # NULL when either text is unknown (STRPOS of NULL is NULL)
        return exp.GT(this=exp.StrPosition(this=text, substr=part), expression=_int(0))

    def visit_known(self, node: n.Known, scope: _RecordScope | None) -> exp.Expression:
        if node.arg.kind == "interval":
            lo, hi = self.bounds(node.arg, scope)
            known = _case((exp.EQ(this=_paren(lo), expression=_paren(hi)), exp.true()),
                          default=exp.false())  # fmt: skip
            return _not(known) if node.missing else known
        test = exp.Is(this=_paren(self.scalar(node.arg, scope)), expression=exp.Null())
        return test if node.missing else exp.Not(this=test)

    def visit_arith(self, node: n.Arith, scope: _RecordScope | None) -> exp.Expression:
        left = _paren(self.scalar(node.left, scope))
        right = _paren(self.scalar(node.right, scope))
        return _arithmetic(node.op, left, right)

    def visit_negate(self, node: n.Negate, scope: _RecordScope | None) -> exp.Expression:
        return exp.Neg(this=_paren(self.scalar(node.arg, scope)))

    def visit_scale(self, node: n.Scale, scope: _RecordScope | None) -> exp.Expression:
        return _scaled(self.scalar(node.arg, scope), node)

    def visit_extremum(self, node: n.Extremum, scope: _RecordScope | None) -> exp.Expression:
        a = _paren(self.scalar(node.left, scope))
        b = _paren(self.scalar(node.right, scope))
        pick = exp.LTE if node.op == "least" else exp.GTE
        either_unknown = _or(exp.Is(this=a.copy(), expression=exp.Null()),
                             exp.Is(this=b.copy(), expression=exp.Null()))  # fmt: skip
        return _case(
            (either_unknown, _null("number")),
            (pick(this=a.copy(), expression=b.copy()), a.copy()),
            default=b.copy(),
        )

    def visit_abs(self, node: n.Abs, scope: _RecordScope | None) -> exp.Expression:
        return exp.Abs(this=self.scalar(node.arg, scope))

    def visit_math(self, node: n.Math, scope: _RecordScope | None) -> exp.Expression:
        args = [_paren(self.scalar(arg, scope)) for arg in node.args]
        return _math(node.op, *args)

    def visit_average(self, node: n.Average, scope: _RecordScope | None) -> exp.Expression:
        return self._record_scalar(node, scope)

    def visit_collapse(self, node: n.Collapse, scope: _RecordScope | None) -> exp.Expression:
        lo, hi = self.bounds(node.arg, scope)
        return _case((exp.EQ(this=_paren(lo), expression=_paren(hi)), _paren(lo.copy())))

    def visit_shift_date(self, node: n.ShiftDate, scope: _RecordScope | None) -> exp.Expression:
        date = self.scalar(node.date, scope)
        if node.seconds is not None:
            return _shift_exactly(date, node.seconds)
        return _shift(date, node.days, node.months, "TIMESTAMP" if node.datetime else "DATE")

    def visit_day_of(self, node: n.DayOf, scope: _RecordScope | None) -> exp.Expression:
        return exp.cast(self.scalar(node.arg, scope), "DATE")

    def visit_elapsed(self, node: n.Elapsed, scope: _RecordScope | None) -> exp.Expression:
        start = self.scalar(node.start, scope)
        end = self.scalar(node.end, scope)
        if node.unit == "day":
            return exp.DateDiff(this=end, expression=start, unit=exp.var("DAY"))
        forward = _completed(node.unit, start, end)
        backward = exp.Neg(this=exp.Paren(this=_completed(node.unit, end.copy(), start.copy())))
        return _case((exp.GTE(this=end.copy(), expression=start.copy()), forward), default=backward)

    def visit_lookup(self, node: n.Lookup, scope: _RecordScope | None) -> exp.Expression:
        key = _paren(self.scalar(node.key, scope))
        return _case(
            *(
                (exp.EQ(this=key.copy(), expression=_string(name)), self.visit_const(value, scope))
                for name, value in node.entries
            )
        )

    def visit_if(self, node: n.If, scope: _RecordScope | None) -> exp.Expression:
        """The branch the condition picks; with an unknown condition, the common value
        of both branches when they agree, else unknown."""
        cond = self.scalar(node.cond, scope)
        a, b = self.scalar(node.then, scope), self.scalar(node.otherwise, scope)
        agree = exp.EQ(this=_operand(a.copy()), expression=_operand(b.copy()))
        return _case((cond, a), (_not(cond.copy()), b), (agree, a.copy()))

    def _record_scalar(self, node: n.Node, scope: _RecordScope | None) -> exp.Expression:
        value = self._record_value(node)
        assert isinstance(value, exp.Expression)
        return value

    def visit_item(self, node: n.Item, scope: _RecordScope | None) -> exp.Expression:
        return self._item(node)

    def visit_visit_date(self, node: n.VisitDate, scope: _RecordScope | None) -> exp.Expression:
        return self._visit_date(node)

    def visit_attested(self, node: n.Attested, scope: _RecordScope | None) -> exp.Expression:
        return self._attested(node)

    def visit_any_record(self, node: n.AnyRecord, scope: _RecordScope | None) -> exp.Expression:
        return self._record_scalar(node, scope)

    def visit_all_records(self, node: n.AllRecords, scope: _RecordScope | None) -> exp.Expression:
        return self._record_scalar(node, scope)

    def visit_extreme(self, node: n.Extreme, scope: _RecordScope | None) -> exp.Expression:
        return self._record_scalar(node, scope)

    # the classes of intervals: `scalar` refuses them, `bounds` compiles them (`_Intervals`)

    def _interval_as_value(self, node: n.Node, scope: _RecordScope | None) -> exp.Expression:
        raise PlanError(_INTERVAL_AS_VALUE)

    visit_count = visit_total = visit_weighted = _interval_as_value
    visit_interval_sum = visit_interval_max = visit_bounds = _interval_as_value


class _Intervals(IntervalVisitor[tuple[exp.Expression, exp.Expression], [_RecordScope | None]]):
    """Compiles the nodes of kind ``interval`` of a query to (lo, hi) pairs of SQL
    expressions; a NULL bound is unbounded."""

    def __init__(self, query: _QueryBuilder) -> None:
        self.q = query

    def visit_weighted(
        self, node: n.Weighted, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        c = self.q.scalar(node.condition, scope)
        weight = _number(node.weight)
        lo = _case((c, weight), default=_int(0))
        hi = _case((_not(c.copy()), _int(0)), default=weight.copy())
        return lo, hi

    def visit_interval_sum(
        self, node: n.IntervalSum, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        if not node.parts:
            return _int(0), _int(0)
        parts = [self.q.bounds(part, scope) for part in node.parts]
        return _sum([p[0] for p in parts]), _sum([p[1] for p in parts])

    def visit_interval_max(
        self, node: n.IntervalMax, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        if all(isinstance(part, n.Weighted) for part in node.parts):
            # the highest weight whose condition certainly (lo) or possibly (hi) holds
            parts = sorted(node.parts, key=lambda p: -p.weight)  # type: ignore[union-attr]
            conditions = [self.q.scalar(p.condition, scope) for p in parts]  # type: ignore[union-attr]
            weights = [_number(p.weight) for p in parts]  # type: ignore[union-attr]
            lo = _case(*zip(conditions, weights, strict=True), default=_int(0))
            possible = [exp.Coalesce(this=c.copy(), expressions=[exp.true()]) for c in conditions]
            hi = _case(*zip(possible, (w.copy() for w in weights), strict=True), default=_int(0))
            return lo, hi
        bounds = [self.q.bounds(part, scope) for part in node.parts]
        if len(bounds) == 1:
            return bounds[0]
        return _greatest([b[0] for b in bounds]), _greatest([b[1] for b in bounds])

    def visit_arith(
        self, node: n.Arith, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        (a0, a1), (b0, b1) = self.q.bounds(node.left, scope), self.q.bounds(node.right, scope)
        if node.op == "+":
            return _arithmetic("+", a0, b0), _arithmetic("+", a1, b1)
        if node.op == "-":
            return _arithmetic("-", a0, b1), _arithmetic("-", a1, b0)
        # * or / by a constant (the lowering collapses anything else)
        constant = node.right if node.left.kind == "interval" else node.left
        assert isinstance(constant, n.Const) and constant.value is not None
        lo, hi = (a0, a1) if node.left.kind == "interval" else (b0, b1)
        other = _number(constant.value)  # type: ignore[arg-type]
        if node.left.kind == "interval":
            x, y = _arithmetic(node.op, lo, other), _arithmetic(node.op, hi, other.copy())
        else:
            x, y = _arithmetic(node.op, other, lo), _arithmetic(node.op, other.copy(), hi)
        return (x, y) if constant.value >= 0 else (y, x)  # type: ignore[operator]

    def visit_negate(
        self, node: n.Negate, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        lo, hi = self.q.bounds(node.arg, scope)
        return exp.Neg(this=_paren(hi)), exp.Neg(this=_paren(lo))

    def visit_scale(
        self, node: n.Scale, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        lo, hi = self.q.bounds(node.arg, scope)
        return _scaled(lo, node), _scaled(hi, node)

    def visit_if(
        self, node: n.If, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        cond = self.q.scalar(node.cond, scope)
        (a0, a1), (b0, b1) = self.q.bounds(node.then, scope), self.q.bounds(node.otherwise, scope)
        agree = _and(
            exp.EQ(this=_operand(a0.copy()), expression=_operand(b0.copy())),
            exp.EQ(this=_operand(a1.copy()), expression=_operand(b1.copy())),
        )
        return (
            _case((cond, a0), (_not(cond.copy()), b0), (agree, a0.copy())),
            _case((cond.copy(), a1), (_not(cond.copy()), b1), (agree.copy(), a1.copy())),
        )

    def visit_bounds(
        self, node: n.Bounds, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        # a NULL bound is unbounded
        return tuple(  # type: ignore[return-value]
            _null("number") if math.isinf(bound) else _number(Fraction(bound))
            for bound in (node.lo, node.hi)
        )

    def visit_count(
        self, node: n.Count, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        return self._record(node)

    def visit_total(
        self, node: n.Total, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        return self._record(node)

    def visit_extreme(
        self, node: n.Extreme, scope: _RecordScope | None
    ) -> tuple[exp.Expression, exp.Expression]:
        return self._record(node)

    def _record(self, node: n.Node) -> tuple[exp.Expression, exp.Expression]:
        value = self.q._record_value(node)
        assert isinstance(value, tuple)
        return value[0], value[1]


# ---------------------------------------------------------------- expression helpers

_COMPARISONS: dict[str, type[exp.Expression]] = {
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
    "=": exp.EQ,
    "!=": exp.NEQ,
}


#: Sums and differences are computed in exact decimals (2 - 1.1 is 0.9, 20 + 20 is 40)
#: and brought back to DOUBLE, the type numbers are stored and compared in: twelve
#: decimals and 26 digits before the point, within what DuckDB and Spark hold.
EXACT = "DECIMAL(38, 12)"


def _exact(value: exp.Expression) -> exp.Expression:
    # TRY_CAST: a value beyond the decimal's range is unknown, never an error
    return exp.TryCast(this=value, to=exp.DataType.build(EXACT))


def _exact_sum(left: exp.Expression, right: exp.Expression, op: str) -> exp.Expression:
    node = exp.Add if op == "+" else exp.Sub
    return exp.cast(node(this=_exact(left), expression=_exact(right)), "DOUBLE")


def exact_total(values: exp.Expression) -> exp.Expression:
    """SUM over records in exact decimals, as DOUBLE."""
    return exp.cast(exp.Sum(this=_exact(values)), "DOUBLE")


def _arithmetic(op: str, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    left, right = _paren(left), _paren(right)
    if op in "+-":
        return _exact_sum(left, right, op)
    if op == "*":
        return exp.Mul(this=left, expression=right)
    # division by zero is unknown, never an error (Spark in ANSI mode would fail)
    return exp.Div(this=left, expression=exp.Nullif(this=right, expression=_int(0)))


#: exp(x) from ln(10^18) on is beyond the largest value a subject's data may hold.
_EXP_LIMIT = Fraction("41.44653167389282")


def _math(op: str, x: exp.Expression, y: exp.Expression | None = None) -> exp.Expression:
    """A function of numbers, unknown outside its domain (`values.math_function`)."""
    null = _null("number")
    if op == "sqrt":
        return _case((exp.GTE(this=x, expression=_int(0)), exp.Sqrt(this=x.copy())))
    if op == "exp":
        return _case((exp.LT(this=x, expression=_number(_EXP_LIMIT)), exp.Exp(this=x.copy())))
    if op == "ln":
        return _case((exp.GT(this=x, expression=_int(0)), exp.Ln(this=x.copy())))
    if op == "floor":
        return exp.cast(exp.Floor(this=x), "DOUBLE")
    if op == "ceiling":
        return exp.cast(exp.Ceil(this=x), "DOUBLE")
    assert y is not None
    if op == "round":
        # on exact decimals: halves away from zero in every dialect, and a value such as
        # 1.45 held as the double 1.4499999999999999556 rounds to 1.5 as written
        return exp.cast(exp.Round(this=_exact(x), decimals=y), "DOUBLE")
    whole = exp.EQ(this=y, expression=exp.Floor(this=y.copy()))
    return _case(
        (
            exp.EQ(this=x, expression=_int(0)),
            _case(
                (exp.GT(this=y.copy(), expression=_int(0)), _int(0)),
                (exp.EQ(this=y.copy(), expression=_int(0)), _int(1)),
            ),
        ),
        (_and(exp.LT(this=x.copy(), expression=_int(0)), exp.Not(this=whole)), null),
        (
            exp.GTE(
                this=exp.Mul(this=y.copy(), expression=exp.Ln(this=exp.Abs(this=x.copy()))),
                expression=_number(_EXP_LIMIT),
            ),
            null.copy(),
        ),
        default=exp.Pow(this=x.copy(), expression=y.copy()),
    )


def _average(
    op: str,
    c: exp.Expression,
    v: exp.Expression,
    rank: tuple[exp.Expression, exp.Expression] | None,
) -> exp.Expression:
    """Mean or median of the records that count, in exact decimals; unknown when a
    record is in doubt (condition unknown, or counted without a value) or none counts."""
    doubt = exp.Max(
        this=_case(
            (exp.Is(this=c.copy(), expression=exp.Null()), _int(1)),
            (_and(c.copy(), exp.Is(this=v.copy(), expression=exp.Null())), _int(1)),
            default=_int(0),
        )
    )
    counts = c.copy()
    if rank is not None:  # the median: the middle value, or the two middle values
        position, size = rank
        twice = exp.Mul(this=_int(2), expression=position)
        middle = exp.In(
            this=twice,
            expressions=[
                size,
                exp.Add(this=size.copy(), expression=_int(1)),
                exp.Add(this=size.copy(), expression=_int(2)),
            ],
        )
        counts = _and(counts, middle)
    total = exp.cast(exp.Sum(this=_case((counts, _exact(v.copy())))), "DOUBLE")
    number = exp.Sum(this=_case((counts.copy(), _int(1))))
    quotient = exp.Div(this=total, expression=exp.Nullif(this=number, expression=_int(0)))
    return _case((exp.EQ(this=doubt, expression=_int(0)), quotient))


def _imputed(text: exp.Expression, rule: str) -> exp.Expression:
    """A partial date (text "YYYY-MM-DD", "YYYY-MM" or "YYYY") as the day its rule names:
    the first, middle (the 15th of a month, 1 July of a year) or last day of its period;
    "exact": the date when complete, else unknown.  Any other text is unknown."""

    def on(suffix: str) -> exp.Expression:
        return exp.TryCast(
            this=exp.DPipe(this=text.copy(), expression=_string(suffix)),
            to=exp.DataType.build("DATE"),
        )

    def length(size: int) -> exp.Expression:
        return exp.EQ(this=exp.Length(this=text.copy()), expression=_int(size))

    complete = (length(10), on(""))
    if rule == "exact":
        return _case(complete)
    if rule == "last":
        month_end = _shift(_shift(on("-01"), 0, 1), -1, 0)
        return _case(complete, (length(7), month_end), (length(4), on("-12-31")))
    day, year_day = {"first": ("-01", "-01-01"), "middle": ("-15", "-07-01")}[rule]
    return _case(complete, (length(7), on(day)), (length(4), on(year_day)))


def _is_score(node: n.Node) -> bool:
    """Scores are computed once per subject (criteria often read one twice)."""
    return isinstance(node, n.IntervalSum) and bool(node.name)


def _joined_to_subjects(
    select: exp.Select, tables: list[str], sources: list[_Source], alias: str
) -> exp.Select:
    """`select` FROM the list of every subject of `tables`, each of `sources` joined to it
    (a table's subjects are exactly those of the CTEs that read it: all skip NULL ids)."""
    not_null = exp.Not(this=exp.Is(this=_col(SUBJECT_ID), expression=exp.Null()))
    listed: exp.Query | None = None
    for table in dict.fromkeys(tables):
        ids = exp.select(_col(SUBJECT_ID), copy=False).from_(_table(table), copy=False)
        ids = ids.where(not_null.copy(), copy=False)
        listed = ids if listed is None else exp.union(listed, ids, distinct=True, copy=False)
    assert listed is not None, "every query reads at least the layout tables"
    select = select.from_(listed.subquery(_id(alias), copy=False), copy=False)
    for source in sources:
        select = select.join(
            _table(source.name),
            on=exp.EQ(this=_col(SUBJECT_ID, source.name), expression=_col(SUBJECT_ID, alias)),
            join_type="LEFT",
            copy=False,
        )
    return select


def _sum(parts: list[exp.Expression]) -> exp.Expression:
    total = parts[0]
    for part in parts[1:]:
        total = exp.Add(this=total, expression=_paren(part))
    return total


def _greatest(parts: list[exp.Expression]) -> exp.Expression:
    """The largest of bounds, NULL (unbounded) if any is NULL, in every dialect."""
    largest = parts[0]
    for part in parts[1:]:
        either = _or(exp.Is(this=largest.copy(), expression=exp.Null()),
                     exp.Is(this=part.copy(), expression=exp.Null()))  # fmt: skip
        larger = exp.GTE(this=_operand(largest.copy()), expression=_operand(part.copy()))
        largest = _case((either, _null("number")), (larger, largest), default=part)
    return largest


def _scaled(value: exp.Expression, node: n.Scale) -> exp.Expression:
    x = _paren(value)
    if node.num != 1:
        x = exp.Mul(this=x, expression=_int(node.num))
    if node.den != 1:
        x = exp.Div(this=_paren(x), expression=_number(node.den))
    if node.offset:
        x = exp.Add(this=_paren(x), expression=_number(node.offset))
    # typed, so that SQLGlot rounds through NUMERIC where ROUND has no DOUBLE form (PostgreSQL)
    return exp.Round(this=exp.cast(x, "DOUBLE"), decimals=_int(node.digits))


def _shift(date: exp.Expression, days: int, months: int, kind: str = "DATE") -> exp.Expression:
    if days == 0 and months == 0:
        return date
    amount, unit = (months, "MONTH") if months else (days, "DAY")
    if kind == "TIMESTAMP":
        # an INTERVAL keeps the time of day (Spark's ADD_MONTHS would return a DATE)
        interval = exp.Interval(this=exp.Literal.string(str(abs(amount))), unit=exp.var(unit))
        node = exp.Add if amount > 0 else exp.Sub
        return exp.cast(node(this=_paren(date), expression=interval), kind)
    shifted = exp.DateAdd(this=_paren(date), expression=_int(amount), unit=exp.var(unit))
    return exp.cast(shifted, kind)


def _shift_exactly(timestamp: exp.Expression, seconds: Fraction) -> exp.Expression:
    """A date and time moved by an exact span (an INTERVAL of seconds or microseconds)."""
    if seconds == 0:
        return timestamp
    if seconds.denominator == 1:
        amount, unit = abs(seconds.numerator), "SECOND"
    else:
        amount, unit = abs(round(seconds * 1_000_000)), "MICROSECOND"
    interval = exp.Interval(this=exp.Literal.string(str(amount)), unit=exp.var(unit))
    node = exp.Add if seconds > 0 else exp.Sub
    return exp.cast(node(this=_paren(timestamp), expression=interval), "TIMESTAMP")


def _completed(unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
    """Completed years or months from start to end (end >= start): the largest n with
    start + n years (months) <= end, in calendar arithmetic clamped to the month's end."""
    a, b = _paren(start), _paren(end)
    years = exp.Sub(this=exp.Year(this=b.copy()), expression=exp.Year(this=a.copy()))
    months = exp.Sub(this=exp.Month(this=b.copy()), expression=exp.Month(this=a.copy()))
    # the day of `start` is not reached in end's month (and end is not that month's end)
    not_month_end = exp.NEQ(this=exp.Day(this=_shift(b.copy(), 1, 0)), expression=_int(1))
    later_day = exp.GT(this=exp.Day(this=a.copy()), expression=exp.Day(this=b.copy()))
    short_day = _and(later_day, not_month_end)
    if unit == "month":
        whole = exp.Add(this=exp.Mul(this=exp.Paren(this=years), expression=_int(12)),
                        expression=exp.Paren(this=months))  # fmt: skip
        return exp.Sub(this=whole, expression=_case((short_day, _int(1)), default=_int(0)))
    same_month = exp.EQ(this=exp.Month(this=b.copy()), expression=exp.Month(this=a.copy()))
    earlier_month = exp.LT(this=exp.Month(this=b.copy()), expression=exp.Month(this=a.copy()))
    short = _or(earlier_month, _and(same_month, short_day))
    return exp.Sub(this=years, expression=_case((short, _int(1)), default=_int(0)))


# ---------------------------------------------------------------- reading recorded values


def _agreed(value: exp.Expression, kind: str) -> exp.Expression:
    """The value the rows of one subject and visit agree on, NULL when they disagree.

    One row per subject and visit is expected; should there be several, their
    values as read (converted, valid) are compared, missing ones left out as
    the aggregates leave out NULL: the same value is read once, different
    values are unknown, as in the interpreter (`protocol_dsl.data.tables`).
    Yes/no values are compared by BOOL_AND and BOOL_OR: not every dialect has
    MIN and MAX of a boolean.
    """
    if kind == "bool":
        low: exp.Expression = exp.LogicalAnd(this=value.copy())
        high: exp.Expression = exp.LogicalOr(this=value)
    else:
        low, high = exp.Min(this=value.copy()), exp.Max(this=value)
    return _case((exp.EQ(this=low, expression=high.copy()), high))


def _converted(column: Column) -> exp.Expression:
    """A column as recorded, brought to the item's unit (per-row unit column)."""
    value = _col(column.name)
    if column.item_kind == "integer":
        return exp.cast(value, "DOUBLE")
    if column.item_kind == "datetime":
        return value  # a TIMESTAMP: its time part is compared
    if column.item_kind != "quantity" or column.unit_column is None:
        return value
    unit = _col(column.unit_column)
    same = _or(
        exp.Is(this=unit.copy(), expression=exp.Null()),
        exp.In(this=unit.copy(), expressions=[_string(""), _string(column.unit or "")]),
    )
    branches: list[tuple[exp.Expression, exp.Expression]] = [(same, value.copy())]
    for conversion in column.conversions:
        scale = n.Scale(
            n.Const("number", None), conversion.num, conversion.den, conversion.offset,
            conversion.digits, "number",
        )  # fmt: skip
        converted = value.copy() if conversion.is_identity else _scaled(value.copy(), scale)
        branches.append((exp.EQ(this=unit.copy(), expression=_string(conversion.unit)), converted))
    return _case(*branches)


def _valid(column: Column, value: exp.Expression) -> exp.Expression:
    """A converted value, or NULL when the item cannot hold it (code, range)."""
    if column.codes is not None:
        return _case(
            (exp.In(this=value.copy(), expressions=[_string(c) for c in column.codes]), value)
        )
    if column.item_kind == "titer":
        return _case((exp.GT(this=value.copy(), expression=_int(0)), value))
    if column.low is not None and column.high is not None:
        within = _and(
            exp.GTE(this=value.copy(), expression=_number(Fraction(repr(column.low)))),
            exp.LTE(this=value.copy(), expression=_number(Fraction(repr(column.high)))),
        )
        return _case((within, value))
    return value
