"""The layout shows the pipeline: every module sits in one stage, imports only its
own stage and earlier ones (the import-linter contract in `pyproject.toml`), and no
package's modules import each other in a circle."""

from __future__ import annotations

import itertools
import pkgutil
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

import generators
import protocol_dsl

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (protocol_dsl, generators)


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = (c for c in config["contracts"] if c["type"] == "layers")
    return contract["layers"]


def _declared() -> set[str]:
    return {name.strip() for layer in _layers() for name in layer.replace("|", ":").split(":")}


def test_the_stages_contract_is_kept() -> None:
    # 0 when every contract is kept; the report names the import that breaks one
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_module_is_placed_in_a_stage(package: object) -> None:
    """A new module must be placed deliberately: a top-level module of
    `protocol_dsl` that no stage names would escape the contract."""
    declared = _declared()
    if package.__name__ in declared:  # a whole package is one stage
        return
    children = {
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)  # type: ignore[attr-defined]
    }
    assert children - declared == set()


def test_no_package_imports_itself_in_a_circle() -> None:
    graph = grimp.build_graph("protocol_dsl", "generators")
    packages = [m for m in graph.modules if graph.find_children(m)]
    circles = []
    for package in sorted(packages):
        for a, b in itertools.combinations(sorted(graph.find_children(package)), 2):
            if graph.chain_exists(a, b, as_packages=True) and graph.chain_exists(
                b, a, as_packages=True
            ):
                circles.append(f"{a} <-> {b}")
    assert circles == []
