"""The XPT files are ASCII with every rewrite reported, and TS/TA values come from the
pinned CDISC controlled terminology."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generators.sdtm import tdm, terminology
from generators.sdtm.ascii import to_ascii
from tests.crf.support import REAL_SPECS, load_spec


@given(st.text())
def test_to_ascii_gives_ascii_and_keeps_ascii_text(text: str) -> None:
    result = to_ascii(text)
    assert result.isascii()
    if text.isascii():
        assert result == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥ 1:80", ">= 1:80"),
        ("≤ 40 mg/day", "<= 40 mg/day"),
        ("Alzheimer’s", "Alzheimer's"),
        ("“quoted” – dash", '"quoted" - dash'),
        ("5 µg/kg", "5 ug/kg"),
        ("Sjögren’s syndrome", "Sjogren's syndrome"),
        ("37.5 °C", "37.5  degreesC"),
        ("中文", "??"),
    ],
)
def test_to_ascii_spellings(text: str, expected: str) -> None:
    assert to_ascii(text) == expected


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_every_xpt_is_ascii_and_every_rewrite_is_reported(stem: str, tmp_path: Path) -> None:
    spec = load_spec(stem)
    tdm.build(spec, tmp_path)
    folder = tmp_path / "sdtm"
    import pyreadstat

    for path in folder.glob("*.xpt"):
        frame, _meta = pyreadstat.read_xport(str(path), encoding="ascii")
        texts = [v for column in frame.columns for v in frame[column] if isinstance(v, str)]
        assert texts and all(t.isascii() for t in texts), path.name
    with (folder / "xpt_ascii.csv").open(encoding="utf-8", newline="") as handle:
        reported = list(csv.DictReader(handle))
    # exactly the non-ASCII cells of the datasets, each with its original text
    expected = [
        (d.name, c.name, str(n), str(v), to_ascii(str(v)))
        for d in tdm.datasets(spec)
        for n, row in enumerate(d.rows, start=1)
        for c, v in zip(d.columns, row, strict=True)
        if isinstance(v, str) and not v.isascii()
    ]
    assert [tuple(r.values()) for r in reported] == expected
    assert reported, "both real specs have text a transport file cannot hold"


def test_lookups_match_codes_submission_values_and_synonyms() -> None:
    assert terminology.term("EPOCH", "follow_up").value == "FOLLOW-UP"  # type: ignore[union-attr]
    assert terminology.term("EPOCH", "Run-in").code == "C98779"  # type: ignore[union-attr]
    assert terminology.term("INTMODEL", "single group").code == "C82640"  # type: ignore[union-attr]
    assert terminology.term("TPHASE", "Phase Ib Trial").value == "PHASE IB TRIAL"  # type: ignore[union-attr]
    assert terminology.term("EPOCH", "Treatment and DLT observation") is None
    assert terminology.ts_parameter_name("SSTDTC") == "Study Start Date"
    with pytest.raises(KeyError):
        terminology.ts_parameter_name("AGESPAN")  # not a TS parameter in this package


def test_every_ts_parameter_is_a_ts_parameter_of_the_pinned_terminology() -> None:
    for parameter in tdm.TS_PARAMETERS:
        assert terminology.ts_parameter_name(parameter.code)


def test_epoch_values_are_terms_where_the_name_is_one() -> None:
    spec = load_spec("qls4131_sle_phase1b")
    assert [tdm.epoch_value(spec.epochs[n], n) for n in spec.epochs] == [
        "SCREENING",
        "TREATMENT",
        "FOLLOW-UP",
    ]


def test_an_epoch_that_is_no_term_keeps_its_label() -> None:
    from tests.crf.support import compile_text

    spec = compile_text('trial T { title "x" }\nepoch dose_escalation "Dose escalation"\n')
    epoch = spec.epochs["dose_escalation"]
    assert tdm.epoch_value(epoch, "dose_escalation") == "Dose escalation"


def test_trial_dates_reach_ts() -> None:
    from tests.crf.support import compile_text

    spec = compile_text(
        'trial T { title "x" status completed start_date 2024-01-15 completion_date 2025-06-30 }'
    )
    ts = {code: value for code, _name, _seq, value in tdm.ts_coded_values(spec)}
    assert ts["SSTDTC"] == tdm.TsValue("2024-01-15", reference="ISO 8601")
    assert ts["SENDTC"] == tdm.TsValue("2025-06-30", reference="ISO 8601")
    recruiting = compile_text(
        'trial T { title "x" status recruiting start_date 2024-01-15 completion_date 2027-06-30 }'
    )
    codes = {code for code, _name, _seq, _value in tdm.ts_coded_values(recruiting)}
    assert "SENDTC" not in codes  # not yet an actual end date
