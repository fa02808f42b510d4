"""Design and intervention in the diff: arms, elements, interventions and dose finding.

Dose levels are ranked by dose (a new level above the highest raises the
maximum dose), escalation parameters by the way they move risk (a higher
target DLT rate or smaller cohorts make escalation less cautious), the DLT
window by length, step-up schedules by their steps.

Dosing regimens are a kind of their own: a changed dose is ranked like any
dose, changed days or number of administrations by the number of doses the
regimen plans (more is raised exposure), reduction levels and the hold and
resume rules are dose modifications.

Elements, arms, interventions, scenarios and the DLT window are rule tables
of the generic walker (`walk`), dose findings are its declarations, and the
fields of an intervention and of a dose finding are tables by key.  Written by hand, because the logic is their
own: dose levels (a level added or removed is ranked against the highest
planned dose, and the order of escalation is compared as a whole), the
escalation design (its parameters are matched through their aliases and
ranked by the way they move risk), the DLT definition (its text stands for
its notes), and step-up schedules (paired by position, their steps by day,
one change listing every step that moved).
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
    quantity_direction,
    quantity_magnitude,
    ranked,
)
from generators.diff.matching import match
from generators.diff.phrases import (
    design_words,
    dlt_words,
    field_text,
    field_words,
    quantity_words,
    rates_words,
    steps_words,
)
from generators.diff.walk import (
    FieldPair,
    KeyRule,
    Kind,
    Pair,
    Row,
    Show,
    Table,
    added,
    added_label,
    compare,
    declarations,
    keyed_fields,
    old_to_new,
    one_direction,
    ranked_part,
    relabelled,
    removed,
    removed_label,
    rows,
)
from protocol_dsl import designs
from protocol_dsl import model as m
from protocol_dsl.schedule.regimens import planned_administrations
from protocol_dsl.schedule.words import schedule_words
from protocol_dsl.semantics.words import quantity_in_words
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ, Shown


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


def _lengthened(pair: Pair[m.Element]) -> str:
    o, n = pair.old.duration, pair.new.duration
    order = ranked(quantity_magnitude(o), quantity_magnitude(n), presence(o, n))
    return {"raised": "lengthened", "lowered": "shortened"}.get(order, order)


def _dose_order(pair: Pair[m.Element]) -> str:
    o, n = pair.old.dose, pair.new.dose
    return ranked(quantity_magnitude(o), quantity_magnitude(n), presence(o, n))


def _quantity_shown(name: str) -> Show:
    return lambda node, spec: quantity_words(getattr(node, name))


ELEMENT = Table(
    m.Element,
    (
        Row(("label", "start", "end"), "ELEMENT_CHANGED"),
        Row(
            ("duration",),
            "ELEMENT_DURATION_CHANGED",
            _lengthened,
            old_to_new(_quantity_shown("duration"), "duration"),
            _quantity_shown("duration"),
        ),
        Row(
            ("dose",),
            "DOSE_CHANGED",
            _dose_order,
            old_to_new(_quantity_shown("dose"), "dose"),
            _quantity_shown("dose"),
        ),
        Row(("regimen",), "DOSING_REGIMEN_CHANGED"),
    ),
)


ELEMENTS = Kind[m.Element](
    "element {}",
    "ELEMENT_ADDED",
    "ELEMENT_REMOVED",
    added_label,
    removed_label,
    "ELEMENT_CHANGED",
    ELEMENT,
)


ARM = Table(
    m.Arm,
    (
        Row(("type", "receives", "steps"), "ARM_CHANGED"),
        Row(("label", "description"), "ARM_RELABELLED", "reworded"),
        Row(("regimens",), "DOSING_REGIMEN_CHANGED"),
    ),
)


ARMS = Kind[m.Arm](
    "arm {}",
    "ARM_ADDED",
    "ARM_REMOVED",
    added_label,
    removed_label,
    "ARM_CHANGED",
    ARM,
    show=lambda arm, spec: arm.description,
)


def _regimen(fields: FieldPair) -> str:
    """Two texts of a dosing regimen differ in words, not in a value that can be ranked."""
    values = [v for f in (*fields.olds, *fields.news) for v in f.values]
    if fields.presence == "changed" and all(v.kind == "string" for v in values):
        return "reworded"
    return fields.presence


def _highest_dose(fields: FieldPair) -> str:
    return ranked(max_magnitude(fields.olds), max_magnitude(fields.news), fields.presence)


#: An intervention's fields by key; any other key is an `INTERVENTION_DETAIL_CHANGED`.
INTERVENTION_RULES: dict[str, KeyRule] = {
    "route": KeyRule("ROUTE_CHANGED"),
    "dose": KeyRule("DOSE_CHANGED", _highest_dose),
    **dict.fromkeys(
        ("administration", "frequency", "dosage_form"), KeyRule("DOSING_REGIMEN_CHANGED", _regimen)
    ),
}


def _intervention_fields(d: Differ, pair: Pair[m.Intervention]) -> None:
    o, n = pair.old, pair.new
    rows(d, INTERVENTION, pair)
    keyed_fields(
        d,
        o.fields,
        n.fields,
        INTERVENTION_RULES,
        KeyRule("INTERVENTION_DETAIL_CHANGED"),
        target=lambda field_key: f"{pair.target} {field_key.replace('_', ' ')}",
        keys=lambda field_key: (field_key, n.name),
    )


INTERVENTION = Table(
    m.Intervention,
    (Row(("label",), "INTERVENTION_DETAIL_CHANGED", summary=relabelled),),
    by_hand=("fields",),
    annotations=False,
)


INTERVENTIONS = Kind[m.Intervention](
    "intervention {}",
    "INTERVENTION_ADDED",
    "INTERVENTION_REMOVED",
    added_label,
    removed_label,
    "INTERVENTION_DETAIL_CHANGED",
    pair=_intervention_fields,
)


def elements(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, ELEMENTS, old.elements, new.elements, old, new)


def arms(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, ARMS, old.arms, new.arms, old, new)


def interventions(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, INTERVENTIONS, old.interventions, new.interventions, old, new)


def _dose_finding_words(dose_finding: m.DoseFinding) -> str:
    kind = dose_finding.design.kind if dose_finding.design else "dose finding"
    return f"{kind}, {len(dose_finding.levels)} dose levels"


def dose_finding_pair(d: Differ, pair: Pair[m.DoseFinding]) -> None:
    """Each part of a dose finding has its own comparison (see the module's docstring)."""
    o, n, old, new = pair.old, pair.new, pair.old_spec, pair.new_spec
    dose_levels(d, o, n)
    escalation_design(d, o, n)
    dlt(d, o, n, old, new)
    step_ups(d, o, n)
    scenarios(d, o, n, old, new)
    dose_finding_fields(d, o, n)
    if o.regimen != n.regimen:
        d.emit(
            "DOSING_REGIMEN_CHANGED",
            "added" if o.regimen is None else "removed" if n.regimen is None else "changed",
            "dose levels' regimen",
            f"{o.regimen or '(none)'} → {n.regimen or '(none)'}",
            old=o.regimen,
            new=n.regimen,
            old_node=o,
            new_node=n,
            keys=("regimen",),
        )


DOSE_FINDINGS = Kind[m.DoseFinding](
    "dose finding of {}",
    "ESCALATION_DESIGN_CHANGED",
    "ESCALATION_DESIGN_CHANGED",
    lambda n: f"added ({_dose_finding_words(n)})",
    lambda o: f"removed ({_dose_finding_words(o)})",
    "ESCALATION_DESIGN_CHANGED",
    pair=dose_finding_pair,
)


def dose_findings(d: Differ, old: Spec, new: Spec) -> None:
    old_df = {df.intervention: df for df in old.dose_findings}
    new_df = {df.intervention: df for df in new.dose_findings}
    declarations(d, DOSE_FINDINGS, old_df, new_df, old, new)


def dose_levels(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    old_levels = {lv.name: lv for lv in o.levels}
    new_levels = {lv.name: lv for lv in n.levels}
    old_top = max_quantity([lv.dose for lv in o.levels])
    new_top = max_quantity([lv.dose for lv in n.levels])
    for name, ol, nl in match(old_levels, new_levels):
        target = f"dose level {name}"
        if ol is None:
            assert nl is not None  # `match` pairs at least one side
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
                direction = quantity_direction(ol.dose, nl.dose)
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
        fields: Shown = {
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


def _dlt_direction(pair: Pair[m.DltWindow]) -> str:
    """A window on the same anchor is shortened or lengthened; on another, or a window
    that is a cycle of the regimen on one side, just changed."""
    o, n = pair.old, pair.new
    if o.anchor != n.anchor or o.duration is None or n.duration is None:
        return "changed"
    return quantity_direction(o.duration, n.duration, "lengthened", "shortened")


def _dlt_shown(window: m.DltWindow, spec: Spec) -> str | None:
    return dlt_words(window)


DLT_WINDOW = Table(
    m.DltWindow,
    (
        Row(
            ("duration", "anchor", "cycle"),
            "DLT_WINDOW_CHANGED",
            _dlt_direction,
            old_to_new(_dlt_shown, direction="always"),
            _dlt_shown,
        ),
    ),
    identity=(),
)


def dlt(d: Differ, o: m.DoseFinding, n: m.DoseFinding, old: Spec, new: Spec) -> None:
    """The DLT window and definition: a part of the dose finding, present in either or both."""
    ow, nw = o.dlt_window, n.dlt_window
    keys = ("dlt_window", "dlt")
    if ow is not None and nw is not None:
        compare(d, DLT_WINDOW, Pair(ow, nw, old, new, "DLT window", "dlt_window", keys))
    elif ow != nw:
        d.emit(
            "DLT_WINDOW_CHANGED",
            "added" if ow is None else "removed",
            "DLT window",
            f"{dlt_words(ow) or '(none)'} → {dlt_words(nw) or '(none)'}",
            old=dlt_words(ow),
            new=dlt_words(nw),
            old_node=ow,
            new_node=nw,
            keys=keys,
        )
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
            assert ns is not None  # `present` is one of them
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
            d.emit(
                "STEP_UP_CHANGED",
                one_direction(parts),
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


SCENARIO = Table(
    m.Scenario,
    (Row(("label", "rates"), "SCENARIO_CHANGED", show=lambda s, spec: rates_words(s)),),
)


SCENARIOS = Kind[m.Scenario](
    "scenario {}",
    "SCENARIO_ADDED",
    "SCENARIO_REMOVED",
    added,
    removed,
    None,
    SCENARIO,
    show=lambda s, spec: rates_words(s),
)


def scenarios(d: Differ, o: m.DoseFinding, n: m.DoseFinding, old: Spec, new: Spec) -> None:
    old_sc = {s.name: s for s in o.scenarios}
    new_sc = {s.name: s for s in n.scenarios}
    declarations(d, SCENARIOS, old_sc, new_sc, old, new)


def _start_level(fields: FieldPair) -> str:
    return start_level_direction(
        fields.old_owner, fields.new_owner, fields.olds, fields.news, fields.presence
    )


def _sample_size(fields: FieldPair) -> str:
    return ranked(field_magnitude(fields.olds), field_magnitude(fields.news), fields.presence)


#: A dose finding's fields by key; any other key is a `DOSE_FINDING_FIELD_CHANGED`.
DOSE_FINDING_RULES: dict[str, KeyRule] = {
    "start_level": KeyRule("START_LEVEL_CHANGED", _start_level),
    **dict.fromkeys(_SAMPLE_SIZE_FIELDS, KeyRule("SAMPLE_SIZE_CHANGED", _sample_size)),
    "decided_by": KeyRule("MONITORING_COMMITTEE_CHANGED"),
}


def dose_finding_fields(d: Differ, o: m.DoseFinding, n: m.DoseFinding) -> None:
    keyed_fields(
        d,
        o.fields,
        n.fields,
        DOSE_FINDING_RULES,
        KeyRule("DOSE_FINDING_FIELD_CHANGED"),
        target=lambda field_key: field_key.replace("_", " "),
        keys=lambda field_key: (field_key,),
        owners=(o, n),
    )


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
    return quantity_direction(old_level.dose, new_level.dose)


def _step_differences(old: m.StepUp, new: m.StepUp) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    old_days = {s.day: s for s in old.steps}
    new_days = {s.day: s for s in new.steps}
    for day, os, ns in match(old_days, new_days):  # type: ignore[arg-type]
        if os is None:
            assert ns is not None  # `match` pairs at least one side
            parts.append(("added", f"step on day {day} added ({quantity_in_words(ns.amount)})"))
        elif ns is None:
            parts.append(("removed", f"step on day {day} removed"))
        elif os.amount != ns.amount:
            parts.append(ranked_part(f"day {day}", os.amount, ns.amount))
    if not parts and [s.day for s in old.steps] != [s.day for s in new.steps]:
        parts.append(("changed", "order of steps changed"))
    return parts


def _canonical(parameter: str) -> str:
    return designs.canonical_parameter(parameter)


# ---------------------------------------------------------------- dosing regimens


def _schedule_direction(pair: Pair[m.Regimen]) -> str:
    """More planned administrations is raised exposure, fewer lowered; else just changed."""
    old = len(planned_administrations(pair.old_spec, pair.old))
    new = len(planned_administrations(pair.new_spec, pair.new))
    return "raised" if new > old else "lowered" if new < old else "changed"


def _schedule_shown(regimen: m.Regimen, spec: Spec) -> str | None:
    return schedule_words(spec, regimen)


def _regimen_dose_order(pair: Pair[m.Regimen]) -> str:
    o, n = pair.old.dose, pair.new.dose
    return ranked(quantity_magnitude(o), quantity_magnitude(n), presence(o, n))


def _reductions_shown(regimen: m.Regimen, spec: Spec) -> str | None:
    levels = [f"{r.name} {quantity_in_words(r.dose)}" for r in regimen.reductions]
    return ", ".join(levels) if levels else "(none)"


REGIMEN = Table(
    m.Regimen,
    (
        Row(("label",), "DOSING_REGIMEN_CHANGED", "reworded", relabelled),
        Row(("intervention", "per"), "DOSING_REGIMEN_CHANGED"),
        Row(
            ("dose",),
            "DOSE_CHANGED",
            _regimen_dose_order,
            old_to_new(_quantity_shown("dose"), "dose"),
            _quantity_shown("dose"),
        ),
        Row(
            ("days", "at_most"),
            "DOSING_SCHEDULE_CHANGED",
            _schedule_direction,
            old_to_new(_schedule_shown, direction="ranked"),
            _schedule_shown,
        ),
        Row(
            ("reductions",),
            "DOSE_MODIFICATION_CHANGED",
            summary=old_to_new(_reductions_shown, "dose reduction levels"),
            show=_reductions_shown,
        ),
    ),
    by_hand=("fields",),
)

#: A regimen's settings by key; any other key is a `DOSING_REGIMEN_CHANGED`.
REGIMEN_RULES: dict[str, KeyRule] = {
    "route": KeyRule("ROUTE_CHANGED"),
    "frequency": KeyRule("DOSING_SCHEDULE_CHANGED"),
    **dict.fromkeys(("hold", "resume"), KeyRule("DOSE_MODIFICATION_CHANGED", _regimen)),
}


def _regimen_pair(d: Differ, pair: Pair[m.Regimen]) -> None:
    o, n = pair.old, pair.new
    compare(d, REGIMEN, pair)
    _cycle_schedule(d, pair)
    keyed_fields(
        d,
        o.fields,
        n.fields,
        REGIMEN_RULES,
        KeyRule("DOSING_REGIMEN_CHANGED", _regimen),
        target=lambda field_key: f"{pair.target} {field_key.replace('_', ' ')}",
        keys=lambda field_key: (field_key, n.name),
    )


def _cycle_schedule(d: Differ, pair: Pair[m.Regimen]) -> None:
    """A regimen dosed by cycle whose own days are unchanged, but whose cycle's length or
    number of cycles changed: its planned administrations change all the same."""
    o, n = pair.old, pair.new
    if o.days != n.days or o.at_most != n.at_most or o.days is None or o.days.cycle is None:
        return
    old_days = [dose.day for dose in planned_administrations(pair.old_spec, o)]
    new_days = [dose.day for dose in planned_administrations(pair.new_spec, n)]
    if old_days == new_days:
        return
    more, fewer = len(new_days) > len(old_days), len(new_days) < len(old_days)
    direction = "raised" if more else "lowered" if fewer else "changed"
    d.emit(
        "DOSING_SCHEDULE_CHANGED",
        direction,
        pair.target,
        f"its cycle {o.days.cycle} changed: {len(old_days)} → {len(new_days)} planned "
        f"administrations ({direction})",
        old=_schedule_shown(o, pair.old_spec),
        new=_schedule_shown(n, pair.new_spec),
        old_node=o,
        new_node=n,
        keys=pair.keys,
    )


REGIMENS = Kind[m.Regimen](
    "regimen {}",
    "REGIMEN_ADDED",
    "REGIMEN_REMOVED",
    added_label,
    removed_label,
    "DOSING_REGIMEN_CHANGED",
    pair=_regimen_pair,
    show=_schedule_shown,
)


def regimens(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, REGIMENS, old.regimens, new.regimens, old, new)
