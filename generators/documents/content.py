"""The protocol document's content, built once from the spec in ICH M11 heading order.

This module owns what the protocol says and in which order: the title page,
the consolidated open questions and provisional values, the amendment
details and sections 1 to 14 of ICH M11 (final, Step 4).  It produces the
format-free document model of `document.py`; the renderers decide how it
looks.  Everything printed comes from the spec: criteria keep their verbatim
text with the rule in plain words beneath, and every provisional value or
open question carries a visible, numbered badge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar, cast

from generators.documents import dosing
from generators.documents.data_dictionary import DataDictionary
from generators.documents.document import (
    Block,
    Cell,
    Code,
    Document,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
    cell,
    document_text,
    header_cells,
    lines,
    para,
)
from generators.documents.estimands import EstimandContent
from generators.documents.marks import MarkEntry, MarkIndex, quantity_as_written
from generators.documents.prose import Prose
from generators.documents.schedule import build_schedule, visit_rows
from generators.documents.soa_groups import group_schedule, soa_blocks
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.fields import INTERVENTION_FIELDS, TRIAL_FIELDS
from protocol_dsl.semantics.words import (
    criterion_in_words,
    endpoint_in_words,
    label_phrase,
    quantity_in_words,
    rule_in_words,
)
from protocol_dsl.spec import Scope, Spec, walk_scoped

CAVEAT = (
    "Values marked PROVISIONAL are illustrative: they are not taken from the source document "
    "and must be confirmed before the protocol is used. Open questions are listed with the "
    "reading the specification currently encodes."
)

# Words of field values that read better spelled out.
_VALUE_WORDS = {
    "non_randomized": "non-randomised",
    "randomized": "randomised",
    "open_label": "open label (no masking)",
    "single_group": "single group",
    "na": "not applicable",
}


_MASKING_WORDS = {
    "open_label": "open label",
    "single": "single-blind",
    "double": "double-blind",
    "triple": "triple-blind",
    "quadruple": "quadruple-blind",
}


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.marks = MarkIndex(spec)
        self.schedule = group_schedule(spec, build_schedule(spec))
        self.finding = spec.dose_finding
        self.numbers: dict[str, str] = {}  # section id -> number, for cross-references
        self.dictionary = DataDictionary(spec, self.marks)
        self.estimands = EstimandContent(spec, self.marks)
        self.prose = Prose(spec, self.marks)

    # ------------------------------------------------------------ helpers

    def field_value(self, field: m.Field) -> str:
        return ", ".join(_value_words(v) for v in field.values)

    def field_inlines(self, field: m.Field) -> tuple[Inline, ...]:
        parts: list[Inline] = list(lines(self.field_value(field)))
        parts += [Text(f" [{c.system} {c.value}]") for c in field.codes]
        parts += self.marks.badges(field.marks)
        parts += self.marks.citations(field.marks)
        return tuple(parts)

    def field_rows(self, keys: Iterable[str], labels: dict[str, str]) -> list[tuple[Cell, ...]]:
        rows: list[tuple[Cell, ...]] = []
        for key in keys:
            fields = self.spec.trial.all(key) if self.spec.trial else ()
            for field in fields:
                rows.append((cell(labels.get(key, key)), (Paragraph(self.field_inlines(field)),)))
        return rows

    def fields_table(self, rows: Sequence[tuple[Cell, ...]], caption: str | None = None) -> Table:
        return Table((cell("Item"), cell("Value")), tuple(rows), caption, (), "fields")

    def text_field(self, key: str) -> str | None:
        field = self.spec.trial_field(key)
        return str(field.value.value) if field is not None else None

    # ------------------------------------------------------------ the document

    def document(self) -> Document:
        trial = self.spec.trial
        title = self.text_field("title") or (trial.name if trial else Path(self.spec.path).stem)
        subtitle = self.text_field("short_title") or ""
        title_blocks = self.title_page()
        # the numbered sections first: the parts they leave to be completed are listed
        # at the front, with the open questions
        numbered = [
            self.summary(),
            self.introduction(),
            self.objectives(),
            self.design(),
            self.population(),
            self.intervention(),
            self.discontinuation(),
            self.assessments(),
            self.adverse_events(),
            self.statistics(),
            self.oversight(),
            self.appendix(),
        ]
        sections = [self.open_questions(), self.amendments(), *numbered]
        draft = Document(title, subtitle, title_blocks, tuple(sections))
        sections += [self.glossary(draft), self.references()]
        return Document(title, subtitle, title_blocks, tuple(sections))

    def title_page(self) -> tuple[Block, ...]:
        labels = {
            "acronym": "Acronym",
            "sponsor_protocol_id": "Sponsor protocol identifier",
            "ind": "US IND number",
            "sponsor": "Sponsor",
            "sponsor_address": "Sponsor address",
            "collaborator": "Collaborator",
            "site": "Trial site",
            "contact": "Contact",
            "phase": "Phase",
            "version": "Protocol version",
            "version_date": "Protocol version date",
            "status": "Recruitment status",
            "condition": "Condition",
        }
        rows: list[tuple[Cell, ...]] = []
        if self.spec.trial is not None:
            rows.append((cell("Protocol identifier"), (para(Code(self.spec.trial.name)),)))
        rows += self.field_rows(labels, labels)
        registries = self.spec.trial.all("registry") if self.spec.trial else ()
        for at, field in enumerate(registries, start=min(2, len(rows))):
            rows.insert(
                at,
                (
                    cell(_registry_label(self.field_value(field))),
                    (Paragraph(self.field_inlines(field)),),
                ),
            )
        if self.spec.amendments:
            latest = self.spec.amendments[-1]
            rows.append((cell("Amendment"), cell(m.format_decimal(latest.number))))
        blocks: list[Block] = [self.fields_table(rows, "Identifiers")]
        blocks += self.signatures()
        if self.marks.provisional or self.marks.questions:
            blocks.append(
                Paragraph(
                    (
                        Strong("Caveat. "),
                        Text(
                            f"{CAVEAT} This version has "
                            f"{counted(len(self.marks.provisional), 'provisional value')} and "
                            f"{counted(len(self.marks.questions), 'open question')}, listed in "
                        ),
                        _link("Open questions and provisional values", "open-questions"),
                        Text("."),
                    ),
                    style="caveat",
                )
            )
        blocks.append(
            para(
                "Generated from the protocol specification ",
                Code(Path(self.spec.path).name),
                "; edit the specification, not this document.",
                style="small",
            )
        )
        return tuple(blocks)

    def signatures(self) -> list[Block]:
        """The sponsor's signature block (M11 title page) and the investigator's agreement."""
        signatory = self.spec.trial_field("sponsor_signatory")
        sponsor = self.spec.trial_field("sponsor")
        who: Cell = (
            (Paragraph(self.field_inlines(signatory)),)
            if signatory is not None
            else (
                self.prose.todo(
                    "Title page",
                    "Sponsor signatory",
                    "The name and title of the person who signs the protocol for the sponsor "
                    "(the header field sponsor_signatory)",
                ),
            )
        )
        sponsor_rows = (
            (cell("Sponsor"), (Paragraph(self.field_inlines(sponsor)),) if sponsor else cell("")),
            (cell("Name and title"), who),
            (cell("Signature"), cell("")),
            (cell("Date"), cell("")),
        )
        investigator_rows = (
            (cell("Name"), cell("")),
            (cell("Site"), cell("")),
            (cell("Signature"), cell("")),
            (cell("Date"), cell("")),
        )
        return [
            para(
                "Signed for the sponsor, who approves this protocol and undertakes to conduct "
                "the trial as it describes:"
            ),
            self.fields_table(sponsor_rows, "Sponsor signatory"),
            para(
                "Investigator's agreement: I have read this protocol and agree to conduct the "
                "trial as it describes, in accordance with ICH E6 and the applicable "
                "regulations."
            ),
            self.fields_table(investigator_rows, "Investigator"),
        ]

    # ------------------------------------------------------------ front matter

    def open_questions(self) -> Section:
        if not (self.marks.questions or self.marks.provisional):
            blocks: list[Block] = [
                para(
                    "This version of the protocol has no provisional values and no open questions."
                ),
                *self.open_items(),
                *self.allowed_findings(),
            ]
            return Section(
                "open-questions", "", "Open questions and provisional values", tuple(blocks)
            )
        blocks = [
            para(CAVEAT, style="caveat"),
            _marks_table(
                self.marks.questions,
                "Q",
                "Open question",
                "Open questions",
                lambda e: e.text,
                "There are no open questions.",
            ),
            _marks_table(
                self.marks.provisional,
                "P",
                "Provisional value",
                "Provisional values (illustrative, not from the source document)",
                lambda e: e.value,
                "There are no provisional values.",
            ),
            *self.open_items(),
            *self.allowed_findings(),
        ]
        return Section("open-questions", "", "Open questions and provisional values", tuple(blocks))

    def open_items(self) -> tuple[Block, ...]:
        """The parts of the protocol the specification does not say yet, section by section."""
        if not self.prose.open_items:
            return ()
        return (
            para(
                f"{counted(len(self.prose.open_items), 'part')} of the protocol "
                "cannot be written from the specification yet; each reads "
                "“To be completed” in its section:"
            ),
            self.prose.open_items_table(),
        )

    def allowed_findings(self) -> tuple[Block, ...]:
        """The checker's findings the writers reviewed and allowed, with their reasons.

        Nothing when there are none, so a spec without `allow` reads as before.
        """
        if not self.marks.allowances:
            return ()
        rows = tuple(
            (cell(e.code), cell(e.title), cell(e.where), cell(*lines(e.reason)))
            for e in self.marks.allowances
        )
        return (
            Table(
                (cell("Code"), cell("Finding"), cell("Where"), cell("Reason it is accepted")),
                rows,
                "Reviewed findings of the consistency checks, allowed with a reason",
            ),
        )

    def section_reference(self, section_id: str, otherwise: str) -> Inline:
        """The number of a section as a link to it (a cross-reference in Word), or the
        number of the section it would be part of when the spec does not give it."""
        number = self.numbers.get(section_id)
        return _link(number, section_id) if number is not None else Text(otherwise)

    def amendments(self) -> Section:
        blocks: list[Block] = []
        version = self.spec.trial_field("version")
        date = self.spec.trial_field("version_date")
        if version is not None or date is not None:
            parts: list[Inline] = [Text("This is protocol version ")]
            if version is not None:
                parts += self.field_inlines(version)
            if date is not None:
                parts += [Text(" of "), *self.field_inlines(date)]
            parts.append(Text("."))
            blocks.append(Paragraph(tuple(parts)))
        if not self.spec.amendments:
            blocks.append(para("This is the original protocol: it has no amendments."))
        for amendment in self.spec.amendments:
            heading = f"Amendment {m.format_decimal(amendment.number)}"
            if amendment.date is not None:
                heading += f" ({amendment.date.isoformat()})"
            blocks.append(para(Strong(heading)))
            if amendment.summary:
                blocks.append(para("Summary: ", amendment.summary))
            for reason in amendment.reasons:
                blocks.append(para("Reason: ", reason))
            if amendment.changes:
                rows = []
                for change in amendment.changes:
                    rationale = m.marks_of(change.marks, "rationale")
                    rows.append(
                        (
                            cell(change.target or "—"),
                            (Paragraph((Text(change.text), *self.marks.badges(change.marks))),),
                            cell("; ".join(rationale)),
                        )
                    )
                blocks.append(
                    Table(
                        (cell("Section or item"), cell("Change"), cell("Rationale")),
                        tuple(rows),
                        f"Changes in amendment {m.format_decimal(amendment.number)}",
                    )
                )
        return Section("amendments", "", "Amendment details", tuple(blocks))

    # ------------------------------------------------------------ 1 protocol summary

    def summary(self) -> Section:
        labels = {
            "title": "Title",
            "short_title": "Short title",
            "acronym": "Acronym",
            "registry": "Registry identifier",
            "sponsor": "Sponsor",
            "phase": "Phase",
            "condition": "Condition",
            "study_type": "Study type",
            "allocation": "Allocation",
            "model": "Intervention model",
            "masking": "Masking",
            "purpose": "Primary purpose",
            "enrolment": "Planned enrolment",
            "sex": "Sex",
            "minimum_age": "Minimum age",
            "maximum_age": "Maximum age",
            "healthy_volunteers": "Healthy volunteers",
            "length": "Length of participation",
            # the registration facts (the registry record reads them)
            "start_date": "Study start date",
            "primary_completion_date": "Primary completion date",
            "completion_date": "Study completion date",
            "why_stopped": "Why the trial stopped",
            "responsible_party": "Responsible party",
            "data_monitoring_committee": "Data monitoring committee",
            "fda_regulated_drug": "Studies a drug regulated by the US FDA",
            "fda_regulated_device": "Studies a device regulated by the US FDA",
            "contact": "Contact",
        }
        rows = self.field_rows(labels, labels)
        for intervention in self.spec.interventions.values():
            rows.append((cell("Intervention"), cell(f"{intervention.label or intervention.name}")))
        if self.finding is not None and self.finding.levels:
            levels = ", ".join(
                f"{lv.name} {quantity_in_words(lv.dose)}" for lv in self.finding.levels
            )
            rows.append(
                (
                    cell("Dose levels"),
                    (Paragraph((Text(levels), *self.marks.badges(self.finding.levels_marks))),),
                )
            )
        if self.finding is not None and self.finding.design is not None:
            design = self.finding.design
            rows.append(
                (
                    cell("Escalation design"),
                    (
                        Paragraph(
                            (
                                Text(dosing.design_name(design.kind)),
                                *self.marks.badges(design.marks),
                            )
                        ),
                    ),
                )
            )
        inclusions, exclusions = len(self.spec.inclusions), len(self.spec.exclusions)
        rows.append(
            (
                cell("Eligibility"),
                cell(
                    f"{inclusions} inclusion and {exclusions} exclusion criteria (section ",
                    _link("5", "population"),
                    ")",
                ),
            )
        )
        for objective in self.spec.objectives:
            if objective.level != "primary":
                continue
            for endpoint in objective.endpoints:
                if endpoint.kind in ("flag", "record_flag"):
                    continue  # an analysis flag is no endpoint of the synopsis (nor the registry)
                frame = f" ({endpoint.timeframe})" if endpoint.timeframe else ""
                rows.append(
                    (
                        cell("Primary endpoint"),
                        (
                            Paragraph(
                                (Text(endpoint.text + frame), *self.marks.badges(endpoint.marks))
                            ),
                        ),
                    )
                )
        summary = self.spec.trial_field("summary")
        if summary is not None:
            rows.append((cell("Brief summary"), (Paragraph(self.field_inlines(summary)),)))
        synopsis = Section("synopsis", "1.1", "Synopsis", (self.fields_table(rows, "Synopsis"),))
        schema = Section("schema", "1.2", "Trial schema", tuple(self.schema_blocks()))
        soa = Section(
            "schedule-of-activities",
            "1.3",
            "Schedule of activities",
            soa_blocks(self.spec, self.schedule, self.marks),
        )
        return Section("summary", "1", "Protocol summary", (), (synopsis, schema, soa), True)

    def schema_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        epochs = list(self.spec.epochs.values())
        if epochs:
            rows = []
            for epoch in epochs:
                visits = [v for v in self.spec.visit_order if v.epoch == epoch.name]
                days = [v.day for v in visits if v.day is not None]
                ends = [v.day_end if v.day_end is not None else v.day for v in visits if v.day]
                span = ""
                if days:
                    span = f"{_day(min(days))} to {_day(max(e for e in ends if e is not None))}"
                rows.append(
                    (
                        (
                            Paragraph(
                                (Text(epoch.label or epoch.name), *self.marks.badges(epoch.marks))
                            ),
                        ),
                        cell(self.visit_list(visits)),
                        cell(span),
                    )
                )
            blocks.append(
                Table((cell("Epoch"), cell("Visits"), cell("Study days")), tuple(rows), "Epochs")
            )
            flow = " → ".join(e.label or e.name for e in epochs)
            blocks.append(para(f"Participants pass through the epochs in this order: {flow}."))
        for arm in self.spec.arms.values():
            blocks.append(self.arm_paragraph(arm))
        if not blocks:
            blocks.append(para("The spec declares no epochs or arms."))
        return blocks

    def visit_list(self, visits: list[m.Visit]) -> str:
        """Visit names, a cycle's or a repeat's visits said once where the first falls:
        "SCR, C1D1 … C17D1 (treatment cycle, 20 visits), TA1 … TA12 (tumour assessment, 12
        visits)"."""
        series: dict[str, list[str]] = {}
        for visit in visits:
            if visit.series is not None:
                series.setdefault(visit.series, []).append(visit.name)
        out: list[str] = []
        for visit in visits:
            names = series.get(visit.series or "", [])
            if len(names) < 3:
                out.append(visit.name)
            elif visit.name == names[0]:
                decl = self.spec.cycles.get(visit.series or "") or self.spec.repeats.get(
                    visit.series or ""
                )
                label = label_phrase(decl.label if decl else None, visit.series or "")
                out.append(f"{names[0]} … {names[-1]} ({label}, {len(names)} visits)")
        return ", ".join(out)

    def arm_paragraph(self, arm: m.Arm) -> Paragraph:
        parts: list[Inline] = [Strong(arm.label or arm.name)]
        details = []
        if arm.type:
            details.append(arm.type.replace("_", " "))
        if arm.receives:
            received = [
                (self.spec.interventions[n].label or n) if n in self.spec.interventions else n
                for n in arm.receives
            ]
            details.append("receives " + ", ".join(received))
        if details:
            parts.append(Text(f" ({'; '.join(details)})"))
        if arm.steps:
            steps = []
            for step in arm.steps:
                element = self.spec.elements.get(step.element)
                steps.append(element.label or element.name if element else step.element)
            parts.append(Text(": " + " → ".join(steps)))
        parts.append(Text("."))
        if arm.description:
            parts.append(Text(f" {arm.description}."))
        parts += self.marks.badges(arm.marks)
        return Paragraph(tuple(parts))

    # ------------------------------------------------------------ 2 introduction

    def introduction(self) -> Section:
        registry: list[Block] = []
        if self.prose.written("purpose") is None:
            # the registry summary says why the trial is done until the writer does
            for key in ("summary", "description"):
                field = self.spec.trial_field(key)
                if field is not None:
                    registry.append(Paragraph(self.field_inlines(field)))
        purpose = self.prose.section(
            "purpose",
            "2.1",
            registry,
            "why the trial is done: the question it answers and the decision it informs",
        )
        conditions = self.spec.trial.all("condition") if self.spec.trial else ()
        facts: list[Block] = []
        if conditions:
            parts: list[Inline] = [Text("Condition studied: ")]
            for index, field in enumerate(conditions):
                if index:
                    parts.append(Text("; "))
                parts += self.field_inlines(field)
            parts.append(Text("."))
            facts.append(Paragraph(tuple(parts)))
        background = self.prose.section(
            "background",
            "2.2",
            facts,
            "the disease, the current treatments and what is known of the trial intervention "
            "(nonclinical and clinical findings)",
        )
        benefit_risk = Section(
            "benefit-risk",
            "2.3",
            "Benefit–risk assessment",
            (),
            (
                self.prose.section(
                    "benefits", "2.3.1", None, "the benefits participants may expect"
                ),
                self.prose.section(
                    "risks",
                    "2.3.2",
                    None,
                    "the known and potential risks of the trial intervention and procedures, "
                    "and how each is mitigated",
                ),
                self.prose.section(
                    "benefit_risk",
                    "2.3.3",
                    None,
                    "the conclusion that the expected benefits justify the risks",
                ),
            ),
        )
        return Section(
            "introduction", "2", "Introduction", (), (purpose, background, benefit_risk), True
        )

    # ------------------------------------------------------------ 3 objectives

    def objectives(self) -> Section:
        if not self.spec.objectives:
            return Section(
                "objectives",
                "3",
                "Objectives and endpoints",
                (para("The spec declares no objectives."),),
                (),
                True,
            )
        rows: list[tuple[Cell, Cell, Cell, Cell]] = []
        for objective in self.spec.objectives:
            for index, endpoint in enumerate(objective.endpoints or (None,)):
                objective_cell: Cell = ()
                if index == 0:
                    objective_cell = (
                        Paragraph((Text(objective.text), *self.marks.badges(objective.marks))),
                        *self.marks.annotations(objective.marks),
                    )
                if endpoint is None:
                    rows.append((cell(objective.level.capitalize()), objective_cell, (), ()))
                    continue
                endpoint_cell: list[Paragraph] = [
                    Paragraph(
                        (
                            Text(endpoint.text),
                            *self.marks.badges(endpoint.marks),
                            *self.marks.citations(endpoint.marks),
                        )
                    )
                ]
                endpoint_cell += self.derivation(endpoint)
                endpoint_cell += self.marks.annotations(endpoint.marks)
                frame: list[str] = []
                if endpoint.timeframe:
                    frame.append(endpoint.timeframe)
                if endpoint.until is not None and endpoint.until_anchor:
                    frame.append(
                        f"until {quantity_in_words(endpoint.until)} after "
                        f"{dosing.anchor_words(self.spec, endpoint.until_anchor)}"
                    )
                rows.append(
                    (
                        cell(objective.level.capitalize() if index == 0 else ""),
                        objective_cell,
                        tuple(endpoint_cell),
                        cell("; ".join(frame)),
                    )
                )
        table = Table(
            (cell("Level"), cell("Objective"), cell("Endpoint"), cell("Time frame")),
            tuple(rows),
            "Objectives and endpoints",
        )
        estimands = self.estimands.estimands_section("3.1")
        if estimands is None:
            return Section("objectives", "3", "Objectives and endpoints", (table,), (), True)
        return Section("objectives", "3", "Objectives and estimands", (table,), (estimands,), True)

    # ------------------------------------------------------------ 4 trial design

    def design(self) -> Section:
        subsections: list[Section] = []
        keys = [
            "study_type",
            "phase",
            "allocation",
            "model",
            "masking",
            "purpose",
            "control",
            "comparator",
            "trial_type",
            "indication",
            "indication_type",
            "diagnosis_group",
            "add_on",
            "enrolment",
            "length",
            "country",
        ]
        labels = {k: _field_label(k) for k in keys}
        rows = self.field_rows(keys, labels)
        overall: list[Block] = [self.fields_table(rows, "Design")] if rows else []
        if not overall:
            overall.append(para("The trial header gives no design fields."))
        subsections.append(Section("overall-design", "4.1", "Overall design", tuple(overall)))
        subsections.append(
            Section("arms-epochs", "4.2", "Arms, epochs and elements", tuple(self.arm_blocks()))
        )
        subsections.append(
            Section("visits", "4.3", "Visits and windows", (visit_rows(self.spec, self.marks),))
        )
        if self.finding is not None:
            subsections += self.dose_finding_sections("4.4")
        subsections += self.design_narratives(len(subsections) + 1)
        return Section("trial-design", "4", "Trial design", (), tuple(subsections), True)

    def design_narratives(self, first: int) -> list[Section]:
        """Rationale, justification of the dose, start and end of the trial (M11 4.2–4.4)."""
        number = iter(f"4.{index}" for index in range(first, first + 5))
        sections = [
            self.prose.section(
                "design_rationale",
                next(number),
                None,
                "why this design: the choice of control, masking, duration and endpoints",
            ),
            self.prose.section(
                "dose_rationale",
                next(number),
                None,
                "why these doses and this regimen (nonclinical data, exposure, earlier trials)",
            ),
        ]
        dates = [
            (label, self.spec.trial_field(key))
            for key, label in (
                ("start_date", "Start of the trial (first participant enrolled)"),
                ("primary_completion_date", "Primary completion"),
                ("completion_date", "End of the trial (last participant's last visit)"),
            )
        ]
        rows = [(cell(label), (Paragraph(self.field_inlines(f)),)) for label, f in dates if f]
        facts: list[Block] = [self.fields_table(rows, "Trial dates")] if rows else []
        sections.append(
            self.prose.section(
                "end_of_trial",
                next(number),
                facts,
                "the definition of the start and of the end of the trial (for example the "
                "last visit of the last participant)",
            )
        )
        if self.prose.written("post_trial_access") is not None:
            sections.append(self.prose.section("post_trial_access", next(number)))
        return sections

    def arm_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for arm in self.spec.arms.values():
            blocks.append(self.arm_paragraph(arm))
        elements = list(self.spec.elements.values())
        if elements:
            with_dose = any(e.dose is not None for e in elements)
            rows = []
            for e in elements:
                row: list[Cell] = [
                    cell(e.name),
                    (Paragraph((Text(e.label or e.name), *self.marks.badges(e.marks))),),
                    cell(e.start or ""),
                    cell(e.end or ""),
                    cell(quantity_in_words(e.duration) if e.duration else ""),
                ]
                if with_dose:
                    row.append(cell(quantity_in_words(e.dose) if e.dose else ""))
                rows.append(tuple(row))
            header = header_cells("Element", "Description", "Starts", "Ends", "Planned duration")
            if with_dose:
                header.append(cell("Dose"))
            blocks.append(Table(tuple(header), tuple(rows), "Elements"))
        for arm in self.spec.arms.values():
            if not arm.steps:
                continue
            rows = []
            for step in arm.steps:
                epoch = self.spec.epochs.get(step.epoch)
                rows.append(
                    (
                        cell(epoch.label or epoch.name if epoch else step.epoch),
                        cell(step.element),
                        cell(step.branch or ""),
                        cell(step.transition or ""),
                    )
                )
            blocks.append(
                Table(
                    (cell("Epoch"), cell("Element"), cell("Branch"), cell("Transition")),
                    tuple(rows),
                    f"Arm {arm.label or arm.name}: elements by epoch",
                )
            )
        if not blocks:
            blocks.append(para("The spec declares no arms or elements."))
        return blocks

    def dose_finding_sections(self, number: str) -> list[Section]:
        finding = self.finding
        assert finding is not None
        base = number.rsplit(".", 1)[0]
        start = int(number.rsplit(".", 1)[1])
        blocks: list[Block] = [dosing.levels_table(finding, self.marks)]
        blocks += self.marks.annotations(finding.levels_marks)
        start_level = finding.field("start_level")
        if start_level is not None:
            blocks.append(
                Paragraph(
                    (
                        Text(f"The first cohort receives {start_level.value.value}."),
                        *self.marks.badges(start_level.marks),
                    )
                )
            )
        for offset, key in enumerate(("dose-levels", "escalation", "dlt", "step-up", "stopping")):
            self.numbers[key] = f"{base}.{start + offset}"
        sections = [Section("dose-levels", f"{base}.{start}", "Dose levels", tuple(blocks))]
        sections.append(
            Section(
                "escalation",
                f"{base}.{start + 1}",
                "Dose escalation",
                tuple(dosing.escalation_blocks(self.spec, finding, self.marks)),
            )
        )
        sections.append(
            Section(
                "dlt",
                f"{base}.{start + 2}",
                "Dose-limiting toxicity",
                tuple(dosing.dlt_blocks(self.spec, finding, self.marks)),
            )
        )
        step_blocks: list[Block] = dosing.levels_regimen_blocks(self.spec, finding)
        step_blocks += dosing.step_up_blocks(finding, self.marks)
        if not step_blocks:
            step_blocks.append(para("Every dose level is given as a single target dose."))
        sections.append(
            Section("step-up", f"{base}.{start + 3}", "Step-up dosing", tuple(step_blocks))
        )
        design, _ = dosing.engine_design(self.spec) if finding.design else (None, None)
        stops: list[Block] = [_bullets(dosing.stopping_rules(finding, design))]
        for key, words in (
            ("expansion", "Expansion cohorts at the selected dose(s): up to {} participants."),
            ("backfill", "Backfill at cleared dose levels: up to {} participants."),
            ("rp2d", "Recommended phase 2 dose: {}"),
        ):
            field = finding.field(key)
            if field is not None:
                stops.append(
                    Paragraph(
                        (
                            Text(words.format(field.value.text.strip('"'))),
                            *self.marks.badges(field.marks),
                        )
                    )
                )
        sections.append(
            Section("stopping", f"{base}.{start + 4}", "Stopping rules and expansion", tuple(stops))
        )
        return sections

    # ------------------------------------------------------------ 5 population

    def population(self) -> Section:
        subsections = [
            Section(
                "inclusion",
                "5.1",
                "Inclusion criteria",
                (self.criteria_list(self.spec.inclusions, "inclusion"),),
            ),
            Section(
                "exclusion",
                "5.2",
                "Exclusion criteria",
                (self.criteria_list(self.spec.exclusions, "exclusion"),),
            ),
            Section(
                "criteria-definitions",
                "5.3",
                "Definitions used by the criteria",
                tuple(self.definitions_blocks()),
            ),
        ]
        keys = ["sex", "minimum_age", "maximum_age", "healthy_volunteers", "age_group"]
        rows = self.field_rows(keys, {k: _field_label(k) for k in keys})
        if rows:
            subsections.append(
                Section("demography", "5.4", "Sex and age", (self.fields_table(rows),))
            )
        if self.prose.written("lifestyle") is not None:
            subsections.append(self.prose.section("lifestyle", f"5.{len(subsections) + 1}"))
        subsections.append(self.contraception(f"5.{len(subsections) + 1}"))
        subsections.append(
            self.prose.section(
                "screen_failures",
                f"5.{len(subsections) + 1}",
                None,
                "what is recorded for a person who is screened but not enrolled, and whether "
                "rescreening is allowed",
            )
        )
        intro = para(
            "Each criterion is quoted verbatim. Beneath it, the rule the screening checks "
            "apply, in plain words; a criterion that needs a person's judgement says who "
            "confirms it. Missing data leave a criterion undecided, never met or not met."
        )
        return Section("population", "5", "Trial population", (intro,), tuple(subsections), True)

    def contraception(self, number: str) -> Section:
        """Contraception and pregnancy testing: the criteria that speak of them, then the text.

        Women of childbearing potential may enrol unless the header says only men do; then
        the section is required, and without criteria or text it is an open item.
        """
        sex = self.spec.trial_field("sex")
        women_enrol = sex is None or str(sex.value.value) != "male"
        criteria = [c for c in self.spec.criteria if _REPRODUCTIVE.search(c.text)]
        facts: list[Block] = []
        if not women_enrol:
            facts.append(para("Only men enrol in this trial."))
        elif sex is None:
            facts.append(
                para(
                    "The trial header does not say which sexes enrol: women of childbearing "
                    "potential are assumed to enrol."
                )
            )
        else:
            facts.append(para("Women of childbearing potential may enrol in this trial."))
        if criteria:
            facts.append(para("These eligibility criteria concern pregnancy and contraception:"))
            facts.append(ListBlock(tuple(self.criterion_item(c) for c in criteria), labelled=True))
        items = self.dictionary.reproductive_items()
        if items:
            facts.append(para("Collected on the case report forms: ", "; ".join(items), "."))
        heading = "Contraception and pregnancy testing"
        blocks = [*facts, *self.prose.blocks("contraception")]
        if self.prose.written("contraception") is None and (women_enrol or criteria):
            blocks.append(
                self.prose.todo(
                    number,
                    heading,
                    "The methods of contraception accepted, for how long before, during and "
                    "after dosing, and the schedule of pregnancy tests",
                    "contraception",
                )
            )
        return Section("narrative-contraception", number, heading, tuple(blocks))

    def criteria_list(self, criteria: Iterable[m.Criterion], kind: str) -> Block:
        items = [self.criterion_item(c) for c in criteria]
        if not items:
            return para(f"There are no {kind} criteria.")
        return ListBlock(tuple(items), labelled=True)

    def criterion_item(self, criterion: m.Criterion) -> ListItem:
        verbatim = Paragraph(
            (
                *lines(criterion.text),
                *self.marks.badges(criterion.marks),
                *self.marks.citations(criterion.marks),
            )
        )
        line = criterion_in_words(criterion, self.spec)
        prefix, _, words = line.partition(": ")
        rule = para(Strong(prefix + ": "), words, style="rule")
        return ListItem(
            criterion.id,
            (verbatim, rule, *self.marks.annotations(criterion.marks)),
            anchor=f"criterion-{criterion.id}",
        )

    def definitions_blocks(self) -> list[Block]:
        items: list[ListItem] = []
        for owner, decl, scope in _definitions_used(self.spec):
            name = decl.name if owner is self.spec else f"{_alias(self.spec, owner)}.{decl.name}"
            if isinstance(decl, m.Derive):
                name = f"{scope.record.name if scope.record else ''}.{decl.name}"
            items.append(
                ListItem(
                    None,
                    (
                        Paragraph(
                            (
                                Strong(decl.label or decl.name),
                                Text(" ("),
                                Code(name),
                                Text("): "),
                                Text(rule_in_words(decl.expr, self.spec, scope)),
                                *self.marks.badges(decl.marks),
                            )
                        ),
                        *self.marks.annotations(decl.marks),
                    ),
                )
            )
        if not items:
            return [para("The criteria use no named definitions.")]
        return [ListBlock(tuple(items))]

    # ------------------------------------------------------------ 6 intervention

    def intervention(self) -> Section:
        blocks: list[Block] = []
        for intervention in self.spec.interventions.values():
            rows = [
                (
                    cell(_field_label(f.key, INTERVENTION_FIELDS)),
                    (Paragraph(self.field_inlines(f)),),
                )
                for f in intervention.fields
            ]
            blocks.append(self.fields_table(rows, f"{intervention.label or intervention.name}"))
        if not blocks:
            blocks.append(para("The spec declares no intervention."))
        subsections = [Section("intervention-fields", "6.1", "Trial intervention", tuple(blocks))]
        if self.finding is not None and self.finding.levels:
            subsections.append(
                Section(
                    "intervention-doses",
                    "6.2",
                    "Dose levels",
                    (
                        dosing.levels_table(self.finding, self.marks),
                        para(
                            "Escalation between levels is described in section ",
                            self.section_reference("escalation", "4"),
                            ".",
                        ),
                    ),
                )
            )
        if self.spec.regimens:
            regimen_blocks: list[Block] = []
            for regimen in self.spec.regimens.values():
                regimen_blocks += dosing.regimen_blocks(self.spec, regimen, self.marks)
            subsections.append(
                Section(
                    "dosing-regimens",
                    f"6.{len(subsections) + 1}",
                    "Dosing regimens",
                    tuple(regimen_blocks),
                )
            )
        if self.spec.randomisation is not None or self.spec.masking is not None:
            subsections.append(
                Section(
                    "randomisation-blinding",
                    f"6.{len(subsections) + 1}",
                    "Measures to minimise bias: randomisation and blinding",
                    tuple(self.randomisation_blocks()),
                )
            )
        subsections.append(self.dose_modification(f"6.{len(subsections) + 1}"))
        subsections.append(
            self.prose.section(
                "preparation",
                f"6.{len(subsections) + 1}",
                None,
                "how the trial intervention is supplied, prepared, stored and accounted for",
            )
        )
        if self.prose.written("compliance") is not None:
            subsections.append(self.prose.section("compliance", f"6.{len(subsections) + 1}"))
        concomitant = [c for c in self.spec.criteria if self.reads_medication(c)]
        number = f"6.{len(subsections) + 1}"
        if concomitant:
            body: list[Block] = [
                para(
                    "Prior and concomitant therapy is restricted by these eligibility criteria "
                    "(section ",
                    _link("5", "population"),
                    "):",
                ),
                ListBlock(tuple(self.criterion_item(c) for c in concomitant), labelled=True),
            ]
        else:
            body = [para("No eligibility criterion restricts prior or concomitant therapy.")]
        subsections.append(Section("concomitant", number, "Concomitant therapy", tuple(body)))
        return Section(
            "intervention",
            "6",
            "Trial intervention and concomitant therapy",
            (),
            tuple(subsections),
            True,
        )

    def dose_modification(self, number: str) -> Section:
        """Dose reductions, withholding and resuming, from the regimens (`reduce`, `hold`,
        `resume`); the regimens' own sections give the full tables."""
        blocks: list[Block] = []
        for regimen in self.spec.regimens.values():
            name = regimen.label or regimen.name
            if regimen.reductions:
                steps = "; ".join(
                    f"{level.label or level.name}: {quantity_in_words(level.dose)}"
                    for level in regimen.reductions
                )
                blocks.append(para(Strong(f"{name}. "), f"Dose reductions: {steps}."))
            for key, words in (("hold", "Withholding a dose"), ("resume", "Resuming dosing")):
                f = regimen.field(key)
                if f is not None:
                    blocks.append(
                        Paragraph(
                            (
                                Strong(f"{name}. "),
                                Text(f"{words}: {f.value.value}"),
                                *self.marks.badges(f.marks),
                            )
                        )
                    )
        if self.finding is not None and self.finding.levels:
            blocks.append(
                para(
                    "Between cohorts the dose changes by the escalation rules of section "
                    f"{self.numbers.get('escalation', '4')}."
                )
            )
        if not any(r.reductions or r.field("hold") for r in self.spec.regimens.values()):
            blocks.append(
                self.prose.todo(
                    number,
                    "Dose modification",
                    "When a participant's dose is reduced, withheld or stopped, and when "
                    "dosing resumes (the regimen's reduce, hold and resume clauses)",
                )
            )
        return Section("dose-modification", number, "Dose modification", tuple(blocks))

    def randomisation_blocks(self) -> list[Block]:
        """Ratio, method, strata, roles blinded and unblinding.  Never the block sizes: a
        reader who knows them can predict the last allocations of a block, so they are
        kept out of every document (ICH E9: the sizes stay with the statistician)."""
        blocks: list[Block] = []
        randomisation = self.spec.randomisation
        if randomisation is not None:
            arms = self.spec.arms
            shares = [
                f"{arms[e.arm].label or e.arm if e.arm in arms else e.arm} "
                f"({m.format_decimal(e.weight)})"
                for e in randomisation.ratio
            ]
            ratio = ":".join(m.format_decimal(e.weight) for e in randomisation.ratio)
            sentence: list[str | Inline] = [
                f"Subjects are randomised in the ratio {ratio} to " + ", ".join(shares) + "."
            ]
            sentence += self.marks.badges(randomisation.ratio_marks)
            method = randomisation.method
            if method is not None:
                words = allocation.METHOD_WORDS.get(method.kind, method.kind)
                if method.kind == "minimisation":
                    probability = (
                        m.format_decimal(method.probability) if method.probability else "1"
                    )
                    measure = method.measure or allocation.DEFAULT_MEASURE
                    words += (
                        f" over {', '.join(self.factor_words(n) for n in method.factors)}, "
                        f"assigning the arm that minimises imbalance ({measure} of the arm "
                        f"counts) with probability {probability}"
                    )
                elif randomisation.factors:
                    words += ", stratified"
                sentence += [f" Allocation is by {words}."]
                sentence += self.marks.badges(method.marks)
            sentence += self.marks.badges(randomisation.marks)
            blocks.append(para(*sentence))
            for factor in randomisation.factors:
                items = [
                    ListItem(
                        None,
                        (
                            para(
                                Strong(stratum.label or stratum.name),
                                f": {rule_in_words(stratum.rule, self.spec)}",
                                *self.marks.badges(stratum.marks),
                            ),
                        ),
                    )
                    for stratum in factor.strata
                ]
                blocks.append(
                    para(
                        "Stratification factor ",
                        Strong(factor.label or factor.name),
                        ":",
                        *self.marks.badges(factor.marks),
                    )
                )
                blocks.append(ListBlock(tuple(items)))
            if randomisation.factors:
                blocks.append(
                    para(
                        "A subject whose stratum cannot be determined from the screening data is "
                        "not randomised until the data are complete."
                    )
                )
        masking = self.spec.masking
        if masking is not None:
            roles = [allocation.ROLES[r].words for r in masking.roles if r in allocation.ROLES]
            level = allocation.effective_masking(masking, self.text_field("masking"))
            level_words = _MASKING_WORDS.get(level or "", level or "")
            who = ", ".join(roles[:-1]) + " and " + roles[-1] if len(roles) > 1 else "".join(roles)
            verb = "is" if len(roles) == 1 else "are"
            sentence = [
                f"The trial is {level_words}: {who or 'no one'} {verb} kept unaware of the "
                "allocation."
            ]
            for line in masking.blinded:
                sentence += self.marks.badges(line.marks)
            blocks.append(para(*sentence))
            for rule in masking.unblinding:
                blocks.append(para("Unblinding: ", rule.text, *self.marks.badges(rule.marks)))
        return blocks

    def factor_words(self, name: str) -> str:
        factor = self.spec.randomisation.factor(name) if self.spec.randomisation else None
        return (factor.label or factor.name) if factor is not None else name

    def reads_medication(self, criterion: m.Criterion) -> bool:
        """Whether a criterion's rule reads a medication form (directly or through definitions)."""
        if criterion.rule is None:
            return False
        forms = {
            use.form.name
            for use in self.spec.form_uses
            if _MEDICATION.search(f"{use.form.name} {use.form.label or ''}")
        }
        return any(form in forms for form in _forms_read(self.spec, criterion.rule))

    # ------------------------------------------------------------ 7 discontinuation

    def discontinuation(self) -> Section:
        blocks: list[Block] = []
        for column_index, column in enumerate(self.schedule.columns):
            visit = column.visit
            if not (visit.early_termination or visit.unscheduled):
                continue
            done = [row.label for row in self.schedule.rows if row.at[column_index]]
            kind = "early-termination" if visit.early_termination else "unscheduled"
            parts: list[Inline] = [
                Text(f"At the {kind} visit “{visit.label or visit.name}”: "),
                Text("; ".join(done) if done else "nothing is scheduled"),
                Text("."),
                *self.marks.badges(visit.marks),
            ]
            blocks.append(Paragraph(tuple(parts)))
        if not any(v.early_termination for v in self.spec.visits.values()):
            blocks.insert(0, para("The spec defines no early-termination visit."))
        else:
            blocks.insert(
                0,
                para(
                    "A participant who stops the trial early has the early-termination visit; "
                    "data already collected are kept."
                ),
            )
        stopping: list[Block] = []
        if self.finding is not None and self.finding.dlt_definition is not None:
            stopping.append(
                para(
                    "Dose-limiting toxicities, which the decisions on further dosing rest "
                    f"on, are defined in section {self.numbers.get('dlt', '4')}."
                )
            )
        subsections = (
            self.prose.section(
                "intervention_discontinuation",
                "7.1",
                stopping,
                "when a participant stops the trial intervention for good or for a time, "
                "and what follows (assessments continued, rechallenge)",
            ),
            self.prose.section(
                "withdrawal",
                "7.2",
                blocks,
                "how a participant withdraws from the trial and what happens to the data "
                "and samples already collected",
            ),
            self.prose.section(
                "lost_to_follow_up",
                "7.3",
                None,
                "the steps taken before a participant who misses visits is declared lost "
                "to follow-up",
            ),
        )
        return Section(
            "discontinuation",
            "7",
            "Participant discontinuation of the trial intervention and withdrawal",
            (),
            subsections,
            True,
        )

    # ------------------------------------------------------------ 8 assessments

    def assessments(self) -> Section:
        subsections: list[Section] = []
        activities = list(self.spec.activities.values())
        if activities:
            rows = tuple(
                (
                    (Paragraph((Text(a.label or a.name), *self.marks.badges(a.marks))),),
                    cell(self.dictionary.visit_words(a.visits)),
                    cell(a.condition or ""),
                )
                for a in activities
            )
            table: Block = Table(
                (cell("Activity"), cell("Visits"), cell("Condition")), rows, "Activities"
            )
        else:
            table = para("The spec declares no activities.")
        subsections.append(Section("activities", "8.1", "Procedures", (table,)))
        forms = [
            Section(
                f"form-{use.storage_name}",
                f"8.2.{index}",
                use.form.label or use.form.name,
                tuple(self.dictionary.form_blocks(use)),
            )
            for index, use in enumerate(self.spec.form_uses, start=1)
        ]
        subsections.append(
            Section(
                "forms",
                "8.2",
                "Data collection forms",
                (
                    para(
                        "The case report forms, with their items and the visits they are collected at."
                    ),
                    *self.dictionary.other_sources(),
                ),
                tuple(forms),
            )
        )
        scores = _numbered(
            "score", "8.3", self.dictionary.all_scores(), self.dictionary.score_blocks
        )
        subsections.append(
            _listing("scores", "8.3", "Scores", scores, "The spec declares no scores.")
        )
        tables = _numbered(
            "table", "8.4", self.dictionary.all_tables(), self.dictionary.lookup_blocks
        )
        subsections.append(
            _listing(
                "lookup-tables",
                "8.4",
                "Lookup tables",
                tables,
                "The spec declares no lookup tables.",
            )
        )
        return Section(
            "assessments", "8", "Trial assessments and procedures", (), tuple(subsections), True
        )

    # ------------------------------------------------------------ 9 adverse events

    def adverse_events(self) -> Section:
        uses = [
            use
            for use in self.spec.form_uses
            if re.search(r"adverse", f"{use.form.name} {use.form.label or ''}", re.IGNORECASE)
        ]
        definitions = Section(
            "ae-definitions",
            "9.1",
            "Definitions",
            (
                para(
                    "Adverse events, serious adverse events and adverse drug reactions are "
                    "defined as in ICH E2A; their severity is graded as the adverse event "
                    "form says."
                ),
            ),
        )
        period: list[Block] = []
        for use in uses:
            visits = [v for v in use.visits if v in self.spec.visits]
            scheduled = [
                v
                for v in visits
                if not (self.spec.visits[v].early_termination or self.spec.visits[v].unscheduled)
            ]
            if scheduled:
                first, last = self.spec.visits[scheduled[0]], self.spec.visits[scheduled[-1]]
                period.append(
                    para(
                        f"Adverse events are recorded on the form “{use.form.label or use.form.name}” "
                        f"from {first.label or first.name} to {last.label or last.name}, "
                        "and at every early-termination or unscheduled visit."
                    )
                )
        if not period:
            period.append(
                self.prose.todo(
                    "9.2",
                    "Period of collection of adverse events",
                    "When collection of adverse events starts and ends (a form whose label "
                    "names adverse events, collected at the trial's visits)",
                )
            )
        collection = Section("ae-period", "9.2", "Period of collection", tuple(period))
        recording: list[Block] = []
        for use in uses:
            recording += self.dictionary.form_blocks(use)
        if not recording:
            recording.append(para("The spec declares no adverse event form."))
        if self.finding is not None and self.finding.dlt_definition is not None:
            recording.append(
                para(
                    "Dose-limiting toxicities are defined in section ",
                    self.section_reference("dlt", "4"),
                    ".",
                )
            )
        subsections = [
            definitions,
            collection,
            Section("ae-recording", "9.3", "Adverse event form", tuple(recording)),
            self.prose.section(
                "safety_reporting",
                "9.4",
                None,
                "the timelines for reporting serious adverse events to the sponsor "
                "(for example within 24 hours) and to the authorities, and their follow-up",
            ),
        ]
        sex = self.spec.trial_field("sex")
        women_enrol = sex is None or str(sex.value.value) != "male"
        if women_enrol or self.prose.written("pregnancy") is not None:
            subsections.append(
                self.prose.section(
                    "pregnancy",
                    f"9.{len(subsections) + 1}",
                    None,
                    "how a pregnancy of a participant (or of a participant's partner) is "
                    "reported and followed up to its outcome",
                )
            )
        if self.prose.written("special_safety") is not None:
            subsections.append(self.prose.section("special_safety", f"9.{len(subsections) + 1}"))
        return Section(
            "adverse-events",
            "9",
            "Adverse events, serious adverse events and pregnancy",
            (),
            tuple(subsections),
            True,
        )

    # ------------------------------------------------------------ 10 statistics

    def statistics(self) -> Section:
        subsections: list[Section] = []
        lines: list[str] = []
        if self.finding is not None:
            lines = [str(line) for line in dosing.sample_size_lines(self.spec, self.finding)]
        enrolment = self.spec.trial_field("enrolment")
        if not lines:
            if enrolment is not None:
                lines.append(f"Planned enrolment: {enrolment.value.text} participants.")
            else:
                lines.append("The spec states no planned enrolment.")
        sample: list[Block] = [_bullets(lines)]
        if enrolment is not None and enrolment.marks:
            sample.append(
                Paragraph((Text("Planned enrolment:"), *self.marks.badges(enrolment.marks)))
            )
        sample += self.estimands.sample_size_blocks()
        subsections.append(Section("sample-size", "10.1", "Sample size", tuple(sample)))
        if self.finding is not None and self.finding.scenarios:
            levels = [lv.name for lv in self.finding.levels]
            header = header_cells("Scenario", "Description", *levels)
            rows = []
            for scenario in self.finding.scenarios:
                rows.append(
                    (
                        (Paragraph((Code(scenario.name), *self.marks.badges(scenario.marks))),),
                        cell(scenario.label or ""),
                        *(cell(m.format_decimal(r)) for r in scenario.rates),
                    )
                )
            subsections.append(
                Section(
                    "scenarios",
                    "10.2",
                    "Simulation scenarios",
                    (
                        para(
                            "True DLT rates per dose level under which the operating "
                            "characteristics of the escalation design are simulated."
                        ),
                        Table(tuple(header), tuple(rows), "Dose–toxicity scenarios"),
                    ),
                )
            )
        computable = [
            e
            for o in self.spec.objectives
            for e in o.endpoints
            if e.rule is not None or e.event is not None
        ]
        if computable:
            items = tuple(ListItem(e.name, (para(e.text), *self.derivation(e))) for e in computable)
            subsections.append(
                Section(
                    "endpoint-derivations",
                    f"10.{len(subsections) + 1}",
                    "Endpoint derivations",
                    (ListBlock(items, labelled=True),),
                )
            )
        analysis_sets = self.estimands.analysis_sets_section(f"10.{len(subsections) + 1}")
        if analysis_sets is not None:
            subsections.append(analysis_sets)
        else:
            subsections.append(
                Section(
                    "analysis-sets",
                    f"10.{len(subsections) + 1}",
                    "Analysis sets",
                    (
                        self.prose.todo(
                            f"10.{len(subsections) + 1}",
                            "Analysis sets",
                            "The analysis sets (population declarations) and the estimands "
                            "of the primary objectives",
                        ),
                    ),
                )
            )
        analysis = self.estimands.analysis_section(f"10.{len(subsections) + 1}")
        if analysis is not None:
            subsections.append(analysis)
        for key in ("statistical_hypotheses", "interim_analysis"):
            if self.prose.written(key) is not None:
                subsections.append(self.prose.section(key, f"10.{len(subsections) + 1}"))
        return Section(
            "statistics", "10", "Statistical considerations", (), tuple(subsections), True
        )

    def derivation(self, endpoint: m.Endpoint) -> list[Paragraph]:
        """An endpoint's derivation in words, then each definition it reads, down to the items."""
        text, reached = endpoint_in_words(endpoint, self.spec)
        if not text:
            return []
        lines = [para(Strong("Derived as: "), text, style="rule")]
        lines += [para(Strong("Where "), line, style="rule") for line in reached]
        return lines

    # ------------------------------------------------------------ 11 oversight

    def oversight(self) -> Section:
        committees: list[Block] = []
        decided = self.finding.field("decided_by") if self.finding else None
        if decided is not None:
            committees.append(
                Paragraph(
                    (
                        Text(
                            f"Dose-escalation decisions, the use of step-up dosing and the "
                            f"selection of the recommended dose are taken by the "
                            f"{decided.value.value}."
                        ),
                        *self.marks.badges(decided.marks),
                    )
                )
            )
        sponsor = self.spec.trial_field("sponsor")
        if sponsor is not None:
            committees.append(Paragraph((Text("Sponsor: "), *self.field_inlines(sponsor))))
        address = self.spec.trial_field("sponsor_address")
        if address is not None:
            committees.append(Paragraph((Text("Address: "), *self.field_inlines(address))))
        committees += self.prose.blocks("committees")
        if decided is None and self.prose.written("committees") is None:
            committees.append(
                self.prose.todo(
                    "11.2",
                    "Committees",
                    "The committees that oversee the trial (steering committee, data "
                    "monitoring committee, dose-escalation committee) and what each decides",
                    "committees",
                )
            )
        subsections = (
            self.prose.section(
                "regulatory_ethical",
                "11.1",
                None,
                "the regulations and guidelines the trial follows (ICH E6, the Declaration of "
                "Helsinki) and the ethics committee approvals",
            ),
            Section("committees", "11.2", "Trial oversight and committees", tuple(committees)),
            self.prose.section(
                "informed_consent",
                "11.3",
                None,
                "how and by whom informed consent is obtained and documented",
            ),
            self.prose.section(
                "data_protection", "11.4", None, "how participants' personal data are protected"
            ),
            self.prose.section(
                "data_quality",
                "11.5",
                None,
                "monitoring, source data and how the quality of the data is assured",
            ),
            self.prose.section(
                "early_termination",
                "11.6",
                None,
                "when the sponsor may stop the trial or close a site early",
            ),
            self.prose.section(
                "publication",
                "11.7",
                None,
                "how the results are registered, disseminated and published",
            ),
        )
        return Section(
            "oversight",
            "11",
            "Trial oversight and other general considerations",
            (),
            subsections,
            True,
        )

    # ------------------------------------------------------------ 12 appendix

    def appendix(self) -> Section:
        blocks: list[Block] = []
        for owner in self.spec.all_specs():
            for codelist in owner.codelists.values():
                name = (
                    codelist.name
                    if owner is self.spec
                    else f"{_alias(self.spec, owner)}.{codelist.name}"
                )
                rows = tuple(
                    (
                        (para(Code(e.name)),),
                        (Paragraph((Text(e.label or e.name), *self.marks.badges(e.marks))),),
                        cell(", ".join(f"{c.system} {c.value}" for c in e.codes)),
                    )
                    for e in codelist.entries
                )
                blocks.append(
                    Table(
                        (cell("Value"), cell("Label"), cell("Codes")),
                        rows,
                        f"{codelist.label or codelist.name} ({name})",
                    )
                )
        code_lists = Section(
            "code-lists",
            "12.1",
            "Code lists",
            tuple(blocks) or (para("The spec declares no code lists."),),
        )
        anchors = list(self.spec.anchors.values())
        anchor_rows = tuple(
            (
                (para(Code(a.name)),),
                (Paragraph((Text(a.label or a.name), *self.marks.badges(a.marks))),),
                cell(
                    f"the date of visit {a.visit}"
                    if a.visit
                    else rule_in_words(a.expr, self.spec)
                    if a.expr is not None
                    else ""
                ),
            )
            for a in anchors
        )
        anchor_section = Section(
            "anchors",
            "12.2",
            "Time anchors",
            (
                para("Time windows in the criteria are counted from these events."),
                Table((cell("Anchor"), cell("Meaning"), cell("Date")), anchor_rows, "Anchors"),
            )
            if anchors
            else (para("The spec declares no time anchors."),),
        )
        return Section("appendix", "12", "Appendix", (), (code_lists, anchor_section), True)

    # ------------------------------------------------------------ 13 glossary, 14 references

    def glossary(self, draft: Document) -> Section:
        corpus = "\n".join(document_text(draft))
        rows = tuple(
            (cell(term), cell(meaning))
            for term, meaning in GLOSSARY
            if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", corpus)
        )
        return Section(
            "glossary",
            "13",
            "Glossary",
            (Table((cell("Term"), cell("Meaning")), rows, "Abbreviations and terms"),),
            (),
            True,
        )

    def references(self) -> Section:
        if not self.marks.sources:
            body: tuple[Block, ...] = (para("The spec cites no sources."),)
        else:
            body = (
                ListBlock(
                    tuple(
                        ListItem(f"[{n}]", (para(source),), anchor=f"ref-{n}")
                        for n, source in enumerate(self.marks.sources, start=1)
                    ),
                    labelled=True,
                ),
            )
        return Section("references", "14", "References", body, (), True)


