"""Witnesses are right by construction: the interpreter judges each one as it says.

For both real specs (and the clean specs of cases/) every witness is screened by the three-valued interpreter
(`protocol_dsl.evaluate`): the eligible one is eligible, and each failing one
is ineligible because of exactly its criterion, with every value valid for the
data dictionary.  Boundaries sit at the threshold (age 17 and 71 for an 18 to
70 range), output is the same bytes on every run, and a small spec's
witnesses are a golden file (regenerate with UPDATE_GOLDEN=1, then read it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules, evaluate_expr
from protocol_dsl.solver.witness import build_witnesses
from protocol_dsl.spec import Spec
from tests.solver.support import CASES, HERE, QLS4131, REAL_SPECS

GOLDEN = HERE / "golden"


def _load(path: Path) -> Spec:
    result = compile_spec(str(path))
    assert result.spec is not None and result.ok, [d.message for d in result.diagnostics]
    return result.spec


#: The real specs, and the small specs of cases/ that have no logic problem.
JUDGED = REAL_SPECS + sorted(CASES.glob("clean_*.trial"))


@pytest.fixture(scope="module", params=JUDGED, ids=lambda p: p.stem)
def real(request: pytest.FixtureRequest) -> tuple[Spec, list[dict[str, Any]]]:
    path: Path = request.param
    if not path.exists():
        pytest.skip(f"{path.name} is not in this checkout")
    spec = _load(path)
    return spec, build_witnesses(spec)


def _subject(witness: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in witness.items() if k != "witness"}


def test_every_witness_is_judged_by_the_interpreter_as_it_says(real) -> None:
    spec, witnesses = real
    screener = compile_spec_rules(spec)
    for witness in witnesses:
        meta = witness["witness"]
        assert meta["kind"] != "unavailable", meta
        result = screener.screen(_subject(witness))
        assert not result.invalid, [p.reason for p in result.invalid]
        if meta["kind"] == "eligible":
            assert result.status == "eligible", witness["subject_id"]
        else:
            assert result.status == "ineligible", witness["subject_id"]
            assert result.failed == [meta["criterion"]], witness["subject_id"]
            assert not result.unknown, witness["subject_id"]


def test_every_criterion_has_a_failing_witness(real) -> None:
    spec, witnesses = real
    failed = {w["witness"]["criterion"] for w in witnesses if w["witness"]["kind"] == "fails"}
    assert failed == {c.id for c in spec.criteria if c.rule is not None or c.attested}
    assert [w["witness"]["kind"] for w in witnesses].count("eligible") == 1


def test_age_boundaries_are_17_and_71() -> None:
    spec = _load(QLS4131)
    witnesses = build_witnesses(spec)
    ages = []
    for witness in witnesses:
        if witness["witness"]["criterion"] == "I1":
            assert witness["witness"]["boundary"].startswith("age = ")
            ages.append(evaluate_expr(spec, "age", _subject(witness)).value)
    assert sorted(ages) == [17, 71]


def test_conditional_items_appear_only_when_collected() -> None:
    spec = _load(QLS4131)
    for witness in build_witnesses(spec):
        demographics = witness["forms"]["demographics"]["SCR"]
        labs = witness["forms"].get("screening_labs", {}).get("SCR", {})
        if "pregnancy_test" in labs:
            assert demographics["childbearing_potential"] is True
        if demographics["sex"] == "male":
            assert "childbearing_potential" not in demographics


def test_golden_witnesses_of_a_small_spec() -> None:
    spec = _load(CASES / "clean_mixed.trial")
    text = json.dumps(build_witnesses(spec), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / "clean_mixed_witnesses.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_same_witnesses_on_every_build() -> None:
    spec = _load(CASES / "clean_mixed.trial")
    first = json.dumps(build_witnesses(spec))
    again = json.dumps(build_witnesses(_load(CASES / "clean_mixed.trial")))
    assert first == again


def test_a_criterion_that_never_decides_gets_a_reason_not_a_subject() -> None:
    spec = _load(CASES / "w0404_inclusion.trial")
    entries = {w["witness"]["criterion"]: w for w in build_witnesses(spec)}
    redundant = entries["I2"]
    assert "subject_id" not in redundant
    assert redundant["witness"]["kind"] == "unavailable"
    assert "never decide eligibility" in redundant["witness"]["reason"]
    assert entries["I1"]["witness"]["kind"] == "fails"


def test_rules_the_solver_cannot_model_exactly_give_no_subjects(tmp_path: Path) -> None:
    path = tmp_path / "datetime.trial"
    path.write_text(
        """trial EXAMPLE {
  title "A rule on a date and time"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form sampling "Sampling" at SCR {
  taken_at datetime "Time the sample was taken" required
}

inclusion I1 "Sample taken" = sampling.taken_at is known
""",
        encoding="utf-8",
    )
    witnesses = build_witnesses(_load(path))
    assert witnesses
    for witness in witnesses:
        assert "subject_id" not in witness
        assert witness["witness"]["kind"] == "unavailable"
        assert "cannot model" in witness["witness"]["reason"]


def test_a_criterion_in_words_only_leaves_no_eligible_subject(tmp_path: Path) -> None:
    path = tmp_path / "text_only.trial"
    path.write_text(
        """trial EXAMPLE {
  title "A criterion in words only"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form demographics "Demographics" at SCR {
  age integer "Age (years)" range 0 .. 120 required
}

inclusion I1 "Adult" = demographics.age >= 18
inclusion I2 "Able to attend every visit"
""",
        encoding="utf-8",
    )
    spec = _load(path)
    screener = compile_spec_rules(spec)
    entries = build_witnesses(spec)
    kinds = [(e["witness"]["kind"], e["witness"]["criterion"]) for e in entries]
    assert ("unavailable", None) in kinds
    assert ("unavailable", "I2") in kinds
    for witness in entries:
        if witness["witness"]["kind"] == "fails":
            result = screener.screen(_subject(witness))
            assert result.status == "ineligible"
            assert result.failed == [witness["witness"]["criterion"]]
