"""Reports of a screening run: text (box-drawn tables), JSON, CSV and the funnel chart.

The text report has, in order: a per-subject table (status, criteria decided
against the subject, criteria still unknown, data still needed), the invalid
values, the edit-check findings, the rows the readers could not use and, for
a batch, the screen-failure funnel.  JSON carries everything, with a
`format_version`; CSV has one row per subject, every text cell neutralised so
that no spreadsheet reads it as a formula.  Output is deterministic.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from protocol_dsl.evaluate.interpreter import SubjectResult
from protocol_dsl.screening import boxes
from protocol_dsl.screening.run import Outcome, ScreenRun
from protocol_dsl.spec import Spec

FORMAT_VERSION = 1
TEXT_WIDTH = 120
_MAX_LISTED = 4


# ---------------------------------------------------------------- JSON


def to_json_data(run: ScreenRun, spec_path: str, engine: str = "python") -> dict[str, Any]:
    subjects = []
    for outcome in run.outcomes:
        data = outcome.result.to_json()
        data["source"] = outcome.source
        data["findings"] = [f.to_json() for f in outcome.findings]
        subjects.append(data)
    return {
        "format_version": FORMAT_VERSION,
        "spec": spec_path,
        "trial": run.spec.trial.name if run.spec.trial else None,
        "engine": engine,
        "summary": run.counts,
        "subjects": subjects,
        "input_problems": [p.to_json() for p in run.input_problems],
        "funnel": [step.to_json() for step in run.funnel],
    }


def render_json(run: ScreenRun, spec_path: str) -> str:
    return json.dumps(to_json_data(run, spec_path), indent=2, ensure_ascii=False) + "\n"


def render_jsonl(run: ScreenRun) -> str:
    """One subject per line (its JSON entry as in `render_json`), input order."""
    return "".join(jsonl_line(outcome) for outcome in run.outcomes)


#: `json.dumps(…, ensure_ascii=False)`'s text, made by one encoder for every line: a report
#: is a tree of fresh dicts and lists, so the check for circular references finds nothing
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def jsonl_line(outcome: Outcome) -> str:
    """A subject's line of the JSON Lines report."""
    data = outcome.result.to_json()
    data["source"] = outcome.source
    data["findings"] = [f.to_json() for f in outcome.findings]
    return _LINE_ENCODER.encode(data) + "\n"


def write_jsonl(outcomes: Iterable[Outcome], out: IO[bytes]) -> None:
    """The JSON Lines report written as the outcomes come (`render_jsonl`'s bytes).

    One write per subject: an outcome is dropped as soon as its line is out, so it
    never outlives the collector's young generations (a batch of outcomes held for
    a larger write would be promoted, and every full collection would then walk
    the whole batch of records read)."""
    for outcome in outcomes:
        out.write(jsonl_line(outcome).encode("utf-8"))


# ---------------------------------------------------------------- CSV


def render_csv(run: ScreenRun) -> bytes:
    buffer = io.BytesIO()
    write_csv(run.spec, run.outcomes, buffer)
    return buffer.getvalue()


def write_csv(spec: Spec, outcomes: Iterable[Outcome], out: IO[bytes]) -> None:
    """The CSV report (one row per subject) written as the outcomes come."""
    import csv

    from protocol_dsl.csv_cells import cell, neutralise

    factors = _spec_factors(spec)
    criteria = [c.id for c in spec.criteria]
    strata = [*(f"stratum_{f}" for f in factors), "stratum"] if factors else []
    header = ["subject_id", "status", "failed", "unknown", "data_needed", "invalid_values",
              "findings", *criteria, *strata, "source"]  # fmt: skip
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    # statuses come from a few words: their cells are made once, not once per criterion
    statuses = {word: cell(word) for word in _STATUS_WORDS}
    # one write per subject, as `write_jsonl`: no outcome outlives its row
    for outcome in outcomes:
        result = outcome.result
        verdicts = result.criteria
        writer.writerow(
            [
                cell(result.subject_id),
                statuses[result.status],
                cell(" ".join(result.failed)),
                cell(" ".join(result.unknown)),
                cell("; ".join(result.data_needed)),
                cell(len(result.invalid)),
                cell(" ".join(sorted({f.rule for f in outcome.findings}))),
                *(statuses[verdicts[c].status] for c in criteria),
                *(cell(v) for v in _result_strata(factors, result)),
                cell(outcome.source),
            ]
        )
        out.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()
    out.write(text.getvalue().encode("utf-8"))


#: what a subject's or a criterion's status cell can say
_STATUS_WORDS = ("eligible", "ineligible", "indeterminate", "met", "not_met", "unknown")


