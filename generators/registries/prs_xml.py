"""The ClinicalTrials.gov PRS upload file (`registry/prs.xml`), from the same record as ctgov.json.

The Protocol Registration System takes a protocol record as XML of its
published schema (`prs_schema/ProtocolRecordSchema.xsd`, see the README
there).  This module writes the protocol section of that file from the study
record `ctgov.record` builds, field for field: the same values, the same
provisional flags, in the schema's element order and with its words ("Not
yet recruiting", "Phase 1", "Single Group Assignment", "Anticipated" for an
estimated date).

PRS files name the organisation's PRS account (`org_name`), which nothing
else in a spec says: the file is written only when the trial header gives
`prs_organization`.  What the record does not hold is left out, never guessed;
where the schema requires a detail the record lacks (an interventional design
without its phase, an eligibility without its ages), the element holding it
is left out whole, so the file stays valid and PRS asks for the rest.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from generators.registries.ctgov import record
from generators.registries.ctgov_header import Provisional
from protocol_dsl.inert_text import printable, printable_data
from protocol_dsl.model import is_provisional
from protocol_dsl.spec import Spec

PRS_NS = "http://clinicaltrials.gov/prs"
SCHEMA = Path(__file__).parent / "prs_schema" / "ProtocolRecordSchema.xsd"

STATUSES = {
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "RECRUITING": "Recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Active, not recruiting",
    "COMPLETED": "Completed",
    "SUSPENDED": "Suspended",
    "TERMINATED": "Terminated",
    "WITHDRAWN": "Withdrawn",
}
DATE_TYPES = {"ACTUAL": "Actual", "ESTIMATED": "Anticipated"}
STUDY_TYPES = {
    "INTERVENTIONAL": "Interventional",
    "OBSERVATIONAL": "Observational",
    "EXPANDED_ACCESS": "Expanded Access",
}
PHASES = {
    ("EARLY_PHASE1",): "Early Phase 1",
    ("PHASE1",): "Phase 1",
    ("PHASE1", "PHASE2"): "Phase 1/2",
    ("PHASE2",): "Phase 2",
    ("PHASE2", "PHASE3"): "Phase 2/3",
    ("PHASE3",): "Phase 3",
    ("PHASE4",): "Phase 4",
    ("NA",): "N/A",
}
ALLOCATIONS = {"RANDOMIZED": "Randomized", "NON_RANDOMIZED": "Non-Randomized", "NA": "N/A"}
MODELS = {
    "SINGLE_GROUP": "Single Group Assignment",
    "PARALLEL": "Parallel Assignment",
    "CROSSOVER": "Crossover Assignment",
    "FACTORIAL": "Factorial Assignment",
    "SEQUENTIAL": "Sequential Assignment",
}
PURPOSES = {
    "TREATMENT": "Treatment",
    "PREVENTION": "Prevention",
    "DIAGNOSTIC": "Diagnostic",
    "SUPPORTIVE_CARE": "Supportive Care",
    "SCREENING": "Screening",
    "HEALTH_SERVICES_RESEARCH": "Health Services Research",
    "BASIC_SCIENCE": "Basic Science",
    "DEVICE_FEASIBILITY": "Device Feasibility",
    "OTHER": "Other",
}
# the registry's masked roles, and the element of each (participant == subject)
MASKED_ROLES = (
    ("PARTICIPANT", "masked_subject"),
    ("CARE_PROVIDER", "masked_caregiver"),
    ("INVESTIGATOR", "masked_investigator"),
    ("OUTCOMES_ASSESSOR", "masked_assessor"),
)
ARM_TYPES = {
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active Comparator",
    "PLACEBO_COMPARATOR": "Placebo Comparator",
    "SHAM_COMPARATOR": "Sham Comparator",
    "NO_INTERVENTION": "No Intervention",
    "OTHER": "Other",
}
INTERVENTION_TYPES = {
    "DRUG": "Drug",
    "DEVICE": "Device",
    "BIOLOGICAL": "Biological/Vaccine",
    "PROCEDURE": "Procedure/Surgery",
    "RADIATION": "Radiation",
    "BEHAVIORAL": "Behavioral",
    "GENETIC": "Genetic",
    "DIETARY_SUPPLEMENT": "Dietary Supplement",
    "COMBINATION_PRODUCT": "Combination Product",
    "DIAGNOSTIC_TEST": "Diagnostic Test",
    "OTHER": "Other",
}
SEXES = {"ALL": "All", "FEMALE": "Female", "MALE": "Male"}
RESPONSIBLE_PARTIES = {
    "SPONSOR": "Sponsor",
    "PRINCIPAL_INVESTIGATOR": "Principal Investigator",
    "SPONSOR_INVESTIGATOR": "Sponsor-Investigator",
}
OFFICIAL_ROLES = {
    "STUDY_CHAIR": "Study Chair",
    "STUDY_DIRECTOR": "Study Director",
    "PRINCIPAL_INVESTIGATOR": "Principal Investigator",
}


def build(spec: Spec, out_dir: Path, *, provisional: Provisional = "flag") -> list[Path]:
    """Write registry/prs.xml when the header names the PRS organisation; else nothing."""
    data = prs_bytes(spec, provisional)
    if data is None:
        return []
    folder = out_dir / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "prs.xml"
    path.write_bytes(data)
    return [path]


def prs_bytes(spec: Spec, provisional: Provisional = "flag") -> bytes | None:
    """The upload file, UTF-8, two-space indented; None without `prs_organization`."""
    found = spec.trial_field("prs_organization")
    if found is None or (provisional == "exclude" and is_provisional(found.marks)):
        return None
    organisation = printable(str(found.value.value))
    section = printable_data(record(spec, provisional))["protocolSection"]
    # only the root is in the PRS namespace: the schema's local elements are unqualified
    etree.register_namespace("prs", PRS_NS)
    root = etree.Element(f"{{{PRS_NS}}}study_collection")
    _Study(etree.SubElement(root, "clinical_study"), section).write(organisation)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


class _Study:
    """The elements of one clinical_study, in the schema's order."""

    def __init__(self, element: Any, section: dict[str, Any]) -> None:
        self.element = element
        self.section = section

    def module(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.section.get(name, {})
        return found

    def write(self, organisation: str) -> None:
        identification = self.module("identificationModule")
        self.id_info(organisation, identification)
        study = self.element
        _text(study, "brief_title", identification.get("briefTitle"))
        _text(study, "acronym", identification.get("acronym"))
        _text(study, "official_title", identification.get("officialTitle"))
        self.sponsors()
        self.oversight()
        description = self.module("descriptionModule")
        _block(study, "brief_summary", description.get("briefSummary"))
        _block(study, "detailed_description", description.get("detailedDescription"))
        self.status()
        self.design()
        self.outcomes()
        design = self.module("designModule")
        enrolment = design.get("enrollmentInfo", {})
        _text(study, "enrollment", enrolment.get("count"))
        _text(study, "enrollment_type", DATE_TYPES.get(enrolment.get("type", "")))
        conditions = self.module("conditionsModule")
        for condition in conditions.get("conditions", []):
            _text(study, "condition", condition)
        for keyword in conditions.get("keywords", []):
            _text(study, "keyword", keyword)
        self.arms_and_interventions()
        self.eligibility()
        self.contacts_and_locations()

    def id_info(self, organisation: str, identification: dict[str, Any]) -> None:
        info = etree.SubElement(self.element, "id_info")
        _text(info, "org_name", organisation)
        # the schema requires the unique protocol id; ctgov.record always gives one
        _text(info, "org_study_id", identification.get("orgStudyIdInfo", {}).get("id", ""))
        for other in identification.get("secondaryIdInfos", []):
            secondary = etree.SubElement(info, "secondary_id")
            _text(secondary, "id", other.get("id"))
            if other.get("type") == "REGISTRY":
                _text(secondary, "id_type", "Registry Identifier")

    def sponsors(self) -> None:
        module = self.module("sponsorCollaboratorsModule")
        lead = module.get("leadSponsor", {}).get("name")
        if lead is None:  # the schema requires the lead sponsor of a sponsors element
            return
        sponsors = etree.SubElement(self.element, "sponsors")
        _text(etree.SubElement(sponsors, "lead_sponsor"), "agency", lead)
        for collaborator in module.get("collaborators", []):
            _text(etree.SubElement(sponsors, "collaborator"), "agency", collaborator.get("name"))
        party = module.get("responsibleParty", {})
        kind = RESPONSIBLE_PARTIES.get(party.get("type", ""))
        if kind is not None:
            element = etree.SubElement(sponsors, "resp_party")
            _text(element, "resp_party_type", kind)
            _text(element, "investigator_title", party.get("investigatorTitle"))
            _text(element, "investigator_affiliation", party.get("investigatorAffiliation"))

    def oversight(self) -> None:
        module = self.module("oversightModule")
        answers = (
            ("has_dmc", module.get("oversightHasDmc")),
            ("fda_regulated_drug", module.get("isFdaRegulatedDrug")),
            ("fda_regulated_device", module.get("isFdaRegulatedDevice")),
        )
        if all(answer is None for _, answer in answers):
            return
        oversight = etree.SubElement(self.element, "oversight_info")
        for name, answer in answers:
            _text(oversight, name, _yes_no(answer))

    def status(self) -> None:
        module = self.module("statusModule")
        study = self.element
        _text(study, "overall_status", STATUSES.get(module.get("overallStatus", "")))
        _text(study, "why_stopped", module.get("whyStopped"))
        _text(study, "verification_date", module.get("statusVerifiedDate"))
        for key, name in (
            ("startDateStruct", "start_date"),
            ("completionDateStruct", "last_follow_up_date"),
            ("primaryCompletionDateStruct", "primary_compl_date"),
        ):
            date = module.get(key, {})
            _text(study, name, date.get("date"))
            _text(study, f"{name}_type", DATE_TYPES.get(date.get("type", "")))

    def design(self) -> None:
        module = self.module("designModule")
        study_type = STUDY_TYPES.get(module.get("studyType", ""))
        if study_type is None:
            return
        design = etree.SubElement(self.element, "study_design")
        _text(design, "study_type", study_type)
        if study_type != "Interventional":
            # an observational design needs details (biospecimens, timing) no spec states
            return
        info = module.get("designInfo", {})
        purpose = PURPOSES.get(info.get("primaryPurpose", ""))
        phase = PHASES.get(tuple(module.get("phases", [])))
        allocation = ALLOCATIONS.get(info.get("allocation", ""))
        if purpose is None or phase is None or allocation is None:
            return
        element = etree.SubElement(design, "interventional_design")
        _text(element, "interventional_subtype", purpose)
        _text(element, "phase", phase)
        _text(element, "assignment", MODELS.get(info.get("interventionModel", "")))
        _text(element, "allocation", allocation)
        masking = info.get("maskingInfo", {})
        if masking.get("masking"):
            masked = set(masking.get("whoMasked", []))
            _text(element, "no_masking", _yes_no(masking["masking"] == "NONE"))
            for role, name in MASKED_ROLES:
                _text(element, name, _yes_no(role in masked))
            _block(element, "masking_description", masking.get("maskingDescription"))
        arms = self.module("armsInterventionsModule").get("armGroups", [])
        if arms:
            _text(element, "number_of_arms", len(arms))

    def outcomes(self) -> None:
        module = self.module("outcomesModule")
        for key, name in (
            ("primaryOutcomes", "primary_outcome"),
            ("secondaryOutcomes", "secondary_outcome"),
            ("otherOutcomes", "other_outcome"),
        ):
            for outcome in module.get(key, []):
                element = etree.SubElement(self.element, name)
                _text(element, "outcome_measure", outcome.get("measure"))
                _text(element, "outcome_time_frame", outcome.get("timeFrame"))
                _block(element, "outcome_description", outcome.get("description"))

    def arms_and_interventions(self) -> None:
        module = self.module("armsInterventionsModule")
        for arm in module.get("armGroups", []):
            element = etree.SubElement(self.element, "arm_group")
            _text(element, "arm_group_label", arm.get("label"))
            _text(element, "arm_type", ARM_TYPES.get(arm.get("type", "")))
            _block(element, "arm_group_description", arm.get("description"))
        for intervention in module.get("interventions", []):
            element = etree.SubElement(self.element, "intervention")
            _text(
                element, "intervention_type", INTERVENTION_TYPES.get(intervention.get("type", ""))
            )
            _text(element, "intervention_name", intervention.get("name"))
            _block(element, "intervention_description", intervention.get("description"))
            for label in intervention.get("armGroupLabels", []):
                _text(element, "arm_group_label", label)
            for other in intervention.get("otherNames", []):
                _text(element, "intervention_other_name", other)

    def eligibility(self) -> None:
        module = self.module("eligibilityModule")
        criteria = module.get("eligibilityCriteria")
        sex = SEXES.get(module.get("sex", ""))
        minimum, maximum = module.get("minimumAge"), module.get("maximumAge")
        # all four are required; an age the spec does not state is unknown, not "N/A"
        if criteria is None or sex is None or minimum is None or maximum is None:
            return
        element = etree.SubElement(self.element, "eligibility")
        _block(element, "criteria", criteria)
        _text(element, "healthy_volunteers", _yes_no(module.get("healthyVolunteers")))
        _text(element, "gender", sex)
        _text(element, "minimum_age", minimum)
        _text(element, "maximum_age", maximum)

    def contacts_and_locations(self) -> None:
        module = self.module("contactsLocationsModule")
        for official in module.get("overallOfficials", []):
            element = etree.SubElement(self.element, "overall_official")
            _text(element, "last_name", official.get("name"))
            _text(element, "role", OFFICIAL_ROLES.get(official.get("role", "")))
            _text(element, "affiliation", official.get("affiliation"))
        # PRS holds one central contact and one backup, the first two of the record
        for contact, name in zip(
            module.get("centralContacts", []),
            ("overall_contact", "overall_contact_backup"),
            strict=False,
        ):
            element = etree.SubElement(self.element, name)
            _text(element, "last_name", contact.get("name"))
            _text(element, "phone", contact.get("phone"))
            _text(element, "email", contact.get("email"))
        for location in module.get("locations", []):
            element = etree.SubElement(self.element, "location")
            facility = etree.SubElement(element, "facility")
            _text(facility, "name", location.get("facility"))
            address = etree.SubElement(facility, "address")
            for key in ("city", "state", "country", "zip"):
                _text(address, key, location.get(key))
            status = location.get("status")
            _text(element, "status", STATUSES.get(status or ""))
            for person in location.get("contacts", []):
                if person.get("role") == "PRINCIPAL_INVESTIGATOR":
                    investigator = etree.SubElement(element, "investigator")
                    _text(investigator, "last_name", person.get("name"))
                    _text(investigator, "role", "Principal Investigator")


def _text(parent: Any, name: str, value: object) -> None:
    """A child element with the value as text; nothing when the value is unknown."""
    if value is None:
        return
    etree.SubElement(parent, name).text = str(value)


def _block(parent: Any, name: str, value: str | None) -> None:
    """A text block: the element, and its text in a `textblock` child."""
    if value is None:
        return
    etree.SubElement(etree.SubElement(parent, name), "textblock").text = value


def _yes_no(answer: object) -> str | None:
    return None if answer is None else ("Yes" if answer else "No")
