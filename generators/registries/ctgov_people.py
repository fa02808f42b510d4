"""The status, sponsor, oversight, contacts and locations modules of the ClinicalTrials.gov record.

Dates carry their type from the recruitment status, as the registry's data
element definitions ask: the start date is ACTUAL once the trial has enrolled
(recruiting, enrolling by invitation, active, suspended, completed,
terminated), ESTIMATED before; the primary completion and completion dates
are ACTUAL once the trial has completed or terminated.  A withdrawn trial
enrolled no one: its dates stay ESTIMATED.  Without a status, actual or
anticipated is unknown: the type is left out (the PRS rules then report it as
missing) rather than guessed.  The record verification date is
the month of `verification_date`, else of the protocol's `version_date`.

The people and places come from the header's structured fields: the
responsible party (`responsible_party principal_investigator { name … }`),
contacts (`contact "Name" { role central phone … }`: central and backup
contacts, and overall officials) and sites (`site "Facility" { city …
country … status … investigator … }`: the record's locations).  A contact
without a role is a central contact (the header's contact is one for
subjects and sites).
"""

from __future__ import annotations

import datetime
from typing import Any

from generators.registries.ctgov_header import Header, compact, text
from protocol_dsl import model as m

#: recruitment statuses once the first participant has enrolled: the start date is actual
STARTED = frozenset(
    {
        "recruiting",
        "enrolling_by_invitation",
        "active_not_recruiting",
        "suspended",
        "completed",
        "terminated",
    }
)
#: recruitment statuses once the trial has ended: the completion dates are actual
ENDED = frozenset({"completed", "terminated"})
#: the header's milestone dates, the record's date structure for each, and the statuses
#: under which the date is ACTUAL rather than ESTIMATED (the importer reads them back)
DATES = (
    ("start_date", "startDateStruct", STARTED),
    ("primary_completion_date", "primaryCompletionDateStruct", ENDED),
    ("completion_date", "completionDateStruct", ENDED),
)

SPONSOR_CLASSES = {
    "industry": "INDUSTRY",
    "nih": "NIH",
    "fed": "FED",
    "other_gov": "OTHER_GOV",
    "indiv": "INDIV",
    "network": "NETWORK",
    "other": "OTHER",
}
RESPONSIBLE_PARTIES = {
    "sponsor": "SPONSOR",
    "principal_investigator": "PRINCIPAL_INVESTIGATOR",
    "sponsor_investigator": "SPONSOR_INVESTIGATOR",
}
OFFICIAL_ROLES = {
    "study_chair": "STUDY_CHAIR",
    "study_director": "STUDY_DIRECTOR",
    "principal_investigator": "PRINCIPAL_INVESTIGATOR",
}


def status_module(h: Header) -> dict[str, Any]:
    status = h.value("status")
    verified = _date(h.field("verification_date")) or _date(h.field("version_date"))
    return compact(
        {
            "statusVerifiedDate": verified.strftime("%Y-%m") if verified else None,
            "overallStatus": status.upper() if status else None,
            "whyStopped": h.value("why_stopped"),
            "startDateStruct": _dated(h.field("start_date"), status, STARTED),
            "primaryCompletionDateStruct": _dated(
                h.field("primary_completion_date"), status, ENDED
            ),
            "completionDateStruct": _dated(h.field("completion_date"), status, ENDED),
        }
    )


def _date(found: m.Field | None) -> datetime.date | None:
    if found is None or not isinstance(found.value.value, datetime.date):
        return None
    return found.value.value


def _dated(
    found: m.Field | None, status: str | None, actual: frozenset[str]
) -> dict[str, str] | None:
    """The date and its type: ACTUAL under the `actual` statuses, else ESTIMATED; no type
    without a status (whether the date has passed is then unknown)."""
    date = _date(found)
    if date is None:
        return None
    if status is None:
        return {"date": date.isoformat()}
    return {"date": date.isoformat(), "type": "ACTUAL" if status in actual else "ESTIMATED"}


def sponsor_module(h: Header) -> dict[str, Any]:
    sponsor = h.value("sponsor")
    sponsor_class = h.value("sponsor_class")
    lead = None
    if sponsor:
        lead = compact({"name": sponsor, "class": SPONSOR_CLASSES.get(sponsor_class or "")})
    return compact(
        {
            "responsibleParty": _responsible_party(h),
            "leadSponsor": lead,
            "collaborators": [{"name": c} for c in h.values("collaborator")],
        }
    )


def _responsible_party(h: Header) -> dict[str, Any] | None:
    party = h.field("responsible_party")
    if party is None:
        return None
    kind = RESPONSIBLE_PARTIES.get(text(party.value))
    if kind is None:
        return None
    return compact(
        {
            "type": kind,
            "investigatorFullName": h.detail(party, "name"),
            "investigatorTitle": h.detail(party, "title"),
            "investigatorAffiliation": h.detail(party, "affiliation"),
        }
    )


def oversight_module(h: Header) -> dict[str, Any]:
    return compact(
        {
            "oversightHasDmc": h.yes_no("data_monitoring_committee"),
            "isFdaRegulatedDrug": h.yes_no("fda_regulated_drug"),
            "isFdaRegulatedDevice": h.yes_no("fda_regulated_device"),
        }
    )


def contacts_locations_module(h: Header) -> dict[str, Any]:
    central: list[dict[str, Any]] = []
    officials: list[dict[str, Any]] = []
    for contact in h.fields("contact"):
        role = h.detail(contact, "role") or "central"
        name = text(contact.value)
        if role == "official":
            official_role = OFFICIAL_ROLES.get(h.detail(contact, "official_role") or "")
            officials.append(
                compact(
                    {
                        "name": name,
                        "affiliation": h.detail(contact, "affiliation"),
                        "role": official_role,
                    }
                )
            )
        else:
            central.append(
                compact(
                    {
                        "name": name,
                        "role": "CONTACT",
                        "phone": h.detail(contact, "phone"),
                        "email": h.detail(contact, "email"),
                    }
                )
            )
    return compact(
        {
            "centralContacts": central,
            "overallOfficials": officials,
            "locations": [_location(h, site) for site in h.fields("site")],
        }
    )


def _location(h: Header, site: m.Field) -> dict[str, Any]:
    status = h.detail(site, "status")
    investigator = h.detail(site, "investigator")
    return compact(
        {
            "facility": text(site.value),
            "status": status.upper() if status else None,
            "city": h.detail(site, "city"),
            "state": h.detail(site, "state"),
            "zip": h.detail(site, "zip"),
            "country": h.detail(site, "country"),
            "contacts": (
                [{"name": investigator, "role": "PRINCIPAL_INVESTIGATOR"}] if investigator else []
            ),
        }
    )