# ---------------------------------------------------------------- module helpers

_MEDICATION = re.compile(r"medication|concomitant|therap", re.IGNORECASE)

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("ACR", "American College of Rheumatology"),
    ("AE", "adverse event"),
    ("ANA", "antinuclear antibody"),
    ("ASTCT", "American Society for Transplantation and Cellular Therapy"),
    ("ATC", "Anatomical Therapeutic Chemical classification"),
    ("AUC", "area under the concentration–time curve"),
    ("BOIN", "Bayesian optimal interval design"),
    ("CAR-T", "chimeric antigen receptor T cell"),
    ("CDISC", "Clinical Data Interchange Standards Consortium"),
    ("Cmax", "maximum concentration"),
    ("CNS", "central nervous system"),
    ("CRF", "case report form"),
    ("CRM", "continual reassessment method"),
    ("CRS", "cytokine release syndrome"),
    ("CTCAE", "Common Terminology Criteria for Adverse Events"),
    ("DLT", "dose-limiting toxicity"),
    ("ECG", "electrocardiogram"),
    ("eGFR", "estimated glomerular filtration rate"),
    (
        "EULAR",
        "European Alliance of Associations for Rheumatology (formerly League Against Rheumatism)",
    ),
    ("HbA1c", "glycated haemoglobin"),
    ("ICD10", "International Classification of Diseases, 10th revision"),
    ("ICH", "International Council for Harmonisation"),
    ("LLN", "lower limit of normal"),
    ("LOINC", "Logical Observation Identifiers Names and Codes"),
    ("MTD", "maximum tolerated dose"),
    ("mTPI-2", "modified toxicity probability interval design, version 2"),
    ("NCT", "ClinicalTrials.gov registry number"),
    (
        "OPEN QUESTION",
        "a point the source document leaves open; the specification states the reading it encodes",
    ),
    ("PD", "pharmacodynamics"),
    ("PK", "pharmacokinetics"),
    ("PROVISIONAL", "an illustrative value, not taken from the source document"),
    ("RP2D", "recommended phase 2 dose"),
    ("SLE", "systemic lupus erythematosus"),
    ("SLEDAI-2K", "Systemic Lupus Erythematosus Disease Activity Index 2000"),
    ("SNOMED", "SNOMED CT, Systematized Nomenclature of Medicine – Clinical Terms"),
    ("SoA", "schedule of activities"),
    ("TEAE", "treatment-emergent adverse event"),
    ("UCUM", "Unified Code for Units of Measure"),
    ("ULN", "upper limit of normal"),
)


