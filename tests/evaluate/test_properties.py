"""Invariants of three-valued screening, checked on subjects with data removed at random."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.evaluate import compile_spec_rules, evaluate_subject
from protocol_dsl.spec import Spec

from .conftest import SUBJECTS, load_subject

CASES = sorted(p.name for p in SUBJECTS.glob("*.json"))
Path_ = tuple[Any, ...]


def _leaves(record: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every value of a subject record, as a path of keys and indices."""
    if isinstance(record, dict):
        items = record.items()
    elif isinstance(record, list):
        items = enumerate(record)
    else:
        return [prefix]
    paths: list[Path_] = []
    for key, value in items:
        if prefix == () and key == "subject_id":
            continue
        paths += _leaves(value, (*prefix, key))
    return paths


def _without(record: dict[str, Any], paths: set[Path_]) -> dict[str, Any]:
    partial = copy.deepcopy(record)
    for path in paths:
        target: Any = partial
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = None  # missing, as null
    return partial


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(case=st.sampled_from(CASES), data=st.data())
def test_filling_in_missing_data_never_reverses_a_decision(
    qls_spec: Spec, case: str, data: st.DataObject
) -> None:
    full = load_subject(case)["subject"]
    leaves = _leaves(full)
    removed = data.draw(st.sets(st.sampled_from(leaves), max_size=12))
    partial = evaluate_subject(qls_spec, _without(full, removed))
    complete = evaluate_subject(qls_spec, full)
    for cid, criterion in partial.criteria.items():
        if criterion.status != "unknown":
            assert complete.criteria[cid].status == criterion.status, (cid, sorted(removed))
    if partial.status != "indeterminate":
        assert complete.status == partial.status
    if not removed:
        assert partial.status == complete.status


@SETTINGS
@given(case=st.sampled_from(CASES), data=st.data())
def test_reasons_do_not_change_the_result(qls_spec: Spec, case: str, data: st.DataObject) -> None:
    full = load_subject(case)["subject"]
    removed = data.draw(st.sets(st.sampled_from(_leaves(full)), max_size=12))
    record = _without(full, removed)
    screener = compile_spec_rules(qls_spec)
    fast = screener.screen(record, explain=False)
    explained = screener.screen(record, explain=True)
    assert fast.status == explained.status
    assert fast.data_needed == explained.data_needed
    assert {k: (c.status, c.missing) for k, c in fast.criteria.items()} == {
        k: (c.status, c.missing) for k, c in explained.criteria.items()
    }
    assert all(c.evidence == [] for c in fast.criteria.values())


@SETTINGS
@given(case=st.sampled_from(CASES), data=st.data())
def test_data_needed_names_only_what_is_missing(
    qls_spec: Spec, case: str, data: st.DataObject
) -> None:
    full = load_subject(case)["subject"]
    removed = data.draw(st.sets(st.sampled_from(_leaves(full)), max_size=6))
    result = evaluate_subject(qls_spec, _without(full, removed))
    complete = evaluate_subject(qls_spec, full)
    for label in result.data_needed:
        # every entry names something absent from the partial record: either one of the
        # values removed, or something the full record does not have either
        words = label.replace("[", ".").replace("]", "").replace(" at ", ".").split(".")
        named = {str(k) for path in removed for k in path}
        assert set(words) & named or label in complete.data_needed, (label, sorted(removed))
    assert result.status in ("eligible", "ineligible", "indeterminate")
    if result.status == "indeterminate":
        assert result.data_needed
