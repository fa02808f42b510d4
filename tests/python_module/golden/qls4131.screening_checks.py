"""Eligibility screening for one trial, generated from its protocol spec.

Standalone: the Python standard library only.  Subjects are JSON records:

    {"subject_id": "S001",
     "visits": {"SCR": "2025-01-06"},
     "forms": {"<form>": {"<visit>": {"<item>": value}}, "<repeating form>": [{…}, …]},
     "attestations": {"<criterion>": true}}

Use it as a module, ``screen(subject) -> dict``, or from the command line:

    python screening_checks.py subjects.jsonl      (JSON Lines, a JSON list, or - for stdin)

which prints one JSON line per subject.  Each criterion is met, not met or
unknown (three-valued logic: missing or invalid data never decides a
criterion); a subject is eligible when every inclusion is met and every
exclusion is not met, ineligible when one is decided against, and
indeterminate otherwise, with the data still needed ("needed": an item asked
only `when …` is not needed where its condition is false) and the values that
could not be read ("invalid": the field and why: invalid_value, out_of_range,
unit_not_ucum, unit_not_convertible, unit_other_scale).

Regenerate this file from the spec rather than editing it.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import json
import math
import re
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: Numbers are exact decimals: 20 + 20 mg/d is exactly 40 and 2 - 1.1 exactly 0.9;
#: a quotient is rounded to 28 significant digits (the default decimal context).
_D = Decimal


def _quotient(num, den):
    return Decimal(num) / den


TRIAL = "QLS4131_SLE_1B"

#: Visits of the schedule (values at other visits are not read).
VISITS = (
    "SCR",
    "D1",
    "D2",
    "D4",
    "D8",
    "D15",
    "D22",
    "D29",
    "D36",
    "W8",
    "W12",
    "W16",
    "W20",
    "W24",
    "ET",
    "UNS",
)

#: Forms by table name: (repeating, visits collected at, items).  An item is
#: (kind, unit, codes, low, high, visits, declared conversions).  A quantity converts from
#: any UCUM unit on its scale by UCUM's exact factor, and from another scale only through
#: a conversion the spec declares: (unit, (slope num, den), (intercept num, den)), which
#: reads a value recorded in that unit (or one of its scale) in the item's unit.
FORMS = {
    "demographics": (
        False,
        ("SCR",),
        {
            "birth_date": ("date", None, None, None, None, None, ()),
            "sex": ("choice", None, ("female", "male"), None, None, None, ()),
            "childbearing_potential": ("yes_no", None, None, None, None, None, ()),
        },
    ),
    "serology": (
        False,
        ("SCR", "D29", "W12", "W24"),
        {
            "ana_titer": ("titer", None, None, None, None, None, ()),
            "anti_dsdna": ("choice", None, ("positive", "negative"), None, None, None, ()),
            "anti_sm": ("choice", None, ("positive", "negative"), None, None, None, ()),
            "c3": ("quantity", "g/L", None, _D(0), _D(10), None, ()),
            "c3_lln": ("quantity", "g/L", None, _D(0), _D(10), None, ()),
            "c4": ("quantity", "g/L", None, _D(0), _D(5), None, ()),
            "c4_lln": ("quantity", "g/L", None, _D(0), _D(5), None, ()),
        },
    ),
    "vital_signs": (
        False,
        ("SCR", "D1", "D2", "D4", "D8", "D15", "D29", "W12", "W24"),
        {
            "systolic_bp": ("quantity", "mm[Hg]", None, _D(50), _D(250), None, ()),
            "diastolic_bp": ("quantity", "mm[Hg]", None, _D(30), _D(150), None, ()),
            "temperature": ("quantity", "Cel", None, _D(34), _D(43), None, ()),
        },
    ),
    "screening_labs": (
        False,
        ("SCR",),
        {
            "hba1c": (
                "quantity",
                "%",
                None,
                _D(3),
                _D(20),
                None,
                (("mmol/mol", (2287, 25000), (269, 125)),),
            ),
            "proteinuria": ("quantity", "g/d", None, _D(0), _D(30), None, ()),
            "egfr": ("quantity", "mL/min/{1.73_m2}", None, _D(0), _D(200), None, ()),
            "pregnancy_test": (
                "choice",
                None,
                ("positive", "negative"),
                None,
                None,
                None,
                (),
            ),
        },
    ),
    "screening_assessments": (
        False,
        ("SCR",),
        {
            "study_drug_allergy": ("yes_no", None, None, None, None, None, ()),
            "active_severe_npsle": ("yes_no", None, None, None, None, None, ()),
            "diabetes": ("yes_no", None, None, None, None, None, ()),
            "lactating": ("yes_no", None, None, None, None, None, ()),
            "any_medical_history": ("yes_no", None, None, None, None, None, ()),
            "any_medications": ("yes_no", None, None, None, None, None, ()),
        },
    ),
    "medical_history": (
        True,
        ("SCR",),
        {
            "condition": ("text", None, None, None, None, None, ()),
            "category": (
                "choice",
                None,
                (
                    "opportunistic_infection",
                    "malignancy",
                    "organ_transplant",
                    "autoimmune_disease",
                    "other",
                ),
                None,
                None,
                None,
                (),
            ),
            "onset": ("date", None, None, None, None, None, ()),
            "ongoing": ("yes_no", None, None, None, None, None, ()),
            "affects_efficacy_assessment": ("yes_no", None, None, None, None, None, ()),
        },
    ),
    "medications": (
        True,
        ("SCR", "D1"),
        {
            "agent": ("text", None, None, None, None, None, ()),
            "class": (
                "choice",
                None,
                (
                    "oral_corticosteroid",
                    "antimalarial",
                    "immunosuppressant",
                    "biologic",
                    "cell_or_gene_therapy",
                    "other",
                ),
                None,
                None,
                None,
                (),
            ),
            "glucocorticoid": (
                "choice",
                None,
                (
                    "prednisone",
                    "prednisolone",
                    "methylprednisolone",
                    "triamcinolone",
                    "hydrocortisone",
                    "cortisone",
                    "dexamethasone",
                    "betamethasone",
                    "deflazacort",
                ),
                None,
                None,
                None,
                (),
            ),
            "daily_dose": ("quantity", "mg/d", None, _D(0), _D(2000), None, ()),
            "route": (
                "choice",
                None,
                ("oral", "subcutaneous", "intravenous"),
                None,
                None,
                None,
                (),
            ),
            "ongoing": ("yes_no", None, None, None, None, None, ()),
            "dose_start": ("date", None, None, None, None, None, ()),
        },
    ),
    "exposure": (
        True,
        ("D1", "D4", "D8"),
        {
            "administered_on": ("date", None, None, None, None, None, ()),
            "dose": ("quantity", "mg", None, _D(0), _D(100), None, ()),
            "step": (
                "choice",
                None,
                ("first_step", "second_step", "target"),
                None,
                None,
                None,
                (),
            ),
        },
    ),
    "adverse_events": (
        True,
        (
            "D1",
            "D2",
            "D4",
            "D8",
            "D15",
            "D22",
            "D29",
            "D36",
            "W8",
            "W12",
            "W16",
            "W20",
            "W24",
            "ET",
            "UNS",
        ),
        {
            "term": ("text", None, None, None, None, None, ()),
            "onset": ("date", None, None, None, None, None, ()),
            "grade": ("integer", None, None, _D(1), _D(5), None, ()),
            "serious": ("yes_no", None, None, None, None, None, ()),
            "treatment_emergent": ("yes_no", None, None, None, None, None, ()),
            "dose_limiting": ("yes_no", None, None, None, None, None, ()),
        },
    ),
    "sle__sledai_2k_form": (
        False,
        ("SCR", "D1", "D29", "W12", "W24"),
        {
            "seizure": ("yes_no", None, None, None, None, None, ()),
            "psychosis": ("yes_no", None, None, None, None, None, ()),
            "organic_brain_syndrome": ("yes_no", None, None, None, None, None, ()),
            "visual_disturbance": ("yes_no", None, None, None, None, None, ()),
            "cranial_nerve_disorder": ("yes_no", None, None, None, None, None, ()),
            "lupus_headache": ("yes_no", None, None, None, None, None, ()),
            "cerebrovascular_accident": ("yes_no", None, None, None, None, None, ()),
            "vasculitis": ("yes_no", None, None, None, None, None, ()),
            "arthritis": ("yes_no", None, None, None, None, None, ()),
            "myositis": ("yes_no", None, None, None, None, None, ()),
            "urinary_casts": ("yes_no", None, None, None, None, None, ()),
            "hematuria": ("yes_no", None, None, None, None, None, ()),
            "proteinuria": ("yes_no", None, None, None, None, None, ()),
            "pyuria": ("yes_no", None, None, None, None, None, ()),
            "rash": ("yes_no", None, None, None, None, None, ()),
            "alopecia": ("yes_no", None, None, None, None, None, ()),
            "mucosal_ulcers": ("yes_no", None, None, None, None, None, ()),
            "pleurisy": ("yes_no", None, None, None, None, None, ()),
            "pericarditis": ("yes_no", None, None, None, None, None, ()),
            "low_complement": ("yes_no", None, None, None, None, None, ()),
            "increased_dna_binding": ("yes_no", None, None, None, None, None, ()),
            "fever": ("yes_no", None, None, None, None, None, ()),
            "thrombocytopenia": ("yes_no", None, None, None, None, None, ()),
            "leukopenia": ("yes_no", None, None, None, None, None, ()),
        },
    ),
    "sle__eular_acr_2019_form": (
        False,
        ("SCR",),
        {
            "ana_titer": ("titer", None, None, None, None, None, ()),
            "fever": ("yes_no", None, None, None, None, None, ()),
            "leukopenia": ("yes_no", None, None, None, None, None, ()),
            "thrombocytopenia": ("yes_no", None, None, None, None, None, ()),
            "autoimmune_hemolysis": ("yes_no", None, None, None, None, None, ()),
            "delirium": ("yes_no", None, None, None, None, None, ()),
            "psychosis": ("yes_no", None, None, None, None, None, ()),
            "seizure": ("yes_no", None, None, None, None, None, ()),
            "non_scarring_alopecia": ("yes_no", None, None, None, None, None, ()),
            "oral_ulcers": ("yes_no", None, None, None, None, None, ()),
            "subacute_or_discoid": ("yes_no", None, None, None, None, None, ()),
            "acute_cutaneous": ("yes_no", None, None, None, None, None, ()),
            "effusion": ("yes_no", None, None, None, None, None, ()),
            "acute_pericarditis": ("yes_no", None, None, None, None, None, ()),
            "joint_involvement": ("yes_no", None, None, None, None, None, ()),
            "proteinuria": ("yes_no", None, None, None, None, None, ()),
            "nephritis_class_2_or_5": ("yes_no", None, None, None, None, None, ()),
            "nephritis_class_3_or_4": ("yes_no", None, None, None, None, None, ()),
            "antiphospholipid": ("yes_no", None, None, None, None, None, ()),
            "low_c3": ("yes_no", None, None, None, None, None, ()),
            "low_c4": ("yes_no", None, None, None, None, None, ()),
            "anti_dsdna_or_sm": ("yes_no", None, None, None, None, None, ()),
            "diagnosis_date": ("date", None, None, None, None, None, ()),
        },
    ),
}

#: UCUM as the compiler reads it: atom -> (factor num, factor den, ((axis, exponent), …),
#: takes a prefix, offset num, offset den); prefix -> power of ten; limits.
_UCUM_ATOMS = {
    "m": (1, 1, ((0, 1),), True, 0, 1),
    "g": (1, 1, ((1, 1),), True, 0, 1),
    "s": (1, 1, ((2, 1),), True, 0, 1),
    "mol": (1, 1, ((3, 1),), True, 0, 1),
    "K": (1, 1, ((4, 1),), True, 0, 1),
    "cd": (1, 1, ((5, 1),), True, 0, 1),
    "A": (1, 1, ((6, 1),), True, 0, 1),
    "10*": (10, 1, (), False, 0, 1),
    "10^": (10, 1, (), False, 0, 1),
    "[pi]": (884279719003555, 281474976710656, (), False, 0, 1),
    "%": (1, 100, (), False, 0, 1),
    "[ppth]": (1, 1000, (), False, 0, 1),
    "[ppm]": (1, 1000000, (), False, 0, 1),
    "[ppb]": (1, 1000000000, (), False, 0, 1),
    "[pptr]": (1, 1000000000000, (), False, 0, 1),
    "rad": (1, 1, (), True, 0, 1),
    "sr": (1, 1, (), True, 0, 1),
    "deg": (176855943800711, 10133099161583616, (), False, 0, 1),
    "Hz": (1, 1, ((2, -1),), True, 0, 1),
    "N": (1000, 1, ((0, 1), (1, 1), (2, -2)), True, 0, 1),
    "Pa": (1000, 1, ((0, -1), (1, 1), (2, -2)), True, 0, 1),
    "J": (1000, 1, ((0, 2), (1, 1), (2, -2)), True, 0, 1),
    "W": (1000, 1, ((0, 2), (1, 1), (2, -3)), True, 0, 1),
    "C": (1, 1, ((2, 1), (6, 1)), True, 0, 1),
    "V": (1000, 1, ((0, 2), (1, 1), (2, -3), (6, -1)), True, 0, 1),
    "F": (1, 1000, ((0, -2), (1, -1), (2, 4), (6, 2)), True, 0, 1),
    "Ohm": (1000, 1, ((0, 2), (1, 1), (2, -3), (6, -2)), True, 0, 1),
    "S": (1, 1000, ((0, -2), (1, -1), (2, 3), (6, 2)), True, 0, 1),
    "Wb": (1000, 1, ((0, 2), (1, 1), (2, -2), (6, -1)), True, 0, 1),
    "T": (1000, 1, ((1, 1), (2, -2), (6, -1)), True, 0, 1),
    "H": (1000, 1, ((0, 2), (1, 1), (2, -2), (6, -2)), True, 0, 1),
    "lm": (1, 1, ((5, 1),), True, 0, 1),
    "lx": (1, 1, ((0, -2), (5, 1)), True, 0, 1),
    "Bq": (1, 1, ((2, -1),), True, 0, 1),
    "Gy": (1, 1, ((0, 2), (2, -2)), True, 0, 1),
    "Sv": (1, 1, ((0, 2), (2, -2)), True, 0, 1),
    "Ci": (37000000000, 1, ((2, -1),), True, 0, 1),
    "Cel": (1, 1, ((4, 1),), True, 5463, 20),
    "[degF]": (5, 9, ((4, 1),), False, 45967, 180),
    "L": (1, 1000, ((0, 3),), True, 0, 1),
    "l": (1, 1000, ((0, 3),), True, 0, 1),
    "ar": (100, 1, ((0, 2),), True, 0, 1),
    "t": (1000000, 1, ((1, 1),), True, 0, 1),
    "u": (8302701, 5000000000000000000000000000000, ((1, 1),), True, 0, 1),
    "min": (60, 1, ((2, 1),), False, 0, 1),
    "h": (3600, 1, ((2, 1),), False, 0, 1),
    "d": (86400, 1, ((2, 1),), False, 0, 1),
    "wk": (604800, 1, ((2, 1),), False, 0, 1),
    "mo": (2629800, 1, ((2, 1),), False, 0, 1),
    "mo_j": (2629800, 1, ((2, 1),), False, 0, 1),
    "mo_g": (2629746, 1, ((2, 1),), False, 0, 1),
    "mo_s": (318930372, 125, ((2, 1),), False, 0, 1),
    "a": (31557600, 1, ((2, 1),), False, 0, 1),
    "a_j": (31557600, 1, ((2, 1),), False, 0, 1),
    "a_g": (31556952, 1, ((2, 1),), False, 0, 1),
    "a_t": (3944615652, 125, ((2, 1),), False, 0, 1),
    "bar": (100000000, 1, ((0, -1), (1, 1), (2, -2)), True, 0, 1),
    "atm": (101325000, 1, ((0, -1), (1, 1), (2, -2)), False, 0, 1),
    "m[Hg]": (133322000, 1, ((0, -1), (1, 1), (2, -2)), True, 0, 1),
    "m[H2O]": (9806650, 1, ((0, -1), (1, 1), (2, -2)), True, 0, 1),
    "eV": (160217733, 1000000000000000000000000, ((0, 2), (1, 1), (2, -2)), True, 0, 1),
    "cal": (4184, 1, ((0, 2), (1, 1), (2, -2)), True, 0, 1),
    "cal_th": (4184, 1, ((0, 2), (1, 1), (2, -2)), True, 0, 1),
    "cal_IT": (20934, 5, ((0, 2), (1, 1), (2, -2)), True, 0, 1),
    "[Cal]": (4184000, 1, ((0, 2), (1, 1), (2, -2)), False, 0, 1),
    "[in_i]": (127, 5000, ((0, 1),), False, 0, 1),
    "[ft_i]": (381, 1250, ((0, 1),), False, 0, 1),
    "[yd_i]": (1143, 1250, ((0, 1),), False, 0, 1),
    "[mi_i]": (201168, 125, ((0, 1),), False, 0, 1),
    "[lb_av]": (45359237, 100000, ((1, 1),), False, 0, 1),
    "[oz_av]": (45359237, 1600000, ((1, 1),), False, 0, 1),
    "[gr]": (6479891, 100000000, ((1, 1),), False, 0, 1),
    "[stone_av]": (317514659, 50000, ((1, 1),), False, 0, 1),
    "[gal_us]": (473176473, 125000000000, ((0, 3),), False, 0, 1),
    "[qt_us]": (473176473, 500000000000, ((0, 3),), False, 0, 1),
    "[pt_us]": (473176473, 1000000000000, ((0, 3),), False, 0, 1),
    "[cup_us]": (473176473, 2000000000000, ((0, 3),), False, 0, 1),
    "[foz_us]": (473176473, 16000000000000, ((0, 3),), False, 0, 1),
    "[tbs_us]": (473176473, 32000000000000, ((0, 3),), False, 0, 1),
    "[tsp_us]": (157725491, 32000000000000, ((0, 3),), False, 0, 1),
    "eq": (1, 1, ((3, 1),), True, 0, 1),
    "osm": (1, 1, ((3, 1),), True, 0, 1),
    "kat": (1, 1, ((2, -1), (3, 1)), True, 0, 1),
    "U": (1, 60000000, ((2, -1), (3, 1)), True, 0, 1),
    "g%": (10000, 1, ((0, -3), (1, 1)), True, 0, 1),
    "[MET]": (7, 120000000000, ((0, 3), (1, -1), (2, -1)), False, 0, 1),
    "[diop]": (1, 1, ((0, -1),), False, 0, 1),
    "[iU]": (1, 1, ((7, 1),), True, 0, 1),
    "[IU]": (1, 1, ((7, 1),), True, 0, 1),
    "[arb'U]": (1, 1, ((8, 1),), False, 0, 1),
    "[USP'U]": (1, 1, ((9, 1),), False, 0, 1),
    "[GPL'U]": (1, 1, ((10, 1),), False, 0, 1),
    "[MPL'U]": (1, 1, ((11, 1),), False, 0, 1),
    "[APL'U]": (1, 1, ((12, 1),), False, 0, 1),
    "[beth'U]": (1, 1, ((13, 1),), False, 0, 1),
    "[anti'Xa'U]": (1, 1, ((14, 1),), False, 0, 1),
    "[todd'U]": (1, 1, ((15, 1),), False, 0, 1),
    "[dye'U]": (1, 1, ((16, 1),), False, 0, 1),
    "[smgy'U]": (1, 1, ((17, 1),), False, 0, 1),
    "[bdsk'U]": (1, 1, ((18, 1),), False, 0, 1),
    "[ka'U]": (1, 1, ((19, 1),), False, 0, 1),
    "[knk'U]": (1, 1, ((20, 1),), False, 0, 1),
    "[mclg'U]": (1, 1, ((21, 1),), False, 0, 1),
    "[tb'U]": (1, 1, ((22, 1),), False, 0, 1),
    "[CCID_50]": (1, 1, ((23, 1),), False, 0, 1),
    "[TCID_50]": (1, 1, ((24, 1),), False, 0, 1),
    "[EID_50]": (1, 1, ((25, 1),), False, 0, 1),
    "[PFU]": (1, 1, ((26, 1),), False, 0, 1),
    "[FFU]": (1, 1, ((27, 1),), False, 0, 1),
    "[CFU]": (1, 1, ((28, 1),), False, 0, 1),
    "[IR]": (1, 1, ((29, 1),), False, 0, 1),
    "[BAU]": (1, 1, ((30, 1),), False, 0, 1),
    "[AU]": (1, 1, ((31, 1),), False, 0, 1),
    "[Amb'a'1'U]": (1, 1, ((32, 1),), False, 0, 1),
    "[PNU]": (1, 1, ((33, 1),), False, 0, 1),
    "[Lf]": (1, 1, ((34, 1),), False, 0, 1),
    "[D'ag'U]": (1, 1, ((35, 1),), False, 0, 1),
    "[FEU]": (1, 1, ((36, 1),), False, 0, 1),
    "[ELU]": (1, 1, ((37, 1),), False, 0, 1),
    "[EU]": (1, 1, ((38, 1),), False, 0, 1),
    "[HPF]": (1, 1, ((39, 1),), False, 0, 1),
    "[LPF]": (1, 1, ((40, 1),), False, 0, 1),
    "[pH]": (1, 1, ((41, 1),), False, 0, 1),
}
_UCUM_PREFIXES = {
    "da": 1,
    "Y": 24,
    "Z": 21,
    "E": 18,
    "P": 15,
    "T": 12,
    "G": 9,
    "M": 6,
    "k": 3,
    "h": 2,
    "d": -1,
    "c": -2,
    "m": -3,
    "u": -6,
    "n": -9,
    "p": -12,
    "f": -15,
    "a": -18,
    "z": -21,
    "y": -24,
}
_UCUM_SURPRISING = ("pH", "ft", "pt")
_UCUM_AXES = 42
_UCUM_BASE = 7
_UCUM_MASS = 1
_UCUM_LENGTH = 0
_UCUM_AMOUNT = 3
_UCUM_BODY_MASS = ("kg", "[lb_av]")
_UCUM_MAX_EXPONENT = 99
_UCUM_MAX_DIGITS = 30

#: Criteria that an investigator attests (read from "attestations").
ATTESTED = ("I6",)

#: Forms whose name in the spec is not their table name (forms of a library).
NAMES = {
    "sle__eular_acr_2019_form": "sle.eular_acr_2019_form",
    "sle__sledai_2k_form": "sle.sledai_2k_form",
}

# ---------------------------------------------------------------- three-valued logic


def _not(a):
    return None if a is None else not a


def _and(*args):
    result = True
    for a in args:
        if a is False:
            return False
        if a is None:
            result = None
    return result


def _or(*args):
    result = False
    for a in args:
        if a is True:
            return True
        if a is None:
            result = None
    return result


_OPERATORS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _compare(op, a, b):
    if a is None or b is None:
        return None
    if isinstance(a, datetime.datetime) is not isinstance(b, datetime.datetime):
        a, b = _at_midnight(a), _at_midnight(b)  # a date is its day's start
    return _OPERATORS[op](a, b)


def _at_midnight(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _in(value, values):
    return None if value is None else value in values


def _known(value):
    return value is not None


def _if(condition, then, otherwise):
    """The branch the condition picks; with an unknown condition, the branches' common value."""
    if condition is True:
        return then
    if condition is False:
        return otherwise
    return then if then is not None and then == otherwise else None


