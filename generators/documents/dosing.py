"""Dose finding in the documents: levels, escalation rules, DLT, step-up, stopping, sample size.

This module owns what the protocol says about a dose-finding block: the dose
levels table, the escalation rules in words and as a decision table, the DLT
definition and window, the step-up schedule per level, the stopping rules and
the sample size implied by the design.  Decision tables and BOIN boundaries
come from the escalation engine (`generators.escalation`, which needs numpy);
it is imported only here and only when a document is built, and without it
the documents print the rules the spec states and say that the table is not
available.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generators.documents.document import (
    Block,
    Cell,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    Text,
    cell,
    header_cells,
    lines,
    para,
)
from generators.documents.marks import MarkIndex
from protocol_dsl import designs
from protocol_dsl import model as m
from protocol_dsl.schedule.amounts import weight_rule
from protocol_dsl.schedule.regimens import (
    cycle_shape,
    cycle_window,
    is_open_ended,
    planned_administrations,
)
from protocol_dsl.schedule.words import conversion_words, schedule_words
from protocol_dsl.semantics.words import label_phrase, quantity_in_words
from protocol_dsl.spec import Spec


def design_name(kind: str) -> str:
    """The design's name in running text, or `kind` as written when it names no design."""
    design = designs.design_for(kind)
    return design.title if design is not None else kind


def _engine() -> Any | None:
    """The escalation engine, or None where its optional dependency is missing."""
    try:
        import generators.escalation as engine
    except ImportError:
        return None
    return engine


def engine_design(spec: Spec) -> tuple[Any | None, str | None]:
    """The engine's design for the spec's dose finding, or None and the reason in plain words."""
    try:
        from generators.escalation.from_spec import DesignError, NoDesign, spec_design
    except ImportError:
        return None, "the escalation engine is not installed (it needs numpy)"
    try:
        return spec_design(spec).design, None
    except (NoDesign, DesignError) as error:
        return None, getattr(error, "message", str(error))


# ---------------------------------------------------------------- dose levels


def levels_table(finding: m.DoseFinding, marks: MarkIndex) -> Table:
    stepped = {level for step_up in finding.step_ups for level in step_up.levels}
    start = finding.field("start_level")
    start_name = str(start.value.value) if start is not None else None
    rows = []
    for index, level in enumerate(finding.levels, start=1):
        notes: list[str] = []
        if level.name == start_name:
            notes.append("starting level")
        if level.name in stepped:
            notes.append("step-up dosing")
        rows.append(
            (
                cell(str(index)),
                cell(level.name),
                (Paragraph((Text(quantity_in_words(level.dose)), *marks.badges(level.marks))),),
                cell("; ".join(notes)),
            )
        )
    header = (cell("#"), cell("Dose level"), cell("Target dose"), cell("Notes"))
    caption = f"Dose levels of {finding.intervention}"
    footnotes: tuple[Paragraph, ...] = ()
    if finding.levels_marks:
        footnotes = (Paragraph((Text("All dose levels:"), *marks.badges(finding.levels_marks))),)
    return Table(header, tuple(rows), caption, footnotes)


# ---------------------------------------------------------------- escalation


def escalation_blocks(spec: Spec, finding: m.DoseFinding, marks: MarkIndex) -> list[Block]:
    design = finding.design
    if design is None:
        return [para("The spec names no escalation design.")]
    blocks: list[Block] = [
        Paragraph(
            (
                Text(f"Dose escalation follows the {design_name(design.kind)}."),
                *marks.badges(design.marks),
                *marks.citations(design.marks),
            )
        )
    ]
    if design.parameters:
        rows = tuple(
            (
                cell(field.key.replace("_", " ")),
                (
                    Paragraph(
                        (
                            Text(", ".join(v.text for v in field.values)),
                            *marks.badges(field.marks),
                        )
                    ),
                ),
            )
            for field in design.parameters
        )
        blocks.append(
            Table((cell("Parameter"), cell("Value")), rows, "Design parameters", (), "fields")
        )
    blocks += marks.annotations(design.marks)
    engine_obj, problem = engine_design(spec)
    blocks.append(para("Rules in words", style="lead"))
    blocks.append(_bullets(rules_in_words(spec, finding, engine_obj)))
    blocks.append(para("Decision table", style="lead"))
    if engine_obj is None:
        blocks.append(para(f"The decision table cannot be computed: {problem}."))
        return blocks
    engine = _engine()
    assert engine is not None
    try:
        table = engine.decision_table(engine_obj)
    except engine.DesignError as error:
        blocks.append(para(f"No decision table: {error.message}."))
        return blocks
    blocks.append(decision_table_block(table))
    return blocks


