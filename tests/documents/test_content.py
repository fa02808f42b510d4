"""What the protocol says, checked on the document model of the real spec."""

from __future__ import annotations

import re

import pytest

from generators.documents.content import build_protocol, counted
from generators.documents.document import (
    Badge,
    Document,
    ListBlock,
    Paragraph,
    Section,
    Table,
    plain,
)
from generators.documents.marks import MarkIndex
from protocol_dsl import model as m
from protocol_dsl.semantics.words import criterion_in_words
from protocol_dsl.spec import Spec
from tests.docs_examples import all_docs, examples, materialise
from tests.documents.helpers import fixture_spec

ICH_M11_ORDER = [
    "Open questions and provisional values",
    "Amendment details",
    "1 Protocol summary",
    "2 Introduction",
    "3 Objectives and endpoints",
    "4 Trial design",
    "5 Trial population",
    "6 Trial intervention and concomitant therapy",
    "7 Participant discontinuation of the trial intervention and withdrawal",
    "8 Trial assessments and procedures",
    "9 Adverse events, serious adverse events and pregnancy",
    "10 Statistical considerations",
    "11 Trial oversight and other general considerations",
    "12 Appendix",
    "13 Glossary",
    "14 References",
]


@pytest.fixture(scope="module")
def document(qls4131: Spec) -> Document:
    return build_protocol(qls4131)


def section(document: Document, section_id: str) -> Section:
    for found in document.all_sections():
        if found.id == section_id:
            return found
    raise KeyError(section_id)


def paragraphs(sec: Section) -> list[str]:
    out: list[str] = []
    for sub in sec.walk():
        for block in sub.blocks:
            if isinstance(block, Paragraph):
                out.append(plain(block.inlines))
            elif isinstance(block, ListBlock):
                out += [plain(p.inlines) for item in block.items for p in item.blocks]
    return out


def tables(sec: Section) -> list[Table]:
    return [b for sub in sec.walk() for b in sub.blocks if isinstance(b, Table)]


def cell_text(c) -> str:
    return " ".join(plain(p.inlines) for p in c)


def test_headings_follow_ich_m11(document: Document) -> None:
    assert [s.heading for s in document.sections] == ICH_M11_ORDER


def test_criteria_are_verbatim_with_their_rule_beneath(document: Document, qls4131: Spec) -> None:
    for section_id, criteria in (
        ("inclusion", qls4131.inclusions),
        ("exclusion", qls4131.exclusions),
    ):
        (listing,) = section(document, section_id).blocks
        assert isinstance(listing, ListBlock)
        assert [item.label for item in listing.items] == [c.id for c in criteria]
        for item, criterion in zip(listing.items, criteria, strict=True):
            verbatim, rule = item.blocks[0], item.blocks[1]
            assert plain(verbatim.inlines).startswith(criterion.text)
            assert plain(rule.inlines) == criterion_in_words(criterion, qls4131)
            assert rule.style == "rule"


def test_attested_criterion_says_who_confirms(document: Document) -> None:
    (listing,) = section(document, "inclusion").blocks
    i6 = next(item for item in listing.items if item.label == "I6")
    assert plain(i6.blocks[1].inlines).startswith("Confirmed by: Informed consent signed in person")


def test_open_question_is_beneath_its_criterion(document: Document) -> None:
    (listing,) = section(document, "inclusion").blocks
    i4 = next(item for item in listing.items if item.label == "I4")
    texts = [plain(p.inlines) for p in i4.blocks]
    assert "[OPEN QUESTION Q1]" in texts[0]
    assert any(t.startswith("Open question Q1: Does 'SLEDAI-2K >= 6'") for t in texts)


def _badge_targets(sections) -> set[str]:
    found: set[str] = set()

    def visit_paragraph(p: Paragraph) -> None:
        found.update(i.target for i in p.inlines if isinstance(i, Badge))

    for sec in sections:
        for sub in sec.walk():
            for block in sub.blocks:
                if isinstance(block, Paragraph):
                    visit_paragraph(block)
                elif isinstance(block, Table):
                    for row in (block.header, *block.rows):
                        for c in row:
                            for p in c:
                                visit_paragraph(p)
                    for p in block.footnotes:
                        visit_paragraph(p)
                elif isinstance(block, ListBlock):
                    for item in block.items:
                        for p in item.blocks:
                            visit_paragraph(p)
    return found


