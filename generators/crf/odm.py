"""CDISC ODM 1.3.2 metadata of the trial's case report forms (`crf/odm.xml`).

This module owns the ODM rendering of the forms in `forms.crf_forms`:
Study / GlobalVariables / BasicDefinitions (one MeasurementUnit per unit used)
/ MetaDataVersion with the Protocol (study events in visit order), one
StudyEventDef per visit written one by one, one repeating StudyEventDef
(Repeating="Yes", Type="Scheduled") per visit of a cycle and per repeat, whose
instances are the visits the cycle or repeat yields (C1D1 … C17D1 are
instances of "Treatment cycle, Day 1"), FormDef, ItemGroupDef, ItemDef (data type, question,
unit, range checks, code list, terminology codes as Alias), CodeList, and a
ConditionDef for every item asked only under a condition.

Choices for yes/no and code-list items are coded by the code-list entry name
("female", "yes"), the value a subject record holds, so ODM clinical data and
subject records read the same.  Repeating forms (medications, adverse events)
have one repeating item group.  Items with a `when` condition carry a
CollectionExceptionCondition whose FormalExpression is the negated condition in
the spec's own syntax (context "protocol-dsl").

The file is deterministic: OIDs are built from names (made unique with a
numeric suffix in order of appearance), attributes are written in a fixed
order, and CreationDateTime is the protocol version date (1970-01-01 when the
spec has none), never the time of the build.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from generators.crf.forms import (
    ChoiceList,
    CrfField,
    CrfForm,
    choice_lists,
    condition_in_words,
    crf_forms,
    criterion_rule_in_words,
    measurement_units,
    range_text,
    series_event,
    series_event_label,
)
from generators.documents.timing import cycle_words, repeat_words
from protocol_dsl import model as m
from protocol_dsl.semantics.words import unit_in_words
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXPRESSION_CONTEXT = "protocol-dsl"
_EPOCH = "1970-01-01T00:00:00"

_DATA_TYPES: dict[str, str] = {
    "number": "float",
    "integer": "integer",
    "quantity": "float",
    "date": "date",
    "datetime": "datetime",
    "yes_no": "text",
    "choice": "text",
    "titer": "text",
    "text": "text",
    "attestation": "boolean",
}

# Characters XML 1.0 cannot carry at all; a spec text containing one is written without it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def build(spec: Spec, out_dir: Path) -> list[Path]:
    path = out_dir / "crf" / "odm.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(odm_bytes(spec))
    return [path]


def odm_bytes(spec: Spec) -> bytes:
    """The ODM document, UTF-8, two-space indented."""
    root = _Odm(spec).document()
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


class _Oids:
    """Deterministic, unique OIDs made from names."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, ...], str] = {}
        self._used: set[str] = set()

    def get(self, kind: str, *parts: str) -> str:
        key = (kind, *parts)
        if key not in self._by_key:
            base = ".".join([kind, *(_OID_UNSAFE.sub("_", p) or "_" for p in parts)])
            oid, suffix = base, 2
            while oid in self._used:
                oid, suffix = f"{base}_{suffix}", suffix + 1
            self._used.add(oid)
            self._by_key[key] = oid
        return self._by_key[key]


def _unit_slug(unit: str) -> str:
    """A readable OID part for a UCUM unit: "mg/dL" -> "mg.per.dL", "%" -> "pct"."""
    slug = unit.replace("%", "pct").replace("/", ".per.").replace("*", "e").replace("^", "e")
    return re.sub(r"[\[\]{}]", "", slug) or "unit"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _element(parent: ET.Element, tag: str, attributes: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ODM_NS}}}{tag}")
    for name, value in (attributes or {}).items():
        element.set(name, _text(value))
    return element


def _translated(parent: ET.Element, tag: str, text: str) -> ET.Element:
    holder = _element(parent, tag)
    translated = _element(holder, "TranslatedText", {XML_LANG: "en"})
    translated.text = _text(text)
    return holder


def _aliases(parent: ET.Element, codes: tuple[m.Code, ...]) -> None:
    for code in codes:
        _element(parent, "Alias", {"Context": code.system, "Name": code.value})


