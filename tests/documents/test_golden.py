"""Golden files of the generated documents for every real spec in specs/.

The golden files are read by a person once to approve them; when a change to
the generators is intended, regenerate them with `UPDATE_GOLDEN=1` and read
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.documents.helpers import GOLDEN, REAL_SPECS, build_documents, compile_clean

FILES = ("protocol.md", "protocol.html", "soa.csv", "soa.html")


@pytest.fixture(scope="module", params=REAL_SPECS, ids=lambda p: p.stem)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    spec_path: Path = request.param
    out = tmp_path_factory.mktemp(spec_path.stem)
    build_documents(compile_clean(spec_path), out)
    return spec_path.stem, out


@pytest.mark.parametrize("name", FILES)
def test_golden(built: tuple[str, Path], name: str) -> None:
    stem, out = built
    produced = (out / name).read_bytes()
    golden = GOLDEN / stem / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    if not golden.exists():
        pytest.fail(f"no golden file {golden}; create it with UPDATE_GOLDEN=1 and read it")
    assert produced == golden.read_bytes(), (
        f"{name} of {stem} differs from {golden}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff"
    )