def _spec_marks(spec: Spec, kind: str) -> int:
    count = 0
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            stack: list[object] = [decl]
            while stack:
                node = stack.pop()
                if isinstance(node, m.Mark):
                    count += node.kind == kind
                elif isinstance(node, tuple):
                    stack.extend(node)
                elif hasattr(type(node), "__attrs_attrs__") and not isinstance(node, m.Span):
                    stack.extend(getattr(node, a.name) for a in type(node).__attrs_attrs__)
    return count


def test_every_provisional_value_and_question_is_listed_and_marked_in_place(
    document: Document, qls4131: Spec
) -> None:
    marks = MarkIndex(qls4131)
    assert len(marks.provisional) == _spec_marks(qls4131, "provisional") > 0
    assert len(marks.questions) == _spec_marks(qls4131, "question") > 0
    listed = {e.anchor for e in marks.provisional + marks.questions}
    front, body = document.sections[0], document.sections[1:]
    list_anchors = {a for t in tables(front) for a in t.anchors}
    assert list_anchors == listed
    # each one also carries a badge where its value is printed
    assert _badge_targets(body) == listed


def test_caveat_on_the_title_page(document: Document) -> None:
    caveats = [plain(b.inlines) for b in document.title_blocks if isinstance(b, Paragraph)]
    assert any(
        "PROVISIONAL are illustrative" in c and "not taken from the source" in c for c in caveats
    )


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "open question", "0 open questions"),
        (1, "open question", "1 open question"),
        (2, "open question", "2 open questions"),
        (1, "provisional value", "1 provisional value"),
    ],
)
def test_caveat_counts_agree_in_number(count: int, noun: str, expected: str) -> None:
    assert counted(count, noun) == expected


def test_sample_size_from_the_design(document: Document) -> None:
    lines = paragraphs(section(document, "sample-size"))
    assert (
        "Escalation: 6 dose levels, cohorts of 3, at most 12 cohorts: at most 36 participants."
        in lines
    )
    assert "Expansion cohorts: up to 72 participants." in lines
    assert "This equals the planned enrolment of 108." in lines


def test_escalation_rules_in_words_and_decision_table(document: Document) -> None:
    escalation = section(document, "escalation")
    words = paragraphs(escalation)
    assert any("λe = 0.236" in w and "λd = 0.359" in w for w in words)
    assert "Each escalation decision is taken by the Safety Monitoring Committee." in words
    (decision,) = [t for t in tables(escalation) if (t.caption or "").startswith("BOIN")]
    first = [cell_text(c) for c in decision.rows[2]]  # three patients
    assert first == ["3", "0", "2", "3"]
    assert len(decision.rows) == 36


def test_step_up_doses_per_level(document: Document) -> None:
    (schedule,) = tables(section(document, "step-up"))
    assert [cell_text(c) for c in schedule.header] == [
        "Study day",
        "Step",
        "DL5 (1 mg)",
        "DL6 (3 mg)",
    ]
    assert [cell_text(c) for c in schedule.rows[1]] == [
        "Day 4",
        "30% of the target dose",
        "0.3 mg",
        "0.9 mg",
    ]


def test_dlt_window_names_its_anchor(document: Document) -> None:
    words = paragraphs(section(document, "dlt"))
    assert any(
        w.startswith("Observation window: 28 days from the target dose, inclusive.") for w in words
    )


def test_schedule_of_activities_matches_the_spec(document: Document, qls4131: Spec) -> None:
    (grid,) = tables(section(document, "schedule-of-activities"))
    visits = [v.name for v in qls4131.visit_order]
    for activity, row in zip(qls4131.activities.values(), grid.rows, strict=False):
        marked = [visits[i] for i, c in enumerate(row[1:]) if cell_text(c) == "X"]
        assert marked == [v for v in visits if v in activity.visits], activity.name
    footnotes = [plain(p.inlines) for p in grid.footnotes]
    assert any("step-up dose levels only" in f for f in footnotes)
    crs = next(r for r in grid.rows if cell_text(r[0]).startswith("Cytokine release"))
    assert re.search(r"dose\)[a-z]", cell_text(crs[0]))  # its footnote letter


