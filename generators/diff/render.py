"""Renderings of a semantic diff: text, JSON, Markdown, DOCX, GitHub annotations, SARIF.

One `Report` (the changes, their rationales from the amendment metadata, the
re-screening of subjects when asked for) and one function per format.  The
Markdown and Word forms are the "summary of changes" table an amendment
carries (section, change, rationale, substantial yes/no with the
regulation), followed by the reasoning behind each classification.  Every
rendering is deterministic: the same two specs give the same bytes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import attrs

from generators.diff import rules
from generators.diff.changes import Change
from generators.diff.conclusion import Conclusion
from generators.diff.rationale import Rationale
from generators.diff.subjects import Rescreen
from generators.diff.wording import Wording
from protocol_dsl import model as m
from protocol_dsl.diagnostics import did_you_mean, docs_url, github_escape, github_location

FORMAT_VERSION = 1

_FDA_TEST = {
    "1": "phase 1: changes that significantly affect the safety of subjects",
    "2/3": "phase 2/3: changes that significantly affect the safety of subjects, the scope "
    "of the investigation or its scientific quality",
}


@attrs.frozen
class Report:
    old_name: str
    new_name: str
    trial: str
    old_version: str | None
    new_version: str | None
    phase: rules.Phase
    changes: tuple[Change, ...]
    rationales: tuple[Rationale | None, ...]
    amendments: tuple[m.Amendment, ...] = ()
    subjects: Rescreen | None = None
    #: the amendment as a whole (None: not concluded)
    conclusion: Conclusion | None = None
    #: the protocol's old and new wording of each change (same order as `changes`)
    wordings: tuple[Wording, ...] = ()
    old_date: str | None = None
    new_date: str | None = None

    def wording(self, index: int) -> Wording:
        if index < len(self.wordings):
            return self.wordings[index]
        change = self.changes[index]
        return Wording(change.old, change.new)

    @property
    def substantial(self) -> int:
        return sum(1 for c in self.changes if c.substantial)

    def summary_line(self) -> str:
        n = len(self.changes)
        if not n:
            return "no changes"
        return f"{n} change{'s' if n != 1 else ''}, {self.substantial} substantial"


# ---------------------------------------------------------------- text

_YELLOW = "\x1b[1;33m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def render_text(report: Report, colour: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    lines = [
        f"protocol diff {report.old_name} → {report.new_name}",
        f"FDA test: {_FDA_TEST[report.phase]}",
    ]
    section = None
    for change, rationale in zip(report.changes, report.rationales, strict=True):
        if change.section != section:
            section = change.section
            lines += ["", paint(section, _BOLD)]
        mark = paint("!", _YELLOW) if change.substantial else "·"
        lines.append(f"  {mark} {change.target}: {change.summary}")
        lines.append(
            "      "
            + paint(
                f"{change.rule_id} · {change.direction} · "
                f"{rules.CATEGORY_WORDS[change.category]} · {_substantial_words(change)}",
                _DIM,
            )
        )
        if change.old is not None:
            lines.append(f"      old: {change.old}")
        if change.new is not None:
            lines.append(f"      new: {change.new}")
        lines.append(f"      EU: {_verdict(change.substantial_eu)}, {change.reason_eu}")
        lines.append(
            f"      FDA (phase {report.phase}): {_verdict(change.substantial_fda)}, "
            f"{change.reason_fda}"
        )
        for override in change.overrides:
            lines.append(f"      overridden: {override.words}")
        if rationale is not None:
            lines.append(f"      rationale: {rationale.text}")
    if report.subjects is not None:
        lines += ["", paint("Subjects re-screened", _BOLD), *_subject_lines(report.subjects)]
    if report.conclusion is not None and report.changes:
        lines += ["", paint("Conclusion", _BOLD)]
        lines += [f"  {line}" for line in report.conclusion.lines()]
    lines += ["", report.summary_line()]
    return "\n".join(lines) + "\n"


def _subject_lines(rescreen: Rescreen) -> list[str]:
    lines = [
        f"  {rescreen.screened} subject{'s' if rescreen.screened != 1 else ''} screened, "
        f"{len(rescreen.changed)} change status"
    ]
    for change in rescreen.changed:
        why = "; ".join(c.words() for c in change.criteria) or "no single criterion changed"
        lines.append(f"  {change.subject_id}: {change.old_status} → {change.new_status} ({why})")
    if rescreen.unmatched:
        lines.append("  found by one version's reading only: " + ", ".join(rescreen.unmatched))
    return lines


def _verdict(substantial: bool) -> str:
    return "substantial" if substantial else "not substantial"


def _substantial_words(change: Change) -> str:
    if not change.substantial:
        return "not substantial"
    return "substantial under " + " and ".join(change.regulations)


# ---------------------------------------------------------------- JSON


def to_json_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "old": report.old_name,
        "new": report.new_name,
        "trial": report.trial,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "fda_phase": report.phase,
        "summary": {
            "changes": len(report.changes),
            "substantial": report.substantial,
            "substantial_eu": sum(1 for c in report.changes if c.substantial_eu),
            "substantial_fda": sum(1 for c in report.changes if c.substantial_fda),
        },
        "changes": [],
    }
    for change, rationale in zip(report.changes, report.rationales, strict=True):
        entry = change.to_json()
        entry["rationale"] = rationale.text if rationale else None
        entry["rationale_is_specific"] = rationale.specific if rationale else False
        wording = report.wording(len(data["changes"]))
        entry["old_wording"], entry["new_wording"] = wording.old, wording.new
        data["changes"].append(entry)
    if report.subjects is not None:
        data["subjects"] = report.subjects.to_json()
    if report.conclusion is not None:
        data["conclusion"] = report.conclusion.to_json()
    data["old_version_date"] = report.old_date
    data["new_version_date"] = report.new_date
    return data


def render_json(report: Report) -> str:
    return json.dumps(to_json_data(report), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    """A Markdown table cell: HTML escaped, pipes escaped, line breaks kept as <br>."""
    escaped = html.escape(text, quote=False).replace("|", "\\|")
    return "<br>".join(line.strip() for line in escaped.splitlines()) or " "


def _md(text: str) -> str:
    return html.escape(text, quote=False)


def _substantial_cell(change: Change) -> str:
    if not change.substantial:
        return "No"
    return "Yes (" + "; ".join(change.regulations) + ")"


def _rationale_cell(rationale: Rationale | None) -> str:
    if rationale is None:
        return "—"
    if rationale.specific:
        return rationale.text
    return f"{rationale.text} (amendment reasons)"


def _overview(report: Report) -> list[tuple[str, str]]:
    rows = [("Trial", report.trial)]
    rows.append(("From", _version_words(report.old_name, report.old_version, report.old_date)))
    rows.append(("To", _version_words(report.new_name, report.new_version, report.new_date)))
    for amendment in report.amendments:
        label = f"Amendment {m.format_decimal(amendment.number)}"
        parts = [amendment.date.isoformat()] if amendment.date else []
        if amendment.summary:
            parts.append(amendment.summary)
        rows.append((label, ": ".join(parts) if parts else "(no summary)"))
        for reason in amendment.reasons:
            rows.append(("Reason", reason))
    rows.append(("Changes", report.summary_line()))
    rows.append(("FDA test", _FDA_TEST[report.phase]))
    return rows


def _version_words(name: str, version: str | None, date: str | None) -> str:
    """`version 2.0 of 2025-09-15`: what a regulator reads; the file only when there is no version."""
    if version is None:
        return name + (f" of {date}" if date else "")
    return f"version {version}" + (f" of {date}" if date else "")


def _classification_cell(change: Change) -> str:
    """Substantial or not, under which regulation, and the reviewer's overrides."""
    words = (
        f"{_substantial_cell(change)}\n{change.rule_id} · {change.direction} · "
        f"{rules.CATEGORY_WORDS[change.category]}"
    )
    for override in change.overrides:
        words += f"\noverridden: {override.words}"
    return words


