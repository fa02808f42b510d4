"""Estimands, analysis sets and the sample size in the protocol document.

ICH M11 states the estimands with the objectives (section 3): one table per
estimand with ICH E9(R1)'s five attributes.  The statistics section
(section 10) states the analysis sets and subgroups with their rules in
words, the sample-size assumptions with the formula's name and the number
recomputed from them, and the summary of the analysis.  Everything printed
is plain text from the spec (the renderers escape it).
"""

from __future__ import annotations

from generators.documents.document import (
    Block,
    Cell,
    Code,
    Inline,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
    cell,
    lines,
    para,
)
from generators.documents.marks import MarkIndex
from protocol_dsl import model as m
from protocol_dsl.checks.sample_size import recompute
from protocol_dsl.semantics.sample_size import METHODS
from protocol_dsl.semantics.words import rule_in_words
from protocol_dsl.spec import Spec

#: ICH E9(R1)'s strategies in the words of the guideline.
STRATEGY_WORDS = {
    "treatment_policy": "Treatment policy",
    "composite": "Composite",
    "hypothetical": "Hypothetical",
    "while_on_treatment": "While on treatment",
    "principal_stratum": "Principal stratum",
}


def _named(label: str | None, name: str) -> tuple[Inline, ...]:
    """ "Label (NAME)", the name set as code (what a data manager searches for)."""
    if label:
        return (Text(f"{label} ("), Code(name), Text(")"))
    return (Code(name),)


def _attribute(title: str, *content: Paragraph) -> tuple[Cell, Cell]:
    return cell(title), tuple(content) or cell("Not stated")