def test_concomitant_therapy_criteria(document: Document) -> None:
    (_intro, listing) = section(document, "concomitant").blocks
    assert isinstance(listing, ListBlock)
    assert [item.label for item in listing.items] == ["I5", "E9"]


def test_definitions_used_by_the_criteria(document: Document) -> None:
    words = paragraphs(section(document, "criteria-definitions"))
    assert any(
        w.startswith("Age at screening, in completed years (age): the completed years")
        for w in words
    )
    assert any("(sle.eular_acr_2019_classified)" in w for w in words)


def test_scores_and_lookup_tables_with_sources(document: Document) -> None:
    scores = section(document, "scores")
    assert [s.title for s in scores.subsections] == [
        "SLEDAI-2K",
        "Clinical SLEDAI-2K",
        "2019 EULAR/ACR classification criteria score",
    ]
    sledai = tables(scores.subsections[0])[0]
    assert len(sledai.rows) == 24
    assert sum(int(cell_text(r[2])) for r in sledai.rows) == 105
    (glucocorticoids,) = tables(section(document, "lookup-tables"))
    rows = {cell_text(r[0]): cell_text(r[2]) for r in glucocorticoids.rows}
    assert rows["Methylprednisolone"] == "5/4 (1.25)"
    assert rows["Dexamethasone"] == "5/0.75 (≈ 6.667)"
    references = paragraphs(section(document, "references"))
    assert any(r.startswith("Gladman DD et al.") for r in references)
    assert any(r.startswith("Meikle AW, Tyler FH.") for r in references)


def test_glossary_lists_only_terms_that_appear(document: Document) -> None:
    (glossary,) = tables(section(document, "glossary"))
    terms = [cell_text(r[0]) for r in glossary.rows]
    assert {"DLT", "BOIN", "SLEDAI-2K", "PROVISIONAL"} <= set(terms)
    assert "CRM" not in terms  # this trial does not use the CRM


def test_a_spec_without_dose_finding_or_objectives(tmp_path) -> None:
    spec = fixture_spec("words.trial")
    document = build_protocol(spec)
    assert [s.heading for s in document.sections] == ICH_M11_ORDER
    assert "The spec declares no objectives." in paragraphs(section(document, "objectives"))
    from tests.documents.helpers import build_documents

    written = build_documents(spec, tmp_path)
    assert all(path.stat().st_size > 0 for path in written)


_EXAMPLES = [
    e for doc in all_docs() for e in examples(doc) if not e.fragment and e.section != "Bad"
]


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda e: e.id)
def test_every_documented_example_builds(example, tmp_path) -> None:
    """Every whole spec in docs/ that checks without errors gets a protocol and a schedule."""
    from generators.documents import render_html, render_markdown
    from generators.documents.schedule import build_schedule
    from protocol_dsl.compiler import compile_spec

    result = compile_spec(str(materialise(example, tmp_path)))
    if not result.ok:
        pytest.skip("the example does not check clean; the docs tests report it")
    document = build_protocol(result.spec)
    build_schedule(result.spec)
    assert render_html.render(document, "x", body_class="protocol", with_toc=True)
    assert render_markdown.render(document, "x", with_toc=True)


@pytest.mark.parametrize(
    "name", ["words.trial", "nasty.trial", "escalation.trial", "oncology_cycles.trial"]
)
def test_fixtures_check_clean(name: str) -> None:
    """The fixture specs pass every consistency check (so the documents read checked specs)."""
    from protocol_dsl.compiler import compile_spec
    from tests.documents.helpers import FIXTURES, SPECS

    source = (FIXTURES / name).read_text(encoding="utf-8")
    result = compile_spec(str(SPECS / f"_fixture_{name}"), source)
    assert [d.message for d in result.diagnostics if d.severity == "error"] == []