def _spec_factors(spec: Spec) -> list[str]:
    randomisation = spec.randomisation
    return [f.name for f in randomisation.factors] if randomisation is not None else []


def _result_strata(factors: list[str], result: SubjectResult) -> list[str | None]:
    if not factors:
        return []
    strata = result.strata or {}
    return [*(strata.get(f) for f in factors), result.stratum]


def _factors(run: ScreenRun) -> list[str]:
    randomisation = run.spec.randomisation
    return [f.name for f in randomisation.factors] if randomisation is not None else []


# ---------------------------------------------------------------- text


def _listed(items: list[str], limit: int = _MAX_LISTED) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" … ({len(items) - limit} more)"


def summary_line(run: ScreenRun, spec_path: str) -> str:
    counts = run.counts
    trial = run.spec.trial.name if run.spec.trial else spec_path
    subjects = counts["subjects"]
    return (
        f"Screening of {trial} ({spec_path}): {subjects} subject{'s' if subjects != 1 else ''}"
        f" — {counts['eligible']} eligible, {counts['ineligible']} ineligible, "
        f"{counts['indeterminate']} indeterminate"
    )


def render_text(run: ScreenRun, spec_path: str, *, colour: bool = False) -> str:
    """The text report: tables drawn with box characters, coloured on a terminal.

    Without colour the tables are drawn by `boxes`, exactly as rich draws
    them, without importing rich (a tenth of a one-subject run); with colour,
    or text `boxes` cannot measure, by rich; plain columns if rich is not
    installed.
    """
    parts = _report_parts(run, spec_path)
    if not colour and boxes.supported(parts):
        try:
            return boxes.render(parts, TEXT_WIDTH)
        except boxes.TooNarrow:  # more columns than the width holds: rich decides
            pass
    try:
        from rich.console import Console
    except ImportError:  # the rich extra is optional
        return _plain_text(run, spec_path)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=TEXT_WIDTH,
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    _rich_report(console, parts)
    return buffer.getvalue()


_STATUS_COLOURS = {"eligible": "green", "ineligible": "red", "indeterminate": "yellow"}


def _report_parts(run: ScreenRun, spec_path: str) -> list[boxes.Part]:
    """The report in order: summary, subjects, invalid values, findings, rows not read, funnel."""
    fold: boxes.Overflow = "fold"
    parts: list[boxes.Part] = [boxes.Line(summary_line(run, spec_path), soft_wrap=True), None]
    subjects = [
        (
            r.subject_id,
            r.status,
            " ".join(r.failed),
            " ".join(r.unknown),
            _listed(r.data_needed),
        )
        for r in (o.result for o in run.outcomes)
    ]
    columns = (
        boxes.Column("Subject", overflow="fold"),
        boxes.Column("Status", overflow="fold", colours=tuple(_STATUS_COLOURS.items())),
        *(boxes.Column(n, overflow="fold") for n in ("Failed", "Unknown", "Data needed")),
    )
    parts.append(boxes.Table("Subjects", columns, tuple(subjects)))
    parts += _strata_table(run)

    invalid = [(o, p) for o in run.outcomes for p in o.result.invalid if p.check is None]
    if invalid:
        rows: list[tuple[str, ...]] = [
            (o.subject_id, p.where(), _value_text(p.value), p.reason) for o, p in invalid
        ]
        title = f"Invalid values ({len(invalid)}): read as missing"
        parts += [None, _table(title, ("Subject", "Where", "Value", "Reason"), fold, rows)]

    findings = [f for o in run.outcomes for f in o.findings]
    parts.append(None)
    if findings:
        rows = [(f.subject_id, f.rule, f.message) for f in findings]
        title = f"Edit checks ({len(findings)} findings)"
        parts.append(_table(title, ("Subject", "Rule", "Message"), fold, rows))
    else:
        parts.append(boxes.Line("Edit checks: no findings"))

    if run.input_problems:
        rows = [(p.where() or p.source or "", p.reason) for p in run.input_problems]
        title = f"Input rows not read ({len(run.input_problems)})"
        parts += [None, _table(title, ("Where", "Reason"), fold, rows)]

    if len(run.outcomes) > 1:
        columns = (
            boxes.Column("Criterion"),
            boxes.Column("Kind"),
            *(boxes.Column(n, "right") for n in ("Excluded", "Cumulative", "Remaining", "Unknown")),
        )
        rows = [
            (
                s.criterion,
                s.kind,
                str(s.excluded),
                str(s.cumulative),
                str(s.remaining),
                str(s.unknown),
            )
            for s in run.funnel
        ]
        title = f"Screen-failure funnel ({len(run.outcomes)} subjects)"
        parts += [None, boxes.Table(title, columns, tuple(rows))]
    return parts


