"""The CQL conformance cases this language can express, through every engine.

Cases derived from HL7 cqframework/cql-tests, Apache-2.0
(https://github.com/cqframework/cql-tests): logic with nulls, comparisons of
numbers, quantities and dates, arithmetic and aggregates, restated in this
language in `cql_cases.txt` (our own format, one case a line, each naming the
CQL file, group and test).  Every case becomes an inclusion criterion of the
spec `cql.trial`, screened for one subject by the interpreter, the generated
module and DuckDB SQL: each engine must give the restated result.  A case
whose result differs from CQL's names the difference, which
docs/reference.md documents under "Differences from CQL".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from generators.checks.module import render_module
from generators.sql.run import screen_with_duckdb
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.spec import Spec

HERE = Path(__file__).resolve().parent
CASES = HERE / "cql_cases.txt"
SPEC = HERE / "cql.trial"
REFERENCE = HERE.parents[1] / "docs" / "reference.md"
RESULTS = {"met", "not_met", "unknown"}
CQL_RESULTS = {"met": "true", "not_met": "false", "unknown": "null"}


@attrs.frozen
class Case:
    """One CQL test restated: our expression and result, and CQL's if it differs."""

    file: str
    group: str
    test: str
    expression: str
    result: str
    cql_result: str | None
    difference: str | None
    line: int

    @property
    def name(self) -> str:
        return f"{self.file}/{self.group}/{self.test}"


def read_cases(text: str) -> list[Case]:
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split(" | ")]
        if len(fields) not in (5, 7):
            raise ValueError(f"cql_cases.txt line {number}: 5 or 7 fields expected: {line}")
        cql_result, difference = (fields[5], fields[6]) if len(fields) == 7 else (None, None)
        cases.append(Case(*fields[:5], cql_result, difference, number))
    return cases


ALL = read_cases(CASES.read_text(encoding="utf-8"))


def _elements(**lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"list": name, **element} for name, elements in lists.items() for element in elements]


#: The subject the cases read: yes/no values, date-times, and the lists of the aggregates.
SUBJECT: dict[str, Any] = {
    "subject_id": "CQL",
    "visits": {"SCR": "2025-01-06"},
    "forms": {
        "v": {"SCR": {"t": "yes", "f": "no", "two": 2, "one_one": 1.1}},
        "dt": {
            "SCR": {
                "d0510_05": "2005-05-10T05:00:00",
                "d0510_10": "2005-05-10T10:00:00",
                "d0510_0520": "2005-05-10T05:20:30",
                "d0510_1020": "2005-05-10T10:20:30",
                "d160610_05": "2016-06-10T05:00:00",
                "d160611_00": "2016-06-11T00:00:00",
                "d160609_23": "2016-06-09T23:00:00",
                "d0510_0505": "2005-05-10T05:05:00",
                "d0510_0510": "2005-05-10T05:10:00",
                "d160610_0505": "2016-06-10T05:05:00",
                "d160610_0600": "2016-06-10T06:00:00",
                "d160610_0459": "2016-06-10T04:59:00",
                "s0510_050505": "2005-05-10T05:05:05",
                "s0510_050510": "2005-05-10T05:05:10",
                "s160610_0505": "2016-06-10T05:05:05",
                "s160610_0506": "2016-06-10T05:06:00",
                "d101012_1205": "2010-10-12T12:05:00",
                "d080815_0808": "2008-08-15T08:08:00",
                "d001015_1030": "2000-10-15T10:30:00",
                "d001025_1000": "2000-10-25T10:00:00",
                "d120310_2205": "2012-03-10T22:05:09",
                "d120324_0719": "2012-03-24T07:19:33",
            }
        },
        "xs": _elements(
            SumTest1=[{"x": x} for x in (6.0, 2.0, 3.0, 4.0, 5.0)],
            SumTestQuantity=[{"vol": {"value": v, "unit": "mL"}} for v in (1, 2, 3, 4, 5)],
            SumTestNull=[{}, {"x": 1}, {}],
            CountTest1=[{"x": 15}, {"x": 5}, {"x": 99}, {}, {"x": 1}],
            MaxTestInteger=[{"x": x} for x in (5, 12, 1, 15, 0, 4, 90, 44)],
            MinTestInteger=[{"x": x} for x in (5, 12, 1, 15, 0, 4, 90, 44)],
            AllTrueAllTrue=[{"flag": True}, {"flag": True}],
            AllTrueTrueFirst=[{"flag": True}, {"flag": False}],
            AllTrueNullFirst=[{}, {"flag": True}, {"flag": True}],
            AnyTrueAllTrue=[{"flag": True}, {"flag": True}],
            AnyTrueAllFalse=[{"flag": False}, {"flag": False}],
            AnyTrueNullFirstThenTrue=[{}, {"flag": True}],
            AnyTrueNullFirstThenFalse=[{}, {"flag": False}],
        ),
    },
    "attestations": {"I1": True},
}


