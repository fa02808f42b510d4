"""The ClinicalTrials.gov registry record of the trial (`registry/ctgov.json`, `registry/eligibility.txt`).

This module owns the mapping from the spec to the `protocolSection` of a
ClinicalTrials.gov data API v2 study record: identification, status, sponsor,
description, conditions, design, arms and interventions, outcomes and
eligibility modules, with the registry's enumerations (NOT_YET_RECRUITING,
PHASE1, SINGLE_GROUP, EXPERIMENTAL, DRUG, …).  Keys are written in the
registry's module order, so the file is byte-identical on every build.

The eligibility criteria are one text in the registry's layout: an
"Inclusion Criteria:" and an "Exclusion Criteria:" list, one `* ` bullet per
criterion with its verbatim protocol text; the further lines of a criterion
(numbered sub-items) follow indented beneath its bullet.  The same text is
written alone to `eligibility.txt`.

What the spec does not say is left out rather than guessed: no
healthyVolunteers without a `healthy_volunteers` field, no overallStatus
without `status`.  The milestone dates (start, primary completion, completion)
are ACTUAL or ESTIMATED as the status says (the start once the trial recruits,
the completions once it has completed or terminated).  The enrolment count is
ESTIMATED (the planned number) while
enrolment is open or yet to start, and ACTUAL (`enrolled` when given, else the
planned number) once it has closed: when the
recruitment status is active_not_recruiting, completed or terminated, as the
registry's data element definitions ask.  A withdrawn trial enrolled no one: its
count is 0, ACTUAL.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from generators.registries.ctgov_header import Header, Provisional, compact
from generators.registries.ctgov_people import (
    contacts_locations_module,
    oversight_module,
    sponsor_module,
    status_module,
)
from protocol_dsl import allocation as allocation_words
from protocol_dsl import model as m
from protocol_dsl.inert_text import printable, printable_data
from protocol_dsl.model import is_provisional
from protocol_dsl.schedule.words import schedule_words
from protocol_dsl.spec import Spec

PHASES: dict[str, list[str]] = {
    "0": ["EARLY_PHASE1"],
    "1": ["PHASE1"],
    "1a": ["PHASE1"],
    "1b": ["PHASE1"],
    "1/2": ["PHASE1", "PHASE2"],
    "2": ["PHASE2"],
    "2a": ["PHASE2"],
    "2b": ["PHASE2"],
    "2/3": ["PHASE2", "PHASE3"],
    "3": ["PHASE3"],
    "3a": ["PHASE3"],
    "3b": ["PHASE3"],
    "4": ["PHASE4"],
    "na": ["NA"],
}

MASKING = {
    "open_label": "NONE",
    "single": "SINGLE",
    "double": "DOUBLE",
    "triple": "TRIPLE",
    "quadruple": "QUADRUPLE",
}

ARM_TYPES = {
    "experimental": "EXPERIMENTAL",
    "active": "ACTIVE_COMPARATOR",
    "active_comparator": "ACTIVE_COMPARATOR",
    "placebo": "PLACEBO_COMPARATOR",
    "placebo_comparator": "PLACEBO_COMPARATOR",
    "sham": "SHAM_COMPARATOR",
    "sham_comparator": "SHAM_COMPARATOR",
    "no_intervention": "NO_INTERVENTION",
}

STD_AGES = (
    ("CHILD", Decimal(0), Decimal(17)),
    ("ADULT", Decimal(18), Decimal(64)),
    ("OLDER_ADULT", Decimal(65), None),
)
_AGE_GROUPS = {"child": "CHILD", "adult": "ADULT", "older_adult": "OLDER_ADULT"}
_AGE_UNITS = {
    "year": ("Year", Decimal(1)),
    "month": ("Month", Decimal(12)),
    "week": ("Week", Decimal("52.1775")),
    "day": ("Day", Decimal("365.25")),
    "hour": ("Hour", Decimal("8766")),
    "minute": ("Minute", Decimal("525960")),
}
_UNIT_WORDS = {
    "a": "year", "year": "year", "years": "year",
    "mo": "month", "month": "month", "months": "month",
    "wk": "week", "week": "week", "weeks": "week",
    "d": "day", "day": "day", "days": "day",
    "h": "hour", "hour": "hour", "hours": "hour",
    "min": "minute", "minute": "minute", "minutes": "minute",
}  # fmt: skip


def build(spec: Spec, out_dir: Path, *, provisional: Provisional = "flag") -> list[Path]:
    folder = out_dir / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / "ctgov.json"
    text_path = folder / "eligibility.txt"
    study = printable_data(record(spec, provisional))
    body = json.dumps(study, indent=2, ensure_ascii=False) + "\n"
    record_path.write_bytes(body.encode("utf-8"))
    text_path.write_bytes((printable(eligibility_text(spec)) + "\n").encode("utf-8"))
    return [record_path, text_path]


def record(spec: Spec, provisional: Provisional = "flag") -> dict[str, Any]:
    """The study record: `{"protocolSection": {…modules…}}`, in the registry's module order."""
    h = Header(spec, provisional)
    modules = {
        "identificationModule": _identification(h),
        "statusModule": status_module(h),
        "sponsorCollaboratorsModule": sponsor_module(h),
        "oversightModule": oversight_module(h),
        "descriptionModule": {},  # written last: it lists what was flagged provisional
        "conditionsModule": _conditions(h),
        "designModule": _design(h),
        "armsInterventionsModule": _arms_interventions(h),
        "outcomesModule": _outcomes(h),
        "eligibilityModule": _eligibility(h),
        "contactsLocationsModule": contacts_locations_module(h),
    }
    modules["descriptionModule"] = _description(h)
    return {"protocolSection": {name: module for name, module in modules.items() if module}}


