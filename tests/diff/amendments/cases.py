"""Realistic amendments of the QLS4131 protocol, classified before the tool was run.

Each case is a small edit of `specs/qls4131_sle_phase1b.trial` (or of a
library it uses), the way a sponsor's amendment would make it, with the
verdict a regulatory-affairs reviewer gives each change under EU CTR
536/2014 Art 2(2)(13) (read with the Commission's questions and answers on
substantial modifications: eligibility, dose, design, primary endpoints,
safety monitoring and sample size are typically substantial; editorial
corrections, clarifications and administrative details are not), and the
exit code `protocol diff` must give: 0 no change, 3 changes none
substantial, 4 a change substantial under EU CTR or under 21 CFR 312.30
(QLS4131 is phase 1b: for FDA, a change that significantly affects the
safety of subjects).

`expected` maps the change's target (as the diff names it) to whether it is
substantial under EU CTR; `why` is the reviewer's one-line reason.  These
verdicts were written from the regulations, not from the tool's output: the
test measures how often the tool agrees.
"""

from __future__ import annotations

import attrs

SPEC = "qls4131_sle_phase1b.trial"

Edit = tuple[str, str]


@attrs.frozen
class Amendment:
    id: str
    why: str
    edits: tuple[Edit, ...]
    #: target → substantial under EU CTR
    expected: dict[str, bool]
    exit_code: int
    #: the file the edits apply to, under specs/
    file: str = SPEC
    #: the whole file converted to CRLF line endings (no other edit)
    crlf: bool = False
    #: whole words replaced everywhere in `file`, as a search-and-replace renaming does
    words: tuple[Edit, ...] = ()
    #: edits of another file under specs/ (a library), each (file, (find, replace))
    elsewhere: tuple[tuple[str, Edit], ...] = ()


def case(
    id: str, why: str, expected: dict[str, bool], exit_code: int, *edits: Edit, **kw: object
) -> Amendment:
    return Amendment(id, why, tuple(edits), expected, exit_code, **kw)  # type: ignore[arg-type]


HISTORY_CATEGORY = (
    'codelist history_category "Medical history category" {\n'
    '  opportunistic_infection "Opportunistic infection"\n'
    '  malignancy              "Malignancy"\n'
    '  organ_transplant        "Vital organ transplantation"\n'
    '  autoimmune_disease      "Other autoimmune disease"\n'
    '  other                   "Other"\n'
    "}\n"
)

VITAL_SIGNS_ITEMS = (
    '  systolic_bp  quantity mm[Hg] "Systolic blood pressure"  range 50 .. 250 required [LOINC 8480-6]\n'
    '  diastolic_bp quantity mm[Hg] "Diastolic blood pressure" range 30 .. 150 required [LOINC 8462-4]\n'
    '  temperature  quantity Cel    "Body temperature"         range 34 .. 43 for_reporting [LOINC 8310-5]\n'
    "}\n"
)

_FEVER = (
    'exclusion E9 "Fever (body temperature of 38.5 °C or more) at screening;"\n'
    "  = vital_signs.temperature at SCR >= 38.5 Cel\n\n"
)

