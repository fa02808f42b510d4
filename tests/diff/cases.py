"""Pairs of small specs for the table-driven diff tests: one row per rule id (and direction).

Every row edits `cases/base.trial` into an old and a new version (textual
find-and-replace, so each row reads as the amendment it stands for) and
states the change the diff must report: rule id, direction, USDM category,
and whether it is substantial under EU CTR and under FDA 21 CFR 312.30 for
the trial's phase.
"""

from __future__ import annotations

from pathlib import Path

import attrs

CASES = Path(__file__).resolve().parent / "cases"
BASE = (CASES / "base.trial").read_text(encoding="utf-8")

Edit = tuple[str, str]


@attrs.frozen
class Row:
    rule: str
    direction: str
    category: str
    eu: bool
    fda: bool
    new: tuple[Edit, ...] = ()
    old: tuple[Edit, ...] = ()
    #: other rule ids the same edit necessarily reports as well
    also: frozenset[str] = frozenset()
    phase: str = "1"

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.direction}-phase{self.phase}"

    def texts(self) -> tuple[str, str]:
        base = BASE
        if self.phase != "1":
            base = apply(base, (sub("phase        1", f"phase        {self.phase}"),))
        return apply(base, self.old), apply(base, self.new)


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    for find, replace in edits:
        assert text.count(find) == 1, f"edit anchor must occur once: {find!r}"
        text = text.replace(find, replace)
    return text


def sub(find: str, replace: str) -> Edit:
    return (find, replace)


def after(anchor: str, text: str) -> Edit:
    return (anchor, anchor + text)


def drop(text: str) -> Edit:
    return (text, "")


def row(rule: str, direction: str, category: str, eu: bool, fda: bool, *new: Edit, **kw) -> Row:
    return Row(rule, direction, category, eu, fda, tuple(new), **kw)


def removed(rule: str, category: str, eu: bool, fda: bool, *old: Edit, **kw) -> Row:
    """The old version has what the base does not: the new version removes it."""
    return Row(rule, "removed", category, eu, fda, (), tuple(old), **kw)


S, R, REL, ROB, ADM = "safety", "rights", "data_reliability", "data_robustness", "administrative"


_GC = 'use "../../../specs/lib/glucocorticoids.trial" as gc\n'


def _uses(*libraries: tuple[str, str]) -> Edit:
    """Libraries of cases/lib used beside glucocorticoids: (file name, alias) each."""
    return after(_GC, "".join(f'use "lib/{name}.trial" as {alias}\n' for name, alias in libraries))


def _library_part(name: str) -> str:
    """The declaration a library of cases/lib has beyond the plain one (its last paragraph)."""
    return (CASES / "lib" / f"{name}.trial").read_text(encoding="utf-8").split("\n\n")[-1].strip()


_SITE_101 = after('"Sponsor A"\n', '  site "Site 101, Jinan — Prof. Li Wei"\n')
_SITE_102 = '  site "Site 102, Shanghai — Prof. Chen Hua"\n'
_CONTACT = '  contact "Trial hotline +86 531 0000 0000"\n'

_RANDOMISED = sub("  allocation   non_randomized\n", "  allocation   randomized\n")
_RANDOMISATION = after(
    "  TRT in treatment\n}\n",
    "\nrandomisation {\n  ratio A 1\n  method permuted_blocks block_sizes 2\n}\n",
)
_STRATIFICATION = sub(
    "  method permuted_blocks block_sizes 2\n",
    "  method permuted_blocks block_sizes 2\n"
    '  stratify_by age_group "Age group" {\n'
    '    younger "Under 40" = age < 40\n'
    '    older "40 or over" = age >= 40\n'
    "  }\n",
)
_DOUBLE = sub("  masking      open_label\n", "  masking      double\n")
_MASKING = after(
    "  TRT in treatment\n}\n",
    '\nmasking {\n  blinded participant, investigator\n  unblinding "Emergency"\n}\n',
)

_VISIT_W8 = after(
    'visit D29 "Day 29"    day 29 window -2 +2 in treatment\n',
    'visit W8  "Week 8"    day 57 window -7 +7 in treatment\n',
)
_ANCHOR = after(
    'anchor first_dose "First dose"      = visit D1\n',
    'anchor week12 "Week 12 visit" = visit W12\n',
)
_CYCLE = after(
    'visit W12 "Week 12"   day 85 window -7 +7 in treatment\n',
    'cycle extension "Extension cycle" lasts 28 days in treatment count 2 starts day 99 {\n'
    '  visit D1 "Day 1" day 1\n'
    "}\n",
)
_REPEAT = after(
    'visit W12 "Week 12"   day 85 window -7 +7 in treatment\n',
    'repeat TA "Tumour assessment" every 6 weeks after first_dose to week 12 window -3 +3\n',
)
_EP4 = after(
    "    = count(adverse_events where grade >= 3)\n",
    '  endpoint EP4 "Recommended phase 2 dose" timeframe "Approximately 12 weeks"\n'
    "    until 12 weeks after first_dose\n",
)
_EPOCH = after('epoch treatment "Treatment"\n', 'epoch follow_up "Follow-up"\n')
_ELEMENT = after(
    'element TRT "Treatment" starts "First dose" lasts 4 weeks dose 10 mg\n',
    'element FU "Follow-up" starts "End of treatment"\n',
)
_STEP_UP = drop("  step_up at DL3 {\n    day 1: 10 %\n    day 4: 100 %\n  }\n")
_SCENARIO = after(
    '  scenario flat "Flat toxicity" = 0.1, 0.2, 0.3\n',
    '  scenario steep "Steep toxicity" = 0.1, 0.3, 0.6\n',
)
_BIOLOGIC = after('  steroid "Oral corticosteroid"\n', '  biologic "Biologic"\n')
_NEW_TABLE = (
    "table infection_risk",
    'table sex_factor "Sex factor" {\n  keys sex\n  female 1\n  male   2\n}\n\ntable infection_risk',
)
_NEW_CODELIST = (
    "codelist therapy",
    'codelist route "Route" {\n  oral "Oral"\n  iv   "Intravenous"\n}\n\ncodelist therapy',
)
_NEW_DEFINE = after(
    'define liver_injury "ALT above 120 IU/L" = labs.alt at D29 > 120 [IU]/L\n',
    'define severe_anaemia "Haemoglobin below 80 g/L" = labs.hb at SCR < 80 g/L\n',
)
_NEW_DERIVE = after(
    '  grade integer "Grade" range 1 .. 5\n', '  derive severe "Severe" = grade >= 3\n'
)
_VARIANT = (
    "inclusion I1",
    'score skin_only "Skin score" = disease_score without arthritis\n\ninclusion I1',
)
# how recorded data are read: a conversion bound to haemoglobin (read by E1 through
# `anaemia`) or to ALT (read by nothing), a log no rule reads, its none question
_HB_CODE = sub('"Haemoglobin" range 0 .. 300', '"Haemoglobin" range 0 .. 300 [LOINC 718-7]')
_HB_CONVERSION = after(
    'define liver_injury "ALT above 120 IU/L" = labs.alt at D29 > 120 [IU]/L\n',
    '\nconversion hb_mmol "Haemoglobin: mmol/L to g/L" from mmol/L to g/L = 16.1 * value'
    ' [LOINC 718-7]\n  source "Haemoglobin (Fe) 1 mmol/L = 16.1 g/L"\n',
)
_ALT_CODE = sub('"Alanine aminotransferase"', '"Alanine aminotransferase" [LOINC 1742-6]')
_ALT_CONVERSION = after(
    'define liver_injury "ALT above 120 IU/L" = labs.alt at D29 > 120 [IU]/L\n',
    "\nconversion alt_ukat from ukat/L to [IU]/L = 60 * value [LOINC 1742-6]\n",
)
_PROCEDURES = after(
    '  arthritis yes_no "Arthritis"\n}\n',
    '\nform questions "Screening questions" at SCR {\n'
    '  any_procedures yes_no "Any prior procedures?"\n'
    '  any_surgery    yes_no "Any prior surgery?"\n}\n'
    '\nform procedures "Prior procedures" repeating at SCR {\n'
    '  procedure text "Procedure" for_reporting\n}\n',
)
_NONE_QUESTION = sub(
    'form procedures "Prior procedures" repeating at SCR {',
    'form procedures "Prior procedures" repeating at SCR\n'
    "  none_recorded_by questions.any_procedures {",
)
_HISTORY_QUESTION = (
    after(
        '  arthritis yes_no "Arthritis"\n}\n',
        '\nform questions "Screening questions" at SCR {\n'
        '  any_history yes_no "Any medical history?"\n}\n',
    ),
)


