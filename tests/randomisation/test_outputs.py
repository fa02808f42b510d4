"""What the randomisation and masking blocks give the registry record and SDTM TS."""

from __future__ import annotations

import pytest

from generators.registries import ctgov
from generators.sdtm.tdm import ts_values
from tests.crf.support import compile_text

SPEC = """
trial DERIVED {{
  title "Derived design"
}}

arm placebo "Placebo" type placebo
arm low "Low" type experimental
arm high "High" type experimental

randomisation {{
  ratio {ratio}
  method permuted_blocks block_sizes {blocks}
}}

masking {{
  blinded {roles}
}}
"""


def _spec(ratio: str, blocks: str, roles: str):  # type: ignore[no-untyped-def]
    return compile_text(SPEC.format(ratio=ratio, blocks=blocks, roles=roles))


def _ts(spec) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for code, _name, _seq, value in ts_values(spec):
        found.setdefault(code, []).append(value)
    return found


@pytest.mark.parametrize(
    "ratio,blocks,quotient",
    [
        ("placebo 1, low 1, high 1", "3, 6", "0.67"),
        ("placebo 1, low 1", "2, 4", "0.5"),
        ("placebo 1, high 2", "3", "0.67"),
        ("placebo 1, low 3", "4", "0.75"),
    ],
)
def test_randomisation_quotient_is_the_experimental_share(
    ratio: str, blocks: str, quotient: str
) -> None:
    ts = _ts(_spec(ratio, blocks, "participant"))
    assert ts["RANDQT"] == [quotient]
    assert ts["RANDOM"] == ["Y"]  # no header `allocation`: the randomisation says it


@pytest.mark.parametrize(
    "roles,level,blind",
    [
        ("participant", "SINGLE", "SINGLE BLIND"),
        ("participant, investigator", "DOUBLE", "DOUBLE BLIND"),
        ("participant, investigator, sponsor", "DOUBLE", "DOUBLE BLIND"),
        ("participant, care_provider, investigator", "TRIPLE", "TRIPLE BLIND"),
        (
            "participant, care_provider, investigator, outcome_assessor",
            "QUADRUPLE",
            "QUADRUPLE BLIND",
        ),
        ("sponsor", "NONE", "OPEN LABEL"),
    ],
)
def test_the_masking_level_follows_from_the_roles(roles: str, level: str, blind: str) -> None:
    spec = _spec("placebo 1, low 1", "2", roles)
    info = ctgov.record(spec)["protocolSection"]["designModule"]["designInfo"]
    assert info["allocation"] == "RANDOMIZED"
    assert info["maskingInfo"]["masking"] == level
    order = ["PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"]
    who = info["maskingInfo"].get("whoMasked", [])
    assert who == [r for r in order if r in who]  # the registry's order
    assert ("maskingDescription" in info["maskingInfo"]) == ("sponsor" in roles)
    assert _ts(spec)["TBLIND"] == [blind]