def eligibility_text(spec: Spec) -> str:
    """The criteria in the registry's layout (no trailing newline)."""
    sections = []
    for title, criteria in (
        ("Inclusion Criteria:", spec.inclusions),
        ("Exclusion Criteria:", spec.exclusions),
    ):
        if criteria:
            bullets = "\n".join(_bullet(c.text) for c in criteria)
            sections.append(f"{title}\n\n{bullets}")
    return "\n\n".join(sections)


#: a backslash the registry's markup would read as an escape (before ASCII punctuation)
_ESCAPING_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def escape_markup(text: str) -> str:
    """`text` for a markup field of the record (the criteria, the summary, the description).

    The registry reads those fields as CommonMark, where a backslash before
    punctuation is an escape: such a backslash is doubled so that it stays in the
    text.  Nothing else is escaped, so a text without backslashes is unchanged.
    """
    return _ESCAPING_BACKSLASH.sub(r"\\\\", text)


#: the section headers of the registry's eligibility text
SECTION_HEADERS = ("inclusion criteria:", "exclusion criteria:")


def _bullet(text: str) -> str:
    """One criterion as a bullet; its further lines indented beneath it.  A line of the
    criterion that reads as a section header ("Exclusion Criteria:") is joined to the
    line before it, so that the text has one header of each kind, however it is read."""
    text = escape_markup(text)
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if lines and line.lower() in SECTION_HEADERS:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    if not lines:
        return "*"
    return "\n".join([f"* {lines[0]}"] + [f"    {line}" for line in lines[1:]])


# ---------------------------------------------------------------- modules


def _identification(h: Header) -> dict[str, Any]:
    registry_ids = h.values("registry")
    nct = next((r for r in registry_ids if r.upper().startswith("NCT")), None)
    others = [r for r in registry_ids if r != nct]
    trial = h.spec.trial
    org_id = h.value("sponsor_protocol_id") or (trial.name if trial else None)
    sponsor = h.value("sponsor")
    return compact(
        {
            "nctId": nct,
            "orgStudyIdInfo": {"id": org_id} if org_id else None,
            "secondaryIdInfos": [{"id": r, "type": "REGISTRY"} for r in others],
            "organization": {"fullName": sponsor} if sponsor else None,
            "briefTitle": h.value("short_title") or h.value("title"),
            "officialTitle": h.value("title"),
            "acronym": h.value("acronym"),
        }
    )


def _description(h: Header) -> dict[str, Any]:
    """The summary and description (markup fields: see `escape_markup`); flagged
    provisional entries listed at the end, so that a reader of the record knows which of
    its values are not final."""
    summary = h.value("summary")
    description = h.value("description")
    summary = escape_markup(summary) if summary is not None else None
    description = escape_markup(description) if description is not None else None
    if h.flagged:
        note = "Provisional (not final in the protocol): " + "; ".join(h.flagged) + "."
        description = f"{description}\n\n{note}" if description else note
    return compact({"briefSummary": summary, "detailedDescription": description})


def _conditions(h: Header) -> dict[str, Any]:
    return compact({"conditions": h.values("condition"), "keywords": h.values("keyword")})


def phases(phase: str | None) -> list[str]:
    """Registry phases of the spec's phase ("1b" -> ["PHASE1"], "2/3" -> ["PHASE2", "PHASE3"])."""
    if phase is None:
        return []
    return list(PHASES.get(phase.strip().lower().replace(" ", ""), []))