def _strata_table(run: ScreenRun) -> list[boxes.Part]:
    """Each eligible subject's stratum: per factor, combined, and the data still needed."""
    factors = _factors(run)
    eligible = [o.result for o in run.outcomes if o.result.status == "eligible"]
    if not factors or not eligible:
        return []
    rows = [
        (
            r.subject_id,
            *((r.strata or {}).get(f, "") for f in factors),
            r.stratum or "",
            _listed(r.strata_data_needed),
        )
        for r in eligible
    ]
    names = ("Subject", *factors, "Stratum", "Data needed")
    return [None, _table(f"Strata of eligible subjects ({len(eligible)})", names, "fold", rows)]


def _table(
    title: str, names: tuple[str, ...], overflow: boxes.Overflow, rows: list[tuple[str, ...]]
) -> boxes.Table:
    columns = tuple(boxes.Column(name, overflow=overflow) for name in names)
    return boxes.Table(title, columns, tuple(rows))


def _rich_report(console: Any, parts: list[boxes.Part]) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    for part in parts:
        if part is None:
            console.print()
        elif isinstance(part, boxes.Line):
            if part.soft_wrap:  # the summary
                console.print(Text(part.text, style="bold"), soft_wrap=True)
            else:
                console.print(Text(part.text))
        else:
            table = Table(title=escape(part.title), title_justify="left")
            for column in part.columns:
                header = escape(column.header)
                table.add_column(header, justify=column.justify, overflow=column.overflow)
            for row in part.rows:
                cells = [
                    Text(cell, style=dict(column.colours).get(cell, ""))
                    for column, cell in zip(part.columns, row, strict=True)
                ]
                table.add_row(*cells)
            console.print(table)


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _plain_text(run: ScreenRun, spec_path: str) -> str:
    lines = [summary_line(run, spec_path), ""]
    for outcome in run.outcomes:
        result = outcome.result
        lines.append(
            f"{result.subject_id}\t{result.status}\tfailed: {' '.join(result.failed) or '-'}"
            f"\tunknown: {' '.join(result.unknown) or '-'}"
            f"\tneeded: {_listed(result.data_needed) or '-'}"
        )
    if _factors(run):
        for outcome in run.outcomes:
            result = outcome.result
            if result.status == "eligible":
                needed = _listed(result.strata_data_needed) or "-"
                lines.append(f"stratum\t{result.subject_id}\t{result.stratum}\tneeded: {needed}")
    for outcome in run.outcomes:
        for problem in outcome.result.invalid:
            if problem.check is None:
                lines.append(f"invalid\t{outcome.subject_id}\t{problem.where()}\t{problem.reason}")
        for finding in outcome.findings:
            lines.append(f"finding\t{finding.subject_id}\t{finding.rule}\t{finding.message}")
    for problem in run.input_problems:
        lines.append(f"not read\t{problem.where()}\t{problem.reason}")
    if len(run.outcomes) > 1:
        lines.append("criterion\tkind\texcluded\tcumulative\tremaining\tunknown")
        for s in run.funnel:
            lines.append(
                f"{s.criterion}\t{s.kind}\t{s.excluded}\t{s.cumulative}\t{s.remaining}\t{s.unknown}"
            )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- funnel chart


def write_funnel_png(run: ScreenRun, path: Path) -> Path:
    """The funnel as a horizontal bar chart (subjects remaining after each criterion)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    steps = run.funnel
    labels = ["screened", *(f"{s.criterion} ({s.kind[:3]})" for s in steps)]
    remaining = [len(run.outcomes), *(s.remaining for s in steps)]
    excluded = [0, *(s.excluded for s in steps)]
    height = max(2.5, 0.32 * len(labels) + 1.2)
    figure = Figure(figsize=(8, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(labels)))
    axes.barh(positions, remaining, color="#4C72B0", label="remaining")
    axes.barh(positions, excluded, left=remaining, color="#DD8452", label="excluded here")
    axes.set_yticks(positions)
    axes.set_yticklabels(labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("subjects")
    trial = run.spec.trial.name if run.spec.trial else ""
    axes.set_title(f"Screen-failure funnel {trial}".strip(), fontsize=10)
    for position, value, gone in zip(positions, remaining, excluded, strict=True):
        label = f" {value}" + (f" (−{gone})" if gone else "")
        axes.text(value + gone, position, label, va="center", fontsize=7)
    axes.set_xlim(0, max(remaining) * 1.18 or 1)
    axes.legend(loc="lower right", fontsize=7)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    # no Software entry, no timestamp: the same run writes the same bytes
    figure.savefig(path, format="png", metadata={"Software": None})
    return path
