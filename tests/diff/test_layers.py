"""The modules of the diff import each other in one direction: no circle, and in layers.

The order is the one `generators.diff.compare` describes: the catalogue and the
record of a change; the helpers; the record of a comparison and the walker with
its rule tables; the areas; the entry point; the renderings.  Imports made only
for type checking count too: a circle of those is still a circle to read.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import grimp
import pytest

PACKAGE = "generators.diff"

#: lowest first; a module may import only from its own layer or the layers below
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(f"{PACKAGE}.{name}" for name in layer.split())
    for layer in (
        "rules tracked",
        "changes conditions spelling",
        "matching phrases directions depends amendment_rules overrides wording "
        "editorial identity proof renames moves redefined",
        "recorder",
        "walk",
        "schedule reading header eligibility",
        "design dictionary objectives randomisation analysis narrative",
        "compare",
        "rationale subjects conclusion amended_protocol",
        "render",
    )
)


@lru_cache(maxsize=1)
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("generators", "protocol_dsl")


def _modules() -> list[str]:
    return sorted(m for m in _graph().modules if m.startswith(f"{PACKAGE}."))


def test_every_module_has_a_layer() -> None:
    placed = frozenset().union(*LAYERS)
    assert set(_modules()) == placed


def test_no_import_circle() -> None:
    graph = _graph()
    circles = []
    for first, second in itertools.combinations(_modules(), 2):
        there = graph.find_shortest_chain(importer=first, imported=second)
        back = graph.find_shortest_chain(importer=second, imported=first)
        if there and back:
            circles.append(" → ".join([*there, *back[1:]]))
    assert circles == []


@pytest.mark.parametrize("index", range(len(LAYERS)), ids=lambda i: " ".join(sorted(LAYERS[i])))
def test_layers_import_only_below(index: int) -> None:
    graph = _graph()
    above = frozenset().union(*LAYERS[index + 1 :])
    wrong = [
        f"{importer} imports {imported}"
        for importer in sorted(LAYERS[index])
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if imported in above
    ]
    assert wrong == []