def _complete(log: str) -> Edit:
    return after('mapping sdtm "SDTM datasets" {\n', f"  complete {log} for DM\n")


_MAPPING = drop(
    'mapping sdtm "SDTM datasets" {\n  labs.hb from LB.LBSTRESN where "LBTESTCD" = "HGB"\n}\n'
)
_USE = after(
    'use "../../../specs/lib/glucocorticoids.trial" as gc\n',
    'use "../../../specs/lib/sle.trial" as sle\n',
)
_VITALS = after(
    'activity pk_sampling "Pharmacokinetic sampling" at D1, D8\n',
    'activity vital_signs "Vital signs" at SCR, D1\n',
)
_QUESTIONNAIRE = after(
    'activity pk_sampling "Pharmacokinetic sampling" at D1, D8\n',
    'activity qol "Quality of life questionnaire" at SCR, W12\n',
)
_ARM_B_DECL = (
    "arm A",
    'arm B "Drug X, high start" type experimental receives DRUG {\n  TRT in treatment\n}\n\narm A',
)
_TOCI = (
    "dose_finding DRUG {",
    'intervention TOCI "Tocilizumab" {\n  type drug\n}\n\ndose_finding DRUG {',
)
_REGIMEN = (
    'regimen q4w "Every 4 weeks" of DRUG {\n'
    "  dose 3 mg\n"
    "  on days 1, 29\n"
    '  reduce { minus1 1 mg "First reduction" }\n'
    "}\n"
)


def _with_regimen(text: str = _REGIMEN) -> Edit:
    return after('  administration "Once"\n}\n', "\n" + text)


_PRIMARY_OBJ4 = after(
    "    = count(adverse_events where grade >= 3)\n}\n",
    '\nobjective OBJ4 primary "To determine the recommended phase 2 dose" {\n}\n',
)
_SECONDARY_OBJ5 = after(
    "    = count(adverse_events where grade >= 3)\n}\n",
    '\nobjective OBJ5 secondary "To describe immunogenicity" {\n}\n',
)
_EXPLORATORY_OBJ6 = after(
    "    = count(adverse_events where grade >= 3)\n}\n",
    '\nobjective OBJ6 exploratory "To explore biomarkers" {\n}\n',
)
_SECONDARY_EP = after(
    "    = disease_score at W12 - disease_score at SCR\n",
    '  endpoint EP5 "Anti-drug antibodies" timeframe "Up to 12 weeks" until 12 weeks after first_dose\n',
)
_EXPLORATORY_EP = after(
    '  endpoint EP3 "Maximum concentration" timeframe "Up to 1 week" until 1 weeks after first_dose\n',
    '  endpoint EP6 "B-cell depletion" timeframe "Up to 4 weeks" until 4 weeks after first_dose\n',
)
_PHASE = "phase        1"

_POPULATION = after(
    'exclusion E4 "Unsuitable in the opinion of the investigator"\n',
    '\npopulation ENR "Enrolled population" = age >= 18\n',
)


_NARRATIVE = after(
    'exclusion E4 "Unsuitable in the opinion of the investigator"\n',
    '\nnarrative background """\n  Lupus is a chronic autoimmune disease.\n\n  - one\n"""\n',
)


def _estimand(anchor: str, endpoint: str) -> Edit:
    return after(
        anchor,
        f'  estimand EST_{endpoint} "What is estimated" {{\n'
        "    treatment A\n"
        "    population ENR\n"
        f"    variable {endpoint}\n"
        "    intercurrent none\n"
        '    summary "Proportion of participants"\n'
        "  }\n",
    )


_ESTIMANDS = {
    "PRIMARY": _estimand("    = count(adverse_events where grade >= 3)\n", "EP1"),
    "SECONDARY": _estimand("    = disease_score at W12 - disease_score at SCR\n", "EP2"),
    "EXPLORATORY": _estimand(
        '  endpoint EP3 "Maximum concentration" timeframe "Up to 1 week" '
        "until 1 weeks after first_dose\n",
        "EP3",
    ),
}
_STATISTICS = after(
    '  labs.hb from LB.LBSTRESN where "LBTESTCD" = "HGB"\n}\n',
    "\nstatistics {\n  sample_size two_proportions {\n    alpha 0.05\n    power 0.8\n"
    "    p1    0.2\n    p2    0.6\n  }\n}\n",
)


def _estimand_rows() -> tuple[Row, ...]:
    found: list[Row] = []
    for level, edit in _ESTIMANDS.items():
        eu = level != "EXPLORATORY"
        found += [
            Row(
                f"{level}_ESTIMAND_ADDED",
                "added",
                ROB,
                eu,
                False,
                (_POPULATION, edit),
                (_POPULATION,),
            ),
            Row(
                f"{level}_ESTIMAND_REMOVED",
                "removed",
                ROB,
                eu,
                False,
                (_POPULATION,),
                (_POPULATION, edit),
            ),
            Row(
                f"{level}_ESTIMAND_CHANGED",
                "changed",
                ROB,
                eu,
                False,
                (
                    _POPULATION,
                    edit,
                    sub(
                        "    intercurrent none\n", '    intercurrent "Rescue" while_on_treatment\n'
                    ),
                ),
                (_POPULATION, edit),
            ),
        ]
    return tuple(found)