def decision_table_block(table: Any) -> Table:
    """The engine's `DecisionTable` as a document table, with its notes beneath."""
    with_stop = any(row.stop_at_least is not None for row in table.rows)
    header = header_cells(
        "Patients treated at the current level",
        "Escalate if DLTs ≤",
        "De-escalate if DLTs ≥",
        "Eliminate the level if DLTs ≥",
    )
    if with_stop:
        header.append(cell("Stop at the lowest level if DLTs ≥"))
    rows = []
    for row in table.rows:
        cells = [
            cell(str(row.patients)),
            cell(_bound(row.escalate_at_most)),
            cell(_bound(row.deescalate_at_least)),
            cell(_bound(row.eliminate_at_least)),
        ]
        if with_stop:
            cells.append(cell(_bound(row.stop_at_least)))
        rows.append(tuple(cells))
    notes = [para("—: the rule does not apply with that many patients.", style="small")]
    notes += [para(note, style="small") for note in table.notes]
    return Table(tuple(header), tuple(rows), table.title, tuple(notes))


def _bound(value: int | None) -> str:
    return "—" if value is None else str(value)


def rules_in_words(spec: Spec, finding: m.DoseFinding, design: Any) -> list[str]:
    """The escalation rules as sentences, from the engine's design where available.

    `design` is the escalation engine's design, or None; the engine is imported only
    when installed, so its classes are told apart by name, not by type.
    """
    start = finding.field("start_level")
    first = str(start.value.value) if start is not None else "the lowest dose level"
    rules: list[str] = []
    name = type(design).__name__ if design is not None else ""
    if name in ("Boin", "Mtpi2", "Crm"):
        rules.append(
            f"Participants are enrolled in cohorts of {design.cohort_size}; the first cohort "
            f"receives {first}."
        )
    if name == "Boin":
        engine = _engine()
        assert engine is not None
        lambdas = engine.boin_lambdas(design)
        rules += [
            "After each cohort, the DLT rate at the current level is the number of participants "
            "with a DLT divided by the number treated at that level so far.",
            f"Escalate to the next higher level if the rate is at most λe = "
            f"{lambdas.escalate:.3f}; de-escalate to the next lower level if it is at least "
            f"λd = {lambdas.deescalate:.3f}; otherwise treat the next cohort at the same level "
            f"(target DLT rate {design.target:g}).",
        ]
    elif name == "Mtpi2":
        rules.append(
            "After each cohort, the posterior of the DLT rate at the current level is "
            "Beta(1 + DLTs, 1 + participants without a DLT); the rates are cut into equal-width "
            f"intervals around the equivalence interval {design.target - design.eps1:.2f}–"
            f"{design.target + design.eps2:.2f}, and the interval with the highest posterior "
            "probability decides: below it escalate, inside it stay, above it de-escalate."
        )
    elif name == "Crm":
        rules.append(
            f"After each cohort, a {design.model} dose–toxicity model is refitted to all "
            f"participants so far; the next cohort receives the level whose estimated DLT rate "
            f"is closest to the target {design.target:g}."
        )
    elif name == "ThreePlusThree":
        rules += [
            f"Cohorts of 3 participants, starting at {first}.",
            "0 DLTs among 3: escalate to the next higher level.",
            "1 DLT among 3: treat 3 more participants at the same level; with at most 1 DLT "
            "among 6 escalate, with 2 or more the level exceeds the MTD.",
            "2 or more DLTs among 3: the level exceeds the MTD.",
        ]
    if name in ("Boin", "Mtpi2"):
        rules.append(
            f"A level is eliminated, together with every higher level, when the probability that "
            f"its DLT rate exceeds {design.target:g} is above {design.elimination_cutoff:g} "
            "(Beta(1, 1) prior, at least 3 participants treated); eliminating the lowest level "
            "stops the trial."
        )
    rules += stopping_rules(finding, design)
    decided = finding.field("decided_by")
    if decided is not None:
        rules.append(f"Each escalation decision is taken by the {decided.value.value}.")
    if design is None and finding.design is not None:
        params = ", ".join(
            f"{p.key.replace('_', ' ')} {', '.join(v.text for v in p.values)}"
            for p in finding.design.parameters
        )
        rules.insert(0, f"{design_name(finding.design.kind)}" + (f": {params}." if params else "."))
    return rules


