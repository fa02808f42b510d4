"""`protocol build`: the artefacts it writes, what it lists, and how it refuses."""

from __future__ import annotations

import gc
from pathlib import Path

from click.testing import CliRunner

from generators import registry
from protocol_dsl.cli import cli

ROOT = Path(__file__).resolve().parents[2]
QLS4131 = ROOT / "specs" / "qls4131_sle_phase1b.trial"


def test_list_names_every_artefact_with_its_description() -> None:
    result = CliRunner().invoke(cli, ["build", "unused.trial", "-o", "unused", "--list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == list(registry.available())
    assert any("SDTM trial design datasets" in line for line in lines)


def test_only_builds_the_named_artefacts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(QLS4131), "-o", str(tmp_path), "--only", "sdtm,schema"]
    )
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    datasets = [f"sdtm/{d}.{ext}" for d in ("ta", "te", "ti", "ts", "tv") for ext in ("csv", "xpt")]
    report = "sdtm/xpt_ascii.csv"  # the cells the ASCII transport files rewrote
    assert written == sorted([*datasets, report, "subject.schema.json"])
    assert result.output.splitlines()[-1] == f"built 12 files into {tmp_path}"
    assert gc.get_freeze_count() == 0  # what the build froze is collectable again


def test_unknown_artefact_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(QLS4131), "-o", str(tmp_path), "--only", "sdtm,posters"]
    )
    assert result.exit_code == 2
    assert "unknown artefact(s): posters" in result.output
    assert not list(tmp_path.iterdir())


def test_a_spec_with_errors_builds_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "broken.trial"
    spec.write_text('trial T {\n  title: "x"\n  inclusion I1 = nowhere.item > 3\n}\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out)])
    assert result.exit_code == 1
    assert "nothing built: fix the errors above first" in result.output
    assert not out.exists()
