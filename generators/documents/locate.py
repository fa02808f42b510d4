"""Where the protocol document shows a declaration: the anchor for a source line.

The live preview scrolls to the part of the protocol that shows what the writer's
cursor is on.  This module owns that correspondence: the declaration whose
source span holds a line (or, on a blank line or a comment between
declarations, the one before it), and the anchors of the document that show it,
most precise first: the criterion's own entry, then its list, then its chapter.
The first anchor the generated page really has wins, so a section a spec does
not produce (no lookup tables, no escalation) is never a target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from protocol_dsl import model as m
from protocol_dsl.spec import Spec

#: A declaration's own entry: an anchor `<prefix>-<name>`, or `<prefix>-<file>-<name>`
#: for the numbered sections a library can contribute too (scores, lookup tables).
_OWN_ENTRY: dict[type, str] = {
    m.Criterion: "criterion",
    m.Form: "form",
    m.Score: "score",
    m.ScoreVariant: "score",
    m.Table: "table",
}

#: The sections that show each kind of declaration, most precise first.
_SECTIONS: dict[type, tuple[str, ...]] = {
    m.Trial: ("synopsis", "summary"),
    m.CodeList: ("code-lists", "appendix"),
    m.Table: ("lookup-tables", "assessments"),
    m.Form: ("forms", "assessments"),
    m.Collect: ("activities", "schedule-of-activities"),
    m.Define: ("criteria-definitions", "population"),
    m.Conversion: ("assessments",),
    m.Score: ("scores", "assessments"),
    m.ScoreVariant: ("scores", "assessments"),
    m.Anchor: ("anchors", "appendix"),
    m.Epoch: ("arms-epochs", "trial-design"),
    m.Visit: ("visits", "schedule-of-activities"),
    m.Cycle: ("visits", "schedule-of-activities"),
    m.Repeat: ("visits", "schedule-of-activities"),
    m.Activity: ("activities", "schedule-of-activities"),
    m.Element: ("arms-epochs", "trial-design"),
    m.Arm: ("arms-epochs", "trial-design"),
    m.Intervention: ("intervention-fields", "intervention"),
    m.DoseFinding: ("dose-levels", "escalation", "trial-design"),
    m.Regimen: ("dosing-regimens", "intervention"),
    m.Objective: ("objectives",),
    m.Amendment: ("amendments",),
    m.Randomisation: ("randomisation-blinding", "overall-design"),
    m.Masking: ("randomisation-blinding", "overall-design"),
    m.Population: ("analysis-sets", "statistics"),
    m.Statistics: ("sample-size", "statistics"),
}

_ID = re.compile(r'\sid="([^"]+)"')


def page_anchors(html: str) -> list[str]:
    """The anchors of a generated page, in document order."""
    return _ID.findall(html)


def declaration_at(spec: Spec, line: int) -> m.Declaration | None:
    """The declaration of the spec's own file at `line` (1-based): the one whose span
    holds it, else the nearest one before it; None before the first declaration."""
    found: m.Declaration | None = None
    for declaration in spec.module.declarations:
        if declaration.span.file != spec.path or declaration.span.line > line:
            continue
        if found is None or declaration.span.line >= found.span.line:
            found = declaration
    return found


def anchor_for_line(spec: Spec, line: int, anchors: Iterable[str]) -> str | None:
    """The anchor of the page (`anchors`) that shows the declaration at `line`."""
    declaration = declaration_at(spec, line)
    if declaration is None:
        return None
    present = list(anchors)
    for wanted in _candidates(declaration):
        if isinstance(wanted, re.Pattern):
            for anchor in present:
                if wanted.fullmatch(anchor):
                    return anchor
        elif wanted in present:
            return wanted
    return None


def _candidates(declaration: m.Declaration) -> list[str | re.Pattern[str]]:
    candidates: list[str | re.Pattern[str]] = []
    prefix = _OWN_ENTRY.get(type(declaration))
    name = getattr(declaration, "id", None) or getattr(declaration, "name", None)
    if prefix is not None and isinstance(name, str):
        candidates.append(f"{prefix}-{name}")
        candidates.append(re.compile(rf"{prefix}-(?:[a-z0-9-]+-)?{re.escape(name)}"))
    if isinstance(declaration, m.Criterion):
        candidates += [declaration.kind, "population"]
    if isinstance(declaration, m.Narrative):
        # the section's heading anchor (`prose.Prose.section`), else the open items
        candidates += [f"narrative-{declaration.name.replace('_', '-')}", "open-questions"]
    candidates += _SECTIONS.get(type(declaration), ())
    return candidates
