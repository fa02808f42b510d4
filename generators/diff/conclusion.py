"""The conclusion on an amendment as a whole, each finding traced to its rules and changes.

`conclude(changes)` applies the rules of `amendment_rules` to the classified
changes (after a reviewer's overrides): substantial or not under EU CTR
536/2014 and why, the impact areas of Art 2(2)(13) engaged, Part I or Part
II of the dossier, the 21 CFR 312.30 category, the documents to update and
whether enrolled subjects must consent again.  Every finding cites the
amendment rule that led to it, the changes that triggered it (by target and
per-change rule id), so a reader can follow the reasoning back to the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from generators.diff import amendment_rules as ar
from generators.diff.changes import Change


@attrs.frozen
class Finding:
    """One amendment rule that applies, and the changes that make it apply."""

    rule: ar.AmendmentRule
    #: the changes, as `target (RULE_ID)`
    changes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "concludes": self.rule.concludes,
            "source": self.rule.source,
            "changes": list(self.changes),
        }


@attrs.frozen
class Conclusion:
    substantial_eu: bool
    impact_areas: tuple[str, ...]
    parts: tuple[str, ...]
    fda_category: str
    documents: tuple[str, ...]
    reconsent: bool
    findings: tuple[Finding, ...]
    #: the per-change rule ids behind a conclusion that nothing is substantial
    change_rules: tuple[str, ...] = ()

    def fired(self, rule_id: str) -> bool:
        return any(f.rule.id == rule_id for f in self.findings)

    def lines(self) -> list[str]:
        """The conclusion in sentences, each with the rules it rests on."""
        if not self.findings:
            return ["No change: nothing to file."]
        eu = (
            "EU: a substantial modification"
            if self.substantial_eu
            else "EU: not a substantial modification (no change is likely to have a substantial "
            "impact on the subjects' safety or rights or on the reliability and robustness of "
            f"the data) [{', '.join(self.change_rules)}]"
        )
        lines = [eu + self._cite("EU_SUBSTANTIAL_MODIFICATION")]
        if self.impact_areas:
            lines.append(
                "Impact areas (Art 2(2)(13)): "
                + ", ".join(self.impact_areas)
                + self._cite(
                    *(f"EU_IMPACT_{k}" for k in ("SAFETY", "RIGHTS", "RELIABILITY", "ROBUSTNESS"))
                )
            )
        if self.parts:
            lines.append(
                "Dossier: " + " and ".join(self.parts) + self._cite("EU_PART_I", "EU_PART_II")
            )
        fda_rules = ("FDA_NEW_PROTOCOL", "FDA_CHANGE_IN_PROTOCOL", "FDA_NEW_INVESTIGATOR")
        lines.append(
            f"FDA: {self.fda_category}"
            + (
                self._cite(*fda_rules)
                if any(self.fired(i) for i in fda_rules)
                else f" [{', '.join(self.change_rules)}]"
            )
        )
        lines.append(
            "Documents to update: "
            + (", ".join(self.documents) or "none")
            + self._cite(*(f.rule.id for f in self.findings if f.rule.id.startswith("DOC_")))
        )
        lines.append(
            "Enrolled subjects must consent again"
            + self._cite(*(f.rule.id for f in self.findings if f.rule.id.startswith("RECONSENT_")))
            if self.reconsent
            else "Enrolled subjects need not consent again: no change reaches them "
            f"[{', '.join(self.change_rules)}]"
        )
        return lines

    def _cite(self, *rule_ids: str) -> str:
        cited = [i for i in rule_ids if self.fired(i)]
        return f" [{', '.join(cited)}]" if cited else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "substantial_eu": self.substantial_eu,
            "impact_areas": list(self.impact_areas),
            "eu_dossier_parts": list(self.parts),
            "fda_category": self.fda_category,
            "documents": list(self.documents),
            "reconsent": self.reconsent,
            "findings": [f.to_json() for f in self.findings],
        }


def conclude(changes: Sequence[Change]) -> Conclusion:
    findings = []
    for rule in ar.AMENDMENT_RULES:
        triggered = tuple(
            f"{change.target} ({change.rule_id}{', overridden' if change.overrides else ''})"
            for change in changes
            if rule.applies(change)
        )
        if triggered:
            findings.append(Finding(rule, tuple(dict.fromkeys(triggered))))
    fired = {f.rule.id for f in findings}
    areas = tuple(
        area
        for key, area in (
            ("SAFETY", ar.IMPACT_AREAS["safety"]),
            ("RIGHTS", ar.IMPACT_AREAS["rights"]),
            ("RELIABILITY", ar.IMPACT_AREAS["data_reliability"]),
            ("ROBUSTNESS", ar.IMPACT_AREAS["data_robustness"]),
        )
        if f"EU_IMPACT_{key}" in fired
    )
    parts = tuple(
        part
        for part, rule_id in ((ar.PART_I, "EU_PART_I"), (ar.PART_II, "EU_PART_II"))
        if rule_id in fired
    )
    documents = tuple(
        document
        for document, rule_ids in (
            (ar.PROTOCOL, ("DOC_PROTOCOL",)),
            (ar.ICF, ("DOC_ICF_ELIGIBILITY", "DOC_ICF_PROCEDURES", "DOC_ICF_CONTACTS")),
            (ar.IB, ("DOC_IB_EXPOSURE",)),
            (ar.IMPD, ("DOC_IMPD_PRODUCT",)),
            (ar.CRF, ("DOC_CRF_BUILD",)),
        )
        if fired.intersection(rule_ids)
    )
    return Conclusion(
        substantial_eu="EU_SUBSTANTIAL_MODIFICATION" in fired,
        impact_areas=areas,
        parts=parts,
        fda_category=_fda_category(fired),
        documents=documents,
        reconsent=any(rule_id.startswith("RECONSENT_") for rule_id in fired),
        findings=tuple(findings),
        change_rules=tuple(sorted({change.rule_id for change in changes})),
    )


def _fda_category(fired: set[str]) -> str:
    for rule_id, category in (
        ("FDA_NEW_PROTOCOL", ar.FDA_NEW_PROTOCOL),
        ("FDA_CHANGE_IN_PROTOCOL", ar.FDA_CHANGE_IN_PROTOCOL),
        ("FDA_NEW_INVESTIGATOR", ar.FDA_NEW_INVESTIGATOR),
    ):
        if rule_id in fired:
            return category
    return ar.FDA_NO_AMENDMENT
