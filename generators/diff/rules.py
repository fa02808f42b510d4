"""The catalogue of change kinds: rule ids, their section and how each is classified.

Every change the semantic diff reports has an UPPER_SNAKE rule id (as
`buf breaking` has).  A rule says which ICH M11 section the change belongs
to, which rule describes the same change read backwards (`inverse`: added ↔
removed), and, for each direction the change can take, a `Verdict`: the
USDM impact category (safety, rights, data reliability, data robustness, or
administrative) and whether the change is substantial

* under EU CTR 536/2014 Art 2(2)(13): likely to have a substantial impact on
  the safety or rights of the subjects or on the reliability and robustness
  of the data;
* under FDA 21 CFR 312.30(b)(1): for a phase 1 protocol, a change that
  significantly affects the safety of subjects; for phase 2 or 3, one that
  significantly affects safety, the scope of the investigation or its
  scientific quality (examples (i) dose or exposure increase, significant
  increase in subjects; (ii) significant design change; (iii) a safety test
  added or dropped),

each with the reasoning shown to the reader.  Direction matters: widening
eligibility exposes people the protocol used to keep out, narrowing it does
not; raising a dose is not lowering it; shortening a safety follow-up is not
lengthening it.  Where the direction cannot be computed the verdict is the
cautious one.

The phase is read from the trial header of the new version: a phase 1 trial
(1, 1a, 1b) is judged by the phase 1 test, anything else (including 1/2 and
an absent phase) by the broader phase 2/3 test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

Category = Literal["safety", "rights", "data_reliability", "data_robustness", "administrative"]

CATEGORY_WORDS: dict[str, str] = {
    "safety": "subject safety",
    "rights": "subject rights",
    "data_reliability": "data reliability",
    "data_robustness": "data robustness",
    "administrative": "administrative",
}

Direction = Literal[
    "widened",
    "narrowed",
    "raised",
    "lowered",
    "added",
    "removed",
    "shortened",
    "lengthened",
    "earlier",
    "later",
    "reworded",
    "changed",
]

INVERSE_DIRECTION: dict[str, str] = {
    "widened": "narrowed",
    "narrowed": "widened",
    "raised": "lowered",
    "lowered": "raised",
    "added": "removed",
    "removed": "added",
    "shortened": "lengthened",
    "lengthened": "shortened",
    "earlier": "later",
    "later": "earlier",
    "reworded": "reworded",
    "changed": "changed",
}

Phase = Literal["1", "2/3"]

EU_REGULATION = "EU CTR 536/2014 Art 2(2)(13)"
FDA_REGULATION = "21 CFR 312.30(b)"

# ICH M11 headings, in document order; every rule belongs to one.
TITLE_PAGE = "Title page"
SUMMARY = "1 Protocol summary"
OBJECTIVES = "3 Objectives and estimands"
DESIGN = "4 Trial design"
POPULATION = "5 Trial population"
INTERVENTION = "6 Trial intervention and concomitant therapy"
ASSESSMENTS = "8 Assessments and procedures"
STATISTICS = "10 Statistics"
OVERSIGHT = "11 Oversight"
APPENDIX = "12 Appendix"
INTRODUCTION = "2 Introduction"

SECTIONS: tuple[str, ...] = (
    TITLE_PAGE,
    SUMMARY,
    INTRODUCTION,
    OBJECTIVES,
    DESIGN,
    POPULATION,
    INTERVENTION,
    "7 Discontinuation",
    ASSESSMENTS,
    "9 Adverse events",
    STATISTICS,
    OVERSIGHT,
    APPENDIX,
)


@attrs.frozen
class Verdict:
    """How one kind of change in one direction is classified, and why."""

    category: Category
    eu: bool
    fda_phase1: bool
    fda_later: bool
    why_eu: str
    why_fda_phase1: str
    why_fda_later: str

    def fda(self, phase: Phase) -> bool:
        return self.fda_phase1 if phase == "1" else self.fda_later

    def why_fda(self, phase: Phase) -> str:
        return self.why_fda_phase1 if phase == "1" else self.why_fda_later


@attrs.frozen
class Rule:
    id: str
    section: str
    title: str
    inverse: str
    verdicts: Mapping[str, Verdict]

    @property
    def directions(self) -> tuple[str, ...]:
        return tuple(self.verdicts)


@attrs.frozen
class Classification:
    """A verdict applied to one trial: the FDA test chosen by the trial's phase."""

    category: Category
    substantial_eu: bool
    substantial_fda: bool
    reason_eu: str
    reason_fda: str


def _v(
    category: Category,
    eu: bool,
    p1: bool,
    later: bool,
    why_eu: str,
    why_p1: str,
    why_later: str | None = None,
) -> Verdict:
    return Verdict(category, eu, p1, later, why_eu, why_p1, why_later or why_p1)


# ---------------------------------------------------------------- recurring verdicts

_ADMIN = _v(
    "administrative",
    False,
    False,
    False,
    "an editorial or administrative change: no impact on the subjects' safety or rights "
    "or on the reliability and robustness of the data",
    "not a change to the safety of subjects, the scope of the investigation or its "
    "scientific quality",
)
_ANNOTATION = _v(
    "administrative",
    False,
    False,
    False,
    "notes, open questions, sources and provisional marks explain the protocol; they do "
    "not change what is done to subjects or which data are collected",
    "not a change to what subjects undergo or to the investigation",
)
_DATA_ONLY = _v(
    "data_reliability",
    False,
    False,
    False,
    "changes how data are recorded, not what subjects undergo; not likely to have a "
    "substantial impact on the reliability or robustness of the data",
    "no effect on the safety of subjects, the scope of the investigation or its scientific quality",
)

_ELIG_WIDENED = _v(
    "safety",
    True,
    True,
    True,
    "eligibility widened: people the protocol used to keep out may now enter and be "
    "exposed (eligibility criteria are a typical substantial modification)",
    "subjects previously excluded may now be dosed: a possible significant effect on their safety",
    "subjects previously excluded may now be dosed, and the population studied changes "
    "(safety and scope of the investigation)",
)
_ELIG_NARROWED = _v(
    "data_robustness",
    True,
    False,
    True,
    "eligibility narrowed: the population the results describe changes (eligibility "
    "criteria are a typical substantial modification)",
    "fewer subjects qualify and nobody newly exposed: no significant effect on safety",
    "the population studied changes: the scope of the investigation changes",
)
_ELIG_UNKNOWN = _v(
    "safety",
    True,
    True,
    True,
    "who may enter the trial changes, in a direction that cannot be computed: treated as "
    "a change that may widen eligibility",
    "the direction cannot be computed: treated as one that may expose subjects previously excluded",
    "the direction cannot be computed: treated as one that may change safety and the "
    "scope of the investigation",
)

_DOSE_UP = _v(
    "safety",
    True,
    True,
    True,
    "subjects may receive more drug than before: dose is a typical substantial modification",
    "an increase in drug dosage (312.30(b)(1)(i)) significantly affects safety",
)
_DOSE_DOWN = _v(
    "safety",
    True,
    False,
    False,
    "the doses subjects receive change: dose is a typical substantial modification",
    "a lower dose does not increase the risk to subjects (not an increase under 312.30(b)(1)(i))",
)
_DOSE_UNKNOWN = _v(
    "safety",
    True,
    True,
    True,
    "what subjects receive changes in a way that cannot be ranked: dose, route and "
    "duration are typical substantial modifications",
    "the effect on exposure cannot be computed: treated as a possible increase (312.30(b)(1)(i))",
)

