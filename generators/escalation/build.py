"""The `escalation` artefact: decision table and simulated operating characteristics.

Writes, under `escalation/`, the design's decision table (text and CSV) and,
for every scenario the spec declares, the operating characteristics of the
design (text and JSON) from a fixed number of simulated trials with a fixed
seed, so that rebuilding gives the same bytes.  The PNG plot is left to
`protocol simulate --plot`: plotting would triple the build time.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from protocol_dsl.spec import Spec

from .designs import DesignError
from .from_spec import NoDesign, SpecDesign, spec_design
from .simulate import SimulationResult, simulate
from .table import DecisionTable, decision_table

#: Fixed so that documents built from the same spec show the same figures.
TRIALS = 10_000
SEED = 2025


def scenario_results(design: SpecDesign) -> list[tuple[str, str | None, SimulationResult]]:
    """Simulated operating characteristics of every declared scenario."""
    results = []
    for scenario in design.scenarios():
        rates = [float(r) for r in scenario.rates]
        if len(rates) != design.n_levels:
            continue  # the checker reports the mismatch
        results.append(
            (
                scenario.name,
                scenario.label,
                simulate(design.design, rates, n_trials=TRIALS, seed=SEED),
            )
        )
    return results


def build(spec: Spec, out_dir: Path) -> list[Path]:
    try:
        design = spec_design(spec)
    except (NoDesign, DesignError):
        return []
    folder = out_dir / "escalation"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        table = decision_table(design.design)
    except DesignError:
        table = None  # CRM has no boundary table: its decisions depend on the whole history
    if table is not None:
        written.append(_write(folder / "decision_table.txt", table.render()))
        written.append(_write(folder / "decision_table.csv", _table_csv(table)))
    for name, label, result in scenario_results(design):
        text = (
            f"scenario {name}"
            + (f": {label}" if label else "")
            + "\n\n"
            + result.render(design.level_names)
        )
        written.append(_write(folder / f"scenario_{name}.txt", text))
        payload = {
            "scenario": name,
            "label": label,
            "design": design.design.name,
            "trials": TRIALS,
            "seed": SEED,
            "levels": list(design.level_names),
            "true_rates": list(result.true_rates),
            "selected_percent": [round(v, 2) for v in result.selection_percent],
            "mean_patients": [round(v, 3) for v in result.mean_patients],
            "mean_dlts": [round(v, 3) for v in result.mean_dlts],
            "stop_percent": round(result.stop_percent, 2),
            "mean_sample_size": round(result.mean_sample_size, 3),
        }
        written.append(
            _write(folder / f"scenario_{name}.json", json.dumps(payload, indent=2) + "\n")
        )
    return written


def _table_csv(table: DecisionTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "patients",
            "escalate_if_dlts_at_most",
            "deescalate_if_dlts_at_least",
            "eliminate_if_dlts_at_least",
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                row.patients,
                _cell(row.escalate_at_most),
                _cell(row.deescalate_at_least),
                _cell(row.eliminate_at_least),
            ]
        )
    return buffer.getvalue()


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