_LABELS: dict[str, str] = {
    "study_type": "Study type",
    "phase": "Phase",
    "allocation": "Allocation",
    "model": "Intervention model",
    "masking": "Masking",
    "purpose": "Primary purpose",
    "control": "Control",
    "comparator": "Comparator",
    "trial_type": "Trial type",
    "add_on": "Added on to existing treatment",
    "enrolment": "Planned enrolment",
    "length": "Length of participation",
    "country": "Country",
    "sex": "Sex",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "healthy_volunteers": "Healthy volunteers",
    "age_group": "Age group",
    "indication": "Indication",
    "indication_type": "Indication type",
    "diagnosis_group": "Diagnosis group",
}
_INTERVENTION_LABELS: dict[str, str] = {
    "type": "Type",
    "route": "Route",
    "dosage_form": "Dosage form",
    "administration": "Administration",
    "dose": "Dose",
    "frequency": "Frequency",
    "description": "Description",
    "code": "Product code",
}


def _field_label(key: str, table: dict | None = None) -> str:
    labels = _INTERVENTION_LABELS if table is INTERVENTION_FIELDS else _LABELS
    if key in labels:
        return labels[key]
    spec = (table or TRIAL_FIELDS).get(key)
    text = spec.description if spec is not None else key.replace("_", " ")
    return text[0].upper() + text[1:]