# ---------------------------------------------------------------- numbers


def _arithmetic(op, a, b):
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None
    return Decimal(a) / b if isinstance(a, int) and isinstance(b, int) else a / b


def _negate(a):
    return None if a is None else -a


def _abs(a):
    return None if a is None else abs(a)


def _least(a, b):
    return None if a is None or b is None else min(a, b)


def _greatest(a, b):
    return None if a is None or b is None else max(a, b)


def _scale(value, num, den, offset_num, offset_den, digits):
    """``value * num / den + offset``, exactly (a repeating quotient to 28 digits)."""
    if value is None:
        return None
    x = Decimal(value)
    if num != 1:
        x = x * num
    if den != 1:
        x = x / den
    return x + Decimal(offset_num) / offset_den if offset_num else x


def _lookup(key, table):
    return None if key is None else table.get(key)


# ---------------------------------------------------------------- intervals
#
# A partly known number is (lo, hi); an unknown bound is infinite.  A
# comparison holds if it holds for the whole interval, fails if for none,
# and is unknown otherwise.

_INF = Decimal("Infinity")


def _point(value):
    return (-_INF, _INF) if value is None else (value, value)


def _compare_intervals(op, a, b):
    (a0, a1), (b0, b1) = a, b
    if op == "<":
        return True if a1 < b0 else False if a0 >= b1 else None
    if op == "<=":
        return True if a1 <= b0 else False if a0 > b1 else None
    if op == ">":
        return True if a0 > b1 else False if a1 <= b0 else None
    if op == ">=":
        return True if a0 >= b1 else False if a1 < b0 else None
    equal = True if a0 == a1 == b0 == b1 else False if a1 < b0 or b1 < a0 else None
    return equal if op == "=" else _not(equal)


