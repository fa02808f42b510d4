"""min and max over no record are missing even when the data are complete: no false finding.

A criterion such as "no other medication" written as
`min(meds.start where class = other) is missing` is met by a subject without
such a record.  The solver must not call it "never met" (W0403), nor call
`min(meds.start) is known` "always met" (W0402); the interpreter shows both
outcomes on real subject records.
"""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules

SPEC = """trial T {
  title "Aggregates"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

codelist med_class "Class" {
  steroid "Steroid"
  other "Other"
}

form meds "Medications" repeating at SCR {
  class choice med_class "Class"
  start date "Start"
}

inclusion I1 "Has a start" = min(meds.start) is known
exclusion E3 "No other medication" = min(meds.start where class = other) is missing
"""


def test_min_and_max_of_no_record_can_be_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.trial"
    path.write_text(SPEC, encoding="utf-8")
    result = compile_spec(str(path))
    assert result.spec is not None
    findings = {d.code for d in result.diagnostics if d.code.startswith(("E04", "W04"))}
    assert not findings, [d.message for d in result.diagnostics]

    screener = compile_spec_rules(result.spec)
    other = {"class": "other", "start": "2024-01-01"}
    steroid = {"class": "steroid", "start": "2024-02-01"}
    outcomes = set()
    for records in ([], [steroid], [other], [steroid, other]):
        subject = {"subject_id": "S", "forms": {"meds": records}}
        criteria = screener.screen(subject).criteria
        outcomes.add((criteria["I1"].status, criteria["E3"].status))
    assert {s for s, _ in outcomes} == {"met", "not_met"}
    assert {s for _, s in outcomes} == {"met", "not_met"}
