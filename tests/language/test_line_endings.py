"""A spec saved with Windows line endings (CRLF) says the same as with LF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl import cli
from protocol_dsl.syntax.loader import load

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs").glob("*.trial"))


def _crlf_copy(spec: Path, folder: Path) -> Path:
    """The spec and its libraries, every line ending turned into CRLF."""
    shutil.copytree(spec.parent, folder, dirs_exist_ok=True)
    for path in folder.rglob("*.trial"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return folder / spec.name


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_a_crlf_spec_loads_to_the_same_model(spec: Path, tmp_path: Path) -> None:
    lf, lf_problems, _ = load(str(spec))
    crlf, crlf_problems, _ = load(str(_crlf_copy(spec, tmp_path / "specs")))
    assert not lf_problems and not crlf_problems
    assert crlf is not None and lf is not None
    # spans aside, every declaration equal
    assert crlf.module.declarations == lf.module.declarations
    for alias, library in lf.libraries.items():
        assert crlf.libraries[alias].module.declarations == library.module.declarations
    assert not any("\r" in criterion.text for criterion in crlf.criteria)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_converting_a_spec_to_crlf_is_no_change(spec: Path, tmp_path: Path) -> None:
    crlf = _crlf_copy(spec, tmp_path / "specs")
    result = CliRunner().invoke(cli.cli, ["diff", str(spec), str(crlf)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "no changes"
