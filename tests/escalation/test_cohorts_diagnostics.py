"""Problems in the cohorts file of `protocol escalate` are diagnostics with a code and a cell.

E0710 a line that cannot be read as a cohort, E0711 counts that contradict
each other, E0712 a cohort the design does not allow: each is reported at the
file, line and columns of the offending cell, in text and in JSON, with exit
status 1 and no decision.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from generators.escalation import EscalationInputError, read_cohorts
from generators.escalation.cohorts_file import cell_columns
from protocol_dsl.cli import cli

ROOT = Path(__file__).resolve().parents[2]
QLS = str(ROOT / "specs" / "qls4131_sle_phase1b.trial")
LEVELS = ("DL1", "DL2", "DL3", "DL4", "DL5", "DL6")


def _escalate(tmp_path: Path, text: str, *options: str):
    path = tmp_path / "cohorts.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return CliRunner().invoke(
        cli, ["escalate", QLS, "--data", str(path), *options], catch_exceptions=False
    )


def _json_diagnostic(tmp_path: Path, text: str) -> dict:
    result = _escalate(tmp_path, text, "--format", "json")
    assert result.exit_code == 1
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["span"]["file"].endswith("cohorts.csv")
    return diagnostic


def _at(diagnostic: dict) -> tuple[int, int, int]:
    span = diagnostic["span"]
    assert span["end_line"] == span["line"]
    return span["line"], span["column"], span["end_column"]


HEADER = "dose_level,patients,dlts\n"


@pytest.mark.parametrize(
    ("text", "cell", "words"),
    [
        (HEADER + "DL1,3,0\nDL9,3,1\n", (3, 1, 4), "unknown dose level 'DL9'"),
        (HEADER + "DL1, three ,0\n", (2, 6, 11), "patients must be a whole number"),
        (HEADER + "DL1,3,2.5\n", (2, 7, 10), "dlts must be a whole number"),
        (HEADER + "DL1,3,-1\n", (2, 7, 9), "dlts cannot be negative"),
        (HEADER + "DL1,3\n", (2, 6, 6), "2 values, but the header has 3 columns"),
        ("level,patients,dlts\nDL1,3,0\n", (1, 1, 20), "missing dose_level"),
        ("", (1, 1, 1), "the file is empty"),
        ('dlts,"dose_level",patients\n0,"D""L1",3\n', (2, 3, 10), "unknown dose level 'D\"L1'"),
    ],
)
def test_e0710_a_line_that_is_not_a_cohort(
    tmp_path: Path, text: str, cell: tuple[int, int, int], words: str
) -> None:
    diagnostic = _json_diagnostic(tmp_path, text)
    assert diagnostic["code"] == "E0710"
    assert _at(diagnostic) == cell
    assert words in diagnostic["message"]
    assert "line" not in diagnostic["message"].split(":")[0]  # the span says where


@pytest.mark.parametrize(
    ("text", "cell", "words"),
    [
        (HEADER + "DL1,3,4\n", (2, 7, 8), "4 DLTs among 3 patients"),
        (HEADER + "DL1,0,0\n", (2, 5, 6), "at least one patient"),
    ],
)
def test_e0711_counts_that_contradict_each_other(
    tmp_path: Path, text: str, cell: tuple[int, int, int], words: str
) -> None:
    diagnostic = _json_diagnostic(tmp_path, text)
    assert diagnostic["code"] == "E0711"
    assert _at(diagnostic) == cell
    assert words in diagnostic["message"]


@pytest.mark.parametrize(
    ("text", "cell", "words"),
    [
        (HEADER + "DL1,3,3\nDL1,3,0\n", (3, 1, 8), "cohort 2: the trial already ended after"),
        (HEADER + "DL1,3,0\nDL2,3,3\nDL2,3,0\n", (4, 1, 4), "cohort 3: DL2 was eliminated"),
    ],
)
def test_e0712_a_cohort_the_design_does_not_allow(
    tmp_path: Path, text: str, cell: tuple[int, int, int], words: str
) -> None:
    diagnostic = _json_diagnostic(tmp_path, text)
    assert diagnostic["code"] == "E0712"
    assert _at(diagnostic) == cell
    assert diagnostic["message"].startswith(words)


def test_the_text_output_shows_the_cell_with_a_caret(tmp_path: Path) -> None:
    result = _escalate(tmp_path, HEADER + "DL1,3,0\nDL2,3,4\n", "--no-color")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("error[E0711]: 4 DLTs among 3 patients; a patient counts at most one DLT")
    assert lines[1].endswith("cohorts.csv:3:7")
    assert lines[2:4] == ["   3 | DL2,3,4", "     |       ^"]
    assert "decision" not in result.output


def test_standard_input_is_named_in_the_diagnostic() -> None:
    result = CliRunner().invoke(
        cli, ["escalate", QLS, "--data", "-", "--format", "json"], input=HEADER + "DL1,x,0\n"
    )
    assert result.exit_code == 1
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["code"] == "E0710"
    assert diagnostic["span"]["file"] == "<stdin>"


def test_a_file_that_is_not_utf8_is_e0008(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_bytes(HEADER.encode() + b"DL1,3,0 \xff\n")
    result = CliRunner().invoke(cli, ["escalate", QLS, "--data", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["E0008"]


def test_a_missing_file_is_e0009(tmp_path: Path) -> None:
    missing = str(tmp_path / "absent.csv")
    result = CliRunner().invoke(cli, ["escalate", QLS, "--data", missing, "--format", "json"])
    assert result.exit_code == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["E0009"]


def test_a_record_over_two_lines_is_pointed_at_as_a_whole_line() -> None:
    text = HEADER + 'DL1,3,0\n"DL\n9",3,0\n'
    with pytest.raises(EscalationInputError) as caught:
        read_cohorts(io.StringIO(text), LEVELS)
    assert (caught.value.code, caught.value.row, caught.value.cell) == ("E0710", 4, None)


_CELL_TEXT = st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=6)


@given(
    st.lists(_CELL_TEXT, min_size=1, max_size=6),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_cell_columns_point_at_the_cells_csv_reads(cells: list[str], quoting: int) -> None:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator="").writerow(cells)
    line = out.getvalue()
    (parsed,) = list(csv.reader([line]))
    spans = cell_columns(line)
    assert len(spans) == len(parsed)
    for (start, end), cell in zip(spans, parsed, strict=True):
        assert 1 <= start <= end <= len(line) + 1
        if cell.strip():
            # the span holds the cell's text, as written (quotes included)
            (again,) = list(csv.reader([line[start - 1 : end - 1]]))
            assert len(again) == 1 and again[0].strip() == cell.strip()