# Words of a criterion's verbatim text that concern pregnancy or contraception.
_REPRODUCTIVE = re.compile(
    r"pregnan|childbearing|contracept|breast-?feed|lactat|postmenopaus|sterili[sz]", re.I
)


def _registry_label(identifier: str) -> str:
    """What a registry identifier is, from its shape: ClinicalTrials.gov, EU CT, EudraCT, ISRCTN."""
    if re.fullmatch(r"NCT\d{8}", identifier):
        return "ClinicalTrials.gov identifier"
    if re.fullmatch(r"\d{4}-5\d{5}-\d{2}-\d{2}", identifier):
        return "EU CT number"
    if re.fullmatch(r"\d{4}-\d{6}-\d{2}", identifier):
        return "EudraCT number"
    if re.fullmatch(r"ISRCTN\d+", identifier):
        return "ISRCTN"
    return "Registry identifier"


def _value_words(value: m.Value) -> str:
    if value.kind == "name":
        word = str(value.value)
        return _VALUE_WORDS.get(word, word.replace("_", " "))
    if value.kind == "quantity" and isinstance(value.value, m.Quantity):
        return quantity_as_written(value, value.value)
    if value.kind == "date":
        return str(value.value)
    if value.kind == "string":
        return str(value.value)
    return value.text


