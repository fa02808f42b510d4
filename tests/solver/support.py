"""Shared helpers of the solver tests: case specs with inline expectations, spec copies."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from protocol_dsl.compiler import CompileResult, compile_spec

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
ROOT = HERE.parents[1]
SPECS = ROOT / "specs"
QLS4131 = SPECS / "qls4131_sle_phase1b.trial"
REAL_SPECS = [SPECS / "qls4131_sle_phase1b.trial", SPECS / "cdiscpilot01.trial"]

#: The codes this area reports.
LOGIC_CODES = ("E0401", "W0402", "W0403", "W0404", "E0405", "W0406")

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]\d{4}(?:\s*,\s*[A-Z]\d{4})*)")


def expectations(path: Path) -> set[tuple[int, str]]:
    """(line, code) pairs written next to the offending lines as `# expect: CODE`."""
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.update((number, code.strip()) for code in match[1].split(","))
    return found


def logic_findings(result: CompileResult) -> set[tuple[int, str]]:
    return {(d.span.line, d.code) for d in result.diagnostics if d.code in LOGIC_CODES}


def planted(tmp_path: Path, source: Path, edits: list[tuple[str, str]]) -> Path:
    """A copy of a real spec (with its libraries) with text replaced; each edit must apply."""
    shutil.copytree(SPECS / "lib", tmp_path / "lib", dirs_exist_ok=True)
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"the planted edit does not apply: {old!r}"
        text = text.replace(old, new)
    target = tmp_path / source.name
    target.write_text(text, encoding="utf-8")
    return target


def compile_path(path: Path) -> CompileResult:
    return compile_spec(str(path))


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def synthetic_text(lines: int) -> str:
    """The benchmarks' synthetic spec of about `lines` lines (`benchmarks/synthetic.py`)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import synthetic_spec
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return synthetic_spec(lines)


def criteria_over(
    atom: Callable[[], st.SearchStrategy[str]],
) -> st.SearchStrategy[list[tuple[str, str]]]:
    """One to four inclusion/exclusion criteria whose rules combine `atom()`s with
    and, or and not."""
    rule = st.one_of(
        atom(),
        st.builds(
            lambda a, op, b: f"({a}) {op} ({b})", atom(), st.sampled_from(["and", "or"]), atom()
        ),
        st.builds(lambda a: f"not ({a})", atom()),
    )
    return st.lists(
        st.tuples(st.sampled_from(["inclusion", "exclusion"]), rule), min_size=1, max_size=4
    )
