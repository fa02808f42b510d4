"""The solver's findings, pinned: every diagnostic of `checks.logic` on a wide set of specs.

The golden files under `golden/findings_*.json` hold, for each spec, every
diagnostic `checks.logic.check` and `check_thorough` report (code, severity,
message, span, labels, notes, help, in order).  They were recorded before the
solver's encoding and grouping were made faster, and any change to how the
formulas are built must leave them exactly as they are: a finding that moves,
disappears or names another minimal set of criteria is a change of behaviour,
not of speed.  One such change was made on purpose and re-recorded: groups are
joined only by shared variables (no longer by a shared unit factor), so the
10,000-line synthetic spec is now analysed in full instead of stopping at
N0904.  Another: the minimal set a finding names is found by deletion in the
criteria's order, whatever unsat core z3 gives (so the language server can
analyse part of a spec in a context of its own and name the same criteria):
one finding of `allow.trial` now names I1 where it named I2.  The specs:

* every spec under specs/, every case spec of the test suite, and every
  documentation example with formal criteria;
* the synthetic specs of the benchmarks (1,000 and 10,000 lines: hundreds of
  connected criteria, the effort limit N0904);
* a few hundred generated specs: whole random specs (`tests.strategies`),
  random edits of QLS4131, and random criteria over a small domain.

The generated specs are drawn once and kept (`golden/generated_specs.json.gz`:
hypothesis draws differ between processes, as the generators iterate over
sets); random edits of QLS4131 are kept as the edits themselves.  Each golden
entry holds the SHA-256 of its spec text, so a changed spec or generator shows
as a stale golden rather than as a false difference.  Regenerate both with
UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from protocol_dsl.checks import logic
from protocol_dsl.diagnostics import Diagnostic, has_errors
from protocol_dsl.model import Span
from protocol_dsl.syntax.loader import load
from tests.docs_examples import all_docs, examples, materialise
from tests.solver.support import CASES, ROOT, SPECS, synthetic_text

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
#: The generated specs (drawn once: see the module docstring).
INPUTS = GOLDEN / "generated_specs.json.gz"

#: How many specs each generator draws (duplicates and specs without formal criteria
#: are dropped, so fewer are kept).
GENERATED = 220
EDITED = 160
RANDOM = 80

Case = tuple[str, str, str]  # name, path the spec is loaded as, text


# ---------------------------------------------------------------- recording


def _span(span: Span) -> list[object]:
    return [
        Path(span.file).name,
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        span.start,
        span.end,
    ]


def _finding(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "span": _span(d.span),
        "labels": [[_span(label.span), label.message] for label in d.labels],
        "notes": list(d.notes),
        "help": d.help,
    }


def _record(name: str, path: str, text: str) -> dict[str, object] | None:
    """What the solver check says about one spec (None: it has no formal criteria)."""
    spec, problems, _sources = load(path, text)
    if spec is None or has_errors(problems) or not any(c.rule for c in spec.criteria):
        return None
    return {
        "case": name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "check": [_finding(d) for d in logic.check(spec)],
        "thorough": [_finding(d) for d in logic.check_thorough(spec)],
    }


def _compare(golden_name: str, cases: Iterator[Case]) -> None:
    golden_path = GOLDEN / golden_name
    recorded = [r for r in (_record(*case) for case in cases) if r is not None]
    if UPDATE:
        golden_path.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
        return
    golden = {entry["case"]: entry for entry in json.loads(golden_path.read_text())}
    stale = [r["case"] for r in recorded if golden.get(r["case"], {}).get("sha256") != r["sha256"]]
    if stale:
        pytest.skip(
            f"{len(stale)} specs changed since {golden_name} was recorded "
            f"(first: {stale[0]}); regenerate it with UPDATE_GOLDEN=1"
        )
    assert sorted(golden) == sorted(r["case"] for r in recorded), "specs came or went"
    differing = [r["case"] for r in recorded if r != golden[r["case"]]]
    assert not differing, f"findings changed on {len(differing)} specs: {differing[:10]}"


# ---------------------------------------------------------------- the specs


def _files(folder: Path) -> Iterator[Case]:
    for path in sorted(folder.rglob("*.trial")):
        yield str(path.relative_to(ROOT)), str(path), path.read_text(encoding="utf-8")


def _doc_examples(tmp_path: Path) -> Iterator[Case]:
    for doc in all_docs():
        for number, example in enumerate(examples(doc)):
            if example.fragment or example.raw or example.check:
                continue
            folder = tmp_path / f"{doc.stem}-{number}"
            path = materialise(example, folder)
            yield example.id, str(path), path.read_text(encoding="utf-8")


def _drawn(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    """`count` draws of a strategy, the same ones every run (derandomized, no shrinking)."""
    found: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(text: str) -> None:
        if text not in found:
            found.append(text)

    draw()
    return found


def _draw_generated() -> list[dict[str, object]]:
    """Fresh draws of the three generators, as stored in the inputs file."""
    from tests.checks.test_robust import LINES, edited
    from tests.solver.test_against_interpreter import _spec_text, criteria_lists
    from tests.strategies import specs

    drawn: list[dict[str, object]] = []
    for k, text in enumerate(_drawn(specs(), GENERATED)):
        drawn.append({"case": f"generated:{k}", "text": text})
    for k, text in enumerate(_drawn(edited(), EDITED)):
        matcher = difflib.SequenceMatcher(None, LINES, text.splitlines(), autojunk=False)
        edits = [
            [i1, i2, text.splitlines()[j1:j2]]
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
        drawn.append({"case": f"edited:{k}", "edits": edits})
    random_specs = criteria_lists.map(lambda criteria: _spec_text(criteria)[0])
    for k, text in enumerate(_drawn(random_specs, RANDOM)):
        drawn.append({"case": f"random:{k}", "text": text})
    return drawn


def _generated() -> Iterator[Case]:
    from tests.checks.test_robust import LINES, SPEC

    if UPDATE:
        with gzip.open(INPUTS, "wt", encoding="utf-8") as stream:
            json.dump(_draw_generated(), stream, ensure_ascii=False)
    with gzip.open(INPUTS, "rt", encoding="utf-8") as stream:
        stored = json.load(stream)
    for entry in stored:
        name = entry["case"]
        if "edits" in entry:
            lines = list(LINES)
            for start, end, replacement in reversed(entry["edits"]):
                lines[start:end] = replacement
            yield name, str(SPEC), "\n".join(lines) + "\n"
        else:
            yield name, str(ROOT / f"{name.split(':')[0]}.trial"), entry["text"]


def _synthetic(lines: int) -> Case:
    return f"synthetic:{lines}", str(ROOT / f"synthetic{lines}.trial"), synthetic_text(lines)


# ---------------------------------------------------------------- the tests


def test_findings_are_unchanged_on_real_case_and_example_specs(tmp_path: Path) -> None:
    def cases() -> Iterator[Case]:
        yield from _files(SPECS)
        yield from _files(CASES)
        yield from _files(ROOT / "tests" / "checks" / "cases")
        yield from _doc_examples(tmp_path)

    _compare("findings_specs.json", cases())


def test_findings_are_unchanged_on_synthetic_specs() -> None:
    _compare("findings_synthetic.json", iter([_synthetic(1000), _synthetic(10000)]))


def test_findings_are_unchanged_on_generated_specs() -> None:
    _compare("findings_generated.json", _generated())
