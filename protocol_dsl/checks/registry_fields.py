"""What a ClinicalTrials.gov record needs that a registered trial's header leaves out (W0807–W0811).

A trial whose header names an NCT number is registered at ClinicalTrials.gov,
and `protocol build` writes its record there.  The Protocol Registration and
Results System (PRS) refuses a record without the fields its data element
definitions require; the header is where the spec states them.  These are
warnings: the spec is sound, the record is incomplete.

- W0807: a required header field is missing (dates, status, sponsor,
  responsible party, oversight, the data monitoring committee).
- W0808: suspended, terminated or withdrawn without `why_stopped`.
- W0809: an investigator is the responsible party but the details do not
  give the investigator's name, title and affiliation.
- W0810: a site without the city and country a registry location needs.
- W0811: a central or backup contact with neither telephone nor e-mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

#: The header keys behind the record fields the PRS requires of every interventional trial
#: (ClinicalTrials.gov Protocol Registration Data Element Definitions: Study Status,
#: Sponsor/Collaborators, Oversight), in the order the warning lists them.
REQUIRED_KEYS = (
    "status",
    "start_date",
    "primary_completion_date",
    "completion_date",
    "sponsor",
    "responsible_party",
    "fda_regulated_drug",
    "fda_regulated_device",
    "data_monitoring_committee",
    "enrolment",
    "sex",
    "healthy_volunteers",
)

#: statuses whose record must say why the trial stopped
STOPPED = frozenset({"suspended", "terminated", "withdrawn"})
_INVESTIGATOR_DETAILS = ("name", "title", "affiliation")


def check(spec: Spec) -> Iterator[Diagnostic]:
    trial = spec.trial
    if trial is None or not _registered(trial):
        return
    missing = [key for key in REQUIRED_KEYS if trial.field(key) is None and _required(trial, key)]
    if missing:
        yield Diagnostic(
            "W0807",
            "warning",
            "the ClinicalTrials.gov record lacks fields the registry requires: "
            + ", ".join(missing),
            trial.span,
            help='state them in the trial header (docs/reference.md, "Registry fields"); '
            "mark a value not yet decided `provisional`",
        )
    status = trial.field("status")
    if status is not None and status.value.value in STOPPED and trial.field("why_stopped") is None:
        yield Diagnostic(
            "W0808",
            "warning",
            f"the trial is {status.value.value} but the header does not say why",
            status.span,
            help='add `why_stopped "…"`: the registry asks for the reason in plain words',
        )
    party = trial.field("responsible_party")
    if party is not None and party.value.value != "sponsor":
        absent = [k for k in _INVESTIGATOR_DETAILS if party.detail(k) is None]
        if absent:
            yield Diagnostic(
                "W0809",
                "warning",
                "the responsible investigator's " + ", ".join(absent) + " is not given",
                party.span,
                help='write `responsible_party principal_investigator { name "…" title "…" '
                'affiliation "…" }`',
            )
    for site in trial.all("site"):
        absent = [k for k in ("city", "country") if site.detail(k) is None]
        if absent:
            yield Diagnostic(
                "W0810",
                "warning",
                f"the site {_shown(site)} has no {' and no '.join(absent)}: "
                "the registry cannot list it as a location",
                site.span,
                help='add them in braces: `site "Facility" { city "…" country "…" }`',
            )
    for contact in trial.all("contact"):
        role = contact.detail("role")
        central = role is not None and role.value.value in ("central", "backup")
        if central and contact.detail("phone") is None and contact.detail("email") is None:
            yield Diagnostic(
                "W0811",
                "warning",
                f"the contact {_shown(contact)} has neither telephone nor e-mail",
                contact.span,
                help='add `phone "…"` or `email "…"` in its braces',
            )


#: the FDAAA 801 final rule: the FDA-regulated product questions are asked of trials
#: that start on or after it
FINAL_RULE = datetime.date(2017, 1, 18)


def _required(trial: m.Trial, key: str) -> bool:
    """Whether the registry requires `key` of this trial (the FDA product questions only of
    a trial that starts on or after the final rule, or whose start is not stated)."""
    if key not in ("fda_regulated_drug", "fda_regulated_device"):
        return True
    start = trial.field("start_date")
    if start is None or not isinstance(start.value.value, datetime.date):
        return True
    return start.value.value >= FINAL_RULE


def _registered(trial: m.Trial) -> bool:
    return any(
        str(v.value).upper().startswith("NCT") for f in trial.all("registry") for v in f.values
    )


def _shown(f: m.Field) -> str:
    return f"“{f.value.value}”"
