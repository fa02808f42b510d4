"""The prose of the protocol's sections in the diff: background, rationale, benefit–risk, ….

A `narrative` is matched by its section key; its text is compared as one
text, the words that changed shown (`phrases.reworded`).  Nothing here is
written by hand: one `Kind` and its table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.diff.phrases import reworded
from generators.diff.walk import Kind, Pair, Row, Table, declarations
from protocol_dsl import model as m
from protocol_dsl.narratives import NARRATIVE_SECTIONS
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generators.diff.recorder import Differ


def _heading(narrative: m.Narrative) -> str:
    section = NARRATIVE_SECTIONS.get(narrative.name)
    return section.heading if section is not None else narrative.name


def _text(narrative: m.Narrative, spec: Spec) -> str:
    return narrative.text


def _rewritten(pair: Pair[m.Narrative], direction: str, names: Sequence[str]) -> str:
    return f"“{_heading(pair.new)}” rewritten: {reworded(pair.old.text, pair.new.text)}"


NARRATIVE = Table(
    m.Narrative,
    (Row(("text",), "NARRATIVE_CHANGED", "reworded", _rewritten, show=_text),),
)

NARRATIVES = Kind[m.Narrative](
    "narrative {}",
    "NARRATIVE_ADDED",
    "NARRATIVE_REMOVED",
    lambda n: f"“{_heading(n)}” written",
    lambda o: f"“{_heading(o)}” no longer written",
    "NARRATIVE_CHANGED",
    NARRATIVE,
    show=_text,
)


def narratives(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, NARRATIVES, old.narratives, new.narratives, old, new)
