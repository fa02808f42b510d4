"""Edits of real specs: a line deleted or doubled, a number, unit, visit or operator changed.

Many edits give a spec `check` rejects (that is counted, not run further); the others
are specs no generator would write — real protocols with a plausible slip — and go
through every command.  The same edits make the "new version" that `diff` compares a
spec with.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
#: The real specs, by their path under specs/ (libraries included: they are specs too).
REAL = {
    p.relative_to(SPECS).as_posix(): p.read_text(encoding="utf-8")
    for p in sorted(SPECS.rglob("*.trial"))
}

_NUMBER = re.compile(r"(?<![\w.:-])\d+(\.\d+)?(?![\w.:-])")
_SWAPS = [
    ("<=", "<"),
    (">=", ">"),
    (" < ", " <= "),
    (" and ", " or "),
    (" or ", " and "),
    ("any ", "none "),
    ("inclusion", "exclusion"),
    ("exclusion", "inclusion"),
    ("mg", "g"),
    ("weeks", "days"),
    ("days", "weeks"),
    ("required", ""),
    ("provisional", ""),
    ("= yes", "= no"),
    ("before", "after"),
    ("primary", "secondary"),
    ("boin", "mtpi2"),
]


@st.composite
def edited(draw: st.DrawFn, source: str, most: int = 3) -> str:
    """`source` with 1..`most` line edits."""
    lines = source.split("\n")
    for _ in range(draw(st.integers(1, most))):
        k = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        kind = draw(st.sampled_from(["delete", "double", "number", "swap", "swap", "number"]))
        if kind == "delete":
            del lines[k]
        elif kind == "double":
            lines.insert(k, lines[k])
        elif kind == "number":
            value = draw(st.sampled_from(["0", "1", "2", "3", "7", "29", "100", "0.5", "12.25"]))
            lines[k] = _NUMBER.sub(value, lines[k], count=1)
        else:
            old, new = draw(st.sampled_from(_SWAPS))
            lines[k] = lines[k].replace(old, new, 1)
    return "\n".join(lines)


@st.composite
def edited_real_specs(draw: st.DrawFn) -> tuple[str, str]:
    """(name, text): a real spec, unchanged one time in eight, else edited."""
    name = draw(st.sampled_from(sorted(REAL)))
    source = REAL[name]
    if draw(st.integers(0, 7)) == 0:
        return name, source
    return name, draw(edited(source))
