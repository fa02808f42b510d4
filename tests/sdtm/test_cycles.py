"""SDTM trial design for cycles and repeats: TA, TE and TV of the oncology fixture.

TA follows the SDTMIG's cyclical-treatment example: the treatment element once
per planned cycle, each but the last with its early transition; TE gives the
repeated element the length of one cycle; TV has one row per planned visit of
the expanded schedule, with the rule of each visit of a series.
"""

from __future__ import annotations

from generators.sdtm import tdm
from tests.crf.support import ONCOLOGY, load_spec


def _rows(columns: tuple[tdm.Column, ...], rows: list[list[object]]) -> list[dict[str, object]]:
    return [dict(zip((c.name for c in columns), row, strict=True)) for row in rows]


def test_ta_has_the_treatment_element_once_per_planned_cycle() -> None:
    ta = _rows(tdm.TA_COLUMNS, tdm.ta_rows(load_spec(ONCOLOGY), "ONC17"))
    assert [r["ETCD"] for r in ta] == ["SCRN", *["DRUGZ"] * 17, "FU"]
    assert [r["TAETORD"] for r in ta] == list(range(1, 20))
    cycles = ta[1:18]
    early = "If disease progression or unacceptable toxicity, go to Follow-up epoch"
    assert [r["TATRANS"] for r in cycles] == [early] * 16 + [""]
    assert {r["EPOCH"] for r in cycles} == {"TREATMENT"}  # the CDISC EPOCH term


def test_te_gives_the_cycle_element_one_cycle_of_length() -> None:
    te = {r["ETCD"]: r for r in _rows(tdm.TE_COLUMNS, tdm.te_rows(load_spec(ONCOLOGY), "ONC17"))}
    assert te["DRUGZ"]["TEDUR"] == "P21D"
    assert te["DRUGZ"]["TEENRL"] == "Last dose of Drug Z"  # as written
    assert te["SCRN"]["TEDUR"] == "P28D"


def test_tv_has_every_planned_visit_with_its_rule() -> None:
    spec = load_spec(ONCOLOGY)
    tv = _rows(tdm.TV_COLUMNS, tdm.tv_rows(spec, "ONC17"))
    assert len(tv) == len(spec.visit_order) == 42
    numbers = [r["VISITNUM"] for r in tv]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    by_visit = {r["VISIT"]: r for r in tv}
    c2 = by_visit["Cycle 2 Day 1"]
    assert c2["VISITDY"] == 22
    assert str(c2["TVSTRL"]).startswith(
        "Study day 22 (window -0/+3 days); day 1 of cycle 2 of up to 17"
    )
    sfu = by_visit["Safety follow-up"]
    assert sfu["VISITDY"] is None
    assert sfu["TVSTRL"] == "30 days after last dose of Drug Z (window -7/+7 days)"
    surv = by_visit["Survival follow-up 2"]
    assert "occurrence 2: every 12 weeks after last dose of Drug Z, until death" in str(
        surv["TVSTRL"]
    )
    assert all(len(str(r["TVSTRL"])) <= tdm.MAX_TEXT for r in tv)
