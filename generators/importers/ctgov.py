"""A draft spec from a ClinicalTrials.gov study record (`protocol import ctgov`).

The record is the data API v2 JSON of one study (`{"protocolSection": …}`, as
`registry/ctgov.json` writes it, or the API's `{"studies": [ … ]}` answer with
one study), or the text of a registry page (see `page`).  The draft carries
what the registry states: the header (identifiers, titles, sponsor, status and
dates, phase, design, enrolment, sex and ages, conditions), arms and
interventions, outcome measures as endpoints with their time frames, the
people and places (responsible party, contacts, sites, see `ctgov_people`),
the oversight answers, and the eligibility criteria, numbered in their order, each with its exact text and no
rule (`protocol check` lists them: N1110) until the writer formalises it.

It is written as source text and put in the canonical layout by the formatter,
so the draft is what `protocol fmt` would leave.  Where the importer guessed
(a date given to the month, a criterion without heading, outcome measures
standing for objectives) the draft says so with `provisional` and `question`;
what the language cannot carry is listed in the loss report, at the top of the
draft as comments and returned to the caller.  What the record marks as not
final (see `provisional`) comes back marked `provisional`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from generators.importers import page
from generators.importers.criteria import split_criteria, unescape_markup
from generators.importers.ctgov_people import People
from generators.importers.provisional import OUTCOME_NOTE, Labels, split_note
from generators.registries import ctgov as registry
from generators.registries.ctgov_people import DATES
from protocol_dsl import allocation as allocation_words
from protocol_dsl.errors import UserError
from protocol_dsl.fields import INTERVENTION_FIELDS, TRIAL_FIELDS
from protocol_dsl.inert_text import printable
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.keywords import keywords
from protocol_dsl.syntax.printer import quote


class RecordError(UserError):
    """The file is not a study record the importer can read."""


@attrs.frozen
class Draft:
    text: str
    #: what the record says that the draft does not carry, in plain words
    losses: tuple[str, ...]
    inclusions: int
    exclusions: int


def read_record(text: str) -> dict[str, Any]:
    """The record's `protocolSection`, from API JSON or from a registry page's text."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return page.protocol_section(text)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as error:
        raise RecordError(
            f"the record is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        studies = data["studies"]
        if len(studies) != 1:
            raise RecordError(
                f"the file holds {len(studies)} studies: import one study record at a time"
            )
        data = studies[0]
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("protocolSection"), dict):
        raise RecordError(
            "this is not a ClinicalTrials.gov study record: a record is a JSON object with a "
            '"protocolSection" (as the data API v2 returns one study)'
        )
    return data["protocolSection"]


def import_record(text: str) -> Draft:
    """The draft spec of a record given as JSON or page text."""
    return draft(read_record(text))


def draft(section: dict[str, Any]) -> Draft:
    writer = _Writer(section)
    source = writer.source()
    return Draft(
        format_source(source, "<draft>"),
        tuple(writer.losses),
        writer.inclusions,
        writer.exclusions,
    )


# ---------------------------------------------------------------- reading the record


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _str(data: Any, *path: str) -> str | None:
    value = _get(data, *path)
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _list(data: Any, *path: str) -> list[Any]:
    value = _get(data, *path)
    return value if isinstance(value, list) else []


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def identifier(text: str, fallback: str, taken: set[str]) -> str:
    """A name for a declaration from its label: letters, digits and `_`, not a keyword, unique."""
    base = _NOT_NAME.sub("_", text).strip("_")[:40].strip("_") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    if base in keywords():
        base = f"{base}_"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.lower())
    return name


def _choice(key: str, value: str | None) -> str | None:
    """A registry enumeration as the header's word (`NOT_YET_RECRUITING` → `not_yet_recruiting`)."""
    if value is None:
        return None
    word = value.strip().lower().replace(" ", "_").replace("-", "_")
    return word if word in TRIAL_FIELDS[key].choices else None