def stopping_rules(finding: m.DoseFinding, design: Any | None) -> list[str]:
    rules: list[str] = []
    if design is not None and getattr(design, "max_per_dose", None) is not None:
        rules.append(
            f"The trial stops when the current level has {design.max_per_dose} participants "
            "and the decision is to stay."
        )
    if design is not None and hasattr(design, "n_cohorts"):
        rules.append(
            f"Escalation ends after at most {design.n_cohorts} cohorts "
            f"({design.max_sample_size(max(len(finding.levels), 1))} participants)."
        )
    maximum = finding.field("max_sample_size")
    if maximum is not None:
        rules.append(f"No more than {maximum.value.text} participants are dosed in escalation.")
    if design is not None and type(design).__name__ in ("Boin", "Mtpi2"):
        rules.append(
            "At the end, the MTD is the tried, non-eliminated level whose isotonic estimate of "
            "the DLT rate is closest to the target."
        )
    if design is not None and type(design).__name__ == "ThreePlusThree":
        rules.append(
            "Escalation stops when a level exceeds the MTD (2 or more DLTs among 3 or 6 "
            "participants) or when the highest level is cleared."
        )
    return rules


def _bullets(sentences: list[str]) -> Block:
    if not sentences:
        return para("The spec states no further rules.")
    return ListBlock(tuple(ListItem(None, (para(s),)) for s in sentences))


# ---------------------------------------------------------------- DLT and step-up


def dlt_blocks(spec: Spec, finding: m.DoseFinding, marks: MarkIndex) -> list[Block]:
    blocks: list[Block] = []
    if finding.dlt_definition is not None:
        definition = finding.dlt_definition
        blocks.append(
            Paragraph(
                (
                    Text("Definition: "),
                    *lines(definition.text),
                    *marks.badges(definition.marks),
                    *marks.citations(definition.marks),
                )
            )
        )
        blocks += marks.annotations(definition.marks)
    else:
        blocks.append(para("The spec gives no DLT definition."))
    window = finding.dlt_window
    if window is not None:
        blocks.append(
            Paragraph(
                (
                    Text(f"Observation window: {window_words(spec, finding, window)}."),
                    *marks.badges(window.marks),
                )
            )
        )
        blocks += marks.annotations(window.marks)
    else:
        blocks.append(para("The spec gives no DLT observation window."))
    return blocks


def window_words(spec: Spec, finding: m.DoseFinding, window: m.DltWindow) -> str:
    """The DLT window in a sentence: its length and anchor, or the cycle it is."""
    if window.duration is not None:
        return (
            f"{quantity_in_words(window.duration)} from {anchor_words(spec, window.anchor)}, "
            "inclusive"
        )
    text = f"cycle {window.cycle} of the dosing regimen"
    days = cycle_window(spec, finding)
    if days is not None:
        text += f" (study days {days[0]} to {days[1]})"
    return text


def anchor_words(spec: Spec, name: str) -> str:
    """An anchor as it reads in a sentence ("the first administration of QLS4131")."""
    anchor = spec.anchors.get(name)
    if anchor is not None:
        return "the " + label_phrase(anchor.label, anchor.name)
    return "the " + name.replace("_", " ")


def step_up_blocks(finding: m.DoseFinding, marks: MarkIndex) -> list[Block]:
    blocks: list[Block] = []
    for step_up in finding.step_ups:
        levels = [finding.level(name) for name in step_up.levels]
        known = [lv for lv in levels if lv is not None]
        blocks.append(
            Paragraph(
                (
                    Text(
                        f"At {', '.join(step_up.levels)} the target dose is reached through "
                        f"{len(step_up.steps)} step doses:"
                    ),
                    *marks.badges(step_up.marks),
                )
            )
        )
        header: list[Cell] = [cell("Study day"), cell("Step")]
        header += [cell(f"{lv.name} ({quantity_in_words(lv.dose)})") for lv in known]
        rows = []
        for step in step_up.steps:
            row: list[Cell] = [
                cell(f"Day {step.day}"),
                (Paragraph((Text(_step_words(step.amount)), *marks.badges(step.marks))),),
            ]
            row += [cell(_step_dose(step.amount, lv.dose)) for lv in known]
            rows.append(tuple(row))
        blocks.append(Table(tuple(header), tuple(rows), "Step-up schedule"))
        blocks += marks.annotations(step_up.marks)
    return blocks


def _step_words(amount: m.Quantity) -> str:
    if amount.unit == "%":
        return f"{m.format_decimal(amount.value)}% of the target dose"
    return quantity_in_words(amount)


def _step_dose(amount: m.Quantity, target: m.Quantity) -> str:
    if amount.unit == "%":
        dose = target.value * amount.value / Decimal(100)
        return quantity_in_words(m.Quantity(dose, target.unit))
    return quantity_in_words(amount)


# ---------------------------------------------------------------- sample size


