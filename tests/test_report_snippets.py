"""The text report shows, under each finding, the line of its own file that it points at.

The report splits each source file into lines once and reads every finding's
line from there; a report over several specs (as `protocol check a b` prints)
must still take each line from the finding's own file.
"""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import render_text, sorted_diagnostics

ROOT = Path(__file__).resolve().parents[1]
SPECS = [ROOT / "specs" / "qls4131_sle_phase1b.trial", ROOT / "specs" / "cdiscpilot01.trial"]


def test_every_finding_shows_its_own_line_in_a_report_over_two_specs() -> None:
    diagnostics = []
    sources: dict[str, str] = {}
    for path in SPECS:
        result = compile_spec(str(path))
        diagnostics += result.diagnostics
        sources.update(result.sources)
    diagnostics = sorted_diagnostics(diagnostics)
    assert {d.span.file for d in diagnostics} == {str(p) for p in SPECS}
    report = render_text(diagnostics, sources)
    chunks = report.split("\n\n")
    assert len(chunks) == len(diagnostics) + 1  # one per finding, then the summary
    for d, chunk in zip(diagnostics, chunks, strict=False):
        line = sources[d.span.file].splitlines()[d.span.line - 1].expandtabs(1)
        assert f"{d.span.file}:{d.span.line}:{d.span.column}" in chunk
        assert f"{d.span.line:>4} | {line}" in chunk.splitlines()
    # the whole report is the findings rendered one by one, then the summary
    alone = [render_text([d], sources).rsplit("\n\n", 1)[0] for d in diagnostics]
    assert report == "\n\n".join(alone) + "\n\n" + chunks[-1]
