"""Values an item cannot hold: the interpreter and the generated module report the same.

For subjects generated around the rules of the real specs (values invalid,
out of range, in units that do not convert), every value the interpreter
reports as a data problem the generated module reports too, for the same
field and with the same category; and the module reports nothing more.
The SQL leaves such values unknown (its statuses are compared in
`test_differential`); its output has no list of problems.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.evaluate import evaluate_subject
from tests.sql.cases import BASELINES
from tests.sql.problems import interpreter_problems, module_problems
from tests.sql.subjects import subject_batches
from tests.sql.test_differential import SPECS, generated_module


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_the_module_reports_the_values_the_interpreter_cannot_read(
    name: str, data: st.DataObject
) -> None:
    spec = SPECS[name]
    module = generated_module(spec)
    for subject in data.draw(subject_batches(spec, BASELINES[name], max_size=6)):
        expected = interpreter_problems(evaluate_subject(spec, subject).invalid)
        assert module_problems(module.screen(subject)) == expected, subject


def test_an_invalid_attestation_is_reported_by_the_module() -> None:
    spec = SPECS["qls4131_sle_phase1b.trial"]
    attested = next(c.id for c in spec.criteria if c.attested)
    subject = {**BASELINES["qls4131_sle_phase1b.trial"], "attestations": {attested: "maybe"}}
    assert module_problems(generated_module(spec).screen(subject)) == [
        (f"attestations.{attested}", "invalid_value")
    ]
    assert interpreter_problems(evaluate_subject(spec, subject).invalid) == [
        (f"attestations.{attested}", "invalid_value")
    ]
