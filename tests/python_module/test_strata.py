"""The standalone screening module reports each eligible subject's stratum as
`protocol screen` does: the stratum of every factor, the combined stratum, and
"unknown" where a rule lacks the data to decide."""

from __future__ import annotations

import itertools

from generators.checks.module import render_module
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject

SPEC = """
trial STRATIFIED {
  title "A stratified randomised trial"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

arm A "Active" type experimental
arm P "Placebo" type placebo

form screening "Screening" at SCR {
  age      integer "Age" range 0 .. 120
  activity integer "Disease activity score" range 0 .. 100
  steroid  number  "Prednisone equivalent (mg/day)" range 0 .. 200
}

inclusion I1 "Adults" = screening.age >= 18

randomisation {
  ratio A 1, P 1
  method permuted_blocks block_sizes 4
  stratify_by activity "Disease activity at screening" {
    low  "9 or less"  = screening.activity <= 9
    high "10 or more" = screening.activity >= 10
  }
  stratify_by steroid "Glucocorticoid dose at screening" {
    low_dose  "Below 10 mg/day" = screening.steroid < 10
    mid_dose  "From 10 mg/day"  = screening.steroid >= 10
  }
}
"""

VALUES = {
    "age": (None, 17, 40),
    "activity": (None, 9, 10),
    "steroid": (None, 5, 10, 20),
}


def _subjects() -> list[dict[str, object]]:
    subjects: list[dict[str, object]] = []
    for number, values in enumerate(itertools.product(*VALUES.values())):
        recorded = {k: v for k, v in zip(VALUES, values, strict=True) if v is not None}
        subjects.append(
            {
                "subject_id": f"S{number:02d}",
                "visits": {"SCR": "2025-01-06"},
                "forms": {"screening": {"SCR": recorded}},
            }
        )
    return subjects


def test_the_module_reports_the_strata_as_the_interpreter_does() -> None:
    result = compile_spec("stratified.trial", SPEC)
    assert result.spec is not None
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    source = render_module(result.spec)
    assert "STRATA = (" in source
    namespace: dict[str, object] = {}
    exec(compile(source, "screening_checks.py", "exec"), namespace)
    screen = namespace["screen"]
    assert callable(screen)
    stratum_seen = set()
    for subject in _subjects():
        interpreted = evaluate_subject(result.spec, subject).to_json()
        by_module = screen(subject)
        assert by_module["status"] == interpreted["status"], subject
        assert by_module["strata"] == interpreted["strata"], subject
        assert by_module["stratum"] == interpreted["stratum"], subject
        # what an unknown stratum needs, as the interpreter says it
        assert set(by_module["strata_data_needed"]) == set(interpreted["strata_data_needed"])
        stratum_seen.add(by_module["stratum"])
    # every kind of outcome occurred: a combined stratum, unknown (missing data), and
    # none for a subject not eligible
    assert {"activity=low;steroid=low_dose", "activity=high;steroid=mid_dose"} <= stratum_seen
    assert {"unknown", None} <= stratum_seen


def test_an_unstratified_spec_writes_no_strata() -> None:
    unstratified = SPEC[: SPEC.index("randomisation {")]
    result = compile_spec("plain.trial", unstratified)
    assert result.spec is not None
    source = render_module(result.spec)
    assert "STRATA" not in source and "_stratify" not in source
