"""A registry page's text read as a study record.

Some records reach a team only as the text of a web page: copied from the
registry or an aggregator, a label on its own line followed by its value
("Lead Sponsor" / "Qilu Pharmaceutical Co., Ltd."), the criteria as bullets,
the arm and outcome tables flattened into rows whose cells run together.  This
module reads that text into the same `protocolSection` the JSON record has,
so that one importer serves both.  The cells of a flattened row are split
where the known value of a column (an intervention's name) or the start of a
time frame ("Up to", "Week", a lowercase letter or a full stop running into a
capital) is found; such a split is a guess, which the draft marks.
"""

from __future__ import annotations

import re
from typing import Any

from protocol_dsl.errors import UserError


class PageError(UserError):
    """The text is neither a study record's JSON nor a registry page the importer knows."""


#: labels whose value is the following lines, up to the next label
_LABELS = (
    "Conditions",
    "Interventions",
    "Registration Number",
    "Lead Sponsor",
    "Brief Summary",
    "Detailed Description",
    "Recruitment & Eligibility",
    "Status",
    "Sex",
    "Target Recruitment",
    "Inclusion Criteria",
    "Exclusion Criteria",
    "Study & Design",
    "Study Type",
    "Study Design",
    "Arm && Interventions",
    "Arms & Interventions",
    "Primary Outcome Measures",
    "Secondary Outcome Measures",
    "Other Outcome Measures",
)
_PHASE = re.compile(r"(?:Early )?Phase [1-4](?:\s*/\s*Phase [1-4])?|Not Applicable", re.I)
_NCT = re.compile(r"NCT\d{8}")
_STATUSES = {
    "not yet recruiting", "recruiting", "enrolling by invitation", "active, not recruiting",
    "suspended", "terminated", "completed", "withdrawn",
}  # fmt: skip
_TIME_START = re.compile(
    r"(?:Up to|Approximately|Through|Baseline|From|At|Within|Week|Day|Month|Year|Cycle|\d)"
)
_NOT_AVAILABLE = {"not available", "n/a", ""}


#: set on a row whose cells were split by guess (not a registry key: the draft marks it)
GUESSED = "split guessed from the page's text"


def looks_like_page(text: str) -> bool:
    return bool(_NCT.search(text)) and any(
        line.strip() in ("Inclusion Criteria", "Registration Number") for line in text.split("\n")
    )


def protocol_section(text: str) -> dict[str, Any]:
    if not looks_like_page(text):
        raise PageError(
            "this is neither a ClinicalTrials.gov study record (JSON with a "
            '"protocolSection") nor the text of a registry page (with an NCT number and '
            'an "Inclusion Criteria" section)'
        )
    lines = text.replace("\r\n", "\n").split("\n")
    blocks = _blocks(lines)
    first = next(i for i, line in enumerate(lines) if line.strip() in _LABELS)
    preamble = [line.strip() for line in lines[:first] if line.strip()]
    phase = next((line for line in preamble if _PHASE.fullmatch(line)), None)
    status_line = next((line for line in preamble if line.lower() in _STATUSES), None)
    # the title: the first line of several words that is neither the phase nor the status
    # (a one-word first line is the site's name)
    title = next(
        (line for line in preamble if len(line.split()) > 3 and line not in (phase, status_line)),
        None,
    )
    value = {k: _paragraphs(v) for k, v in blocks.items()}
    nct = _NCT.search(value.get("Registration Number", "") or text)
    interventions = _interventions(blocks.get("Interventions", []))
    section: dict[str, Any] = {
        "identificationModule": {"nctId": nct[0] if nct else None, "officialTitle": title},
        "statusModule": {"overallStatus": _status(value.get("Status") or status_line)},
        "sponsorCollaboratorsModule": {"leadSponsor": {"name": value.get("Lead Sponsor")}},
        "descriptionModule": {
            "briefSummary": _available(value.get("Brief Summary")),
            "detailedDescription": _available(value.get("Detailed Description")),
        },
        "conditionsModule": {
            "conditions": [c.strip() for c in blocks.get("Conditions", []) if c.strip()]
        },
        "designModule": {
            "studyType": _upper(value.get("Study Type")),
            "phases": _phases(phase),
            "designInfo": {"interventionModel": _upper(value.get("Study Design"))},
            "enrollmentInfo": _enrolment(value.get("Target Recruitment")),
        },
        "armsInterventionsModule": {
            "armGroups": _arms(
                blocks.get("Arm && Interventions", blocks.get("Arms & Interventions", [])),
                interventions,
            ),
            "interventions": interventions,
        },
        "outcomesModule": {
            "primaryOutcomes": _outcomes(blocks.get("Primary Outcome Measures", [])),
            "secondaryOutcomes": _outcomes(blocks.get("Secondary Outcome Measures", [])),
            "otherOutcomes": _outcomes(blocks.get("Other Outcome Measures", [])),
        },
        "eligibilityModule": {
            "eligibilityCriteria": _criteria(blocks),
            "sex": _upper(value.get("Sex")),
        },
    }
    return section


