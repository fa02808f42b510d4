"""Narrative sections: a known M11 section, written once, with text (E0140, E0141, W0813).

The sections a spec may write prose for are listed in
`protocol_dsl.narratives`; the protocol document places each text under its
heading, so a key it does not know would put the text nowhere, and a second
text for the same section would leave the document to choose one.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.narratives import NARRATIVE_SECTIONS
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    seen: dict[str, m.Narrative] = {}
    for narrative in spec.module.of_type(m.Narrative):
        if narrative.name not in NARRATIVE_SECTIONS:
            close = did_you_mean(narrative.name, NARRATIVE_SECTIONS)
            yield Diagnostic(
                "E0140",
                "error",
                f"`{narrative.name}` is not a protocol section that takes narrative text",
                narrative.span,
                help=f"did you mean `{close}`?"
                if close
                else "the sections are listed in the language reference, "
                "under “Narrative sections”: " + ", ".join(NARRATIVE_SECTIONS),
                suggestion=close,
            )
            continue
        first = seen.setdefault(narrative.name, narrative)
        if first is not narrative:
            yield Diagnostic(
                "E0141",
                "error",
                f"the narrative `{narrative.name}` is written twice "
                f"(first on line {first.span.line})",
                narrative.span,
                help="keep one text per section: join the two texts into one",
            )
        if not narrative.text.strip():
            yield Diagnostic(
                "W0813",
                "warning",
                f"the narrative `{narrative.name}` has no text",
                narrative.span,
                help="write the section's text between the quotes, or remove the declaration: "
                "the protocol then lists the section as still to be completed",
            )