def criterion_id(index: int) -> str:
    return f"C{index + 1}"


@cache
def spec() -> Spec:
    """cql.trial with one inclusion criterion a case."""
    rules = "".join(
        f'inclusion {criterion_id(i)} "{case.name}" = {case.expression}\n'
        for i, case in enumerate(ALL)
    )
    source = SPEC.read_text(encoding="utf-8") + "\n" + rules
    result = load_for_screening(str(SPEC), source)
    errors = [
        f"{d.message} (line {d.span.line}: {source.splitlines()[d.span.line - 1]})"
        for d in result.diagnostics
        if d.is_error
    ]
    assert result.spec is not None and not errors, errors
    return result.spec


@cache
def results() -> dict[str, dict[str, str]]:
    """Per engine, the status of every case's criterion."""
    compiled = spec()
    module = ModuleType("cql_screening")
    exec(compile(render_module(compiled), "cql_screening.py", "exec"), module.__dict__)
    (row,) = screen_with_duckdb(compiled, [SUBJECT])
    return {
        "interpreter": {
            cid: c.status for cid, c in evaluate_subject(compiled, SUBJECT).criteria.items()
        },
        "generated module": module.screen(SUBJECT)["criteria"],
        "duckdb": row["criteria"],
    }


def test_the_fixture_credits_its_source_and_is_well_formed() -> None:
    text = CASES.read_text(encoding="utf-8")
    assert "derived from HL7 cqframework/cql-tests, Apache-2.0" in text
    names = [case.name for case in ALL]
    assert len(names) == len(set(names)), "a CQL test restated twice"
    for case in ALL:
        assert case.file.startswith("Cql") and case.test, case
        assert case.result in RESULTS, case
        if case.difference is not None:
            assert case.cql_result in RESULTS and case.cql_result != case.result, case


@pytest.mark.parametrize("case", ALL, ids=[case.name for case in ALL])
@pytest.mark.parametrize("engine", ["interpreter", "generated module", "duckdb"])
def test_case(case: Case, engine: str) -> None:
    status = results()[engine][criterion_id(ALL.index(case))]
    assert status == case.result, (
        f"{case.name} (cql_cases.txt line {case.line}): {case.expression} is {status} "
        f"in the {engine}, {case.result} expected"
    )


def _differences_section() -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    match = re.search(r"^## Differences from CQL\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match is not None, "docs/reference.md has no section 'Differences from CQL'"
    return match.group(1)


@pytest.mark.parametrize(
    "case",
    [case for case in ALL if case.difference is not None],
    ids=[case.name for case in ALL if case.difference is not None],
)
def test_each_difference_from_cql_is_documented(case: Case) -> None:
    section = _differences_section()
    assert f"`{case.difference}`" in section, f"difference {case.difference} not documented"
    assert case.test in section, f"{case.test} is not named with its difference"


def test_the_count_of_cases_agreeing_with_cql_is_what_the_reference_says() -> None:
    agreeing = sum(1 for case in ALL if case.difference is None)
    different = len(ALL) - agreeing
    section = _differences_section()
    assert f"{len(ALL)} cases" in section and f"{agreeing} agree" in section, (
        f"the reference should say: {len(ALL)} cases, {agreeing} agree, {different} differ"
    )
