"""Fixtures of the document tests: QLS4131 compiled, and its documents built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol_dsl.spec import Spec
from tests.documents.helpers import SPECS, build_documents, compile_clean


@pytest.fixture(scope="session")
def qls4131() -> Spec:
    return compile_clean(SPECS / "qls4131_sle_phase1b.trial")


@pytest.fixture(scope="session")
def built_qls4131(tmp_path_factory: pytest.TempPathFactory, qls4131: Spec) -> Path:
    """The protocol and SoA of QLS4131, built once for the read-only tests."""
    out = tmp_path_factory.mktemp("qls4131_documents")
    build_documents(qls4131, out)
    return out