_SAFETY_CUT = _v(
    "safety",
    True,
    True,
    True,
    "less safety monitoring: a substantial impact on the safety of subjects",
    "dropping or shortening safety monitoring significantly affects safety "
    "(312.30(b)(1)(iii): dropping a test intended to monitor safety)",
)
_SAFETY_ADDED = _v(
    "safety",
    True,
    True,
    True,
    "safety monitoring changes, with more procedures for subjects: safety assessments "
    "are a typical substantial modification",
    "a new test or procedure to improve monitoring for adverse events (312.30(b)(1)(iii))",
)

_DESIGN = _v(
    "data_robustness",
    True,
    False,
    True,
    "the design of the trial changes: a likely substantial impact on the robustness of the data",
    "a design change that does not by itself change the risk to subjects",
    "a significant change in the design of the protocol (312.30(b)(1)(ii))",
)
_DESIGN_SAFETY = _v(
    "safety",
    True,
    True,
    True,
    "the design changes what subjects receive: a likely substantial impact on their "
    "safety and on the data",
    "subjects may be exposed to a regimen the protocol did not include: a possible "
    "significant effect on safety",
    "a significant change in the design, such as adding a group (312.30(b)(1)(ii))",
)

_BURDEN = _v(
    "rights",
    True,
    False,
    False,
    "subjects undergo more procedures or visits: the burden described in the informed "
    "consent changes",
    "more procedures for subjects without a significant effect on their safety",
)

_ESCALATION_RISKIER = _v(
    "safety",
    True,
    True,
    True,
    "dose escalation becomes less cautious: a substantial impact on the safety of subjects",
    "escalation to higher doses with less evidence significantly affects safety",
)
_ESCALATION_SAFER = _v(
    "safety",
    True,
    False,
    False,
    "the escalation rules change (more cautious): the design of a dose-finding trial is a "
    "typical substantial modification",
    "more cautious escalation does not increase the risk to subjects",
)
_ESCALATION_UNKNOWN = _v(
    "safety",
    True,
    True,
    True,
    "the escalation rules change: they decide which dose the next subjects receive",
    "the effect on the risk to subjects cannot be computed: treated as significant for safety",
)


def _level_verdicts(level: str) -> dict[str, Verdict]:
    """Objective and endpoint verdicts by level: primary, secondary, exploratory."""
    if level == "primary":
        return {
            "eu": _v(
                "data_robustness",
                True,
                False,
                True,
                "the primary objectives and endpoints are what the trial is designed to "
                "answer: a typical substantial modification",
                "not a change to the safety of subjects",
                "changes the scientific quality and scope of the investigation",
            )
        }
    if level == "secondary":
        return {
            "eu": _v(
                "data_robustness",
                True,
                False,
                False,
                "the trial's objectives change: a likely substantial impact on the "
                "robustness of the data",
                "not a change to the safety of subjects",
                "a secondary objective or endpoint does not significantly change the scope "
                "or scientific quality of the investigation",
            )
        }
    return {
        "eu": _v(
            "data_robustness",
            False,
            False,
            False,
            "exploratory objectives and endpoints do not carry the trial's conclusions: "
            "not likely to have a substantial impact",
            "not a change to the safety of subjects",
            "exploratory: no significant change to the scope or scientific quality",
        )
    }


# ---------------------------------------------------------------- the catalogue

_RULES: list[Rule] = []


def _rule(
    rule_id: str,
    section: str,
    title: str,
    verdicts: Mapping[str, Verdict],
    inverse: str | None = None,
) -> None:
    _RULES.append(Rule(rule_id, section, title, inverse or rule_id, dict(verdicts)))


def _both(verdict: Verdict, *directions: str) -> dict[str, Verdict]:
    return dict.fromkeys(directions, verdict)


# The prose of the protocol's sections (background, rationale, benefit–risk, …)
_NARRATIVE = _v(
    "administrative",
    False,
    False,
    False,
    "narrative text explains the protocol; what is done to subjects and which data are "
    "collected are declared elsewhere and their changes classified on their own (a "
    "benefit–risk text rewritten after a new finding is recorded with an `override`)",
    "not a change to what subjects undergo or to the investigation",
)
_rule(
    "NARRATIVE_ADDED",
    INTRODUCTION,
    "the text of a protocol section (background, rationale, benefit–risk, …) added",
    {"added": _NARRATIVE},
    inverse="NARRATIVE_REMOVED",
)
_rule(
    "NARRATIVE_REMOVED",
    INTRODUCTION,
    "the text of a protocol section removed",
    {"removed": _NARRATIVE},
    inverse="NARRATIVE_ADDED",
)
_rule(
    "NARRATIVE_CHANGED",
    INTRODUCTION,
    "the text of a protocol section rewritten",
    _both(_NARRATIVE, "reworded"),
)


def _renamed(kind: str, section: str, title: str) -> None:
    """A declaration given another name, nothing else about it changed."""
    _rule(
        f"{kind}_RENAMED",
        section,
        title,
        {
            "changed": _v(
                "administrative",
                False,
                False,
                False,
                "the same declaration under another name: nothing done to the subjects or "
                "collected from them changes, an editorial change",
                "the same declaration under another name: no effect on safety, scope or "
                "scientific quality",
            )
        },
    )


def _relocated(kind: str, section: str, title: str) -> None:
    """A declaration moved between the trial and a library, or between two libraries."""
    _rule(
        f"{kind}_RELOCATED",
        section,
        title,
        {
            "changed": _v(
                "administrative",
                False,
                False,
                False,
                "the same declaration declared in another file of the protocol: what it "
                "says, and what is done to the subjects or collected from them, is the same",
                "the same declaration in another file: no effect on safety, scope or "
                "scientific quality",
            )
        },
    )


# Title page
_rule("TITLE_CHANGED", TITLE_PAGE, "title, short title or acronym", _both(_ADMIN, "reworded"))
_rule(
    "IDENTIFIER_CHANGED",
    TITLE_PAGE,
    "registry or sponsor protocol identifier",
    _both(_ADMIN, "added", "removed", "changed"),
)
_rule(
    "SPONSOR_CHANGED",
    TITLE_PAGE,
    "the sponsor",
    {
        "changed": _v(
            "rights",
            True,
            False,
            False,
            "the sponsor is accountable for the trial and for the subjects' rights; a "
            "change of sponsor is treated as substantial",
            "a change of sponsor is a transfer of the IND, not a protocol change under 312.30(b)",
        )
    },
)
_rule(
    "VERSION_CHANGED",
    TITLE_PAGE,
    "protocol version or version date",
    _both(_ADMIN, "added", "removed", "changed"),
)
_rule("STATUS_CHANGED", TITLE_PAGE, "recruitment status", _both(_ADMIN, "changed"))
_rule(
    "HEADER_FIELD_CHANGED",
    TITLE_PAGE,
    "a descriptive header field (summary, keywords, countries, collaborators)",
    _both(_ADMIN, "added", "removed", "changed"),
)

