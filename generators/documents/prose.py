"""The writer's prose in the protocol, and the parts still to be completed.

A narrative section written in the spec (`narrative KEY …`) is placed under its
ICH M11 heading with its marks (a PROVISIONAL badge, sources).  A part of the
protocol the spec cannot say (yet) is never left silently empty: it reads
"To be completed: …" with what M11 expects there, and every such part is listed
in one table at the front of the document, next to the open questions.
"""

from __future__ import annotations

import attrs

from generators.documents.document import (
    Block,
    Code,
    Inline,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
    cell,
)
from generators.documents.marks import MarkIndex
from generators.documents.narrative import narrative_blocks
from protocol_dsl import model as m
from protocol_dsl.narratives import NARRATIVE_SECTIONS
from protocol_dsl.spec import Spec


@attrs.frozen
class OpenItem:
    """A part of the protocol to be completed: where it goes and what it needs."""

    number: str
    title: str
    needs: str


class Prose:
    """Narrative sections of one spec, and the open items found while placing them."""

    def __init__(self, spec: Spec, marks: MarkIndex) -> None:
        self.spec = spec
        self.marks = marks
        self.open_items: list[OpenItem] = []

    def written(self, key: str) -> m.Narrative | None:
        narrative = self.spec.narratives.get(key)
        return narrative if narrative is not None and narrative.text.strip() else None

    def blocks(self, key: str) -> list[Block]:
        """The text of a narrative with its badges and sources, or nothing when not written."""
        narrative = self.written(key)
        if narrative is None:
            return []
        blocks = narrative_blocks(narrative.text)
        marks: tuple[Inline, ...] = (
            *self.marks.badges(narrative.marks),
            *self.marks.citations(narrative.marks),
        )
        # the badges and sources close the text's last paragraph, as they close a value
        last = blocks[-1] if blocks else None
        if marks and isinstance(last, Paragraph):
            blocks[-1] = attrs.evolve(last, inlines=(*last.inlines, *marks))
        elif marks:
            blocks.append(Paragraph(marks, style="small"))
        blocks += self.marks.annotations(narrative.marks)
        return blocks

    def todo(self, number: str, title: str, needs: str, key: str | None = None) -> Paragraph:
        """ "To be completed: …", recorded as an open item (`key`: the narrative that fills it)."""
        self.open_items.append(OpenItem(number, title, needs))
        parts: list[Inline] = [Strong("To be completed: "), Text(f"{needs}.")]
        if key is not None:
            parts += [
                Text(" Written in the specification as "),
                Code(f"narrative {key}"),
                Text("."),
            ]
        return Paragraph(tuple(parts), style="question")

    def section(
        self,
        key: str,
        number: str,
        facts: list[Block] | None = None,
        needs: str | None = None,
    ) -> Section:
        """A narrative section: what the spec's declarations say (`facts`), then the writer's
        text; a required section with neither is an open item (`needs` says what it needs)."""
        heading = NARRATIVE_SECTIONS[key].heading
        blocks = [*(facts or []), *self.blocks(key)]
        if self.written(key) is None and (NARRATIVE_SECTIONS[key].required or not blocks):
            what = needs or f"the {heading.lower()}"
            blocks.append(self.todo(number, heading, what[0].upper() + what[1:], key))
        return Section(f"narrative-{key.replace('_', '-')}", number, heading, tuple(blocks))

    def open_items_table(self) -> Block:
        rows = tuple(
            (cell(item.number), cell(item.title), cell(item.needs))
            for item in sorted(self.open_items, key=_in_document_order)
        )
        return Table(
            (cell("Section"), cell("Part"), cell("What it needs")),
            rows,
            "Parts of the protocol to be completed",
        )


def _in_document_order(item: OpenItem) -> tuple[int, ...]:
    """ "Title page" first, then by section number (4.10 after 4.9)."""
    if not item.number[:1].isdigit():
        return (0,)
    return (1, *(int(part) for part in item.number.split(".")))
