"""The screening query's shape: operators an engine can spill to disk under a memory limit.

Every per-subject CTE is joined by LEFT JOIN on the plain subject id to one list
of every subject (a UNION of the input tables' ids): no chain of FULL OUTER
JOINs on COALESCEs of ids at the top, no window function where no median asks
for one.  The answers stay the interpreter's (`test_differential`); here the
shape itself, on every real spec.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlglot import exp

from generators.sql.compile import SUBJECT_ID, screening_query
from protocol_dsl.compiler import compile_spec
from protocol_dsl.plan.dictionary import LAYOUT_TABLES

ROOT = Path(__file__).resolve().parents[2]
REAL_SPECS = sorted((ROOT / "specs").glob("*.trial"))


def _criteria_select(query: exp.Expression) -> exp.Select:
    """The SELECT that reads the subject list (the one with the criteria's conditions)."""
    for select in query.find_all(exp.Select):
        source = select.args.get("from_") or select.args.get("from")
        if source is not None and source.this.alias_or_name == "subject_list":
            return select
    raise AssertionError("no SELECT reads the subject list")


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.stem)
def test_every_source_is_left_joined_to_one_subject_list(path: Path) -> None:
    spec = compile_spec(str(path)).spec
    assert spec is not None
    query = screening_query(spec)
    select = _criteria_select(query)
    joins = select.args.get("joins") or []
    assert joins, "the criteria read at least one form"
    for join in joins:
        assert join.side == "LEFT", join.sql("duckdb")
        on = join.args["on"]
        assert isinstance(on, exp.EQ)
        # a plain key: the subject id of the source against the subject list's
        assert {c.name for c in on.find_all(exp.Column)} == {SUBJECT_ID}
        assert not list(on.find_all(exp.Coalesce))
    listed = select.args.get("from_") or select.args.get("from")
    union = listed.this.this
    assert isinstance(union, exp.Union) and union.args.get("distinct")
    tables = {t.name for t in union.find_all(exp.Table)}
    assert set(LAYOUT_TABLES) <= tables  # subjects of tables no criterion reads come out too


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.stem)
def test_no_window_without_a_median(path: Path) -> None:
    spec = compile_spec(str(path)).spec
    assert spec is not None
    query = screening_query(spec)
    windows = list(query.find_all(exp.Window))
    medians = "median" in path.read_text(encoding="utf-8")
    assert medians or not windows


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.stem)
def test_no_full_outer_join_anywhere(path: Path) -> None:
    spec = compile_spec(str(path)).spec
    assert spec is not None
    query = screening_query(spec)
    assert all(join.side != "FULL" for join in query.find_all(exp.Join))


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.stem)
def test_each_pivot_reads_the_visits_its_criteria_read(path: Path) -> None:
    """A form's rows at other visits are never aggregated (the subject list has every
    subject), and a form read at one visit has no visit test per value."""
    spec = compile_spec(str(path)).spec
    assert spec is not None
    query = screening_query(spec)
    for cte in query.find_all(exp.CTE):
        if not cte.alias.endswith("_by_visit"):
            continue
        wheres = [w for w in cte.find_all(exp.Where) if list(w.find_all(exp.In))]
        assert wheres, cte.alias
        visits = {v.name for w in wheres for i in w.find_all(exp.In) for v in i.expressions}
        tests = [
            eq
            for eq in cte.find_all(exp.EQ)
            if isinstance(eq.this, exp.Column) and eq.this.name == "visit"
        ]
        assert bool(tests) == (len(visits) > 1), cte.alias