def _known_interval(value):
    lo, hi = value
    return lo == hi and math.isfinite(lo)


def _collapse(value):
    lo, hi = value
    return lo if lo == hi and math.isfinite(lo) else None


def _weighted(weight, condition):
    return (weight if condition is True else 0, 0 if condition is False else weight)


def _interval_sum(*parts):
    return (sum(p[0] for p in parts), sum(p[1] for p in parts))


def _interval_max(*parts):
    return (max(p[0] for p in parts), max(p[1] for p in parts))


def _times(x, y):
    return 0 if x == 0 or y == 0 else x * y


def _interval_arithmetic(op, a, b):
    (a0, a1), (b0, b1) = a, b
    if op == "+":
        return (a0 + b0, a1 + b1)
    if op == "-":
        return (a0 - b1, a1 - b0)
    if op == "*":
        products = [_times(x, y) for x in (a0, a1) for y in (b0, b1)]
        return (min(products), max(products))
    if b0 <= 0 <= b1:
        return (-_INF, _INF)
    try:
        quotients = [Decimal(x) / y for x in (a0, a1) for y in (b0, b1)]
    except InvalidOperation:  # an unbounded part divided by an unbounded part
        return (-_INF, _INF)
    return (min(quotients), max(quotients))


def _interval_negate(value):
    return (-value[1], -value[0])


def _interval_scale(value, num, den, offset_num, offset_den, digits):
    lo, hi = value
    scale = [
        _scale(x, num, den, offset_num, offset_den, digits) if math.isfinite(x) else x
        for x in (lo, hi)
    ]
    return (scale[0], scale[1])


def _interval_if(condition, then, otherwise):
    if condition is True:
        return then
    if condition is False:
        return otherwise
    return then if then == otherwise else (-_INF, _INF)


# ---------------------------------------------------------------- records of repeating forms


def _any(records, condition):
    return _or(*(condition(r) for r in records))


def _all(records, condition):
    return _and(*(condition(r) for r in records))


def _count(records, condition):
    statuses = [condition(r) for r in records]
    return (sum(1 for c in statuses if c is True), sum(1 for c in statuses if c is not False))


def _total(records, condition, value, low, high):
    """A sum over records as (lo, hi): an unknown value is anywhere in low .. high, and a
    record that might count adds between min(0, value) and max(0, value)."""
    lo = hi = Decimal(0)
    for r in records:
        c = condition(r)
        if c is False:
            continue
        v = value(r)
        v0, v1 = (low, high) if v is None else (v, v)
        if c is True:
            lo += v0
            hi += v1
        else:
            lo += min(0, v0)
            hi += max(0, v1)
    return (lo, hi)


def _extreme(pick, records, condition, value):
    """The smallest or largest date, known only when no record is in doubt."""
    counted = []
    for r in records:
        c = condition(r)
        if c is None:
            return None
        if c:
            v = value(r)
            if v is None:
                return None
            counted.append(v)
    return pick(counted) if counted else None


def _extreme_interval(pick, records, condition, value, low, high):
    """The smallest (or largest) number as (lo, hi); unknown when no record surely counts."""
    certain, possible = [], []
    for r in records:
        c = condition(r)
        if c is False:
            continue
        v = value(r)
        (certain if c is True else possible).append((low, high) if v is None else (v, v))
    if not certain:
        return (-_INF, _INF)
    every = certain + possible
    if pick is min:
        return (min(b[0] for b in every), min(b[1] for b in certain))
    return (max(b[0] for b in certain), max(b[1] for b in every))


def _min_of(records, condition, value, low=None, high=None):
    if low is None:
        return _extreme(min, records, condition, value)
    return _extreme_interval(min, records, condition, value, low, high)


def _max_of(records, condition, value, low=None, high=None):
    if low is None:
        return _extreme(max, records, condition, value)
    return _extreme_interval(max, records, condition, value, low, high)


# ---------------------------------------------------------------- dates


def _date(text):
    return datetime.date.fromisoformat(text)


def _add_months(date, months):
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(date.day, last))


def _shift(date, days, months, seconds=None):
    """A date moved by whole days or months; a date and time by the exact ``seconds``."""
    if date is None:
        return None
    try:
        if months:
            if isinstance(date, datetime.datetime):
                moved = _add_months(date.date(), months)
                return None if moved is None else datetime.datetime.combine(moved, date.timetz())
            return _add_months(date, months)
        if seconds is not None and isinstance(date, datetime.datetime):
            return date + datetime.timedelta(seconds=float(seconds))
        return date + datetime.timedelta(days=days)
    except OverflowError:
        return None


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _months_forward(a, b):
    n = (b.year - a.year) * 12 + (b.month - a.month)
    while n > 0 and _add_months(a, n) > b:
        n -= 1
    return n


