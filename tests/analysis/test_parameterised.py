"""Parameterised definitions: a rule written once and applied to each visit, item or log.

An application means exactly its rule with the arguments in place: the same
values (interpreter and DuckDB) and the same words as the rule written out by
hand, on generated subjects with missing values; `protocol fmt` keeps it; and
the wrong applications are refused with their codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from protocol_dsl import model as m
from protocol_dsl.analysis.derive import Deriver, subjects_of
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data.batch import Batch
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.semantics.words import endpoint_in_words
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module
from tests.analysis.test_differential import SPEC as PLAIN
from tests.analysis.test_differential import _tables, batches

pytest.importorskip("duckdb")

from generators.endpoints.run import derive_with_duckdb

HEAD = PLAIN[: PLAIN.index("objective O")]

DEFINITIONS = """\
define improved(visit, by) "Improved since day 1"
  = scores.total at visit - scores.total at D1 <= by

define gain(points) "Improved since day 1, at the visit computed"
  = scores.total - scores.total at D1 <= points

define low_throughout(first, last, limit) "Low at every visit of a range"
  = all visits from first to last satisfy scores.total <= limit

define worse_than(earlier) "Worse than at an earlier visit"
  = scores.total > scores.total at earlier

define any_term(log, word) "A record of a log with a term"
  = any log where term contains word

define serious_rate(log) "Serious records per 100 days on study"
  = count(log where serious = yes) / days_between(first_dose, status.end_date) * 100

define emergent(reference) "Started on or after a date" = start >= reference

define sustained(visit) "Improved at a visit and still low"
  = improved(visit, -4) and low_throughout(W4, visit, 40)

"""

APPLIED = """\
objective O primary "Endpoints with their rules written once" {
  endpoint RESP "Improved by 4 points at week 8" responder = improved(W8, -4)
  endpoint RESPV "Improved by 4 points" responder by visit W4, W8 = gain(-4)
  endpoint LOWALL "At most 40 at every visit from week 4 to week 8" responder
    = low_throughout(W4, W8, 40)
  endpoint WORSE "Worse than at week 4" responder by visit W8 = worse_than(W4)
  endpoint ANYRASH "Any rash" flag = any_term(events, "rash")
  endpoint RATE "Serious adverse events per 100 days on study" value = serious_rate(events)
  endpoint TRTEM "Treatment-emergent" flag per events = emergent(first_dose)
  endpoint SUST "Sustained improvement" responder = sustained(W8)
}
"""

WRITTEN_OUT = """\
objective O primary "Endpoints with their rules written once" {
  endpoint RESP "Improved by 4 points at week 8" responder
    = scores.total at W8 - scores.total at D1 <= -4
  endpoint RESPV "Improved by 4 points" responder by visit W4, W8
    = scores.total - scores.total at D1 <= -4
  endpoint LOWALL "At most 40 at every visit from week 4 to week 8" responder
    = all visits from W4 to W8 satisfy scores.total <= 40
  endpoint WORSE "Worse than at week 4" responder by visit W8 = scores.total > scores.total at W4
  endpoint ANYRASH "Any rash" flag = any events where term contains "rash"
  endpoint RATE "Serious adverse events per 100 days on study" value
    = count(events where serious = yes) / days_between(first_dose, status.end_date) * 100
  endpoint TRTEM "Treatment-emergent" flag per events = start >= first_dose
  endpoint SUST "Sustained improvement" responder
    = scores.total at W8 - scores.total at D1 <= -4
      and (all visits from W4 to W8 satisfy scores.total <= 40)
}
"""


def _load(tmp_path_factory: pytest.TempPathFactory, source: str) -> Spec:
    path = tmp_path_factory.mktemp("spec") / "endpoints.trial"
    path.write_text(source, encoding="utf-8")
    result = load_for_screening(str(path))
    assert result.spec is not None and not has_errors(result.diagnostics), result.diagnostics
    return result.spec


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    return _load(tmp_path_factory, HEAD + DEFINITIONS + APPLIED)


@pytest.fixture(scope="module")
def written_out(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    return _load(tmp_path_factory, HEAD + WRITTEN_OUT)


def _interpreted(spec: Spec, batch: Batch) -> list[object]:
    deriver = Deriver(spec, plan_endpoints(spec))
    return [deriver.subject(s) for s in subjects_of(deriver, batch)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=batches())
def test_an_application_computes_its_rule_written_out(
    applied: Spec, written_out: Spec, batch: Batch, tmp_path: Path
) -> None:
    """Interpreter on the applications = interpreter on the rules written out = DuckDB."""
    by_hand = _tables(written_out, _interpreted(written_out, batch), tmp_path / "by_hand")
    interpreted = _tables(applied, _interpreted(applied, batch), tmp_path / "interpreter")
    sql = derive_with_duckdb(applied, plan_endpoints(applied), batch)
    by_sql = _tables(applied, sql, tmp_path / "duckdb")
    assert sorted(interpreted) == sorted(by_hand) == sorted(by_sql)
    for name in interpreted:
        assert interpreted[name].decode() == by_hand[name].decode(), name
        assert interpreted[name].decode() == by_sql[name].decode(), name


def test_an_application_reads_as_its_rule_written_out(applied: Spec, written_out: Spec) -> None:
    """The protocol shows the derivation down to the items, never the definition's name."""
    ours = {e.name: e for _, e in _endpoints(applied)}
    theirs = {e.name: e for _, e in _endpoints(written_out)}
    assert ours.keys() == theirs.keys()
    for name, endpoint in ours.items():
        assert endpoint_in_words(endpoint, applied) == endpoint_in_words(theirs[name], written_out)
    words, _ = endpoint_in_words(ours["RESP"], applied)
    assert "improved" not in words.lower() and "total score at week 8" in words.lower()


