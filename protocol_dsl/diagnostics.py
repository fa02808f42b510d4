"""Diagnostics: one list of problems, many renderings.

A diagnostic has a stable code (documented in docs/diagnostics/), a severity,
a message in plain words, a primary span, labelled secondary spans, notes,
help and an optional "did you mean".  Renderers: human text (with the source
line and a caret, coloured on a terminal), JSON, GitHub Actions annotations
and SARIF 2.1.0.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from protocol_dsl.model import Span

Severity = Literal["error", "warning", "note"]

FORMAT_VERSION = 1


@attrs.frozen
class Label:
    span: Span
    message: str


@attrs.frozen
class Fix:
    """A change of the source that resolves a finding: `span`'s text becomes `replacement`.

    Shown by `protocol check` as a help line and applied by the editor's quick fix.
    """

    span: Span
    replacement: str
    #: What the change does, in plain words ("guard the reading of labs.pregnancy_test").
    title: str


@attrs.frozen
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None
    suggestion: str | None = None
    #: A concrete change of the source that resolves the finding, when one is certain.
    fix: Fix | None = None
    #: The reason of the `allow` mark that silences this finding; None when active.
    allowed: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A close match only (Terraform's rule): better no suggestion than a wrong one.

    Short names (visit codes such as SCR, W24) are too short for a ratio of likeness:
    the same name in other capitals (`Scr`), or two neighbouring letters swapped
    (`SRC`), is a match when it is the only one; swapped digits are not.
    """
    import difflib  # only a misspelt name needs it: not paid by a clean check

    names = list(candidates)
    matches = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    if matches:
        return matches[0]
    for same in (_same_ignoring_case, _swapped_neighbours):
        found = [c for c in names if same(name, c)]
        if len(found) == 1:
            return found[0]
    return None


def _same_ignoring_case(a: str, b: str) -> bool:
    return a != b and a.casefold() == b.casefold()


def _swapped_neighbours(a: str, b: str) -> bool:
    if len(a) != len(b) or len(a) < 2:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a.casefold(), b.casefold(), strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a.casefold()[differ[0]] == b.casefold()[differ[1]]
        and a.casefold()[differ[1]] == b.casefold()[differ[0]]
        # swapped digits (W21 for W12, or for W20?) are a different visit as often as a slip
        and a[differ[0]].isalpha()
        and a[differ[1]].isalpha()
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        unique.setdefault((d.code, d.span.file, d.span.start, d.span.end, d.message), d)
    return sorted(unique.values(), key=Diagnostic.sort_key)


# ---------------------------------------------------------------- human text

_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_BOLD = "\x1b[1m"
_BLUE = "\x1b[1;34m"
_RESET = "\x1b[0m"


def use_colour(stream: object, no_color: bool = False) -> bool:
    if no_color or "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    colour: bool = False,
    allowed: Sequence[Diagnostic] = (),
) -> str:
    """Render like a compiler: header, location, source line, caret, help.

    `allowed` are findings an `allow` mark silences, shown (with the reason) after
    the active ones when the caller asks for them; the summary counts them.
    """
    lines = _SourceLines(sources)
    out: list[str] = []
    for d in diagnostics:
        out.append(_render_one(d, lines, colour))
    for d in allowed:
        out.append(_render_one(d, lines, colour))
    if diagnostics:
        out.append(_summary(diagnostics))
    return "\n".join(out) + ("\n" if out else "")


def allowed_summary(count: int) -> str:
    """`2 findings allowed`: how many reviewed findings an `allow` mark silences."""
    return f"{count} finding{'s' if count != 1 else ''} allowed"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{_RESET}" if colour else text