def _months_between(a, b):
    if a is None or b is None:
        return None
    a, b = _day(a), _day(b)
    return _months_forward(a, b) if b >= a else -_months_forward(b, a)


def _years_between(a, b):
    if a is None or b is None:
        return None
    a, b = _day(a), _day(b)
    return _months_forward(a, b) // 12 if b >= a else -(_months_forward(b, a) // 12)


def _days_between(a, b):
    if a is None or b is None:
        return None
    return (_day(b) - _day(a)).days


# ---------------------------------------------------------------- units found in the data
#
# A quantity may be recorded in any UCUM unit on the item's scale: the same dimension,
# the same kind of ratio for a pure number (% and mmol/mol are two scales), the same
# basis below the line (mL/min/{1.73_m2} is not mL/min).  The reader parses a unit with
# the tables below (those of the compiler that generated this file) and converts by
# UCUM's exact factor; another scale converts only through a declared conversion.


class _UnitError(Exception):
    """A unit text that is not UCUM."""


_UCUM_STOP = " \t\r\n./(){}"


def _ucum_tokens(text):
    """(kind, text, position) per token: . / ( ) "symbol" or "annotation"."""
    tokens = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "./()":
            tokens.append((char, char, i))
            i += 1
        elif char == "{":
            close = text.find("}", i + 1)
            if close < 0 or "{" in text[i + 1 : close]:
                raise _UnitError
            tokens.append(("annotation", text[i : close + 1], i))
            i = close + 1
        elif char == "}":
            raise _UnitError
        else:
            j = i
            while j < n and text[j] not in _UCUM_STOP and not text[j].isspace():
                if text[j] == "[":
                    close = text.find("]", j + 1)
                    if close < 0:
                        raise _UnitError
                    j = close + 1
                else:
                    j += 1
            tokens.append(("symbol", text[i:j], i))
            i = j
    return tokens


def _ucum_resolve(symbol):
    """(prefix, atom): a whole atom first, so that min, mo and cd are never prefixed."""
    atom = _UCUM_ATOMS.get(symbol)
    if atom is not None:
        return "", atom
    for prefix in _UCUM_PREFIXES:
        if symbol.startswith(prefix):
            atom = _UCUM_ATOMS.get(symbol[len(prefix) :])
            if atom is not None and atom[3]:
                return prefix, atom
    return None


def _ucum_vector(pairs):
    vector = [0] * _UCUM_AXES
    for axis, exponent in pairs:
        vector[axis] = exponent
    return tuple(vector)


def _ucum_split_exponent(run):
    j = len(run)
    while j > 0 and run[j - 1].isdigit():
        j -= 1
    if j == len(run):
        return run, None
    if j > 0 and run[j - 1] in "+-":
        j -= 1
    return run[:j], int(run[j:])


def _ucum_combine(left, right, sign):
    factor = left[0] * right[0] if sign > 0 else left[0] / right[0]
    dimension = tuple(a + sign * b for a, b in zip(left[1], right[1], strict=True))
    return factor, dimension, left[2] + tuple((s, sign * e) for s, e in right[2])


class _UcumParser:
    """UCUM's grammar read left to right, as the compiler reads it:

    term := ['/'] component (('.' | '/') component)*
    component := '(' term ')' | simple [annotation] | annotation | digits
    """

    def __init__(self, text):
        self.tokens = _ucum_tokens(text)
        self.index = 0
        self.simple_units = 0
        self.inverted = False
        self.offset_atoms = []

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.index += token is not None
        return token

    def parse(self):
        if not self.tokens:
            raise _UnitError
        value = self.term()
        if self.peek() is not None:
            raise _UnitError
        # offset scales (Cel, [degF]) are only ever the whole unit
        for _symbol, prefix, exponent in self.offset_atoms:
            if prefix or exponent is not None or self.inverted or self.simple_units > 1:
                raise _UnitError
        return value

    def term(self):
        token = self.peek()
        if token is not None and token[0] == "/":
            self.inverted = True
            value = (Fraction(1), (0,) * _UCUM_AXES, ())
        else:
            value = self.component()
        while (token := self.peek()) is not None and token[0] in (".", "/"):
            self.take()
            value = _ucum_combine(value, self.component(), 1 if token[0] == "." else -1)
        return value

    def component(self):
        token = self.take()
        if token is None:
            raise _UnitError
        kind = token[0]
        if kind == "(":
            value = self.term()
            close = self.take()
            if close is None or close[0] != ")":
                raise _UnitError
            return value
        if kind == "annotation":
            return (Fraction(1), (0,) * _UCUM_AXES, ())
        if kind != "symbol":
            raise _UnitError
        value = self.simple(token)
        following = self.peek()
        # an annotation right after a unit belongs to it (g{Hb})
        if (
            following is not None
            and following[0] == "annotation"
            and following[2] == token[2] + len(token[1])
        ):
            self.take()
        return value

    def simple(self, token):
        run = token[1]
        if sum(char.isdigit() for char in run) > _UCUM_MAX_DIGITS:
            raise _UnitError
        if run.isdigit():
            return self.number(token)
        symbol, exponent = _ucum_split_exponent(run)
        if symbol in _UCUM_SURPRISING:
            raise _UnitError  # valid UCUM that no protocol means (pH is picohenry)
        resolved = _ucum_resolve(symbol)
        if resolved is None:
            raise _UnitError
        prefix, atom = resolved
        if exponent is not None and abs(exponent) > _UCUM_MAX_EXPONENT:
            raise _UnitError
        self.simple_units += 1
        if atom[4]:
            self.offset_atoms.append((symbol, prefix, exponent))
        power = 1 if exponent is None else exponent
        base = Fraction(atom[0], atom[1]) * Fraction(10) ** _UCUM_PREFIXES.get(prefix, 0)
        dimension = tuple(power * e for e in _ucum_vector(atom[2]))
        return base**power, dimension, ((symbol, power),)

    def number(self, token):
        # UCUM numbers are integers: 1.73.m2 is no number anyone means
        after = self.tokens[self.index : self.index + 2]
        end = token[2] + len(token[1])
        if (
            len(after) == 2
            and after[0][0] == "."
            and after[0][2] == end
            and after[1][0] == "symbol"
            and after[1][1].isdigit()
            and after[1][2] == end + 1
        ):
            raise _UnitError
        value = int(token[1])
        if value == 0:
            raise _UnitError
        self.simple_units += 1
        return Fraction(value), (0,) * _UCUM_AXES, ((token[1], 1),)


_UNITS = {}


def _ucum(text):
    """(factor, offset, dimension, scale) of a unit text; raises _UnitError if not UCUM."""
    found = _UNITS.get(text)
    if found is None:
        found = _UNITS[text] = _ucum_read(text)
    if found is False:
        raise _UnitError
    return found


def _ucum_read(text):
    if ":" in text:
        return False  # a titer (1:80), not a unit
    try:
        parser = _UcumParser(text)
        factor, dimension, terms = parser.parse()
        size = factor.numerator / factor.denominator
    except (_UnitError, ValueError, ZeroDivisionError, OverflowError):
        return False
    if size == 0.0 or math.isinf(size):
        return False  # too large or too small a unit
    offset = Fraction(0)
    if parser.offset_atoms:
        atom = _UCUM_ATOMS[parser.offset_atoms[0][0]]
        offset = Fraction(atom[4], atom[5])
    ratio = _ucum_ratio(terms) if not any(dimension) else ""
    basis = tuple(sorted(a for a, side in _ucum_annotations(text) if side < 0))
    return factor, offset, dimension, (dimension, ratio, basis)


def _ucum_ratio(terms):
    """What a pure number is a ratio of: per body mass, mass, volume, amount, or nothing."""
    if any(power < 0 and symbol in _UCUM_BODY_MASS for symbol, power in terms):
        return "per body mass"
    up = [0] * _UCUM_BASE
    down = [0] * _UCUM_BASE
    for symbol, power in terms:
        resolved = None if symbol.isdigit() else _ucum_resolve(symbol)
        vector = _ucum_vector(resolved[1][2]) if resolved else (0,) * _UCUM_AXES
        for axis in range(_UCUM_BASE):
            e = vector[axis] * power
            if e > 0:
                up[axis] += e
            else:
                down[axis] -= e
    cancelled = [min(u, d) for u, d in zip(up, down, strict=True)]
    if cancelled[_UCUM_MASS]:
        return "mass ratio"
    if cancelled[_UCUM_LENGTH] >= 3:
        return "volume fraction"
    if cancelled[_UCUM_AMOUNT]:
        return "amount fraction"
    return "number"


def _ucum_annotations(text):
    """Each annotation with its side of the line: 1 above, -1 below (the basis)."""
    groups = [1]
    pending = 1
    last = 1
    found = []
    previous = None
    for token in _ucum_tokens(text):
        kind = token[0]
        if kind == "/":
            pending = -1
        elif kind == ".":
            pending = 1
        elif kind == "(":
            groups.append(groups[-1] * pending)
            pending = 1
        elif kind == ")":
            last = groups.pop() if len(groups) > 1 else 1
        elif kind == "symbol":
            last = groups[-1] * pending
            pending = 1
        else:
            attached = (
                previous is not None
                and previous[0] in ("symbol", ")")
                and previous[2] + len(previous[1]) == token[2]
            )
            if not attached:
                last = groups[-1] * pending
                pending = 1
            found.append((token[1], last))
        previous = token
    return found


def _same_scale(a, b):
    if a == b:
        return True
    try:
        return _ucum(a)[3] == _ucum(b)[3]
    except _UnitError:
        return False


def _factor(source, target):
    """UCUM's exact (factor, offset) from `source` to `target` of one dimension."""
    fa, oa, da, _ = _ucum(source)
    fb, ob, db, _ = _ucum(target)
    if da != db:
        raise _UnitError
    return fa / fb, (oa - ob) / fb


