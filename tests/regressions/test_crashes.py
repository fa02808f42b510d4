"""Every crash once reported on a spec `protocol check` accepted, run as a user runs it.

Each case is the smallest spec that crashed a command (exit 2, a Python
exception).  Now either `check` refuses the spec with a documented code, and
every other command refuses it the same way, or every command handles it.
The commands run through the real command line (click's runner), and each
test asserts the code or the result, not only that nothing crashed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules

ROOT = Path(__file__).resolve().parents[2]
QLS4131 = ROOT / "specs" / "qls4131_sle_phase1b.trial"

HEADER = """\
trial EXAMPLE {
  title "Example"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1
visit D1 "Day 1" day 1

anchor screening "Screening" = visit SCR
anchor first_dose "First dose" = visit D1

form labs "Laboratory" at SCR {
  weight quantity kg "Weight" range 20 .. 300
  half_life quantity h "Half-life of the prior drug" range 1 .. 100
  washout quantity d "Washout" range 1 .. 100
  infusion_rate quantity mL/h "Infusion rate" range 1 .. 100
  last_dose date "Last dose of the prior drug"
  consent date "Informed consent"
}
"""

SUBJECT = {
    "subject_id": "S1",
    "visits": {"SCR": "2024-01-10", "D1": "2024-02-01"},
    "forms": {
        "labs": {
            "SCR": {
                "weight": 50,
                "half_life": 10,
                "washout": 3,
                "infusion_rate": 20,
                "last_dose": "2023-12-01",
                "consent": "2024-01-05",
            }
        }
    },
}


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _spec(tmp_path: Path, rules: str, name: str = "spec.trial") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n" + rules, encoding="utf-8")
    return path


def _subject(tmp_path: Path) -> Path:
    path = tmp_path / "subject.json"
    path.write_text(json.dumps(SUBJECT), encoding="utf-8")
    return path


def _diagnostics(result: Result) -> list[dict]:
    return json.loads(result.stdout)["diagnostics"]  # type: ignore[no-any-return]


def _codes(result: Result) -> set[str]:
    return {d["code"] for d in _diagnostics(result)}


def _refused_everywhere(tmp_path: Path, spec: Path, code: str) -> None:
    """`check` reports `code`; every command that reads the spec refuses it with it."""
    checked = _run("check", spec, "--format", "json")
    assert checked.exit_code == 1, checked.output
    assert code in _codes(checked)
    data = _subject(tmp_path)
    for args in (
        ("screen", spec, data),
        ("screen", spec, data, "--engine", "duckdb"),
        ("build", spec, "-o", tmp_path / "out"),
        ("sql", spec),
        ("witness", spec),
    ):
        result = _run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert code in result.output, (args, result.output)
        assert "internal error" not in result.output, (args, result.output)
    assert not (tmp_path / "out").exists()  # nothing built from a refused spec


# ---------------------------------------------------------------- the solver


def test_a_reversed_visit_window_with_a_formal_criterion_is_an_error_on_the_window(
    tmp_path: Path,
) -> None:
    spec = _spec(tmp_path, 'inclusion I1 "Heavy enough" = labs.weight >= 40 kg\n')
    spec.write_text(spec.read_text().replace("day -28 .. -1", "day -1 .. -28"))
    result = _run("check", spec, "--format", "json")
    assert result.exit_code == 1, result.output
    codes = _codes(result)
    assert "E0602" in codes
    assert "E0999" not in codes
    # the empty schedule is the window's problem, not a contradiction of I1
    assert "E0401" not in codes


# ---------------------------------------------------------------- values defined through themselves


def test_a_definition_through_another_is_refused_by_every_command(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        'define a "A" = b + 1\ndefine b "B" = a + 1\ninclusion I1 "A above 3" = a > 3\n',
    )
    _refused_everywhere(tmp_path, spec, "E0115")
    text = _run("check", spec).output
    assert "definition a refers to itself through b: a → b → a" in text


def test_a_definition_of_itself_is_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path, 'define a "A" = a + 1\ninclusion I1 "A above 3" = a > 3\n')
    _refused_everywhere(tmp_path, spec, "E0115")


def test_a_score_through_its_own_variant_is_refused(tmp_path: Path) -> None:
    rules = """\
form activity "Activity" at SCR {
  rash yes_no "Rash"
}

score total "Total" {
  form activity
  domain skin "Skin" {
    rash 2 "Rash"
    high 3 "Already high" = partial > 2
  }
}

score partial "Partial" = total without rash

inclusion I1 "Active" = total >= 2
"""
    spec = _spec(tmp_path, rules)
    _refused_everywhere(tmp_path, spec, "E0115")


# ---------------------------------------------------------------- durations


def test_a_computed_window_length_is_refused_and_build_writes_nothing(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        'exclusion E1 "Washout" = labs.last_dose within 5 * labs.half_life before first_dose\n',
    )
    _refused_everywhere(tmp_path, spec, "E0211")


def test_a_date_minus_a_number_times_a_duration_is_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path, 'inclusion I1 "Early" = labs.last_dose <= labs.consent - 5 * 1 d\n')
    _refused_everywhere(tmp_path, spec, "E0211")


def test_a_quantity_divided_by_one_hour_is_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path, 'inclusion I1 "Rate" = labs.infusion_rate / 1 h >= 5 mL/h/h\n')
    _refused_everywhere(tmp_path, spec, "E0212")


@pytest.mark.parametrize(
    "rule",
    [
        "least(2 weeks, labs.washout) >= 10 d",
        "greatest(2 weeks, 10 d) >= 10 d",
    ],
)
def test_least_and_greatest_of_durations_are_refused(tmp_path: Path, rule: str) -> None:
    spec = _spec(tmp_path, f'inclusion I1 "Shorter" = {rule}\n')
    _refused_everywhere(tmp_path, spec, "E0212")


def test_a_least_of_durations_as_a_date_shift_is_refused(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        'inclusion I1 "Early" = labs.last_dose <= labs.consent - least(2 weeks, 10 d)\n',
    )
    _refused_everywhere(tmp_path, spec, "E0211")


def test_constant_windows_give_the_same_answer_in_both_engines(tmp_path: Path) -> None:
    rules = (
        'inclusion I1 "Washout" = labs.last_dose at least 14 days before first_dose\n'
        'inclusion I2 "Consent" = labs.consent + 1 week >= labs.last_dose\n'
    )
    spec = _spec(tmp_path, rules)
    data = _subject(tmp_path)
    python = _run("screen", spec, data, "--format", "json")
    duckdb = _run("screen", spec, data, "--format", "json", "--engine", "duckdb")
    assert python.exit_code == 0, python.output
    assert duckdb.exit_code == 0, duckdb.output
    statuses = {
        "python": json.loads(python.output)["subjects"][0]["status"],
        "duckdb": json.loads(duckdb.output)["subjects"][0]["status"],
    }
    assert statuses == {"python": "eligible", "duckdb": "eligible"}


# ---------------------------------------------------------------- score items


def test_a_score_item_reading_a_quantity_is_refused(tmp_path: Path) -> None:
    rules = """\
score heavy "Heavy" {
  form labs
  domain body "Body" {
    weight 2 "Weight"
  }
}

inclusion I1 "Heavy" = heavy >= 2
"""
    spec = _spec(tmp_path, rules)
    _refused_everywhere(tmp_path, spec, "E0213")


# ---------------------------------------------------------------- simulation scenarios


@pytest.fixture
def short_scenario(tmp_path: Path) -> Path:
    """The first real spec with a scenario that gives rates for three of its six levels."""
    folder = tmp_path / "specs"
    shutil.copytree(QLS4131.parent / "lib", folder / "lib")
    text = QLS4131.read_text(encoding="utf-8")
    full = "= 0.02, 0.05, 0.1, 0.18, 0.3, 0.45"
    assert full in text
    path = folder / QLS4131.name
    path.write_text(text.replace(full, "= 0.02, 0.05, 0.1"), encoding="utf-8")
    return path


def test_a_scenario_with_fewer_rates_than_levels_is_an_error_at_the_scenario(
    short_scenario: Path, tmp_path: Path
) -> None:
    checked = _run("check", short_scenario, "--format", "json")
    assert checked.exit_code == 1, checked.output
    found = [d for d in _diagnostics(checked) if d["code"] == "E0708"]
    assert len(found) == 1
    assert found[0]["message"] == "scenario safe_profile gives 3 DLT rates for 6 dose levels"
    simulated = _run("simulate", short_scenario, "--trials", "10")
    assert simulated.exit_code == 1, simulated.output
    assert "E0708" in simulated.output
    built = _run("build", short_scenario, "-o", tmp_path / "out", "--only", "escalation")
    assert built.exit_code == 1, built.output
    assert "E0708" in built.output


# ---------------------------------------------------------------- witnesses


NONLINEAR = """\
trial EXAMPLE {
  title "A product of two unknown values"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1

form labs "Laboratory" at SCR {
  weight quantity kg "Weight" range 20 .. 300
  height quantity m "Height" range 1 .. 2.5
  dose integer "Daily doses" range 0 .. 100
  days integer "Days treated" range 0 .. 100
  age integer "Age" range 0 .. 120
}

define bmi "Body-mass index" = labs.weight / (labs.height * labs.height)

inclusion I1 "BMI from 18.5 to 30" = bmi between 18.5 and 30
inclusion I2 "Exposure" = labs.dose * labs.days <= 1000
inclusion I3 "Adult" = labs.age >= 18
"""


def test_a_criterion_the_solver_cannot_model_leaves_the_others_their_witnesses(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nonlinear.trial"
    path.write_text(NONLINEAR, encoding="utf-8")
    result = _run("witness", path)
    assert result.exit_code == 0, result.output
    assert "no witness for I1: the solver cannot model this criterion exactly" in result.output
    entries = json.loads(result.stdout)
    by_criterion = {e["witness"]["criterion"]: e for e in entries}
    assert by_criterion["I1"]["witness"]["kind"] == "unavailable"
    assert by_criterion["I1"]["witness"]["cause"] == "not_modelled"
    assert by_criterion[None]["witness"]["kind"] == "unavailable"
    spec = compile_spec(str(path)).spec
    assert spec is not None
    screener = compile_spec_rules(spec)
    judged = 0
    for entry in entries:
        meta = entry["witness"]
        if meta["kind"] != "fails":
            continue
        assert meta["not_judged"] == ["I1"]
        subject = {k: v for k, v in entry.items() if k != "witness"}
        screened = screener.screen(subject)
        # the witness fails its criterion and passes every other one the solver models
        assert screened.status == "ineligible"
        assert meta["criterion"] in screened.failed
        assert set(screened.failed) - {meta["criterion"]} <= {"I1"}
        judged += 1
    assert {e["witness"]["criterion"] for e in entries if e["witness"]["kind"] == "fails"} == {
        "I2",
        "I3",
    }
    assert judged >= 2


RECORDED_ANCHOR = """\
trial EXAMPLE {
  title "An anchor on a recorded date"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1

form demographics "Demographics" at SCR {
  birth_date date "Date of birth"
  consent_date date "Date of informed consent"
}

form history "Medical history" repeating at SCR {
  onset date "Onset"
}

anchor consent "Informed consent" = demographics.consent_date

define age "Age at consent" = years_between(demographics.birth_date, consent)

inclusion I1 "Aged 18 to 70 at consent" = age between 18 and 70
exclusion E1 "Illness in the 6 months before consent"
  = any history where onset within 6 months before consent
"""


def test_an_anchor_on_a_recorded_date_has_an_eligible_witness(tmp_path: Path) -> None:
    path = tmp_path / "anchor.trial"
    path.write_text(RECORDED_ANCHOR, encoding="utf-8")
    result = _run("witness", path)
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    kinds = [e["witness"]["kind"] for e in entries]
    assert "unavailable" not in kinds, result.output
    spec = compile_spec(str(path)).spec
    assert spec is not None
    screener = compile_spec_rules(spec)
    for entry in entries:
        subject = {k: v for k, v in entry.items() if k != "witness"}
        for record in entry["forms"].get("demographics", {}).values():
            for value in record.values():
                assert "1900-01-01" <= value <= "2100-12-31"
        screened = screener.screen(subject)
        if entry["witness"]["kind"] == "eligible":
            assert screened.status == "eligible"
        else:
            assert screened.failed == [entry["witness"]["criterion"]]


# ---------------------------------------------------------------- build, one artefact at a time


def test_a_failing_artefact_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generators.schema import schema

    def broken(spec, out_dir):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(schema, "build", broken)
    out = tmp_path / "out"
    result = _run("build", QLS4131, "-o", out, "--only", "schema,sdtm,registry")
    assert result.exit_code == 2, result.output
    assert "error[E0999]: internal error while building schema: RuntimeError" in result.output
    assert "please report it" in result.output
    # the artefacts after the failing one are still written
    assert (out / "sdtm" / "ta.csv").exists()
    assert (out / "registry" / "ctgov.json").exists()
    assert not (out / "subject.schema.json").exists()
    assert result.output.splitlines()[-1] == f"built 13 files into {out}"
    assert "Traceback" not in result.output


def test_a_back_end_failing_on_a_checked_spec_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generators.sql.compile as sql_compile
    from protocol_dsl.plan import PlanError

    def unplannable(*args, **kwargs):
        raise PlanError("injected failure")

    monkeypatch.setattr(sql_compile, "screening_query", unplannable)
    spec = _spec(tmp_path, 'inclusion I1 "Heavy enough" = labs.weight >= 40 kg\n')
    result = _run("sql", spec)
    assert result.exit_code == 2, result.output
    assert "error[E0999]: internal error in the SQL back end" in result.output
    assert "please report it" in result.output


def test_an_interpreter_failing_on_a_checked_spec_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import protocol_dsl.evaluate as evaluate
    from protocol_dsl.evaluate.interpreter import CompileError

    def uncompilable(spec):
        raise CompileError("injected failure")

    monkeypatch.setattr(evaluate, "compile_spec_rules", uncompilable)
    spec = _spec(tmp_path, 'inclusion I1 "Heavy enough" = labs.weight >= 40 kg\n')
    result = _run("screen", spec, _subject(tmp_path))
    assert result.exit_code == 2, result.output
    assert "error[E0999]: internal error in the interpreter" in result.output


# ---------------------------------------------------------------- names of the data layout


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        (
            'form visits "Visit information" at SCR {\n  attended yes_no "Attended"\n}\n'
            'inclusion I1 "Attended" = visits.attended = yes\n',
            "E0116",
        ),
        ('inclusion status "Heavy enough" = labs.weight >= 40 kg\n', "E0117"),
    ],
    ids=["form named visits", "criterion named status"],
)
def test_names_the_data_layout_uses_are_refused_by_every_command(
    tmp_path: Path, rules: str, code: str
) -> None:
    _refused_everywhere(tmp_path, _spec(tmp_path, rules), code)
