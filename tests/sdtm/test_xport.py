"""The SAS transport v5 writer gives, byte for byte, what pyreadstat writes for the same data.

pyreadstat (ReadStat) is the reference: every generated dataset, and the
trial design datasets of the real specs, are written both ways and compared,
with pyreadstat's build-time stamps set to the stamp given to ours.  Spot
checks pin the IBM float conversion to values worked out by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.sdtm import tdm
from generators.sdtm.ascii import to_ascii
from generators.sdtm.xport import MISSING, Variable, ibm_double, xport_bytes
from tests.crf.support import REAL_SPECS, load_spec

pd = pytest.importorskip("pandas", reason="pandas is the reference writer's input")
pyreadstat = pytest.importorskip("pyreadstat", reason="pyreadstat is the reference writer")

STAMP = b"14MAR25:00:00:00"
_SAS_STAMP = re.compile(rb"\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d")
_OBSERVATIONS = b"HEADER RECORD*******OBS     HEADER RECORD"
_RESERVED = {"_N_", "_ERROR_", "_NUMERIC_", "_CHARACTER_", "_ALL_"}

Row = list[float | str | None]


def reference(tmp: Path, table: str, label: str, variables: list[Variable], rows: list[Row]):
    """pyreadstat's file for the same columns, its time stamps replaced by STAMP."""
    data = {}
    for index, variable in enumerate(variables):
        values = [row[index] for row in rows]
        if variable.numeric:
            data[variable.name] = pd.Series(
                [float("nan") if v is None else float(v) for v in values], dtype="float64"
            )
        else:
            data[variable.name] = pd.Series(
                ["" if v is None else str(v) for v in values], dtype="object"
            )
    frame = pd.DataFrame(data, columns=[v.name for v in variables])
    path = tmp / "reference.xpt"
    pyreadstat.write_xport(
        frame,
        str(path),
        file_label=label,
        column_labels=[v.label for v in variables],
        table_name=table,
        file_format_version=5,
    )
    content = path.read_bytes()
    end = content.find(_OBSERVATIONS)
    return _SAS_STAMP.sub(STAMP, content[:end]) + content[end:]


names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,7}", fullmatch=True).filter(
    lambda name: name not in _RESERVED
)
labels = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=50
)
numbers = st.none() | st.floats() | st.integers(-(10**6), 10**6).map(float)
texts = st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def datasets(draw) -> tuple[str, str, list[Variable], list[Row]]:
    columns = draw(
        st.lists(
            st.tuples(names, labels, st.booleans()),
            min_size=1,
            max_size=5,
            unique_by=lambda c: c[0],
        )
    )
    variables = [Variable(name, label, numeric) for name, label, numeric in columns]
    row = st.tuples(*(numbers if v.numeric else texts for v in variables)).map(list)
    rows = draw(st.lists(row, max_size=6))
    return draw(names), draw(labels), variables, rows


@settings(max_examples=150, deadline=None)
@given(dataset=datasets())
def test_same_bytes_as_pyreadstat(dataset, tmp_path_factory: pytest.TempPathFactory) -> None:
    table, label, variables, rows = dataset
    expected = reference(tmp_path_factory.mktemp("xpt"), table, label, variables, rows)
    assert xport_bytes(table, label, variables, rows, STAMP) == expected


@pytest.mark.parametrize("spec_name", REAL_SPECS)
def test_trial_design_datasets_as_pyreadstat_writes_them(spec_name: str, tmp_path: Path) -> None:
    spec = load_spec(spec_name)
    stamp = tdm._xpt_stamp(spec)
    for dataset in tdm.datasets(spec):
        path = tmp_path / f"{dataset.name}.xpt"
        tdm.write_xpt(path, dataset, stamp)
        variables = [Variable(c.name, c.label, c.numeric) for c in dataset.columns]
        rows = [
            [
                None if c.numeric and v == "" else (v if c.numeric else to_ascii(str(v)))
                for c, v in zip(dataset.columns, row, strict=True)
            ]
            for row in dataset.rows
        ]
        expected = reference(tmp_path, dataset.name, dataset.label, variables, rows)
        assert path.read_bytes() == expected.replace(STAMP, stamp), dataset.name


@pytest.mark.parametrize(
    ("value", "ibm"),
    [
        (1.0, "4110000000000000"),  # 16**1 * 1/16
        (-1.0, "C110000000000000"),
        (0.5, "4080000000000000"),
        (100.0, "4264000000000000"),  # 0x64 = 100, exponent 16**2
        (0.1, "401999999999999A"),  # the double nearest 0.1, every bit kept
        (-7.0, "C170000000000000"),
        (0.0, "0000000000000000"),
        (-0.0, "0000000000000000"),
        (float("inf"), "7FFFFFFFFFFFFFFF"),
        (float("-inf"), "FFFFFFFFFFFFFFFF"),
        (1e-300, "0000000000000000"),  # below the IBM range
    ],
)
def test_ibm_double(value: float, ibm: str) -> None:
    assert ibm_double(value).hex().upper() == ibm


def test_missing_number_is_sas_dot() -> None:
    assert ibm_double(float("nan")) == MISSING == b".\0\0\0\0\0\0\0"


def test_every_file_is_whole_records_and_reads_back(tmp_path: Path) -> None:
    variables = [Variable("NAME", "Name", False), Variable("DAY", "Study day", True)]
    rows: list[Row] = [["Screening ≥ 18", -14.0], [None, None], ["Day 1", 1.0]]
    data = xport_bytes("TV", "Trial Visits", variables, rows, STAMP)
    assert len(data) % 80 == 0
    path = tmp_path / "tv.xpt"
    path.write_bytes(data)
    frame, meta = pyreadstat.read_xport(str(path), encoding="utf-8")
    assert list(frame["NAME"]) == ["Screening ≥ 18", "", "Day 1"]
    assert list(frame["DAY"].fillna(999)) == [-14.0, 999, 1.0]
    assert meta.table_name == "TV" and meta.file_label == "Trial Visits"
    assert meta.column_labels == ["Name", "Study day"]


@pytest.mark.parametrize("name", ["", "TOOLONGNAME", "1ST", "A-B", "É"])
def test_names_sas_cannot_read_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="XPORT"):
        xport_bytes("TA", "x", [Variable(name, "x", False)], [], STAMP)