_rule(
    "SITE_CHANGED",
    TITLE_PAGE,
    "a trial site or its principal investigator (EU CTR dossier Part II)",
    {
        "added": _v(
            "rights",
            True,
            False,
            False,
            "a new trial site or investigator is judged on the suitability of the site and of "
            "the investigator (EU CTR Art 7(1)(e)(f)): a substantial modification of Part II",
            "a new investigator is submitted under 312.30(c) within 30 days of being added, "
            "not as a change in protocol under 312.30(b)",
        ),
        "changed": _v(
            "rights",
            True,
            False,
            False,
            "a change of site or of principal investigator is judged on the suitability of the "
            "site and of the investigator (EU CTR Art 7(1)(e)(f)): a substantial modification "
            "of Part II",
            "a new investigator is submitted under 312.30(c), not as a change in protocol "
            "under 312.30(b)",
        ),
        "removed": _v(
            "administrative",
            False,
            False,
            False,
            "a site closed: the subjects' safety and rights and the data are not affected by "
            "the closure itself (notified, not authorised)",
            "not a change to the safety of subjects, the scope of the investigation or its "
            "scientific quality",
        ),
    },
)
_rule(
    "CONTACT_CHANGED",
    TITLE_PAGE,
    "a contact for subjects or sites (EU CTR dossier Part II)",
    _both(_ADMIN, "added", "removed", "changed"),
)

# 1 Protocol summary: schedule of activities
_rule(
    "VISIT_ADDED",
    SUMMARY,
    "a visit added to the schedule",
    {"added": _BURDEN},
    inverse="VISIT_REMOVED",
)
_rule(
    "VISIT_REMOVED",
    SUMMARY,
    "a visit removed from the schedule",
    {
        "removed": _v(
            "safety",
            True,
            True,
            True,
            "the assessments made at the visit, safety monitoring included, are no longer "
            "done: a likely substantial impact on safety and on the data",
            "drops the safety monitoring done at that visit (312.30(b)(1)(iii))",
        )
    },
    inverse="VISIT_ADDED",
)
_renamed("VISIT", SUMMARY, "a visit given another name, its day, window and epoch the same")
_rule(
    "VISIT_MOVED",
    SUMMARY,
    "a visit's planned day moved",
    _both(
        _v(
            "data_reliability",
            False,
            False,
            False,
            "the same assessments on another day: not likely to have a substantial impact "
            "(the end of follow-up is judged separately)",
            "no significant effect on safety, scope or scientific quality",
        ),
        "earlier",
        "later",
    ),
)
_rule(
    "VISIT_WINDOW_CHANGED",
    SUMMARY,
    "a visit's allowed window",
    _both(
        _v(
            "data_reliability",
            False,
            False,
            False,
            "the same assessments, done nearer to or further from the planned day: not "
            "likely to have a substantial impact",
            "no significant effect on safety, scope or scientific quality",
        ),
        "widened",
        "narrowed",
        "changed",
    ),
)
_rule(
    "VISIT_CHANGED",
    SUMMARY,
    "a visit's label, epoch, number, type or start and end rules",
    _both(_DATA_ONLY, "changed"),
)
_rule(
    "FOLLOW_UP_CHANGED",
    SUMMARY,
    "the end of the schedule (the last planned visit)",
    {
        "shortened": _SAFETY_CUT,
        "lengthened": _v(
            "rights",
            True,
            False,
            False,
            "subjects stay in the trial longer: duration is a typical substantial modification",
            "longer observation does not increase the risk to subjects",
        ),
    },
)
_SCHEDULE_CUT = _v(
    "safety",
    True,
    True,
    True,
    "the visits the series yielded, and the assessments made at them, are no longer "
    "planned: a likely substantial impact on safety and on the data",
    "drops the safety monitoring done at those visits (312.30(b)(1)(iii))",
)
_rule(
    "CYCLE_ADDED",
    SUMMARY,
    "a treatment cycle added to the schedule",
    {"added": _BURDEN},
    inverse="CYCLE_REMOVED",
)
_rule(
    "CYCLE_REMOVED",
    SUMMARY,
    "a treatment cycle removed from the schedule",
    {"removed": _SCHEDULE_CUT},
    inverse="CYCLE_ADDED",
)
_rule(
    "CYCLE_CHANGED",
    SUMMARY,
    "a cycle's length, number of cycles, start or stopping rule, or the cycles, days and "
    "time points of its visits",
    _both(_DESIGN, "changed"),
)
_rule(
    "REPEAT_ADDED",
    SUMMARY,
    "a repeating visit added to the schedule",
    {"added": _BURDEN},
    inverse="REPEAT_REMOVED",
)
_rule(
    "REPEAT_REMOVED",
    SUMMARY,
    "a repeating visit removed from the schedule",
    {"removed": _SCHEDULE_CUT},
    inverse="REPEAT_ADDED",
)
_rule(
    "REPEAT_CHANGED",
    SUMMARY,
    "a repeating visit's interval, start, end, number or stopping rule",
    _both(_DESIGN, "changed"),
)
_rule(
    "SERIES_RELABELLED",
    SUMMARY,
    "a cycle's or repeating visit's label, epoch, condition or visit names",
    _both(_DATA_ONLY, "changed"),
)
_rule("ANCHOR_ADDED", SUMMARY, "a time anchor added", {"added": _ADMIN}, inverse="ANCHOR_REMOVED")
_rule(
    "ANCHOR_REMOVED",
    SUMMARY,
    "a time anchor removed",
    {"removed": _ADMIN},
    inverse="ANCHOR_ADDED",
)
_rule(
    "ANCHOR_CHANGED",
    SUMMARY,
    "what a time anchor refers to (no criterion or endpoint uses it)",
    _both(_DATA_ONLY, "changed"),
)

# 3 Objectives and estimands
for _level in ("primary", "secondary", "exploratory"):
    _verdict = _level_verdicts(_level)["eu"]
    _upper = _level.upper()
    _rule(
        f"{_upper}_OBJECTIVE_ADDED",
        OBJECTIVES,
        f"a {_level} objective added",
        {"added": _verdict},
        inverse=f"{_upper}_OBJECTIVE_REMOVED",
    )
    _rule(
        f"{_upper}_OBJECTIVE_REMOVED",
        OBJECTIVES,
        f"a {_level} objective removed",
        {"removed": _verdict},
        inverse=f"{_upper}_OBJECTIVE_ADDED",
    )
    _rule(
        f"{_upper}_OBJECTIVE_CHANGED",
        OBJECTIVES,
        f"a {_level} objective's text or level",
        _both(_verdict, "reworded", "changed"),
    )
    _rule(
        f"{_upper}_ENDPOINT_ADDED",
        OBJECTIVES,
        f"a {_level} endpoint added",
        {"added": _verdict},
        inverse=f"{_upper}_ENDPOINT_REMOVED",
    )
    _rule(
        f"{_upper}_ENDPOINT_REMOVED",
        OBJECTIVES,
        f"a {_level} endpoint removed",
        {"removed": _verdict},
        inverse=f"{_upper}_ENDPOINT_ADDED",
    )
    _rule(
        f"{_upper}_ENDPOINT_CHANGED",
        OBJECTIVES,
        f"a {_level} endpoint's text or derivation",
        _both(_verdict, "reworded", "changed"),
    )
    _rule(
        f"{_upper}_ENDPOINT_TIMEFRAME_CHANGED",
        OBJECTIVES,
        f"a {_level} endpoint's time frame",
        _both(_verdict, "shortened", "lengthened", "changed"),
    )
    _rule(
        f"{_upper}_ESTIMAND_ADDED",
        OBJECTIVES,
        f"an estimand of a {_level} objective added",
        {"added": _verdict},
        inverse=f"{_upper}_ESTIMAND_REMOVED",
    )
    _rule(
        f"{_upper}_ESTIMAND_REMOVED",
        OBJECTIVES,
        f"an estimand of a {_level} objective removed",
        {"removed": _verdict},
        inverse=f"{_upper}_ESTIMAND_ADDED",
    )
    _rule(
        f"{_upper}_ESTIMAND_CHANGED",
        OBJECTIVES,
        f"an estimand of a {_level} objective: its treatment comparison, population, "
        "variable, intercurrent events and strategies, or summary measure",
        _both(_verdict, "reworded", "changed"),
    )
