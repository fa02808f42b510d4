"""The JSON Schema (2020-12) of one subject record, derived from the data dictionary.

This module owns the written contract of the subject record every back end
reads: forms keyed by storage name; a non-repeating form maps each of its
visits to a record, a repeating form is a list of records; items typed from
the dictionary (quantities as a number in the declared unit or
``{"value": n, "unit": "UCUM"}``, code lists as enums, ranges as
minimum/maximum, dates as ``format: date`` with a pattern, titers as ``1:N``);
required items are required.  Missing values may be absent or null.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.spec import FormUse, Scope, Spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
#: A date that may be known to the month or the year only (an item declared `partial`).
PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$"
TITER_PATTERN = r"^1:\d+$"


def json_schema(spec: Spec) -> dict[str, Any]:
    """The schema of one subject record of ``spec``, as a JSON-ready dict."""
    trial = spec.trial.name if spec.trial is not None else "trial"
    defs: dict[str, Any] = {
        "date": {"type": ["string", "null"], "format": "date", "pattern": DATE_PATTERN},
        "yes_no": {"enum": [True, False, "yes", "no", None]},
        "titer": {
            "anyOf": [
                {"type": "string", "pattern": TITER_PATTERN},
                {"type": "integer", "minimum": 1},
                {"type": "null"},
            ]
        },
    }
    forms: dict[str, Any] = {}
    for use in spec.form_uses:
        forms[use.storage_name] = _form_schema(spec, use, defs)
    visits = {
        visit.name: {"$ref": "#/$defs/date", "description": visit.label or visit.name}
        for visit in spec.visit_order
    }
    attested = {
        c.id: {"$ref": "#/$defs/yes_no", "description": c.attestation or c.text}
        for c in spec.criteria
        if c.attested
    }
    properties: dict[str, Any] = {
        "subject_id": {"type": "string", "minLength": 1, "description": "Subject identifier"},
        "visits": {
            "type": "object",
            "description": "Actual date of each visit the subject attended",
            "properties": visits,
            "additionalProperties": False,
        },
        "forms": {
            "type": "object",
            "description": "Collected data, one entry per form (by storage name)",
            "properties": forms,
            "additionalProperties": False,
        },
        "attestations": {
            "type": "object",
            "description": "Investigator attestations of the criteria that are not computed",
            "properties": attested,
            "additionalProperties": False,
        },
    }
    if spec.arms:
        properties["arm"] = {
            "description": "The arm the subject is assigned to",
            "enum": [*spec.arms, None],
        }
    finding = spec.dose_finding
    if finding is not None and finding.levels:
        properties["dose_level"] = {
            "description": "The dose level of the subject's cohort",
            "enum": [*(level.name for level in finding.levels), None],
        }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:protocol-dsl:{trial}:subject-record",
        "title": f"Subject record of {trial}",
        "type": "object",
        "required": ["subject_id"],
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }


def _form_schema(spec: Spec, use: FormUse, defs: dict[str, Any]) -> dict[str, Any]:
    form = use.form
    title = form.label or form.name
    if use.repeating:
        return {
            "type": ["array", "null"],
            "title": title,
            "description": log_description(form),
            "items": _record_schema(spec, use, None),
        }
    by_visit = {visit: _record_schema(spec, use, visit) for visit in use.visits}
    return {
        "type": ["object", "null"],
        "title": title,
        "description": f"Collected at {', '.join(use.visits)}" if use.visits else title,
        "properties": by_visit,
        "additionalProperties": False,
    }


def log_description(form: m.Form) -> str:
    """What an absent, null or empty log means (docs/screening.md, "Logs")."""
    text = (
        "A log: the list is the subject's records, all of them. Absent or null: not "
        "recorded (unknown). A null record is a record whose values are unknown."
    )
    question = form.none_recorded_by
    if question is None:
        return text + " An empty list is not recorded either: this log cannot record none."
    return (
        text + f" An empty list means none only when {question.dotted} is no; "
        "otherwise it is not recorded."
    )


def _record_schema(spec: Spec, use: FormUse, visit: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for item in use.form.items:
        alone = use.item_visits(item)
        if visit is not None and alone is not None and visit not in alone:
            continue
        properties[item.name] = item_schema(use.owner, item)
        if item.required and item.when is None:
            required.append(item.name)
    schema: dict[str, Any] = {
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def item_schema(owner: Spec, item: m.Item) -> dict[str, Any]:
    """The schema of one item's value (missing: absent or null)."""
    kind = item.type.kind
    label = item.label or item.name
    schema: dict[str, Any]
    bounds = _bounds(item)
    if kind == "quantity":
        unit = item.type.unit or "1"
        number: dict[str, Any] = {"type": "number", **bounds}
        schema = {
            "anyOf": [
                number,
                {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number"},
                        "unit": {"type": "string", "minLength": 1},
                    },
                    "required": ["value"],
                    "additionalProperties": False,
                },
                {"type": "null"},
            ],
            "x-unit": unit,
        }
        label = f"{label} ({unit})"
    elif kind in ("number", "integer"):
        schema = {"type": [kind, "null"], **bounds}
    elif kind == "date" and item.partial:
        # no `format: date`: "2019-06" and "2019" are valid values of a partial date
        schema = {"type": ["string", "null"], "pattern": PARTIAL_DATE_PATTERN}
        rule = f"; imputed to the {item.impute} day of its period" if item.impute else ""
        label = f"{label} (a date, or its year and month, or its year{rule})"
    elif kind == "date":
        schema = {"$ref": "#/$defs/date"}
    elif kind == "datetime":
        schema = {"type": ["string", "null"], "format": "date-time"}
    elif kind == "yes_no":
        schema = {"$ref": "#/$defs/yes_no"}
    elif kind == "titer":
        schema = {"$ref": "#/$defs/titer"}
    elif kind == "choice":
        entries: list[Any] = []
        if item.type.codelist is not None:
            symbol = owner.resolve(item.type.codelist.parts, Scope(owner))
            if symbol is not None and symbol.codelist is not None:
                entries = [e.name for e in symbol.codelist.entries]
        schema = {"enum": [*entries, None]}
    else:
        schema = {"type": ["string", "null"]}
    schema["description"] = label
    return schema


def _bounds(item: m.Item) -> dict[str, Any]:
    if item.range is None:
        return {}
    unit = item.type.unit
    low, high = (_number(item.range.low, unit), _number(item.range.high, unit))
    return {"minimum": low, "maximum": high}


def _number(bound: Any, unit: str | None) -> int | float:
    if isinstance(bound, m.Quantity):
        value = float(bound.value)
        if unit and bound.unit != unit:
            from protocol_dsl.semantics import units

            value = units.convert(value, bound.unit, unit)
    else:
        value = float(bound)
    return int(value) if value == int(value) else value


def schema_text(spec: Spec) -> str:
    """The schema as deterministic JSON text (sorted keys, two-space indent)."""
    return json.dumps(json_schema(spec), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "subject.schema.json"
    path.write_text(schema_text(spec), encoding="utf-8")
    return [path]
