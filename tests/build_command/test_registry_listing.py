"""Listing the artefacts finds their modules without importing them or their packages."""

from __future__ import annotations

import subprocess
import sys

from generators import registry


def test_every_artefact_of_the_installation_is_found() -> None:
    assert set(registry.available()) == set(registry.ARTEFACTS)


def test_missing_modules_are_not_found() -> None:
    assert not registry._module_exists("generators.no_such_package.build")
    assert not registry._module_exists("generators.sql.no_such_module")
    assert not registry._module_exists("no_such_top_level_package.build")
    assert not registry._module_exists("generators.registry.not_a_package")


def test_listing_imports_no_generator() -> None:
    code = (
        "import sys; from generators import registry; registry.available(); "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'numpy', 'sqlglot', 'docx', 'jinja2'} "
        "or (m.startswith('generators.') and m != 'generators.registry')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
