"""Every XPath FormalExpression in the ODM decides as the interpreter does.

The witness subjects of each real spec (`protocol witness`), each also with
every value taken away (all unknown), are written as ODM ClinicalData in the
ODM's own OIDs.  For each item with a CollectionExceptionCondition, each
subject and each place the item is collected (a visit of its form, a record
of a repeating form), the XPath expression is evaluated with `elementpath`
(XPath 1.0, the item's ItemGroupData as context node) and compared with the
interpreter's three-valued value of the item's `when` condition: the item is
skipped exactly when the condition is known to be false.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from generators.crf import odm
from generators.crf.forms import CrfField, CrfForm
from protocol_dsl.evaluate.interpreter import _EMPTY, Context, compile_spec_rules
from protocol_dsl.evaluate.subject import Subject
from protocol_dsl.spec import Spec
from tests.crf.support import REAL_SPECS, load_spec

elementpath = pytest.importorskip("elementpath", reason="elementpath evaluates XPath")
pytest.importorskip("z3", reason="witness subjects need the solver")

NS = odm.ODM_NS


@functools.cache
def _subjects(stem: str) -> list[Subject]:
    from protocol_dsl.solver.witness import build_witnesses

    spec = load_spec(stem)
    rules = compile_spec_rules(spec)
    records = [
        w for w in build_witnesses(spec) if w.get("witness", {}).get("kind") != "unavailable"
    ]
    subjects = []
    for record in records:
        subjects.append(rules.normalise(record))
        blank = {"subject_id": f"{record['subject_id']}-blank", "visits": record.get("visits", {})}
        subjects.append(rules.normalise(blank))
    return subjects


def _text(value: Any) -> str | None:
    """A typed value as ODM ItemData writes it (None: not written)."""
    if value is None:
        return None
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, Decimal | int | float | str):
        return str(value)
    return str(value)


class _Clinical:
    """ODM ClinicalData of the subjects, with the ItemGroupData of each place an item is asked."""

    def __init__(self, spec: Spec, subjects: list[Subject]) -> None:
        self.builder = odm._Odm(spec)
        self.builder.document()  # assigns every OID
        self.root = ET.Element(f"{{{NS}}}ODM")
        clinical = ET.SubElement(self.root, f"{{{NS}}}ClinicalData")
        # (subject, form, field) -> [(context ItemGroupData, visit or None, record or None)]
        self.places: dict[tuple[str, str, str], list[tuple[ET.Element, str | None, Any]]] = {}
        for subject in subjects:
            data = ET.SubElement(
                clinical, f"{{{NS}}}SubjectData", {"SubjectKey": subject.subject_id}
            )
            events: dict[str, ET.Element] = {}
            for form in self.builder.forms:
                for visit in form.visits:
                    event = events.get(visit)
                    if event is None:
                        oid = self.builder.oids.get("SE", visit)
                        event = ET.SubElement(
                            data, f"{{{NS}}}StudyEventData", {"StudyEventOID": oid}
                        )
                        events[visit] = event
                    if form.repeating:
                        continue
                    record = subject.values.get((form.storage_name, visit)) or {}
                    self.form_data(subject, event, form, [(record, visit)])
                if form.repeating and form.visits:
                    records = subject.records.get(form.storage_name) or []
                    self.form_data(
                        subject, events[form.visits[0]], form, [(r, None) for r in records]
                    )

    def form_data(
        self,
        subject: Subject,
        event: ET.Element,
        form: CrfForm,
        records: list[tuple[dict[str, Any], str | None]],
    ) -> None:
        element = ET.SubElement(
            event, f"{{{NS}}}FormData", {"FormOID": self.builder.form_oid(form)}
        )
        for key, (record, visit) in enumerate(records, start=1):
            for index, group in enumerate(form.groups):
                attributes = {"ItemGroupOID": self.builder.group_oid(form, index)}
                if form.repeating:
                    attributes["ItemGroupRepeatKey"] = str(key)
                data = ET.SubElement(element, f"{{{NS}}}ItemGroupData", attributes)
                for field in group.fields:
                    value = _text(record.get(field.name))
                    if value is not None:
                        ET.SubElement(
                            data,
                            f"{{{NS}}}ItemData",
                            {"ItemOID": self.builder.item_oid(form, field), "Value": value},
                        )
                    place = (subject.subject_id, form.storage_name, field.name)
                    self.places.setdefault(place, []).append((data, visit, record))


def _conditions(spec: Spec) -> list[tuple[CrfForm, CrfField, str]]:
    builder = odm._Odm(spec)
    builder.document()
    found = []
    for form in builder.forms:
        for field in form.fields:
            if field.condition is None:
                continue
            try:
                found.append((form, field, builder.xpath.exception(form, field)))
            except odm.NotXPath:
                continue
    return found


def _skips(root: ET.Element, context: ET.Element, xpath: str) -> bool:
    # the binding the ODM document declares on its root
    result = elementpath.select(
        root, xpath, namespaces={"odm": NS}, item=context, parser=elementpath.XPath1Parser
    )
    assert isinstance(result, bool), (xpath, result)
    return result


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_xpath_conditions_decide_as_the_interpreter(stem: str) -> None:
    spec = load_spec(stem)
    subjects = _subjects(stem)
    conditions = _conditions(spec)
    assert conditions, "the spec has conditions XPath can express"
    clinical = _Clinical(spec, subjects)
    rules = compile_spec_rules(spec)
    compiled: dict[tuple[str, str, str | None], Any] = {}
    compared = 0
    skipped_seen = {True: 0, False: 0}
    for subject in subjects:
        for form, field, xpath in conditions:
            assert field.condition is not None and field.scope is not None
            for context, visit, record in clinical.places.get(
                (subject.subject_id, form.storage_name, field.name), []
            ):
                key = (form.storage_name, field.name, visit)
                if key not in compiled:
                    compiled[key] = rules._compiler.truth(field.condition, field.scope, visit)
                ctx = Context(subject, False)
                truth = compiled[key](ctx, record or _EMPTY)
                skips = _skips(clinical.root, context, xpath)
                assert skips == (truth is False), (subject.subject_id, field.name, visit, xpath)
                skipped_seen[skips] += 1
                compared += 1
    assert compared > 0
    # the witnesses show both outcomes, so the comparison means something
    assert skipped_seen[False] > 0 and skipped_seen[True] > 0, skipped_seen


def test_score_methods_compute_as_the_interpreter() -> None:
    import math

    spec = load_spec("qls4131_sle_phase1b")
    rules = compile_spec_rules(spec)
    subjects = list(_subjects("qls4131_sle_phase1b"))
    # each witness again with every other answer of the score's form taken away
    thinned = []
    for subject in subjects[::2]:
        copy = rules.normalise({"subject_id": f"{subject.subject_id}-thin"})
        copy.values = {
            key: {k: v for i, (k, v) in enumerate(record.items()) if i % 2 == 0}
            for key, record in subject.values.items()
        }
        thinned.append(copy)
    subjects += thinned
    clinical = _Clinical(spec, subjects)
    builder = clinical.builder
    methods = {
        m.get("OID"): m.find(f"{{{NS}}}FormalExpression").text
        for m in builder.document().iter(f"{{{NS}}}MethodDef")
    }
    assert methods
    seen = {"known": 0, "unknown": 0}
    for form in builder.forms:
        for score in builder.scores.get(form.storage_name, ()):
            xpath = methods[builder.oids.get("MT", form.storage_name, score.name)]
            for subject in subjects:
                first = form.groups[0].fields[0].name
                for context, visit, _record in clinical.places.get(
                    (subject.subject_id, form.storage_name, first), []
                ):
                    value = rules.evaluate(score.shown, subject, visit=visit, explain=False).value
                    computed = elementpath.select(
                        clinical.root,
                        xpath,
                        namespaces={"odm": NS},
                        item=context,
                        parser=elementpath.XPath1Parser,
                    )
                    if isinstance(value, int | float | Decimal):
                        assert computed == float(value), (score.shown, subject.subject_id, visit)
                        seen["known"] += 1
                    else:
                        assert math.isnan(computed), (score.shown, subject.subject_id, value)
                        seen["unknown"] += 1
    assert seen["known"] > 0 and seen["unknown"] > 0, seen
