"""The annotated blank CRF (`crf/annotated_crf.html`), as data managers read it.

One printable, self-contained HTML page: every form as a section (a new page
when printed) with its visits, then each question with a blank answer area
shaped by its type (boxes for numbers with the unit and allowed range, date
masks, a box per choice with the coded value), and beside it the annotation:
the variable in subject data (`form.item`), the REDCap variable where it
differs, the source-data target declared by the spec's mappings (e.g.
"DM.AGE"), and terminology codes.  Conditional questions say when they are
asked; the eligibility checklist shows each criterion's rule in plain words.

Everything from the spec is escaped by Jinja2's autoescape; the page has no
scripts and loads nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from generators import templates
from generators.crf.forms import (
    CrfField,
    CrfForm,
    code_text,
    condition_in_words,
    crf_forms,
    criterion_rule_in_words,
    mapping_targets,
    range_text,
    series_event,
    series_event_label,
    unit_text,
)
from generators.crf.redcap import variable_names
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

TEMPLATE = "acrf.html.j2"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    path = out_dir / "crf" / "annotated_crf.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(spec).encode("utf-8"))
    return [path]


def render(spec: Spec) -> str:
    environment = templates.environment(
        Path(__file__).parent / "templates",
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(TEMPLATE).render(**_page(spec))


def _page(spec: Spec) -> dict[str, Any]:
    forms = crf_forms(spec)
    names = variable_names(forms)
    targets = mapping_targets(spec)
    form_keys = {f.key for f in forms}
    other_targets = [
        f"{'.'.join(key)} → {target}"
        for key, texts in targets.items()
        if key[0] not in form_keys
        for target in texts
    ]
    trial = spec.trial

    def field_of(key: str) -> str | None:
        found = spec.trial_field(key)
        if found is None:
            return None
        mark = " (provisional)" if m.is_provisional(found.marks) else ""
        return f"{found.value.value}{mark}"

    identifiers = [
        (label, value)
        for label, value in (
            ("Trial", trial.name if trial else None),
            ("Sponsor protocol", field_of("sponsor_protocol_id")),
            ("Registry", field_of("registry")),
            ("Protocol version", field_of("version")),
            ("Version date", field_of("version_date")),
        )
        if value
    ]
    return {
        "title": field_of("title") or (trial.name if trial else spec.path),
        "identifiers": identifiers,
        "other_targets": other_targets,
        "forms": [_form(spec, form, names, targets) for form in forms],
    }


def _form(
    spec: Spec,
    form: CrfForm,
    names: dict[tuple[str, str], str],
    targets: dict[tuple[str, str], tuple[str, ...]],
) -> dict[str, Any]:
    visits = _visit_names(spec, form.visits)
    number = 0
    groups = []
    for group in form.groups:
        rows = []
        for field in group.fields:
            number += 1
            rows.append(_field(spec, form, field, number, names, targets))
        groups.append({"label": group.label, "fields": rows})
    return {
        "anchor": f"form-{form.storage_name}",
        "label": form.label,
        "key": form.storage_name,
        "repeating": form.repeating,
        "checklist": form.checklist,
        "visits": visits,
        "groups": groups,
    }


def _visit_names(spec: Spec, names: tuple[str, ...]) -> list[str]:
    """ "Screening (SCR)"; the visits of one repeating event said once, where the first
    falls: "Treatment cycle, Day 1 (C1D1–C17D1)"."""
    events: dict[str, list[str]] = {}
    for name in names:
        visit = spec.visits.get(name)
        key = series_event(visit) if visit is not None else None
        if key is not None:
            events.setdefault(key, []).append(name)
    out: list[str] = []
    for name in names:
        visit = spec.visits.get(name)
        key = series_event(visit) if visit is not None else None
        members = events.get(key, []) if key is not None else []
        if visit is not None and len(members) > 1:
            if name == members[0]:
                out.append(f"{series_event_label(spec, visit)} ({members[0]}–{members[-1]})")
        elif visit is not None and visit.label:
            out.append(f"{visit.label} ({name})")
        else:
            out.append(name)
    return out


def _field(
    spec: Spec,
    form: CrfForm,
    field: CrfField,
    number: int,
    names: dict[tuple[str, str], str],
    targets: dict[tuple[str, str], tuple[str, ...]],
) -> dict[str, Any]:
    variable = f"{form.storage_name}.{field.name}"
    if field.kind == "attestation":
        variable = f"attestations.{field.name}"  # where a subject record holds the attestation
    redcap = names[(form.storage_name, field.name)]
    annotations = [{"kind": "variable", "text": variable}]
    if redcap != field.name:
        annotations.append({"kind": "redcap", "text": f"REDCap {redcap}"})
    annotations += [{"kind": "sdtm", "text": t} for t in targets.get((form.key, field.name), ())]
    annotations += [{"kind": "code", "text": code_text(c)} for c in field.codes]
    notes = []
    condition = condition_in_words(field, spec)
    if condition:
        notes.append(f"Asked only when {condition}.")
    if field.visits:
        notes.append("Collected at " + ", ".join(field.visits) + " only.")
    rule = criterion_rule_in_words(field, spec)
    if rule:
        notes.append(rule)
    if field.provisional:
        notes.append("Provisional: illustrative, not from the source document.")
    return {
        "number": field.name if field.criterion is not None else str(number),
        "label": field.label,
        "required": field.required,
        "kind": field.kind,
        "unit": unit_text(field),
        "range": range_text(field),
        "choices": [
            {"label": c.label, "value": c.value}
            for c in (field.choices.choices if field.choices is not None else ())
        ],
        "attestation": (field.criterion.attestation if field.criterion is not None else None)
        or "Confirmed by the investigator",
        "criterion_met": field.criterion is not None and field.kind == "yes_no",
        "notes": notes,
        "annotations": annotations,
    }