_renamed("ENDPOINT", OBJECTIVES, "an endpoint given another name, its definition the same")
_rule(
    "SAFETY_FOLLOW_UP_CHANGED",
    OBJECTIVES,
    "the time frame of a safety endpoint (how long adverse events are collected)",
    {
        "shortened": _SAFETY_CUT,
        "lengthened": _v(
            "safety",
            True,
            False,
            False,
            "adverse events are collected for longer: safety assessments are a typical "
            "substantial modification",
            "longer safety follow-up does not increase the risk to subjects",
        ),
        "changed": _SAFETY_CUT,
    },
)
_rule(
    "ENDPOINT_DEPENDENCY_CHANGED",
    OBJECTIVES,
    "a definition, score, table or item an endpoint is derived from (no criterion uses it)",
    _both(
        _v(
            "data_robustness",
            True,
            False,
            True,
            "how an endpoint is derived changes: a likely substantial impact on the "
            "robustness of the data",
            "not a change to the safety of subjects",
            "changes the scientific quality of the endpoint's derivation",
        ),
        "widened",
        "narrowed",
        "raised",
        "lowered",
        "added",
        "removed",
        "shortened",
        "lengthened",
        "changed",
    ),
)

# 4 Trial design
_rule(
    "PHASE_CHANGED",
    DESIGN,
    "the trial phase",
    {
        "changed": _v(
            "data_robustness",
            True,
            True,
            True,
            "the phase defines what the trial is for and how it is run",
            "a change of phase changes which safety test applies and what subjects may be "
            "exposed to",
            "a change of phase changes the scope of the investigation",
        )
    },
)
_rule(
    "DESIGN_CHANGED",
    DESIGN,
    "study type, allocation, model, masking, purpose, control or trial type",
    _both(_DESIGN, "added", "removed", "changed"),
)
_rule(
    "TRIAL_DURATION_CHANGED",
    DESIGN,
    "the planned length of participation",
    {
        "lengthened": _v(
            "rights",
            True,
            False,
            True,
            "subjects stay in the trial longer: duration is a typical substantial modification",
            "longer participation without more drug does not significantly affect safety",
            "changes the scope of the investigation",
        ),
        "shortened": _v(
            "data_robustness",
            True,
            True,
            True,
            "subjects are observed for less time: a likely substantial impact on safety "
            "follow-up and on the data",
            "shorter observation may drop safety follow-up (312.30(b)(1)(iii))",
        ),
        "changed": _DESIGN,
    },
)
_rule("EPOCH_ADDED", DESIGN, "an epoch added", {"added": _DESIGN}, inverse="EPOCH_REMOVED")
_rule("EPOCH_REMOVED", DESIGN, "an epoch removed", {"removed": _DESIGN}, inverse="EPOCH_ADDED")
_rule("EPOCH_CHANGED", DESIGN, "an epoch's label", _both(_ADMIN, "changed"))
_rule("ARM_ADDED", DESIGN, "an arm added", {"added": _DESIGN_SAFETY}, inverse="ARM_REMOVED")
_rule(
    "ARM_REMOVED",
    DESIGN,
    "an arm removed",
    {
        "removed": _v(
            "data_robustness",
            True,
            False,
            True,
            "a group of the trial is dropped: a likely substantial impact on the data",
            "nobody is newly exposed: no significant effect on safety",
            "dropping a group is a significant design change (312.30(b)(1)(ii))",
        )
    },
    inverse="ARM_ADDED",
)
_rule(
    "ARM_CHANGED",
    DESIGN,
    "an arm's type, interventions or sequence of elements",
    _both(_DESIGN_SAFETY, "changed"),
)
_rule("ARM_RELABELLED", DESIGN, "an arm's label or description", _both(_ADMIN, "reworded"))
_rule(
    "RANDOMISATION_CHANGED",
    DESIGN,
    "the randomisation: added or removed, its allocation ratio or its method",
    _both(_DESIGN, "added", "removed", "changed"),
)
_rule(
    "STRATIFICATION_CHANGED",
    DESIGN,
    "a stratification factor added or removed, or its strata",
    _both(_DESIGN, "added", "removed", "changed"),
)
_rule(
    "MASKING_CHANGED",
    DESIGN,
    "the masking: added or removed, or the roles blinded",
    _both(_DESIGN, "added", "removed", "changed"),
)
_rule(
    "UNBLINDING_CHANGED",
    DESIGN,
    "when the allocation of a subject may be revealed",
    _both(_DESIGN_SAFETY, "added", "removed", "changed"),
)
_rule("ELEMENT_ADDED", DESIGN, "an element added", {"added": _DESIGN}, inverse="ELEMENT_REMOVED")
_rule(
    "ELEMENT_REMOVED",
    DESIGN,
    "an element removed",
    {"removed": _DESIGN},
    inverse="ELEMENT_ADDED",
)
_rule(
    "ELEMENT_CHANGED",
    DESIGN,
    "an element's label or start and end rules",
    _both(_DATA_ONLY, "changed"),
)
_rule(
    "ELEMENT_DURATION_CHANGED",
    DESIGN,
    "an element's planned duration",
    {
        "lengthened": _v(
            "safety",
            True,
            True,
            True,
            "subjects spend longer in the element (and its treatment): duration is a typical "
            "substantial modification",
            "a longer duration of exposure (312.30(b)(1)(i)) significantly affects safety",
        ),
        "shortened": _v(
            "data_robustness",
            True,
            False,
            True,
            "the element is shorter: a likely substantial impact on the data",
            "shorter exposure does not increase the risk to subjects",
            "changes the scope of the investigation",
        ),
        "added": _DOSE_UNKNOWN,
        "removed": _DESIGN,
        "changed": _DOSE_UNKNOWN,
    },
)
_rule(
    "ESCALATION_DESIGN_CHANGED",
    DESIGN,
    "the dose-escalation design (3+3, BOIN, mTPI-2, CRM)",
    _both(_ESCALATION_UNKNOWN, "added", "removed", "changed"),
)
_rule(
    "ESCALATION_RULE_RELAXED",
    DESIGN,
    "an escalation parameter changed towards less caution (e.g. a higher target DLT rate, "
    "smaller cohorts)",
    _both(_ESCALATION_RISKIER, "raised", "lowered", "added", "removed"),
    inverse="ESCALATION_RULE_TIGHTENED",
)
_rule(
    "ESCALATION_RULE_TIGHTENED",
    DESIGN,
    "an escalation parameter changed towards more caution (e.g. a lower target DLT rate, "
    "larger cohorts)",
    _both(_ESCALATION_SAFER, "raised", "lowered", "added", "removed"),
    inverse="ESCALATION_RULE_RELAXED",
)
_rule(
    "ESCALATION_PARAMETER_CHANGED",
    DESIGN,
    "an escalation parameter whose effect on risk cannot be ranked",
    _both(_ESCALATION_UNKNOWN, "raised", "lowered", "added", "removed", "changed"),
)
_rule(
    "DLT_WINDOW_CHANGED",
    DESIGN,
    "the DLT observation window or its anchor",
    {
        "shortened": _v(
            "safety",
            True,
            True,
            True,
            "toxicities after the shorter window no longer count in escalation decisions: "
            "a substantial impact on safety",
            "shortening the DLT window drops safety observation that guards the next "
            "cohort (312.30(b)(1)(iii))",
        ),
        "lengthened": _v(
            "safety",
            True,
            False,
            False,
            "the escalation rules change (more cautious): a typical substantial modification "
            "of a dose-finding design",
            "a longer DLT window does not increase the risk to subjects",
        ),
        "added": _ESCALATION_SAFER,
        "removed": _ESCALATION_RISKIER,
        "changed": _ESCALATION_UNKNOWN,
    },
)
_rule(
    "DLT_DEFINITION_CHANGED",
    DESIGN,
    "the definition of a dose-limiting toxicity",
    _both(
        _v(
            "safety",
            True,
            True,
            True,
            "what counts as dose-limiting decides escalation: a substantial impact on safety",
            "the definition is text, so whether it is stricter cannot be computed: treated "
            "as significant for safety",
        ),
        "added",
        "removed",
        "reworded",
    ),
)
_rule(
    "DOSE_FINDING_FIELD_CHANGED",
    DESIGN,
    "how the recommended phase 2 dose is chosen, or another dose-finding field",
    _both(_DESIGN, "added", "removed", "changed"),
)
_rule(
    "SCENARIO_ADDED",
    STATISTICS,
    "a dose-toxicity simulation scenario added",
    {
        "added": _v(
            "data_robustness",
            False,
            False,
            False,
            "simulation scenarios document the design's operating characteristics; they "
            "change no rule applied to subjects",
            "no effect on subjects or on the investigation's conduct",
        )
    },
    inverse="SCENARIO_REMOVED",
)
_rule(
    "SCENARIO_REMOVED",
    STATISTICS,
    "a dose-toxicity simulation scenario removed",
    {
        "removed": _v(
            "data_robustness",
            False,
            False,
            False,
            "simulation scenarios document the design's operating characteristics; they "
            "change no rule applied to subjects",
            "no effect on subjects or on the investigation's conduct",
        )
    },
    inverse="SCENARIO_ADDED",
)
_rule(
    "SCENARIO_CHANGED",
    STATISTICS,
    "a dose-toxicity simulation scenario's rates or label",
    _both(
        _v(
            "data_robustness",
            False,
            False,
            False,
            "simulation scenarios document the design's operating characteristics; they "
            "change no rule applied to subjects",
            "no effect on subjects or on the investigation's conduct",
        ),
        "changed",
    ),
)

