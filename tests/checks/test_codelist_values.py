"""A bare name compared with a choice item is read as a value of the item's code list:
a typo is reported against that list, with the value meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol_dsl.compiler import compile_spec

SPEC = """\
trial T {{ title "t" eligibility_visit SCR }}
visit SCR "Screening" day -7
codelist history_category "History" {{
  insulin_dependent_diabetes "Insulin-dependent diabetes"
  hypertension "Hypertension"
}}
form history "History" repeating at SCR {{
  category choice history_category "Category" required
}}
exclusion E1 "Diabetes" = any history where {rule}
"""


def _errors(rule: str, tmp_path: Path) -> list:
    path = tmp_path / "spec.trial"
    path.write_text(SPEC.format(rule=rule), encoding="utf-8")
    result = compile_spec(str(path))
    return [d for d in result.diagnostics if d.code == "E0101"]


@pytest.mark.parametrize(
    ("rule", "meant"),
    [
        ("category = diabetes", "insulin_dependent_diabetes"),
        ("diabetes = category", "insulin_dependent_diabetes"),
        ("category != hypertensoin", "hypertension"),
    ],
)
def test_a_value_typo_names_the_code_list_and_the_value_meant(
    rule: str, meant: str, tmp_path: Path
) -> None:
    (error,) = _errors(rule, tmp_path)
    assert "is not a value of the code list 'history_category'" in error.message
    assert error.suggestion == meant
    assert "insulin_dependent_diabetes, hypertension" in (error.help or "")


def test_a_value_of_the_list_is_no_error(tmp_path: Path) -> None:
    assert _errors("category = hypertension", tmp_path) == []


def test_a_name_compared_with_a_non_choice_item_stays_undefined(tmp_path: Path) -> None:
    (error,) = _errors("count(history) = nothing_here", tmp_path)
    assert error.message == "'nothing_here' is not defined"