def render_markdown(report: Report) -> str:
    lines = ["# Summary of changes", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in _overview(report)]
    lines.append("")
    if not report.changes:
        lines += ["No changes.", ""]
    else:
        if report.conclusion is not None:
            lines += ["## Conclusion", ""]
            lines += [f"- {_md(line)}" for line in report.conclusion.lines()]
            lines.append("")
        lines += [
            "| Section | Change | Old wording | New wording | Rationale | Classification |",
            "|---|---|---|---|---|---|",
        ]
        for index, (change, rationale) in enumerate(
            zip(report.changes, report.rationales, strict=True)
        ):
            wording = report.wording(index)
            lines.append(
                f"| {_cell(change.section)} | {_cell(f'{change.target}: {change.summary}')} "
                f"| {_cell(wording.old or '—')} | {_cell(wording.new or '—')} "
                f"| {_cell(_rationale_cell(rationale))} | {_cell(_classification_cell(change))} |"
            )
        lines += ["", "## Classification", ""]
        for change in report.changes:
            lines.append(
                f"- **{_md(change.target)}** `{change.rule_id}` ({change.direction}; "
                f"{rules.CATEGORY_WORDS[change.category]}): "
                f"EU {_verdict(change.substantial_eu)}, {_md(change.reason_eu)}; "
                f"FDA {_verdict(change.substantial_fda)}, {_md(change.reason_fda)}."
            )
        lines.append("")
    if report.subjects is not None:
        lines += ["## Subjects re-screened", ""]
        lines += _subjects_markdown(report.subjects)
    return "\n".join(lines)


