"""What the USDM tests share: the real specs and their exports, CDISC's examples, the
elements compared between two USDM documents, and the interpreter that runs CDISC's rules."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generators.usdm.draft import Draft, draft
from generators.usdm.study import document
from generators.usdm.text import Resolver, index
from tests.crf.support import SPECS, load_spec

ROOT = Path(__file__).resolve().parents[2]
USDM_DATA = ROOT.parent / "shared" / "data" / "usdm"
PILOT_EXAMPLE = USDM_DATA / "CDISC_Pilot_Study.json"
LILLY_EXAMPLE = USDM_DATA / "EliLilly_NCT03421379_Diabetes.json"
#: every real spec of specs/ (the libraries of specs/lib are not trials)
ALL_SPECS = tuple(sorted(p.stem for p in SPECS.glob("*.trial")))
#: CDISC's USDM rules (usdm4) waived for the exports, each explained in docs/usdm.md
WAIVED_RULES = {"DDF00084", "DDF00097"}


def needs_examples() -> None:
    if not PILOT_EXAMPLE.exists():
        pytest.skip("CDISC's USDM examples (../shared/data/usdm) are not beside the project")


@functools.cache
def example(path: Path) -> dict[str, Any]:
    needs_examples()
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def exported(stem: str) -> dict[str, Any]:
    return document(load_spec(stem))


@functools.cache
def drafted(key: str) -> Draft:
    """The draft of an export (`spec:STEM`) or of a CDISC example (a file name)."""
    if key.startswith("spec:"):
        return draft(exported(key[5:]), f"{key[5:]}_draft.trial")
    return draft(example(USDM_DATA / key), "draft.trial")


def _design(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["study"]["versions"][0]["studyDesigns"][0]


def _chain(instances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {i["id"]: i for i in instances}
    heads = [i for i in instances if not i.get("previousId")]
    ordered, node = [], heads[0] if len(heads) == 1 else None
    while node is not None:
        ordered.append(node)
        node = by_id.get(node.get("nextId"))
    return ordered if len(ordered) == len(instances) else instances


def _label(instance: dict[str, Any]) -> str:
    return str(instance.get("label") or instance.get("name"))


def elements(doc: dict[str, Any]) -> dict[str, Any]:
    """The parts of a USDM study compared across documents, in plain text: epochs,
    encounters in their order, the activities of each encounter, criteria, objectives
    with their endpoints, arms."""
    version = doc["study"]["versions"][0]
    design = _design(doc)
    plain = Resolver(index(doc), version.get("dictionaries") or []).plain
    encounters = {e["id"]: _label(e) for e in design.get("encounters") or []}
    activities = {a["id"]: _label(a) for a in design.get("activities") or []}
    per_encounter: dict[str, set[str]] = {}
    for timeline in design.get("scheduleTimelines") or []:
        if not timeline.get("mainTimeline"):
            continue
        for instance in timeline.get("instances") or []:
            if instance.get("encounterId") in encounters:
                done = per_encounter.setdefault(encounters[instance["encounterId"]], set())
                done |= {activities[a] for a in instance.get("activityIds") or []}
    items = {i["id"]: i for i in version.get("eligibilityCriterionItems") or []}
    return {
        "epochs": [_label(e) for e in _chain(design.get("epochs") or [])],
        "encounters": [_label(e) for e in _chain(design.get("encounters") or [])],
        "activities": {name: sorted(done) for name, done in per_encounter.items()},
        "criteria": [
            (c["category"]["code"], plain(items[c["criterionItemId"]]["text"]))
            for c in _chain(design.get("eligibilityCriteria") or [])
        ],
        "objectives": [
            (
                o["level"]["code"],
                plain(o["text"]),
                [plain(e["text"]) for e in o.get("endpoints") or []],
            )
            for o in design.get("objectives") or []
        ],
        "arms": [(_label(a), a["type"]["code"]) for a in design.get("arms") or []],
    }


def usdm4_python() -> Path:
    """The Python 3.12 interpreter with `usdm4` that CI prepares, or skip saying why."""
    configured = os.environ.get("USDM4_PYTHON")
    candidate = Path(configured) if configured else ROOT / ".venv-usdm4" / "bin" / "python"
    if not candidate.exists():
        pytest.skip(
            "CDISC's USDM rules need the usdm4 package on Python 3.12 or newer: "
            f"no interpreter at {candidate} (`.ci/run` makes .venv-usdm4; or set USDM4_PYTHON)"
        )
    return candidate


def run_usdm4(doc_path: Path) -> dict[str, dict[str, Any]]:
    """Every usdm4 rule's outcome on a USDM file: {rule: {status, findings, messages}}."""
    script = Path(__file__).parent / "usdm4_rules.py"
    result = subprocess.run(
        [str(usdm4_python()), str(script), str(doc_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=doc_path.parent,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)["rules"]


def failing_rules(outcomes: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {
        rule: outcome["findings"]
        for rule, outcome in outcomes.items()
        if outcome["status"] != "Success"
    }
