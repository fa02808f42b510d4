"""The ICH M11 sections whose prose a spec may write: `narrative KEY "…"`.

Most of a protocol follows from the declarations of the spec; the prose that
explains them (why the trial is done, what is known, what the benefits and
risks are) is written by the protocol writer as Markdown attached to its M11
section.  This table is the one list of those sections: the checks report an
unknown key (with "did you mean"), the protocol document places each text under
its heading and lists the required ones still missing as open items, and the
language reference lists the same table.
"""

from __future__ import annotations

from typing import NamedTuple


class NarrativeSection(NamedTuple):
    chapter: int  # the ICH M11 section the text belongs to (2 Introduction, …)
    heading: str  # its heading in the protocol
    required: bool  # M11 expects it in every protocol: missing, it is an open item


NARRATIVE_SECTIONS: dict[str, NarrativeSection] = {
    "purpose": NarrativeSection(2, "Purpose of the trial", True),
    "background": NarrativeSection(2, "Background", True),
    "benefits": NarrativeSection(2, "Benefit summary", True),
    "risks": NarrativeSection(2, "Risk summary and mitigation strategy", True),
    "benefit_risk": NarrativeSection(2, "Overall benefit–risk conclusion", True),
    "design_rationale": NarrativeSection(4, "Rationale for the trial design", True),
    "dose_rationale": NarrativeSection(4, "Justification of the dose", True),
    "end_of_trial": NarrativeSection(4, "Start and end of the trial", True),
    "post_trial_access": NarrativeSection(
        4, "Access to the trial intervention after the trial", False
    ),
    "lifestyle": NarrativeSection(5, "Lifestyle considerations", False),
    "contraception": NarrativeSection(5, "Contraception and pregnancy testing", False),
    "screen_failures": NarrativeSection(5, "Screen failures", True),
    "intervention_rationale": NarrativeSection(6, "Rationale for the trial intervention", False),
    "preparation": NarrativeSection(6, "Preparation, handling and storage", True),
    "compliance": NarrativeSection(6, "Treatment compliance", False),
    "intervention_discontinuation": NarrativeSection(
        7, "Discontinuation of the trial intervention", True
    ),
    "withdrawal": NarrativeSection(7, "Participant withdrawal from the trial", True),
    "lost_to_follow_up": NarrativeSection(7, "Lost to follow-up", True),
    "safety_reporting": NarrativeSection(
        9, "Recording, follow-up and reporting of adverse events", True
    ),
    "pregnancy": NarrativeSection(9, "Pregnancy and postpartum information", False),
    "special_safety": NarrativeSection(9, "Special safety situations", False),
    "statistical_hypotheses": NarrativeSection(10, "Statistical hypotheses", False),
    "interim_analysis": NarrativeSection(10, "Interim analyses", False),
    "regulatory_ethical": NarrativeSection(11, "Regulatory and ethical considerations", True),
    "committees": NarrativeSection(11, "Committees", False),
    "informed_consent": NarrativeSection(11, "Informed consent process", True),
    "data_protection": NarrativeSection(11, "Data protection", True),
    "data_quality": NarrativeSection(11, "Data quality assurance and source data", True),
    "early_termination": NarrativeSection(11, "Early trial or site closure", True),
    "publication": NarrativeSection(11, "Dissemination of results and publication policy", True),
}


def narrative_keys(chapter: int) -> list[str]:
    """The keys of one M11 section's narratives, in document order."""
    return [key for key, section in NARRATIVE_SECTIONS.items() if section.chapter == chapter]
