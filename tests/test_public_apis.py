"""The package reaches its dependencies through their public APIs only.

A speed-up that reads a library's private names (an underscored module,
function or attribute, a function's code object, a plug-in hook the library
keeps for itself) breaks silently on the library's next release.  This test
reads every module of the package and refuses such a use of a module that is
not the package's own.

python-docx keeps the XML element of each of its proxy objects in an underscored
attribute of the proxy (a paragraph's `_p`, a table's `_tbl`, …).  Those names are
read in one module alone, `generators/documents/docx_xml.py`, which checks what it
finds and refuses clearly when a release has moved it; every other module of the
package, the tests and the benchmarks go through its accessors.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OWN = ("protocol_dsl", "generators")
#: Underscored names that the library documents as public.
DOCUMENTED = {
    ("os", "_exit"),  # the standard library's immediate exit, documented in `os`
}
#: Attributes that reach into a function or a library's machinery, whatever the object.
MACHINERY = {"__code__", "__defaults__", "__kwdefaults__", "__closure__", "__globals__"}
#: Option names that a library keeps for itself (Lark's plug-in hook).
PRIVATE_OPTIONS = {"_plugins"}


#: The attributes python-docx keeps its proxies' XML elements in.
DOCX_ELEMENTS = {"_p", "_r", "_tbl", "_tr", "_tc", "_element", "_body", "_parent"}
#: The one module that reads them.
DOCX_FENCE = ROOT / "generators" / "documents" / "docx_xml.py"


def modules() -> list[Path]:
    return sorted(p for package in OWN for p in (ROOT / package).rglob("*.py"))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _foreign(module: str) -> bool:
    return module.split(".")[0] not in OWN and module != "__future__"


def private_uses(source: str) -> list[str]:
    """Each private use of another package's names in one module's source."""
    tree = ast.parse(source)
    found: list[str] = []
    # names bound to a foreign module: `import z3`, `import lark.lexer as lexer`, `from z3 import z3core`
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _foreign(alias.name):
                    if any(_is_private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: import {alias.name}")
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not _foreign(node.module):
                continue
            if any(_is_private(part) for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module} import …")
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in MACHINERY:
                found.append(f"line {node.lineno}: .{node.attr}")
            root = node.value
            while isinstance(root, ast.Attribute):  # `z3.z3._name`: the chain's first name
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases and _is_private(node.attr):
                module = aliases[root.id]
                if (module, node.attr) not in DOCUMENTED:
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and node.value in PRIVATE_OPTIONS:
            found.append(f"line {node.lineno}: {node.value!r}")
        elif isinstance(node, ast.keyword) and node.arg in PRIVATE_OPTIONS:
            found.append(f"line {node.lineno}: {node.arg}=")
    return found


def docx_element_uses(source: str) -> list[str]:
    """Each read of a python-docx proxy's element attribute, by name or by a string."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in DOCX_ELEMENTS:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and node.value in DOCX_ELEMENTS:
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


def _outside_the_fence() -> list[Path]:
    tested = [*modules(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    return sorted(p for p in tested if p not in (DOCX_FENCE, Path(__file__).resolve()))


@pytest.mark.parametrize("path", _outside_the_fence(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_docx_elements_only_through_docx_xml(path: Path) -> None:
    assert docx_element_uses(path.read_text("utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "paragraph._p.append(link)",
        "table._tbl.tblPr",
        "cell._tc",
        "row._tr.get_or_add_trPr()",
        "run._r",
        "proxy._element",
        "getattr(table, '_tbl')",
    ],
)
def test_what_counts_as_a_python_docx_element(source: str) -> None:
    assert docx_element_uses(source)


def test_the_fence_reads_the_elements() -> None:
    assert docx_element_uses(DOCX_FENCE.read_text("utf-8"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_private_names_of_dependencies(path: Path) -> None:
    assert private_uses(path.read_text("utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import re._parser as p",
        "from re import _parser",
        "from lark.visitors import _vargs_meta",
        "import z3\nz3.z3._to_expr_ref(a, b)",
        "from attr import _make\n_make._compile_and_eval = f",
        "import attr._make as make",
        "f = g.__defaults__[0]",
        "Lark(text, _plugins={})",
        "options = {'_plugins': {}}",
    ],
)
def test_what_counts_as_private(source: str) -> None:
    assert private_uses(source)


@pytest.mark.parametrize(
    "source",
    [
        "import os\nos._exit(0)",
        "from protocol_dsl.syntax import builder\nbuilder._shown('x')",
        "import z3\nz3.Bool('x')",
        "from typing import NamedTuple\nctx._replace(visit=1)",
        "class A:\n    def __init__(self):\n        self._x = 1",
    ],
)
def test_what_counts_as_public(source: str) -> None:
    assert private_uses(source) == []


def test_the_package_is_read() -> None:
    assert len(modules()) > 100 and sys.version_info >= (3, 11)
