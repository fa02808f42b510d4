"""The data dictionary in the documents: forms and their items, scores, lookup tables.

This module owns how section 8 (assessments) and section 9 (adverse events)
of the protocol present what is collected: each form with its visits and an
item table (question, type, range, when it is collected, terminology codes),
derived values in plain words, each score with its descriptors, weights and
source, and each lookup table with its source and version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from generators.documents.document import (
    Block,
    Code,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Strong,
    Table,
    Text,
    cell,
    para,
)
from generators.documents.marks import MarkIndex, rule_source
from protocol_dsl import model as m
from protocol_dsl.semantics.words import (
    label_phrase,
    quantity_in_words,
    rule_in_words,
    unit_in_words,
)
from protocol_dsl.spec import FormUse, Scope, Spec

# Words of an item that records pregnancy, childbearing potential or contraception.
_REPRODUCTIVE = re.compile(r"pregnan|childbearing|contracept|lactat|postmenopaus", re.I)


class DataDictionary:
    """Document blocks for the forms, scores and tables of one spec."""

    def __init__(self, spec: Spec, marks: MarkIndex) -> None:
        self.spec = spec
        self.marks = marks
        # the mapping rules of each form item, by (form key, item): its source data
        self.sources: dict[tuple[str, str], list[m.MapRule]] = {}
        for mapping in spec.mappings:
            for rule in mapping.rules:
                parts = rule.target.parts
                if len(parts) >= 2 and parts[0] not in ("visits", "subject"):
                    key = (".".join(parts[:-1]), parts[-1])
                    self.sources.setdefault(key, []).append(rule)

    def other_sources(self) -> list[Block]:
        """The mapping rules that fill no form item (visit dates, the arm), as a sentence."""
        parts: list[Inline] = []
        for mapping in self.spec.mappings:
            for rule in mapping.rules:
                if rule.target.parts[0] in ("visits", "subject"):
                    parts.append(Text("; " if parts else "Also read from source data: "))
                    parts.append(Text(f"{rule.target.dotted} from {rule_source(rule)}"))
                    parts += self.marks.badges(rule.marks)
        return [Paragraph((*parts, Text(".")))] if parts else []

    def visit_words(self, names: Iterable[str]) -> str:
        """Visit labels, in the order given."""
        return ", ".join(
            (self.spec.visits[n].label or n) if n in self.spec.visits else n for n in names
        )

    def all_scores(self) -> Iterator[tuple[Spec, m.Score | m.ScoreVariant]]:
        for owner in self.spec.all_specs():
            for score in owner.scores.values():
                yield owner, score

    def form_label(self, ref: m.Ref) -> str:
        """A form's label, for a reference to it from the trial or from its library."""
        for owner in self.spec.all_specs():
            form = owner.forms.get(ref.parts[-1])
            if form is not None:
                return form.label or form.name
        return ref.dotted

    def reproductive_items(self) -> list[str]:
        """ "Pregnancy test (Screening laboratory tests)": the items that record pregnancy,
        childbearing potential or contraception, by their labels."""
        found: list[str] = []
        for use in self.spec.form_uses:
            for item in use.form.items:
                label = item.label or item.name
                if _REPRODUCTIVE.search(f"{item.name} {label}"):
                    found.append(f"{label} ({use.form.label or use.form.name})")
        return found

    def all_tables(self) -> Iterator[tuple[Spec, m.Table]]:
        for owner in self.spec.all_specs():
            for table in owner.tables.values():
                yield owner, table

    def form_blocks(self, use: FormUse) -> list[Block]:
        form = use.form
        parts: list[Inline] = [
            Text(
                f"The form “{form.label or form.name}” is collected at "
                f"{self.visit_words(use.visits) or 'no scheduled visit'}."
            ),
        ]
        if form.repeating:
            parts.append(Text(" A log form: one record per entry, added whenever needed."))
        parts += self.marks.badges(form.marks)
        parts += self.marks.citations(form.marks)
        blocks: list[Block] = [Paragraph(tuple(parts)), *self.marks.annotations(form.marks)]
        blocks.append(self.items_table(use))
        if form.derives:
            scope = Scope(use.owner, form)
            blocks.append(
                ListBlock(
                    tuple(
                        ListItem(
                            None,
                            (
                                Paragraph(
                                    (
                                        Strong(d.label or d.name),
                                        Text(" ("),
                                        Code(d.name),
                                        Text(", derived): "),
                                        Text(rule_in_words(d.expr, self.spec, scope)),
                                        *self.marks.badges(d.marks),
                                    )
                                ),
                            ),
                        )
                        for d in form.derives
                    )
                )
            )
        return blocks

    def items_table(self, use: FormUse) -> Table:
        form = use.form
        scope = Scope(use.owner, form)
        rows = []
        for item in form.items:
            collection: list[str] = []
            if item.required:
                collection.append("required")
            if item.when is not None:
                collection.append("only when " + rule_in_words(item.when, self.spec, scope))
            if item.visits is not None:
                collection.append("at " + self.visit_words(item.visits))
            rows.append(
                (
                    (para(Code(item.name)),),
                    (
                        Paragraph(
                            (
                                Text(item.label or item.name),
                                *self.marks.badges(item.marks),
                                *self.marks.citations(item.marks),
                            )
                        ),
                        *self.marks.annotations(item.marks),
                    ),
                    cell(self.type_words(use.owner, item.type)),
                    cell(_range_words(item)),
                    cell("; ".join(collection)),
                    self.codes_cell(use, item),
                )
            )
        header = (
            cell("Item"),
            cell("Question"),
            cell("Type"),
            cell("Range"),
            cell("Collection"),
            cell("Codes"),
        )
        return Table(header, tuple(rows), f"Items of {form.label or form.name}")

    def codes_cell(self, use: FormUse, item: m.Item) -> tuple[Paragraph, ...]:
        """The item's terminology codes, then the source data it is read from (its
        mapping, e.g. `SDTM DM.BRTHDTC`), each rule with its marks; empty when neither."""
        codes = ", ".join(f"{c.system} {c.value}" for c in item.codes)
        parts: list[Inline] = [Text(codes)] if codes else []
        for rule in self.sources.get((use.key, item.name), []):
            standard = "ADaM" if rule.source.dotted.upper().startswith("AD") else "SDTM"
            parts.append(Text(f"{'; ' if parts else ''}{standard} {rule_source(rule)}"))
            parts += self.marks.badges(rule.marks)
        return (Paragraph(tuple(parts)),) if parts else ()

    def type_words(self, owner: Spec, item_type: m.ItemType) -> str:
        kind = item_type.kind
        if kind == "quantity" and item_type.unit:
            return f"quantity ({unit_in_words(item_type.unit)})"
        if kind == "choice" and item_type.codelist is not None:
            symbol = owner.resolve(item_type.codelist.parts, Scope(owner))
            codelist = symbol.codelist if symbol is not None else None
            name = codelist.label or codelist.name if codelist else item_type.codelist.dotted
            return f"choice ({name})"
        return {"yes_no": "yes/no", "datetime": "date and time"}.get(kind, kind)

    def score_blocks(self, owner: Spec, score: m.Score | m.ScoreVariant) -> list[Block]:
        parts: list[Inline] = []
        if isinstance(score, m.ScoreVariant):
            base = owner.base_score(score)
            base_label = base.label or base.name if base else score.base.dotted
            removed = []
            if base is not None:
                labels = {item.name: item.label or item.name for _d, item in base.items()}
                removed = [labels.get(n, n) for n in score.without]
            parts.append(
                Text(
                    f"The {base_label} without the descriptors: "
                    f"{', '.join(removed or score.without)}."
                )
            )
            parts += self.marks.badges(score.marks)
            parts += self.marks.citations(score.marks)
            return [Paragraph(tuple(parts)), *self.marks.annotations(score.marks)]
        facts = []
        if score.form is not None:
            facts.append(f"recorded on the form “{self.form_label(score.form)}”")
        if score.lookback is not None:
            facts.append(
                f"descriptors count if present at the visit or in the preceding "
                f"{quantity_in_words(score.lookback)}"
            )
        if score.range is not None:
            facts.append(
                f"range {m.format_decimal(score.range[0])}–{m.format_decimal(score.range[1])}"
            )
        rule = (
            "only the highest-weighted descriptor present in each domain counts"
            if score.rule == "highest_per_domain"
            else "the weights of all descriptors present are added"
        )
        facts.append(rule)
        parts.append(Text(f"{score.label or score.name}: " + "; ".join(facts) + "."))
        sources = self.marks.citations(score.marks)
        if sources:
            parts += [Text(" Source: "), *sources]
        parts += self.marks.badges(score.marks)
        blocks: list[Block] = [Paragraph(tuple(parts)), *self.marks.annotations(score.marks)]
        form_scope = None
        if score.form is not None:
            symbol = owner.resolve(score.form.parts, Scope(owner))
            if symbol is not None and symbol.form is not None:
                form_scope = Scope(owner, symbol.form)
        rows = []
        for domain, item in score.items():
            description: list[Inline] = [Text(item.label or item.name)]
            if item.expr is not None:
                description.append(
                    Text(" (present when " + rule_in_words(item.expr, self.spec, form_scope) + ")")
                )
            description += self.marks.badges(item.marks)
            rows.append(
                (
                    cell(domain.label or domain.name),
                    (Paragraph(tuple(description)),),
                    cell(m.format_decimal(item.weight)),
                    cell(", ".join(domain.tags)),
                )
            )
        blocks.append(
            Table(
                (cell("Domain"), cell("Descriptor"), cell("Weight"), cell("Tags")),
                tuple(rows),
                f"{score.label or score.name} descriptors and weights",
            )
        )
        return blocks

    def lookup_blocks(self, owner: Spec, table: m.Table) -> list[Block]:
        codelist = None
        if table.keys is not None:
            symbol = owner.resolve(table.keys.parts, Scope(owner))
            codelist = symbol.codelist if symbol is not None else None
        parts: list[Inline] = [Text(f"{table.label or table.name}")]
        if codelist is not None:
            parts.append(Text(f", by {label_phrase(codelist.label, codelist.name)}"))
        if table.version:
            parts.append(Text(f"; version {table.version}"))
        parts.append(Text("."))
        sources = self.marks.citations(table.marks)
        if sources:
            parts += [Text(" Source: "), *sources]
        parts += self.marks.badges(table.marks)
        rows = []
        for row in table.rows:
            entry = codelist.entry(row.key) if codelist is not None else None
            notes = [t for t in m.marks_of(row.marks, "note")]
            rows.append(
                (
                    cell(entry.label if entry is not None and entry.label else row.key),
                    cell(", ".join(f"{c.system} {c.value}" for c in entry.codes) if entry else ""),
                    (Paragraph((Text(_table_value(row.value)), *self.marks.badges(row.marks))),),
                    cell("; ".join(notes)),
                )
            )
        return [
            Paragraph(tuple(parts)),
            *self.marks.annotations(table.marks),
            Table(
                (cell("Key"), cell("Codes"), cell("Value"), cell("Notes")),
                tuple(rows),
                table.label or table.name,
            ),
        ]


