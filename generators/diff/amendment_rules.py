"""The rules that conclude on an amendment as a whole, with the regulatory source of each.

The per-change catalogue (`rules.py`) says whether each change is
substantial; these rules say what the amendment as a whole is and what it
takes to file it: whether it is a substantial modification under EU CTR
536/2014 and which impact areas of Art 2(2)(13) it engages, which part of
the EU dossier it modifies (Part I, the protocol and the products; Part II,
the national aspects), its category under 21 CFR 312.30, the documents to
update, and whether enrolled subjects must consent again.

A rule is data: an id (quoted in every conclusion it supports), what it
concludes, where the regulation says so, and which changes trigger it (a
`Selector` over the change's rule id, section, direction, category and
verdict).  `conclusion.py` applies them; `docs/diff.md` lists them (the
table is generated from this module and checked by the test suite).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from generators.diff import rules
from generators.diff.changes import Change

#: the dossier parts of EU CTR 536/2014 (Art 6 and Art 7)
PART_I = "Part I"
PART_II = "Part II"

#: the documents a modification may require updating, in the order a dossier lists them
PROTOCOL = "protocol"
ICF = "subject information and consent form"
IB = "investigator's brochure"
IMPD = "investigational medicinal product dossier (IMPD)"
CRF = "CRF / EDC build (sponsor)"
DOCUMENTS = (PROTOCOL, ICF, IB, IMPD, CRF)

#: the impact areas of Art 2(2)(13), by the change's USDM category
IMPACT_AREAS: dict[str, str] = {
    "safety": "safety of the subjects",
    "rights": "rights of the subjects",
    "data_reliability": "reliability of the data",
    "data_robustness": "robustness of the data",
}

#: 21 CFR 312.30 categories, most demanding first (the amendment takes the first that applies)
FDA_NEW_PROTOCOL = "new protocol (312.30(a))"
FDA_CHANGE_IN_PROTOCOL = "change in protocol (312.30(b)(1))"
FDA_NEW_INVESTIGATOR = "new investigator (312.30(c))"
FDA_NO_AMENDMENT = "no protocol amendment (changes reported in the annual report, 312.33)"

_EU_CTR = "EU CTR 536/2014"
_CFR = "21 CFR"


@attrs.frozen
class Selector:
    """Which changes trigger a rule: every condition given must hold (None: any)."""

    rule_ids: frozenset[str] | None = None
    sections: frozenset[str] | None = None
    directions: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    substantial_eu: bool | None = None
    substantial_fda: bool | None = None
    #: rule ids that never trigger it (checked after the others)
    excluded: frozenset[str] = frozenset()

    def __call__(self, change: Change) -> bool:
        tests: tuple[tuple[object, Callable[[], bool]], ...] = (
            (self.rule_ids, lambda: change.rule_id in (self.rule_ids or ())),
            (self.sections, lambda: change.section in (self.sections or ())),
            (self.directions, lambda: change.direction in (self.directions or ())),
            (self.categories, lambda: change.category in (self.categories or ())),
            (self.substantial_eu, lambda: change.substantial_eu == self.substantial_eu),
            (self.substantial_fda, lambda: change.substantial_fda == self.substantial_fda),
        )
        if change.rule_id in self.excluded:
            return False
        return all(test() for given, test in tests if given is not None)


@attrs.frozen
class AmendmentRule:
    id: str
    #: what the rule concludes, as the summary says it
    concludes: str
    #: the regulation or guideline that says so
    source: str
    applies: Selector


def _ids(*names: str) -> frozenset[str]:
    unknown = [name for name in names if name not in rules.RULES]
    assert not unknown, f"unknown rule ids {unknown}"
    return frozenset(names)


_PART_II_RULES = _ids("SITE_CHANGED", "CONTACT_CHANGED")
_ELIGIBILITY_RULES = _ids(
    "AGE_RANGE_CHANGED",
    "POPULATION_CHANGED",
    "CRITERION_ADDED",
    "CRITERION_REMOVED",
    "CRITERION_THRESHOLD_CHANGED",
    "CRITERION_LOGIC_CHANGED",
    "CRITERION_KIND_CHANGED",
    "JUDGED_CRITERION_CHANGED",
    "ELIGIBILITY_DEPENDENCY_CHANGED",
)
_PRODUCT_RULES = _ids(
    "INTERVENTION_ADDED",
    "INTERVENTION_REMOVED",
    "ROUTE_CHANGED",
    "DOSE_CHANGED",
    "DOSING_REGIMEN_CHANGED",
    "DOSING_SCHEDULE_CHANGED",
    "DOSE_LEVEL_ADDED",
    "DOSE_LEVEL_CHANGED",
    "START_LEVEL_CHANGED",
    "INTERVENTION_DETAIL_CHANGED",
)
#: the product rules that reach subjects already enrolled (a new dose level or start level is
#: given to cohorts not yet enrolled: their consent form says so, nobody consents again)
_PRODUCT_RULES_ON_STUDY = _PRODUCT_RULES - {"DOSE_LEVEL_ADDED", "START_LEVEL_CHANGED"}
_NOT_REWORDED = frozenset(rules.INVERSE_DIRECTION) - {"reworded"}
_EXPOSURE_RAISED = frozenset({"raised", "added", "changed"})
_BURDEN_RULES = _ids(
    "VISIT_ADDED",
    "VISIT_REMOVED",
    "FOLLOW_UP_CHANGED",
    "CYCLE_ADDED",
    "CYCLE_REMOVED",
    "CYCLE_CHANGED",
    "REPEAT_ADDED",
    "REPEAT_REMOVED",
    "REPEAT_CHANGED",
    "TRIAL_DURATION_CHANGED",
    "SAFETY_ASSESSMENT_ADDED",
    "SAFETY_ASSESSMENT_REMOVED",
    "SAFETY_ASSESSMENT_VISITS_CHANGED",
    "ASSESSMENT_ADDED",
)
_COLLECTION_RULES = _ids(
    # a renamed visit, form, item or value is a renamed event, form, field or coded value of
    # the EDC build; a form moved into a library is stored under its qualified name
    "VISIT_RENAMED",
    "ITEM_RENAMED",
    "FORM_RENAMED",
    "FORM_RELOCATED",
    "CODELIST_VALUE_RENAMED",
    "VISIT_ADDED",
    "VISIT_REMOVED",
    "VISIT_MOVED",
    "VISIT_WINDOW_CHANGED",
    "VISIT_CHANGED",
    "CYCLE_ADDED",
    "CYCLE_REMOVED",
    "CYCLE_CHANGED",
    "REPEAT_ADDED",
    "REPEAT_REMOVED",
    "REPEAT_CHANGED",
    "SAFETY_ASSESSMENT_ADDED",
    "SAFETY_ASSESSMENT_REMOVED",
    "SAFETY_ASSESSMENT_VISITS_CHANGED",
    "ASSESSMENT_ADDED",
    "ASSESSMENT_REMOVED",
    "ASSESSMENT_VISITS_CHANGED",
    "ASSESSMENT_CHANGED",
    "ITEM_ADDED",
    "ITEM_REMOVED",
    "ITEM_CHANGED",
    "DERIVED_VALUE_ADDED",
    "DERIVED_VALUE_REMOVED",
    "DERIVED_VALUE_CHANGED",
    "SCORE_ADDED",
    "SCORE_REMOVED",
    "SCORE_CHANGED",
    "CODELIST_ADDED",
    "CODELIST_REMOVED",
    "CODELIST_VALUE_ADDED",
    "CODELIST_VALUE_REMOVED",
    "CODELIST_CHANGED",
    "CRITERION_ADDED",
    "CRITERION_REMOVED",
    "CRITERION_THRESHOLD_CHANGED",
    "CRITERION_LOGIC_CHANGED",
    "ELIGIBILITY_DEPENDENCY_CHANGED",
    "LOG_NONE_QUESTION_CHANGED",
    "CONVERSION_ADDED",
    "CONVERSION_REMOVED",
    "CONVERSION_CHANGED",
)

#: Every rule, in the order the conclusion is written.
AMENDMENT_RULES: tuple[AmendmentRule, ...] = (
    # -- EU: substantial or not, and the impact areas engaged
    AmendmentRule(
        "EU_SUBSTANTIAL_MODIFICATION",
        "the amendment is a substantial modification: authorisation is needed before it is "
        "implemented",
        f"{_EU_CTR} Art 2(2)(13), Art 15",
        Selector(substantial_eu=True),
    ),
    AmendmentRule(
        "EU_IMPACT_SAFETY",
        "impact area engaged: safety of the subjects",
        f"{_EU_CTR} Art 2(2)(13)",
        Selector(substantial_eu=True, categories=frozenset({"safety"})),
    ),
    AmendmentRule(
        "EU_IMPACT_RIGHTS",
        "impact area engaged: rights of the subjects",
        f"{_EU_CTR} Art 2(2)(13)",
        Selector(substantial_eu=True, categories=frozenset({"rights"})),
    ),
    AmendmentRule(
        "EU_IMPACT_RELIABILITY",
        "impact area engaged: reliability of the data",
        f"{_EU_CTR} Art 2(2)(13)",
        Selector(substantial_eu=True, categories=frozenset({"data_reliability"})),
    ),
    AmendmentRule(
        "EU_IMPACT_ROBUSTNESS",
        "impact area engaged: robustness of the data",
        f"{_EU_CTR} Art 2(2)(13)",
        Selector(substantial_eu=True, categories=frozenset({"data_robustness"})),
    ),
    # -- EU: the part of the dossier modified
    AmendmentRule(
        "EU_PART_I",
        "modifies Part I of the dossier (the protocol, the products, the trial's design and "
        "population), assessed by the reporting Member State for all concerned",
        f"{_EU_CTR} Art 6, Art 17, Annex I D",
        Selector(excluded=_PART_II_RULES),
    ),
    AmendmentRule(
        "EU_PART_II",
        "modifies Part II of the dossier (trial sites, investigators, subject information and "
        "contacts), assessed by each Member State concerned",
        f"{_EU_CTR} Art 7(1)(a)(e)(f), Art 20",
        Selector(rule_ids=_PART_II_RULES),
    ),
    # -- FDA 312.30 category
    AmendmentRule(
        "FDA_NEW_PROTOCOL",
        f"FDA: {FDA_NEW_PROTOCOL}: a trial of another phase is a new study under the IND",
        f"{_CFR} 312.30(a)",
        Selector(rule_ids=_ids("PHASE_CHANGED")),
    ),
    AmendmentRule(
        "FDA_CHANGE_IN_PROTOCOL",
        f"FDA: {FDA_CHANGE_IN_PROTOCOL}: submitted and approved by the IRB before it is "
        "implemented (312.30(b)(2)(ii): except a change to remove an apparent immediate hazard)",
        f"{_CFR} 312.30(b)",
        Selector(substantial_fda=True),
    ),
    AmendmentRule(
        "FDA_NEW_INVESTIGATOR",
        f"FDA: {FDA_NEW_INVESTIGATOR}: submitted within 30 days of the investigator being added",
        f"{_CFR} 312.30(c)",
        Selector(rule_ids=_ids("SITE_CHANGED"), directions=frozenset({"added", "changed"})),
    ),
    # -- documents to update
    AmendmentRule(
        "DOC_PROTOCOL",
        f"update the {PROTOCOL} (a new version, with a tracked and a clean copy)",
        f"{_EU_CTR} Annex II (B, D); {_CFR} 312.30(d)",
        Selector(excluded=_PART_II_RULES),
    ),
    AmendmentRule(
        "DOC_ICF_ELIGIBILITY",
        f"update the {ICF}: who may take part changes",
        f"{_EU_CTR} Art 29(2)(a); ICH E6(R3) 2.8.10",
        Selector(rule_ids=_ELIGIBILITY_RULES, substantial_eu=True),
    ),
    AmendmentRule(
        "DOC_ICF_PROCEDURES",
        f"update the {ICF}: what taking part involves (visits, procedures, duration, doses) "
        "changes",
        f"{_EU_CTR} Art 29(2)(a)(i)-(ii); ICH E6(R3) 2.8.10; 21 CFR 50.25(a)",
        Selector(
            categories=frozenset({"safety", "rights"}),
            substantial_eu=True,
            excluded=_PART_II_RULES | _ELIGIBILITY_RULES,
        ),
    ),
    AmendmentRule(
        "DOC_ICF_CONTACTS",
        f"update the {ICF}: the sites and contacts it names change",
        f"{_EU_CTR} Art 29(2)(c)",
        Selector(rule_ids=_PART_II_RULES),
    ),
    AmendmentRule(
        "DOC_IB_EXPOSURE",
        f"review the {IB}: its reference safety information must cover the new exposure",
        f"{_EU_CTR} Art 55, Annex I E; ICH E6(R3) Appendix A",
        Selector(
            rule_ids=_PRODUCT_RULES, directions=_EXPOSURE_RAISED, categories=frozenset({"safety"})
        ),
    ),
    AmendmentRule(
        "DOC_IMPD_PRODUCT",
        f"review the {IMPD}: the product, its strengths, route or regimen change",
        f"{_EU_CTR} Annex I G",
        Selector(rule_ids=_PRODUCT_RULES),
    ),
    AmendmentRule(
        "DOC_CRF_BUILD",
        f"update the {CRF}: the schedule, forms, items or edit checks change",
        "ICH E6(R3) 4.2, 4.3 (data capture)",
        # a label reworded changes no form, item or check
        Selector(rule_ids=_COLLECTION_RULES, directions=_NOT_REWORDED),
    ),
    # -- consent of the subjects already enrolled
    AmendmentRule(
        "RECONSENT_SAFETY",
        "enrolled subjects must be informed and consent again: the risks or the burden of "
        "taking part change for them",
        f"{_EU_CTR} Art 29(1); ICH E6(R3) 2.8.2; 21 CFR 50.25(b)(5)",
        Selector(
            rule_ids=_PRODUCT_RULES_ON_STUDY | _BURDEN_RULES,
            substantial_eu=True,
            directions=frozenset({"raised", "added", "changed", "lengthened", "removed"}),
        ),
    ),
    AmendmentRule(
        "RECONSENT_ELIGIBILITY_NARROWED",
        "enrolled subjects must be informed and consent again: a criterion added or narrowed "
        "records a risk or a restriction that applies to them too",
        f"{_EU_CTR} Art 29(1); ICH E6(R3) 2.8.2; 21 CFR 50.25(b)(5)",
        Selector(
            rule_ids=_ELIGIBILITY_RULES,
            directions=frozenset({"narrowed", "added"}),
            substantial_eu=True,
        ),
    ),
)

RULES_BY_ID = {rule.id: rule for rule in AMENDMENT_RULES}


def rules_markdown() -> str:
    """The table of these rules in docs/diff.md (checked by the test suite)."""
    lines = ["| Rule | Concludes | Source |", "|---|---|---|"]
    for rule in AMENDMENT_RULES:
        lines.append(f"| `{rule.id}` | {rule.concludes} | {rule.source} |")
    return "\n".join(lines)