def _other_unit(number, given, item_unit, declared):
    """A value recorded in another unit, in the item's unit: by UCUM's factor on one scale,
    through a declared conversion across scales, never by a factor across scales."""
    if not _same_scale(given, item_unit):
        for unit, (slope_num, slope_den), (intercept_num, intercept_den) in declared:
            if given == unit or _same_scale(given, unit):
                slope = Fraction(slope_num, slope_den)
                intercept = Fraction(intercept_num, intercept_den)
                if given != unit:
                    factor, offset = _factor(given, unit)
                    slope, intercept = slope * factor, slope * offset + intercept
                converted = Fraction(number) * slope + intercept
                return Decimal(converted.numerator) / Decimal(converted.denominator)
        try:
            other_scale = _ucum(given)[2] == _ucum(item_unit)[2]
        except _UnitError:
            other_scale = False
        if other_scale:
            raise _Invalid("unit_other_scale")
    try:
        _ucum(given)
    except _UnitError:
        raise _Invalid("unit_not_ucum") from None
    try:
        factor, offset = _factor(given, item_unit)
    except _UnitError:
        raise _Invalid("unit_not_convertible") from None
    return _scale(
        number, factor.numerator, factor.denominator, offset.numerator, offset.denominator, None
    )


# ---------------------------------------------------------------- reading subject records


class _Invalid(Exception):
    """A value the item cannot hold: it is unknown.  The argument, if any, says why:
    out_of_range, unit_not_ucum, unit_not_convertible, unit_other_scale."""


def _problem(error):
    return error.args[0] if error.args else "invalid_value"


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TITER = re.compile(r"^\s*1\s*:\s*(\d+)\s*$")


def _missing(value):
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number(value):
    """A number as the exact decimal it is written as (a float as the decimal it prints as)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _Invalid
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            raise _Invalid from None
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid
        number = Decimal(repr(value))
    else:
        number = Decimal(value)
    if not number.is_finite() or abs(number) >= _LARGEST:
        raise _Invalid("out_of_range")  # numbers are less than 10^18 in magnitude
    return number


_LARGEST = Decimal(10) ** 18


def _in_range(number, low, high):
    if low is not None and not low <= number <= high:
        raise _Invalid("out_of_range")
    return number


def _read_date(value):
    if not isinstance(value, str):
        raise _Invalid
    text = value.strip()
    if len(text) < 10 or (len(text) > 10 and text[10] != "T"):
        raise _Invalid
    match = _ISO_DATE.match(text[:10])
    if match is None:
        raise _Invalid
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _Invalid from None


def _read_datetime(value):
    """An ISO date and time, its time part kept (a date alone is its day's start)."""
    if not isinstance(value, str):
        raise _Invalid
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _Invalid from None


def _read_yes_no(value):
    if value is True or value is False:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raise _Invalid


def _read_titer(value):
    denominator = _titer_denominator(value)
    if denominator > _TITER_LARGEST:
        raise _Invalid("out_of_range")  # titers are at most 1:2147483647 in every engine
    return denominator


def _titer_denominator(value):
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and math.isfinite(value) and value > 0 and value == int(value):
        return int(value)
    if isinstance(value, str):
        match = _TITER.match(value)
        if match is not None and int(match[1]) > 0:
            return int(match[1])
        if value.strip().isdigit() and int(value) > 0:
            return int(value)
    raise _Invalid


_TITER_LARGEST = 2**31 - 1


def _read_quantity(value, unit, low, high, declared):
    if isinstance(value, dict):
        if set(value) - {"value", "unit"} or "value" not in value:
            raise _Invalid
        if _missing(value["value"]):
            return None
        number = _number(value["value"])
        given = value.get("unit")
        item_unit = unit or "1"
        if given is None or given == item_unit or (isinstance(given, str) and not given.strip()):
            return _in_range(number, low, high)
        if not isinstance(given, str):
            raise _Invalid
        # exact decimal arithmetic: 1.1 g/L is 110 mg/dL, not 110.00000000000001
        return _in_range(_other_unit(number, given, item_unit, declared), low, high)
    return _in_range(_number(value), low, high)


def _read(column, value):
    """A recorded value as the rules read it; raises _Invalid when the item cannot hold it."""
    kind, unit, codes, low, high, _visits, declared = column
    if kind == "quantity":
        return _read_quantity(value, unit, low, high, declared)
    if kind in ("number", "integer"):
        if isinstance(value, dict):
            raise _Invalid
        number = _number(value)
        if kind == "integer" and number != int(number):
            raise _Invalid
        return _in_range(number, low, high)
    if kind == "date":
        return _read_date(value)
    if kind == "datetime":
        return _read_datetime(value)
    if kind == "yes_no":
        return _read_yes_no(value)
    if kind == "titer":
        return _read_titer(value)
    if kind == "choice":
        if isinstance(value, str) and value in codes:
            return value
        raise _Invalid
    if isinstance(value, (dict, list)):
        raise _Invalid
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid  # JSON's 1e400 arrives as inf: its written text is lost
        if value == int(value):
            return str(int(value))
    return str(value)


def _read_record(items, record, visit, problems, where):
    """The record's valid values; each value it cannot hold is said in `problems`
    (`where` names the record: "form at VISIT" or "form[index]")."""
    values = {}
    if not isinstance(record, dict):
        return values
    for name, value in record.items():
        column = items.get(name)
        if column is None or _missing(value):
            continue
        try:
            read = _read(column, value)
        except _Invalid as error:
            form, _, at = where.partition(" at ")
            field = f"{form}.{name} at {at}" if at else f"{form}.{name}"
            problems.append({"where": field, "problem": _problem(error)})
            continue
        if read is None:
            continue
        if visit is not None and column[5] is not None and visit not in column[5]:
            continue
        values[name] = read
    return values


class Subject:
    """One subject record, read: valid values only, every invalid one unknown."""

    def __init__(self, record, fallback_id="<no subject_id>"):
        if not isinstance(record, dict):
            record = {}
        subject_id = record.get("subject_id")
        if _missing(subject_id) or isinstance(subject_id, (dict, list, bool)):
            subject_id = fallback_id
        elif isinstance(subject_id, float) and subject_id.is_integer():  # inf is not
            subject_id = int(subject_id)
        self.subject_id = str(subject_id)
        self._visits = {}
        visits = record.get("visits")
        if isinstance(visits, dict):
            for visit, value in visits.items():
                if visit in VISITS and not _missing(value):
                    with contextlib.suppress(_Invalid):
                        self._visits[visit] = _read_date(value)
        self._values = {}
        self._records = {}
        self.problems = []
        forms = record.get("forms")
        if isinstance(forms, dict):
            for key, content in forms.items():
                table = str(key).replace(".", "__")
                if table not in FORMS or content is None:
                    continue
                repeating, form_visits, items = FORMS[table]
                if repeating:
                    if isinstance(content, list):
                        self._records[table] = [
                            _read_record(items, r, None, self.problems, f"{table}[{index}]")
                            for index, r in enumerate(content)
                        ]
                elif isinstance(content, dict):
                    for visit, values in content.items():
                        if visit in form_visits and values is not None:
                            where = f"{table} at {visit}"
                            self._values[(table, visit)] = _read_record(
                                items, values, visit, self.problems, where
                            )
        self._attested = {}
        attestations = record.get("attestations")
        if isinstance(attestations, dict):
            for criterion, value in attestations.items():
                if criterion in ATTESTED and not _missing(value):
                    try:
                        self._attested[criterion] = _read_yes_no(value)
                    except _Invalid as error:
                        where = f"attestations.{criterion}"
                        self.problems.append({"where": where, "problem": _problem(error)})

    def item(self, table, visit, item):
        return self._values.get((table, visit), {}).get(item)

    def records(self, table):
        return self._records.get(table, ())

    def visit(self, visit):
        return self._visits.get(visit)

    def attested(self, criterion):
        return self._attested.get(criterion)

    def needed(self, read):
        """What of a value a rule reads is missing, as data still needed (maybe nothing)."""
        kind = read[0]
        if kind == "item":
            table, visit, item = read[1:]
            name = NAMES.get(table, table)
            values = self._values.get((table, visit))
            if values is None:
                return [f"{name} at {visit}"]  # the form is not recorded at the visit
            if values.get(item) is None and self.asked(table, item, values) is not False:
                return [f"{name}.{item} at {visit}"]
            return []
        if kind == "field":
            table, item = read[1:]
            name = NAMES.get(table, table)
            return [
                f"{name}[{index}].{item}"
                for index, r in enumerate(self.records(table))
                if r.get(item) is None and self.asked(table, item, r) is not False
            ]
        if kind == "visit":
            return [] if self.visit(read[1]) is not None else [f"visits.{read[1]}"]
        if kind == "log":  # no record, and its question (if any) not answered no
            if self.records(read[1]):
                return []
            if len(read) == 2:
                return [f"{NAMES.get(read[1], read[1])} records"]
            question = ("item", *read[2:])
            if self.item(*question[1:]) is False:
                return []
            return [f"{NAMES.get(read[1], read[1])} records", *self.needed(question)]
        return [] if self.attested(read[1]) is not None else [f"attestations.{read[1]}"]

    def asked(self, table, item, record):
        """Whether `item` is asked of `record` (True without a `when …`, None if unknown)."""
        condition = ASKED.get((table, item))
        return True if condition is None else condition(self, record)


# ---------------------------------------------------------------- the criteria


def _criterion_1(s):
    return _and(
        _compare(
            ">=",
            _years_between(s.item("demographics", "SCR", "birth_date"), s.visit("SCR")),
            _D(18),
        ),
        _compare(
            "<=",
            _years_between(s.item("demographics", "SCR", "birth_date"), s.visit("SCR")),
            _D(70),
        ),
    )


def _criterion_2(s):
    return _and(
        _compare(">=", s.item("sle__eular_acr_2019_form", "SCR", "ana_titer"), 80),
        _compare_intervals(
            ">=",
            _interval_sum(
                _interval_max(
                    _weighted(_D(2), s.item("sle__eular_acr_2019_form", "SCR", "fever")),
                ),
                _interval_max(
                    _weighted(
                        _D(3),
                        s.item("sle__eular_acr_2019_form", "SCR", "leukopenia"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "thrombocytopenia"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "autoimmune_hemolysis"),
                    ),
                ),
                _interval_max(
                    _weighted(_D(2), s.item("sle__eular_acr_2019_form", "SCR", "delirium")),
                    _weighted(
                        _D(3),
                        s.item("sle__eular_acr_2019_form", "SCR", "psychosis"),
                    ),
                    _weighted(_D(5), s.item("sle__eular_acr_2019_form", "SCR", "seizure")),
                ),
                _interval_max(
                    _weighted(
                        _D(2),
                        s.item("sle__eular_acr_2019_form", "SCR", "non_scarring_alopecia"),
                    ),
                    _weighted(
                        _D(2),
                        s.item("sle__eular_acr_2019_form", "SCR", "oral_ulcers"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "subacute_or_discoid"),
                    ),
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "acute_cutaneous"),
                    ),
                ),
                _interval_max(
                    _weighted(_D(5), s.item("sle__eular_acr_2019_form", "SCR", "effusion")),
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "acute_pericarditis"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "joint_involvement"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "proteinuria"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__eular_acr_2019_form", "SCR", "nephritis_class_2_or_5"),
                    ),
                    _weighted(
                        _D(10),
                        s.item("sle__eular_acr_2019_form", "SCR", "nephritis_class_3_or_4"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(2),
                        s.item("sle__eular_acr_2019_form", "SCR", "antiphospholipid"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(3),
                        _or(
                            s.item("sle__eular_acr_2019_form", "SCR", "low_c3"),
                            s.item("sle__eular_acr_2019_form", "SCR", "low_c4"),
                        ),
                    ),
                    _weighted(
                        _D(4),
                        _and(
                            s.item("sle__eular_acr_2019_form", "SCR", "low_c3"),
                            s.item("sle__eular_acr_2019_form", "SCR", "low_c4"),
                        ),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "anti_dsdna_or_sm"),
                    ),
                ),
            ),
            _point(_D(10)),
        ),
        _compare_intervals(
            ">",
            _interval_sum(
                _interval_max(
                    _weighted(_D(2), s.item("sle__eular_acr_2019_form", "SCR", "fever")),
                ),
                _interval_max(
                    _weighted(
                        _D(3),
                        s.item("sle__eular_acr_2019_form", "SCR", "leukopenia"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "thrombocytopenia"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "autoimmune_hemolysis"),
                    ),
                ),
                _interval_max(
                    _weighted(_D(2), s.item("sle__eular_acr_2019_form", "SCR", "delirium")),
                    _weighted(
                        _D(3),
                        s.item("sle__eular_acr_2019_form", "SCR", "psychosis"),
                    ),
                    _weighted(_D(5), s.item("sle__eular_acr_2019_form", "SCR", "seizure")),
                ),
                _interval_max(
                    _weighted(
                        _D(2),
                        s.item("sle__eular_acr_2019_form", "SCR", "non_scarring_alopecia"),
                    ),
                    _weighted(
                        _D(2),
                        s.item("sle__eular_acr_2019_form", "SCR", "oral_ulcers"),
                    ),
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "subacute_or_discoid"),
                    ),
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "acute_cutaneous"),
                    ),
                ),
                _interval_max(
                    _weighted(_D(5), s.item("sle__eular_acr_2019_form", "SCR", "effusion")),
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "acute_pericarditis"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(6),
                        s.item("sle__eular_acr_2019_form", "SCR", "joint_involvement"),
                    ),
                ),
                _interval_max(
                    _weighted(
                        _D(4),
                        s.item("sle__eular_acr_2019_form", "SCR", "proteinuria"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__eular_acr_2019_form", "SCR", "nephritis_class_2_or_5"),
                    ),
                    _weighted(
                        _D(10),
                        s.item("sle__eular_acr_2019_form", "SCR", "nephritis_class_3_or_4"),
                    ),
                ),
            ),
            _point(_D(0)),
        ),
        _compare(
            "<=",
            s.item("sle__eular_acr_2019_form", "SCR", "diagnosis_date"),
            _shift(s.visit("SCR"), -84, 0),
        ),
    )


