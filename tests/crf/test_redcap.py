"""REDCap: the 18 columns in order, legal field types and names, branching from `when`,
events and mappings that agree, deterministic and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.crf import redcap
from generators.crf.forms import CrfField, CrfForm, CrfGroup
from tests.crf.support import (
    REAL_SPECS,
    check_golden,
    compile_text,
    executable_cells,
    hostile_spec,
    load_spec,
)

GOLDEN = Path(__file__).parent / "golden"
FILES = (
    "redcap_data_dictionary.csv",
    "redcap_events.csv",
    "redcap_form_event_mapping.csv",
    "redcap_arms.csv",
    "redcap_repeating_instruments.csv",
)
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CHOICES = re.compile(r"^-?\w+, [^|]+( \| -?\w+, [^|]+)*$")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _dictionary(stem: str, tmp_path: Path) -> list[dict[str, str]]:
    redcap.build(load_spec(stem), tmp_path)
    rows = _read(tmp_path / "crf" / "redcap_data_dictionary.csv")
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_golden(stem: str, tmp_path: Path) -> None:
    paths = redcap.build(load_spec(stem), tmp_path)
    assert [p.name for p in paths] == list(FILES)
    for path in paths:
        check_golden(path.read_bytes(), GOLDEN / stem / path.name)


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_building_twice_gives_identical_bytes(stem: str, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in redcap.build(load_spec(stem), tmp_path / "a")]
    second = [p.read_bytes() for p in redcap.build(load_spec(stem), tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_dictionary_has_exactly_the_redcap_columns_in_order(stem: str, tmp_path: Path) -> None:
    redcap.build(load_spec(stem), tmp_path)
    rows = _read(tmp_path / "crf" / "redcap_data_dictionary.csv")
    assert rows[0] == [
        "Variable / Field Name",
        "Form Name",
        "Section Header",
        "Field Type",
        "Field Label",
        "Choices, Calculations, OR Slider Labels",
        "Field Note",
        "Text Validation Type OR Show Slider Number",
        "Text Validation Min",
        "Text Validation Max",
        "Identifier?",
        "Branching Logic (Show field only if...)",
        "Required Field?",
        "Custom Alignment",
        "Question Number (surveys only)",
        "Matrix Group Name",
        "Matrix Ranking?",
        "Field Annotation",
    ]
    assert all(len(row) == 18 for row in rows)


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_fields_are_legal(stem: str, tmp_path: Path) -> None:
    fields = _dictionary(stem, tmp_path)
    assert fields[0]["Variable / Field Name"] == "record_id"
    names = [f["Variable / Field Name"] for f in fields]
    assert len(names) == len(set(names))
    for field in fields:
        name = field["Variable / Field Name"]
        assert NAME.match(name) and len(name) <= 26, name
        assert NAME.match(field["Form Name"])
        assert field["Field Type"] in redcap.FIELD_TYPES
        if field["Field Type"] in ("radio", "dropdown", "checkbox"):
            assert CHOICES.match(field["Choices, Calculations, OR Slider Labels"]), name
        elif field["Field Type"] == "calc":
            # every variable a calc reads is a field of the project
            formula = field["Choices, Calculations, OR Slider Labels"]
            assert set(re.findall(r"\[([a-z0-9_]+)\]", formula)) <= set(names), name
        else:
            assert field["Choices, Calculations, OR Slider Labels"] == ""
        assert field["Text Validation Type OR Show Slider Number"] in (
            "",
            "number",
            "integer",
            "date_ymd",
            "datetime_ymd",
        )
        assert field["Required Field?"] in ("", "y")


def test_types_validation_units_and_ranges(tmp_path: Path) -> None:
    fields = {f["Variable / Field Name"]: f for f in _dictionary("qls4131_sle_phase1b", tmp_path)}
    c3 = fields["c3"]
    assert (c3["Field Type"], c3["Text Validation Type OR Show Slider Number"]) == (
        "text",
        "number",
    )
    assert (c3["Text Validation Min"], c3["Text Validation Max"], c3["Field Note"]) == (
        "0",
        "10",
        "g/L",
    )
    assert fields["birth_date"]["Text Validation Type OR Show Slider Number"] == "date_ymd"
    assert fields["grade"]["Text Validation Type OR Show Slider Number"] == "integer"
    assert fields["sex"]["Choices, Calculations, OR Slider Labels"] == "1, Female | 2, Male"
    assert fields["serious"]["Field Type"] == "yesno"
    assert fields["birth_date"]["Required Field?"] == "y"
    assert fields["c3"]["Field Annotation"] == (
        "LOINC 4485-9; SDTM LB.LBSTRESN where LBTESTCD = C3 (unit LB.LBSTRESU) (visit LB.VISITNUM)"
    )


def test_shared_item_names_are_prefixed_by_their_form(tmp_path: Path) -> None:
    fields = {f["Variable / Field Name"]: f for f in _dictionary("qls4131_sle_phase1b", tmp_path)}
    assert fields["mh_onset"]["Form Name"] == "medical_history"
    assert fields["ae_onset"]["Form Name"] == "adverse_events"
    assert "onset" not in fields
    assert fields["ss2f_proteinuria"]["Form Name"] == "sle__sledai_2k_form"


def test_branching_logic_from_when_conditions(tmp_path: Path) -> None:
    fields = {f["Variable / Field Name"]: f for f in _dictionary("qls4131_sle_phase1b", tmp_path)}
    logic = "Branching Logic (Show field only if...)"
    assert fields["childbearing_potential"][logic] == "[sex] = '1'"
    assert fields["pregnancy_test"][logic] == "[childbearing_potential] = '1'"
    assert fields["lactating"][logic] == "[sex] = '1'"
    assert fields["daily_dose"][logic] == "[class] = '1'"
    assert fields["affects_efficacy"][logic] == "[category] = '4'"
    assert redcap.untranslated_conditions(load_spec("qls4131_sle_phase1b")) == []


def test_eligibility_checklist(tmp_path: Path) -> None:
    spec = load_spec("qls4131_sle_phase1b")
    fields = [
        f
        for f in _dictionary("qls4131_sle_phase1b", tmp_path)
        if f["Form Name"] == "eligibility_checklist"
    ]
    assert [f["Variable / Field Name"] for f in fields] == [
        f"ie_{c.id.lower()}" for c in spec.criteria
    ]
    by_name = {f["Variable / Field Name"]: f for f in fields}
    assert by_name["ie_i1"]["Field Type"] == "yesno"
    assert by_name["ie_i1"]["Section Header"] == "Inclusion criteria"
    assert by_name["ie_e1"]["Section Header"] == "Exclusion criteria"
    assert by_name["ie_i6"]["Field Type"] == "checkbox"
    assert by_name["ie_i1"]["Field Annotation"].startswith("Rule: age at screening")


CONDITIONS = """
trial T { title "T" }
visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1
visit D8 "Day 8" day 8 window -2 +2
anchor first_dose "First dose" = visit D1
codelist colour "Colour" { red "Red"  green "Green"  blue "Blue" }
form base "Baseline" at SCR {
  weight quantity kg "Weight" range 20 .. 300
  colour choice colour "Colour"
  smoker yes_no "Smoker"
  seen   date "Date seen"
}
form follow "Follow-up" at D1, D8 {
  a number  "A" when base.weight > 70000 g
  b number  "B" when base.colour in {red, blue} and not (base.smoker = yes)
  c number  "C" when base.weight between 50 and 60 or base.colour is missing
  d number  "D" when base.seen within 30 days before first_dose
  e number  "E" when base.smoker = yes implies base.colour != green
  f number  "F" when a >= 2
  g number  "G" when a < 1 or a > 9 collected at D8
}
"""


def test_conditions_translate_or_are_annotated_in_words(tmp_path: Path) -> None:
    spec = compile_text(CONDITIONS)
    redcap.build(spec, tmp_path)
    rows = _read(tmp_path / "crf" / "redcap_data_dictionary.csv")
    fields = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    logic = "Branching Logic (Show field only if...)"
    # base is collected at screening only: its fields are read at that event
    assert fields["a"][logic] == "[scr_arm_1][weight] > 70"
    assert fields["b"][logic] == (
        "([scr_arm_1][colour] = '1' or [scr_arm_1][colour] = '3') and [scr_arm_1][smoker] <> '1'"
    )
    assert fields["c"][logic] == (
        "([scr_arm_1][weight] >= 50 and [scr_arm_1][weight] <= 60) or [scr_arm_1][colour] = ''"
    )
    assert fields["e"][logic] == "[scr_arm_1][smoker] <> '1' or [scr_arm_1][colour] <> '2'"
    assert fields["f"][logic] == "[a] >= 2"
    # an item collected at some of its form's visits only is shown at those events
    assert fields["g"][logic] == "([a] < 1 or [a] > 9) and [event-name] = 'd8_arm_1'"
    # a date window has no REDCap branching: empty, and the rule in words
    assert fields["d"][logic] == ""
    assert "Asked only when" in fields["d"]["Field Annotation"]
    untranslated = redcap.untranslated_conditions(spec)
    assert [name for name, _words in untranslated] == ["follow.d"]


def test_events_arms_and_mapping_agree(tmp_path: Path) -> None:
    spec = load_spec("cdiscpilot01")
    redcap.build(spec, tmp_path)
    folder = tmp_path / "crf"
    arms = _read(folder / "redcap_arms.csv")
    # double blind: one REDCap arm, the arm a randomisation field's value
    assert arms == [["arm_num", "name"], ["1", "All subjects"]]
    events = _read(folder / "redcap_events.csv")
    assert events[0] == list(redcap.EVENT_COLUMNS)
    assert len(events) - 1 == len(spec.visits)
    unique = {row[5] for row in events[1:]}
    assert len(unique) == len(events) - 1
    for row in events[1:]:
        if row[0] in ("AEFU", "RASHFU"):  # unplanned: REDCap's scheduler must not book them
            assert row[2:5] == ["", "", ""]
        else:
            assert int(row[2]) >= 0 and int(row[3]) >= 0 and int(row[4]) >= 0
    first = {row[0]: int(row[2]) for row in events[1:] if row[2]}
    assert first["SCRN1"] == 0
    assert first["BASELINE"] == 7  # day -7 to day 1: seven days, there is no day 0
    assert first["WK2"] == 20
    forms = {row[1] for row in _read(folder / "redcap_data_dictionary.csv")[1:]}
    mapping = _read(folder / "redcap_form_event_mapping.csv")
    assert mapping[0] == ["arm_num", "unique_event_name", "form"]
    for arm, event, form in mapping[1:]:
        assert event in unique and event.endswith(f"_arm_{arm}") and form in forms
    repeating = _read(folder / "redcap_repeating_instruments.csv")
    assert repeating[0] == ["event_name", "form_name", "custom_form_label"]
    assert {r[1] for r in repeating[1:] if r[1]} == {
        "medical_history",
        "concomitant_medications",
        "exposure",
        "adverse_events",
        "disposition",
    }


def test_windows_become_offsets() -> None:
    events = {e.visit.name: e for e in redcap._events(load_spec("qls4131_sle_phase1b"))}
    assert (events["SCR"].day_offset, events["SCR"].offset_min, events["SCR"].offset_max) == (
        0,
        27,
        0,
    )
    assert events["D1"].day_offset == 1
    assert (events["D8"].day_offset, events["D8"].offset_min, events["D8"].offset_max) == (8, 1, 1)
    assert events["UNS"].day_offset is None and events["ET"].day_offset is None


def test_the_unscheduled_event_repeats_as_a_whole(tmp_path: Path) -> None:
    redcap.build(load_spec("qls4131_sle_phase1b"), tmp_path)
    repeating = _read(tmp_path / "crf" / "redcap_repeating_instruments.csv")
    assert ["uns_arm_1", "", ""] in repeating
    # an event that repeats holds no repeating instrument (REDCap refuses both)
    assert not [r for r in repeating if r[0] == "uns_arm_1" and r[1]]


def test_a_date_of_birth_is_an_identifier(tmp_path: Path) -> None:
    redcap.build(load_spec("qls4131_sle_phase1b"), tmp_path)
    rows = _read(tmp_path / "crf" / "redcap_data_dictionary.csv")
    identifiers = {r[0] for r in rows[1:] if r[10] == "y"}
    assert identifiers == {"birth_date"}


def test_blinded_arms_come_from_the_randomisation_module(tmp_path: Path) -> None:
    spec = load_spec("cdiscpilot01")
    redcap.build(spec, tmp_path)
    folder = tmp_path / "crf"
    rows = _read(folder / "redcap_data_dictionary.csv")
    field = next(r for r in rows if r[0] == "randomisation_arm")
    assert field[1] == "randomisation" and field[3] == "radio"
    # coded in the ratio's order, as `protocol randomise --format redcap` codes the arms
    assert field[5] == "1, Placebo | 2, Xanomeline Low Dose | 3, Xanomeline High Dose"
    assert "randomisation module" in field[17]
    assert rows[-1] == field  # its own instrument, after the others
    mapping = _read(folder / "redcap_form_event_mapping.csv")
    assert [r for r in mapping if r[2] == "randomisation"] == [
        ["1", "baseline_arm_1", "randomisation"]
    ]


def test_open_label_arms_stay_redcap_arms(tmp_path: Path) -> None:
    spec = compile_text(
        OPEN_LABEL_TWO_ARMS,
    )
    redcap.build(spec, tmp_path)
    assert _read(tmp_path / "crf" / "redcap_arms.csv")[1:] == [["1", "Low"], ["2", "High"]]
    rows = _read(tmp_path / "crf" / "redcap_data_dictionary.csv")
    assert "randomisation" not in {r[1] for r in rows}


OPEN_LABEL_TWO_ARMS = """
trial T {
  title "Two arms, open label"
  phase 2
  masking open_label
  enrolment 10
}
epoch treatment "Treatment"
visit V1 "Day 1" day 1 in treatment
element L "Low dose" lasts 2 weeks
element H "High dose" lasts 2 weeks
arm low "Low" type experimental { L in treatment }
arm high "High" type experimental { H in treatment }
form f "Form" at V1 {
  x number "X" range 0 .. 10
}
inclusion I1 "X at least 1" = f.x at V1 >= 1
"""


def test_hostile_texts_give_csv_no_spreadsheet_executes(tmp_path: Path) -> None:
    paths = redcap.build(hostile_spec(), tmp_path)
    for path in paths:
        rows = _read(path)
        assert executable_cells(rows) == [], path.name
    labels = [r[4] for r in _read(paths[0])[1:]]
    assert "'=1+1 &lt;script>alert(1)&lt;/script>" in labels  # shown as written, never run
    choices = _read(paths[0])[2:][1][5]
    assert "|" not in choices.split(" | ")[1]  # a "|" in a label cannot split a choice


_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,40}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_names, min_size=1, max_size=6, unique=True), min_size=1, max_size=5),
    st.lists(_names, min_size=5, max_size=5),
)
def test_variable_names_are_unique_short_and_legal(
    items: list[list[str]], forms: list[str]
) -> None:
    crf_forms = tuple(
        CrfForm(
            key=f"{form}_{index}",
            storage_name=f"{form}_{index}",
            label=form,
            repeating=False,
            visits=(),
            groups=(CrfGroup("", None, tuple(CrfField(n, n, "text") for n in names)),),
        )
        for index, (form, names) in enumerate(zip(forms, items, strict=False))
    )
    names = redcap.variable_names(crf_forms)
    assert len(names) == sum(len(f.fields) for f in crf_forms)
    values = list(names.values())
    assert len(set(values)) == len(values)
    assert "record_id" not in values
    for value in values:
        assert NAME.match(value) and len(value) <= 26, value


def test_byte_order_mark_by_option(tmp_path: Path) -> None:
    spec = load_spec("qls4131_sle_phase1b")
    plain = redcap.build(spec, tmp_path / "plain")
    marked = redcap.build(spec, tmp_path / "marked", bom=True)
    for without, with_mark in zip(plain, marked, strict=True):
        assert not without.read_bytes().startswith(b"\xef\xbb\xbf")
        assert with_mark.read_bytes() == b"\xef\xbb\xbf" + without.read_bytes()


def test_build_command_writes_the_byte_order_mark(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from protocol_dsl.cli import cli

    spec = str(Path(__file__).parents[2] / "specs" / "qls4131_sle_phase1b.trial")
    result = CliRunner().invoke(
        cli, ["build", spec, "-o", str(tmp_path), "--only", "redcap", "--redcap-bom"]
    )
    assert result.exit_code == 0, result.output
    data = (tmp_path / "crf" / "redcap_data_dictionary.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")


def test_scores_redcap_cannot_calculate_are_listed_with_the_reason() -> None:
    assert redcap.uncalculated_scores(load_spec("qls4131_sle_phase1b")) == [
        ("sle.eular_acr_2019", "descriptor low_c3_or_c4 is not a yes/no item of its form"),
        ("medications.prednisone_equivalent", "not arithmetic over number items of its form"),
    ]
    # a derived flag over coded terms: text matching REDCap's calc syntax cannot express
    assert redcap.uncalculated_scores(load_spec("cdiscpilot01")) == [
        ("adverse_events.dermatologic", "not arithmetic over number items of its form"),
    ]