def _day(day: int) -> str:
    return f"Day {day}" if day >= 0 else f"Day −{-day}"


def _link(text: str, target: str) -> Inline:
    return Link(text, target)


def _marks_table(
    entries: Sequence[MarkEntry],
    prefix: str,
    heading: str,
    caption: str,
    text: Callable[[MarkEntry], str],
    empty: str,
) -> Block:
    """The numbered open questions or provisional values, or `empty` when there are none."""
    if not entries:
        return para(empty)
    rows = tuple((cell(f"{prefix}{e.number}"), cell(e.where), cell(text(e))) for e in entries)
    return Table(
        (cell("#"), cell("Where"), cell(heading)),
        rows,
        caption,
        anchors=tuple(e.anchor for e in entries),
    )


def _bullets(lines: list[str]) -> Block:
    if not lines:
        return para("The spec states no stopping rules.")
    return ListBlock(tuple(ListItem(None, (para(line),)) for line in lines))


#: A declaration the protocol lists one section each of.
_Declared = TypeVar("_Declared", m.Score | m.ScoreVariant, m.Table)


def _numbered(
    kind: str,
    number: str,
    found: Iterable[tuple[Spec, _Declared]],
    blocks: Callable[[Spec, _Declared], Iterable[Block]],
) -> list[Section]:
    """One numbered section per declaration found (a score, a lookup table …)."""
    return [
        Section(
            f"{kind}-{_slug(owner.path)}-{decl.name}",
            f"{number}.{index}",
            decl.label or decl.name,
            tuple(blocks(owner, decl)),
        )
        for index, (owner, decl) in enumerate(found, start=1)
    ]