def _blocks(lines: list[str]) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.strip() in _LABELS and line == line.strip():
            current = blocks.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    for name in (
        "Primary Outcome Measures",
        "Secondary Outcome Measures",
        "Other Outcome Measures",
    ):
        if name in blocks:  # the page's footer runs into the last table
            blocks[name] = [line.split("©")[0] for line in blocks[name]]
    return blocks


def _paragraphs(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def _available(text: str | None) -> str | None:
    return None if text is None or text.strip().lower() in _NOT_AVAILABLE else text


def _upper(text: str | None) -> str | None:
    return text.strip().upper().replace(" ", "_") if text and text.strip() else None


def _status(text: str | None) -> str | None:
    if not text:
        return None
    return text.strip().upper().replace(",", "").replace(" ", "_")


def _phases(text: str | None) -> list[str]:
    if text is None:
        return []
    if text.lower() == "not applicable":
        return ["NA"]
    early = text.lower().startswith("early")
    numbers = re.findall(r"[1-4]", text)
    return ["EARLY_PHASE1"] if early else [f"PHASE{n}" for n in numbers]


def _enrolment(text: str | None) -> dict[str, Any] | None:
    if text and text.strip().isdigit():
        return {"count": int(text.strip())}
    return None


def _interventions(lines: list[str]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        kind, colon, name = line.strip().partition(": ")
        if colon and name:
            out.append({"type": kind.upper().replace(" ", "_"), "name": name})
    return out


def _arms(lines: list[str], interventions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows "GROUPINTERVENTIONDESCRIPTION" cut at the intervention's name."""
    arms = []
    for line in lines:
        row = line.strip()
        if not row or row == "GroupInterventionDescription":
            continue
        for intervention in interventions:
            name = intervention["name"]
            at = row.find(name, 1)
            if at > 0:
                arm: dict[str, Any] = {
                    "label": row[:at],
                    "interventionNames": [
                        f"{intervention['type'].replace('_', ' ').title()}: {name}"
                    ],
                    GUESSED: True,
                }
                description = row[at + len(name) :]
                if description:
                    arm["description"] = description
                arms.append(arm)
                break
        else:
            arms.append({"label": row})
    return arms


def _outcomes(lines: list[str]) -> list[dict[str, Any]]:
    """Rows "MEASURETIME FRAME" cut where a time frame starts against the measure."""
    out = []
    for line in lines:
        row = line.strip()
        if not row or row == "NameTimeMethod":
            continue
        cut = _time_cut(row)
        if cut is None:
            out.append({"measure": row, GUESSED: True})
        else:
            out.append({"measure": row[:cut], "timeFrame": row[cut:], GUESSED: True})
    return out


def _time_cut(row: str) -> int | None:
    """Where the time frame starts: a time word glued to the end of the measure."""
    for found in _TIME_START.finditer(row):
        at = found.start()
        if at > 0 and row[at - 1] != " " and (row[at - 1].islower() or row[at - 1] in ".)]"):
            return at
    return None


def _criteria(blocks: dict[str, list[str]]) -> str:
    parts = []
    for label in ("Inclusion Criteria", "Exclusion Criteria"):
        if label in blocks:
            parts.append(label + ":\n" + "\n".join(blocks[label]).strip("\n"))
    return "\n\n".join(parts)