def _criterion_3(s):
    return _or(
        _compare(">=", s.item("serology", "SCR", "ana_titer"), 80),
        _compare("=", s.item("serology", "SCR", "anti_dsdna"), "positive"),
        _compare("=", s.item("serology", "SCR", "anti_sm"), "positive"),
    )


def _criterion_4(s):
    return _or(
        _compare_intervals(
            ">=",
            _interval_sum(
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "seizure")),
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "psychosis")),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "organic_brain_syndrome"),
                ),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "visual_disturbance"),
                ),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "cranial_nerve_disorder"),
                ),
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "lupus_headache")),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "cerebrovascular_accident"),
                ),
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "vasculitis")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "arthritis")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "myositis")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "urinary_casts")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "hematuria")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "proteinuria")),
                _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "pyuria")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "rash")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "alopecia")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "mucosal_ulcers")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "pleurisy")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "pericarditis")),
                _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "low_complement")),
                _weighted(
                    _D(2),
                    s.item("sle__sledai_2k_form", "SCR", "increased_dna_binding"),
                ),
                _weighted(_D(1), s.item("sle__sledai_2k_form", "SCR", "fever")),
                _weighted(_D(1), s.item("sle__sledai_2k_form", "SCR", "thrombocytopenia")),
                _weighted(_D(1), s.item("sle__sledai_2k_form", "SCR", "leukopenia")),
            ),
            _point(_D(8)),
        ),
        _and(
            _compare_intervals(
                ">=",
                _interval_sum(
                    _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "seizure")),
                    _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "psychosis")),
                    _weighted(
                        _D(8),
                        s.item("sle__sledai_2k_form", "SCR", "organic_brain_syndrome"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__sledai_2k_form", "SCR", "visual_disturbance"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__sledai_2k_form", "SCR", "cranial_nerve_disorder"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__sledai_2k_form", "SCR", "lupus_headache"),
                    ),
                    _weighted(
                        _D(8),
                        s.item("sle__sledai_2k_form", "SCR", "cerebrovascular_accident"),
                    ),
                    _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "vasculitis")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "arthritis")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "myositis")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "urinary_casts")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "hematuria")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "proteinuria")),
                    _weighted(_D(4), s.item("sle__sledai_2k_form", "SCR", "pyuria")),
                    _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "rash")),
                    _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "alopecia")),
                    _weighted(
                        _D(2),
                        s.item("sle__sledai_2k_form", "SCR", "mucosal_ulcers"),
                    ),
                    _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "pleurisy")),
                    _weighted(_D(2), s.item("sle__sledai_2k_form", "SCR", "pericarditis")),
                    _weighted(
                        _D(2),
                        s.item("sle__sledai_2k_form", "SCR", "low_complement"),
                    ),
                    _weighted(
                        _D(2),
                        s.item("sle__sledai_2k_form", "SCR", "increased_dna_binding"),
                    ),
                    _weighted(_D(1), s.item("sle__sledai_2k_form", "SCR", "fever")),
                    _weighted(
                        _D(1),
                        s.item("sle__sledai_2k_form", "SCR", "thrombocytopenia"),
                    ),
                    _weighted(_D(1), s.item("sle__sledai_2k_form", "SCR", "leukopenia")),
                ),
                _point(_D(6)),
            ),
            _or(
                _compare(
                    "<",
                    s.item("serology", "SCR", "c3"),
                    s.item("serology", "SCR", "c3_lln"),
                ),
                _compare(
                    "<",
                    s.item("serology", "SCR", "c4"),
                    s.item("serology", "SCR", "c4_lln"),
                ),
                _compare("=", s.item("serology", "SCR", "anti_dsdna"), "positive"),
            ),
        ),
    )


