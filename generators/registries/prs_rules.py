"""The ClinicalTrials.gov data element definitions a record must satisfy, as data.

There is no offline validator of the Protocol Registration and Results System
(PRS).  These rules transcribe what its published definitions require of an
interventional study's protocol section — "ClinicalTrials.gov Protocol
Registration Data Element Definitions for Interventional and Observational
Studies" (clinicaltrials.gov/policy/protocol-definitions) — each rule citing
the section and data element it comes from, with paths and enumerations of
the ClinicalTrials.gov data API v2 the record is written in.  `violations`
checks a record against them; the tests run it over every real spec's record.

Left out because the API's study structure has no place for them: the Human
Subjects Protection Review Board status, the number of arms (the PRS counts
the arm groups), the FDA IND/IDE details and the individual participant data
sharing statement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, NamedTuple

#: the PRS's date of the FDAAA 801 final rule: the FDA-regulated product questions are
#: required of studies that start on or after it (Oversight)
FINAL_RULE_DATE = "2017-01-18"

DEFINITIONS = "ClinicalTrials.gov Protocol Registration Data Element Definitions"


class Condition(NamedTuple):
    """The rule applies when the value at `path` is one of `values` (or, `negate`, is not)."""

    path: str
    values: frozenset[str]
    negate: bool = False

    def words(self) -> str:
        which = " or ".join(sorted(self.values))
        return f"{_last(self.path)} is {'not ' if self.negate else ''}{which}"


class Rule(NamedTuple):
    """One requirement: the value at `path` (`[]` for each item of a list) is present
    (when `required`) and one of `values` (when given), wherever `when` holds."""

    section: str  # the definitions' section › data element
    path: str
    values: frozenset[str] = frozenset()
    required: bool = True
    when: Condition | None = None


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STATUSES = _set(
    "NOT_YET_RECRUITING RECRUITING ENROLLING_BY_INVITATION ACTIVE_NOT_RECRUITING SUSPENDED "
    "TERMINATED COMPLETED WITHDRAWN"
)
OPEN = _set("NOT_YET_RECRUITING RECRUITING")
STOPPED = _set("SUSPENDED TERMINATED WITHDRAWN")
DATE_TYPES = _set("ACTUAL ESTIMATED")

RULES: tuple[Rule, ...] = (
    # -- Study Identification
    Rule("Study Identification › Unique Protocol Identification Number", "identificationModule.orgStudyIdInfo.id"),
    Rule("Study Identification › Brief Title", "identificationModule.briefTitle"),
    Rule("Study Identification › Official Title", "identificationModule.officialTitle"),
    Rule("Study Identification › Secondary IDs › Secondary ID Type", "identificationModule.secondaryIdInfos[].type",
         _set("REGISTRY OTHER_GRANT FDA_IND FDA_IDE NIH EUDRACT CTIS OTHER")),
    # -- Study Status
    Rule("Study Status › Record Verification Date", "statusModule.statusVerifiedDate"),
    Rule("Study Status › Overall Recruitment Status", "statusModule.overallStatus", STATUSES),
    Rule("Study Status › Why Study Stopped", "statusModule.whyStopped",
         when=Condition("statusModule.overallStatus", STOPPED)),
    Rule("Study Status › Study Start Date", "statusModule.startDateStruct.date"),
    Rule("Study Status › Study Start Date (Actual or Anticipated)", "statusModule.startDateStruct.type", DATE_TYPES),
    Rule("Study Status › Primary Completion Date", "statusModule.primaryCompletionDateStruct.date",
         when=Condition("statusModule.overallStatus", _set("WITHDRAWN"), negate=True)),
    Rule("Study Status › Primary Completion Date (Actual or Anticipated)",
         "statusModule.primaryCompletionDateStruct.type", DATE_TYPES,
         when=Condition("statusModule.overallStatus", _set("WITHDRAWN"), negate=True)),
    Rule("Study Status › Study Completion Date", "statusModule.completionDateStruct.date",
         when=Condition("statusModule.overallStatus", _set("WITHDRAWN"), negate=True)),
    Rule("Study Status › Study Completion Date (Actual or Anticipated)",
         "statusModule.completionDateStruct.type", DATE_TYPES,
         when=Condition("statusModule.overallStatus", _set("WITHDRAWN"), negate=True)),
    # -- Sponsor/Collaborators
    Rule("Sponsor/Collaborators › Sponsor", "sponsorCollaboratorsModule.leadSponsor.name"),
    Rule("Sponsor/Collaborators › Sponsor (agency class)", "sponsorCollaboratorsModule.leadSponsor.class",
         _set("NIH FED OTHER_GOV INDIV INDUSTRY NETWORK AMBIG OTHER UNKNOWN"), required=False),
    Rule("Sponsor/Collaborators › Responsible Party, by Official Title",
         "sponsorCollaboratorsModule.responsibleParty.type",
         _set("SPONSOR PRINCIPAL_INVESTIGATOR SPONSOR_INVESTIGATOR")),
    *(
        Rule(f"Sponsor/Collaborators › Responsible Party › Investigator {what}",
             f"sponsorCollaboratorsModule.responsibleParty.{key}",
             when=Condition("sponsorCollaboratorsModule.responsibleParty.type",
                            _set("PRINCIPAL_INVESTIGATOR SPONSOR_INVESTIGATOR")))
        for what, key in (("Name", "investigatorFullName"), ("Official Title", "investigatorTitle"),
                          ("Affiliation", "investigatorAffiliation"))
    ),
    Rule("Sponsor/Collaborators › Collaborators", "sponsorCollaboratorsModule.collaborators[].name"),
    # -- Oversight (the FDA product questions: see `_fda_questions`)
    Rule("Oversight › Data Monitoring Committee", "oversightModule.oversightHasDmc", _set("True False")),
    # -- Study Description
    Rule("Study Description › Brief Summary", "descriptionModule.briefSummary"),
    # -- Conditions
    Rule("Conditions › Primary Disease or Condition Being Studied", "conditionsModule.conditions"),
    # -- Study Design
    Rule("Study Design › Study Type", "designModule.studyType", _set("INTERVENTIONAL OBSERVATIONAL EXPANDED_ACCESS")),
    Rule("Study Design › Study Phase", "designModule.phases"),
    Rule("Study Design › Study Phase", "designModule.phases[]",
         _set("EARLY_PHASE1 PHASE1 PHASE2 PHASE3 PHASE4 NA")),
    Rule("Study Design › Design Details › Primary Purpose", "designModule.designInfo.primaryPurpose",
         _set("TREATMENT PREVENTION DIAGNOSTIC ECT SUPPORTIVE_CARE SCREENING HEALTH_SERVICES_RESEARCH "
              "BASIC_SCIENCE DEVICE_FEASIBILITY OTHER")),
    Rule("Study Design › Design Details › Interventional Study Model", "designModule.designInfo.interventionModel",
         _set("SINGLE_GROUP PARALLEL CROSSOVER FACTORIAL SEQUENTIAL")),
    Rule("Study Design › Design Details › Allocation", "designModule.designInfo.allocation",
         _set("RANDOMIZED NON_RANDOMIZED NA")),
    Rule("Study Design › Design Details › Allocation (N/A for a single-arm study)",
         "designModule.designInfo.allocation", _set("NA"),
         when=Condition("designModule.designInfo.interventionModel", _set("SINGLE_GROUP"))),
    Rule("Study Design › Design Details › Masking", "designModule.designInfo.maskingInfo.masking",
         _set("NONE SINGLE DOUBLE TRIPLE QUADRUPLE")),
    Rule("Study Design › Design Details › Masking (who is masked)", "designModule.designInfo.maskingInfo.whoMasked",
         when=Condition("designModule.designInfo.maskingInfo.masking", _set("NONE"), negate=True)),
    Rule("Study Design › Design Details › Masking (who is masked)",
         "designModule.designInfo.maskingInfo.whoMasked[]",
         _set("PARTICIPANT CARE_PROVIDER INVESTIGATOR OUTCOMES_ASSESSOR")),
    Rule("Study Design › Enrollment", "designModule.enrollmentInfo.count"),
    Rule("Study Design › Enrollment (Actual or Anticipated)", "designModule.enrollmentInfo.type", DATE_TYPES),
    # -- Arms, Groups, and Interventions
    Rule("Arms, Groups, and Interventions › Arm Information", "armsInterventionsModule.armGroups"),
    Rule("Arms, Groups, and Interventions › Arm Label", "armsInterventionsModule.armGroups[].label"),
    Rule("Arms, Groups, and Interventions › Arm Type", "armsInterventionsModule.armGroups[].type",
         _set("EXPERIMENTAL ACTIVE_COMPARATOR PLACEBO_COMPARATOR SHAM_COMPARATOR NO_INTERVENTION OTHER")),
    Rule("Arms, Groups, and Interventions › Interventions", "armsInterventionsModule.interventions"),
    Rule("Arms, Groups, and Interventions › Intervention Type", "armsInterventionsModule.interventions[].type",
         _set("DRUG DEVICE BIOLOGICAL PROCEDURE RADIATION BEHAVIORAL GENETIC DIETARY_SUPPLEMENT "
              "COMBINATION_PRODUCT DIAGNOSTIC_TEST OTHER")),
    Rule("Arms, Groups, and Interventions › Intervention Name", "armsInterventionsModule.interventions[].name"),
    Rule("Arms, Groups, and Interventions › Arm or Group/Intervention Cross-Reference",
         "armsInterventionsModule.interventions[].armGroupLabels"),
    # -- Outcome Measures
    Rule("Outcome Measures › Primary Outcome Measure", "outcomesModule.primaryOutcomes"),
    Rule("Outcome Measures › Primary Outcome Measure › Title", "outcomesModule.primaryOutcomes[].measure"),
    Rule("Outcome Measures › Primary Outcome Measure › Time Frame", "outcomesModule.primaryOutcomes[].timeFrame"),
    Rule("Outcome Measures › Secondary Outcome Measure › Title", "outcomesModule.secondaryOutcomes[].measure"),
    Rule("Outcome Measures › Secondary Outcome Measure › Time Frame", "outcomesModule.secondaryOutcomes[].timeFrame"),
    Rule("Outcome Measures › Other Pre-specified Outcome Measures › Title", "outcomesModule.otherOutcomes[].measure"),
    Rule("Outcome Measures › Other Pre-specified Outcome Measures › Time Frame",
         "outcomesModule.otherOutcomes[].timeFrame"),
    # -- Eligibility
    Rule("Eligibility › Eligibility Criteria", "eligibilityModule.eligibilityCriteria"),
    Rule("Eligibility › Sex/Gender", "eligibilityModule.sex", _set("ALL FEMALE MALE")),
    Rule("Eligibility › Accepts Healthy Volunteers", "eligibilityModule.healthyVolunteers", _set("True False")),
    Rule("Eligibility › Age Limits (standard age groups)", "eligibilityModule.stdAges[]",
         _set("CHILD ADULT OLDER_ADULT")),
    # -- Contacts, Locations, and Investigator Information
    Rule("Contacts, Locations, and Investigator Information › Central Contact Person",
         "contactsLocationsModule.centralContacts", when=Condition("statusModule.overallStatus", OPEN)),
    Rule("Contacts, Locations, and Investigator Information › Central Contact Person › Name",
         "contactsLocationsModule.centralContacts[].name"),
    Rule("Contacts, Locations, and Investigator Information › Overall Study Official › Name",
         "contactsLocationsModule.overallOfficials[].name"),
    Rule("Contacts, Locations, and Investigator Information › Overall Study Official › Affiliation",
         "contactsLocationsModule.overallOfficials[].affiliation"),
    Rule("Contacts, Locations, and Investigator Information › Overall Study Official › Role",
         "contactsLocationsModule.overallOfficials[].role",
         _set("STUDY_CHAIR STUDY_DIRECTOR PRINCIPAL_INVESTIGATOR")),
    Rule("Contacts, Locations, and Investigator Information › Facility Information › Facility Name",
         "contactsLocationsModule.locations[].facility"),
    Rule("Contacts, Locations, and Investigator Information › Facility Information › City",
         "contactsLocationsModule.locations[].city"),
    Rule("Contacts, Locations, and Investigator Information › Facility Information › Country",
         "contactsLocationsModule.locations[].country"),
    Rule("Contacts, Locations, and Investigator Information › Facility Information › Individual Site Status",
         "contactsLocationsModule.locations[].status", STATUSES | _set("AVAILABLE"),
         when=Condition("statusModule.overallStatus", OPEN | _set("ENROLLING_BY_INVITATION"))),
)  # fmt: skip

_MISSING = object()


def violations(study: dict[str, Any]) -> list[str]:
    """What the record breaks, each as `path: problem (section › element)`; empty when none."""
    section = study.get("protocolSection", {})
    found = [problem for rule in RULES for problem in _broken(rule, section)]
    found += _fda_questions(section)
    found += _central_contact_reachable(section)
    found += _date_order(section)
    return found


def _broken(rule: Rule, section: dict[str, Any]) -> Iterator[str]:
    if rule.when is not None and not _holds(rule.when, section):
        return
    for where, value in _at(section, rule.path):
        if value is _MISSING or value in ("", [], {}):
            if rule.required:
                condition = f" when {rule.when.words()}" if rule.when else ""
                yield f"{where}: required{condition} ({rule.section})"
        elif rule.values and _word(value) not in rule.values:
            yield f"{where}: {value!r} is not one of {sorted(rule.values)} ({rule.section})"


def _holds(condition: Condition, section: dict[str, Any]) -> bool:
    values = [v for _where, v in _at(section, condition.path)]
    present = any(v is not _MISSING and _word(v) in condition.values for v in values)
    return not present if condition.negate else present


def _at(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """The values at a dotted path, `key[]` standing for each item of a list (none when
    the list is absent: a rule on the items of an absent list holds)."""
    head, _dot, rest = path.partition(".")
    each = head.endswith("[]")
    key = head.removesuffix("[]")
    value = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
    if each:
        items = value if isinstance(value, list) else []
        for index, item in enumerate(items):
            label = f"{key}[{index}]"
            if rest:
                yield from ((f"{label}.{w}", v) for w, v in _at(item, rest))
            else:
                yield label, item
        return
    if not rest:
        yield key, value
        return
    if value is _MISSING:
        yield from ((f"{key}.{w}", _MISSING) for w, _v in _at({}, rest))
        return
    yield from ((f"{key}.{w}", v) for w, v in _at(value, rest))


def _word(value: Any) -> str:
    return str(value)


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _fda_questions(section: dict[str, Any]) -> list[str]:
    """Oversight › U.S. FDA-regulated Drug Product, U.S. FDA-regulated Device Product:
    required of a study that starts on or after the final rule took effect (or whose
    start is not known, so not known to be earlier)."""
    start = section.get("statusModule", {}).get("startDateStruct", {}).get("date")
    if start is not None and start < FINAL_RULE_DATE:
        return []
    oversight = section.get("oversightModule", {})
    return [
        f"oversightModule.{key}: required of a study starting on or after {FINAL_RULE_DATE} "
        f"(Oversight › {words})"
        for key, words in (
            ("isFdaRegulatedDrug", "Studies a U.S. FDA-regulated Drug Product"),
            ("isFdaRegulatedDevice", "Studies a U.S. FDA-regulated Device Product"),
        )
        if not isinstance(oversight.get(key), bool)
    ]


def _central_contact_reachable(section: dict[str, Any]) -> list[str]:
    """Contacts › Central Contact Person: a telephone or an e-mail address to reach them."""
    contacts = section.get("contactsLocationsModule", {}).get("centralContacts", [])
    return [
        f"contactsLocationsModule.centralContacts[{index}]: telephone or e-mail required "
        "(Contacts, Locations, and Investigator Information › Central Contact Person)"
        for index, contact in enumerate(contacts)
        if not contact.get("phone") and not contact.get("email")
    ]


def _date_order(section: dict[str, Any]) -> list[str]:
    """Study Status: the primary completion is not before the start nor after the
    study completion."""
    status = section.get("statusModule", {})
    dates = [
        (key, status.get(key, {}).get("date"))
        for key in ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct")
    ]
    known = [(key, _iso(date)) for key, date in dates if date]
    problems = [
        f"statusModule.{later}: {later_date} is before {earlier} {earlier_date} "
        "(Study Status › Primary Completion Date, Study Completion Date)"
        for index, (later, later_date) in enumerate(known)
        for earlier, earlier_date in known[:index]
        if later_date is not None and earlier_date is not None and later_date < earlier_date
    ]
    return problems


def _iso(date: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(date if len(date) > 7 else f"{date}-01")
    except ValueError:
        return None