def _subjects_markdown(rescreen: Rescreen) -> list[str]:
    lines = [
        f"{rescreen.screened} subject{'s' if rescreen.screened != 1 else ''} screened under "
        f"both versions; {len(rescreen.changed)} change status.",
        "",
    ]
    if rescreen.changed:
        lines += ["| Subject | Before | After | Criteria |", "|---|---|---|---|"]
        for change in rescreen.changed:
            why = "; ".join(c.words() for c in change.criteria) or "—"
            lines.append(
                f"| {_cell(change.subject_id)} | {change.old_status} | {change.new_status} "
                f"| {_cell(why)} |"
            )
        lines.append("")
    if rescreen.unmatched:
        lines += ["Found by one version's reading only: " + _md(", ".join(rescreen.unmatched)), ""]
    return lines


# ---------------------------------------------------------------- Word


def render_docx(report: Report) -> bytes:
    """The summary of changes as a Word document (byte-identical for the same report)."""
    import datetime as dt
    import io

    import docx
    from docx.shared import Pt

    from generators.documents.render_docx import normalise_zip

    document = docx.Document()
    document.add_heading("Summary of changes", level=1)
    overview = document.add_table(rows=0, cols=2)
    overview.style = "Table Grid"
    for label, value in _overview(report):
        row = overview.add_row().cells
        row[0].text = _clean(label)
        row[1].text = _clean(value)
    document.add_paragraph()
    if report.changes:
        if report.conclusion is not None:
            document.add_heading("Conclusion", level=2)
            for line in report.conclusion.lines():
                document.add_paragraph(_clean(line), style="List Bullet")
        titles = ("Section", "Change", "Old wording", "New wording", "Rationale", "Classification")
        table = document.add_table(rows=1, cols=len(titles))
        table.style = "Table Grid"
        header = table.rows[0]
        for cell, title in zip(header.cells, titles, strict=True):
            cell.text = title
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header(header)
        for index, (change, rationale) in enumerate(
            zip(report.changes, report.rationales, strict=True)
        ):
            wording = report.wording(index)
            cells = table.add_row().cells
            cells[0].text = _clean(change.section)
            cells[1].text = _clean(f"{change.target}: {change.summary}")
            cells[2].text = _clean(wording.old or "—")
            cells[3].text = _clean(wording.new or "—")
            cells[4].text = _clean(_rationale_cell(rationale))
            cells[5].text = _clean(_classification_cell(change))
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
        document.add_heading("Classification", level=2)
        for change in report.changes:
            document.add_paragraph(
                _clean(
                    f"{change.target} — {change.rule_id} ({change.direction}; "
                    f"{rules.CATEGORY_WORDS[change.category]}): EU "
                    f"{_verdict(change.substantial_eu)}, {change.reason_eu}; FDA "
                    f"{_verdict(change.substantial_fda)}, {change.reason_fda}."
                ),
                style="List Bullet",
            )
    else:
        document.add_paragraph("No changes.")
    if report.subjects is not None:
        document.add_heading("Subjects re-screened", level=2)
        for line in _subject_lines(report.subjects):
            document.add_paragraph(_clean(line.strip()))
    properties = document.core_properties
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    properties.created = stamp
    properties.modified = stamp
    properties.last_printed = stamp
    properties.title = _clean(f"Summary of changes: {report.trial}")
    properties.author = "protocol diff"
    properties.last_modified_by = "protocol diff"
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from generators.documents.docx_xml import row_element

    properties = row_element(row).get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry."""
    return "".join(c for c in text if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))


# ---------------------------------------------------------------- GitHub and SARIF


def _location(change: Change, new_file: str) -> tuple[str, m.Span | None]:
    """Where to point: the new source; for a removal, the old source when it is a file of its
    own (two files compared), else the new file as a whole (`_where_removed` says where)."""
    if change.new_span is not None and change.new_span.file != "<unknown>":
        return change.new_span.file, change.new_span
    old = change.old_span
    if old is not None and old.file not in ("<unknown>", new_file):
        return old.file, old
    return new_file, None


def _where_removed(change: Change, new_file: str) -> str:
    """ " (line N of the previous version)" for a change located in the new file as a whole
    although the old version gives its line: the old version is read from git."""
    _file, span = _location(change, new_file)
    old = change.old_span
    if span is None and old is not None and old.file != "<unknown>":
        return f" (line {old.line} of the previous version)"
    return ""


def render_github(report: Report, new_file: str) -> str:
    """GitHub Actions workflow commands: a warning per substantial change, a notice otherwise."""
    lines = []
    for change in report.changes:
        file, span = _location(change, new_file)
        props = github_location(file, span)
        props.append(f"title={github_escape(change.rule_id, property_value=True)}")
        kind = "warning" if change.substantial else "notice"
        message = (
            f"{change.target}: {change.summary}{_where_removed(change, new_file)} "
            f"[{_substantial_words(change)}]"
        )
        for override in change.overrides:
            message += f" [overridden: {override.words}]"
        lines.append(f"::{kind} {','.join(props)}::{github_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(report: Report, new_file: str, tool_version: str) -> str:
    used = sorted({c.rule_id for c in report.changes})
    results = []
    for change in report.changes:
        file, span = _location(change, new_file)
        region = (
            {
                "region": {
                    "startLine": span.line,
                    "startColumn": span.column,
                    "endLine": span.end_line,
                    "endColumn": span.end_column,
                }
            }
            if span is not None
            else {}
        )
        results.append(
            {
                "ruleId": change.rule_id,
                "level": "warning" if change.substantial else "note",
                "message": {
                    "text": f"{change.target}: {change.summary}"
                    f"{_where_removed(change, new_file)}\n"
                    f"EU: {_verdict(change.substantial_eu)}, {change.reason_eu}\n"
                    f"FDA: {_verdict(change.substantial_fda)}, {change.reason_fda}"
                },
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": file}, **region}}],
                "properties": {
                    "section": change.section,
                    "category": change.category,
                    "direction": change.direction,
                    "substantial_eu": change.substantial_eu,
                    "substantial_fda": change.substantial_fda,
                    "overrides": [o.to_json() for o in change.overrides],
                },
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "protocol diff",
                        "version": tool_version,
                        "informationUri": docs_url("diff.md"),
                        "rules": [
                            {
                                "id": rule_id,
                                "shortDescription": {"text": rules.RULES[rule_id].title},
                                "helpUri": docs_url(f"diff.md#{rule_id.lower()}"),
                                "properties": {"section": rules.RULES[rule_id].section},
                            }
                            for rule_id in used
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def missing_rationale_text(missing: Sequence[Change]) -> str:
    lines = [
        f"{len(missing)} substantial change{'s' if len(missing) != 1 else ''} without a "
        "rationale in the amendment:"
    ]
    for change in missing:
        name = change.keys[0] if change.keys else "NAME"
        lines.append(f'  {change.target}: {change.summary} (add: change {name} "…" rationale "…")')
    return "\n".join(lines) + "\n"


def unmatched_overrides_text(overrides: Sequence[m.ClassificationOverride]) -> str:
    """Overrides whose `change` entry names none of the changes (E0133), each at its place."""
    lines = []
    for override in overrides:
        where = f"{override.span.file}:{override.span.line}:{override.span.column}"
        lines.append(
            f"{where}: error[E0133]: this override names none of the changes between these "
            "versions: the reviewer's verdict would apply to nothing"
        )
    lines.append("nothing compared: fix the overrides above first")
    return "\n".join(lines) + "\n"


def unmatched_entries_text(entries: Sequence[m.AmendmentChange], changes: Sequence[Change]) -> str:
    """The amendment's `change` entries that name no change, each at its place."""
    names = sorted({key for change in changes for key in change.keys})
    lines = []
    for entry in entries:
        assert entry.target is not None
        where = f"{entry.span.file}:{entry.span.line}:{entry.span.column}"
        line = f"{where}: warning: `change {entry.target}` names none of the changes between these versions"
        suggestion = did_you_mean(entry.target, names)
        lines.append(line + (f" (did you mean {suggestion}?)" if suggestion else ""))
    return "\n".join(lines) + ("\n" if lines else "")