def _endpoints(spec: Spec) -> list[tuple[m.Objective, m.Endpoint]]:
    return [(o, e) for o in spec.module.of_type(m.Objective) for e in o.endpoints]


def test_fmt_keeps_the_parameters() -> None:
    source = HEAD + DEFINITIONS + APPLIED
    formatted = format_source(source)
    assert "define improved(visit, by) " in formatted
    assert format_source(formatted) == formatted
    module, diagnostics = parse_module(formatted, "spec.trial")
    original, _ = parse_module(source, "spec.trial")
    assert module is not None and original is not None and not diagnostics
    defines = {d.name: d.params for d in module.of_type(m.Define)}
    assert defines["low_throughout"] == ("first", "last", "limit")
    assert module == original


@pytest.mark.parametrize(
    ("rule", "code", "where"),
    [
        ("improved(W8)", "E1059", "improved(W8)"),
        ("improved", "E1059", "improved"),
        ("improved(W4 + 1, -4)", "E1060", "W4 + 1"),
        ("looping(W8)", "E1061", "looping(W8)"),
        ("improved(W9, -4)", "E0106", "W9"),
    ],
)
def test_a_wrong_application_is_refused(rule: str, code: str, where: str) -> None:
    looping = 'define looping(visit) "Loops" = improved(visit, -4) and looping(visit)\n'
    source = (
        HEAD
        + DEFINITIONS
        + looping
        + (f'objective O primary "O" {{\n  endpoint R "R" responder = {rule}\n}}\n')
    )
    diagnostics = compile_spec("wrong.trial", source).diagnostics
    found = [d for d in diagnostics if d.code == code]
    assert found, [str(d) for d in diagnostics]
    span = found[0].span
    assert span is not None
    assert source.splitlines()[span.line - 1][span.column - 1 :].startswith(where)
    # one problem, one diagnostic: the arguments are not reported again as unknown names
    assert not [d for d in diagnostics if d.code == "E0101"], [str(d) for d in diagnostics]


def test_a_changed_rule_is_a_change_of_every_endpoint_that_applies_it(tmp_path: Path) -> None:
    """`protocol diff`: the definition's change reaches the endpoints through its applications."""
    from click.testing import CliRunner

    from protocol_dsl.cli import cli

    old = tmp_path / "old.trial"
    new = tmp_path / "new.trial"
    old.write_text(HEAD + DEFINITIONS + APPLIED, encoding="utf-8")
    changed = DEFINITIONS.replace(
        "= scores.total at visit - scores.total at D1 <= by",
        "= scores.total at visit - scores.total at D1 < by",
    )
    assert changed != DEFINITIONS
    new.write_text(HEAD + changed + APPLIED, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert "definition improved: rule changed; affects RESP, SUST" in result.output, result.output
    assert "ENDPOINT_DEPENDENCY_CHANGED" in result.output