ROWS: tuple[Row, ...] = (
    # ------------------------------------------------------------ title page
    row("TITLE_CHANGED", "reworded", ADM, False, False, sub("A Phase 1 Study", "A Phase I Study")),
    row("IDENTIFIER_CHANGED", "changed", ADM, False, False, sub("NCT00000001", "NCT00000002")),
    row("SPONSOR_CHANGED", "changed", R, True, False, sub('"Sponsor A"', '"Sponsor B"')),
    row("VERSION_CHANGED", "changed", ADM, False, False, sub('"1.0"', '"2.0"')),
    # a second site: only added to the list of sites
    row(
        "SITE_CHANGED",
        "added",
        R,
        True,
        False,
        _SITE_101,
        after('Li Wei"\n', _SITE_102),
        old=(_SITE_101,),
    ),
    # a new principal investigator at a site
    row(
        "SITE_CHANGED",
        "changed",
        R,
        True,
        False,
        _SITE_101,
        sub("Prof. Li Wei", "Dr. Zhang Min"),
        old=(_SITE_101,),
    ),
    removed("SITE_CHANGED", ADM, False, False, after('"Sponsor A"\n', _SITE_102)),
    row("CONTACT_CHANGED", "added", ADM, False, False, after('"Sponsor A"\n', _CONTACT)),
    row("STATUS_CHANGED", "changed", ADM, False, False, sub("not_yet_recruiting", "recruiting")),
    row(
        "HEADER_FIELD_CHANGED",
        "changed",
        ADM,
        False,
        False,
        sub("for testing the semantic diff", "that tests the semantic diff"),
    ),
    # ------------------------------------------------------------ schedule
    row("VISIT_ADDED", "added", R, True, False, _VISIT_W8),
    removed("VISIT_REMOVED", S, True, True, _VISIT_W8),
    row(
        "VISIT_MOVED", "later", REL, False, False, sub("day 8 window -1 +1", "day 10 window -1 +1")
    ),
    row(
        "VISIT_MOVED", "earlier", REL, False, False, sub("day 8 window -1 +1", "day 6 window -1 +1")
    ),
    row(
        "VISIT_WINDOW_CHANGED",
        "widened",
        REL,
        False,
        False,
        sub("day 29 window -2 +2", "day 29 window -3 +3"),
    ),
    row(
        "VISIT_WINDOW_CHANGED",
        "narrowed",
        REL,
        False,
        False,
        sub("day 29 window -2 +2", "day 29 window -1 +1"),
    ),
    row("VISIT_CHANGED", "changed", REL, False, False, sub('"Day 8"', '"Day 8 visit"')),
    row(
        "FOLLOW_UP_CHANGED",
        "shortened",
        S,
        True,
        True,
        sub("day 85 window -7 +7", "day 85 window -7 +3"),
        also=frozenset({"VISIT_WINDOW_CHANGED"}),
    ),
    row(
        "FOLLOW_UP_CHANGED",
        "lengthened",
        R,
        True,
        False,
        sub("day 85 window -7 +7", "day 85 window -7 +10"),
        also=frozenset({"VISIT_WINDOW_CHANGED"}),
    ),
    row("CYCLE_ADDED", "added", R, True, False, _CYCLE, also=frozenset({"FOLLOW_UP_CHANGED"})),
    removed("CYCLE_REMOVED", S, True, True, _CYCLE, also=frozenset({"FOLLOW_UP_CHANGED"})),
    Row(
        "CYCLE_CHANGED",
        "changed",
        ROB,
        True,
        False,
        new=(
            _CYCLE,
            sub("lasts 28 days in treatment count 2", "lasts 21 days in treatment count 2"),
        ),
        old=(_CYCLE,),
        also=frozenset({"FOLLOW_UP_CHANGED"}),
    ),
    row("REPEAT_ADDED", "added", R, True, False, _REPEAT),
    removed("REPEAT_REMOVED", S, True, True, _REPEAT),
    Row(
        "REPEAT_CHANGED",
        "changed",
        ROB,
        True,
        False,
        new=(_REPEAT, sub("every 6 weeks", "every 4 weeks")),
        old=(_REPEAT,),
    ),
    Row(
        "SERIES_RELABELLED",
        "changed",
        REL,
        False,
        False,
        new=(_REPEAT, sub('"Tumour assessment"', '"Tumour imaging"')),
        old=(_REPEAT,),
    ),
    row("ANCHOR_ADDED", "added", ADM, False, False, _ANCHOR),
    removed("ANCHOR_REMOVED", ADM, False, False, _ANCHOR),
    Row(
        "ANCHOR_CHANGED",
        "changed",
        REL,
        False,
        False,
        new=(_ANCHOR, sub('"Week 12 visit" = visit W12', '"Week 12 visit" = visit D29')),
        old=(_ANCHOR,),
    ),
    # ------------------------------------------------------------ objectives and endpoints
    row("PRIMARY_OBJECTIVE_ADDED", "added", ROB, True, False, _PRIMARY_OBJ4),
    removed("PRIMARY_OBJECTIVE_REMOVED", ROB, True, False, _PRIMARY_OBJ4),
    row(
        "PRIMARY_OBJECTIVE_CHANGED",
        "reworded",
        ROB,
        True,
        False,
        sub("evaluate the safety of", "assess the safety of"),
    ),
    row("PRIMARY_OBJECTIVE_ADDED", "added", ROB, True, True, _PRIMARY_OBJ4, phase="2"),
    row("PRIMARY_ENDPOINT_ADDED", "added", ROB, True, False, _EP4),
    removed("PRIMARY_ENDPOINT_REMOVED", ROB, True, False, _EP4),
    row("PRIMARY_ENDPOINT_CHANGED", "changed", ROB, True, False, sub("grade >= 3)", "grade >= 2)")),
    Row(
        "PRIMARY_ENDPOINT_TIMEFRAME_CHANGED",
        "shortened",
        ROB,
        True,
        False,
        new=(
            _EP4,
            sub(
                '"Approximately 12 weeks"\n    until 12 weeks',
                '"Approximately 8 weeks"\n    until 8 weeks',
            ),
        ),
        old=(_EP4,),
    ),
    row("SECONDARY_OBJECTIVE_ADDED", "added", ROB, True, False, _SECONDARY_OBJ5),
    removed("SECONDARY_OBJECTIVE_REMOVED", ROB, True, False, _SECONDARY_OBJ5),
    row(
        "SECONDARY_OBJECTIVE_CHANGED",
        "reworded",
        ROB,
        True,
        False,
        sub("evaluate the efficacy", "assess the efficacy"),
    ),
    row("SECONDARY_ENDPOINT_ADDED", "added", ROB, True, False, _SECONDARY_EP),
    removed("SECONDARY_ENDPOINT_REMOVED", ROB, True, False, _SECONDARY_EP),
    row(
        "SECONDARY_ENDPOINT_CHANGED",
        "reworded",
        ROB,
        True,
        False,
        sub('"Change in disease score"', '"Change from baseline in disease score"'),
    ),
    Row(
        "SECONDARY_ENDPOINT_TIMEFRAME_CHANGED",
        "shortened",
        ROB,
        True,
        False,
        new=(
            _SECONDARY_EP,
            sub(
                '"Up to 12 weeks" until 12 weeks after first_dose\n',
                '"Up to 8 weeks" until 8 weeks after first_dose\n',
            ),
        ),
        old=(_SECONDARY_EP,),
    ),
    row("EXPLORATORY_OBJECTIVE_ADDED", "added", ROB, False, False, _EXPLORATORY_OBJ6),
    removed("EXPLORATORY_OBJECTIVE_REMOVED", ROB, False, False, _EXPLORATORY_OBJ6),
    row(
        "EXPLORATORY_OBJECTIVE_CHANGED",
        "reworded",
        ROB,
        False,
        False,
        sub("explore the pharmacokinetics", "describe the pharmacokinetics"),
    ),
    row("EXPLORATORY_ENDPOINT_ADDED", "added", ROB, False, False, _EXPLORATORY_EP),
    removed("EXPLORATORY_ENDPOINT_REMOVED", ROB, False, False, _EXPLORATORY_EP),
    row(
        "EXPLORATORY_ENDPOINT_CHANGED",
        "reworded",
        ROB,
        False,
        False,
        sub('"Maximum concentration"', '"Maximum plasma concentration"'),
    ),
    row(
        "EXPLORATORY_ENDPOINT_TIMEFRAME_CHANGED",
        "lengthened",
        ROB,
        False,
        False,
        sub(
            '"Up to 1 week" until 1 weeks after first_dose',
            '"Up to 2 weeks" until 2 weeks after first_dose',
        ),
    ),
    row(
        "SAFETY_FOLLOW_UP_CHANGED",
        "shortened",
        S,
        True,
        True,
        sub('"Up to 12 weeks"\n    until 12 weeks', '"Up to 8 weeks"\n    until 8 weeks'),
    ),
    Row(
        "SAFETY_FOLLOW_UP_CHANGED",
        "lengthened",
        S,
        True,
        False,
        old=(sub('"Up to 12 weeks"\n    until 12 weeks', '"Up to 8 weeks"\n    until 8 weeks'),),
    ),
    row(
        "ENDPOINT_DEPENDENCY_CHANGED",
        "changed",
        ROB,
        True,
        False,
        sub('grade integer "Grade"', 'grade number "Grade"'),
    ),
    row(
        "ENDPOINT_DEPENDENCY_CHANGED",
        "changed",
        ROB,
        True,
        True,
        sub('grade integer "Grade"', 'grade number "Grade"'),
        phase="2",
    ),
    # the adverse-event log EP1 counts, declared complete for SDTM input
    row("ENDPOINT_DEPENDENCY_CHANGED", "added", ROB, True, False, _complete("adverse_events")),
    # ------------------------------------------------------------ design
    row("PHASE_CHANGED", "changed", ROB, True, True, sub(_PHASE, "phase        2")),
    row(
        "DESIGN_CHANGED",
        "changed",
        ROB,
        True,
        False,
        sub("masking      open_label", "masking      single"),
    ),
    row(
        "DESIGN_CHANGED",
        "changed",
        ROB,
        True,
        True,
        sub("masking      open_label", "masking      single"),
        phase="2",
    ),
    Row(
        "TRIAL_DURATION_CHANGED",
        "lengthened",
        R,
        True,
        False,
        new=(
            sub("  eligibility_visit SCR\n", "  eligibility_visit SCR\n  length       16 weeks\n"),
        ),
        old=(
            sub("  eligibility_visit SCR\n", "  eligibility_visit SCR\n  length       14 weeks\n"),
        ),
    ),
    row("EPOCH_ADDED", "added", ROB, True, False, _EPOCH),
    removed("EPOCH_REMOVED", ROB, True, False, _EPOCH),
    row(
        "EPOCH_CHANGED",
        "changed",
        ADM,
        False,
        False,
        sub('epoch treatment "Treatment"', 'epoch treatment "Treatment period"'),
    ),
    row("ARM_ADDED", "added", S, True, True, _ARM_B_DECL),
    removed("ARM_REMOVED", ROB, True, False, _ARM_B_DECL),
    row(
        "ARM_CHANGED",
        "changed",
        S,
        True,
        True,
        sub("type experimental receives DRUG", "type other receives DRUG"),
    ),
    row(
        "ARM_RELABELLED",
        "reworded",
        ADM,
        False,
        False,
        sub('arm A "Drug X"', 'arm A "Drug X dose escalation"'),
    ),
    row(
        "RANDOMISATION_CHANGED",
        "added",
        ROB,
        True,
        False,
        _RANDOMISED,
        _RANDOMISATION,
        old=(_RANDOMISED,),
    ),
    Row(
        "RANDOMISATION_CHANGED",
        "removed",
        ROB,
        True,
        False,
        new=(_RANDOMISED,),
        old=(_RANDOMISED, _RANDOMISATION),
    ),
    row(
        "RANDOMISATION_CHANGED",
        "changed",
        ROB,
        True,
        False,
        _RANDOMISED,
        _RANDOMISATION,
        sub("ratio A 1", "ratio A 2"),
        old=(_RANDOMISED, _RANDOMISATION),
    ),
    row(
        "STRATIFICATION_CHANGED",
        "added",
        ROB,
        True,
        False,
        _RANDOMISED,
        _RANDOMISATION,
        _STRATIFICATION,
        old=(_RANDOMISED, _RANDOMISATION),
    ),
    row("MASKING_CHANGED", "added", ROB, True, False, _DOUBLE, _MASKING, old=(_DOUBLE,)),
    row(
        "MASKING_CHANGED",
        "changed",
        ROB,
        True,
        False,
        _DOUBLE,
        _MASKING,
        sub("blinded participant, investigator", "blinded participant, outcome_assessor"),
        old=(_DOUBLE, _MASKING),
    ),
    row(
        "UNBLINDING_CHANGED",
        "changed",
        S,
        True,
        True,
        _DOUBLE,
        _MASKING,
        sub('unblinding "Emergency"', 'unblinding "Emergency, through the IRT"'),
        old=(_DOUBLE, _MASKING),
    ),
    row("ELEMENT_ADDED", "added", ROB, True, False, _ELEMENT),
    removed("ELEMENT_REMOVED", ROB, True, False, _ELEMENT),
    row(
        "ELEMENT_CHANGED",
        "changed",
        REL,
        False,
        False,
        sub('starts "First dose" lasts', 'starts "First administration" lasts'),
    ),
    row(
        "ELEMENT_DURATION_CHANGED",
        "lengthened",
        S,
        True,
        True,
        sub("lasts 4 weeks", "lasts 6 weeks"),
    ),
    row(
        "ELEMENT_DURATION_CHANGED",
        "shortened",
        ROB,
        True,
        False,
        sub("lasts 4 weeks", "lasts 3 weeks"),
    ),
    row(
        "ESCALATION_DESIGN_CHANGED",
        "changed",
        S,
        True,
        True,
        sub("design boin {", "design mtpi2 {"),
    ),
    row(
        "ESCALATION_RULE_RELAXED",
        "raised",
        S,
        True,
        True,
        sub("target      0.30", "target      0.33"),
    ),
    row(
        "ESCALATION_RULE_TIGHTENED",
        "lowered",
        S,
        True,
        False,
        sub("target      0.30", "target      0.25"),
    ),
    row(
        "ESCALATION_PARAMETER_CHANGED",
        "added",
        S,
        True,
        True,
        after("    cohorts     6\n", "    max_per_dose 9\n"),
    ),
    row(
        "DLT_WINDOW_CHANGED",
        "shortened",
        S,
        True,
        True,
        sub("dlt_window 28 days", "dlt_window 21 days"),
    ),
    row(
        "DLT_WINDOW_CHANGED",
        "lengthened",
        S,
        True,
        False,
        sub("dlt_window 28 days", "dlt_window 35 days"),
    ),
    row(
        "DLT_DEFINITION_CHANGED",
        "reworded",
        S,
        True,
        True,
        sub('"Grade 3 or higher toxicity related', '"Grade 3 or higher toxicity possibly related'),
    ),
    row(
        "DOSE_FINDING_FIELD_CHANGED",
        "added",
        ROB,
        True,
        False,
        after(
            '  decided_by "Safety Monitoring Committee"\n',
            '  rp2d "The highest dose with a DLT rate below 0.25"\n',
        ),
    ),
    row("SCENARIO_ADDED", "added", ROB, False, False, _SCENARIO),
    removed("SCENARIO_REMOVED", ROB, False, False, _SCENARIO),
    row(
        "SCENARIO_CHANGED", "changed", ROB, False, False, sub("= 0.1, 0.2, 0.3", "= 0.05, 0.2, 0.3")
    ),
    # ------------------------------------------------------------ population
    row(
        "AGE_RANGE_CHANGED",
        "widened",
        S,
        True,
        True,
        sub("maximum_age  65 years", "maximum_age  70 years"),
    ),
    row(
        "AGE_RANGE_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub("minimum_age  18 years", "minimum_age  21 years"),
    ),
    row(
        "AGE_RANGE_CHANGED",
        "narrowed",
        ROB,
        True,
        True,
        sub("minimum_age  18 years", "minimum_age  21 years"),
        phase="2",
    ),
    row(
        "POPULATION_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub("sex          all", "sex          female"),
    ),
    Row(
        "POPULATION_CHANGED",
        "widened",
        S,
        True,
        True,
        old=(sub("sex          all", "sex          female"),),
    ),
    row(
        "CONDITION_CHANGED",
        "changed",
        ROB,
        True,
        False,
        sub(
            '"Systemic Lupus Erythematosus" [SNOMED', '"Systemic lupus erythematosus (SLE)" [SNOMED'
        ),
    ),
    row("ELIGIBILITY_VISIT_CHANGED", "removed", S, True, True, drop("  eligibility_visit SCR\n")),
    row(
        "CRITERION_ADDED",
        "added",
        ROB,
        True,
        False,
        after(
            'exclusion E4 "Unsuitable in the opinion of the investigator"\n',
            '\nexclusion E5 "ALT above 120 IU/L"\n  = labs.alt at SCR > 120 [IU]/L\n',
        ),
    ),
    row(
        "CRITERION_ADDED",
        "added",
        ROB,
        True,
        True,
        after(
            'exclusion E4 "Unsuitable in the opinion of the investigator"\n',
            '\nexclusion E5 "ALT above 120 IU/L"\n  = labs.alt at SCR > 120 [IU]/L\n',
        ),
        phase="2",
    ),
    row(
        "CRITERION_REMOVED",
        "removed",
        S,
        True,
        True,
        drop('exclusion E1 "Anaemia"\n  = anaemia\n\n'),
    ),
    row(
        "CRITERION_THRESHOLD_CHANGED",
        "widened",
        S,
        True,
        True,
        sub("age between 18 and 65", "age between 18 and 70"),
    ),
    row(
        "CRITERION_THRESHOLD_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub("disease_score at SCR >= 4", "disease_score at SCR >= 5"),
    ),
    # raising an exclusion's threshold excludes fewer subjects: eligibility widens
    row(
        "CRITERION_THRESHOLD_CHANGED",
        "widened",
        S,
        True,
        True,
        sub("steroid_dose > 20 mg/d", "steroid_dose > 30 mg/d"),
    ),
    row(
        "CRITERION_THRESHOLD_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub("within 12 weeks before first_dose", "within 24 weeks before first_dose"),
    ),
    row(
        "CRITERION_LOGIC_CHANGED",
        "widened",
        S,
        True,
        True,
        sub("= disease_score at SCR >= 4\n", "= disease_score at SCR >= 4 or anaemia\n"),
    ),
    row(
        "CRITERION_LOGIC_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub(
            "where infection in {tb, hiv}\n      and onset within 12 weeks before first_dose",
            "where infection in {tb, hiv}",
        ),
    ),
    row(
        "CRITERION_LOGIC_CHANGED",
        "changed",
        S,
        True,
        True,
        sub(
            "= disease_score at SCR >= 4\n",
            "= disease_score at SCR >= 4 and not anaemia or steroid_dose > 5 mg/d\n",
        ),
    ),
    row(
        "CRITERION_KIND_CHANGED",
        "changed",
        S,
        True,
        True,
        sub('exclusion E4 "Unsuitable', 'inclusion E4 "Unsuitable'),
    ),
    row(
        "CRITERION_REWORDED",
        "reworded",
        ADM,
        False,
        False,
        sub('"Aged 18 to 65 years"', '"Aged 18 to 65 years (inclusive)"'),
    ),
    # the same threshold in other units: the same subjects are eligible
    row(
        "CRITERION_REWORDED",
        "reworded",
        ADM,
        False,
        False,
        sub("steroid_dose > 20 mg/d", "steroid_dose > 0.02 g/d"),
    ),
    # the week 12 visit renamed V9 everywhere, its day and window unchanged
    row(
        "VISIT_RENAMED",
        "changed",
        ADM,
        False,
        False,
        sub('visit W12 "Week 12"   day 85', 'visit V9 "Week 12"    day 85'),
        sub("at SCR, W12 {", "at SCR, V9 {"),
        sub("at D1, D8, D29, W12 {", "at D1, D8, D29, V9 {"),
        sub("disease_score at W12 -", "disease_score at V9 -"),
    ),
    # the haemoglobin item renamed hgb (type, unit, label, range unchanged), stated by `was`
    row(
        "ITEM_RENAMED",
        "changed",
        ADM,
        False,
        False,
        sub(
            '  hb  quantity g/L "Haemoglobin" range 0 .. 300',
            '  hgb quantity g/L "Haemoglobin" range 0 .. 300 was hb',
        ),
        sub("= labs.hb at SCR", "= labs.hgb at SCR"),
        sub("  labs.hb from LB", "  labs.hgb from LB"),
    ),
    # EP2 renumbered EP4, its definition unchanged
    row(
        "ENDPOINT_RENAMED",
        "changed",
        ADM,
        False,
        False,
        sub('  endpoint EP2 "Change in disease score"', '  endpoint EP4 "Change in disease score"'),
    ),
    # the laboratory form renamed `laboratory` everywhere, its items and visits unchanged
    row(
        "FORM_RENAMED",
        "changed",
        ADM,
        False,
        False,
        sub('form labs "Laboratory tests"', 'form laboratory "Laboratory tests"'),
        sub("= labs.hb at SCR", "= laboratory.hb at SCR"),
        sub("= labs.alt at D29", "= laboratory.alt at D29"),
        sub("  labs.hb from LB", "  laboratory.hb from LB"),
    ),
    # the value `tb` of the serious infections spelled `tuberculosis`, its label unchanged,
    # in the list, the table keyed by it and every rule reading it
    row(
        "CODELIST_VALUE_RENAMED",
        "changed",
        ADM,
        False,
        False,
        sub('  tb  "Tuberculosis"', '  tuberculosis "Tuberculosis"'),
        sub("  tb  2\n", "  tuberculosis 2\n"),
        sub(
            "sum(history.risk where infection in {tb, hiv})",
            "sum(history.risk where infection in {tuberculosis, hiv})",
        ),
        sub(
            "any history where infection in {tb, hiv}",
            "any history where infection in {tuberculosis, hiv}",
        ),
    ),
    # a code list moved word for word out of the sponsor's library of standard terms into
    # the protocol (the library file without it): one move, not a list removed and added
    Row(
        "CODELIST_RELOCATED",
        "changed",
        ADM,
        False,
        False,
        (_uses(("plain", "std")), after(_GC, "\n" + _library_part("with_codelist") + "\n")),
        (_uses(("with_codelist", "std")),),
    ),
    # a definition moved the same way; the library no longer needs glucocorticoids
    Row(
        "DEFINITION_RELOCATED",
        "changed",
        ADM,
        False,
        False,
        (_uses(("plain", "std")), after(_GC, "\n" + _library_part("with_define") + "\n")),
        (_uses(("with_define", "std")),),
        also=frozenset({"LIBRARY_REMOVED"}),
    ),
    # a form the trial collected from the library moved into the protocol, scheduled at the
    # visit it was collected at
    Row(
        "FORM_RELOCATED",
        "changed",
        ADM,
        False,
        False,
        (
            _uses(("plain", "std")),
            after(_GC, "\n" + _library_part("with_form").replace(" {", " at SCR {", 1) + "\n"),
        ),
        (_uses(("with_form", "std")), after(_GC, "\ncollect std.body_size at SCR\n")),
    ),
    # a standard criterion moved from one library to another (the trial applies neither)
    Row(
        "CRITERION_RELOCATED",
        "changed",
        ADM,
        False,
        False,
        (_uses(("plain", "std_a"), ("with_criterion", "std_b")),),
        (_uses(("with_criterion", "std_a"), ("plain", "std_b")),),
    ),
    # E2 renumbered E5 (its rule and text unchanged): not "E5 added" and "E2 removed"
    row(
        "CRITERION_RENUMBERED",
        "changed",
        ADM,
        False,
        False,
        sub("exclusion E2 ", "exclusion E5 "),
    ),
    # the text says 70 where the rule still says 65: the criterion as written moved
    row(
        "CRITERION_TEXT_NUMBERS_CHANGED",
        "changed",
        REL,
        True,
        True,
        sub('"Aged 18 to 65 years"', '"Aged 18 to 70 years"'),
    ),
    # a primary endpoint's label: only a capital letter and the abbreviation added
    row(
        "EDITORIAL_CHANGE",
        "reworded",
        ADM,
        False,
        False,
        sub(
            '"Incidence of adverse events of grade 3 or higher"',
            '"Incidence of Adverse Events (AEs) of grade 3 or higher"',
        ),
    ),
    row(
        "JUDGED_CRITERION_CHANGED",
        "reworded",
        R,
        True,
        True,
        sub(
            '"Unsuitable in the opinion of the investigator"',
            '"Unsuitable in the opinion of the investigator or the sponsor"',
        ),
    ),
    row(
        "CRITERION_ASSESSMENT_CHANGED",
        "changed",
        REL,
        False,
        False,
        sub(
            '"Unsuitable in the opinion of the investigator"\n',
            '"Unsuitable in the opinion of the investigator"\n  = attested\n',
        ),
    ),
    # a definition an exclusion uses, made true for more subjects: eligibility narrows
    row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "narrowed",
        ROB,
        True,
        False,
        sub("labs.hb at SCR < 100 g/L", "labs.hb at SCR < 110 g/L"),
    ),
    row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "widened",
        S,
        True,
        True,
        sub("labs.hb at SCR < 100 g/L", "labs.hb at SCR < 90 g/L"),
    ),
    row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "raised",
        S,
        True,
        True,
        sub('rash 2 "Rash"', 'rash 3 "Rash"'),
    ),
    # how recorded data are read, for data a criterion uses: no direction can be computed
    Row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "added",
        S,
        True,
        True,
        new=(_HB_CODE, _HB_CONVERSION),
        old=(_HB_CODE,),
    ),
    Row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "removed",
        S,
        True,
        True,
        new=(_HB_CODE,),
        old=(_HB_CODE, _HB_CONVERSION),
    ),
    Row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "changed",
        S,
        True,
        True,
        new=(_HB_CODE, _HB_CONVERSION, sub("= 16.1 * value", "= 16.11 * value")),
        old=(_HB_CODE, _HB_CONVERSION),
    ),
    Row(
        "ELIGIBILITY_DEPENDENCY_CHANGED",
        "added",
        S,
        True,
        True,
        new=(
            *_HISTORY_QUESTION,
            sub(
                'form history "Medical history" repeating at SCR {',
                'form history "Medical history" repeating at SCR\n'
                "  none_recorded_by questions.any_history {",
            ),
        ),
        old=_HISTORY_QUESTION,
    ),
    row("ELIGIBILITY_DEPENDENCY_CHANGED", "added", S, True, True, _complete("history")),
    removed("ELIGIBILITY_DEPENDENCY_CHANGED", S, True, True, _complete("medications")),
    # ------------------------------------------------------------ intervention
    row("INTERVENTION_ADDED", "added", S, True, True, _TOCI),
    removed("INTERVENTION_REMOVED", ROB, True, False, _TOCI),
    row(
        "ROUTE_CHANGED",
        "changed",
        S,
        True,
        True,
        sub("route          subcutaneous", "route          intravenous"),
    ),
    row("DOSE_CHANGED", "raised", S, True, True, sub("dose 10 mg", "dose 20 mg")),
    row("DOSE_CHANGED", "lowered", S, True, False, sub("dose 10 mg", "dose 5 mg")),
    row(
        "DOSING_REGIMEN_CHANGED",
        "reworded",
        S,
        True,
        True,
        sub('administration "Once"', 'administration "Once weekly"'),
    ),
    row("REGIMEN_ADDED", "added", S, True, True, _with_regimen()),
    removed("REGIMEN_REMOVED", S, True, True, _with_regimen()),
    row(
        "DOSING_SCHEDULE_CHANGED",
        "raised",
        S,
        True,
        True,
        _with_regimen(_REGIMEN.replace("on days 1, 29", "on days 1, 29, 85")),
        old=(_with_regimen(),),
    ),
    row(
        "DOSING_SCHEDULE_CHANGED",
        "lowered",
        S,
        True,
        False,
        _with_regimen(_REGIMEN.replace("  on days", "  at_most 1 administrations\n  on days")),
        old=(_with_regimen(),),
    ),
    row(
        "DOSE_MODIFICATION_CHANGED",
        "changed",
        S,
        True,
        True,
        _with_regimen(_REGIMEN.replace("minus1 1 mg", "minus1 0.5 mg")),
        old=(_with_regimen(),),
    ),
    row(
        "DOSE_CHANGED",
        "raised",
        S,
        True,
        True,
        _with_regimen(_REGIMEN.replace("dose 3 mg", "dose 10 mg")),
        old=(_with_regimen(),),
    ),
    row(
        "INTERVENTION_DETAIL_CHANGED",
        "added",
        ADM,
        False,
        False,
        after('  administration "Once"\n', '  code "DX-001"\n'),
    ),
    row(
        "DOSE_LEVEL_ADDED",
        "raised",
        S,
        True,
        True,
        sub("    DL3 10 mg\n", "    DL3 10 mg\n    DL4 30 mg\n"),
        sub("= 0.1, 0.2, 0.3", "= 0.1, 0.2, 0.3, 0.4"),
        also=frozenset({"SCENARIO_CHANGED"}),
    ),
    row(
        "DOSE_LEVEL_ADDED",
        "added",
        S,
        True,
        False,
        sub("    DL2 3 mg\n", "    DL2 3 mg\n    DL2B 5 mg\n"),
        sub("= 0.1, 0.2, 0.3", "= 0.1, 0.2, 0.25, 0.3"),
        also=frozenset({"SCENARIO_CHANGED", "ESCALATION_DESIGN_CHANGED"}),
    ),
    Row(
        "DOSE_LEVEL_REMOVED",
        "lowered",
        S,
        True,
        False,
        old=(
            sub("    DL3 10 mg\n", "    DL3 10 mg\n    DL4 30 mg\n"),
            sub("= 0.1, 0.2, 0.3", "= 0.1, 0.2, 0.3, 0.4"),
        ),
        also=frozenset({"SCENARIO_CHANGED"}),
    ),
    row("DOSE_LEVEL_CHANGED", "raised", S, True, True, sub("    DL2 3 mg\n", "    DL2 5 mg\n")),
    row("DOSE_LEVEL_CHANGED", "lowered", S, True, False, sub("    DL2 3 mg\n", "    DL2 2 mg\n")),
    row("START_LEVEL_CHANGED", "raised", S, True, True, sub("start_level DL1", "start_level DL2")),
    Row("STEP_UP_ADDED", "added", S, True, True, old=(_STEP_UP,)),
    row("STEP_UP_REMOVED", "removed", S, True, True, _STEP_UP),
    row("STEP_UP_CHANGED", "raised", S, True, True, sub("day 1: 10 %", "day 1: 20 %")),
    row("STEP_UP_CHANGED", "lowered", S, True, False, sub("day 1: 10 %", "day 1: 5 %")),
    # ------------------------------------------------------------ assessments
    row("SAFETY_ASSESSMENT_ADDED", "added", S, True, True, _VITALS),
    removed("SAFETY_ASSESSMENT_REMOVED", S, True, True, _VITALS),
    row(
        "SAFETY_ASSESSMENT_VISITS_CHANGED",
        "removed",
        S,
        True,
        True,
        sub('"12-lead ECG"              at SCR, D1, D8', '"12-lead ECG"              at SCR, D1'),
    ),
    row(
        "SAFETY_ASSESSMENT_VISITS_CHANGED",
        "added",
        S,
        True,
        False,
        sub(
            '"12-lead ECG"              at SCR, D1, D8',
            '"12-lead ECG"              at SCR, D1, D8, D29',
        ),
    ),
    row("ASSESSMENT_ADDED", "added", R, True, False, _QUESTIONNAIRE),
    removed("ASSESSMENT_REMOVED", ROB, False, False, _QUESTIONNAIRE),
    row(
        "ASSESSMENT_VISITS_CHANGED",
        "added",
        REL,
        False,
        False,
        sub('"Pharmacokinetic sampling" at D1, D8', '"Pharmacokinetic sampling" at D1, D8, D29'),
    ),
    row(
        "ASSESSMENT_CHANGED",
        "changed",
        REL,
        False,
        False,
        sub('"Pharmacokinetic sampling"', '"Pharmacokinetic blood sampling"'),
    ),
    row(
        "ITEM_ADDED",
        "added",
        REL,
        False,
        False,
        after(
            '  alt quantity [IU]/L "Alanine aminotransferase"\n',
            "  plt quantity '10*9/L' \"Platelets\" for_reporting\n",
        ),
    ),
    removed(
        "ITEM_REMOVED",
        REL,
        False,
        False,
        after(
            '  alt quantity [IU]/L "Alanine aminotransferase"\n',
            "  plt quantity '10*9/L' \"Platelets\" for_reporting\n",
        ),
    ),
    row("ITEM_CHANGED", "changed", REL, False, False, sub("range 0 .. 300", "range 0 .. 250")),
    row("DERIVED_VALUE_ADDED", "added", REL, False, False, _NEW_DERIVE),
    removed("DERIVED_VALUE_REMOVED", REL, False, False, _NEW_DERIVE),
    row(
        "DERIVED_VALUE_CHANGED",
        "changed",
        REL,
        False,
        False,
        sub("= lookup(infection_risk, infection)", "= 2 * lookup(infection_risk, infection)"),
    ),
    Row(
        "CONVERSION_ADDED",
        "added",
        REL,
        False,
        False,
        new=(_ALT_CODE, _ALT_CONVERSION),
        old=(_ALT_CODE,),
    ),
    Row(
        "CONVERSION_REMOVED",
        "removed",
        REL,
        False,
        False,
        new=(_ALT_CODE,),
        old=(_ALT_CODE, _ALT_CONVERSION),
    ),
    Row(
        "CONVERSION_CHANGED",
        "changed",
        REL,
        False,
        False,
        new=(_ALT_CODE, _ALT_CONVERSION, sub("= 60 * value", "= 60.2 * value")),
        old=(_ALT_CODE, _ALT_CONVERSION),
    ),
    # the label of a conversion E1 depends on: not a change of how values are read
    Row(
        "CONVERSION_CHANGED",
        "reworded",
        ADM,
        False,
        False,
        new=(_HB_CODE, _HB_CONVERSION, sub('"Haemoglobin: mmol/L to g/L"', '"Hb (mmol/L)"')),
        old=(_HB_CODE, _HB_CONVERSION),
    ),
    Row(
        "CONVERSION_CHANGED",
        "reworded",
        ADM,
        False,
        False,
        new=(_HB_CODE, _HB_CONVERSION, sub("= 16.1 * value", "= value * 16.1")),
        old=(_HB_CODE, _HB_CONVERSION),
    ),
    Row(
        "LOG_NONE_QUESTION_CHANGED",
        "added",
        REL,
        False,
        False,
        new=(_PROCEDURES, _NONE_QUESTION),
        old=(_PROCEDURES,),
    ),
    Row(
        "LOG_NONE_QUESTION_CHANGED",
        "removed",
        REL,
        False,
        False,
        new=(_PROCEDURES,),
        old=(_PROCEDURES, _NONE_QUESTION),
    ),
    Row(
        "LOG_NONE_QUESTION_CHANGED",
        "changed",
        REL,
        False,
        False,
        new=(_PROCEDURES, _NONE_QUESTION, sub(".any_procedures {", ".any_surgery {")),
        old=(_PROCEDURES, _NONE_QUESTION),
    ),
    row("SCORE_ADDED", "added", REL, False, False, _VARIANT),
    removed("SCORE_REMOVED", REL, False, False, _VARIANT),
    Row(
        "SCORE_CHANGED",
        "changed",
        REL,
        False,
        False,
        new=(_VARIANT, sub("without arthritis", "without rash")),
        old=(_VARIANT,),
    ),
    # ------------------------------------------------------------ statistics and oversight
    row(
        "SAMPLE_SIZE_CHANGED",
        "raised",
        ROB,
        True,
        False,
        sub("enrolment    18", "enrolment    24"),
        after('  decided_by "Safety Monitoring Committee"\n', "  expansion 6\n"),
    ),
    row(
        "SAMPLE_SIZE_CHANGED",
        "raised",
        ROB,
        True,
        True,
        sub("enrolment    18", "enrolment    24"),
        after('  decided_by "Safety Monitoring Committee"\n', "  expansion 6\n"),
        phase="2",
    ),
    row(
        "MONITORING_COMMITTEE_CHANGED",
        "changed",
        S,
        True,
        True,
        sub('"Safety Monitoring Committee"', '"Independent Data Monitoring Committee"'),
    ),
    # ------------------------------------------------------------ appendix
    row("CODELIST_ADDED", "added", ADM, False, False, _NEW_CODELIST),
    removed("CODELIST_REMOVED", ADM, False, False, _NEW_CODELIST),
    row("CODELIST_VALUE_ADDED", "added", REL, False, False, _BIOLOGIC),
    removed("CODELIST_VALUE_REMOVED", REL, False, False, _BIOLOGIC),
    row(
        "CODELIST_CHANGED",
        "changed",
        ADM,
        False,
        False,
        sub('hiv "HIV infection"', 'hiv "Human immunodeficiency virus infection"'),
    ),
    row("LOOKUP_TABLE_ADDED", "added", ADM, False, False, _NEW_TABLE),
    removed("LOOKUP_TABLE_REMOVED", ADM, False, False, _NEW_TABLE),
    row("LOOKUP_VALUE_CHANGED", "raised", REL, False, False, sub("  tb  2\n", "  tb  4\n")),
    row(
        "LOOKUP_TABLE_CHANGED",
        "changed",
        ADM,
        False,
        False,
        after("  keys infection\n", '  version "2"\n'),
    ),
    row("DEFINITION_ADDED", "added", ADM, False, False, _NEW_DEFINE),
    removed("DEFINITION_REMOVED", ADM, False, False, _NEW_DEFINE),
    row(
        "DEFINITION_CHANGED",
        "widened",
        REL,
        False,
        False,
        sub("labs.alt at D29 > 120 [IU]/L", "labs.alt at D29 > 100 [IU]/L"),
    ),
    row(
        "DEFINITION_CHANGED",
        "reworded",
        REL,
        False,
        False,
        sub('"ALT above 120 IU/L" =', '"ALT above 120 IU/L at day 29" ='),
    ),
    # ------------------------------------------------------------ narrative sections
    row("NARRATIVE_ADDED", "added", ADM, False, False, _NARRATIVE),
    removed("NARRATIVE_REMOVED", ADM, False, False, _NARRATIVE),
    Row(
        "NARRATIVE_CHANGED",
        "reworded",
        ADM,
        False,
        False,
        new=(_NARRATIVE, sub("a chronic autoimmune disease", "a chronic, relapsing disease")),
        old=(_NARRATIVE,),
    ),
    # ------------------------------------------------------------ analysis sets, estimands, statistics
    row("ANALYSIS_SET_ADDED", "added", ROB, True, False, _POPULATION),
    removed("ANALYSIS_SET_REMOVED", ROB, True, False, _POPULATION),
    Row(
        "ANALYSIS_SET_CHANGED",
        "changed",
        ROB,
        True,
        False,
        new=(_POPULATION, sub("= age >= 18\n", "= age >= 21\n")),
        old=(_POPULATION,),
    ),
    *_estimand_rows(),
    row("SAMPLE_SIZE_ASSUMPTIONS_ADDED", "added", ROB, True, False, _STATISTICS),
    removed("SAMPLE_SIZE_ASSUMPTIONS_REMOVED", ROB, True, False, _STATISTICS),
    Row(
        "SAMPLE_SIZE_ASSUMPTIONS_CHANGED",
        "raised",
        ROB,
        True,
        False,
        new=(_STATISTICS, sub("    power 0.8\n", "    power 0.9\n")),
        old=(_STATISTICS,),
    ),
    Row(
        "STATISTICAL_ANALYSIS_CHANGED",
        "added",
        ROB,
        True,
        False,
        new=(_STATISTICS, after("    p2    0.6\n  }\n", '  analysis "Fisher exact test"\n')),
        old=(_STATISTICS,),
    ),
    Row("MAPPING_ADDED", "added", REL, False, False, old=(_MAPPING,)),
    row("MAPPING_REMOVED", "removed", REL, False, False, _MAPPING),
    row(
        "MAPPING_CHANGED",
        "changed",
        REL,
        False,
        False,
        sub('"LBTESTCD" = "HGB"', '"LBTESTCD" = "HB"'),
    ),
    Row(
        "LOG_COMPLETENESS_CHANGED",
        "added",
        REL,
        False,
        False,
        new=(_PROCEDURES, _complete("procedures")),
        old=(_PROCEDURES,),
    ),
    Row(
        "LOG_COMPLETENESS_CHANGED",
        "removed",
        REL,
        False,
        False,
        new=(_PROCEDURES,),
        old=(_PROCEDURES, _complete("procedures")),
    ),
    Row(
        "LOG_COMPLETENESS_CHANGED",
        "changed",
        REL,
        False,
        False,
        new=(_PROCEDURES, _complete("procedures"), sub("procedures for DM", "procedures for PR")),
        old=(_PROCEDURES, _complete("procedures")),
    ),
    row("LIBRARY_ADDED", "added", ADM, False, False, _USE),
    removed("LIBRARY_REMOVED", ADM, False, False, _USE),
    row(
        "ANNOTATION_CHANGED",
        "added",
        ADM,
        False,
        False,
        sub(
            "  = age between 18 and 65\n",
            '  = age between 18 and 65\n  note "Ages are counted at the screening visit."\n',
        ),
    ),
    row(
        "SUPPRESSION_CHANGED",
        "added",
        ADM,
        False,
        False,
        sub(
            "  = age between 18 and 65\n",
            '  = age between 18 and 65\n  allow W0406 "The bounds follow the protocol text."\n',
        ),
    ),
    removed(
        "SUPPRESSION_CHANGED",
        ADM,
        False,
        False,
        sub(
            "  = age between 18 and 65\n",
            '  = age between 18 and 65\n  allow W0406 "The bounds follow the protocol text."\n',
        ),
    ),
    Row(
        "SUPPRESSION_CHANGED",
        "changed",
        ADM,
        False,
        False,
        new=(
            sub(
                "  = age between 18 and 65\n",
                '  = age between 18 and 65\n  allow W0406 "Agreed with the sponsor."\n',
            ),
        ),
        old=(
            sub(
                "  = age between 18 and 65\n",
                '  = age between 18 and 65\n  allow W0406 "The bounds follow the protocol text."\n',
            ),
        ),
    ),
)