# 5 Trial population
_rule(
    "AGE_RANGE_CHANGED",
    POPULATION,
    "the planned minimum or maximum age",
    {"widened": _ELIG_WIDENED, "narrowed": _ELIG_NARROWED, "changed": _ELIG_UNKNOWN},
)
_rule(
    "POPULATION_CHANGED",
    POPULATION,
    "sex, healthy volunteers or age groups of the planned population",
    {"widened": _ELIG_WIDENED, "narrowed": _ELIG_NARROWED, "changed": _ELIG_UNKNOWN},
)
_rule(
    "CONDITION_CHANGED",
    POPULATION,
    "the condition studied",
    _both(
        _v(
            "data_robustness",
            True,
            False,
            True,
            "the disease studied defines the population: a likely substantial impact",
            "the criteria decide who is dosed; the condition's wording alone does not "
            "significantly affect safety",
            "changes the scope of the investigation",
        ),
        "added",
        "removed",
        "changed",
    ),
)
_rule(
    "ELIGIBILITY_VISIT_CHANGED",
    POPULATION,
    "the visit at which eligibility is judged",
    _both(_ELIG_UNKNOWN, "added", "removed", "changed"),
)
_rule(
    "CRITERION_ADDED",
    POPULATION,
    "an inclusion or exclusion criterion added (eligibility narrowed)",
    {"added": _ELIG_NARROWED},
    inverse="CRITERION_REMOVED",
)
_rule(
    "CRITERION_REMOVED",
    POPULATION,
    "an inclusion or exclusion criterion removed (eligibility widened)",
    {"removed": _ELIG_WIDENED},
    inverse="CRITERION_ADDED",
)
_rule(
    "CRITERION_THRESHOLD_CHANGED",
    POPULATION,
    "a criterion's threshold (the same comparison with another value)",
    {"widened": _ELIG_WIDENED, "narrowed": _ELIG_NARROWED, "changed": _ELIG_UNKNOWN},
)
_rule(
    "CRITERION_LOGIC_CHANGED",
    POPULATION,
    "a criterion's rule",
    {"widened": _ELIG_WIDENED, "narrowed": _ELIG_NARROWED, "changed": _ELIG_UNKNOWN},
)
_rule(
    "CRITERION_KIND_CHANGED",
    POPULATION,
    "a criterion turned from inclusion into exclusion or back",
    {"changed": _ELIG_UNKNOWN},
)
_rule(
    "CRITERION_REWORDED",
    POPULATION,
    "a criterion's text, or its rule written another way with the same meaning",
    {
        "reworded": _v(
            "administrative",
            False,
            False,
            False,
            "the rule means the same, so the same subjects are eligible: a clarification",
            "the same subjects are eligible: no effect on safety, scope or scientific quality",
        )
    },
)
_rule(
    "CRITERION_RENUMBERED",
    POPULATION,
    "a criterion given another id (renumbered, or moved when another was inserted), its "
    "kind, rule and text otherwise the same or changed editorially",
    {
        "changed": _v(
            "administrative",
            False,
            False,
            False,
            "the same criterion under another number: the same subjects are eligible, "
            "an editorial change",
            "the same criterion under another number: no effect on safety, scope or "
            "scientific quality",
        )
    },
)
_rule(
    "CRITERION_TEXT_NUMBERS_CHANGED",
    POPULATION,
    "a criterion's text states other numbers (an age, a threshold, a duration) while its "
    "rule means the same: the criterion as written and as computed no longer agree",
    {
        "changed": _v(
            "data_reliability",
            True,
            True,
            True,
            "the text is the criterion investigators and ethics committees read: a number "
            "changed in it changes who may enter as written, while the computed rule does not",
            "the direction cannot be computed from text, and the text and the rule disagree: "
            "treated as one that may expose subjects previously excluded",
        )
    },
)
_rule(
    "JUDGED_CRITERION_CHANGED",
    POPULATION,
    "the text of a criterion judged by the investigator or attested (no formal rule)",
    {
        "reworded": _v(
            "rights",
            True,
            True,
            True,
            "the text is the criterion: who may enter (and what they consent to) may "
            "change, and the direction cannot be computed",
            "the direction cannot be computed from text: treated as one that may expose "
            "subjects previously excluded",
        )
    },
)
_rule(
    "CRITERION_ASSESSMENT_CHANGED",
    POPULATION,
    "how a criterion is assessed (formal rule, attestation, or investigator judgement)",
    {
        "changed": _v(
            "data_reliability",
            False,
            False,
            False,
            "the criterion's text is unchanged; only how it is assessed and recorded changes",
            "the criterion is the same: no effect on safety, scope or scientific quality",
        )
    },
)
_rule(
    "ELIGIBILITY_DEPENDENCY_CHANGED",
    POPULATION,
    "a definition, score, lookup value, code list, anchor or item that criteria use, or how "
    "their data are read (a conversion, a log's none question or completeness)",
    {
        "widened": _ELIG_WIDENED,
        "narrowed": _ELIG_NARROWED,
        **_both(_ELIG_UNKNOWN, "raised", "lowered", "added", "removed", "changed"),
    },
)

