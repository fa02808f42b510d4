"""The composite strategy stated as a rule: a subject with the intercurrent event is a
non-responder (ICH E9(R1)), computed by `protocol endpoints` in both engines.

On generated subjects with missing values: the estimand's parameter is no when
the event happened or the response is no, yes only when the response is yes and
no event can have happened, and unknown otherwise; the interpreter and DuckDB
write the same tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from protocol_dsl.analysis.derive import Deriver, subjects_of
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.data.batch import Batch
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.spec import Spec
from tests.analysis.test_differential import SPEC as PLAIN
from tests.analysis.test_differential import _tables, batches

pytest.importorskip("duckdb")

from generators.endpoints.run import derive_with_duckdb

HEAD = PLAIN[: PLAIN.index("objective O")]

ESTIMAND = """\
arm A "Active" type experimental
arm P "Placebo" type placebo

population FAS "Full analysis set" = scores.total at D1 is known

objective O primary "Efficacy" {
  endpoint RESP "Improved by 4 points at week 8" responder
    = scores.total at W8 - scores.total at D1 <= -4
  endpoint RESPV "Improved by 4 points" responder by visit W4, W8
    = scores.total - scores.total at D1 <= -4
  estimand EST "Difference in response rates at week 8" {
    treatment A versus P
    population FAS
    variable RESP
    intercurrent "Serious adverse event" composite "counted as non-response"
      when any events where serious = yes
    intercurrent "Missed week 8" composite "counted as non-response" when not (week8 is known)
    intercurrent "Change of background therapy" treatment_policy
    summary "Difference in response rates"
  }
  estimand ESTV "Response by visit" {
    treatment A versus P
    population FAS
    variable RESPV
    intercurrent "Serious adverse event" composite "counted as non-response"
      when any events where serious = yes
    summary "Difference in response rates"
  }
}
"""


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    path = tmp_path_factory.mktemp("spec") / "composite.trial"
    path.write_text(HEAD + ESTIMAND, encoding="utf-8")
    result = load_for_screening(str(path))
    assert result.spec is not None and not has_errors(result.diagnostics), result.diagnostics
    return result.spec


def _and_not(response: bool | None, *events: bool | None) -> bool | None:
    """Kleene's `response and not e1 and not e2 …`, written out."""
    values = [response, *(None if e is None else not e for e in events)]
    if False in values:
        return False
    return None if None in values else True


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=batches())
def test_an_event_counts_as_non_response(spec: Spec, batch: Batch, tmp_path: Path) -> None:
    plan = plan_endpoints(spec)
    assert [e.name for e in plan.subject if e.name.startswith("EST")] == ["EST", "ESTV"]
    deriver = Deriver(spec, plan)
    interpreted = [deriver.subject(s) for s in subjects_of(deriver, batch)]
    outcomes = set()
    for subject in interpreted:
        values = subject.values
        serious = _serious(batch, subject.subject_id)
        attended = "W8" in _visits(batch, subject.subject_id)
        expected = _and_not(values["RESP"].value, serious, not attended)
        assert values["EST"].value is expected, subject.subject_id
        for visit in ("W4", "W8"):
            at = f"@{visit}"
            assert values["ESTV" + at].value is _and_not(values["RESPV" + at].value, serious)
        outcomes.add(expected)
    by_sql = derive_with_duckdb(spec, plan, batch)
    a = _tables(spec, interpreted, tmp_path / "interpreter")
    b = _tables(spec, by_sql, tmp_path / "duckdb")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].decode() == b[name].decode(), name


def _record(batch: Batch, subject_id: str) -> dict[str, object]:
    for raw in batch.subjects:
        if raw.record["subject_id"] == subject_id:
            return raw.record
    raise AssertionError(subject_id)


def _visits(batch: Batch, subject_id: str) -> dict[str, str]:
    visits = _record(batch, subject_id)["visits"]
    assert isinstance(visits, dict)
    return visits


def _serious(batch: Batch, subject_id: str) -> bool | None:
    """`any events where serious = yes`, by hand: unknown for a log not recorded
    (unless complete or answered none) or a record whose answer is missing."""
    raw = next(r for r in batch.subjects if r.record["subject_id"] == subject_id)
    forms = raw.record["forms"]
    assert isinstance(forms, dict)
    events = forms.get("events")
    if not events:
        answered_none = forms["status"]["SCR"]["any_events"] is False
        return False if (answered_none or "events" in raw.complete_forms) else None
    answers = [e["serious"] for e in events]
    if True in answers:
        return True
    return None if None in answers else False
