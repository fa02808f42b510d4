"""The study design's structure: epochs, arms, elements, study cells, interventions.

Arms, epochs and elements keep the spec's names as their USDM `name` and its
labels as their `label`; a study cell is one arm in one epoch with the
elements the arm's steps place there, in the order written.  An intervention
becomes a StudyIntervention with one Administration per planned dose and the
AdministrableProduct it is given as.
"""

from __future__ import annotations

import itertools

from generators.usdm import terms
from generators.usdm.ids import Instances, Json
from protocol_dsl import model as m
from protocol_dsl.schedule.frequency import Frequency, frequency
from protocol_dsl.spec import Spec


class Design:
    """The ids of the design's parts, by the spec's names, for the parts that refer to them."""

    def __init__(self) -> None:
        self.epochs: dict[str, str] = {}
        self.arms: dict[str, str] = {}
        self.elements: dict[str, str] = {}
        self.interventions: dict[str, str] = {}


def epochs(spec: Spec, ids: Instances, design: Design) -> list[Json]:
    made = []
    for epoch in spec.epochs.values():
        kind = terms.EPOCH_TYPES.get(epoch.name.lower(), terms.EPOCH_DEFAULT)
        made.append(
            ids.make(
                "StudyEpoch",
                {
                    "name": epoch.name,
                    "label": epoch.label,
                    "description": epoch.label,
                    "type": ids.code(kind),
                    "previousId": None,
                    "nextId": None,
                    "notes": [],
                },
            )
        )
        design.epochs[epoch.name] = made[-1]["id"]
    chain(made)
    return made


def chain(instances: list[Json]) -> None:
    """Link each instance to the one before and after it (`previousId`, `nextId`)."""
    for before, after in itertools.pairwise(instances):
        before["nextId"] = after["id"]
        after["previousId"] = before["id"]


def transition(ids: Instances, kind: str, text: str | None) -> Json | None:
    if text is None:
        return None
    return ids.make(
        "TransitionRule",
        {"name": f"{kind}_{ids.next_id('Rule')}", "label": None, "description": None, "text": text},
    )


def elements(spec: Spec, ids: Instances, design: Design) -> list[Json]:
    """The elements some arm goes through (USDM places every element in a study cell)."""
    used = {step.element for arm in spec.arms.values() for step in arm.steps}
    made = []
    for element in spec.elements.values():
        if element.name not in used:
            continue
        made.append(
            ids.make(
                "StudyElement",
                {
                    "name": element.name,
                    "label": element.label,
                    "description": element.label,
                    "transitionStartRule": transition(ids, "ELEMENT_START", element.start),
                    "transitionEndRule": transition(ids, "ELEMENT_END", element.end),
                    "studyInterventionIds": [],
                    "notes": [],
                },
            )
        )
        design.elements[element.name] = made[-1]["id"]
    return made


def arms(spec: Spec, ids: Instances, design: Design) -> list[Json]:
    made = []
    for arm in spec.arms.values():
        kind = terms.ARM_TYPES.get(arm.type or "", terms.ARM_DEFAULT)
        made.append(
            ids.make(
                "StudyArm",
                {
                    "name": arm.name,
                    "label": arm.label,
                    "description": arm.description or arm.label,
                    "type": ids.code(kind),
                    "dataOriginDescription": "Data collected from the subjects of the study",
                    "dataOriginType": ids.code(terms.DATA_WITHIN_STUDY),
                    "populationIds": [],
                    "notes": [],
                },
            )
        )
        design.arms[arm.name] = made[-1]["id"]
    return made


def cells(spec: Spec, ids: Instances, design: Design) -> list[Json]:
    made = []
    for arm in spec.arms.values():
        by_epoch: dict[str, list[str]] = {}
        for step in arm.steps:
            if step.epoch in design.epochs and step.element in design.elements:
                by_epoch.setdefault(step.epoch, []).append(design.elements[step.element])
        for epoch, element_ids in by_epoch.items():
            made.append(
                ids.make(
                    "StudyCell",
                    {
                        "armId": design.arms[arm.name],
                        "epochId": design.epochs[epoch],
                        "elementIds": element_ids,
                    },
                )
            )
    return made


def _field_text(fields: m.Intervention, key: str) -> str | None:
    found = fields.field(key)
    if found is None:
        return None
    value = found.value
    return value.value if isinstance(value.value, str) else value.text


def _role(spec: Spec, intervention: m.Intervention) -> terms.Term:
    kinds = {arm.type for arm in spec.arms.values() if intervention.name in arm.receives}
    if "placebo" in intervention.name.lower() or (
        kinds & {"placebo", "placebo_comparator"} and ("experimental" not in kinds)
    ):
        return terms.PLACEBO_INTERVENTION
    if "experimental" not in kinds and kinds & {"active", "active_comparator"}:
        return terms.ACTIVE_COMPARATOR_INTERVENTION
    return terms.EXPERIMENTAL_INTERVENTION


