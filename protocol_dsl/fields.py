"""The keys that header-like blocks accept, and the kind of value each takes.

`trial { … }`, `intervention X { … }` and the plain fields of `dose_finding`
are written as `key value` lines.  This table is the one place that says which
keys exist, what values they take and whether they repeat; the name checks
report unknown keys (with "did you mean") and values of the wrong kind, and
the documentation lists the same table.
"""

from __future__ import annotations

from typing import NamedTuple


class FieldSpec(NamedTuple):
    kinds: frozenset[str]  # value kinds accepted: string, number, quantity, date, name, titer
    description: str
    choices: frozenset[str] = frozenset()  # for names: the allowed words (empty = any)
    repeatable: bool = False
    many_values: bool = False


def _f(
    kinds: str,
    description: str,
    choices: str = "",
    repeatable: bool = False,
    many_values: bool = False,
) -> FieldSpec:
    return FieldSpec(
        frozenset(kinds.split()), description, frozenset(choices.split()), repeatable, many_values
    )


TRIAL_FIELDS: dict[str, FieldSpec] = {
    "title": _f("string", "official title"),
    "short_title": _f("string", "brief title"),
    "acronym": _f("string", "acronym"),
    "sponsor_protocol_id": _f("string name", "the sponsor's protocol identifier"),
    "registry": _f("name string", "registry identifier (NCT, EU CT, ISRCTN …)", repeatable=True),
    "sponsor": _f("string", "lead sponsor"),
    "collaborator": _f("string", "collaborator", repeatable=True),
    "phase": _f("number quantity string name", "phase, e.g. 1, 1b, 2/3"),
    "study_type": _f("name", "study type", "interventional observational expanded_access"),
    "allocation": _f("name", "allocation", "randomized non_randomized na"),
    "model": _f(
        "name",
        "intervention model",
        "single_group parallel crossover factorial sequential",
    ),
    "masking": _f("name", "masking (blinding)", "open_label single double triple quadruple"),
    "purpose": _f(
        "name",
        "primary purpose",
        "treatment prevention diagnostic supportive_care screening "
        "health_services_research basic_science device_feasibility other",
    ),
    "condition": _f("string", "condition studied, with codes", repeatable=True),
    "keyword": _f("string", "registry keyword", repeatable=True),
    "enrolment": _f("number", "planned number of subjects"),
    "enrolled": _f("number", "number of subjects enrolled, once enrolment has closed"),
    "sex": _f("name", "sex of participants", "all female male"),
    "healthy_volunteers": _f("name", "accepts healthy volunteers", "yes no"),
    "minimum_age": _f("quantity", "planned minimum age"),
    "maximum_age": _f("quantity", "planned maximum age"),
    "age_group": _f("name", "age group", "child adult older_adult", many_values=True),
    "status": _f(
        "name",
        "recruitment status",
        "not_yet_recruiting recruiting enrolling_by_invitation active_not_recruiting "
        "suspended terminated completed withdrawn",
    ),
    # actual or anticipated follows from `status` (docs/reference.md, "Trial header")
    "start_date": _f("date", "study start date: first participant enrolled"),
    "primary_completion_date": _f(
        "date", "primary completion date: last participant's primary endpoint"
    ),
    "completion_date": _f("date", "study completion date: last participant's last visit"),
    "verification_date": _f(
        "date", "the date the registry record was last verified (default: the version date)"
    ),
    "why_stopped": _f("string", "why the trial was suspended, terminated or withdrawn"),
    "sponsor_class": _f(
        "name",
        "the lead sponsor's agency class in ClinicalTrials.gov",
        "industry nih fed other_gov indiv network other",
    ),
    "prs_organization": _f(
        "string name",
        "the organisation's short name in the ClinicalTrials.gov Protocol Registration "
        "System (PRS), which the PRS upload file needs",
    ),
    "responsible_party": _f(
        "name",
        "who registers and reports the trial; an investigator's name, title and affiliation "
        "in its details",
        "sponsor principal_investigator sponsor_investigator",
    ),
    "fda_regulated_drug": _f("name", "studies a drug product regulated by the US FDA", "yes no"),
    "fda_regulated_device": _f(
        "name", "studies a device product regulated by the US FDA", "yes no"
    ),
    "data_monitoring_committee": _f("name", "has a data monitoring committee", "yes no"),
    "version": _f("string", "protocol version"),
    "version_date": _f("date", "protocol version date"),
    "eligibility_visit": _f("name", "the visit eligibility is judged at"),
    "summary": _f("string", "brief summary"),
    "description": _f("string", "detailed description"),
    "length": _f("quantity", "planned length of participation"),
    "indication": _f("string", "trial indication"),
    "indication_type": _f(
        "name", "trial indication type", "treatment prevention diagnosis mitigation"
    ),
    "diagnosis_group": _f("string", "diagnosis group"),
    "trial_type": _f(
        "name",
        "trial type (SDTM TTYPE)",
        "efficacy safety pharmacokinetic pharmacodynamic tolerability bioequivalence",
        many_values=True,
    ),
    "control": _f("name", "control type", "placebo active dose_comparison none historical"),
    "comparator": _f("string", "comparative treatment"),
    "add_on": _f("name", "added on to existing treatments", "yes no"),
    "country": _f("string name", "country", repeatable=True),
    "site": _f(
        "string",
        "a trial site and its principal investigator; its city, country and recruitment status "
        "in its details",
        repeatable=True,
    ),
    "contact": _f(
        "string",
        "a contact for subjects or sites (name, telephone, e-mail); its role, telephone and "
        "e-mail in its details",
        repeatable=True,
    ),
    "paper": _f("name", "paper of the Word and printed documents", "a4 letter"),
    # the title page and the sponsor's signature block of the protocol
    "sponsor_address": _f("string", "the sponsor's legal address"),
    "sponsor_signatory": _f("string", "who signs the protocol for the sponsor (name, title)"),
    "ind": _f("string name", "US IND number", repeatable=True),
}