def _design(h: Header) -> dict[str, Any]:
    spec = h.spec
    study_type = h.value("study_type")
    model = h.value("model")
    allocation = _allocation(h.value("allocation"), model, spec)
    purpose = h.value("purpose")
    masking = allocation_words.effective_masking(spec.masking, h.value("masking"))
    enrolment = h.field("enrolment")
    design_info = compact(
        {
            "allocation": allocation.upper() if allocation else None,
            "interventionModel": model.upper() if model else None,
            "primaryPurpose": purpose.upper() if purpose else None,
            "maskingInfo": _masking_info(spec, masking),
        }
    )
    enrollment = None
    enrolled = h.field("enrolled")
    status = h.value("status")
    if status in ENROLMENT_CLOSED and enrolled is not None:
        enrolment = enrolled  # the number enrolled, where the header states it
    if enrolment is not None and isinstance(enrolment.value.value, Decimal):
        enrollment = _enrollment(int(enrolment.value.value), status)
    return compact(
        {
            "studyType": study_type.upper() if study_type else None,
            "phases": phases(h.value("phase")),
            "designInfo": design_info,
            "enrollmentInfo": enrollment,
        }
    )


def _allocation(stated: str | None, model: str | None, spec: Spec) -> str | None:
    """The allocation: N/A for a single-group study (one arm: no one is allocated between
    groups, whatever the header says short of randomised), else the header's, else
    randomised when the spec randomises."""
    if model == "single_group" and stated != "randomized":
        return "na"
    if stated is None and spec.randomisation is not None:
        return "randomized"
    return stated


#: recruitment statuses after enrolment has closed: the count is the number enrolled
ENROLMENT_CLOSED = frozenset({"active_not_recruiting", "completed", "terminated"})


def _enrollment(count: int, status: str | None) -> dict[str, Any]:
    """The enrolment count and whether it is ESTIMATED (planned) or ACTUAL (closed)."""
    if status == "withdrawn":  # halted before the first participant was enrolled
        return {"count": 0, "type": "ACTUAL"}
    return {"count": count, "type": "ACTUAL" if status in ENROLMENT_CLOSED else "ESTIMATED"}


def _masking_info(spec: Spec, masking: str | None) -> dict[str, Any] | None:
    """Masking, who is masked (the registry's four roles, in its order) and, in the
    description, the roles the registry has no value for (the sponsor's team)."""
    if masking not in MASKING:
        return None
    info: dict[str, Any] = {"masking": MASKING[masking]}
    block = spec.masking
    if block is not None:
        roles = set(block.roles)
        order = [r for r in allocation_words.ROLES if r in roles]
        who = [allocation_words.ROLES[r].ctgov for r in order if allocation_words.ROLES[r].ctgov]
        if who:
            info["whoMasked"] = who
        others = [
            allocation_words.ROLES[r].words for r in order if not allocation_words.ROLES[r].ctgov
        ]
        if others:
            info["maskingDescription"] = "Also masked: " + ", ".join(others) + "."
    return info


def _intervention_type(intervention: m.Intervention) -> str:
    found = intervention.field("type")
    return str(found.value.value).upper() if found is not None else "OTHER"


def _intervention_name(intervention: m.Intervention) -> str:
    return intervention.label or intervention.name


def _intervention_reference(intervention: m.Intervention) -> str:
    kind = _intervention_type(intervention).replace("_", " ").title()
    return f"{kind}: {_intervention_name(intervention)}"


def _joined(text: str | None, more: list[str]) -> str | None:
    """A description followed by the sentences that state the dosing regimens."""
    parts = ([text.rstrip()] if text else []) + more
    return " ".join(parts) if parts else None


def _arm_regimens(spec: Spec, arm: m.Arm) -> list[str]:
    """One sentence per regimen the arm follows: "Belimumab: 10 mg/kg … ."."""
    sentences = []
    for name in arm.regimens:
        regimen = spec.regimens.get(name)
        if regimen is None:
            continue
        intervention = spec.interventions.get(regimen.intervention)
        who = _intervention_name(intervention) if intervention else regimen.intervention
        sentences.append(f"{who}: {schedule_words(spec, regimen)}.")
    return sentences


def _intervention_regimens(spec: Spec, intervention: m.Intervention) -> list[str]:
    """How the intervention is given, from its regimens (each dose level's, in a dose finding)."""
    sentences = []
    levelled = {df.regimen for df in spec.dose_findings if df.intervention == intervention.name}
    for regimen in spec.regimens.values():
        if regimen.intervention != intervention.name:
            continue
        lead = "Each dose level" if regimen.name in levelled else "Dosing"
        sentences.append(f"{lead}: {schedule_words(spec, regimen)}.")
    return sentences