def _dosage_form(intervention: m.Intervention) -> terms.Term | None:
    words = " ".join(
        text.lower()
        for text in (
            _field_text(intervention, "dosage_form"),
            intervention.label,
            _field_text(intervention, "route"),
        )
        if text
    )
    for word, term in terms.DOSAGE_FORM_WORDS:
        if word in words:
            return term
    return None


def quantity(ids: Instances, value: m.Quantity) -> Json:
    unit = terms.UNITS.get(value.unit)
    return ids.make(
        "Quantity",
        {"value": float(value.value), "unit": ids.alias(unit) if unit is not None else None},
    )


def products(spec: Spec, ids: Instances, made: dict[str, str]) -> list[Json]:
    """One AdministrableProduct per intervention whose dosage form has a CDISC term."""
    found = []
    for intervention in spec.interventions.values():
        form = _dosage_form(intervention)
        if form is None:
            continue
        found.append(
            ids.make(
                "AdministrableProduct",
                {
                    "name": intervention.name,
                    "label": intervention.label,
                    "description": _field_text(intervention, "dosage_form") or intervention.label,
                    "pharmacologicClass": None,
                    "administrableDoseForm": ids.alias(form),
                    "productDesignation": ids.code(terms.IMP),
                    "sourcing": None,
                    "properties": [],
                    "identifiers": [],
                    "ingredients": [],
                    "notes": [],
                },
            )
        )
        made[intervention.name] = found[-1]["id"]
    return found


def _frequency(spec: Spec, intervention: m.Intervention) -> Frequency | None:
    """The CDISC FREQ term of the intervention: its `frequency` if it starts with one,
    else the frequency of its dosing regimens when they all agree."""
    written = (_field_text(intervention, "frequency") or "").replace(";", " ").split()
    if written and (found := frequency(written[0].upper())) is not None:
        return found
    regimens = {
        str(f.value.value if isinstance(f.value.value, str) else f.value.text)
        for r in spec.regimens.values()
        if r.intervention == intervention.name and (f := r.field("frequency")) is not None
    }
    return frequency(regimens.pop().upper()) if len(regimens) == 1 else None


def _administration(
    ids: Instances,
    spec: Spec,
    intervention: m.Intervention,
    number: int,
    amount: m.Quantity | None,
    product_id: str | None,
) -> Json:
    route_word = _field_text(intervention, "route")
    route = terms.ROUTES.get((route_word or "").lower())
    written = _field_text(intervention, "frequency")
    found = _frequency(spec, intervention)
    # USDM pairs a dose with its route, frequency and product (CDISC rules DDF00177,
    # DDF00178, DDF00185): without a dose, the route and frequency are told in words
    dosed = amount is not None
    words = "; ".join(
        text for text in (f"route {route_word}" if route_word else None, written) if text
    )
    label = intervention.label or intervention.name
    return ids.make(
        "Administration",
        {
            "name": f"{intervention.name}_{number}",
            "label": f"{label} {amount}" if amount is not None else label,
            "description": words or None,
            "duration": ids.make(
                "Duration",
                {
                    "text": written or "Not stated in the protocol",
                    "quantity": None,
                    "durationWillVary": True,
                    "reasonDurationWillVary": "The protocol states the duration in words only",
                },
            ),
            "dose": quantity(ids, amount) if amount is not None else None,
            "route": ids.alias(route) if route is not None and dosed else None,
            "frequency": ids.alias(terms.Term(found.code, found.submission))
            if found is not None and dosed
            else None,
            "administrableProductId": product_id if dosed else None,
            "medicalDeviceId": None,
            "notes": [],
        },
    )


def interventions(
    spec: Spec, ids: Instances, design: Design, product_ids: dict[str, str]
) -> list[Json]:
    made = []
    for intervention in spec.interventions.values():
        kind = _field_text(intervention, "type") or ""
        doses = intervention.field("dose")
        amounts = [v.value for v in doses.values] if doses is not None else []
        planned: list[m.Quantity | None] = [a for a in amounts if isinstance(a, m.Quantity)]
        administrations = [
            _administration(
                ids, spec, intervention, number, amount, product_ids.get(intervention.name)
            )
            for number, amount in enumerate(planned or [None], start=1)
        ]
        made.append(
            ids.make(
                "StudyIntervention",
                {
                    "name": intervention.name,
                    "label": intervention.label,
                    "description": _field_text(intervention, "description") or intervention.label,
                    "role": ids.code(_role(spec, intervention)),
                    "type": ids.code(
                        terms.INTERVENTION_TYPES.get(kind, terms.INTERVENTION_TYPE_DEFAULT)
                    ),
                    "minimumResponseDuration": None,
                    "codes": [],
                    "administrations": administrations,
                    "notes": [],
                },
            )
        )
        design.interventions[intervention.name] = made[-1]["id"]
    return made
