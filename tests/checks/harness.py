"""Inline expectations for check tests, in the manner of compiler UI tests.

A case is a .trial file whose offending lines carry the diagnostics they must
produce, as a comment at the end of the line::

    inclusion I1 "Adults" = demographics.birth_date >= 18   # expect: E0201

Several codes may follow one `expect:` (``# expect: E0303 E0501``), and a code
may repeat when the line must produce it twice.  A line

    # ignore: W0801 N09

anywhere in the file leaves out the listed codes, or every code starting with
a listed prefix, from the comparison (for the rules a case is not about).
Every other diagnostic reported *in the case file* must be expected, and every
expectation must be reported: the comparison is exact, line by line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import Diagnostic

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9 ,]+?)\s*$")
_IGNORE = re.compile(r"^\s*#\s*ignore:\s*([A-Z0-9 ,]+?)\s*$")


def expectations(text: str) -> tuple[Counter[tuple[int, str]], tuple[str, ...]]:
    """(line, code) pairs expected, and the ignored codes or prefixes."""
    expected: Counter[tuple[int, str]] = Counter()
    ignored: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        ignore = _IGNORE.match(line)
        if ignore:
            ignored += ignore[1].replace(",", " ").split()
            continue
        expect = _EXPECT.search(line)
        if expect:
            for code in expect[1].replace(",", " ").split():
                expected[(number, code)] += 1
    return expected, tuple(ignored)


def reported(
    path: Path, ignored: tuple[str, ...], strict: bool = False
) -> tuple[Counter[tuple[int, str]], list[Diagnostic]]:
    """(line, code) pairs the checker reports in the case file itself."""
    result = compile_spec(str(path), strict=strict)
    here = [
        d
        for d in result.diagnostics
        if Path(d.span.file).resolve() == path.resolve()
        and not any(d.code.startswith(prefix) for prefix in ignored)
    ]
    return Counter((d.span.line, d.code) for d in here), here


def mismatch(path: Path, strict: bool = False) -> str | None:
    """None when the case reports exactly what it expects, else a readable difference."""
    text = path.read_text(encoding="utf-8")
    expected, ignored = expectations(text)
    found, diagnostics = reported(path, ignored, strict)
    if found == expected:
        return None
    lines = text.splitlines()
    out = [f"{path.name}: reported diagnostics differ from the expectations"]
    for line, code in sorted((found - expected).elements()):
        message = next(d.message for d in diagnostics if (d.span.line, d.code) == (line, code))
        out.append(f"  unexpected {code} on line {line}: {message}")
        out.append(f"      {lines[line - 1].strip()}")
    for line, code in sorted((expected - found).elements()):
        out.append(f"  missing    {code} on line {line}: {lines[line - 1].strip()}")
    return "\n".join(out)