def _arms_interventions(h: Header) -> dict[str, Any]:
    spec = h.spec
    groups = []
    received: dict[str, list[str]] = {}
    for arm in spec.arms.values():
        label = arm.label or arm.name
        names = []
        for name in arm.receives:
            intervention = spec.interventions.get(name)
            if intervention is not None:
                names.append(_intervention_reference(intervention))
                received.setdefault(name, []).append(label)
        groups.append(
            compact(
                {
                    "label": label,
                    "type": ARM_TYPES.get(arm.type or "", "OTHER"),
                    "description": _joined(arm.description, _arm_regimens(spec, arm)),
                    "interventionNames": names,
                }
            )
        )
    interventions = []
    for intervention in spec.interventions.values():
        description = intervention.field("description") or intervention.field("administration")
        interventions.append(
            compact(
                {
                    "type": _intervention_type(intervention),
                    "name": _intervention_name(intervention),
                    "description": _joined(
                        str(description.value.value) if description else None,
                        _intervention_regimens(spec, intervention),
                    ),
                    "armGroupLabels": received.get(intervention.name, []),
                }
            )
        )
    return compact({"armGroups": groups, "interventions": interventions})


_LEVEL_WORDS = {"primary": "primary", "secondary": "secondary", "exploratory": "other"}


def _outcomes(h: Header) -> dict[str, Any]:
    spec = h.spec
    length = h.field("length")
    lists: dict[str, list[dict[str, str]]] = {"primary": [], "secondary": [], "exploratory": []}
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            if endpoint.kind in ("flag", "record_flag"):
                continue  # an analysis flag (completers, treatment-emergent) is no outcome measure
            marks = (*objective.marks, *endpoint.marks)
            what = f"{_LEVEL_WORDS[objective.level]} outcome “{endpoint.text}”"
            if not h.keeps(marks, what):
                continue
            provisional = (
                "Provisional: not final in the protocol." if is_provisional(marks) else None
            )
            lists[objective.level].append(
                compact(
                    {
                        "measure": endpoint.text,
                        "description": provisional,
                        "timeFrame": _time_frame(endpoint, length),
                    }
                )
            )
    return compact(
        {
            "primaryOutcomes": lists["primary"],
            "secondaryOutcomes": lists["secondary"],
            "otherOutcomes": lists["exploratory"],
        }
    )


def _time_frame(endpoint: m.Endpoint, length: m.Field | None) -> str | None:
    """The endpoint's time frame; else up to its `until`; else up to the planned length of
    participation, the longest any measure can run (the registry requires a time frame)."""
    if endpoint.timeframe:
        return endpoint.timeframe
    if endpoint.until is not None:
        return f"Up to {_age(endpoint.until).lower()}"
    if length is not None and isinstance(length.value.value, m.Quantity):
        return f"Up to {_age(length.value.value).lower()}"
    return None


def _eligibility(h: Header) -> dict[str, Any]:
    spec = h.spec
    sex = h.value("sex")
    healthy = h.value("healthy_volunteers")
    minimum = h.field("minimum_age")
    maximum = h.field("maximum_age")
    return compact(
        {
            "eligibilityCriteria": eligibility_text(spec),
            "healthyVolunteers": None if healthy is None else healthy == "yes",
            "sex": sex.upper() if sex else None,
            "minimumAge": _age_field(minimum),
            "maximumAge": _age_field(maximum),
            "stdAges": _std_ages(h, minimum, maximum),
        }
    )


def _age_field(found: m.Field | None) -> str | None:
    if found is None or not isinstance(found.value.value, m.Quantity):
        return None
    return _age(found.value.value)


def _age(quantity: m.Quantity) -> str:
    """ "18 Years", "1 Year", "6 Months" as the registry writes ages and durations."""
    unit = _UNIT_WORDS.get(quantity.unit, quantity.unit)
    word = _AGE_UNITS[unit][0] if unit in _AGE_UNITS else quantity.unit
    number = m.format_decimal(quantity.value)
    plural = "" if quantity.value == 1 or unit not in _AGE_UNITS else "s"
    return f"{number} {word}{plural}"


def _in_years(found: m.Field | None) -> Decimal | None:
    if found is None or not isinstance(found.value.value, m.Quantity):
        return None
    quantity = found.value.value
    unit = _UNIT_WORDS.get(quantity.unit)
    if unit is None:
        return None
    return quantity.value / _AGE_UNITS[unit][1]


def _std_ages(h: Header, minimum: m.Field | None, maximum: m.Field | None) -> list[str]:
    """Age groups: the spec's `age_group`, else the registry's groups the age range overlaps."""
    stated = [_AGE_GROUPS[g] for g in h.values("age_group") if g in _AGE_GROUPS]
    if stated:
        return stated
    if minimum is None and maximum is None:
        return []
    low = _in_years(minimum) or Decimal(0)
    high = _in_years(maximum)
    return [
        name
        for name, start, end in STD_AGES
        if (high is None or start <= high) and (end is None or low <= end)
    ]
