"""`protocol randomise`: reproducible bytes, concealment, refusals, minimisation input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PILOT = ROOT / "specs" / "cdiscpilot01.trial"
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
CASES = ROOT / "tests" / "checks" / "cases"
GOLDEN = Path(__file__).parent / "golden"


def _randomise(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["randomise", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_pilot_list_matches_its_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    code, stdout, stderr = _randomise(
        str(PILOT), "--seed", "20261207", "--out", str(out), "--per-stratum", "12"
    )
    assert code == 0, stderr
    golden = GOLDEN / "cdiscpilot01_seed20261207.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(out.read_bytes())
    assert out.read_bytes() == golden.read_bytes()
    # the balance report: counts only, never the order or the seed
    assert "severity=moderate: Pbo 4, Xan_Lo 4, Xan_Hi 4" in stdout
    assert "20261207" not in stdout
    assert "at or below 2" in stdout


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_list(
    tmp_path: Path,
) -> None:
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    for path, seed in zip(paths, ("7", "7", "8"), strict=True):
        code, _out, err = _randomise(str(PILOT), "--seed", seed, "--out", str(path), "--size", "60")
        assert code == 0, err
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    rows = paths[0].read_text().splitlines()
    assert rows[0] == "severity,sequence,block,block_size,arm"
    assert {r.split(",")[0] for r in rows[1:]} == {"moderate", "mild"}
    assert len(rows) - 1 >= 60


def test_the_redcap_table(tmp_path: Path) -> None:
    out = tmp_path / "redcap.csv"
    code, _out, err = _randomise(
        str(PILOT), "--seed", "1", "--out", str(out), "--per-stratum", "6", "--format", "redcap"
    )
    assert code == 0, err
    rows = out.read_text().splitlines()
    assert rows[0] == "redcap_randomization_group,severity"
    assert {tuple(r.split(",")) for r in rows[1:]} <= {
        (arm, stratum) for arm in "123" for stratum in "12"
    }


def test_an_existing_list_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    out.write_text("kept")
    code, _out, err = _randomise(str(PILOT), "--seed", "1", "--out", str(out))
    assert code != 0 and "--force" in err
    assert out.read_text() == "kept"
    code, _out, err = _randomise(
        str(PILOT), "--seed", "1", "--out", str(out), "--force", "--per-stratum", "3"
    )
    assert code == 0, err
    assert out.read_text() != "kept"


def test_a_spec_without_randomisation_is_refused(tmp_path: Path) -> None:
    code, _out, err = _randomise(str(QLS), "--seed", "1", "--out", str(tmp_path / "x.csv"))
    assert code == 1
    assert "declares no randomisation" in err
    assert not (tmp_path / "x.csv").exists()


def test_minimisation_needs_its_subjects(tmp_path: Path) -> None:
    spec = CASES / "randomisation_ok.trial"
    code, _out, err = _randomise(str(spec), "--seed", "1", "--out", str(tmp_path / "x.csv"))
    assert code == 1 and "--minimise" in err


def _subjects(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_minimisation_from_a_subjects_file(tmp_path: Path) -> None:
    spec = CASES / "randomisation_ok.trial"
    subjects = _subjects(
        tmp_path / "subjects.jsonl",
        [
            {
                "subject_id": f"S{k:03d}",
                "status": "eligible",
                "strata": {
                    "age_group": ("younger", "older")[k % 2],
                    "sex": ("female", "male")[k % 3 % 2],
                },
            }
            for k in range(40)
        ]
        + [{"subject_id": "X1", "status": "ineligible", "strata": {}}],
    )
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        code, stdout, err = _randomise(
            str(spec), "--seed", "s", "--out", str(out), "--minimise", str(subjects)
        )
        assert code == 0, err
    assert outs[0].read_bytes() == outs[1].read_bytes()
    rows = outs[0].read_text().splitlines()
    assert rows[0] == (
        "sequence,subject_id,age_group,sex,imbalance_placebo,imbalance_low,imbalance_high,"
        "preferred_arm,arm"
    )
    assert len(rows) == 41  # the ineligible subject is not randomised
    assert "40 subjects allocated" in stdout


def test_a_subject_of_unknown_stratum_is_never_minimised(tmp_path: Path) -> None:
    spec = CASES / "randomisation_ok.trial"
    subjects = _subjects(
        tmp_path / "subjects.jsonl",
        [
            {"subject_id": "S1", "strata": {"age_group": "older", "sex": "female"}},
            {"subject_id": "S2", "strata": {"age_group": "unknown", "sex": "female"}},
            {"subject_id": "S3", "strata": {"age_group": "old", "sex": "female"}},
            {"subject_id": "S1", "strata": {"age_group": "older", "sex": "female"}},
        ],
    )
    (tmp_path / "bad.jsonl").write_text("not json\n")
    out = tmp_path / "x.csv"
    code, _out, err = _randomise(
        str(spec), "--seed", "1", "--out", str(out), "--minimise", str(subjects)
    )
    assert code == 1
    assert "E1015" in err
    assert "subjects.jsonl:2" in err and "not known" in err
    assert "subjects.jsonl:3" in err and "'old' is not a stratum of 'age_group'" in err
    assert "subjects.jsonl:4" in err and "given twice" in err
    assert not out.exists()
    code, _out, err = _randomise(
        str(spec), "--seed", "1", "--out", str(out), "--minimise", str(tmp_path / "bad.jsonl")
    )
    assert code == 1 and "not a JSON object" in err


@pytest.mark.slow
def test_build_writes_no_allocation(tmp_path: Path) -> None:
    """Allocation concealment: `build` writes neither a list nor the block sizes."""
    result = CliRunner().invoke(cli, ["build", str(PILOT), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert b"block_size" not in data, path
        assert b"redcap_randomization" not in data, path
    protocol = (tmp_path / "protocol.md").read_text(encoding="utf-8")
    section = protocol.split("Measures to minimise bias")[-1].split("\n### ")[0]
    assert "1:1:1" in section and "permuted blocks" in section
    assert "block" not in section.replace("permuted blocks", "")
    assert "3, 6" not in section
