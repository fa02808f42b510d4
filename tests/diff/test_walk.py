"""The generic differ (`generators.diff.walk`) on its own, over the contract's generated specs.

* a table must account for every attrs field of its class;
* walking a spec against itself reports nothing;
* walking two versions reports each declaration added or removed once, and every
  row of a table whose fields differ, each change located in the sources;
* a field changed alone (given the value another declaration of the class has)
  is reported by its row;
* a header key whose values differ is reported once, by the rule of its key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from generators.diff import design, dictionary, header, objectives, schedule, walk
from generators.diff.compare import diff
from generators.diff.phrases import field_text
from generators.diff.recorder import Differ
from generators.diff.walk import Kind, Pair, Row, Table
from protocol_dsl import model as m
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.formatter import format_module
from protocol_dsl.syntax.parser import parse_module
from tests.contract.specs_gen import contract_specs
from tests.diff.mutations import amendments
from tests.strategies import specs

ROOT = Path(__file__).resolve().parents[2]
REAL = [ROOT / "specs" / "qls4131_sle_phase1b.trial", ROOT / "specs" / "cdiscpilot01.trial"]
#: the rules of marks (notes, questions, sources, `allow`), reported beside a row's own
_ANNOTATIONS = frozenset({"ANNOTATION_CHANGED", "SUPPRESSION_CHANGED"})


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

#: the kinds the walker compares on its own (a table, no hand-written pair), and where a
#: spec keeps them
KINDS: tuple[tuple[Kind[Any], Callable[[Spec], Mapping[str, Any]]], ...] = (
    (design.ELEMENTS, lambda spec: spec.elements),
    (design.ARMS, lambda spec: spec.arms),
    (schedule.VISITS, lambda spec: spec.visits),
    (schedule.ANCHORS, lambda spec: spec.anchors),
    (schedule.EPOCHS, lambda spec: spec.epochs),
    (objectives.OBJECTIVES, lambda spec: {o.name: o for o in spec.objectives}),
)

#: tables of nodes that are not declarations of their own, and where a spec keeps them
NODES: tuple[tuple[Table, Callable[[Spec], list[Any]]], ...] = (
    *((kind.table, lambda spec, get=get: list(get(spec).values())) for kind, get in KINDS),
    (dictionary.ITEM, lambda spec: [i for f in spec.forms.values() for i in f.items]),
    (
        dictionary.CODELIST_VALUE,
        lambda spec: [e for c in spec.codelists.values() for e in c.entries],
    ),
    (dictionary.DEFINE, lambda spec: list(spec.defines.values())),
)


def _compiled(text: str, name: str) -> Spec | None:
    result = compile_for_diff(str(ROOT / "specs" / f"{name}.trial"), text)
    return result.spec if result.ok else None


def _amended(path: Path) -> st.SearchStrategy[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    module, _ = parse_module(text, str(path))
    assert module is not None
    return amendments(module).map(lambda amended: (text, format_module(amended)))


@st.composite
def _versions(draw: st.DrawFn) -> tuple[Spec, Spec]:
    """Two versions: a spec of the contract and its edit, two generated specs (which share
    the generator's names, so that their declarations pair up), or a real spec amended."""
    texts = draw(
        st.one_of(
            contract_specs().map(lambda spec: (spec.source, spec.new_version)),
            st.tuples(specs(), specs()),
            st.sampled_from(REAL).flatmap(_amended),
        )
    )
    old, new = _compiled(texts[0], "old"), _compiled(texts[1], "new")
    assume(old is not None and new is not None)
    return old, new  # type: ignore[return-value]


def _rule(row: Row, pair: Pair[Any]) -> str:
    return row.rule if isinstance(row.rule, str) else row.rule(pair)


def _walk(kind: Kind[Any], get: Callable[[Spec], Mapping[str, Any]], old: Spec, new: Spec):  # type: ignore[no-untyped-def]
    d = Differ(old, new)
    walk.declarations(d, kind, get(old), get(new), old, new)
    return d.changes


# ---------------------------------------------------------------- the tables


def test_a_table_must_name_every_field() -> None:
    with pytest.raises(ValueError, match=r"leaves \['label'\] fields out"):
        Table(m.Epoch, ())
    with pytest.raises(ValueError, match=r"names \['colour'\] unknown fields"):
        Table(m.Epoch, (Row(("label", "colour"), "EPOCH_CHANGED"),))
    with pytest.raises(ValueError, match=r"names \['label'\] fields twice"):
        Table(m.Epoch, (Row(("label",), "EPOCH_CHANGED"),), by_hand=("label",))
    assert Table(m.Epoch, (), by_hand=("label",)).rows == ()


# ---------------------------------------------------------------- walking two versions


@SETTINGS
@given(_versions())
def test_a_spec_against_itself_walks_to_nothing(versions: tuple[Spec, Spec]) -> None:
    for spec in versions:
        for kind, get in KINDS:
            assert _walk(kind, get, spec, spec) == []
        assert diff(spec, spec) == []


@SETTINGS
@given(_versions())
def test_every_difference_is_reported_and_located(versions: tuple[Spec, Spec]) -> None:
    old, new = versions
    for kind, get in KINDS:
        changes = _walk(kind, get, old, new)
        olds, news = get(old), get(new)
        assert kind.table is not None
        for name in {*olds, *news}:
            target = kind.target.format(name)
            here = [c for c in changes if c.target == target]
            o, n = olds.get(name), news.get(name)
            if o is None or n is None:
                present = n if o is None else o
                assert len(here) == 1, target
                assert (here[0].old_span, here[0].new_span) == (
                    (None, present.span) if o is None else (present.span, None)
                )
                continue
            assert all((c.old_span, c.new_span) == (o.span, n.span) for c in here), target
            # the table alone, without the safety net that reports what it would miss
            pair = Pair(o, n, old, new, target, name, (name,))
            alone = Differ(old, new)
            walk.compare(alone, kind.table, pair)
            differing = [row for row in kind.table.rows if row.differs(pair)]
            event(f"{type(o).__name__} pair {'differs' if differing else 'equal in its rows'}")
            marks_differ = kind.table.annotations and o.marks != n.marks
            assert (not differing and not marks_differ) == (alone.changes == []), target
            own = [c for c in alone.changes if c.rule_id not in _ANNOTATIONS]
            assert len(own) == len(differing), target
            # a change of something criteria use is classified by them (another rule)
            expected = {_rule(r, pair) for r in differing if r.dependency is None}
            assert expected <= {c.rule_id for c in own}, target
            assert [c for c in here if c not in alone.changes] == [], target
    for change in diff(old, new):
        assert change.old_span is not None or change.new_span is not None, change


@SETTINGS
@given(st.data())
def test_a_field_changed_alone_is_reported_by_its_row(data: st.DataObject) -> None:
    spec = data.draw(st.builds(lambda c: c.source, contract_specs()))
    compiled = _compiled(spec, "old")
    assume(compiled is not None)
    assert compiled is not None
    table, nodes_of = data.draw(st.sampled_from(NODES))
    nodes = nodes_of(compiled)
    assume(len(nodes) >= 2)
    node, donor = data.draw(st.permutations(nodes))[:2]
    row = data.draw(st.sampled_from(table.rows))
    field = data.draw(st.sampled_from(row.fields))
    changed = attrs.evolve(node, **{field: getattr(donor, field)})
    assume(changed != node)
    d = Differ(compiled, compiled)
    pair = Pair(node, changed, compiled, compiled, "the node", "the node", ("the node",))
    walk.compare(d, table, pair)
    assert len(d.changes) == 1
    (change,) = d.changes
    assert change.target == "the node"
    assert (change.old_span, change.new_span) == (node.span, changed.span)
    if row.dependency is None:
        assert change.rule_id == _rule(row, pair)


@SETTINGS
@given(_versions())
def test_every_header_key_that_differs_is_reported_by_its_rule(
    versions: tuple[Spec, Spec],
) -> None:
    old, new = versions
    fields = [spec.trial.fields if spec.trial else () for spec in versions]
    d = Differ(old, new)
    default = walk.KeyRule("HEADER_FIELD_CHANGED")
    walk.keyed_fields(
        d,
        *fields,
        header.HEADER_RULES,
        default,
        target=lambda key: key,
        keys=lambda key: (key,),
    )
    written = [
        {f.key: [field_text(g) for g in group if g.key == f.key] for f in group} for group in fields
    ]
    for key in {*written[0], *written[1]}:
        own = [c for c in d.changes if c.target == key and c.rule_id not in _ANNOTATIONS]
        if written[0].get(key) == written[1].get(key):
            assert own == [], key
        else:
            assert [c.rule_id for c in own] == [header.HEADER_RULES.get(key, default).rule], key
            assert all(c.old_span is not None or c.new_span is not None for c in own), key
