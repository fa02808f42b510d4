"""Values defined through themselves (E0115) on random graphs of definitions.

Each generated spec has definitions d0…dn whose expressions read the
definitions an edge list names.  The check must report a cycle exactly when
the graph has one, once per set of mutually dependent definitions, and each
reported chain must be a real cycle of the graph.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.checks import cycles
from protocol_dsl.syntax.loader import load

HEADER = """\
trial EXAMPLE {
  title "Definitions"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form labs "Laboratory" at SCR {
  value integer "Value" range 0 .. 100
}
"""


@st.composite
def graphs(draw: st.DrawFn) -> dict[int, set[int]]:
    size = draw(st.integers(min_value=1, max_value=6))
    nodes = list(range(size))
    return {n: set(draw(st.lists(st.sampled_from(nodes), max_size=3))) for n in nodes}


def _spec_text(graph: dict[int, set[int]]) -> str:
    lines = [HEADER]
    for node, targets in graph.items():
        terms = [f"d{t}" for t in sorted(targets)] or ["labs.value"]
        lines.append(f'define d{node} "D{node}" = ' + " + ".join(terms) + " + 1")
    lines.append('inclusion I1 "Small" = d0 < 50')
    return "\n".join(lines) + "\n"


def _components(graph: dict[int, set[int]]) -> list[set[int]]:
    """Sets of nodes on a common cycle (strongly connected, with a cycle)."""

    def reach(start: int) -> set[int]:
        seen, stack = set(), [start]
        while stack:
            for target in graph[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen

    reachable = {n: reach(n) for n in graph}
    found: list[set[int]] = []
    for node in graph:
        if node not in reachable[node] or any(node in c for c in found):
            continue
        found.append({m for m in reachable[node] if node in reachable[m]})
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_every_cycle_is_reported_once_and_only_cycles(graph: dict[int, set[int]]) -> None:
    spec, problems, _sources = load("graph.trial", _spec_text(graph))
    assert spec is not None and not problems
    found = list(cycles.check(spec))
    components = _components(graph)
    assert len(found) == len(components)
    for diagnostic, component in zip(found, components, strict=True):
        assert diagnostic.code == "E0115"
        chain_text = diagnostic.notes[0].split(" needs ", 1)[1]
        chain = [int(n) for n in re.findall(r"d(\d+)", chain_text)]
        assert chain[0] == chain[-1]
        for source, target in itertools.pairwise(chain):
            assert target in graph[source], (chain, graph)
        assert set(chain) <= component


def test_a_chain_through_a_library_is_reported(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "values.trial").write_text('define base "Base" = 1\n', encoding="utf-8")
    path = tmp_path / "main.trial"
    path.write_text(
        HEADER
        + 'use "lib/values.trial" as v\n'
        + 'define a "A" = v.base + b\ndefine b "B" = a * 2\n'
        + 'inclusion I1 "Small" = a < 50\n',
        encoding="utf-8",
    )
    spec, problems, _sources = load(str(path))
    assert spec is not None and not problems
    messages = [d.message for d in cycles.check(spec)]
    assert messages == ["definition a refers to itself through b: a → b → a"]