def _listing(
    section_id: str, number: str, title: str, sections: list[Section], empty: str
) -> Section:
    """A section that holds `sections`, or says `empty` when there are none."""
    return Section(section_id, number, title, () if sections else (para(empty),), tuple(sections))


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")


def _alias(spec: Spec, library: Spec) -> str:
    for owner in spec.all_specs():
        for alias, lib in owner.libraries.items():
            if lib is library:
                return alias
    return Path(library.path).stem


def _definitions_used(spec: Spec) -> list[tuple[Spec, m.Define | m.Derive, Scope]]:
    """The definitions and derived values the criteria read, in order of first use."""
    found: list[tuple[Spec, m.Define | m.Derive, Scope]] = []
    seen: set[int] = set()

    def visit(expr: m.Expr, scope: Scope) -> None:
        for node, node_scope in walk_scoped(expr, scope):
            refs: list[m.Ref] = []
            if isinstance(node, m.Ref):
                refs.append(node)
            elif isinstance(node, m.Aggregate):
                refs.append(node.target)
            for ref in refs:
                symbol = spec.resolve(ref.parts, node_scope if ref is node else scope)
                if symbol is None or id(symbol.decl) in seen:
                    continue
                if symbol.kind == "define":
                    assert isinstance(symbol.decl, m.Define)
                    seen.add(id(symbol.decl))
                    inner = Scope(symbol.owner)
                    found.append((symbol.owner, symbol.decl, inner))
                    visit(symbol.decl.expr, inner)
                elif symbol.kind == "derive" and symbol.form is not None:
                    assert isinstance(symbol.decl, m.Derive)
                    seen.add(id(symbol.decl))
                    inner = Scope(symbol.owner, symbol.form)
                    found.append((symbol.owner, symbol.decl, inner))
                    visit(symbol.decl.expr, inner)

    for criterion in spec.criteria:
        if criterion.rule is not None:
            visit(criterion.rule, Scope(spec))
    return found


def _forms_read(spec: Spec, expr: m.Expr) -> set[str]:
    """Names of the forms an expression reads, through definitions too."""
    forms: set[str] = set()
    seen: set[int] = set()

    def visit(node_expr: m.Expr, scope: Scope) -> None:
        for node, node_scope in walk_scoped(node_expr, scope):
            if isinstance(node, m.Quantifier):
                forms.add(node.form)
            refs = [node] if isinstance(node, m.Ref) else []
            if isinstance(node, m.Aggregate):
                refs.append(node.target)
            for ref in refs:
                symbol = spec.resolve(ref.parts, node_scope)
                if symbol is None:
                    continue
                if symbol.form is not None:
                    forms.add(symbol.form.name)
                if symbol.kind == "define" and id(symbol.decl) not in seen:
                    seen.add(id(symbol.decl))
                    define = cast(m.Define, symbol.decl)  # what a "define" symbol holds
                    visit(define.expr, Scope(symbol.owner))

    visit(expr, Scope(spec))
    return forms


def build_protocol(spec: Spec) -> Document:
    """The protocol document of a spec, in ICH M11 order."""
    return _Builder(spec).document()


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless there is exactly one ("1 open question")."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