class _SourceLines:
    """The lines of each source file, split once per report: a report of many findings
    in a long file would otherwise split the whole file again for every finding."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.split: dict[str, list[str]] = {}

    def get(self, file: str) -> list[str] | None:
        found = self.split.get(file)
        if found is None:
            source = self.sources.get(file)
            if source is None:
                return None
            found = self.split[file] = source.splitlines()
        return found


def _render_one(d: Diagnostic, sources: _SourceLines, colour: bool) -> str:
    header = f"{d.severity}[{d.code}]" if d.allowed is None else f"allowed {d.severity}[{d.code}]"
    lines = [
        _paint(header, _COLOURS[d.severity], colour) + _paint(f": {d.message}", _BOLD, colour),
        _paint("  --> ", _BLUE, colour) + f"{d.span.file}:{d.span.line}:{d.span.column}",
    ]
    lines.extend(_snippet(d.span, sources.get(d.span.file), "", d.severity, colour))
    for label in d.labels:
        if label.span.file != d.span.file:
            lines.append(
                _paint("  --> ", _BLUE, colour)
                + f"{label.span.file}:{label.span.line}:{label.span.column}"
            )
        lines.extend(
            _snippet(label.span, sources.get(label.span.file), label.message, "note", colour)
        )
    for note in d.notes:
        lines.append(_paint("   = ", _BLUE, colour) + f"note: {note}")
    if d.suggestion:
        lines.append(_paint("   = ", _BLUE, colour) + f"help: did you mean '{d.suggestion}'?")
    if d.fix is not None:
        lines.append(_paint("   = ", _BLUE, colour) + f"help: {fix_line(d.fix)}")
    if d.help:
        lines.append(_paint("   = ", _BLUE, colour) + f"help: {d.help}")
    if d.allowed is not None:
        lines.append(_paint("   = ", _BLUE, colour) + f"allowed: {d.allowed}")
    return "\n".join(lines) + "\n"


def fix_line(fix: Fix) -> str:
    """A fix as one line of help: what it does, and the text to write at its place."""
    return f"{fix.title}: write `{fix.replacement}` instead (line {fix.span.line})"


def _snippet(
    span: Span, source_lines: list[str] | None, label: str, severity: Severity, colour: bool
) -> list[str]:
    if source_lines is None:
        return []
    if not 1 <= span.line <= len(source_lines):
        return []
    text = source_lines[span.line - 1].expandtabs(1)
    gutter = f"{span.line:>4} | "
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    width = max(1, min(end, len(text)) - start) if start < len(text) else 1
    caret = " " * (len(gutter) - 2) + "| " + " " * start + "^" * width
    if label:
        caret += " " + label
    return [
        _paint(gutter, _BLUE, colour) + text,
        _paint(caret, _COLOURS[severity], colour),
    ]


def _summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning")}
    notes = sum(1 for d in diagnostics if d.severity == "note")
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    if notes:
        parts.append(f"{notes} note{'s' if notes != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"


# ---------------------------------------------------------------- machine formats


def _span_json(span: Span) -> dict[str, object]:
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def _diagnostic_json(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "span": _span_json(d.span),
        "labels": [{"message": lb.message, "span": _span_json(lb.span)} for lb in d.labels],
        "notes": list(d.notes),
        "help": d.help,
        "suggestion": d.suggestion,
        **({"fix": _fix_json(d.fix)} if d.fix is not None else {}),
    }


def _fix_json(fix: Fix) -> dict[str, object]:
    return {"title": fix.title, "replacement": fix.replacement, "span": _span_json(fix.span)}


def to_json_data(
    diagnostics: Sequence[Diagnostic], allowed: Sequence[Diagnostic] = ()
) -> dict[str, object]:
    """The findings, and apart from them those an `allow` mark silences, with the reason."""
    return {
        "format_version": FORMAT_VERSION,
        "diagnostics": [_diagnostic_json(d) for d in diagnostics],
        "allowed": [{**_diagnostic_json(d), "reason": d.allowed} for d in allowed],
        "summary": {
            "errors": sum(1 for d in diagnostics if d.severity == "error"),
            "warnings": sum(1 for d in diagnostics if d.severity == "warning"),
            "notes": sum(1 for d in diagnostics if d.severity == "note"),
            "allowed": len(allowed),
        },
    }


def render_json(diagnostics: Sequence[Diagnostic], allowed: Sequence[Diagnostic] = ()) -> str:
    import json  # the machine formats only: the text report does not pay for it

    return json.dumps(to_json_data(diagnostics, allowed), indent=2, ensure_ascii=False) + "\n"


def github_escape(text: str, *, property_value: bool = False) -> str:
    """A GitHub Actions workflow command's message or property value, escaped."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_location(file: str, span: Span | None) -> list[str]:
    """The location properties of a workflow command.

    Columns only for a span on one line: the Actions toolkit refuses `col` and
    `endColumn` when `line` and `endLine` differ.
    """
    props = [f"file={github_escape(file, property_value=True)}"]
    if span is not None:
        props.append(f"line={span.line}")
        if span.line == span.end_line:
            props.append(f"col={span.column}")
        props.append(f"endLine={span.end_line}")
        if span.line == span.end_line:
            props.append(f"endColumn={span.end_column}")
    return props


