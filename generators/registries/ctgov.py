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
the completions once it has completed or terminated); without a status their
type is unknown and left out.  The enrolment count is ESTIMATED (the planned number) while
enrolment is open or yet to start, and ACTUAL once it has closed: when the
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

from protocol_dsl import allocation as allocation_words
from protocol_dsl import model as m
from protocol_dsl.inert_text import printable, printable_data
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


def build(spec: Spec, out_dir: Path) -> list[Path]:
    folder = out_dir / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / "ctgov.json"
    text_path = folder / "eligibility.txt"
    body = json.dumps(printable_data(record(spec)), indent=2, ensure_ascii=False) + "\n"
    record_path.write_bytes(body.encode("utf-8"))
    text_path.write_bytes((printable(eligibility_text(spec)) + "\n").encode("utf-8"))
    return [record_path, text_path]


def record(spec: Spec) -> dict[str, Any]:
    """The study record: `{"protocolSection": {…modules…}}`."""
    modules = {
        "identificationModule": _identification(spec),
        "statusModule": _status(spec),
        "sponsorCollaboratorsModule": _sponsors(spec),
        "descriptionModule": _description(spec),
        "conditionsModule": _conditions(spec),
        "designModule": _design(spec),
        "armsInterventionsModule": _arms_interventions(spec),
        "outcomesModule": _outcomes(spec),
        "eligibilityModule": _eligibility(spec),
    }
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