def _criterion_5(s):
    return _and(
        _if(
            _or(
                _any(s.records("medications"), lambda r: True),
                _and(
                    _known(s.item("screening_assessments", "SCR", "any_medications")),
                    _not(s.item("screening_assessments", "SCR", "any_medications")),
                ),
            ),
            _any(
                s.records("medications"),
                lambda r: _and(
                    r.get("ongoing"),
                    _in(
                        r.get("class"),
                        ("oral_corticosteroid", "antimalarial", "immunosuppressant"),
                    ),
                ),
            ),
            None,
        ),
        _or(
            _not(
                _if(
                    _or(
                        _any(s.records("medications"), lambda r: True),
                        _and(
                            _known(
                                s.item("screening_assessments", "SCR", "any_medications"),
                            ),
                            _not(s.item("screening_assessments", "SCR", "any_medications")),
                        ),
                    ),
                    _any(
                        s.records("medications"),
                        lambda r: _and(
                            _compare("=", r.get("class"), "oral_corticosteroid"),
                            r.get("ongoing"),
                        ),
                    ),
                    None,
                ),
            ),
            _compare_intervals(
                "<=",
                _interval_if(
                    _or(
                        _any(s.records("medications"), lambda r: True),
                        _and(
                            _known(
                                s.item("screening_assessments", "SCR", "any_medications"),
                            ),
                            _not(s.item("screening_assessments", "SCR", "any_medications")),
                        ),
                    ),
                    _total(
                        s.records("medications"),
                        lambda r: _and(
                            _compare("=", r.get("class"), "oral_corticosteroid"),
                            r.get("ongoing"),
                        ),
                        lambda r: _arithmetic(
                            "*",
                            r.get("daily_dose"),
                            _lookup(
                                r.get("glucocorticoid"),
                                {
                                    "prednisone": _D(1),
                                    "prednisolone": _D(1),
                                    "methylprednisolone": _D("1.25"),
                                    "triamcinolone": _D("1.25"),
                                    "hydrocortisone": _D("0.25"),
                                    "cortisone": _D("0.2"),
                                    "dexamethasone": _quotient(20, 3),
                                    "betamethasone": _quotient(20, 3),
                                    "deflazacort": _quotient(5, 6),
                                },
                            ),
                        ),
                        _D(0),
                        _D("13333.333333333334"),
                    ),
                    (_D(0), _INF),
                ),
                _point(_D(40)),
            ),
        ),
        _if(
            _or(
                _any(s.records("medications"), lambda r: True),
                _and(
                    _known(s.item("screening_assessments", "SCR", "any_medications")),
                    _not(s.item("screening_assessments", "SCR", "any_medications")),
                ),
            ),
            _all(
                s.records("medications"),
                lambda r: _or(
                    _not(
                        _and(
                            _compare("=", r.get("class"), "oral_corticosteroid"),
                            r.get("ongoing"),
                        ),
                    ),
                    _compare("<=", r.get("dose_start"), _shift(s.visit("D1"), -28, 0)),
                ),
            ),
            None,
        ),
        _if(
            _or(
                _any(s.records("medications"), lambda r: True),
                _and(
                    _known(s.item("screening_assessments", "SCR", "any_medications")),
                    _not(s.item("screening_assessments", "SCR", "any_medications")),
                ),
            ),
            _all(
                s.records("medications"),
                lambda r: _or(
                    _not(
                        _and(
                            _compare("=", r.get("class"), "antimalarial"),
                            r.get("ongoing"),
                        ),
                    ),
                    _compare("<=", r.get("dose_start"), _shift(s.visit("D1"), -28, 0)),
                ),
            ),
            None,
        ),
        _compare_intervals(
            "<=",
            _interval_if(
                _or(
                    _any(s.records("medications"), lambda r: True),
                    _and(
                        _known(s.item("screening_assessments", "SCR", "any_medications")),
                        _not(s.item("screening_assessments", "SCR", "any_medications")),
                    ),
                ),
                _count(
                    s.records("medications"),
                    lambda r: _and(
                        _compare("=", r.get("class"), "immunosuppressant"),
                        r.get("ongoing"),
                    ),
                ),
                (_D(0), _INF),
            ),
            _point(_D(1)),
        ),
        _if(
            _or(
                _any(s.records("medications"), lambda r: True),
                _and(
                    _known(s.item("screening_assessments", "SCR", "any_medications")),
                    _not(s.item("screening_assessments", "SCR", "any_medications")),
                ),
            ),
            _all(
                s.records("medications"),
                lambda r: _or(
                    _not(
                        _and(
                            _compare("=", r.get("class"), "immunosuppressant"),
                            r.get("ongoing"),
                        ),
                    ),
                    _compare("<=", r.get("dose_start"), _shift(s.visit("D1"), -28, 0)),
                ),
            ),
            None,
        ),
    )


def _criterion_6(s):
    return s.attested("I6")


def _criterion_7(s):
    return s.item("screening_assessments", "SCR", "study_drug_allergy")


def _criterion_8(s):
    return _or(
        s.item("screening_assessments", "SCR", "active_severe_npsle"),
        _compare_intervals(
            ">",
            _interval_sum(
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "seizure")),
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "psychosis")),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "organic_brain_syndrome"),
                ),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "visual_disturbance"),
                ),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "cranial_nerve_disorder"),
                ),
                _weighted(_D(8), s.item("sle__sledai_2k_form", "SCR", "lupus_headache")),
                _weighted(
                    _D(8),
                    s.item("sle__sledai_2k_form", "SCR", "cerebrovascular_accident"),
                ),
            ),
            _point(_D(0)),
        ),
    )


def _criterion_9(s):
    return _if(
        _or(
            _any(s.records("medical_history"), lambda r: True),
            _and(
                _known(s.item("screening_assessments", "SCR", "any_medical_history")),
                _not(s.item("screening_assessments", "SCR", "any_medical_history")),
            ),
        ),
        _any(
            s.records("medical_history"),
            lambda r: _and(
                _compare("=", r.get("category"), "autoimmune_disease"),
                r.get("affects_efficacy_assessment"),
            ),
        ),
        None,
    )


def _criterion_10(s):
    return _or(
        _compare(">=", s.item("vital_signs", "SCR", "systolic_bp"), _D(160)),
        _compare(">=", s.item("vital_signs", "SCR", "diastolic_bp"), _D(100)),
        _and(
            s.item("screening_assessments", "SCR", "diabetes"),
            _compare(">", s.item("screening_labs", "SCR", "hba1c"), _D(8)),
        ),
    )


def _criterion_11(s):
    return _or(
        _compare(">", s.item("screening_labs", "SCR", "proteinuria"), _D(3)),
        _compare("<", s.item("screening_labs", "SCR", "egfr"), _D(30)),
    )


def _criterion_12(s):
    return _if(
        _or(
            _any(s.records("medical_history"), lambda r: True),
            _and(
                _known(s.item("screening_assessments", "SCR", "any_medical_history")),
                _not(s.item("screening_assessments", "SCR", "any_medical_history")),
            ),
        ),
        _any(
            s.records("medical_history"),
            lambda r: _and(
                _compare("=", r.get("category"), "malignancy"),
                _or(
                    _and(
                        _compare(">=", r.get("onset"), _shift(s.visit("SCR"), 0, -60)),
                        _compare("<=", r.get("onset"), s.visit("SCR")),
                    ),
                    r.get("ongoing"),
                ),
            ),
        ),
        None,
    )


def _criterion_13(s):
    return _if(
        _or(
            _any(s.records("medical_history"), lambda r: True),
            _and(
                _known(s.item("screening_assessments", "SCR", "any_medical_history")),
                _not(s.item("screening_assessments", "SCR", "any_medical_history")),
            ),
        ),
        _any(
            s.records("medical_history"),
            lambda r: _compare("=", r.get("category"), "organ_transplant"),
        ),
        None,
    )


def _criterion_14(s):
    return _if(
        _or(
            _any(s.records("medical_history"), lambda r: True),
            _and(
                _known(s.item("screening_assessments", "SCR", "any_medical_history")),
                _not(s.item("screening_assessments", "SCR", "any_medical_history")),
            ),
        ),
        _any(
            s.records("medical_history"),
            lambda r: _and(
                _compare("=", r.get("category"), "opportunistic_infection"),
                _or(
                    _and(
                        _compare(">=", r.get("onset"), _shift(s.visit("D1"), -84, 0)),
                        _compare("<=", r.get("onset"), s.visit("D1")),
                    ),
                    r.get("ongoing"),
                ),
            ),
        ),
        None,
    )


def _criterion_15(s):
    return _if(
        _or(
            _any(s.records("medications"), lambda r: True),
            _and(
                _known(s.item("screening_assessments", "SCR", "any_medications")),
                _not(s.item("screening_assessments", "SCR", "any_medications")),
            ),
        ),
        _any(
            s.records("medications"),
            lambda r: _compare("=", r.get("class"), "cell_or_gene_therapy"),
        ),
        None,
    )


def _criterion_16(s):
    return _and(
        _compare("=", s.item("demographics", "SCR", "sex"), "female"),
        _or(
            _and(
                s.item("demographics", "SCR", "childbearing_potential"),
                _compare(
                    "=",
                    s.item("screening_labs", "SCR", "pregnancy_test"),
                    "positive",
                ),
            ),
            s.item("screening_assessments", "SCR", "lactating"),
        ),
    )


def _asked_1(s, r):
    return _compare("=", r.get("sex"), "female")


def _asked_2(s, r):
    return s.item("demographics", "SCR", "childbearing_potential")


def _asked_3(s, r):
    return _compare("=", s.item("demographics", "SCR", "sex"), "female")


def _asked_4(s, r):
    return _compare("=", r.get("category"), "autoimmune_disease")


def _asked_5(s, r):
    return _compare("=", r.get("class"), "oral_corticosteroid")


def _asked_6(s, r):
    return _compare("=", r.get("class"), "oral_corticosteroid")


