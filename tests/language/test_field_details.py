"""Details in braces after a header field (`site "…" { city "…" }`): parsed into the
field's details, formatted one per line, stable under the formatter, and checked
(E0137 on a field that takes none, E0138 an unknown detail, E0139 a repeated or
ill-kinded one); comments inside the braces are kept."""

from __future__ import annotations

import pytest

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.formatter import format_source

SOURCE = """trial T {
  title "Sites"
  site "Jinan Central Hospital" { city "Jinan" country "China" status recruiting investigator "Prof. Li Wei" }
  site "Site 102, Basel"
  contact "Trial office" provisional {
    # the office answers in English and Chinese
    role central
    email "trials@example.org"
  }
}
"""

FORMATTED = """trial T {
  title   "Sites"
  site    "Jinan Central Hospital" {
    city         "Jinan"
    country      "China"
    status       recruiting
    investigator "Prof. Li Wei"
  }
  site    "Site 102, Basel"
  contact "Trial office" provisional {
    # the office answers in English and Chinese
    role  central
    email "trials@example.org"
  }
}
"""


def _trial(text: str) -> m.Trial:
    result = compile_spec("t.trial", text)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    assert result.spec is not None and result.spec.trial is not None
    return result.spec.trial


def test_details_are_parsed_into_the_field() -> None:
    jinan, basel = _trial(SOURCE).all("site")
    assert [(d.key, d.value.value) for d in jinan.details] == [
        ("city", "Jinan"),
        ("country", "China"),
        ("status", "recruiting"),
        ("investigator", "Prof. Li Wei"),
    ]
    assert basel.details == () and basel.value.value == "Site 102, Basel"
    contact = _trial(SOURCE).field("contact")
    assert contact is not None and m.is_provisional(contact.marks)
    assert contact.detail("role") is not None and contact.detail("phone") is None


def test_the_formatter_writes_one_detail_per_line_and_is_stable() -> None:
    assert format_source(SOURCE) == FORMATTED
    assert format_source(FORMATTED) == FORMATTED
    assert _trial(FORMATTED) == _trial(SOURCE)  # the same model (spans aside)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('sponsor "Example Pharma" { city "Basel" }', "E0137"),
        ('site "A" { city "X" { zip "1" } country "Y" }', "E0137"),
        ('site "A" { town "X" }', "E0138"),
        ('contact "A" { role central role backup }', "E0139"),
        ('contact "A" { role sponsor }', "E0139"),
        ('site "A" { city Basel }', "E0139"),
        ('site "A" { city "X", "Y" }', "E0139"),
        ("responsible_party sponsor { name 3 }", "E0139"),
    ],
)
def test_malformed_details_are_reported(line: str, code: str) -> None:
    result = compile_spec("t.trial", f'trial T {{\n  title "Bad"\n  {line}\n}}\n')
    assert code in {d.code for d in result.diagnostics}
    assert not result.ok


def test_details_after_an_intervention_field_are_refused() -> None:
    text = 'trial T {\n  title "I"\n}\n\nintervention D {\n  type drug { city "X" }\n}\n'
    result = compile_spec("t.trial", text)
    assert "E0137" in {d.code for d in result.diagnostics}