# 6 Trial intervention
_rule(
    "INTERVENTION_ADDED",
    INTERVENTION,
    "an intervention added",
    {"added": _DESIGN_SAFETY},
    inverse="INTERVENTION_REMOVED",
)
_rule(
    "INTERVENTION_REMOVED",
    INTERVENTION,
    "an intervention removed",
    {
        "removed": _v(
            "data_robustness",
            True,
            False,
            True,
            "what subjects receive changes: a likely substantial impact on the data",
            "nobody is newly exposed: no significant effect on safety",
            "a significant design change (312.30(b)(1)(ii))",
        )
    },
    inverse="INTERVENTION_ADDED",
)
_rule(
    "ROUTE_CHANGED",
    INTERVENTION,
    "the route of administration",
    _both(_DOSE_UNKNOWN, "added", "removed", "changed"),
)
_rule(
    "DOSE_CHANGED",
    INTERVENTION,
    "a dose of an intervention or element",
    {
        "raised": _DOSE_UP,
        "lowered": _DOSE_DOWN,
        **_both(_DOSE_UNKNOWN, "added", "removed", "changed"),
    },
)
_rule(
    "DOSING_REGIMEN_CHANGED",
    INTERVENTION,
    "how and how often an intervention is given, or its dosage form",
    _both(_DOSE_UNKNOWN, "added", "removed", "reworded", "changed"),
)
_rule(
    "DOSING_SCHEDULE_CHANGED",
    INTERVENTION,
    "a regimen's dosing days, frequency or number of administrations (raised: more doses)",
    {
        "raised": _DOSE_UP,
        "lowered": _DOSE_DOWN,
        **_both(_DOSE_UNKNOWN, "added", "removed", "changed"),
    },
)
_rule(
    "DOSE_MODIFICATION_CHANGED",
    INTERVENTION,
    "a regimen's dose reduction levels, hold or resume rules",
    _both(
        _v(
            "safety",
            True,
            True,
            True,
            "how doses are reduced or withheld after toxicity protects subjects: a "
            "substantial impact on their safety",
            "the rules that reduce or withhold a dose after toxicity significantly affect "
            "safety (312.30(b)(1)(iii))",
        ),
        "added",
        "removed",
        "changed",
        "reworded",
    ),
)
_rule(
    "REGIMEN_ADDED",
    INTERVENTION,
    "a dosing regimen added",
    {"added": _DOSE_UNKNOWN},
    inverse="REGIMEN_REMOVED",
)
_rule(
    "REGIMEN_REMOVED",
    INTERVENTION,
    "a dosing regimen removed",
    {"removed": _DOSE_UNKNOWN},
    inverse="REGIMEN_ADDED",
)
_rule(
    "INTERVENTION_DETAIL_CHANGED",
    INTERVENTION,
    "an intervention's label, type, description or product code",
    _both(_ADMIN, "added", "removed", "changed"),
)
_rule(
    "DOSE_LEVEL_ADDED",
    INTERVENTION,
    "a dose level added (raised: above the highest level so far)",
    {
        "raised": _DOSE_UP,
        "added": _v(
            "safety",
            True,
            False,
            False,
            "a new dose within the range already planned: dose is a typical substantial "
            "modification",
            "no subject can receive more than the highest dose already planned",
        ),
    },
    inverse="DOSE_LEVEL_REMOVED",
)
_rule(
    "DOSE_LEVEL_REMOVED",
    INTERVENTION,
    "a dose level removed (lowered: the highest level removed)",
    {"lowered": _DOSE_DOWN, "removed": _DOSE_DOWN},
    inverse="DOSE_LEVEL_ADDED",
)
_rule(
    "DOSE_LEVEL_CHANGED",
    INTERVENTION,
    "a dose level's dose",
    {"raised": _DOSE_UP, "lowered": _DOSE_DOWN, "changed": _DOSE_UNKNOWN},
)
_rule(
    "START_LEVEL_CHANGED",
    INTERVENTION,
    "the dose level the first cohort receives",
    {
        "raised": _DOSE_UP,
        "lowered": _DOSE_DOWN,
        **_both(_DOSE_UNKNOWN, "added", "removed", "changed"),
    },
)
_rule(
    "STEP_UP_ADDED",
    INTERVENTION,
    "a step-up dosing schedule added",
    {"added": _SAFETY_ADDED},
    inverse="STEP_UP_REMOVED",
)
_rule(
    "STEP_UP_REMOVED",
    INTERVENTION,
    "a step-up dosing schedule removed",
    {"removed": _SAFETY_CUT},
    inverse="STEP_UP_ADDED",
)
_rule(
    "STEP_UP_CHANGED",
    INTERVENTION,
    "a step-up schedule's steps or the dose levels it applies to",
    {
        "raised": _DOSE_UP,
        "lowered": _DOSE_DOWN,
        **_both(
            _v(
                "safety",
                True,
                True,
                True,
                "step-up dosing is a risk-reduction measure; changing it changes exposure in "
                "the first days of treatment",
                "the effect on exposure cannot be ranked: treated as significant for safety",
            ),
            "added",
            "removed",
            "earlier",
            "later",
            "changed",
        ),
    },
)