#: (id, inclusion or exclusion, rule, what the rule reads).
CRITERIA = (
    (
        "I1",
        "inclusion",
        _criterion_1,
        (("item", "demographics", "SCR", "birth_date"), ("visit", "SCR")),
    ),
    (
        "I2",
        "inclusion",
        _criterion_2,
        (
            ("item", "sle__eular_acr_2019_form", "SCR", "ana_titer"),
            ("item", "sle__eular_acr_2019_form", "SCR", "fever"),
            ("item", "sle__eular_acr_2019_form", "SCR", "leukopenia"),
            ("item", "sle__eular_acr_2019_form", "SCR", "thrombocytopenia"),
            ("item", "sle__eular_acr_2019_form", "SCR", "autoimmune_hemolysis"),
            ("item", "sle__eular_acr_2019_form", "SCR", "delirium"),
            ("item", "sle__eular_acr_2019_form", "SCR", "psychosis"),
            ("item", "sle__eular_acr_2019_form", "SCR", "seizure"),
            ("item", "sle__eular_acr_2019_form", "SCR", "non_scarring_alopecia"),
            ("item", "sle__eular_acr_2019_form", "SCR", "oral_ulcers"),
            ("item", "sle__eular_acr_2019_form", "SCR", "subacute_or_discoid"),
            ("item", "sle__eular_acr_2019_form", "SCR", "acute_cutaneous"),
            ("item", "sle__eular_acr_2019_form", "SCR", "effusion"),
            ("item", "sle__eular_acr_2019_form", "SCR", "acute_pericarditis"),
            ("item", "sle__eular_acr_2019_form", "SCR", "joint_involvement"),
            ("item", "sle__eular_acr_2019_form", "SCR", "proteinuria"),
            ("item", "sle__eular_acr_2019_form", "SCR", "nephritis_class_2_or_5"),
            ("item", "sle__eular_acr_2019_form", "SCR", "nephritis_class_3_or_4"),
            ("item", "sle__eular_acr_2019_form", "SCR", "antiphospholipid"),
            ("item", "sle__eular_acr_2019_form", "SCR", "low_c3"),
            ("item", "sle__eular_acr_2019_form", "SCR", "low_c4"),
            ("item", "sle__eular_acr_2019_form", "SCR", "anti_dsdna_or_sm"),
            ("item", "sle__eular_acr_2019_form", "SCR", "diagnosis_date"),
            ("visit", "SCR"),
        ),
    ),
    (
        "I3",
        "inclusion",
        _criterion_3,
        (
            ("item", "serology", "SCR", "ana_titer"),
            ("item", "serology", "SCR", "anti_dsdna"),
            ("item", "serology", "SCR", "anti_sm"),
        ),
    ),
    (
        "I4",
        "inclusion",
        _criterion_4,
        (
            ("item", "sle__sledai_2k_form", "SCR", "seizure"),
            ("item", "sle__sledai_2k_form", "SCR", "psychosis"),
            ("item", "sle__sledai_2k_form", "SCR", "organic_brain_syndrome"),
            ("item", "sle__sledai_2k_form", "SCR", "visual_disturbance"),
            ("item", "sle__sledai_2k_form", "SCR", "cranial_nerve_disorder"),
            ("item", "sle__sledai_2k_form", "SCR", "lupus_headache"),
            ("item", "sle__sledai_2k_form", "SCR", "cerebrovascular_accident"),
            ("item", "sle__sledai_2k_form", "SCR", "vasculitis"),
            ("item", "sle__sledai_2k_form", "SCR", "arthritis"),
            ("item", "sle__sledai_2k_form", "SCR", "myositis"),
            ("item", "sle__sledai_2k_form", "SCR", "urinary_casts"),
            ("item", "sle__sledai_2k_form", "SCR", "hematuria"),
            ("item", "sle__sledai_2k_form", "SCR", "proteinuria"),
            ("item", "sle__sledai_2k_form", "SCR", "pyuria"),
            ("item", "sle__sledai_2k_form", "SCR", "rash"),
            ("item", "sle__sledai_2k_form", "SCR", "alopecia"),
            ("item", "sle__sledai_2k_form", "SCR", "mucosal_ulcers"),
            ("item", "sle__sledai_2k_form", "SCR", "pleurisy"),
            ("item", "sle__sledai_2k_form", "SCR", "pericarditis"),
            ("item", "sle__sledai_2k_form", "SCR", "low_complement"),
            ("item", "sle__sledai_2k_form", "SCR", "increased_dna_binding"),
            ("item", "sle__sledai_2k_form", "SCR", "fever"),
            ("item", "sle__sledai_2k_form", "SCR", "thrombocytopenia"),
            ("item", "sle__sledai_2k_form", "SCR", "leukopenia"),
            ("item", "serology", "SCR", "c3"),
            ("item", "serology", "SCR", "c3_lln"),
            ("item", "serology", "SCR", "c4"),
            ("item", "serology", "SCR", "c4_lln"),
            ("item", "serology", "SCR", "anti_dsdna"),
        ),
    ),
    (
        "I5",
        "inclusion",
        _criterion_5,
        (
            ("log", "medications", "screening_assessments", "SCR", "any_medications"),
            ("field", "medications", "ongoing"),
            ("field", "medications", "class"),
            ("field", "medications", "daily_dose"),
            ("field", "medications", "glucocorticoid"),
            ("field", "medications", "dose_start"),
            ("visit", "D1"),
        ),
    ),
    ("I6", "inclusion", _criterion_6, (("attested", "I6"),)),
    (
        "E1",
        "exclusion",
        _criterion_7,
        (("item", "screening_assessments", "SCR", "study_drug_allergy"),),
    ),
    (
        "E2",
        "exclusion",
        _criterion_8,
        (
            ("item", "screening_assessments", "SCR", "active_severe_npsle"),
            ("item", "sle__sledai_2k_form", "SCR", "seizure"),
            ("item", "sle__sledai_2k_form", "SCR", "psychosis"),
            ("item", "sle__sledai_2k_form", "SCR", "organic_brain_syndrome"),
            ("item", "sle__sledai_2k_form", "SCR", "visual_disturbance"),
            ("item", "sle__sledai_2k_form", "SCR", "cranial_nerve_disorder"),
            ("item", "sle__sledai_2k_form", "SCR", "lupus_headache"),
            ("item", "sle__sledai_2k_form", "SCR", "cerebrovascular_accident"),
        ),
    ),
    (
        "E3",
        "exclusion",
        _criterion_9,
        (
            (
                "log",
                "medical_history",
                "screening_assessments",
                "SCR",
                "any_medical_history",
            ),
            ("field", "medical_history", "category"),
            ("field", "medical_history", "affects_efficacy_assessment"),
        ),
    ),
    (
        "E4",
        "exclusion",
        _criterion_10,
        (
            ("item", "vital_signs", "SCR", "systolic_bp"),
            ("item", "vital_signs", "SCR", "diastolic_bp"),
            ("item", "screening_assessments", "SCR", "diabetes"),
            ("item", "screening_labs", "SCR", "hba1c"),
        ),
    ),
    (
        "E5",
        "exclusion",
        _criterion_11,
        (
            ("item", "screening_labs", "SCR", "proteinuria"),
            ("item", "screening_labs", "SCR", "egfr"),
        ),
    ),
    (
        "E6",
        "exclusion",
        _criterion_12,
        (
            (
                "log",
                "medical_history",
                "screening_assessments",
                "SCR",
                "any_medical_history",
            ),
            ("field", "medical_history", "category"),
            ("field", "medical_history", "onset"),
            ("visit", "SCR"),
            ("field", "medical_history", "ongoing"),
        ),
    ),
    (
        "E7",
        "exclusion",
        _criterion_13,
        (
            (
                "log",
                "medical_history",
                "screening_assessments",
                "SCR",
                "any_medical_history",
            ),
            ("field", "medical_history", "category"),
        ),
    ),
    (
        "E8",
        "exclusion",
        _criterion_14,
        (
            (
                "log",
                "medical_history",
                "screening_assessments",
                "SCR",
                "any_medical_history",
            ),
            ("field", "medical_history", "category"),
            ("field", "medical_history", "onset"),
            ("visit", "D1"),
            ("field", "medical_history", "ongoing"),
        ),
    ),
    (
        "E9",
        "exclusion",
        _criterion_15,
        (
            ("log", "medications", "screening_assessments", "SCR", "any_medications"),
            ("field", "medications", "class"),
        ),
    ),
    (
        "E10",
        "exclusion",
        _criterion_16,
        (
            ("item", "demographics", "SCR", "sex"),
            ("item", "demographics", "SCR", "childbearing_potential"),
            ("item", "screening_labs", "SCR", "pregnancy_test"),
            ("item", "screening_assessments", "SCR", "lactating"),
        ),
    ),
)

#: Items asked only `when …`: (table, item) -> the condition over the subject and one
#: record (a log entry, or the form at a visit).  Where it is false the item is not applicable to
#: the record: not data still needed, though a rule reading it is not decided by it.
ASKED = {
    ("demographics", "childbearing_potential"): _asked_1,
    ("screening_labs", "pregnancy_test"): _asked_2,
    ("screening_assessments", "lactating"): _asked_3,
    ("medical_history", "affects_efficacy_assessment"): _asked_4,
    ("medications", "glucocorticoid"): _asked_5,
    ("medications", "daily_dose"): _asked_6,
}

_STATUS = {True: "met", False: "not_met", None: "unknown"}


def screen(record, fallback_id="<no subject_id>"):
    """Screen one subject record: status per criterion, overall status, data still needed."""
    subject = Subject(record, fallback_id)
    statuses = {}
    against = False
    undecided = False
    needed = {}
    for criterion_id, kind, rule, reads in CRITERIA:
        value = rule(subject)
        statuses[criterion_id] = _STATUS[value]
        if value is None:
            undecided = True
            for read in reads:
                needed.update(dict.fromkeys(subject.needed(read)))
        elif (kind == "inclusion" and value is False) or (kind == "exclusion" and value is True):
            against = True
    status = "ineligible" if against else "indeterminate" if undecided else "eligible"
    return {
        "subject_id": subject.subject_id,
        "status": status,
        "criteria": statuses,
        "needed": sorted(needed),
        "invalid": subject.problems,
    }


def _subjects(text, problems=None):
    """Subject records from JSON Lines, a JSON list, or one JSON object.

    A line of JSON Lines that is not JSON is skipped and said in `problems`.
    """
    try:
        data = json.loads(text)
    except ValueError:
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except ValueError as error:
                if problems is None:
                    raise
                problems.append(f"line {number}: not valid JSON ({error}); the line is skipped")
        return records
    return data if isinstance(data, list) else [data]


def _duplicates(results):
    """A warning per subject id that more than one record uses (each is screened alone)."""
    records = {}
    for number, result in results:
        records.setdefault(result["subject_id"], []).append(str(number))
    return [
        f"the subject id {subject_id} is used by {len(numbers)} records "
        f"({', '.join(numbers)}); each is screened on its own, none is merged"
        for subject_id, numbers in records.items()
        if len(numbers) > 1
    ]


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        usage = "usage: python screening_checks.py SUBJECTS.jsonl (or - for standard input)"
        print(usage, file=sys.stderr)
        return 2
    try:
        if args[0] == "-":
            text = sys.stdin.read()
        else:
            with open(args[0], encoding="utf-8") as handle:
                text = handle.read()
        problems = []
        subjects = _subjects(text, problems)
    except (OSError, ValueError) as error:
        print(f"cannot read subjects from {args[0]}: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    results = []
    for index, record in enumerate(subjects):
        if _witness_note(record):
            print(f"record {index + 1} is a note of protocol witness, skipped", file=sys.stderr)
            continue
        result = screen(record, f"<no subject_id: record {index + 1}>")
        results.append((index + 1, result))
        print(json.dumps(result, ensure_ascii=False))
    for warning in _duplicates(results):
        print(warning, file=sys.stderr)
    return 0


def _witness_note(record):
    """The entry `protocol witness` writes where it has no subject: not a subject."""
    if not isinstance(record, dict) or set(record) != {"witness"}:
        return False
    return isinstance(record["witness"], dict) and record["witness"].get("kind") == "unavailable"


if __name__ == "__main__":
    sys.exit(main())
