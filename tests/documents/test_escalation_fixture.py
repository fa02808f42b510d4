"""Dose finding other than BOIN: 3+3 with doses per body weight, absolute step doses, a CRM."""

from __future__ import annotations

import pytest

from generators.documents.content import build_protocol
from generators.documents.document import Document, Table
from tests.documents.helpers import FIXTURES, SPECS, compile_clean
from tests.documents.test_content import cell_text, paragraphs, section, tables

_SOURCE = (FIXTURES / "escalation.trial").read_text(encoding="utf-8")
_CRM = """design crm {
    target      0.25
    skeleton    0.05, 0.12, 0.25
    cohort_size 3
    cohorts     6
  }"""


def _document(source: str) -> Document:
    return build_protocol(compile_clean(SPECS / "_fixture_escalation.trial", source))


@pytest.fixture(scope="module")
def document() -> Document:
    return _document(_SOURCE)


def test_three_plus_three_rules_and_table(document: Document) -> None:
    escalation = section(document, "escalation")
    words = paragraphs(escalation)
    assert "0 DLTs among 3: escalate to the next higher level." in words
    assert "Each escalation decision is taken by the Dose Escalation Committee." in words
    (rule_table,) = [t for t in tables(escalation) if (t.caption or "").startswith("3+3")]
    assert [[cell_text(c) for c in row] for row in rule_table.rows] == [
        ["3", "0", "2", "2"],
        ["6", "1", "2", "2"],
    ]
    stops = paragraphs(section(document, "stopping"))
    assert any(s.startswith("Escalation stops when a level exceeds the MTD") for s in stops)
    assert "Backfill at cleared dose levels: up to 6 participants." in stops


def test_levels_per_body_weight_and_absolute_step_doses(document: Document) -> None:
    (levels,) = tables(section(document, "dose-levels"))
    assert [cell_text(r[2]) for r in levels.rows] == ["0.1 mg/kg", "0.3 mg/kg", "1 mg/kg"]
    (steps,) = tables(section(document, "step-up"))
    assert [[cell_text(c) for c in row] for row in steps.rows] == [
        ["Day 1", "0.3 mg/kg", "0.3 mg/kg"],
        ["Day 8", "1 mg/kg", "1 mg/kg"],
    ]


def test_sample_size_agrees_with_enrolment(document: Document) -> None:
    assert paragraphs(section(document, "sample-size")) == [
        "Escalation: 3 dose levels: at most 18 participants.",
        "Backfill cohorts: up to 6 participants.",
        "Maximum in total: 24 participants.",
        "This equals the planned enrolment of 24.",
    ]


def test_a_disagreeing_enrolment_is_pointed_out() -> None:
    document = _document(_SOURCE.replace("enrolment 24", "enrolment 30"))
    assert paragraphs(section(document, "sample-size"))[-1] == (
        "The planned enrolment is 30, which differs from the design's maximum of 24; "
        "one of them needs correcting."
    )


def test_amendment_details(document: Document) -> None:
    amendments = section(document, "amendments")
    words = paragraphs(amendments)
    assert "This is protocol version 2.0 of 2025-09-01." in words
    assert "Amendment 1 (2025-09-01)" in words
    (changes,) = [b for b in amendments.blocks if isinstance(b, Table)]
    assert [cell_text(c) for c in changes.rows[0]] == [
        "dose_finding",
        "Step-up dosing at L3",
        "Reduce the risk of infusion reactions",
    ]
    identifiers = next(b for b in document.title_blocks if isinstance(b, Table))
    assert ["Amendment", "1"] in [[cell_text(c) for c in row] for row in identifiers.rows]


def test_crm_rules_without_a_decision_table() -> None:
    source = _SOURCE.replace("design three_plus_three {\n    mtd_rule expand\n  }", _CRM)
    assert _CRM in source
    escalation = section(_document(source), "escalation")
    words = paragraphs(escalation)
    assert any("empiric dose–toxicity model is refitted" in w for w in words)
    assert any(w.startswith("No decision table: the CRM has no decision table") for w in words)
    assert not [t for t in tables(escalation) if (t.caption or "").startswith("CRM")]


def test_an_impossible_design_is_explained_not_fatal() -> None:
    source = _SOURCE.replace("mtd_rule expand", "mtd_rule sideways")
    words = paragraphs(section(_document(source), "escalation"))
    assert any(
        w.startswith("The decision table cannot be computed: mtd_rule must be") for w in words
    )