# 8 Assessments and procedures
_rule(
    "SAFETY_ASSESSMENT_ADDED",
    ASSESSMENTS,
    "a safety assessment (form or activity) added",
    {"added": _SAFETY_ADDED},
    inverse="SAFETY_ASSESSMENT_REMOVED",
)
_rule(
    "SAFETY_ASSESSMENT_REMOVED",
    ASSESSMENTS,
    "a safety assessment (form or activity) removed",
    {"removed": _SAFETY_CUT},
    inverse="SAFETY_ASSESSMENT_ADDED",
)
_rule(
    "SAFETY_ASSESSMENT_VISITS_CHANGED",
    ASSESSMENTS,
    "the visits at which a safety assessment is done",
    {
        "added": _v(
            "safety",
            True,
            False,
            False,
            "safety monitoring at more visits, with more procedures for subjects: safety "
            "assessments are a typical substantial modification",
            "more frequent monitoring does not increase the risk to subjects",
        ),
        "removed": _SAFETY_CUT,
        "changed": _SAFETY_CUT,
    },
)
_rule(
    "ASSESSMENT_ADDED",
    ASSESSMENTS,
    "an assessment (form or activity) added",
    {"added": _BURDEN},
    inverse="ASSESSMENT_REMOVED",
)
_rule(
    "ASSESSMENT_REMOVED",
    ASSESSMENTS,
    "an assessment (form or activity) removed",
    {
        "removed": _v(
            "data_robustness",
            False,
            False,
            False,
            "fewer procedures for subjects; no endpoint or criterion uses the data (they "
            "would not compile otherwise)",
            "not a safety test: no significant effect on safety, scope or scientific quality",
        )
    },
    inverse="ASSESSMENT_ADDED",
)
_rule(
    "ASSESSMENT_VISITS_CHANGED",
    ASSESSMENTS,
    "the visits at which an assessment is done",
    _both(_DATA_ONLY, "added", "removed", "changed"),
)
_rule(
    "ASSESSMENT_CHANGED",
    ASSESSMENTS,
    "a form's or activity's label, condition, codes or structure",
    _both(_DATA_ONLY, "changed"),
)
_rule("ITEM_ADDED", ASSESSMENTS, "an item added to a form", {"added": _DATA_ONLY}, "ITEM_REMOVED")
_rule(
    "ITEM_REMOVED",
    ASSESSMENTS,
    "an item removed from a form",
    {"removed": _DATA_ONLY},
    inverse="ITEM_ADDED",
)
_rule(
    "ITEM_CHANGED",
    ASSESSMENTS,
    "an item's type, unit, range, label, condition, visits or codes",
    _both(_DATA_ONLY, "changed"),
)
_renamed(
    "ITEM", ASSESSMENTS, "an item given another name, its type, unit, label and codes the same"
)
_relocated(
    "FORM",
    ASSESSMENTS,
    "a form moved between the trial and a library, or between libraries, word for word (a "
    "library form is collected by `collect`; its data keep their items under the new name)",
)
_renamed(
    "FORM",
    ASSESSMENTS,
    "a form given another name, its label, items, visits and codes the same",
)
_rule(
    "DERIVED_VALUE_ADDED",
    ASSESSMENTS,
    "a derived value of a form added",
    {"added": _DATA_ONLY},
    inverse="DERIVED_VALUE_REMOVED",
)
_rule(
    "DERIVED_VALUE_REMOVED",
    ASSESSMENTS,
    "a derived value of a form removed",
    {"removed": _DATA_ONLY},
    inverse="DERIVED_VALUE_ADDED",
)
_rule(
    "DERIVED_VALUE_CHANGED",
    ASSESSMENTS,
    "a derived value of a form (no criterion or endpoint uses it)",
    _both(_DATA_ONLY, "changed"),
)
_rule(
    "CONVERSION_ADDED",
    ASSESSMENTS,
    "a conversion between two scales added (no criterion or endpoint reads its items)",
    {"added": _DATA_ONLY},
    inverse="CONVERSION_REMOVED",
)
_rule(
    "CONVERSION_REMOVED",
    ASSESSMENTS,
    "a conversion between two scales removed (no criterion or endpoint reads its items)",
    {"removed": _DATA_ONLY},
    inverse="CONVERSION_ADDED",
)
_rule(
    "CONVERSION_CHANGED",
    ASSESSMENTS,
    "a conversion's formula, units or codes (no criterion or endpoint reads its items), "
    "or its label",
    {"reworded": _ADMIN, "changed": _DATA_ONLY},
)
_rule(
    "LOG_NONE_QUESTION_CHANGED",
    ASSESSMENTS,
    "the question that records none for a log (no criterion or endpoint reads the log)",
    _both(_DATA_ONLY, "added", "removed", "changed"),
)
_rule("SCORE_ADDED", ASSESSMENTS, "a score added", {"added": _DATA_ONLY}, "SCORE_REMOVED")
_rule("SCORE_REMOVED", ASSESSMENTS, "a score removed", {"removed": _DATA_ONLY}, "SCORE_ADDED")
_rule(
    "SCORE_CHANGED",
    ASSESSMENTS,
    "a score's weights, descriptors, look-back or rule (no criterion or endpoint uses it)",
    _both(_DATA_ONLY, "raised", "lowered", "added", "removed", "changed"),
)

# 10 Statistics
_rule(
    "SAMPLE_SIZE_CHANGED",
    STATISTICS,
    "planned enrolment, expansion, backfill or maximum sample size",
    {
        "raised": _v(
            "data_robustness",
            True,
            False,
            True,
            "the sample size is a typical substantial modification",
            "more subjects at the same doses does not change each subject's risk",
            "an increase in the number of subjects (312.30(b)(1)(i))",
        ),
        "lowered": _v(
            "data_robustness",
            True,
            False,
            False,
            "fewer subjects: a likely substantial impact on the robustness of the data",
            "fewer subjects exposed: no significant effect on safety",
            "a decrease is not among the changes 312.30(b)(1) requires an amendment for",
        ),
        **_both(
            _v(
                "data_robustness",
                True,
                False,
                True,
                "the sample size is a typical substantial modification",
                "no significant effect on the safety of subjects",
                "changes the scope of the investigation",
            ),
            "added",
            "removed",
            "changed",
        ),
    },
)

_ANALYSIS = _v(
    "data_robustness",
    True,
    False,
    False,
    "how the trial's data are analysed changes: a likely substantial impact on the "
    "reliability and robustness of its conclusions",
    "not a change to the safety of subjects",
    "the analysis changes, not the design or the scope of the investigation",
)
_rule(
    "ANALYSIS_SET_ADDED",
    STATISTICS,
    "an analysis set or subgroup added",
    {"added": _ANALYSIS},
    inverse="ANALYSIS_SET_REMOVED",
)
_rule(
    "ANALYSIS_SET_REMOVED",
    STATISTICS,
    "an analysis set or subgroup removed",
    {"removed": _ANALYSIS},
    inverse="ANALYSIS_SET_ADDED",
)
_rule(
    "ANALYSIS_SET_CHANGED",
    STATISTICS,
    "the rule, label, kind or codes of an analysis set or subgroup",
    _both(_ANALYSIS, "reworded", "changed"),
)
_SIZED = _v(
    "data_robustness",
    True,
    False,
    False,
    "the assumptions the sample size rests on change: a likely substantial impact on "
    "the robustness of the data",
    "not a change to the safety of subjects",
    "the justification of the sample size changes, not the number of subjects itself "
    "(a change of that is SAMPLE_SIZE_CHANGED)",
)
_rule(
    "SAMPLE_SIZE_ASSUMPTIONS_ADDED",
    STATISTICS,
    "a sample-size calculation added",
    {"added": _SIZED},
    inverse="SAMPLE_SIZE_ASSUMPTIONS_REMOVED",
)
_rule(
    "SAMPLE_SIZE_ASSUMPTIONS_REMOVED",
    STATISTICS,
    "a sample-size calculation removed",
    {"removed": _SIZED},
    inverse="SAMPLE_SIZE_ASSUMPTIONS_ADDED",
)
_rule(
    "SAMPLE_SIZE_ASSUMPTIONS_CHANGED",
    STATISTICS,
    "the assumptions of a sample-size calculation (ranked by the number they imply)",
    _both(_SIZED, "raised", "lowered", "changed"),
)
_rule(
    "STATISTICAL_ANALYSIS_CHANGED",
    STATISTICS,
    "the summary of the statistical analysis",
    _both(_ANALYSIS, "added", "removed", "reworded"),
)

# 11 Oversight
_rule(
    "MONITORING_COMMITTEE_CHANGED",
    OVERSIGHT,
    "who takes escalation and safety decisions",
    _both(
        _v(
            "safety",
            True,
            True,
            True,
            "the monitoring committee is a typical substantial modification: it guards "
            "the subjects' safety",
            "who decides on escalation and safety significantly affects safety",
        ),
        "added",
        "removed",
        "changed",
    ),
)