def _bullet(text: str) -> str:
    text = escape_markup(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "*"
    return "\n".join([f"* {lines[0]}"] + [f"    {line}" for line in lines[1:]])


# ---------------------------------------------------------------- header fields


def _value(spec: Spec, key: str) -> str | None:
    found = spec.trial_field(key)
    return None if found is None else _text(found.value)


def _values(spec: Spec, key: str) -> list[str]:
    trial = spec.trial
    if trial is None:
        return []
    return [_text(v) for f in trial.all(key) for v in f.values]


def _text(value: m.Value) -> str:
    if value.kind == "string":
        return str(value.value)
    if value.kind in ("quantity", "number"):
        return value.text or str(value.value)
    return str(value.value)


def _compact(module: dict[str, Any]) -> dict[str, Any]:
    """The module without the entries the spec leaves empty."""
    return {k: v for k, v in module.items() if v not in (None, [], {}, "")}


# ---------------------------------------------------------------- modules


def _identification(spec: Spec) -> dict[str, Any]:
    registry_ids = _values(spec, "registry")
    nct = next((r for r in registry_ids if r.upper().startswith("NCT")), None)
    others = [r for r in registry_ids if r != nct]
    org_id = _value(spec, "sponsor_protocol_id") or (spec.trial.name if spec.trial else None)
    sponsor = _value(spec, "sponsor")
    return _compact(
        {
            "nctId": nct,
            "orgStudyIdInfo": {"id": org_id} if org_id else None,
            "secondaryIdInfos": [{"id": r, "type": "REGISTRY"} for r in others],
            "organization": {"fullName": sponsor} if sponsor else None,
            "briefTitle": _value(spec, "short_title") or _value(spec, "title"),
            "officialTitle": _value(spec, "title"),
            "acronym": _value(spec, "acronym"),
        }
    )


#: recruitment statuses once the first participant is enrolled: the start date is actual
STARTED = frozenset(
    {"recruiting", "enrolling_by_invitation", "active_not_recruiting", "suspended"}
    | {"terminated", "completed"}
)
#: statuses after the last participant's last visit: the completion dates are actual
FINISHED = frozenset({"terminated", "completed"})
#: the header's milestone dates, the registry's date structure for each, and the
#: statuses under which the date is ACTUAL rather than ESTIMATED
DATES = (
    ("start_date", "startDateStruct", STARTED),
    ("primary_completion_date", "primaryCompletionDateStruct", FINISHED),
    ("completion_date", "completionDateStruct", FINISHED),
)


def _status(spec: Spec) -> dict[str, Any]:
    status = _value(spec, "status")
    module: dict[str, Any] = {"overallStatus": status.upper() if status else None}
    for key, struct, actual in DATES:
        found = spec.trial_field(key)
        if found is None or found.value.kind != "date":
            continue
        date: dict[str, str] = {"date": str(found.value.value)}
        if status is not None:  # without a status, whether the date is actual is unknown
            date["type"] = "ACTUAL" if status in actual else "ESTIMATED"
        module[struct] = date
    return _compact(module)


def _sponsors(spec: Spec) -> dict[str, Any]:
    sponsor = _value(spec, "sponsor")
    return _compact(
        {
            "leadSponsor": {"name": sponsor} if sponsor else None,
            "collaborators": [{"name": c} for c in _values(spec, "collaborator")],
        }
    )


def _description(spec: Spec) -> dict[str, Any]:
    return _compact(
        {
            "briefSummary": _markup(_value(spec, "summary")),
            "detailedDescription": _markup(_value(spec, "description")),
        }
    )


def _markup(text: str | None) -> str | None:
    return None if text is None else escape_markup(text)


def _conditions(spec: Spec) -> dict[str, Any]:
    return _compact(
        {"conditions": _values(spec, "condition"), "keywords": _values(spec, "keyword")}
    )


def phases(phase: str | None) -> list[str]:
    """Registry phases of the spec's phase ("1b" -> ["PHASE1"], "2/3" -> ["PHASE2", "PHASE3"])."""
    if phase is None:
        return []
    return list(PHASES.get(phase.strip().lower().replace(" ", ""), []))


def _design(spec: Spec) -> dict[str, Any]:
    study_type = _value(spec, "study_type")
    allocation = _value(spec, "allocation")
    if allocation is None and spec.randomisation is not None:
        allocation = "randomized"
    model = _value(spec, "model")
    purpose = _value(spec, "purpose")
    masking = allocation_words.effective_masking(spec.masking, _value(spec, "masking"))
    enrolment = spec.trial_field("enrolment")
    design_info = _compact(
        {
            "allocation": allocation.upper() if allocation else None,
            "interventionModel": model.upper() if model else None,
            "primaryPurpose": purpose.upper() if purpose else None,
            "maskingInfo": _masking_info(spec, masking),
        }
    )
    enrollment = None
    if enrolment is not None and isinstance(enrolment.value.value, Decimal):
        enrollment = _enrollment(int(enrolment.value.value), _value(spec, "status"))
    return _compact(
        {
            "studyType": study_type.upper() if study_type else None,
            "phases": phases(_value(spec, "phase")),
            "designInfo": design_info,
            "enrollmentInfo": enrollment,
        }
    )


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


def _arms_interventions(spec: Spec) -> dict[str, Any]:
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
            _compact(
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
            _compact(
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
    return _compact({"armGroups": groups, "interventions": interventions})


def _outcomes(spec: Spec) -> dict[str, Any]:
    lists: dict[str, list[dict[str, str]]] = {"primary": [], "secondary": [], "exploratory": []}
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            if endpoint.kind in ("flag", "record_flag"):
                continue  # an analysis flag (completers, treatment-emergent) is no outcome measure
            lists[objective.level].append(
                _compact({"measure": endpoint.text, "timeFrame": _time_frame(endpoint)})
            )
    return _compact(
        {
            "primaryOutcomes": lists["primary"],
            "secondaryOutcomes": lists["secondary"],
            "otherOutcomes": lists["exploratory"],
        }
    )


def _time_frame(endpoint: m.Endpoint) -> str | None:
    if endpoint.timeframe:
        return endpoint.timeframe
    if endpoint.until is not None:
        return f"Up to {_age(endpoint.until).lower()}"
    return None


def _eligibility(spec: Spec) -> dict[str, Any]:
    sex = _value(spec, "sex")
    healthy = _value(spec, "healthy_volunteers")
    minimum = spec.trial_field("minimum_age")
    maximum = spec.trial_field("maximum_age")
    return _compact(
        {
            "eligibilityCriteria": eligibility_text(spec),
            "healthyVolunteers": None if healthy is None else healthy == "yes",
            "sex": sex.upper() if sex else None,
            "minimumAge": _age_field(minimum),
            "maximumAge": _age_field(maximum),
            "stdAges": _std_ages(spec, minimum, maximum),
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


def _std_ages(spec: Spec, minimum: m.Field | None, maximum: m.Field | None) -> list[str]:
    """Age groups: the spec's `age_group`, else the registry's groups the age range overlaps."""
    stated = [_AGE_GROUPS[g] for g in _values(spec, "age_group") if g in _AGE_GROUPS]
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
