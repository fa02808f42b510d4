"""Golden files of the generated SQL, and the SQL of every dialect read back by SQLGlot.

Regenerate the golden files with ``UPDATE_GOLDEN=1 pytest tests/sql/test_golden.py``
and read the difference before committing it.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import duckdb
import pytest
import sqlglot

from generators.sql import DIALECTS
from generators.sql.build import build
from generators.sql.compile import render, screening_query
from generators.sql.run import connect
from generators.sql.schema import render_schema
from protocol_dsl.allocation import stratum_column
from protocol_dsl.compiler import compile_spec
from tests.sql.cases import CDISCPILOT01, CDISCPILOT01_ELIGIBLE, QLS4131, QLS4131_ELIGIBLE

GOLDEN = Path(__file__).parent / "golden"
SPECS = {"qls4131": QLS4131, "cdiscpilot01": CDISCPILOT01}


def _variants(base: dict, changes: list[tuple[tuple[str, ...], object]]) -> list[dict]:
    """`base`, and one copy of it per change (a path into the record and a new value)."""
    subjects = [base]
    for number, (path, value) in enumerate(changes, start=1):
        subject = copy.deepcopy(base)
        subject["subject_id"] = f"{base['subject_id']}-{number}"
        target = subject
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        subjects.append(subject)
    return subjects


#: Eligible, ineligible and indeterminate subjects of each spec.
SUBJECTS = {
    "qls4131": _variants(
        QLS4131_ELIGIBLE,
        [
            (("forms", "demographics", "SCR", "birth_date"), "2008-01-07"),
            (("forms", "serology", "SCR", "c3"), None),
            (("forms", "medications", 0, "daily_dose"), {"value": 0.05, "unit": "g/d"}),
            (("forms", "medications", 0, "dose_start"), "2024-12-24"),
            (("visits", "D1"), None),
            (("attestations", "I6"), False),
        ],
    ),
    "cdiscpilot01": _variants(
        CDISCPILOT01_ELIGIBLE,
        [
            (("forms", "eligibility_assessments", "SCRN1", "mmse_total"), 24),
            (("forms", "eligibility_assessments", "SCRN1", "imaging_date"), "2012-01-01"),
            (("forms", "demographics", "SCRN1", "postmenopausal"), None),
            (("forms", "screening_labs", "SCRN1", "tsh"), {"value": 5000, "unit": "u[IU]/L"}),
        ],
    ),
}


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module", params=sorted(SPECS))
def named_spec(request: pytest.FixtureRequest):
    return request.param, compile_spec(str(SPECS[request.param])).spec


@pytest.fixture(scope="module")
def screened(named_spec):
    """A connection over the spec's test subjects, and the DuckDB query's result there."""
    name, spec = named_spec
    connection = connect(spec, SUBJECTS[name])
    native = connection.sql(render(screening_query(spec), "duckdb")).fetchall()
    yield connection, native
    connection.close()


def test_duckdb_query_matches_golden(named_spec) -> None:
    name, spec = named_spec
    _check_golden(f"{name}.duckdb.sql", render(screening_query(spec), "duckdb"))


def test_schema_matches_golden(named_spec) -> None:
    name, spec = named_spec
    _check_golden(f"{name}.schema.duckdb.sql", render_schema(spec, "duckdb"))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_means_the_same(named_spec, screened, dialect: str) -> None:
    """The SQL written for each dialect, read back by SQLGlot in that dialect and run
    on DuckDB, screens a set of subjects exactly as the DuckDB query does."""
    _name, spec = named_spec
    connection, native = screened
    text = render(screening_query(spec, dialect), dialect)
    back = sqlglot.parse_one(text, read=dialect).sql(dialect="duckdb")
    assert connection.sql(back).fetchall() == native
    status = 1 + len(spec.criteria)  # after the subject id and the criteria; strata follow
    assert {row[status] for row in native} == {"eligible", "ineligible", "indeterminate"}


def test_query_runs_on_the_empty_schema(named_spec) -> None:
    """The DuckDB query runs on the CREATE TABLE statements of its own schema."""
    _name, spec = named_spec
    connection = duckdb.connect()
    connection.execute(render_schema(spec, "duckdb"))
    relation = connection.sql(render(screening_query(spec), "duckdb"))
    criteria = [c.id for c in spec.criteria]
    strata = (
        [stratum_column(f.name, s.name) for f in spec.randomisation.factors for s in f.strata]
        if spec.randomisation is not None
        else []
    )
    assert relation.columns == ["subject_id", *criteria, "status", *strata]
    assert relation.fetchall() == []


def test_build_writes_every_dialect_deterministically(tmp_path: Path) -> None:
    spec = compile_spec(str(QLS4131)).spec
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first, second = build(spec, tmp_path / "a"), build(spec, tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == sorted([f"screening.{d}.sql" for d in DIALECTS] + ["schema.duckdb.sql"])
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert a.read_bytes() == b.read_bytes()
