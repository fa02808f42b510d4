"""The record's people, places and oversight as header fields of the draft.

The responsible party (with an investigator's name, title and affiliation as
its details), the central contacts and overall officials (`contact "Name" {
role … }`), the locations (`site "Facility" { city … }`) and the oversight
answers (`data_monitoring_committee`, `fda_regulated_drug`,
`fda_regulated_device`), as the registry generator writes them.  What the
language has no detail for (a location's further contacts) is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generators.importers.provisional import Labels
from generators.registries.ctgov_people import OFFICIAL_ROLES, RESPONSIBLE_PARTIES
from protocol_dsl.fields import SITE_FIELDS
from protocol_dsl.syntax.printer import quote

_PARTY_WORDS = {v: k for k, v in RESPONSIBLE_PARTIES.items()}
_OFFICIAL_WORDS = {v: k for k, v in OFFICIAL_ROLES.items()}
_SITE_STATUSES = SITE_FIELDS["status"].choices

#: what the draft reads of each contact, official and location (a location's contacts:
#: its principal investigator); other keys are reported as not carried
_ITEM_KEYS = {
    "centralContacts": frozenset({"name", "role", "phone", "email"}),
    "overallOfficials": frozenset({"name", "affiliation", "role"}),
    "locations": frozenset({"facility", "status", "city", "state", "zip", "country", "contacts"}),
}
#: a header line's adder: key, value as source, marks, provisional label
Add = Callable[..., None]


def _text(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _block(head: str, details: list[str]) -> str:
    """A field's value followed by its details block (none when it has no details)."""
    if not details:
        return head
    return head + " {\n" + "\n".join(f"    {d}" for d in details) + "\n  }"


class People:
    """Writes the people, places and oversight of one record into the draft's header."""

    def __init__(self, section: dict[str, Any], labels: Labels, losses: list[str]) -> None:
        self.section = section
        self.labels = labels
        self.losses = losses

    def _details(self, owner: str, pairs: list[tuple[str, str | None]]) -> list[str]:
        """`key value` lines of the details given, each marked as the record flags it."""
        return [
            f"{key} {value}{self.labels.mark(f'{key} of “{owner}”')}"
            for key, value in pairs
            if value is not None
        ]

    def oversight(self, add: Add) -> None:
        module = self.section.get("oversightModule")
        for key, field in (
            ("oversightHasDmc", "data_monitoring_committee"),
            ("isFdaRegulatedDrug", "fda_regulated_drug"),
            ("isFdaRegulatedDevice", "fda_regulated_device"),
        ):
            answer = module.get(key) if isinstance(module, dict) else None
            if isinstance(answer, bool):
                add(field, "yes" if answer else "no")

    def responsible_party(self, add: Add) -> None:
        sponsors = self.section.get("sponsorCollaboratorsModule")
        party = sponsors.get("responsibleParty") if isinstance(sponsors, dict) else None
        kind = _PARTY_WORDS.get(_text(party, "type") or "")
        if kind is None:
            if isinstance(party, dict) and party:
                self.losses.append(f"responsible party {_text(party, 'type') or '(no type)'}")
            return
        mark = self.labels.mark("responsible party")
        details = self._details(
            kind,
            [
                ("name", _quoted(_text(party, "investigatorFullName"))),
                ("title", _quoted(_text(party, "investigatorTitle"))),
                ("affiliation", _quoted(_text(party, "investigatorAffiliation"))),
            ],
        )
        add("responsible_party", _block(kind + mark, details), label="")

    def contacts_and_sites(self, add: Add) -> None:
        module = self.section.get("contactsLocationsModule")
        for key, known in _ITEM_KEYS.items():
            unread = sorted({k for item in _items(module, key) for k in item} - known)
            self.losses.extend(f"contactsLocationsModule.{key}[].{k}" for k in unread)
        for contact in _items(module, "centralContacts"):
            name = _text(contact, "name")
            if name is None:
                continue
            details = self._details(
                name,
                [
                    ("phone", _quoted(_text(contact, "phone"))),
                    ("email", _quoted(_text(contact, "email"))),
                ],
            )
            mark = self.labels.mark(f"contact {name}")
            add("contact", _block(quote(name) + mark, details), label="")
        for official in _items(module, "overallOfficials"):
            name = _text(official, "name")
            if name is None:
                continue
            details = [
                "role official",
                *self._details(
                    name,
                    [
                        ("affiliation", _quoted(_text(official, "affiliation"))),
                        ("official_role", _OFFICIAL_WORDS.get(_text(official, "role") or "")),
                    ],
                ),
            ]
            mark = self.labels.mark(f"contact {name}")
            add("contact", _block(quote(name) + mark, details), label="")
        for location in _items(module, "locations"):
            self._site(location, add)

    def _site(self, location: dict[str, Any], add: Add) -> None:
        facility = _text(location, "facility")
        if facility is None:
            self.losses.append("a location without a facility name")
            return
        status = (_text(location, "status") or "").lower()
        investigator = None
        for contact in _items(location, "contacts"):
            name = _text(contact, "name")
            if investigator is None and name and _text(contact, "role") == "PRINCIPAL_INVESTIGATOR":
                investigator = name
            else:
                self.losses.append(f"contact {name or '(no name)'} of site {facility}")
        details = self._details(
            facility,
            [
                ("city", _quoted(_text(location, "city"))),
                ("state", _quoted(_text(location, "state"))),
                ("zip", _quoted(_text(location, "zip"))),
                ("country", _quoted(_text(location, "country"))),
                ("status", status if status in _SITE_STATUSES else None),
                ("investigator", _quoted(investigator)),
            ],
        )
        mark = self.labels.mark(f"site {facility}")
        add("site", _block(quote(facility) + mark, details), label="")


def _quoted(text: str | None) -> str | None:
    return None if text is None else quote(text)
