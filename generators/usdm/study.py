"""The whole USDM v4 document of a spec: the Wrapper, the Study, its version and design.

The header fields give the identifiers (the sponsor's protocol id, registry
ids), titles, organisations and the design's codes (type, phase, model,
blinding, intent, trial types); `design`, `schedule`, `concepts` and `content`
make the rest.  Text from the spec goes in as plain text, never markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generators.usdm import concepts as concept_parts
from generators.usdm import content as content_parts
from generators.usdm import design as design_parts
from generators.usdm import extensions, terms
from generators.usdm import schedule as schedule_parts
from generators.usdm.concepts import CODE_SYSTEMS
from generators.usdm.ids import Instances, Json
from protocol_dsl import __version__
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

USDM_VERSION = "4.0.0"
SYSTEM_NAME = "protocol-dsl"


def _text(spec: Spec, key: str) -> str | None:
    found = spec.trial_field(key)
    if found is None:
        return None
    value = found.value.value
    return value if isinstance(value, str) else found.value.text


def _texts(spec: Spec, key: str) -> list[m.Field]:
    trial = spec.trial
    return list(trial.all(key)) if trial is not None else []


def document(spec: Spec) -> dict[str, Any]:
    """The USDM Wrapper of `spec`: `{"study": …, "usdmVersion": "4.0.0", …}`."""
    ids = Instances()
    study_id = ids.next_id("Study")
    version_id = ids.next_id("StudyVersion")
    design_id = ids.next_id("InterventionalStudyDesign")
    name = spec.trial.name if spec.trial is not None else "STUDY"

    organisations, identifiers = _organisations(spec, ids, name)
    titles = _titles(spec, ids, name)
    design = design_parts.Design()
    epochs = design_parts.epochs(spec, ids, design)
    elements = design_parts.elements(spec, ids, design)
    arms = design_parts.arms(spec, ids, design)
    cells = design_parts.cells(spec, ids, design)
    product_ids: dict[str, str] = {}
    products = design_parts.products(spec, ids, product_ids)
    interventions = design_parts.interventions(spec, ids, design, product_ids)
    concepts = concept_parts.build(spec, ids)
    schedule = schedule_parts.build(spec, ids, design, concepts)
    content = content_parts.Content()
    content_parts.eligibility(spec, ids, content)
    content_parts.objectives(spec, ids, content)
    population = content_parts.study_population(spec, ids, [c["id"] for c in content.criteria])
    content_parts.analysis_populations(spec, ids, content, population["id"])
    content_parts.estimands(spec, ids, design, content)
    roles = _roles(spec, ids, version_id, design_id, organisations)
    rationale = _text(spec, "description") or _text(spec, "summary") or ""

    # attributes USDM requires and the spec does not state are filled in and named here
    unstated = [
        key for key in ("model", "sponsor", "sponsor_protocol_id") if spec.trial_field(key) is None
    ]
    study_design = {
        "id": design_id,
        "extensionAttributes": [ids.text_extension(extensions.NOT_IN_SPEC, ", ".join(unstated))]
        if unstated
        else [],
        "name": f"{name} design",
        "label": _text(spec, "short_title") or _text(spec, "title"),
        "description": _text(spec, "summary"),
        "studyType": _code_of(ids, terms.STUDY_TYPES, _text(spec, "study_type")),
        "studyPhase": _phase(spec, ids),
        "therapeuticAreas": [],
        "characteristics": _characteristics(spec, ids),
        "encounters": schedule.encounters,
        "activities": schedule.activities,
        "arms": arms,
        "studyCells": cells,
        "rationale": rationale,
        "epochs": epochs,
        "elements": elements,
        "estimands": content.estimands,
        "indications": _indications(spec, ids),
        "studyInterventionIds": [i["id"] for i in interventions],
        "objectives": content.objectives,
        "population": population,
        "scheduleTimelines": schedule.timelines,
        "biospecimenRetentions": [],
        "documentVersionIds": [],
        "eligibilityCriteria": content.criteria,
        "analysisPopulations": content.analysis_populations,
        "notes": [],
        "instanceType": "InterventionalStudyDesign",
        "subTypes": [
            ids.code(terms.TRIAL_TYPES[v.text])
            for f in _texts(spec, "trial_type")
            for v in f.values
            if v.text in terms.TRIAL_TYPES
        ],
        "model": ids.code(terms.MODELS.get(_text(spec, "model") or "", terms.MODEL_DEFAULT)),
        "intentTypes": [ids.code(terms.INTENTS[p])]
        if (p := _text(spec, "purpose") or "") in terms.INTENTS
        else [],
        "blindingSchema": ids.alias(terms.BLINDING[b])
        if (b := _text(spec, "masking") or "") in terms.BLINDING
        else None,
    }
    version = {
        "id": version_id,
        "extensionAttributes": [],
        "versionIdentifier": _text(spec, "version") or "not stated",
        "rationale": rationale,
        "documentVersionIds": [],
        "dateValues": _dates(spec, ids),
        "amendments": [],
        "businessTherapeuticAreas": [],
        "studyIdentifiers": identifiers,
        "referenceIdentifiers": [],
        "studyDesigns": [study_design],
        "titles": titles,
        "eligibilityCriterionItems": content.items,
        "narrativeContentItems": [],
        "abbreviations": [],
        "roles": roles,
        "organizations": organisations,
        "studyInterventions": interventions,
        "administrableProducts": products,
        "medicalDevices": [],
        "productOrganizationRoles": [],
        "biomedicalConcepts": concepts.concepts,
        "bcCategories": [],
        "bcSurrogates": concepts.surrogates,
        "dictionaries": [],
        "conditions": [],
        "notes": [],
        "instanceType": "StudyVersion",
    }
    study = {
        "id": study_id,
        "extensionAttributes": [],
        "name": name,
        "description": _text(spec, "summary"),
        "label": _text(spec, "title"),
        "versions": [version],
        "documentedBy": [],
        "instanceType": "Study",
    }
    return {
        "study": study,
        "usdmVersion": USDM_VERSION,
        "systemName": SYSTEM_NAME,
        "systemVersion": __version__,
    }


def _code_of(ids: Instances, table: dict[str, terms.Term], word: str | None) -> Json | None:
    return ids.code(table[word]) if word in table else None


def _phase(spec: Spec, ids: Instances) -> Json | None:
    phase = spec.trial_field("phase")
    if phase is None:
        return None
    term = terms.PHASES.get(phase.value.text.strip('"').lower())
    return ids.alias(term) if term is not None else None


def _characteristics(spec: Spec, ids: Instances) -> list[Json]:
    """Randomised, or stratified randomised: one of the two (CDISC rule DDF00258)."""
    randomisation = spec.randomisation
    if randomisation is not None and randomisation.factors:
        return [ids.code(terms.STRATIFIED)]
    if _text(spec, "allocation") == "randomized" or randomisation is not None:
        return [ids.code(terms.RANDOMISED)]
    return []


def _organisations(spec: Spec, ids: Instances, name: str) -> tuple[list[Json], list[Json]]:
    sponsor = _text(spec, "sponsor") or name
    organisations = [
        ids.make(
            "Organization",
            {
                "name": sponsor,
                "label": sponsor,
                "type": ids.code(terms.SPONSOR_ORGANISATION),
                "identifierScheme": "Sponsor name",
                "identifier": sponsor,
                "legalAddress": None,
                "managedSites": [],
            },
        )
    ]
    identifiers = [
        ids.make(
            "StudyIdentifier",
            {
                "text": _text(spec, "sponsor_protocol_id") or name,
                "scopeId": organisations[0]["id"],
            },
        )
    ]
    for registry in _texts(spec, "registry"):
        text = (
            str(registry.value.value)
            if isinstance(registry.value.value, str)
            else registry.value.text
        )
        register = (
            "ClinicalTrials.gov" if text.upper().startswith("NCT") else "Clinical study registry"
        )
        organisations.append(
            ids.make(
                "Organization",
                {
                    "name": register,
                    "label": register,
                    "type": ids.code(terms.REGISTRY_ORGANISATION),
                    "identifierScheme": "Registry name",
                    "identifier": register,
                    "legalAddress": None,
                    "managedSites": [],
                },
            )
        )
        identifiers.append(
            ids.make("StudyIdentifier", {"text": text, "scopeId": organisations[-1]["id"]})
        )
    return organisations, identifiers


def _titles(spec: Spec, ids: Instances, name: str) -> list[Json]:
    titles = []
    for key, term in (
        ("title", terms.OFFICIAL_TITLE),
        ("short_title", terms.BRIEF_TITLE),
        ("acronym", terms.ACRONYM),
    ):
        text = _text(spec, key)
        if text is not None:
            titles.append(ids.make("StudyTitle", {"text": text, "type": ids.code(term)}))
    if not titles:
        titles.append(ids.make("StudyTitle", {"text": name, "type": ids.code(terms.BRIEF_TITLE)}))
    return titles


def _indications(spec: Spec, ids: Instances) -> list[Json]:
    made = []
    for number, condition in enumerate(_texts(spec, "condition"), start=1):
        text = str(condition.value.value)
        made.append(
            ids.make(
                "Indication",
                {
                    "name": f"IND{number}",
                    "label": text,
                    "description": text,
                    "codes": [
                        concept_parts.code(ids, c, text)
                        for c in condition.codes
                        if c.system.upper() in CODE_SYSTEMS
                    ],
                    "isRareDisease": False,
                    "notes": [],
                },
            )
        )
    return made


def _dates(spec: Spec, ids: Instances) -> list[Json]:
    found = spec.trial_field("version_date")
    if found is None or not isinstance(found.value.value, dt.date):
        return []
    return [
        ids.make(
            "GovernanceDate",
            {
                "name": "PROTOCOL_VERSION_DATE",
                "label": "Protocol version date",
                "description": None,
                "type": ids.code(terms.Term("C215664", "Issued Date")),
                "dateValue": found.value.value.isoformat(),
                "geographicScopes": [
                    ids.make(
                        "GeographicScope",
                        {"type": ids.code(terms.Term("C68846", "Global")), "code": None},
                    )
                ],
            },
        )
    ]


def _roles(
    spec: Spec, ids: Instances, version_id: str, design_id: str, organisations: list[Json]
) -> list[Json]:
    masking = spec.masking
    blinded = set(masking.roles) if masking is not None else set()
    roles = [
        _role(ids, terms.SPONSOR_ROLE, [version_id], [organisations[0]["id"]], "sponsor" in blinded)
    ]
    for word, term in terms.MASKED_ROLES.items():
        if word in blinded and word != "sponsor":
            roles.append(_role(ids, term, [design_id], [], True))
    return roles


def _role(
    ids: Instances, term: terms.Term, applies: list[str], organisations: list[str], masked: bool
) -> Json:
    return ids.make(
        "StudyRole",
        {
            "name": term.decode.upper().replace(" ", "_"),
            "label": term.decode,
            "description": None,
            "code": ids.code(term),
            "appliesToIds": applies,
            "assignedPersons": [],
            "organizationIds": organisations,
            "masking": ids.make(
                "Masking", {"text": "Blinded" if masked else "Not blinded", "isMasked": masked}
            )
            if masked
            else None,
            "notes": [],
        },
    )