def sample_size_lines(spec: Spec, finding: m.DoseFinding) -> list[str]:
    """How the design's maximum sample size compares with the planned enrolment."""
    design, problem = engine_design(spec) if finding.design else (None, None)
    n_levels = len(finding.levels)
    lines: list[str] = []
    escalation: int | None = None
    if design is not None:
        escalation = design.max_sample_size(max(n_levels, 1))
        if hasattr(design, "n_cohorts"):
            lines.append(
                f"Escalation: {n_levels} dose levels, cohorts of {design.cohort_size}, at most "
                f"{design.n_cohorts} cohorts: at most {escalation} participants."
            )
        else:
            lines.append(f"Escalation: {n_levels} dose levels: at most {escalation} participants.")
    elif problem:
        lines.append(f"The escalation sample size cannot be computed: {problem}.")
    maximum = finding.field("max_sample_size")
    if maximum is not None:
        escalation = int(Decimal(str(maximum.value.value)))
        lines.append(f"Maximum dosed in escalation (stated): {escalation}.")
    extra = 0
    for key, words in (("expansion", "Expansion cohorts"), ("backfill", "Backfill cohorts")):
        field = finding.field(key)
        if field is not None:
            count = int(Decimal(str(field.value.value)))
            extra += count
            lines.append(f"{words}: up to {count} participants.")
    enrolment = spec.trial_field("enrolment")
    if escalation is not None:
        total = escalation + extra
        lines.append(f"Maximum in total: {total} participants.")
        if enrolment is not None:
            planned = int(Decimal(str(enrolment.value.value)))
            if planned == total:
                lines.append(f"This equals the planned enrolment of {planned}.")
            else:
                lines.append(
                    f"The planned enrolment is {planned}, which differs from the design's "
                    f"maximum of {total}; one of them needs correcting."
                )
    return lines


# ---------------------------------------------------------------- dosing regimens


def regimen_blocks(spec: Spec, regimen: m.Regimen, marks: MarkIndex) -> list[Block]:
    """A regimen in words, its planned administrations, and its dose modifications."""
    intervention = spec.interventions.get(regimen.intervention)
    name = intervention.label or intervention.name if intervention is not None else None
    users = [df for df in spec.dose_findings if df.regimen == regimen.name]
    head = regimen.label or f"Regimen {regimen.name}"
    lead = f"{head} ({name or regimen.intervention}): "
    if users and regimen.dose is None:
        lead += "each dose level's dose "
    blocks: list[Block] = [
        Paragraph(
            (
                Text(lead + schedule_words(spec, regimen) + "."),
                *marks.badges(regimen.marks),
                *marks.citations(regimen.marks),
            )
        )
    ]
    conversion = conversion_words(regimen)
    if conversion is None and users:
        conversion = next(
            (conversion_words(regimen, lv.dose) for df in users for lv in df.levels), None
        )
    if conversion is not None:
        rule = weight_rule(regimen).describe()
        blocks.append(
            para(
                f"For a dose per body weight or surface area, {conversion}; "
                f"the measure used is {rule}."
            )
        )
    planned = planned_administrations(spec, regimen)
    if planned:
        days = [str(d.day) for d in planned]
        shown = ", ".join(days) if len(days) <= 12 else ", ".join([*days[:10], "…", days[-1]])
        blocks.append(
            para(
                f"Planned administrations ({_count_words(spec, regimen, len(planned))}), "
                f"on study days {shown}."
            )
        )
    if regimen.reductions:
        rows = [
            (
                cell(level.name),
                (Paragraph((Text(quantity_in_words(level.dose)), *marks.badges(level.marks))),),
                cell(level.label or ""),
            )
            for level in regimen.reductions
        ]
        blocks.append(
            Table(
                tuple(header_cells("Level", "Dose", "Description")),
                tuple(rows),
                f"Dose modification levels of {regimen.label or regimen.name}",
            )
        )
    for key, words in (("hold", "Dose withholding"), ("resume", "Resuming dosing")):
        f = regimen.field(key)
        if f is not None:
            blocks.append(Paragraph((Text(f"{words}: {f.value.value}"), *marks.badges(f.marks))))
    blocks += marks.annotations(regimen.marks)
    return blocks


def _count_words(spec: Spec, regimen: m.Regimen, count: int) -> str:
    """ "5 in all", "17 at most" (cycles up to a maximum), "100 at least" (no end given)."""
    if is_open_ended(spec, regimen):
        return f"{count} at least"
    days = regimen.days
    shape = cycle_shape(spec, days.cycle) if days is not None and days.cycle else None
    if shape is not None and not shape.exact:
        return f"{count} at most"
    return f"{count} in all"


def levels_regimen_blocks(spec: Spec, finding: m.DoseFinding) -> list[Block]:
    """How each dose level is given when the dose finding applies a regimen to its levels."""
    regimen = spec.regimens.get(finding.regimen) if finding.regimen is not None else None
    if regimen is None:
        return []
    return [
        para(
            f"Every dose level is given as the regimen "
            f"{label_phrase(regimen.label, regimen.name)}, at the level's dose: "
            f"{schedule_words(spec, regimen)}."
        )
    ]