AMENDMENTS: tuple[Amendment, ...] = (
    # ------------------------------------------------------------ identity
    case(
        "insert-exclusion-and-renumber",
        "a new exclusion (fever) inserted as E9 and the old E9, E10 renumbered E10, E11: the "
        "new criterion changes who may enter (substantial); the renumbered ones are the same "
        "criteria (editorial)",
        {"E9": True, "E10": False, "E11": False},
        4,
        ('exclusion E10 "Pregnant', 'exclusion E11 "Pregnant'),
        ('exclusion E9 "Receipt', 'exclusion E10 "Receipt'),
        ("# An infection that began", _FEVER + "# An infection that began"),
    ),
    case(
        "renumber-only",
        "E10 renumbered E11 with nothing else changed: the same criterion under another number",
        {"E11": False},
        3,
        ('exclusion E10 "Pregnant', 'exclusion E11 "Pregnant'),
    ),
    case(
        "renumber-and-reword",
        "E10 renumbered E11 and 'lactating' written 'breastfeeding', the rule unchanged: the "
        "same subjects are excluded, a clarification",
        {"E11": False},
        3,
        (
            'exclusion E10 "Pregnant or lactating women."',
            'exclusion E11 "Pregnant or breastfeeding women."',
        ),
    ),
    case(
        "swap-inclusion-numbers",
        "I2 and I3 swap their numbers (the sponsor reorders the list): two renumberings, no "
        "change of who may enter",
        {"I2": False, "I3": False},
        3,
        ('inclusion I2 "Diagnosis', 'inclusion I9 "Diagnosis'),
        ('inclusion I3 "Participants with positive', 'inclusion I2 "Participants with positive'),
        ('inclusion I9 "Diagnosis', 'inclusion I3 "Diagnosis'),
    ),
    case(
        "reorder-declarations",
        "E6 and E7 listed in the other order, ids and content unchanged: no change at all",
        {},
        0,
        (
            'exclusion E6 "Participants with a history of malignancy within 5 years prior to '
            'screening;"\n'
            "  = any medical_history where category = malignancy\n"
            "      and (onset within 5 years before screening or ongoing = yes)\n\n"
            'exclusion E7 "Participants with a previous history of vital organ transplantation;"\n'
            "  = any medical_history where category = organ_transplant\n",
            'exclusion E7 "Participants with a previous history of vital organ transplantation;"\n'
            "  = any medical_history where category = organ_transplant\n\n"
            'exclusion E6 "Participants with a history of malignancy within 5 years prior to '
            'screening;"\n'
            "  = any medical_history where category = malignancy\n"
            "      and (onset within 5 years before screening or ongoing = yes)\n",
        ),
    ),
    # ------------------------------------------------------------ editorial
    case(
        "criterion-punctuation",
        "a semicolon at the end of E7 becomes a full stop: editorial",
        {"E7": False},
        3,
        ("vital organ transplantation;", "vital organ transplantation."),
    ),
    case(
        "sponsor-punctuation",
        "the sponsor's name punctuated differently ('Co. Ltd' for 'Co., Ltd.'): the same "
        "sponsor, an editorial correction",
        {"sponsor": False},
        3,
        ('"Qilu Pharmaceutical Co., Ltd."', '"Qilu Pharmaceutical Co. Ltd"'),
    ),
    case(
        "endpoint-abbreviation",
        "'(TEAEs)' added to the primary endpoint's label: the abbreviation of the words "
        "before it, the endpoint is unchanged",
        {"endpoint EP1": False},
        3,
        (
            '"Incidence of treatment-emergent adverse events"',
            '"Incidence of treatment-emergent adverse events (TEAEs)"',
        ),
    ),
    case(
        "attested-criterion-capitals",
        "'Informed Consent Form' written in lower case in the attested criterion I6: editorial",
        {"I6": False},
        3,
        ("sign the Informed Consent Form in person", "sign the informed consent form in person"),
    ),
    case(
        "title-case",
        "'Subjects With' written 'Subjects with' in the title: editorial",
        {"title": False},
        3,
        ("in Subjects With Systemic", "in Subjects with Systemic"),
    ),
    case(
        "secondary-endpoint-case",
        "a capital letter in a secondary endpoint's label: editorial",
        {"endpoint EP3": False},
        3,
        ('"Pharmacokinetic parameters (Cmax', '"Pharmacokinetic Parameters (Cmax'),
    ),
    case(
        "codelist-hyphen",
        "'Antimalarial' spelled 'Anti-malarial' in a code list label: editorial",
        {"code list therapy_class, value antimalarial": False},
        3,
        ('antimalarial         "Antimalarial"', 'antimalarial         "Anti-malarial"'),
    ),
    case(
        "crlf",
        "the spec saved with Windows line endings: not a change of the protocol at all",
        {},
        0,
        crlf=True,
    ),
    case(
        "version-and-date",
        "the protocol's version and date updated for the amendment: administrative",
        {"version": False, "version date": False},
        3,
        (
            'version                   "1.0" provisional',
            'version                   "2.0" provisional',
        ),
        ("version_date              2025-06-01", "version_date              2025-09-15"),
    ),
    case(
        "note-added",
        "a note explaining how E2 is read: it explains, it does not change the criterion",
        {"E2": False},
        3,
        (
            '  note "A CNS descriptor on the screening SLEDAI-2K is taken as active '
            'neuropsychiatric lupus."',
            '  note "A CNS descriptor on the screening SLEDAI-2K is taken as active '
            'neuropsychiatric lupus."\n  note "Assessed by the investigator at screening."',
        ),
    ),
    # ------------------------------------------------------------ meaning of rules
    case(
        "equivalent-age-rule",
        "'age between 18 and 70' written 'age >= 18 and age <= 70': the same subjects, a "
        "rewrite proved equivalent",
        {"I1": False},
        3,
        ("  = age between 18 and 70", "  = age >= 18 and age <= 70"),
    ),
    case(
        "reordered-disjunction",
        "the three ways of meeting I3 listed in another order: the same rule",
        {"I3": False},
        3,
        (
            "  = serology.ana_titer at SCR >= 1:80\n"
            "    or serology.anti_dsdna at SCR = positive\n"
            "    or serology.anti_sm at SCR = positive",
            "  = serology.anti_dsdna at SCR = positive\n"
            "    or serology.anti_sm at SCR = positive\n"
            "    or serology.ana_titer at SCR >= 1:80",
        ),
    ),
    case(
        "text-number-drift",
        "I1's text now says 75 years while its rule still says 70: the criterion as written "
        "changes the age range (substantial) and the text and the rule disagree",
        {"I1": True},
        4,
        ('"Aged 18 to 70 (inclusive);"', '"Aged 18 to 75 (inclusive);"'),
    ),
    case(
        "rule-number-drift",
        "I4's rule raised to SLEDAI-2K >= 10 while its text still says >= 8: eligibility "
        "narrowed (substantial in the EU) and the text no longer says what the rule does",
        {"I4": True},
        4,
        ("  = sle.sledai_2k at SCR >= 8\n", "  = sle.sledai_2k at SCR >= 10\n"),
    ),
    # ------------------------------------------------------------ eligibility
    case(
        "upper-age-widened",
        "upper age 70 → 75 in I1, text and rule, and the header: the age range is a typical "
        "substantial modification; widening exposes subjects previously excluded",
        {"I1": True, "maximum age": True},
        4,
        ('"Aged 18 to 70 (inclusive);"', '"Aged 18 to 75 (inclusive);"'),
        ("  = age between 18 and 70", "  = age between 18 and 75"),
        ("maximum_age               70 years", "maximum_age               75 years"),
    ),
    case(
        "blood-pressure-threshold-narrowed",
        "the exclusion's systolic threshold lowered 160 → 150 mmHg: more subjects excluded; a "
        "change of eligibility, substantial in the EU (not a safety issue for FDA phase 1)",
        {"E4": True},
        4,
        (
            "vital_signs.systolic_bp at SCR >= 160 mm[Hg]",
            "vital_signs.systolic_bp at SCR >= 150 mm[Hg]",
        ),
    ),
    case(
        "threshold-behind-define",
        "two conventional immunosuppressants allowed instead of one (a define I5 uses): "
        "eligibility widened",
        {"definition immunosuppressant_rule": True},
        4,
        (
            "  = count(medications where class = immunosuppressant and ongoing = yes) <= 1",
            "  = count(medications where class = immunosuppressant and ongoing = yes) <= 2",
        ),
    ),
    case(
        "lookup-value",
        "dexamethasone's prednisone factor 5/0.75 → 5/0.6 in the library I5 reads: the same "
        "dexamethasone dose counts as more prednisone, so fewer subjects meet the 40 mg cap: "
        "eligibility narrowed, substantial in the EU",
        {"table gc.prednisone_factor, dexamethasone": True},
        4,
        ("  dexamethasone      5/0.75\n", "  dexamethasone      5/0.6\n"),
        file="lib/glucocorticoids.trial",
    ),
    # ------------------------------------------------------------ schedule and safety
    case(
        "window-widened",
        "the week 12 visit window widened ±7 → ±10 days in follow-up: a logistic "
        "flexibility that changes no procedure and no safety assessment",
        {"visit W12": False},
        3,
        ("day 85 window -7 +7", "day 85 window -10 +10"),
    ),
    case(
        "ecg-dropped",
        "the day 2 ECG dropped: a safety assessment removed, substantial (21 CFR "
        "312.30(b)(1)(iii): a test to monitor safety dropped)",
        {"activity ecg": True},
        4,
        ("at SCR, D1, D2, D8, D29, W24, ET", "at SCR, D1, D8, D29, W24, ET"),
    ),
    case(
        "ecg-added",
        "an ECG added at day 15: more safety monitoring and a procedure more for the "
        "subjects; substantial",
        {"activity ecg": True},
        4,
        ("at SCR, D1, D2, D8, D29, W24, ET", "at SCR, D1, D2, D8, D15, D29, W24, ET"),
    ),
    case(
        "new-dose-level",
        "a dose level DL7 10 mg above the highest planned dose: an increase in dose, "
        "substantial everywhere; the simulation scenarios given a rate for it describe the "
        "design's operating characteristics, not what is done to subjects (not substantial)",
        {
            "dose level DL7": True,
            "scenario safe_profile": False,
            "scenario toxic_early": False,
        },
        4,
        ("    DL6 3 mg\n", "    DL6 3 mg\n    DL7 10 mg\n"),
        ("0.18, 0.3, 0.45\n", "0.18, 0.3, 0.45, 0.6\n"),
        ("0.6, 0.7, 0.8\n", "0.6, 0.7, 0.8, 0.9\n"),
    ),
    case(
        "dlt-window-shortened",
        "the DLT observation window shortened 28 → 21 days: less safety follow-up of each "
        "cohort before escalation, substantial",
        {"DLT window": True},
        4,
        ("dlt_window 28 days from target_dose", "dlt_window 21 days from target_dose"),
    ),
    case(
        "route-changed",
        "subcutaneous → intravenous: a change of the route of administration of the IMP, "
        "substantial",
        {"intervention QLS4131 route": True},
        4,
        ("  route          subcutaneous provisional", "  route          intravenous provisional"),
    ),
    case(
        "escalation-less-cautious",
        "the BOIN target toxicity rate raised 0.3 → 0.35: dose escalation less cautious, "
        "substantial",
        {"escalation parameter target": True},
        4,
        ("    target       0.3\n", "    target       0.35\n"),
    ),
    case(
        "enrolment-increased",
        "planned enrolment 108 → 150 through a larger expansion cohort (72 → 114): the "
        "sample size is a typical substantial modification",
        {"enrolment": True, "expansion": True},
        4,
        ("enrolment                 108", "enrolment                 150"),
        ("  expansion   72 provisional", "  expansion   114 provisional"),
    ),
    case(
        "primary-endpoint-changed",
        "the first primary endpoint becomes the incidence of dose-limiting toxicities: a "
        "primary endpoint changed, substantial",
        {"endpoint EP1": True},
        4,
        (
            '"Incidence of treatment-emergent adverse events"',
            '"Incidence of dose-limiting toxicities"',
        ),
    ),
    case(
        "safety-endpoint-shortened",
        "the safety endpoint's time frame shortened from 24 to 12 weeks: less safety "
        "follow-up, substantial",
        {"endpoint EP1": True},
        4,
        (
            '    timeframe "Up to 24 weeks"\n    until 24 weeks after first_dose\n'
            "    = count(adverse_events",
            '    timeframe "Up to 12 weeks"\n    until 12 weeks after first_dose\n'
            "    = count(adverse_events",
        ),
    ),
    # ------------------------------------------------------------ identity beyond criteria
    case(
        "item-rename",
        "the diastolic blood pressure item renamed dbp in the CRF (type, unit, label, range "
        "and LOINC code unchanged) and in E4 that reads it: the same datum is collected and "
        "the same subjects are excluded; an update of the EDC build, not substantial",
        {"item vital_signs.dbp": False},
        3,
        words=(("diastolic_bp", "dbp"),),
    ),
    case(
        "visit-renumber",
        "the week 12 visit renumbered V9 (the sponsor numbers visits in sequence), its day, "
        "window and assessments unchanged: the same visit under another name, not substantial",
        {"visit V9": False},
        3,
        words=(("W12", "V9"),),
    ),
    case(
        "endpoint-rename",
        "the exploratory endpoint EP5 renumbered EP6, its definition unchanged: the same "
        "endpoint, an editorial change",
        {"endpoint EP6": False},
        3,
        words=(("EP5", "EP6"),),
    ),
    case(
        "move-define-into-spec",
        "the EULAR/ACR classification rule moved from the SLE library into the protocol, "
        "word for word: the same rule decides I2; the move is shown at both places (the "
        "library and the protocol text change), an administrative change, not substantial",
        {"definition eular_acr_2019_classified": False},
        3,
        ("  = sle.eular_acr_2019_classified\n", "  = eular_acr_2019_classified\n"),
        (
            "# ------------------------------------------------------------------ eligibility\n",
            'define eular_acr_2019_classified "Classified as SLE by the 2019 EULAR/ACR '
            'criteria"\n'
            "  = sle.eular_acr_2019_entry and sle.eular_acr_2019 >= 10\n"
            "    and sle.eular_acr_2019.clinical > 0\n\n"
            "# ------------------------------------------------------------------ eligibility\n",
        ),
        elsewhere=(
            (
                "lib/sle.trial",
                (
                    'define eular_acr_2019_classified "Classified as SLE by the 2019 EULAR/ACR '
                    'criteria"\n'
                    "  = eular_acr_2019_entry and eular_acr_2019 >= 10 and "
                    "eular_acr_2019.clinical > 0\n",
                    "",
                ),
            ),
        ),
    ),
    case(
        "lookup-factor-narrowing",
        "prednisolone's prednisone factor 1 → 1.25 in the library I5 reads: the same "
        "prednisolone dose counts as more prednisone, so fewer subjects stay under the 40 mg "
        "cap: eligibility narrowed, substantial in the EU",
        {"table gc.prednisone_factor, prednisolone": True},
        4,
        ("  prednisolone       1\n", "  prednisolone       1.25\n"),
        file="lib/glucocorticoids.trial",
    ),
    case(
        "define-threshold-widening",
        "an antimalarial needs to be stable for 2 weeks instead of 4 before the first dose "
        "(the define I5 reads, its label and rule): subjects on a recently adjusted dose may "
        "now enter, eligibility widened, substantial",
        {"definition antimalarial_rule": True},
        4,
        (
            'define antimalarial_rule "Antimalarial at a stable dose for at least 4 weeks '
            'before the first dose"\n'
            "  = all medications where class = antimalarial and ongoing = yes\n"
            "      satisfy dose_start at least 4 weeks before first_dose",
            'define antimalarial_rule "Antimalarial at a stable dose for at least 2 weeks '
            'before the first dose"\n'
            "  = all medications where class = antimalarial and ongoing = yes\n"
            "      satisfy dose_start at least 2 weeks before first_dose",
        ),
    ),
    case(
        "move-codelist-into-library",
        "the route-of-administration code list moved from the protocol into the "
        "glucocorticoids library the medications form already reads, word for word, the "
        "item now `choice gc.route`: the same values are recorded on the same CRF field, "
        "where the terminology is kept is administrative (EU CTR: no impact on safety, "
        "rights or data), not substantial",
        {"code list gc.route": False},
        3,
        (
            'codelist route "Route of administration" {\n'
            '  oral         "Oral"         [CDISC C38288]\n'
            '  subcutaneous "Subcutaneous" [CDISC C38299]\n'
            '  intravenous  "Intravenous"  [CDISC C38276]\n'
            "}\n\n",
            "",
        ),
        ("choice route             ", "choice gc.route          "),
        elsewhere=(
            (
                "lib/glucocorticoids.trial",
                (
                    "\n# Factor that",
                    '\ncodelist route "Route of administration" {\n'
                    '  oral         "Oral"         [CDISC C38288]\n'
                    '  subcutaneous "Subcutaneous" [CDISC C38299]\n'
                    '  intravenous  "Intravenous"  [CDISC C38276]\n'
                    "}\n\n# Factor that",
                ),
            ),
        ),
    ),
    case(
        "move-codelist-into-library-with-a-value",
        "the medical-history categories moved into the SLE library, where the sponsor keeps "
        "them for its SLE trials, with a category for lupus nephritis added: the move is "
        "administrative; the new category changes how history is recorded, and E6, E7 and "
        "E8 name their categories, so no subject's eligibility moves (EU CTR: a data "
        "collection detail, not likely to have a substantial impact on the data)",
        {
            "code list sle.history_category": False,
            "code list sle.history_category, value lupus_nephritis": False,
        },
        3,
        (HISTORY_CATEGORY + "\n", ""),
        ("choice history_category", "choice sle.history_category"),
        elsewhere=(
            (
                "lib/sle.trial",
                (
                    'codelist positive_negative "',
                    HISTORY_CATEGORY.replace(
                        '  other                   "Other"\n',
                        '  lupus_nephritis         "Lupus nephritis"\n'
                        '  other                   "Other"\n',
                    )
                    + '\ncodelist positive_negative "',
                ),
            ),
        ),
    ),
    case(
        "form-rename",
        "the screening laboratory form renamed `labs_at_screening` everywhere (the EDC "
        "naming convention), its items, ranges and visit unchanged: the same tests on the "
        "same samples, a renamed CRF page, not substantial",
        {"form labs_at_screening": False},
        3,
        words=(("screening_labs", "labs_at_screening"),),
    ),
    case(
        "codelist-value-rename",
        "the medical-history category `organ_transplant` spelled `transplant`, its label "
        "'Vital organ transplantation' unchanged, and E7 reading it under its new name: the "
        "same history excludes the same subjects, a coded value renamed in the EDC, not "
        "substantial",
        {"code list history_category, value transplant": False},
        3,
        words=(("organ_transplant", "transplant"),),
    ),
    case(
        "move-form-into-library",
        "the vital signs form moved word for word into the SLE library (the sponsor's "
        "standard CRF pages), the protocol collecting it at the same visits and E4 reading "
        "it as sle.vital_signs: the same measurements at the same visits; where the page is "
        "declared is administrative, not substantial",
        {"form sle.vital_signs": False},
        3,
        (
            'form vital_signs "Vital signs" at SCR, D1, D2, D4, D8, D15, D29, W12, W24 {\n'
            + VITAL_SIGNS_ITEMS,
            "collect sle.vital_signs at SCR, D1, D2, D4, D8, D15, D29, W12, W24\n",
        ),
        ("= vital_signs.systolic_bp at SCR", "= sle.vital_signs.systolic_bp at SCR"),
        ("or vital_signs.diastolic_bp at SCR", "or sle.vital_signs.diastolic_bp at SCR"),
        # the SDTM mapping names the form where it now is
        ("  vital_signs.systolic_bp  ", "  sle.vital_signs.systolic_bp  "),
        ("  vital_signs.diastolic_bp ", "  sle.vital_signs.diastolic_bp "),
        ("  vital_signs.temperature  ", "  sle.vital_signs.temperature  "),
        elsewhere=(
            (
                "lib/sle.trial",
                (
                    "define eular_acr_2019_entry ",
                    'form vital_signs "Vital signs" {\n'
                    + VITAL_SIGNS_ITEMS
                    + "\ndefine eular_acr_2019_entry ",
                ),
            ),
        ),
    ),
)