_PHASE_WORDS = {
    ("EARLY_PHASE1",): "0",
    ("PHASE1",): "1",
    ("PHASE1", "PHASE2"): "1/2",
    ("PHASE2",): "2",
    ("PHASE2", "PHASE3"): "2/3",
    ("PHASE3",): "3",
    ("PHASE4",): "4",
    ("NA",): "na",
}
_MASKING_WORDS = {v: k for k, v in registry.MASKING.items()}
_ARM_WORDS = {
    "EXPERIMENTAL": "experimental",
    "ACTIVE_COMPARATOR": "active_comparator",
    "PLACEBO_COMPARATOR": "placebo_comparator",
    "SHAM_COMPARATOR": "sham_comparator",
    "NO_INTERVENTION": "no_intervention",
}
_ROLE_WORDS = {role.ctgov: name for name, role in allocation_words.ROLES.items() if role.ctgov}
_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*")
_AGE_UNITS = {
    "year": "years", "years": "years", "month": "months", "months": "months",
    "week": "weeks", "weeks": "weeks", "day": "days", "days": "days",
    "hour": "hours", "hours": "hours", "minute": "minutes", "minutes": "minutes",
}  # fmt: skip
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


#: what the importer reads of each module (a `designInfo` entry: its own keys); a key
#: of the record outside these is reported as not carried
READ: dict[str, frozenset[str]] = {
    "identificationModule": frozenset(
        {"nctId", "orgStudyIdInfo", "secondaryIdInfos", "organization", "briefTitle"}
        | {"officialTitle", "acronym"}
    ),
    "statusModule": frozenset(
        {"overallStatus", "startDateStruct", "primaryCompletionDateStruct", "completionDateStruct"}
        | {"statusVerifiedDate", "whyStopped"}
    ),
    "sponsorCollaboratorsModule": frozenset({"responsibleParty", "leadSponsor", "collaborators"}),
    "oversightModule": frozenset({"oversightHasDmc", "isFdaRegulatedDrug", "isFdaRegulatedDevice"}),
    "descriptionModule": frozenset({"briefSummary", "detailedDescription"}),
    "conditionsModule": frozenset({"conditions", "keywords"}),
    "designModule": frozenset({"studyType", "phases", "designInfo", "enrollmentInfo"}),
    "designInfo": frozenset({"allocation", "interventionModel", "primaryPurpose", "maskingInfo"}),
    "armsInterventionsModule": frozenset({"armGroups", "interventions"}),
    "outcomesModule": frozenset({"primaryOutcomes", "secondaryOutcomes", "otherOutcomes"}),
    "eligibilityModule": frozenset(
        {"eligibilityCriteria", "healthyVolunteers", "sex", "minimumAge", "maximumAge"}
        | {"stdAges"}
    ),
    "contactsLocationsModule": frozenset({"centralContacts", "overallOfficials", "locations"}),
}
#: the registry's own bookkeeping (when the record was submitted, checked, posted):
#: about the record, not the protocol, so not worth a line of the loss report
BOOKKEEPING = frozenset(
    {"lastKnownStatus", "studyFirstSubmitDate", "studyFirstSubmitQcDate"}
    | {"studyFirstPostDateStruct", "lastUpdateSubmitDate", "lastUpdatePostDateStruct"}
    | {"resultsFirstSubmitDate", "resultsFirstSubmitQcDate", "resultsFirstPostDateStruct"}
    | {"dispFirstSubmitDate", "dispFirstSubmitQcDate", "dispFirstPostDateStruct"}
)


def unread(section: dict[str, Any]) -> list[str]:
    """The parts of the record the importer does not read, by the registry's names."""
    out = []
    for module, value in section.items():
        known = READ.get(module)
        if known is None:
            out.append(f"{module} (the whole module)")
            continue
        if not isinstance(value, dict):
            continue
        for key in value:
            if key not in known and key not in BOOKKEEPING:
                out.append(f"{module}.{key}")
        info = value.get("designInfo") if module == "designModule" else None
        if isinstance(info, dict):
            out.extend(f"designModule.designInfo.{k}" for k in info if k not in READ["designInfo"])
    return out


# ---------------------------------------------------------------- writing the draft