# 12 Appendix: terminology, tables, definitions, mappings, libraries
_renamed(
    "CODELIST_VALUE",
    APPENDIX,
    "a code-list value given another name, its label and codes the same (every rule reading "
    "it follows)",
)
_relocated(
    "CODELIST",
    APPENDIX,
    "a code list moved between the trial and a library, or between libraries, word for word",
)
_relocated(
    "DEFINITION",
    APPENDIX,
    "a definition moved between the trial and a library, or between libraries, word for word",
)
_relocated(
    "CRITERION",
    APPENDIX,
    "a criterion moved from one library to another, word for word (a trial applies its own "
    "criteria only)",
)
_rule(
    "CODELIST_ADDED",
    APPENDIX,
    "a code list added",
    {"added": _ADMIN},
    inverse="CODELIST_REMOVED",
)
_rule(
    "CODELIST_REMOVED",
    APPENDIX,
    "a code list removed",
    {"removed": _ADMIN},
    inverse="CODELIST_ADDED",
)
_rule(
    "CODELIST_VALUE_ADDED",
    APPENDIX,
    "a value added to a code list (no criterion tests membership of the whole list)",
    {"added": _DATA_ONLY},
    inverse="CODELIST_VALUE_REMOVED",
)
_rule(
    "CODELIST_VALUE_REMOVED",
    APPENDIX,
    "a value removed from a code list (no criterion tests membership of the whole list)",
    {"removed": _DATA_ONLY},
    inverse="CODELIST_VALUE_ADDED",
)
_rule(
    "CODELIST_CHANGED",
    APPENDIX,
    "a code list's or value's label or terminology codes",
    _both(_ADMIN, "changed"),
)
_rule(
    "LOOKUP_TABLE_ADDED",
    APPENDIX,
    "a lookup table added",
    {"added": _ADMIN},
    inverse="LOOKUP_TABLE_REMOVED",
)
_rule(
    "LOOKUP_TABLE_REMOVED",
    APPENDIX,
    "a lookup table removed",
    {"removed": _ADMIN},
    inverse="LOOKUP_TABLE_ADDED",
)
_rule(
    "LOOKUP_VALUE_CHANGED",
    APPENDIX,
    "a value of a lookup table (no criterion or endpoint uses it)",
    _both(_DATA_ONLY, "raised", "lowered", "added", "removed", "changed"),
)
_rule(
    "LOOKUP_TABLE_CHANGED",
    APPENDIX,
    "a lookup table's label, version, keys or source",
    _both(_ADMIN, "changed"),
)
_rule(
    "DEFINITION_ADDED",
    APPENDIX,
    "a definition added",
    {"added": _ADMIN},
    inverse="DEFINITION_REMOVED",
)
_rule(
    "DEFINITION_REMOVED",
    APPENDIX,
    "a definition removed",
    {"removed": _ADMIN},
    inverse="DEFINITION_ADDED",
)
_rule(
    "DEFINITION_CHANGED",
    APPENDIX,
    "a definition (no criterion or endpoint uses it)",
    _both(_DATA_ONLY, "widened", "narrowed", "reworded", "changed"),
)
_rule(
    "MAPPING_ADDED",
    APPENDIX,
    "a source-data mapping added",
    {"added": _DATA_ONLY},
    inverse="MAPPING_REMOVED",
)
_rule(
    "MAPPING_REMOVED",
    APPENDIX,
    "a source-data mapping removed",
    {"removed": _DATA_ONLY},
    inverse="MAPPING_ADDED",
)
_rule(
    "MAPPING_CHANGED",
    APPENDIX,
    "a source-data mapping's rules",
    _both(_DATA_ONLY, "added", "removed", "changed"),
)
_rule(
    "LOG_COMPLETENESS_CHANGED",
    APPENDIX,
    "a mapping's declaration that a log is complete for a dataset's subjects (no criterion "
    "or endpoint reads the log)",
    _both(_DATA_ONLY, "added", "removed", "changed"),
)
_rule(
    "LIBRARY_ADDED",
    APPENDIX,
    "a library imported",
    {"added": _ADMIN},
    inverse="LIBRARY_REMOVED",
)
_rule(
    "LIBRARY_REMOVED",
    APPENDIX,
    "a library no longer imported",
    {"removed": _ADMIN},
    inverse="LIBRARY_ADDED",
)
_rule(
    "ANNOTATION_CHANGED",
    APPENDIX,
    "notes, open questions, sources, rationales or provisional marks",
    _both(_ANNOTATION, "added", "removed", "changed"),
)
_SUPPRESSION = _v(
    "administrative",
    False,
    False,
    False,
    "an `allow` silences a reviewed finding of the checker, with its reason; it changes "
    "what the checker reports, not what is done to subjects or which data are collected",
    "not a change to what subjects undergo or to the investigation",
)
_rule(
    "SUPPRESSION_CHANGED",
    APPENDIX,
    'a reviewed finding allowed (`allow CODE "reason"`), or its reason',
    _both(_SUPPRESSION, "added", "removed", "changed"),
)


# Any section: a change of typesetting only (the change keeps its own section)
_rule(
    "EDITORIAL_CHANGE",
    APPENDIX,
    "prose that differs only in case, punctuation, spacing, hyphens, quotes or an "
    "abbreviation added after the words it stands for",
    {
        "reworded": _v(
            "administrative",
            False,
            False,
            False,
            "an editorial change (case, punctuation, spacing or an abbreviation): the same "
            "words, so no impact on the subjects' safety or rights or on the reliability and "
            "robustness of the data",
            "an editorial change: not a change to the safety of subjects, the scope of the "
            "investigation or its scientific quality",
        )
    },
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def classify(rule_id: str, direction: str, phase: Phase) -> Classification:
    """The verdict of a rule in a direction, for a trial of the given phase."""
    verdict = RULES[rule_id].verdicts[direction]
    return Classification(
        verdict.category,
        verdict.eu,
        verdict.fda(phase),
        verdict.why_eu,
        verdict.why_fda(phase),
    )


_PHASE_1 = re.compile(r"^(phase[ _]?)?(1|i)[ab]?$", re.IGNORECASE)


def fda_phase(text: str | None) -> Phase:
    """Which test of 312.30(b)(1) applies: phase 1 only for a plain phase 1 trial.

    A phase 1/2 trial, or one whose phase is not stated, is judged by the
    broader phase 2/3 test (safety, scope and scientific quality).
    """
    if text is not None and _PHASE_1.match(text.strip()):
        return "1"
    return "2/3"


# ---------------------------------------------------------------- the catalogue as documentation


def catalogue_markdown() -> str:
    """The rule table of docs/diff.md: one row per rule and direction, then the reasoning."""

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    lines = [
        "| Rule | Section | What changed | Direction | Category | EU | FDA phase 1 | FDA phase 2/3 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        for index, (direction, verdict) in enumerate(rule.verdicts.items()):
            first = index == 0
            lines.append(
                f"| {f'[`{rule.id}`](#{rule.id.lower()})' if first else ''} "
                f"| {rule.section if first else ''} | {rule.title if first else ''} "
                f"| {direction} | {CATEGORY_WORDS[verdict.category]} | {yes(verdict.eu)} "
                f"| {yes(verdict.fda_phase1)} | {yes(verdict.fda_later)} |"
            )
    lines += ["", "### Reasoning", ""]
    for rule in RULES.values():
        lines += [f"#### {rule.id}", ""]
        if rule.inverse != rule.id:
            lines += [f"Read backwards: `{rule.inverse}`.", ""]
        for direction, verdict in rule.verdicts.items():
            fda = f"phase 1 {yes(verdict.fda_phase1)}, {verdict.why_fda_phase1}"
            if verdict.why_fda_later != verdict.why_fda_phase1 or (
                verdict.fda_later != verdict.fda_phase1
            ):
                fda += f"; phase 2/3 {yes(verdict.fda_later)}, {verdict.why_fda_later}"
            lines.append(f"- *{direction}*: EU {yes(verdict.eu)}, {verdict.why_eu}. FDA: {fda}.")
        lines.append("")
    return "\n".join(lines)