def _table_value(value: m.Value) -> str:
    if isinstance(value.value, m.Quantity):
        return quantity_in_words(value.value)
    if isinstance(value.value, Fraction):
        return ratio_in_words(value.text, value.value)
    return value.text.strip('"') if value.kind == "string" else value.text


def ratio_in_words(text: str, ratio: Fraction) -> str:
    """A ratio as the protocol states it, with its decimal: "5/4 (1.25)", and
    "5/0.75 (≈ 6.667)" when the decimal is rounded."""
    exact = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    rounded = exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    if rounded == exact:
        return f"{text} ({m.format_decimal(exact)})"
    return f"{text} (≈ {m.format_decimal(rounded)})"


def _range_words(item: m.Item) -> str:
    if item.range is None:
        return ""
    low, high = item.range.low, item.range.high

    def bound(value: object) -> str:
        if isinstance(value, m.Quantity):
            return quantity_in_words(value)
        text = m.format_decimal(value) if not isinstance(value, str) else value  # type: ignore[arg-type]
        return text if text[0] != "-" else "−" + text[1:]

    unit = ""
    if item.type.unit and not isinstance(high, m.Quantity):
        unit = " " + unit_in_words(item.type.unit)
        if unit.strip() == "%":
            unit = "%"
    return f"{bound(low)} to {bound(high)}{unit}"