class _Writer:
    def __init__(self, section: dict[str, Any]) -> None:
        self.section = section
        self.losses: list[str] = []
        self.inclusions = 0
        self.exclusions = 0
        # arms and interventions are named apart (an arm may bear its drug's name)
        self.arm_names: set[str] = set()
        self.intervention_names: set[str] = set()
        self.masking_roles: list[str] = []
        # the closing paragraph of provisional entries is not description text
        description, flagged = split_note(_str(section, "descriptionModule", "detailedDescription"))
        self.description = description
        self.labels = Labels(flagged)

    def source(self) -> str:
        header = self._header()
        body = [
            *self._arms_and_interventions(),
            *self._criteria(),
            *self._objectives(),
        ]
        self.losses.extend(unread(self.section))
        self.losses.extend(
            f"provisional mark on {label} (not placed on the draft)"
            for label in self.labels.pending
        )
        lines = ["# Draft imported from a ClinicalTrials.gov registry record."]
        if self.losses:
            lines.append("# Not carried over (the language has no place for it):")
            lines.extend(f"#   - {_comment(loss)}" for loss in self.losses)
        return "\n".join(lines) + "\n\n" + header + "\n\n" + "\n\n".join(body) + "\n"

    # ---- header

    def _header(self) -> str:
        s = self.section
        ident = _get(s, "identificationModule") or {}
        fields: list[str] = []

        def add(key: str, value: str | None, marks: str = "", label: str | None = None) -> None:
            """One header line; marked provisional where the record lists it (by `label`,
            by default the field's name in words; "" when the caller marked it)."""
            if value is None:
                return
            flagged = self.labels.mark(key.replace("_", " ") if label is None else label)
            if marks.startswith(" provisional"):
                flagged = ""
            fields.append(f"  {key} {value}{flagged}{marks}")

        nct = _str(ident, "nctId")
        official = _str(ident, "officialTitle")
        brief = _str(ident, "briefTitle")
        org_id = _str(ident, "orgStudyIdInfo", "id")
        acronym = _str(ident, "acronym")
        add(
            "title",
            _q(official or brief),
            ""
            if official
            else _question(
                "The record gives only a brief title; the official title is still to be written."
            ),
        )
        if brief and brief != official:
            add("short_title", _q(brief))
        add("acronym", _q(acronym))
        for registry_id in [nct] + [
            _str(i, "id") for i in _list(ident, "secondaryIdInfos") if _str(i, "type") == "REGISTRY"
        ]:
            if registry_id:
                add(
                    "registry",
                    registry_id if _WORD.fullmatch(registry_id) else _q(registry_id),
                    label=f"registry {registry_id}",
                )
        for other in _list(ident, "secondaryIdInfos"):
            if _str(other, "type") != "REGISTRY" and _str(other, "id"):
                self.losses.append(f"secondary identifier {_str(other, 'id')}")
        add("sponsor_protocol_id", _q(org_id))
        sponsor = _str(s, "sponsorCollaboratorsModule", "leadSponsor", "name") or _str(
            ident, "organization", "fullName"
        )
        add("sponsor", _q(sponsor))
        sponsor_class = _str(s, "sponsorCollaboratorsModule", "leadSponsor", "class")
        add("sponsor_class", _choice("sponsor_class", sponsor_class))
        for collaborator in _list(s, "sponsorCollaboratorsModule", "collaborators"):
            name = _str(collaborator, "name")
            add("collaborator", _q(name), label=f"collaborator {name}")
        people = People(s, self.labels, self.losses)
        people.responsible_party(add)
        people.oversight(add)
        self._design(add)
        for condition in _list(s, "conditionsModule", "conditions"):
            text = condition if isinstance(condition, str) else None
            add("condition", _q(text), label=f"condition {text}")
        for keyword in _list(s, "conditionsModule", "keywords"):
            text = keyword if isinstance(keyword, str) else None
            add("keyword", _q(text), label=f"keyword {text}")
        self._eligibility_header(add)
        self._status(add)
        people.contacts_and_sites(add)
        add("summary", _q(_markup(_str(s, "descriptionModule", "briefSummary"))))
        add("description", _q(_markup(self.description)))
        name = identifier(acronym or org_id or nct or "IMPORTED", "TRIAL", set())
        return f"trial {name} {{\n" + "\n".join(fields) + "\n}"

    def _design(self, add: Any) -> None:
        design = _get(self.section, "designModule") or {}
        add("study_type", _choice("study_type", _str(design, "studyType")))
        phases = tuple(p for p in _list(design, "phases") if isinstance(p, str))
        if phases:
            phase = _PHASE_WORDS.get(phases)
            if phase is None:
                self.losses.append(f"phase {', '.join(phases)}")
            else:
                add("phase", _q(phase) if "/" in phase else phase)
        add("allocation", _choice("allocation", _str(design, "designInfo", "allocation")))
        add("model", _choice("model", _str(design, "designInfo", "interventionModel")))
        add("purpose", _choice("purpose", _str(design, "designInfo", "primaryPurpose")))
        masking = _MASKING_WORDS.get(_str(design, "designInfo", "maskingInfo", "masking") or "")
        add("masking", masking)
        self._masking_block(_get(design, "designInfo", "maskingInfo") or {})
        count = _get(design, "enrollmentInfo", "count")
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            # once enrolment has closed, an ACTUAL count is the number enrolled
            status = _choice("status", _str(self.section, "statusModule", "overallStatus"))
            actual = _str(design, "enrollmentInfo", "type") == "ACTUAL"
            planned = "enrolment" in self.labels.pending and "enrolled" not in self.labels.pending
            closed = status in registry.ENROLMENT_CLOSED
            add("enrolled" if closed and actual and not planned else "enrolment", str(count))

    def _masking_block(self, info: dict[str, Any]) -> None:
        roles = [_ROLE_WORDS[r] for r in _list(info, "whoMasked") if r in _ROLE_WORDS]
        description = _str(info, "maskingDescription")
        if description:
            also = re.fullmatch(r"Also masked: (.*)\.", description)
            words = {role.words: name for name, role in allocation_words.ROLES.items()}
            extra = [words.get(w) for w in also[1].split(", ")] if also else [None]
            if all(extra):
                roles += [e for e in extra if e]
            else:
                self.losses.append(f"masking description: {description}")
        self.masking_roles = roles

    def _eligibility_header(self, add: Any) -> None:
        module = _get(self.section, "eligibilityModule") or {}
        add("sex", _choice("sex", _str(module, "sex")))
        healthy = _get(module, "healthyVolunteers")
        if isinstance(healthy, bool):
            add("healthy_volunteers", "yes" if healthy else "no")
        ages = {}
        for key, field in (("minimumAge", "minimum_age"), ("maximumAge", "maximum_age")):
            text = _str(module, key)
            age = _age(text)
            if text and age is None:
                self.losses.append(f"{key} '{text}' (not an age in years, months, weeks or days)")
            add(field, age)
            ages[field] = age
        stated = [g for g in _list(module, "stdAges") if isinstance(g, str)]
        groups = {
            v: k
            for k, v in {"child": "CHILD", "adult": "ADULT", "older_adult": "OLDER_ADULT"}.items()
        }
        if stated and stated != _implied_groups(ages["minimum_age"], ages["maximum_age"]):
            words = [groups[g] for g in stated if g in groups]
            if words:
                add("age_group", ", ".join(words))

    def _status(self, add: Any) -> None:
        status = _get(self.section, "statusModule") or {}
        overall = _str(status, "overallStatus")
        word = _choice("status", overall)
        if overall and word is None:
            self.losses.append(f"overall status {overall}")
        add("status", word)
        add("why_stopped", _q(_str(status, "whyStopped")))
        self._verified(add, _str(status, "statusVerifiedDate"))
        for field, key, actual in DATES:
            date = _str(status, key, "date")
            if date is None:
                continue
            if _FULL_DATE.fullmatch(date):
                add(field, date)
            elif _MONTH.fullmatch(date):
                add(
                    field,
                    f"{date}-01",
                    " provisional"
                    + _question(
                        f"The record gives the month only ({date}); the first of the month is a "
                        "placeholder."
                    ),
                )
            else:
                self.losses.append(f"{key} '{date}'")
                continue
            kind = _str(status, key, "type")
            derived = None if word is None else "ACTUAL" if word in actual else "ESTIMATED"
            if kind is not None and kind != derived:
                self.losses.append(
                    f"{key} type {kind} (the spec derives it from the status: "
                    f"{derived or 'unknown without one'})"
                )
        enrolment = _str(self.section, "designModule", "enrollmentInfo", "type")
        if enrolment and word is not None:
            closed = word in registry.ENROLMENT_CLOSED or word == "withdrawn"
            expected = "ACTUAL" if closed else "ESTIMATED"
            if enrolment != expected:
                self.losses.append(
                    f"enrolment type {enrolment} (the spec derives {expected} from the status)"
                )

    def _verified(self, add: Any, verified: str | None) -> None:
        """The record verification date (a month) as `verification_date`, or as the version
        date where the record flags that the month came from it."""
        if verified is None:
            return
        if not (_MONTH.fullmatch(verified) or _FULL_DATE.fullmatch(verified)):
            self.losses.append(f"statusVerifiedDate '{verified}'")
            return
        pending = self.labels.pending
        from_version = "version date" in pending and "verification date" not in pending
        add(
            "version_date" if from_version else "verification_date",
            verified if _FULL_DATE.fullmatch(verified) else f"{verified}-01",
            _question(
                f"The record was verified in {verified[:7]}"
                + (", the month of the protocol version" if from_version else "")
                + "; the day is a placeholder."
            ),
        )

    # ---- arms and interventions

    def _arms_and_interventions(self) -> list[str]:
        module = _get(self.section, "armsInterventionsModule") or {}
        interventions = [i for i in _list(module, "interventions") if isinstance(i, dict)]
        by_reference: dict[str, str] = {}
        blocks = []
        for intervention in interventions:
            label = _str(intervention, "name") or "Intervention"
            kind = (_str(intervention, "type") or "OTHER").lower()
            name = identifier(label, "intervention", self.intervention_names)
            reference = f"{kind.replace('_', ' ').title()}: {label}"
            by_reference[reference] = name
            by_reference.setdefault(label, name)
            fields = [f"  type {kind}"] if kind in TRIAL_TYPE_WORDS else []
            if kind not in TRIAL_TYPE_WORDS:
                self.losses.append(f"intervention type {kind.upper()} of {label}")
            description = _str(intervention, "description")
            if description:
                fields.append(f"  description {_q(description)}")
            for other in _list(intervention, "otherNames"):
                self.losses.append(f"other name '{other}' of intervention {label}")
            blocks.append(f"intervention {name} {_q(label)} {{\n" + "\n".join(fields) + "\n}")
        arms = []
        for arm in [a for a in _list(module, "armGroups") if isinstance(a, dict)]:
            arm_label = _str(arm, "label") or "Arm"
            name = identifier(arm_label, "arm", self.arm_names)
            parts = [f"arm {name} {_q(arm_label)}"]
            arm_type = _ARM_WORDS.get(_str(arm, "type") or "")
            if arm_type:
                parts.append(f"type {arm_type}")
            received = []
            for reference in _list(arm, "interventionNames"):
                found = by_reference.get(reference) if isinstance(reference, str) else None
                if found is None:
                    self.losses.append(
                        f"intervention '{reference}' of arm {arm_label} (not listed)"
                    )
                elif found not in received:
                    received.append(found)
            if received:
                parts.append("receives " + ", ".join(received))
            description = _str(arm, "description")
            if description:
                parts.append(f"description {_q(description)}")
            if arm.get(page.GUESSED):
                parts.append(
                    _question(
                        "The page ran the table's cells together: the split between group, "
                        "intervention and description is a guess."
                    ).strip()
                )
            arms.append(" ".join(parts))
        if self.masking_roles:
            arms.append("masking {\n  blinded " + ", ".join(self.masking_roles) + "\n}")
        return arms + blocks

    # ---- criteria

    def _criteria(self) -> list[str]:
        text = _str(self.section, "eligibilityModule", "eligibilityCriteria")
        if text is None:
            return []
        out = []
        for criterion in split_criteria(text):
            if criterion.kind == "inclusion":
                self.inclusions += 1
                name = f"I{self.inclusions}"
            else:
                self.exclusions += 1
                name = f"E{self.exclusions}"
            marks = ""
            if criterion.guessed:
                marks = _question(
                    f"The record does not mark this text as an {criterion.kind} criterion "
                    "of its list: is it one?"
                )
            out.append(f"{criterion.kind} {name} {_q(criterion.text)}{marks}")
        return out

    # ---- outcomes

    def _objectives(self) -> list[str]:
        module = _get(self.section, "outcomesModule") or {}
        out = []
        number = 0
        for key, level in (
            ("primaryOutcomes", "primary"),
            ("secondaryOutcomes", "secondary"),
            ("otherOutcomes", "exploratory"),
        ):
            outcomes = [o for o in _list(module, key) if isinstance(o, dict) and _str(o, "measure")]
            if not outcomes:
                continue
            endpoints = []
            for outcome in outcomes:
                number += 1
                clause = ""
                frame = _str(outcome, "timeFrame")
                if frame:
                    clause = f" timeframe {_q(frame)}"
                measure = _str(outcome, "measure")
                description = _str(outcome, "description")
                if description == OUTCOME_NOTE:  # the record's note: not final in the protocol
                    self.labels.take(f"{_LEVEL_LABELS[level]} outcome “{measure}”")
                    clause += " provisional"  # marks come last, provisional before question
                    description = None
                if outcome.get(page.GUESSED):
                    clause += _question(
                        "The page ran the table's cells together: the split between measure "
                        "and time frame is a guess."
                    )
                endpoints.append(f"  endpoint EP{number} {_q(measure)}{clause}")
                if description:
                    self.losses.append(
                        f"description of outcome measure '{_str(outcome, 'measure')}'"
                    )
            words = {"primary": "Primary", "secondary": "Secondary", "exploratory": "Other"}[level]
            out.append(
                f"objective {level.upper()} {level} {_q(words + ' outcome measures of the registry record')}"
                + _question(
                    "A registry record lists outcome measures, not objectives: "
                    "state the objective these endpoints serve."
                )
                + " {\n"
                + "\n".join(endpoints)
                + "\n}"
            )
        return out