def render_github(diagnostics: Sequence[Diagnostic], allowed: Sequence[Diagnostic] = ()) -> str:
    """GitHub Actions workflow commands (::error file=…,line=…::message).

    An allowed finding (passed only when asked for) is a notice titled as allowed,
    with its reason: reviewed, so never a warning on the pull request.
    """
    kinds = {"error": "error", "warning": "warning", "note": "notice"}
    lines = []
    for d in [*diagnostics, *allowed]:
        title = d.code if d.allowed is None else f"{d.code} allowed"
        props = ",".join(
            [
                *github_location(d.span.file, d.span),
                f"title={github_escape(title, property_value=True)}",
            ]
        )
        message = d.message + (f" (help: {d.help})" if d.help else "")
        kind = kinds[d.severity]
        if d.allowed is not None:
            message = f"{d.message} (allowed: {d.allowed})"
            kind = "notice"
        lines.append(f"::{kind} {props}::{github_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


#: Where the project's documentation is published: the one place machine outputs (SARIF's
#: `helpUri` and `informationUri`, which must be absolute URIs) take their links from.
#: The pages are the Markdown files of `docs/`, rendered by the code host.
DOCS_URL = "https://github.com/protocol-dsl/protocol-dsl/blob/main/docs/"


def docs_url(page: str) -> str:
    """The absolute URL of a page of `docs/` ("diagnostics/E0401.md", "diff.md#…")."""
    return DOCS_URL + page


#: A word or dotted name of a spec, as a did-you-mean replaces it.
_DOTTED = re.compile(r"[A-Za-z_%\[\]{}][A-Za-z0-9_%.\-/\[\]{}*^']*")


def closest_name(text: str, start: int, end: int, suggestion: str) -> tuple[int, int] | None:
    """Where the name in `text[start:end]` most like `suggestion` is: the text a
    did-you-mean replaces (the item alone of `form.item` when the suggestion is one name)."""
    import difflib  # only a finding with a did-you-mean needs it: not paid by a clean check

    best: tuple[float, int, int] | None = None
    for match in _DOTTED.finditer(text, start, max(end, start + 1)):
        whole = match.group().rstrip(".")
        candidates = [(whole, match.start())]
        if "." not in suggestion:  # a part of `form.item`: the item alone
            offset = match.start()
            for part in whole.split("."):
                candidates.append((part, offset))
                offset += len(part) + 1
        for word, at in candidates:
            ratio = difflib.SequenceMatcher(None, word, suggestion).ratio()
            if word != suggestion and (best is None or ratio > best[0]):
                best = (ratio, at, at + len(word))
    return (best[1], best[2]) if best is not None and best[0] >= 0.5 else None


def suggestion_fix(d: Diagnostic, text: str) -> Fix | None:
    """A did-you-mean as a fix of `text` (the source `d.span` is in), when its name is found."""
    if d.suggestion is None:
        return None
    found = closest_name(text, d.span.start, d.span.end, d.suggestion)
    if found is None:
        return None
    start, end = found
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    span = Span(d.span.file, line, column, line, column + end - start, start, end)
    return Fix(span, d.suggestion, f"replace '{text[start:end]}' with '{d.suggestion}'")


def render_sarif(
    diagnostics: Sequence[Diagnostic],
    tool_version: str,
    allowed: Sequence[Diagnostic] = (),
    sources: Mapping[str, str] | None = None,
) -> str:
    """SARIF 2.1.0; an allowed finding is a result with an in-source suppression.

    A finding's fix (its own, or its did-you-mean found in `sources`) is a SARIF
    fix, which code-scanning services offer as a suggested change."""
    levels = {"error": "error", "warning": "warning", "note": "note"}
    rules = sorted({d.code for d in [*diagnostics, *allowed]})
    results = []
    for d in [*diagnostics, *allowed]:
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": levels[d.severity],
            "message": {
                "text": d.message
                + "".join(f"\nnote: {note}" for note in d.notes)
                + (f"\nhelp: {d.help}" if d.help else "")
            },
            "locations": [_sarif_location(d.span)],
            "relatedLocations": [
                {**_sarif_location(lb.span), "message": {"text": lb.message}} for lb in d.labels
            ],
        }
        fix = d.fix
        if fix is None and sources is not None and d.span.file in sources:
            fix = suggestion_fix(d, sources[d.span.file])
        if fix is not None:
            result["fixes"] = [_sarif_fix(fix)]
        if d.allowed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": d.allowed}]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "protocol",
                        "version": tool_version,
                        "informationUri": docs_url("reference.md"),
                        "rules": [
                            {"id": code, "helpUri": docs_url(f"diagnostics/{code}.md")}
                            for code in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    import json

    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_location(span: Span) -> dict[str, object]:
    return {
        "physicalLocation": {"artifactLocation": {"uri": span.file}, "region": _sarif_region(span)}
    }


def _sarif_region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _sarif_fix(fix: Fix) -> dict[str, object]:
    """The editor's quick fix, for code-scanning services that offer SARIF fixes."""
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": fix.span.file},
                "replacements": [
                    {
                        "deletedRegion": _sarif_region(fix.span),
                        "insertedContent": {"text": fix.replacement},
                    }
                ],
            }
        ],
    }
