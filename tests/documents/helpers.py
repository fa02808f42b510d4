"""Helpers of the document tests: paths, and specs compiled without errors."""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import load

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
REAL_SPECS = sorted(SPECS.glob("*.trial"))


def compile_clean(path: Path, source: str | None = None) -> Spec:
    """A spec loaded without parse or import errors.

    The consistency checks are not run here: `protocol check specs/*.trial` runs
    them in CI, `test_fixtures_check_clean` runs them on the fixtures, and the
    satisfiability check alone takes seconds on the larger specs.
    """
    spec, diagnostics, _sources = load(str(path), source)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert spec is not None and not errors, [d.message for d in errors]
    return spec


def fixture_spec(name: str) -> Spec:
    """A fixture spec, compiled as if it lived in specs/ (so `use "lib/…"` finds the libraries)."""
    source = (FIXTURES / name).read_text(encoding="utf-8")
    return compile_clean(SPECS / f"_fixture_{name}", source)


def build_documents(spec: Spec, out: Path) -> list[Path]:
    from generators.documents import protocol, soa

    out.mkdir(parents=True, exist_ok=True)
    return protocol.build(spec, out) + soa.build(spec, out)