TRIAL_TYPE_WORDS = INTERVENTION_FIELDS["type"].choices
#: an outcome level as the record's list of provisional entries names it
_LEVEL_LABELS = {"primary": "primary", "secondary": "secondary", "exploratory": "other"}


def _implied_groups(minimum: str | None, maximum: str | None) -> list[str]:
    """The registry's age groups an age range overlaps (as the registry record derives them)."""
    if minimum is None and maximum is None:
        return []
    low = _years(minimum) or Decimal(0)
    high = _years(maximum)
    return [
        name
        for name, start, end in registry.STD_AGES
        if (high is None or start <= high) and (end is None or low <= end)
    ]


_PER_YEAR: dict[str, Decimal] = {
    "years": Decimal(1),
    "months": Decimal(12),
    "weeks": Decimal("52.1775"),
    "days": Decimal("365.25"),
    "hours": Decimal(8766),
    "minutes": Decimal(525960),
}


def _years(age: str | None) -> Decimal | None:
    if age is None:
        return None
    number, unit = age.split()
    return Decimal(number) / _PER_YEAR[unit]


def _age(text: str | None) -> str | None:
    """ "18 Years" → `18 years`; None for what is not an age."""
    if text is None:
        return None
    found = _AGE.fullmatch(text)
    if found is None or found[2].lower() not in _AGE_UNITS:
        return None
    try:
        Decimal(found[1])
    except InvalidOperation:
        return None
    return f"{found[1]} {_AGE_UNITS[found[2].lower()]}"


def _markup(text: str | None) -> str | None:
    """A markup field's text (the summary, the description): its escapes undone."""
    return None if text is None else unescape_markup(text)


def _q(text: str | None) -> str | None:
    return None if text is None else quote(text)


def _question(text: str) -> str:
    return f" question {quote(text)}"


def _comment(text: str) -> str:
    """One comment line: line breaks folded so that a record's text cannot end the comment,
    and the characters that act rather than show (a NUL, which no spec file may hold) left
    out."""
    return " ".join(printable(text).split())