INTERVENTION_FIELDS: dict[str, FieldSpec] = {
    "type": _f(
        "name",
        "intervention type",
        "drug biological device procedure radiation behavioral genetic dietary_supplement "
        "combination_product diagnostic_test other",
    ),
    "route": _f("name string", "route of administration"),
    "dosage_form": _f("name string", "dosage form"),
    "administration": _f("string", "how and how often it is given"),
    "dose": _f("quantity", "a dose given", many_values=True),
    "frequency": _f("string name", "dosing frequency"),
    "description": _f("string", "description"),
    "code": _f("string name", "product code"),
}

DOSE_FINDING_FIELDS: dict[str, FieldSpec] = {
    "start_level": _f("name", "the dose level the first cohort receives"),
    "expansion": _f("number", "subjects in expansion cohorts at the selected dose(s)"),
    "backfill": _f("number", "maximum subjects backfilled at cleared dose levels"),
    "max_sample_size": _f("number", "maximum number of subjects dosed in escalation"),
    "decided_by": _f("string", "who takes escalation decisions"),
    "rp2d": _f("string", "how the recommended phase 2 dose is chosen"),
}

#: The `key value` settings of a dosing regimen (`regimen NAME of INTERVENTION { … }`).
#: `frequency` takes a CDISC FREQ submission value (`protocol_dsl.schedule.frequency`).
REGIMEN_FIELDS: dict[str, FieldSpec] = {
    "frequency": _f("name", "dosing frequency: a CDISC FREQ (C71113) submission value (Q4W, QD …)"),
    "route": _f("name string", "route of administration (the intervention's when not given)"),
    "infusion": _f("quantity", "infusion duration (1 h, 30 min)"),
    "given": _f(
        "name",
        "where doses are given: at_visit (each dose at a scheduled visit, the default) or "
        "at_home (self-administered between visits, such as daily tablets)",
        "at_visit at_home",
    ),
    "hold": _f("string", "when a dose is withheld"),
    "resume": _f("string", "how dosing resumes after a hold (re-escalation rules)"),
    "dose_weight": _f(
        "name quantity",
        "which recorded weight or BSA a per-kg or per-m2 dose is computed from: latest, "
        "baseline, or a change in % past which the baseline is updated",
    ),
}


#: The statuses a site's recruitment takes (ClinicalTrials.gov, Facility Information).
SITE_STATUSES = (
    "not_yet_recruiting recruiting enrolling_by_invitation active_not_recruiting "
    "suspended terminated completed withdrawn"
)

#: The details of a `site "Facility" { … }` of the trial header.
SITE_FIELDS: dict[str, FieldSpec] = {
    "city": _f("string", "the site's city"),
    "state": _f("string", "the site's state, province or region"),
    "zip": _f("string name", "the site's postal code"),
    "country": _f("string name", "the site's country"),
    "status": _f("name", "the site's recruitment status", SITE_STATUSES),
    "investigator": _f("string", "the site's principal investigator"),
}

#: The details of a `contact "Name" { … }` of the trial header.
CONTACT_FIELDS: dict[str, FieldSpec] = {
    "role": _f(
        "name",
        "central (the contact for the trial), backup (the second central contact) or "
        "official (the overall official, who oversees the trial)",
        "central backup official",
    ),
    "phone": _f("string", "telephone number"),
    "email": _f("string", "e-mail address"),
    "affiliation": _f("string", "the organisation the contact belongs to"),
    "official_role": _f(
        "name", "an overall official's role", "study_chair study_director principal_investigator"
    ),
}

#: The details of `responsible_party principal_investigator { … }` (an investigator).
RESPONSIBLE_PARTY_FIELDS: dict[str, FieldSpec] = {
    "name": _f("string", "the investigator's name"),
    "title": _f("string", "the investigator's official title"),
    "affiliation": _f("string", "the investigator's organisation"),
}

#: The trial header fields that take details, and the keys of their details.
DETAIL_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "site": SITE_FIELDS,
    "contact": CONTACT_FIELDS,
    "responsible_party": RESPONSIBLE_PARTY_FIELDS,
}
