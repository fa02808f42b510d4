"""The reviewer's suite: slips planted in copies of the real specs, each with the line
and the code a reviewer expects.

A hand-written slip is (spec, old text, new text, code, anchor): `old` is replaced
once by `new`, and the finding must carry `code` on the line of the new text where
`anchor` stands (the first line of `new` when no anchor is given).  Mutations
(`mutations`) make more slips by changing, at random but reproducibly, a number a
criterion's text and rule both state.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import attrs

from protocol_dsl.checks.wording import rule_values
from protocol_dsl.compiler import compile_spec
from protocol_dsl.semantics.stated import in_base, stated

ROOT = Path(__file__).resolve().parents[2]
QLS = "qls4131_sle_phase1b.trial"
CDISC = "cdiscpilot01.trial"
GC = "lib/glucocorticoids.trial"
MGC = "mgc018_first_in_human.trial"
BLISS = "bliss52_belimumab_sle.trial"


@attrs.frozen
class Slip:
    spec: str
    old: str
    new: str
    code: str
    anchor: str | None = None
    kind: str = "planted"

    @property
    def name(self) -> str:
        new = " ".join(self.new.split())[:40]
        return f"{Path(self.spec).stem.split('_')[0]}:{self.code}:{new}"


def _s(spec: str, old: str, new: str, code: str, anchor: str | None = None) -> Slip:
    return Slip(spec, old, new, code, anchor)


PLANTED: list[Slip] = [
    # ---- conditional collection (W0411, W0412)
    _s(
        QLS,
        "    and ((demographics.childbearing_potential = yes and screening_labs.pregnancy_test"
        " = positive)\n         or screening_assessments.lactating = yes)",
        "    and (screening_labs.pregnancy_test = positive or screening_assessments.lactating"
        " = yes)",
        "W0411",
        "  = demographics.sex = female\n    and (screening_labs.pregnancy_test",
    ),
    _s(
        QLS,
        "  = demographics.sex = female\n    and ((demographics.childbearing_potential",
        "  = demographics.sex = male\n    and ((demographics.childbearing_potential",
        "W0412",
    ),
    _s(
        QLS,
        "  = screening_assessments.study_drug_allergy = yes",
        "  = screening_assessments.study_drug_allergy = yes or screening_labs.pregnancy_test"
        " = positive",
        "W0411",
    ),
    _s(
        QLS,
        "  = any medical_history where category = autoimmune_disease\n"
        "      and affects_efficacy_assessment = yes",
        "  = any medical_history where category = malignancy\n"
        "      and affects_efficacy_assessment = yes",
        "W0412",
    ),
    _s(
        CDISC,
        "    and (demographics.sex = M or demographics.postmenopausal = yes)",
        "    and (demographics.sex = F or demographics.postmenopausal = yes)",
        "W0411",
        "  = demographics.age >= 50",
    ),
    _s(
        CDISC,
        "    and (demographics.sex = M or demographics.postmenopausal = yes)",
        "    and (demographics.sex = M and demographics.postmenopausal = yes)",
        "W0412",
        "  = demographics.age >= 50",
    ),
    # ---- text versus rule (W0413)
    _s(QLS, "  = age between 18 and 70", "  = age between 18 and 75", "W0413"),
    _s(QLS, "  = age between 18 and 70", "  = age between 16 and 70", "W0413"),
    _s(QLS, '"Aged 18 to 70 (inclusive);"', '"Aged 18 to 65 (inclusive);"', "W0413"),
    _s(
        QLS,
        "diagnosis_date at least 12 weeks before screening",
        "diagnosis_date at least 12 days before screening",
        "W0413",
        "  = sle.eular_acr_2019_classified",
    ),
    _s(QLS, "  = sle.sledai_2k at SCR >= 8", "  = sle.sledai_2k at SCR >= 10", "W0413"),
    _s(
        QLS,
        "prednisone_equivalent_dose <= 40 mg/d)",
        "prednisone_equivalent_dose <= 45 mg/d)",
        "W0413",
        "  = on_standard_therapy",
    ),
    _s(
        QLS,
        "onset within 5 years before screening",
        "onset within 3 years before screening",
        "W0413",
        "  = any medical_history where category = malignancy",
    ),
    _s(
        QLS,
        "(onset within 12 weeks before first_dose or ongoing = yes)",
        "(onset within 12 days before first_dose or ongoing = yes)",
        "W0413",
        "  = any medical_history where category = opportunistic_infection",
    ),
    _s(
        QLS,
        "within 5 years prior to screening;",
        "within 10 years prior to screening;",
        "W0413",
        'exclusion E6 "Participants',
    ),
    _s(CDISC, "  = demographics.age >= 50", "  = demographics.age >= 55", "W0413"),
    _s(
        CDISC,
        "  = eligibility_assessments.mmse_total between 10 and 23",
        "  = eligibility_assessments.mmse_total between 10 and 26",
        "W0413",
    ),
    _s(
        CDISC,
        "  = eligibility_assessments.hachinski <= 4",
        "  = eligibility_assessments.hachinski <= 5",
        "W0413",
    ),
    _s(
        CDISC,
        "imaging_date within 1 year before screening",
        "imaging_date within 2 years before screening",
        "W0413",
        "  = eligibility_assessments.imaging_compatible = yes",
    ),
    _s(
        CDISC,
        "end within 30 days before first_dose)",
        "end within 30 weeks before first_dose)",
        "W0413",
        "  = any concomitant_medications where class in {investigational, alzheimer_therapy}",
    ),
    _s(
        CDISC,
        "(onset within 3 months before screening or ongoing = yes)\n\nexclusion EXCL12",
        "(onset within 6 months before screening or ongoing = yes)\n\nexclusion EXCL12",
        "W0413",
        "  = any medical_history where category = hospitalization",
    ),
    _s(
        CDISC,
        "  = any medical_history where category = syncope\n"
        "      and (onset within 5 years before screening",
        "  = any medical_history where category = syncope\n"
        "      and (onset within 5 months before screening",
        "W0413",
    ),
    _s(
        CDISC,
        "end within 1 month before first_dose)",
        "end within 1 week before first_dose)",
        "W0413",
        "  = any concomitant_medications where class = excluded",
    ),
    _s(
        QLS,
        '    timeframe "Up to 12 weeks"',
        '    timeframe "Up to 24 weeks"',
        "W0413",
        "  endpoint EP3",
    ),
    _s(
        QLS,
        '    timeframe "Up to 24 weeks"\n    until 24 weeks after first_dose\n    = count(',
        '    timeframe "Up to 24 weeks"\n    until 12 weeks after first_dose\n    = count(',
        "W0413",
        "  endpoint EP1",
    ),
    # ---- ongoing conditions counted by onset (W0414)
    _s(
        QLS,
        "(onset within 12 weeks before first_dose or ongoing = yes)",
        "onset within 12 weeks before first_dose",
        "W0414",
    ),
    _s(
        QLS,
        "(onset within 5 years before screening or ongoing = yes)",
        "onset within 5 years before screening",
        "W0414",
    ),
    _s(
        CDISC,
        "(onset within 3 months before screening or ongoing = yes)\n\nexclusion EXCL12",
        "onset within 3 months before screening\n\nexclusion EXCL12",
        "W0414",
    ),
    _s(
        CDISC,
        "      and (onset within 5 years before screening or ongoing = yes)\n\nexclusion EXCL15",
        "      and onset within 5 years before screening\n\nexclusion EXCL15",
        "W0414",
    ),
    # ---- lookup tables, codes (W0520, W0804): the trial's own code lists
    _s(
        QLS,
        '  methotrexate          "Methotrexate"          [ATC L04AX03]',
        '  methotrexate          "Methotrexate"          [ATC L04AX01]',
        "W0804",
    ),
    _s(
        QLS,
        '  chloroquine        "Chloroquine"        [ATC P01BA01]',
        '  chloroquine        "Chloroquine"        [ATC P01BA02]',
        "W0804",
    ),
    _s(
        CDISC,
        '  negative "Negative" [CDISC C38757]',
        '  negative "Negative" [CDISC C38758]',
        "W0804",
    ),
    _s(GC, "  deflazacort        5/6\n", "", "W0520", "table prednisone_factor"),
    _s(GC, "  cortisone          5/25\n", "", "W0520", "table prednisone_factor"),
    _s(
        GC,
        '  deflazacort        "Deflazacort"        [ATC H02AB13]',
        '  deflazacort        "Deflazacort"        [ATC H02AB13]\n'
        '  budesonide         "Budesonide"         [ATC H02AB16]',
        "W0520",
        "table prednisone_factor",
    ),
    # ---- an alternative made dead by a mistyped threshold (W0415)
    _s(
        QLS,
        "  = sle.sledai_2k at SCR >= 8\n    or (sle.sledai_2k at SCR >= 6",
        "  = sle.sledai_2k at SCR >= 6\n    or (sle.sledai_2k at SCR >= 6",
        "W0415",
    ),
    # ---- text versus rule: the direction of a comparison (W0413)
    _s(
        QLS,
        "prednisone_equivalent_dose <= 40 mg/d)",
        "prednisone_equivalent_dose >= 40 mg/d)",
        "W0413",
        "    and (not ongoing_corticosteroid",
    ),
    _s(QLS, "  = sle.sledai_2k at SCR >= 8", "  = sle.sledai_2k at SCR > 8", "W0413"),
    _s(BLISS, "  = selena_sledai at SCR >= 6", "  = selena_sledai at SCR > 6", "W0413"),
    _s(
        CDISC,
        "  = eligibility_assessments.hachinski <= 4",
        "  = eligibility_assessments.hachinski < 4",
        "W0413",
    ),
    _s(MGC, "  = screening_assessments.ecog <= 2", "  = screening_assessments.ecog < 2", "W0413"),
    _s(
        MGC,
        "  = (in_escalation and screening_assessments.life_expectancy >= 12 weeks)",
        "  = (in_escalation and screening_assessments.life_expectancy > 12 weeks)",
        "W0413",
    ),
    # ---- schedule arithmetic across declarations (E0620, E0621, W0416-W0418)
    _s(QLS, "    day 4: 30 %", "    day 5: 30 %", "E0620"),
    _s(QLS, "    day 8: 100 %", "    day 9: 100 %", "E0620"),
    _s(QLS, "    day 4: 30 %", "    day 2: 30 %", "E0621"),
    _s(
        QLS,
        "  dlt_window 28 days from target_dose provisional",
        "  dlt_window 21 days from target_dose provisional",
        "W0416",
    ),
    _s(
        QLS,
        'visit D36 "Day 36 (end of DLT window)" day 36 window -2 +2',
        'visit D36 "Day 36 (end of DLT window)" day 38 window -2 +2',
        "W0416",
    ),
    _s(
        QLS,
        'ends "First dose of QLS4131" lasts 28 days',
        'ends "First dose of QLS4131" lasts 14 days',
        "W0418",
    ),
    _s(
        QLS,
        'visit SCR "Screening"                  day -28 .. -1',
        'visit SCR "Screening"                  day -35 .. -1',
        "W0418",
    ),
    _s(
        MGC,
        '    timeframe "Cycle 1 (21 days)"\n    until 21 days after first_dose',
        '    timeframe "Cycle 1 (21 days)"\n    until 28 days after first_dose',
        "W0416",
        "  endpoint DLT ",
    ),
    _s(
        MGC,
        'dlt "Any of the following in cycle 1, at least',
        'dlt "Any of the following within 28 days of the first dose, at least',
        "W0416",
    ),
    _s(MGC, 'visit SCR "Screening" day -28 .. -1', 'visit SCR "Screening" day -21 .. -1', "W0418"),
    _s(
        MGC,
        'ends "First dose" lasts 28 days provisional',
        'ends "First dose" lasts 21 days provisional',
        "W0418",
    ),
    _s(CDISC, "  lasts 22 weeks dose 81 mg", "  lasts 24 weeks dose 81 mg", "W0417"),
    _s(
        CDISC,
        'starts "Administration of first dose" lasts 2 weeks dose 54 mg',
        'starts "Administration of first dose" lasts 4 weeks dose 54 mg',
        "W0417",
    ),
    _s(
        CDISC,
        'starts "Administration of first dose" lasts 26 weeks dose 54 mg',
        'starts "Administration of first dose" lasts 24 weeks dose 54 mg',
        "W0417",
    ),
    _s(
        BLISS,
        'starts "First infusion (day 0)" lasts 52 weeks dosing bel1_q4w',
        'starts "First infusion (day 0)" lasts 48 weeks dosing bel1_q4w',
        "W0417",
    ),
    _s(
        BLISS,
        'starts "First infusion (day 0)" lasts 52 weeks dosing placebo_q4w',
        'starts "First infusion (day 0)" lasts 56 weeks dosing placebo_q4w',
        "W0417",
    ),
    # ---- arms against interventions (E0730, E0731)
    _s(
        CDISC,
        'arm Xan_Lo "Xanomeline Low Dose" type experimental receives xanomeline {',
        'arm Xan_Lo "Xanomeline Low Dose" type experimental receives placebo {',
        "E0730",
    ),
    _s(
        CDISC,
        "  lasts 22 weeks dose 81 mg",
        "  lasts 22 weeks dose 80 mg",
        "E0731",
        "element HIM",
    ),
    _s(
        CDISC,
        "  dose        54 mg, 81 mg",
        "  dose        54 mg, 80 mg",
        "E0731",
        "element HIM",
    ),
    # ---- header against the rules (W0805)
    _s(
        QLS, "  minimum_age               18 years", "  minimum_age               16 years", "W0805"
    ),
    _s(
        QLS, "  maximum_age               70 years", "  maximum_age               75 years", "W0805"
    ),
    _s(QLS, "  sex                       all", "  sex                       female", "W0805"),
    _s(
        CDISC,
        "  minimum_age               50 years",
        "  minimum_age               18 years",
        "W0805",
    ),
    _s(CDISC, "  sex                       all", "  sex                       male", "W0805"),
    # ---- the earlier slips: contradictions, ranges, names, types, units
    _s(QLS, "  = age between 18 and 70", "  = age between 70 and 18", "E0401"),
    _s(
        QLS,
        "  = screening_labs.proteinuria > 3 g/d",
        "  = screening_labs.proteinuria > 300 g/d",
        "E0405",
    ),
    _s(
        QLS,
        "  = vital_signs.systolic_bp at SCR >= 160 mm[Hg]",
        "  = vital_signs.systolic_bp at SCR >= 160 mm",
        "E0304",
    ),
    _s(
        QLS,
        "  = screening_assessments.study_drug_allergy = yes",
        "  = screening_assessments.study_drug_alergy = yes",
        "E0101",
    ),
    _s(
        QLS,
        "  = any medications where class = cell_or_gene_therapy",
        "  = any medications where class = cell_therapy",
        "E0101",
    ),
    _s(
        CDISC,
        "  = eligibility_assessments.hachinski <= 4",
        "  = eligibility_assessments.hachinski <= 40",
        "W0406",
    ),
    _s(
        CDISC,
        "  = eligibility_assessments.prior_xanomeline = yes",
        "  = eligibility_assessments.prior_xanomeline = 1",
        "E0201",
    ),
    _s(
        CDISC,
        "  = screening_labs.syphilis = positive",
        "  = screening_labs.syphilis = positve",
        "E0101",
    ),
    _s(CDISC, "  = demographics.age >= 50", "  = demographics.age >= 150", "E0405"),
    _s(
        CDISC,
        "  = eligibility_assessments.mmse_total between 10 and 23",
        "  = eligibility_assessments.mmse_total between 24 and 23",
        "E0401",
    ),
]


def _literal_text(line: str, value: str) -> re.Match[str] | None:
    return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w.])", line)


def mutations(seed: int = 4131, per_spec: int = 20) -> list[Slip]:
    """A number a criterion's text and its own rule both state, changed in the rule (a
    threshold or a duration moved, or its unit changed): W0413 on the rule's line."""
    rng = random.Random(seed)
    slips: list[Slip] = []
    for name in (QLS, CDISC):
        path = ROOT / "specs" / name
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        spec = compile_spec(str(path)).spec
        assert spec is not None
        candidates: list[tuple[str, str]] = []
        for criterion in spec.criteria:
            if criterion.rule is None or criterion.attested:
                continue
            said = {in_base(s.value, s.unit) for s in stated(criterion.text)}
            for kind, values in rule_values(spec, criterion.rule).items():
                for value, literal in values.items():
                    if (kind, value) not in said or literal.span.file != str(path):
                        continue
                    line = lines[literal.span.line - 1]
                    if not line.lstrip().startswith(("=", "and", "or", "(")):
                        continue
                    candidates.append((line, criterion.id))
        for line, _cid in sorted(set(candidates)):
            for _ in range(per_spec // max(1, len(candidates)) + 1):
                new = _mutate(line, rng)
                if new is not None and new != line and text.count(line) == 1:
                    slips.append(Slip(name, line, new, "W0413", kind="mutation"))
    unique = {(s.spec, s.old, s.new): s for s in slips}
    return list(unique.values())


_UNIT_SWAPS = {"weeks": "days", "years": "months", "months": "weeks", "days": "weeks"}


def _mutate(line: str, rng: random.Random) -> str | None:
    numbers = [m for m in re.finditer(r"(?<![\w.:])\d+(?:\.\d+)?(?![\w:])", line)]
    units = [m for m in re.finditer(r"\b(weeks|years|months|days)\b", line)]
    choice = rng.random()
    if units and choice < 0.3:
        found = rng.choice(units)
        return line[: found.start()] + _UNIT_SWAPS[found[0]] + line[found.end() :]
    if not numbers:
        return None
    found = rng.choice(numbers)
    value = int(float(found[0]))
    delta = rng.choice([-3, -2, -1, 1, 2, 5, 10])
    changed = max(1, value + delta)
    if changed == value:
        changed = value + 1
    return line[: found.start()] + str(changed) + line[found.end() :]
