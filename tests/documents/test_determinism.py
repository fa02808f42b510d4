"""Building twice gives byte-identical files, in one process and across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from protocol_dsl.spec import Spec
from tests.documents.helpers import ROOT, build_documents

NAMES = ["protocol.html", "protocol.md", "protocol.docx", "soa.html", "soa.docx", "soa.csv"]


def test_building_twice_gives_the_same_bytes(
    built_qls4131: Path, qls4131: Spec, tmp_path: Path
) -> None:
    written = build_documents(qls4131, tmp_path)
    assert sorted(p.name for p in written) == sorted(NAMES)
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (built_qls4131 / name).read_bytes(), name


_BUILD = """
import sys
from pathlib import Path
from tests.documents.helpers import SPECS, build_documents, compile_clean
build_documents(compile_clean(SPECS / "qls4131_sle_phase1b.trial"), Path(sys.argv[1]))
"""


def test_another_process_with_another_hash_seed_gives_the_same_bytes(
    built_qls4131: Path, tmp_path: Path
) -> None:
    """Nothing depends on the order of sets or dicts keyed by strings (hash randomisation)."""
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", _BUILD, str(tmp_path)],
        check=True,
        capture_output=True,
        env=environment,
        cwd=ROOT,
    )
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (built_qls4131 / name).read_bytes(), name
