"""The specs the contract runs: generated, extended, respelled and edited real specs.

- `generated`: a canonical spec of `tests.strategies` (as the formatter prints it);
- `extended`: the same with the extra declarations of `tests.contract.extras`;
- `respelled`: an extended spec written with comments, odd spacing and escapes;
- `real`: a real spec (specs/, libraries included), edited or not, maybe respelled.

Each comes with the "new version" that `diff` compares it with (an edit of it) and
the cohorts that `escalate` reads.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from protocol_dsl.syntax.formatter import format_module
from tests.contract.extras import extra_declarations
from tests.contract.mutate import edited, edited_real_specs
from tests.contract.respell import respelled
from tests.strategies import spec_parts

ORIGINS = ("generated", "extended", "respelled", "real")


@attrs.frozen
class ContractSpec:
    origin: str
    source: str
    plain: str | None  # the text before it was respelled (None: not respelled)
    new_version: str
    cohorts: str


def _cohorts(draw: st.DrawFn) -> str:
    """cohorts.csv: dose_level,patients,dlts; levels DL1.. (the generator's names), and
    now and then a row that is wrong (unknown level, more DLTs than patients)."""
    rows = ["dose_level,patients,dlts"]
    for _ in range(draw(st.integers(0, 4))):
        level = draw(st.sampled_from(["DL1", "DL2", "DL3", "DL9", "1"]))
        patients = draw(st.integers(0, 6))
        dlts = draw(st.integers(0, patients + (draw(st.integers(0, 9)) == 0)))
        rows.append(f"{level},{patients},{dlts}")
    return "\n".join(rows) + "\n"


@st.composite
def contract_specs(draw: st.DrawFn, origin: str | None = None) -> ContractSpec:
    origin = origin or draw(st.sampled_from(ORIGINS))
    plain = None
    if origin == "real":
        _name, source = draw(edited_real_specs())
        if draw(st.booleans()):
            plain, source = source, draw(respelled(source))
    else:
        parts = draw(spec_parts())
        source = format_module(parts.module)
        if origin != "generated":
            source += "\n" + draw(extra_declarations(parts)) + "\n"
        if origin == "respelled":
            plain, source = source, draw(respelled(source))
    return ContractSpec(origin, source, plain, draw(edited(source, most=2)), _cohorts(draw))
