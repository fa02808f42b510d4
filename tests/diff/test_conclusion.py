"""The conclusion on an amendment as a whole, on realistic amendments of QLS4131.

Each case is an amendment a regulatory-affairs team files, with the
conclusion decided from EU CTR 536/2014 and 21 CFR 312.30 before running
the tool (the reason is given with each case), and the rules of
`amendment_rules` that must be cited for it.  The rule table in docs/diff.md
is generated from `amendment_rules` and checked here.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest

from generators.diff import amendment_rules as ar
from generators.diff.compare import diff
from generators.diff.conclusion import Conclusion, conclude
from generators.diff.overrides import apply_overrides
from generators.diff.rationale import current_amendments
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.spec import Spec
from tests.diff.util import amend

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "qls4131_sle_phase1b.trial"
DIFF_DOC = ROOT / "docs" / "diff.md"
BEGIN, END = "<!-- amendment-rules:begin -->", "<!-- amendment-rules:end -->"


def _compile(text: str) -> Spec:
    result = compile_for_diff(str(SPEC), text)
    errors = [f"{d.code}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    return result.spec


def conclusion_of(*edits: tuple[str, str]) -> Conclusion:
    old_text = SPEC.read_text(encoding="utf-8")
    new_text = old_text
    for pattern, replacement in edits:
        new_text = amend(new_text, pattern, replacement)
    old, new = _compile(old_text), _compile(new_text)
    changes, stray = apply_overrides(diff(old, new), current_amendments(old, new))
    assert not stray
    return conclude(changes)


@attrs.frozen
class Case:
    name: str
    why: str
    edits: tuple[tuple[str, str], ...]
    substantial_eu: bool
    parts: tuple[str, ...]
    fda: str
    documents: tuple[str, ...]
    reconsent: bool
    cited: tuple[str, ...] = ()


CASES = (
    Case(
        "eligibility narrowed",
        "A stricter blood-pressure limit in E4 excludes subjects who could enter before: an "
        "eligibility criterion, a typical substantial modification of Part I (the population "
        "the data describe changes); the consent form lists who may take part, and the new "
        "limit applies to the subjects on study too; in a phase 1 trial nobody is newly exposed, "
        "so no 312.30(b) amendment.",
        ((r"systolic_bp at SCR >= 160", "systolic_bp at SCR >= 150"),),
        True,
        (ar.PART_I,),
        ar.FDA_NO_AMENDMENT,
        (ar.PROTOCOL, ar.ICF, ar.CRF),
        True,
        ("EU_IMPACT_ROBUSTNESS", "DOC_ICF_ELIGIBILITY", "RECONSENT_ELIGIBILITY_NARROWED"),
    ),
    Case(
        "typo in the title",
        "A spelling correction of the title changes nothing for subjects or data: not "
        "substantial, no document but the protocol, nothing to file with the FDA.",
        ((r"A Phase Ib Study", "A Phase 1b Study"),),
        False,
        (ar.PART_I,),
        ar.FDA_NO_AMENDMENT,
        (ar.PROTOCOL,),
        False,
    ),
    Case(
        "a new contact for sites",
        "Contact details are a national, Part II aspect, and changing them is not substantial; "
        "the consent form names the contacts.",
        ((r"^  sponsor .*\n", '\\g<0>  contact "Clinical trial hotline, +86 531 8888 0000"\n'),),
        False,
        (ar.PART_II,),
        ar.FDA_NO_AMENDMENT,
        (ar.ICF,),
        False,
        ("EU_PART_II", "DOC_ICF_CONTACTS"),
    ),
    Case(
        "a new trial site",
        "A new site is judged on its suitability and its investigator's (Art 7(1)(e)(f)): a "
        "substantial modification of Part II; for the FDA a new investigator (312.30(c)).",
        (
            (
                r"^  sponsor .*\n",
                '\\g<0>  site "Site 102, Shanghai Renji Hospital — Prof. Chen Hua"\n',
            ),
        ),
        True,
        (ar.PART_II,),
        ar.FDA_NEW_INVESTIGATOR,
        (ar.ICF,),
        False,
        ("EU_IMPACT_RIGHTS", "FDA_NEW_INVESTIGATOR"),
    ),
    Case(
        "a dose level above the highest",
        "A dose above any planned is a typical substantial modification (safety) and a "
        "312.30(b)(1)(i) change; the IB's reference safety information and the IMPD must cover "
        "it; only cohorts not yet enrolled receive it, so nobody consents again.",
        (
            (r"^    DL6 3 mg\n", "    DL6 3 mg\n    DL7 10 mg\n"),
            (r"0\.3, 0\.45$", "0.3, 0.45, 0.6"),
            (r"0\.7, 0\.8$", "0.7, 0.8, 0.9"),
        ),
        True,
        (ar.PART_I,),
        ar.FDA_CHANGE_IN_PROTOCOL,
        (ar.PROTOCOL, ar.ICF, ar.IB, ar.IMPD),
        False,
        ("EU_IMPACT_SAFETY", "DOC_IB_EXPOSURE", "DOC_IMPD_PRODUCT"),
    ),
    Case(
        "a visit added",
        "An extra visit adds burden for every subject, those on study included: substantial "
        "(rights), the consent form and the CRF build change, and subjects consent again.",
        ((r"^(visit W16 .*\n)", '\\1visit W18  "Week 18" day 127 window -3 +3 in follow_up\n'),),
        True,
        (ar.PART_I,),
        ar.FDA_NO_AMENDMENT,
        (ar.PROTOCOL, ar.ICF, ar.CRF),
        True,
        ("EU_IMPACT_RIGHTS", "DOC_ICF_PROCEDURES", "DOC_CRF_BUILD", "RECONSENT_SAFETY"),
    ),
    Case(
        "a new phase",
        "A trial of another phase is a new study: a new protocol under 312.30(a).",
        ((r"^  phase( +)1b", r"  phase\g<1>2"),),
        True,
        (ar.PART_I,),
        ar.FDA_NEW_PROTOCOL,
        (ar.PROTOCOL,),
        False,
        ("FDA_NEW_PROTOCOL",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_conclusion_of_a_realistic_amendment(case: Case) -> None:
    found = conclusion_of(*case.edits)
    assert (
        found.substantial_eu,
        found.parts,
        found.fda_category,
        found.documents,
        found.reconsent,
    ) == (case.substantial_eu, case.parts, case.fda, case.documents, case.reconsent), case.why
    for rule_id in case.cited:
        assert found.fired(rule_id), f"{rule_id} not cited"
    # every finding names the changes behind it
    assert all(f.changes for f in found.findings)


def test_every_conclusion_line_cites_its_rules() -> None:
    found = conclusion_of((r"systolic_bp at SCR >= 160", "systolic_bp at SCR >= 150"))
    lines = found.lines()
    assert lines[0] == "EU: a substantial modification [EU_SUBSTANTIAL_MODIFICATION]"
    assert all(line.endswith("]") for line in lines)


def test_an_override_changes_the_conclusion_and_is_kept() -> None:
    typo = (r"A Phase Ib Study", "A Phase 1b Study")
    override = (
        r"\Z",
        "\namendment 1 {\n  date 2025-09-15\n"
        '  change title "Title corrected" rationale "Registry alignment"\n'
        '    override eu substantial "The title is part of the approved consent documents"\n'
        "}\n",
    )
    found = conclusion_of(typo, override)
    assert found.substantial_eu
    (finding,) = [f for f in found.findings if f.rule.id == "EU_SUBSTANTIAL_MODIFICATION"]
    assert finding.changes == ("title (TITLE_CHANGED, overridden)",)


def test_no_change_concludes_nothing_to_file() -> None:
    assert conclude(()).lines() == ["No change: nothing to file."]


def test_rule_table_in_the_docs_is_generated() -> None:
    text = DIFF_DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    generated = "\n" + ar.rules_markdown() + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        DIFF_DOC.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        return
    assert text[start:end] == generated, "docs/diff.md is stale: run with UPDATE_GOLDEN=1"


def test_every_rule_has_a_source_and_can_fire() -> None:
    for rule in ar.AMENDMENT_RULES:
        assert rule.source and rule.concludes
    fired = {f.rule.id for case in CASES for f in conclusion_of(*case.edits).findings}
    untested = {r.id for r in ar.AMENDMENT_RULES} - fired - {"EU_IMPACT_RELIABILITY"}
    assert not untested, f"rules no case fires: {sorted(untested)}"
