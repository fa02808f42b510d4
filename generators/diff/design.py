"""Design and intervention in the diff: arms, elements, interventions and dose finding.

Dose levels are ranked by dose (a new level above the highest raises the
maximum dose), escalation parameters by the way they move risk (a higher
target DLT rate or smaller cohorts make escalation less cautious), the DLT
window by length, step-up schedules by their steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from generators.diff.directions import (
    compare_quantities,
    field_magnitude,
    max_magnitude,
    max_quantity,
    presence,
    quantity_magnitude,
    ranked,
)
from generators.diff.matching import fields_by_key, match
from generators.diff.phrases import (
    attribute_changes,
    design_words,
    dlt_words,
    field_text,
    field_words,
    quantity_words,
    quoted,
    rates_words,
    steps_words,
)
from protocol_dsl import designs
from protocol_dsl import model as m
from protocol_dsl.spec import Spec
from protocol_dsl.words import quantity_in_words

if TYPE_CHECKING:
    from generators.diff.compare import Differ


_SAMPLE_SIZE_FIELDS = ("expansion", "backfill", "max_sample_size")


# Escalation parameters by canonical name, and which way is less cautious:
# +1 raising it relaxes escalation, -1 lowering it does, 0 not rankable.
_PARAMETER_RISK = {
    "target": 1,
    "cohort_size": -1,
    "elimination_cutoff": 1,
    "phi2": 1,
}


_PARAMETER_SAMPLE_SIZE = ("n_cohorts", "max_sample_size")


def elements(d: Differ, old: Spec, new: Spec) -> None:
    for name, o, n in match(old.elements, new.elements):
        target = f"element {name}"
        if o is None:
            d.emit(
                "ELEMENT_ADDED",
                "added",
                target,
                f"added ({quoted(n.label or name)})",
                new_node=n,
                keys=(name,),
            )
            continue
        if n is None:
            d.emit(
                "ELEMENT_REMOVED",
                "removed",
                target,
                f"removed (was {quoted(o.label or name)})",
                old_node=o,
                keys=(name,),
            )
            continue
        with d.guard("ELEMENT_CHANGED", target, o, n):
            fields = {"old_node": o, "new_node": n, "keys": (name,)}
            details = attribute_changes(o, n, ("label", "start", "end"))
            if details:
                d.emit("ELEMENT_CHANGED", "changed", target, details, **fields)
            if o.duration != n.duration:
                order = ranked(
                    quantity_magnitude(o.duration),
                    quantity_magnitude(n.duration),
                    presence(o.duration, n.duration),
                )
                direction = {"raised": "lengthened", "lowered": "shortened"}.get(order, order)
                d.emit(
                    "ELEMENT_DURATION_CHANGED",
                    direction,
                    target,
                    f"duration {quantity_words(o.duration)} → {quantity_words(n.duration)}",
                    old=quantity_words(o.duration),
                    new=quantity_words(n.duration),
                    **fields,
                )
            if o.dose != n.dose:
                direction = ranked(
                    quantity_magnitude(o.dose), quantity_magnitude(n.dose), presence(o.dose, n.dose)
                )
                d.emit(
                    "DOSE_CHANGED",
                    direction,
                    target,
                    f"dose {quantity_words(o.dose)} → {quantity_words(n.dose)}",
                    old=quantity_words(o.dose),
                    new=quantity_words(n.dose),
                    **fields,
                )
            d.annotations(target, o, n, (name,))


def arms(d: Differ, old: Spec, new: Spec) -> None:
    for name, o, n in match(old.arms, new.arms):
        target = f"arm {name}"
        if o is None:
            d.emit(
                "ARM_ADDED",
                "added",
                target,
                f"added ({quoted(n.label or name)})",
                new=n.description,
                new_node=n,
                keys=(name,),
            )
            continue
        if n is None:
            d.emit(
                "ARM_REMOVED",
                "removed",
                target,
                f"removed (was {quoted(o.label or name)})",
                old=o.description,
                old_node=o,
                keys=(name,),
            )
            continue
        with d.guard("ARM_CHANGED", target, o, n):
            fields = {"old_node": o, "new_node": n, "keys": (name,)}
            details = attribute_changes(o, n, ("type", "receives", "steps"))
            if details:
                d.emit("ARM_CHANGED", "changed", target, details, **fields)
            cosmetic = attribute_changes(o, n, ("label", "description"))
            if cosmetic:
                d.emit("ARM_RELABELLED", "reworded", target, cosmetic, **fields)
            d.annotations(target, o, n, (name,))


def interventions(d: Differ, old: Spec, new: Spec) -> None:
    for name, o, n in match(old.interventions, new.interventions):
        target = f"intervention {name}"
        if o is None:
            d.emit(
                "INTERVENTION_ADDED",
                "added",
                target,
                f"added ({quoted(n.label or name)})",
                new_node=n,
                keys=(name,),
            )
            continue
        if n is None:
            d.emit(
                "INTERVENTION_REMOVED",
                "removed",
                target,
                f"removed (was {quoted(o.label or name)})",
                old_node=o,
                keys=(name,),
            )
            continue
        with d.guard("INTERVENTION_DETAIL_CHANGED", target, o, n):
            intervention_pair(d, o, n, target)


def intervention_pair(d: Differ, o: m.Intervention, n: m.Intervention, target: str) -> None:
    if o.label != n.label:
        d.emit(
            "INTERVENTION_DETAIL_CHANGED",
            "changed",
            target,
            f"relabelled: {quoted(o.label)} → {quoted(n.label)}",
            old_node=o,
            new_node=n,
            keys=(n.name,),
        )
    old_fields = fields_by_key(o.fields)
    new_fields = fields_by_key(n.fields)
    for field_key, olds, news in match(old_fields, new_fields):
        olds, news = olds or (), news or ()
        old_node = olds[0] if olds else None
        new_node = news[0] if news else None
        field_target = f"{target} {field_key.replace('_', ' ')}"
        keys = (field_key, n.name)
        if [field_text(f) for f in olds] != [field_text(f) for f in news]:
            old_words = "; ".join(field_words(f) for f in olds) or None
            new_words = "; ".join(field_words(f) for f in news) or None
            presence = "added" if not olds else "removed" if not news else "changed"
            summary = f"{old_words or '(none)'} → {new_words or '(none)'}"
            fields = {
                "old": old_words,
                "new": new_words,
                "old_node": old_node,
                "new_node": new_node,
                "keys": keys,
            }
            if field_key == "route":
                d.emit("ROUTE_CHANGED", presence, field_target, summary, **fields)
            elif field_key == "dose":
                direction = ranked(max_magnitude(olds), max_magnitude(news), presence)
                d.emit("DOSE_CHANGED", direction, field_target, summary, **fields)
            elif field_key in ("administration", "frequency", "dosage_form"):
                if presence == "changed" and all(
                    v.kind == "string" for f in (*olds, *news) for v in f.values
                ):
                    presence = "reworded"
                d.emit("DOSING_REGIMEN_CHANGED", presence, field_target, summary, **fields)
            else:
                d.emit("INTERVENTION_DETAIL_CHANGED", presence, field_target, summary, **fields)
        old_marks = tuple(mk for f in olds for mk in f.marks)
        new_marks = tuple(mk for f in news for mk in f.marks)
        if old_marks != new_marks:
            d.emit_marks(field_target, old_marks, new_marks, old_node, new_node, keys)


def dose_findings(d: Differ, old: Spec, new: Spec) -> None:
    old_df = {df.intervention: df for df in old.dose_findings}
    new_df = {df.intervention: df for df in new.dose_findings}
    for name, o, n in match(old_df, new_df):
        target = f"dose finding of {name}"
        if o is None or n is None:
            present = n or o
            assert present is not None
            kind = present.design.kind if present.design else "dose finding"
            d.emit(
                "ESCALATION_DESIGN_CHANGED",
                "added" if o is None else "removed",
                target,
                f"{'added' if o is None else 'removed'} ({kind}, "
                f"{len(present.levels)} dose levels)",
                old_node=o,
                new_node=n,
                keys=(name,),
            )
            continue
        with d.guard("ESCALATION_DESIGN_CHANGED", target, o, n):
            dose_levels(d, o, n)
            escalation_design(d, o, n)
            dlt(d, o, n)
            step_ups(d, o, n)
            scenarios(d, o, n)
            dose_finding_fields(d, o, n, target)


def dose_levels(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    old_levels = {lv.name: lv for lv in o.levels}
    new_levels = {lv.name: lv for lv in n.levels}
    old_top = max_quantity([lv.dose for lv in o.levels])
    new_top = max_quantity([lv.dose for lv in n.levels])
    for name, ol, nl in match(old_levels, new_levels):
        target = f"dose level {name}"
        if ol is None:
            order = compare_quantities(nl.dose, old_top) if old_top else 1
            direction = "added" if order is not None and order <= 0 else "raised"
            note = (
                " (above the highest planned dose)"
                if order is not None and order > 0
                else " (cannot be compared with the planned doses)"
                if order is None
                else " (within the planned range)"
            )
            d.emit(
                "DOSE_LEVEL_ADDED",
                direction,
                target,
                f"{quantity_words(nl.dose)} added{note}",
                new=quantity_words(nl.dose),
                new_node=nl,
                keys=(name,),
            )
        elif nl is None:
            order = compare_quantities(ol.dose, new_top) if new_top else 1
            top = order is None or order > 0
            d.emit(
                "DOSE_LEVEL_REMOVED",
                "lowered" if top else "removed",
                target,
                f"{quantity_words(ol.dose)} removed"
                + (" (the highest planned dose is now lower)" if top else ""),
                old=quantity_words(ol.dose),
                old_node=ol,
                keys=(name,),
            )
        else:
            if ol.dose != nl.dose:
                order = compare_quantities(ol.dose, nl.dose)
                direction = {1: "lowered", -1: "raised"}.get(order, "changed")  # type: ignore[arg-type]
                d.emit(
                    "DOSE_LEVEL_CHANGED",
                    direction,
                    target,
                    f"{quantity_words(ol.dose)} → {quantity_words(nl.dose)} ({direction})",
                    old=quantity_words(ol.dose),
                    new=quantity_words(nl.dose),
                    old_node=ol,
                    new_node=nl,
                    keys=(name,),
                )
            d.annotations(target, ol, nl, (name,))
    common_old = [lv for lv in old_levels if lv in new_levels]
    common_new = [lv for lv in new_levels if lv in old_levels]
    if common_old != common_new:
        d.emit(
            "ESCALATION_DESIGN_CHANGED",
            "changed",
            "dose levels",
            f"order of escalation through the dose levels {', '.join(common_old)} → "
            f"{', '.join(common_new)}",
            old_node=o,
            new_node=n,
            keys=("levels",),
        )
    if o.levels_marks != n.levels_marks:
        d.emit_marks("dose levels", o.levels_marks, n.levels_marks, o, n, ("levels",))


def escalation_design(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    od, nd = o.design, n.design
    target = "escalation design"
    if od is None and nd is None:
        return
    if od is None or nd is None or od.kind != nd.kind:
        d.emit(
            "ESCALATION_DESIGN_CHANGED",
            "added" if od is None else "removed" if nd is None else "changed",
            target,
            f"{od.kind if od else '(none)'} → {nd.kind if nd else '(none)'}",
            old=design_words(od),
            new=design_words(nd),
            old_node=od,
            new_node=nd,
            keys=("design",),
        )
        return
    old_params = {_canonical(f.key): f for f in od.parameters}
    new_params = {_canonical(f.key): f for f in nd.parameters}
    for param, of, nf in match(old_params, new_params):
        param_target = f"escalation parameter {param}"
        keys = (param, (nf or of).key, "design")  # type: ignore[union-attr]
        if of is not None and nf is not None and field_text(of) == field_text(nf):
            if of.marks != nf.marks:
                d.emit_marks(param_target, of.marks, nf.marks, of, nf, keys)
            continue
        presence = "added" if of is None else "removed" if nf is None else "changed"
        order = ranked(
            field_magnitude((of,) if of else ()),
            field_magnitude((nf,) if nf else ()),
            presence,
        )
        old_words = field_words(of) if of else None
        new_words = field_words(nf) if nf else None
        summary = f"{old_words or '(default)'} → {new_words or '(default)'}"
        fields = {
            "old": old_words,
            "new": new_words,
            "old_node": of,
            "new_node": nf,
            "keys": keys,
        }
        risk = _PARAMETER_RISK.get(param, 0)
        if param in _PARAMETER_SAMPLE_SIZE and order in ("raised", "lowered"):
            d.emit("SAMPLE_SIZE_CHANGED", order, param_target, summary, **fields)
        elif risk and order in ("raised", "lowered"):
            riskier = (order == "raised") == (risk > 0)
            rule_id = "ESCALATION_RULE_RELAXED" if riskier else "ESCALATION_RULE_TIGHTENED"
            caution = "less" if riskier else "more"
            d.emit(rule_id, order, param_target, f"{summary} ({caution} cautious)", **fields)
        else:
            d.emit("ESCALATION_PARAMETER_CHANGED", order, param_target, summary, **fields)
    d.annotations(target, od, nd, ("design",))


def dlt(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    ow, nw = o.dlt_window, n.dlt_window
    if ow != nw:
        target = "DLT window"
        fields = {
            "old": dlt_words(ow),
            "new": dlt_words(nw),
            "old_node": ow,
            "new_node": nw,
            "keys": ("dlt_window", "dlt"),
        }
        summary = f"{dlt_words(ow) or '(none)'} → {dlt_words(nw) or '(none)'}"
        if ow is None or nw is None:
            d.emit(
                "DLT_WINDOW_CHANGED",
                "added" if ow is None else "removed",
                target,
                summary,
                **fields,
            )
        else:
            if (ow.duration, ow.anchor) != (nw.duration, nw.anchor):
                order = compare_quantities(ow.duration, nw.duration)
                if ow.anchor != nw.anchor or order is None or order == 0:
                    direction = "changed"
                else:
                    direction = "shortened" if order > 0 else "lengthened"
                d.emit(
                    "DLT_WINDOW_CHANGED",
                    direction,
                    target,
                    f"{summary} ({direction})",
                    **fields,
                )
            d.annotations(target, ow, nw, ("dlt_window", "dlt"))
    od, nd = o.dlt_definition, n.dlt_definition
    if od != nd:
        target = "DLT definition"
        keys = ("dlt", "dlt_definition")
        if od is None or nd is None or od.text != nd.text:
            direction = "added" if od is None else "removed" if nd is None else "reworded"
            d.emit(
                "DLT_DEFINITION_CHANGED",
                direction,
                target,
                f"definition {direction}",
                old=od.text if od else None,
                new=nd.text if nd else None,
                old_node=od,
                new_node=nd,
                keys=keys,
            )
        else:
            d.annotations(target, od, nd, keys)


def step_ups(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    olds, news = list(o.step_ups), list(n.step_ups)
    for index in range(max(len(olds), len(news))):
        os = olds[index] if index < len(olds) else None
        ns = news[index] if index < len(news) else None
        present = ns or os
        assert present is not None
        target = (
            "step-up schedule" if len(olds) + len(news) <= 2 else f"step-up schedule {index + 1}"
        )
        keys = ("step_up", *present.levels)
        if os is None:
            d.emit(
                "STEP_UP_ADDED",
                "added",
                target,
                f"added: {steps_words(ns)}",
                new=steps_words(ns),
                new_node=ns,
                keys=keys,
            )
            continue
        if ns is None:
            d.emit(
                "STEP_UP_REMOVED",
                "removed",
                target,
                "removed",
                old=steps_words(os),
                old_node=os,
                keys=keys,
            )
            continue
        if os == ns:
            continue
        parts: list[tuple[str, str]] = []
        added = [lv for lv in ns.levels if lv not in os.levels]
        removed = [lv for lv in os.levels if lv not in ns.levels]
        if added:
            parts.append(("added", f"now also at {', '.join(added)}"))
        if removed:
            parts.append(("removed", f"no longer at {', '.join(removed)}"))
        parts += _step_differences(os, ns)
        if parts:
            directions = {way for way, _ in parts}
            direction = directions.pop() if len(directions) == 1 else "changed"
            d.emit(
                "STEP_UP_CHANGED",
                direction,
                target,
                "; ".join(w for _, w in parts),
                old=steps_words(os),
                new=steps_words(ns),
                old_node=os,
                new_node=ns,
                keys=keys,
            )
        d.annotations(target, os, ns, keys)
        old_steps = {s.day: s for s in os.steps}
        for step in ns.steps:
            if step.day in old_steps and old_steps[step.day].amount == step.amount:
                d.annotations(f"{target}, day {step.day}", old_steps[step.day], step, keys)


def scenarios(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    old_sc = {s.name: s for s in o.scenarios}
    new_sc = {s.name: s for s in n.scenarios}
    for name, os, ns in match(old_sc, new_sc):
        target = f"scenario {name}"
        if os is None:
            d.emit(
                "SCENARIO_ADDED",
                "added",
                target,
                "added",
                new=rates_words(ns),
                new_node=ns,
                keys=(name,),
            )
        elif ns is None:
            d.emit(
                "SCENARIO_REMOVED",
                "removed",
                target,
                "removed",
                old=rates_words(os),
                old_node=os,
                keys=(name,),
            )
        else:
            details = attribute_changes(os, ns, ("label", "rates"))
            if details:
                d.emit(
                    "SCENARIO_CHANGED",
                    "changed",
                    target,
                    details,
                    old=rates_words(os),
                    new=rates_words(ns),
                    old_node=os,
                    new_node=ns,
                    keys=(name,),
                )
            d.annotations(target, os, ns, (name,))


def dose_finding_fields(d: Differ, o: m.DoseFinding, n: m.DoseFinding, target: str) -> None:
    old_fields = fields_by_key(o.fields)
    new_fields = fields_by_key(n.fields)
    for field_key, olds, news in match(old_fields, new_fields):
        olds, news = olds or (), news or ()
        old_node = olds[0] if olds else None
        new_node = news[0] if news else None
        field_target = field_key.replace("_", " ")
        keys = (field_key,)
        if [field_text(f) for f in olds] != [field_text(f) for f in news]:
            old_words = "; ".join(field_words(f) for f in olds) or None
            new_words = "; ".join(field_words(f) for f in news) or None
            presence = "added" if not olds else "removed" if not news else "changed"
            summary = f"{old_words or '(none)'} → {new_words or '(none)'}"
            fields = {
                "old": old_words,
                "new": new_words,
                "old_node": old_node,
                "new_node": new_node,
                "keys": keys,
            }
            if field_key == "start_level":
                direction = start_level_direction(o, n, olds, news, presence)
                d.emit("START_LEVEL_CHANGED", direction, field_target, summary, **fields)
            elif field_key in _SAMPLE_SIZE_FIELDS:
                direction = ranked(field_magnitude(olds), field_magnitude(news), presence)
                d.emit("SAMPLE_SIZE_CHANGED", direction, field_target, summary, **fields)
            elif field_key == "decided_by":
                d.emit("MONITORING_COMMITTEE_CHANGED", presence, field_target, summary, **fields)
            else:
                d.emit("DOSE_FINDING_FIELD_CHANGED", presence, field_target, summary, **fields)
        old_marks = tuple(mk for f in olds for mk in f.marks)
        new_marks = tuple(mk for f in news for mk in f.marks)
        if old_marks != new_marks:
            d.emit_marks(field_target, old_marks, new_marks, old_node, new_node, keys)


def start_level_direction(
    o: m.DoseFinding,
    n: m.DoseFinding,
    olds: Sequence[m.Field],
    news: Sequence[m.Field],
    presence: str,
) -> str:
    if presence != "changed":
        return presence
    old_level = o.level(str(olds[0].value.value))
    new_level = n.level(str(news[0].value.value))
    if old_level is None or new_level is None:
        return "changed"
    order = compare_quantities(old_level.dose, new_level.dose)
    return {1: "lowered", -1: "raised"}.get(order, "changed")  # type: ignore[arg-type]


def _step_differences(old: m.StepUp, new: m.StepUp) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    old_days = {s.day: s for s in old.steps}
    new_days = {s.day: s for s in new.steps}
    for day, os, ns in match(old_days, new_days):  # type: ignore[arg-type]
        if os is None:
            parts.append(("added", f"step on day {day} added ({quantity_in_words(ns.amount)})"))
        elif ns is None:
            parts.append(("removed", f"step on day {day} removed"))
        elif os.amount != ns.amount:
            order = compare_quantities(os.amount, ns.amount)
            direction = {1: "lowered", -1: "raised"}.get(order, "changed")  # type: ignore[arg-type]
            parts.append(
                (
                    direction,
                    f"day {day} {quantity_in_words(os.amount)} → {quantity_in_words(ns.amount)}",
                )
            )
    if not parts and [s.day for s in old.steps] != [s.day for s in new.steps]:
        parts.append(("changed", "order of steps changed"))
    return parts


def _canonical(parameter: str) -> str:
    return designs.canonical_parameter(parameter)
