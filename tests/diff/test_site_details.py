"""A site's or contact's details in braces are part of what `protocol diff` compares:
a new site, a site's changed city or investigator, a contact's new telephone are
SITE_CHANGED and CONTACT_CHANGED, with the details in the change's words."""

from __future__ import annotations

from generators.diff.compare import diff
from tests.diff.util import compile_text

HEADER = """trial T {{
  title "Sites"
{fields}}}
"""


def _changes(old: str, new: str) -> list[tuple[str, str, str | None, str | None]]:
    before = compile_text(HEADER.format(fields=old))
    after = compile_text(HEADER.format(fields=new))
    return [(c.rule_id, c.direction, c.old, c.new) for c in diff(before, after)]


def test_a_changed_investigator_is_a_site_change() -> None:
    old = '  site "Jinan Central Hospital" { city "Jinan" investigator "Prof. Li Wei" }\n'
    new = '  site "Jinan Central Hospital" { city "Jinan" investigator "Dr Zhang Min" }\n'
    assert _changes(old, new) == [
        (
            "SITE_CHANGED",
            "changed",
            "Jinan Central Hospital (city Jinan; investigator Prof. Li Wei)",
            "Jinan Central Hospital (city Jinan; investigator Dr Zhang Min)",
        )
    ]


def test_details_added_to_a_plain_site_are_a_site_change() -> None:
    old = '  site "Jinan Central Hospital"\n'
    new = '  site "Jinan Central Hospital" { city "Jinan" country "China" }\n'
    [(rule, _direction, before, after)] = _changes(old, new)
    assert rule == "SITE_CHANGED"
    assert (before, after) == (
        "Jinan Central Hospital",
        "Jinan Central Hospital (city Jinan; country China)",
    )


def test_a_new_site_with_details_is_added() -> None:
    old = '  site "A" { city "Jinan" }\n'
    new = old + '  site "B" { city "Qingdao" }\n'
    assert [(r, d) for r, d, _o, _n in _changes(old, new)] == [("SITE_CHANGED", "added")]


def test_a_contact_with_a_new_telephone_is_a_contact_change() -> None:
    old = '  contact "Trial office" { role central phone "+86 1" }\n'
    new = '  contact "Trial office" { role central phone "+86 2" }\n'
    assert [r for r, _d, _o, _n in _changes(old, new)] == ["CONTACT_CHANGED"]


def test_the_same_details_are_no_change() -> None:
    same = '  site "A" { city "Jinan" country "China" status recruiting }\n'
    assert _changes(same, same) == []