class _Odm:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.forms = crf_forms(spec)
        self.oids = _Oids()
        self.study_name = spec.trial.name if spec.trial else Path(spec.path).stem
        self.conditions: list[tuple[CrfForm, CrfField]] = []
        self.descriptions: dict[str, str] = {}  # study event OID -> its Description

    def field(self, key: str) -> str | None:
        found = self.spec.trial_field(key)
        return str(found.value.value) if found is not None else None

    # ------------------------------------------------------------ the document

    def document(self) -> ET.Element:
        ET.register_namespace("", ODM_NS)
        root = ET.Element(f"{{{ODM_NS}}}ODM")
        title = self.field("title")
        attributes = {
            "FileType": "Snapshot",
            "FileOID": self.oids.get("ODM", self.study_name),
            "CreationDateTime": self.creation_date(),
            "ODMVersion": "1.3.2",
            "SourceSystem": "protocol-dsl",
        }
        if title:
            attributes = {"Description": title, **attributes}
        for name, value in attributes.items():
            root.set(name, _text(value))
        study = _element(root, "Study", {"OID": self.oids.get("ST", self.study_name)})
        self.global_variables(study)
        self.basic_definitions(study)
        self.metadata_version(study)
        return root

    def creation_date(self) -> str:
        found = self.spec.trial_field("version_date")
        if found is not None and found.value.kind == "date":
            return f"{found.value.value}T00:00:00"
        return _EPOCH

    def global_variables(self, study: ET.Element) -> None:
        variables = _element(study, "GlobalVariables")
        _element(variables, "StudyName").text = _text(self.study_name)
        _element(variables, "StudyDescription").text = _text(self.field("title") or self.study_name)
        protocol_name = (
            self.field("sponsor_protocol_id") or self.field("registry") or self.study_name
        )
        _element(variables, "ProtocolName").text = _text(protocol_name)

    def basic_definitions(self, study: ET.Element) -> None:
        found = measurement_units(self.forms)
        if not found:
            return
        definitions = _element(study, "BasicDefinitions")
        for unit in found:
            element = _element(
                definitions, "MeasurementUnit", {"OID": self.unit_oid(unit), "Name": unit}
            )
            _translated(element, "Symbol", unit_in_words(unit))
            _element(element, "Alias", {"Context": "UCUM", "Name": unit})

    def unit_oid(self, unit: str) -> str:
        return self.oids.get("MU", _unit_slug(unit))

    # ------------------------------------------------------------ metadata

    def metadata_version(self, study: ET.Element) -> None:
        version = self.field("version")
        metadata = _element(
            study,
            "MetaDataVersion",
            {
                "OID": self.oids.get("MDV", version or "1"),
                "Name": f"Protocol version {version}" if version else "Protocol",
            },
        )
        events = self.events()
        protocol = _element(metadata, "Protocol")
        summary = self.field("summary")
        if summary:
            _translated(protocol, "Description", summary)
        for order, (oid, _name, _label, mandatory, _kind, _repeating, _forms) in enumerate(
            events, start=1
        ):
            _element(
                protocol,
                "StudyEventRef",
                {"StudyEventOID": oid, "OrderNumber": str(order), "Mandatory": mandatory},
            )
        for oid, _name, label, _mandatory, kind, repeating, forms in events:
            self.study_event(metadata, oid, label, kind, repeating, forms)
        for form in self.forms:
            self.form_def(metadata, form)
        for form in self.forms:
            for group_index, _group in enumerate(form.groups):
                self.item_group_def(metadata, form, group_index)
        for form in self.forms:
            for field in form.fields:
                self.item_def(metadata, form, field)
        for choice_list in choice_lists(self.forms):
            self.code_list(metadata, choice_list)
        for form, field in self.conditions:
            self.condition_def(metadata, form, field)

    def events(self) -> list[tuple[str, str, str, str, str, str, list[CrfForm]]]:
        """(OID, name, label, mandatory, type, repeating, forms) per study event, in visit order.

        A visit written one by one is an event.  The visits a cycle yields are one
        repeating event per visit of the cycle (C1D1 … C17D1 are instances of the
        event "Treatment cycle Day 1"), and a repeat's occurrences one repeating event,
        placed at their first visit; each references the forms of any of its visits once.
        """
        events = []
        series_events = self.series_events()
        placed: set[str] = set()
        for visit in self.spec.visit_order:
            key = series_event(visit)
            if key is not None:
                if key in placed:
                    continue
                placed.add(key)
                events.append(series_events[key])
                continue
            forms = [f for f in self.forms if visit.name in f.visits]
            relative = visit.relative_to is not None or visit.after is not None
            unplanned = (
                visit.unscheduled or visit.early_termination or (visit.day is None and not relative)
            )
            kind = "Unscheduled" if unplanned else "Scheduled"
            mandatory = "No" if unplanned or visit.condition else "Yes"
            repeating = "Yes" if visit.unscheduled else "No"
            events.append(
                (
                    self.oids.get("SE", visit.name),
                    visit.name,
                    visit.label or visit.name,
                    mandatory,
                    kind,
                    repeating,
                    forms,
                )
            )
        anytime = [f for f in self.forms if not f.visits]
        if anytime:
            events.append(
                (
                    self.oids.get("SE", "COMMON"),
                    "COMMON",
                    "Any time",
                    "No",
                    "Common",
                    "Yes",
                    anytime,
                )
            )
        return events

    def series_events(self) -> dict[str, tuple[str, str, str, str, str, str, list[CrfForm]]]:
        """One event per cycle visit (template) and per repeat, keyed by `forms.series_event`."""
        members: dict[str, list[m.Visit]] = {}
        for visit in self.spec.visit_order:
            key = series_event(visit)
            if key is not None:
                members.setdefault(key, []).append(visit)
        events: dict[str, tuple[str, str, str, str, str, str, list[CrfForm]]] = {}
        for key, visits in members.items():
            first = visits[0]
            names = {v.name for v in visits}
            forms = [f for f in self.forms if names & set(f.visits)]
            label = series_event_label(self.spec, first)
            if first.template is not None:
                oid = self.oids.get("SE", first.series or "", first.template)
            else:
                oid = self.oids.get("SE", first.series or "")
            mandatory = "No" if first.condition else "Yes"
            repeating = "Yes" if len(visits) > 1 else "No"
            events[key] = (oid, key, label, mandatory, "Scheduled", repeating, forms)
            if len(visits) > 1:
                self.descriptions[oid] = self.series_description(visits)
        return events

    def series_description(self, visits: list[m.Visit]) -> str:
        """ "Instances C1D1 to C17D1: cycles of 21 days, up to 17 cycles, until …"."""
        first, last = visits[0], visits[-1]
        cycle = self.spec.cycles.get(first.series or "")
        repeat = self.spec.repeats.get(first.series or "")
        if cycle is not None:
            rule = f"cycles of {cycle_words(cycle)}"
        elif repeat is not None:
            rule = repeat_words(self.spec, repeat)
        else:
            rule = ""
        instances = f"Instances {first.name} to {last.name}"
        return f"{instances}: {rule}." if rule else f"{instances}."

    def study_event(
        self,
        metadata: ET.Element,
        oid: str,
        label: str,
        kind: str,
        repeating: str,
        forms: list[CrfForm],
    ) -> None:
        event = _element(
            metadata,
            "StudyEventDef",
            {"OID": oid, "Name": label, "Repeating": repeating, "Type": kind},
        )
        if oid in self.descriptions:
            _translated(event, "Description", self.descriptions[oid])
        for order, form in enumerate(forms, start=1):
            _element(
                event,
                "FormRef",
                {
                    "FormOID": self.form_oid(form),
                    "OrderNumber": str(order),
                    "Mandatory": "No" if form.repeating else "Yes",
                },
            )

    def form_oid(self, form: CrfForm) -> str:
        return self.oids.get("F", form.storage_name)

    def group_oid(self, form: CrfForm, group_index: int) -> str:
        group = form.groups[group_index]
        parts = (form.storage_name, group.name) if group.name else (form.storage_name,)
        return self.oids.get("IG", *parts)

    def item_oid(self, form: CrfForm, field: CrfField) -> str:
        return self.oids.get("IT", form.storage_name, field.name)

    def form_def(self, metadata: ET.Element, form: CrfForm) -> None:
        element = _element(
            metadata, "FormDef", {"OID": self.form_oid(form), "Name": form.label, "Repeating": "No"}
        )
        if form.checklist:
            _translated(
                element,
                "Description",
                "One item per eligibility criterion: whether a formal criterion is met, "
                "or the investigator's attestation of a judgement criterion.",
            )
        for group_index, _group in enumerate(form.groups):
            _element(
                element,
                "ItemGroupRef",
                {
                    "ItemGroupOID": self.group_oid(form, group_index),
                    "OrderNumber": str(group_index + 1),
                    "Mandatory": "Yes",
                },
            )
        if not form.checklist:
            _element(element, "Alias", {"Context": "subject record", "Name": form.storage_name})

    def item_group_def(self, metadata: ET.Element, form: CrfForm, group_index: int) -> None:
        group = form.groups[group_index]
        element = _element(
            metadata,
            "ItemGroupDef",
            {
                "OID": self.group_oid(form, group_index),
                "Name": group.label or form.label,
                "Repeating": "Yes" if form.repeating else "No",
            },
        )
        for order, field in enumerate(group.fields, start=1):
            attributes = {
                "ItemOID": self.item_oid(form, field),
                "OrderNumber": str(order),
                "Mandatory": "Yes" if field.required else "No",
            }
            if field.condition is not None:
                attributes["CollectionExceptionConditionOID"] = self.condition_oid(form, field)
                self.conditions.append((form, field))
            _element(element, "ItemRef", attributes)

    def condition_oid(self, form: CrfForm, field: CrfField) -> str:
        return self.oids.get("CD", form.storage_name, field.name)

    def item_def(self, metadata: ET.Element, form: CrfForm, field: CrfField) -> None:
        element = _element(
            metadata,
            "ItemDef",
            {
                "OID": self.item_oid(form, field),
                "Name": field.name,
                # ODM's partialDate: a date, or its year and month, or its year
                "DataType": "partialDate" if field.partial else _DATA_TYPES[field.kind],
            },
        )
        description = self.item_description(field)
        if description:
            _translated(element, "Description", description)
        question = f"{field.name}. {field.label}" if field.criterion is not None else field.label
        _translated(element, "Question", question)
        if field.unit is not None:
            _element(
                element, "MeasurementUnitRef", {"MeasurementUnitOID": self.unit_oid(field.unit)}
            )
        for comparator, bound in (("GE", field.low), ("LE", field.high)):
            if bound is not None:
                self.range_check(element, field, comparator, m.format_decimal(bound))
        if field.choices is not None:
            _element(element, "CodeListRef", {"CodeListOID": self.code_list_oid(field.choices)})
        _aliases(element, field.codes)
        if field.kind == "attestation":
            _element(
                element,
                "Alias",
                {"Context": "subject record", "Name": f"attestations.{field.name}"},
            )

    def item_description(self, field: CrfField) -> str | None:
        parts = []
        if field.criterion is not None:
            parts.append(criterion_rule_in_words(field, self.spec) or "")
            if field.kind == "yes_no":
                parts.append("Answer yes if the criterion is met.")
        condition = condition_in_words(field, self.spec)
        if condition:
            parts.append(f"Asked only when {condition}.")
        if field.kind == "titer":
            parts.append("Titer written as 1:N (for example 1:160).")
        if field.provisional:
            parts.append("Provisional: illustrative, not from the source document.")
        return " ".join(_sentence(p) for p in parts if p) or None

    def range_check(self, item: ET.Element, field: CrfField, comparator: str, value: str) -> None:
        check = _element(item, "RangeCheck", {"Comparator": comparator, "SoftHard": "Hard"})
        _element(check, "CheckValue").text = value
        if field.unit is not None:
            _element(check, "MeasurementUnitRef", {"MeasurementUnitOID": self.unit_oid(field.unit)})
        allowed = range_text(field)
        unit = f" {unit_in_words(field.unit)}" if field.unit else ""
        _translated(check, "ErrorMessage", f"{field.label}: allowed range is {allowed}{unit}.")

    def code_list_oid(self, choice_list: ChoiceList) -> str:
        return self.oids.get("CL", choice_list.key)

    def code_list(self, metadata: ET.Element, choice_list: ChoiceList) -> None:
        element = _element(
            metadata,
            "CodeList",
            {"OID": self.code_list_oid(choice_list), "Name": choice_list.label, "DataType": "text"},
        )
        for order, choice in enumerate(choice_list.choices, start=1):
            item = _element(
                element, "CodeListItem", {"CodedValue": choice.value, "OrderNumber": str(order)}
            )
            _translated(item, "Decode", choice.label)
            _aliases(item, choice.codes)
        _aliases(element, choice_list.codes)

    def condition_def(self, metadata: ET.Element, form: CrfForm, field: CrfField) -> None:
        assert field.condition is not None
        element = _element(
            metadata,
            "ConditionDef",
            {
                "OID": self.condition_oid(form, field),
                "Name": f"{form.storage_name}.{field.name} not asked",
            },
        )
        words = condition_in_words(field, self.spec)
        _translated(element, "Description", f"Not collected unless {words}.")
        expression = _element(element, "FormalExpression", {"Context": EXPRESSION_CONTEXT})
        expression.text = _text(f"not ({printer.expr(field.condition)})")