class EstimandContent:
    """The blocks of one spec's estimands, analysis sets and sample size."""

    def __init__(self, spec: Spec, marks: MarkIndex) -> None:
        self.spec = spec
        self.marks = marks
        self.endpoints = {e.name: e for o in spec.objectives for e in o.endpoints}

    # ------------------------------------------------------------ section 3

    def estimands_section(self, number: str) -> Section | None:
        tables: list[Block] = []
        for objective, estimand in self.spec.estimands:
            tables += self.estimand_blocks(objective, estimand)
        if not tables:
            return None
        intro = para(
            "Each estimand is described by the five attributes of ICH E9(R1): the treatment "
            "condition and its comparator, the population, the variable (endpoint), the "
            "handling of intercurrent events and the population-level summary."
        )
        return Section("estimands", number, "Estimands", (intro, *tables))

    def estimand_blocks(self, objective: m.Objective, estimand: m.Estimand) -> list[Block]:
        heading = Paragraph(
            (
                Strong(f"Estimand {estimand.name}"),
                Text(f" ({objective.level} objective {objective.name})"),
                *((Text(f": {estimand.label}"),) if estimand.label else ()),
                *self.marks.badges(estimand.marks),
            )
        )
        rows = [
            _attribute("Treatment", *self.treatment(estimand)),
            _attribute("Population", *self.population(estimand.population)),
            _attribute("Variable", *self.variable(estimand.variable)),
            _attribute("Intercurrent events", *self.intercurrent(estimand)),
            _attribute(
                "Population-level summary",
                *((para(*lines(estimand.summary)),) if estimand.summary else ()),
            ),
        ]
        table = Table(
            (cell("Attribute"), cell("Description")),
            tuple(rows),
            None,
            (),
            "fields",
        )
        return [heading, table, *self.marks.annotations(estimand.marks)]

    def treatment(self, estimand: m.Estimand) -> list[Paragraph]:
        def side(refs: tuple[m.Ref, ...]) -> list[Inline]:
            out: list[Inline] = []
            for k, ref in enumerate(refs):
                arm = self.spec.arms.get(ref.dotted)
                if k:
                    out.append(Text(", "))
                out += _named(arm.label if arm is not None else None, ref.dotted)
            return out

        if not estimand.treatment:
            return []
        inlines = side(estimand.treatment)
        if estimand.comparator:
            inlines += [Text(" versus "), *side(estimand.comparator)]
        return [Paragraph(tuple(inlines))]

    def population(self, ref: m.Ref | None) -> list[Paragraph]:
        if ref is None:
            return []
        population = self.spec.populations.get(ref.dotted)
        if population is None:
            return [Paragraph((Code(ref.dotted),))]
        return [
            Paragraph(_named(population.label, population.name)),
            para(rule_in_words(population.rule, self.spec), style="rule"),
        ]

    def variable(self, ref: m.Ref | None) -> list[Paragraph]:
        if ref is None:
            return []
        endpoint = self.endpoints.get(ref.dotted)
        return [Paragraph(_named(endpoint.text if endpoint else None, ref.dotted))]

    def intercurrent(self, estimand: m.Estimand) -> list[Paragraph]:
        if estimand.no_intercurrent and not estimand.intercurrent:
            return [para("None identified.")]
        out: list[Paragraph] = []
        for event in estimand.intercurrent:
            strategy = STRATEGY_WORDS.get(event.strategy, event.strategy)
            inlines: list[Inline] = [Text(f"{event.text}: "), Strong(strategy)]
            if event.detail:
                inlines.append(Text(f" ({event.detail})"))
            if event.occurs is not None:
                occurs = rule_in_words(event.occurs, self.spec)
                inlines.append(Text(f"; a subject has the event when {occurs}"))
                if event.strategy == "composite":
                    inlines.append(Text(", and is then counted as a non-responder"))
            inlines += self.marks.badges(event.marks)
            out.append(Paragraph(tuple(inlines)))
            out += self.marks.annotations(event.marks)
        return out

    # ------------------------------------------------------------ section 10

    def analysis_sets_section(self, number: str) -> Section | None:
        populations = self.spec.module.of_type(m.Population)
        if not populations:
            return None
        rows: list[tuple[Cell, ...]] = []
        for population in populations:
            name_cell: Cell = (
                Paragraph((Code(population.name), *self.marks.badges(population.marks))),
            )
            kind = "Analysis set" if population.kind == "population" else "Subgroup"
            label: list[Inline] = [Text(population.label or population.name)]
            label += [Text(f" [{c.system} {c.value}]") for c in population.codes]
            rows.append(
                (
                    name_cell,
                    cell(kind),
                    (Paragraph(tuple(label)),),
                    (
                        para(rule_in_words(population.rule, self.spec), style="rule"),
                        *self.marks.annotations(population.marks),
                    ),
                )
            )
        table = Table(
            (cell("Name"), cell("Kind"), cell("Description"), cell("Rule")),
            tuple(rows),
            "Analysis sets and subgroups",
        )
        return Section("analysis-sets", number, "Analysis sets and subgroups", (table,))

    def sample_size_blocks(self) -> list[Block]:
        statistics = self.spec.statistics
        if statistics is None:
            return []
        blocks: list[Block] = []
        for sample_size in statistics.sample_sizes:
            method = METHODS.get(sample_size.method)
            title = method.title if method is not None else sample_size.method
            heading: list[Inline] = [Strong(f"Sample-size assumptions: {title}")]
            if sample_size.label:
                heading.append(Text(f" ({sample_size.label})"))
            heading += self.marks.badges(sample_size.marks)
            heading += self.marks.citations(sample_size.marks)
            blocks.append(Paragraph(tuple(heading)))
            rows = []
            for f in sample_size.parameters:
                parameter = method.parameter(f.key) if method is not None else None
                meaning = parameter.meaning if parameter is not None else f.key
                value = ", ".join(v.text for v in f.values)
                rows.append(
                    (
                        (Paragraph((Code(f.key),)),),
                        cell(meaning),
                        (Paragraph((Text(value), *self.marks.badges(f.marks))),),
                    )
                )
            blocks.append(
                Table(
                    (cell("Parameter"), cell("Meaning"), cell("Value")),
                    tuple(rows),
                )
            )
            result = recompute(self.spec, sample_size)
            if result is not None:
                blocks.append(
                    para(
                        Strong("Recomputed: "),
                        f"{result.describe()}.",
                    )
                )
            blocks += self.marks.annotations(sample_size.marks)
        return blocks

    def analysis_section(self, number: str) -> Section | None:
        statistics = self.spec.statistics
        if statistics is None or not (statistics.analyses or statistics.marks):
            return None
        blocks: list[Block] = [para(*lines(text)) for text in statistics.analyses]
        blocks += self.marks.annotations(statistics.marks)
        return Section("statistical-analysis", number, "Statistical analysis", tuple(blocks))
