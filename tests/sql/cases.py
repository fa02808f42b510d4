"""Hand-written subject records of the real specs: one eligible subject each.

Differential tests start from these and change a few values at a time, so
that every criterion is met, not met or unknown while the others stay
decided (eligible, ineligible and indeterminate subjects all occur).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QLS4131 = ROOT / "specs" / "qls4131_sle_phase1b.trial"
CDISCPILOT01 = ROOT / "specs" / "cdiscpilot01.trial"

_NO_SLEDAI = {
    name: False
    for name in [
        "seizure",
        "psychosis",
        "organic_brain_syndrome",
        "visual_disturbance",
        "cranial_nerve_disorder",
        "lupus_headache",
        "cerebrovascular_accident",
        "vasculitis",
        "arthritis",
        "myositis",
        "urinary_casts",
        "hematuria",
        "proteinuria",
        "pyuria",
        "rash",
        "alopecia",
        "mucosal_ulcers",
        "pleurisy",
        "pericarditis",
        "low_complement",
        "increased_dna_binding",
        "fever",
        "thrombocytopenia",
        "leukopenia",
    ]
}
_NO_EULAR = {
    name: False
    for name in [
        "fever",
        "leukopenia",
        "thrombocytopenia",
        "autoimmune_hemolysis",
        "delirium",
        "psychosis",
        "seizure",
        "non_scarring_alopecia",
        "oral_ulcers",
        "subacute_or_discoid",
        "acute_cutaneous",
        "effusion",
        "acute_pericarditis",
        "joint_involvement",
        "proteinuria",
        "nephritis_class_2_or_5",
        "nephritis_class_3_or_4",
        "antiphospholipid",
        "low_c3",
        "low_c4",
        "anti_dsdna_or_sm",
    ]
}

#: Eligible for QLS4131: SLEDAI-2K 10 (rash, alopecia, arthritis, low complement),
#: 2019 EULAR/ACR 12 (acute cutaneous lupus, joint involvement), prednisone 10 mg/d
#: and hydroxychloroquine, both stable for months.
QLS4131_ELIGIBLE = {
    "subject_id": "QLS-ELIGIBLE",
    "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
    "forms": {
        "demographics": {"SCR": {"birth_date": "1980-05-01", "sex": "female"}},
        "serology": {
            "SCR": {
                "ana_titer": "1:160",
                "anti_dsdna": "positive",
                "anti_sm": "negative",
                "c3": 0.8,
                "c3_lln": {"value": 90, "unit": "mg/dL"},
                "c4": 0.2,
                "c4_lln": 0.1,
            }
        },
        "sle__sledai_2k_form": {
            "SCR": {
                **_NO_SLEDAI,
                "rash": True,
                "alopecia": "yes",
                "arthritis": True,
                "low_complement": True,
            }
        },
        "sle__eular_acr_2019_form": {
            "SCR": {
                **_NO_EULAR,
                "ana_titer": 160,
                "acute_cutaneous": True,
                "joint_involvement": True,
                "diagnosis_date": "2020-03-01",
            }
        },
        "vital_signs": {"SCR": {"systolic_bp": 120, "diastolic_bp": 80, "temperature": 36.8}},
        "screening_labs": {
            "SCR": {"hba1c": 5.5, "proteinuria": 0.5, "egfr": 90, "pregnancy_test": "negative"}
        },
        "screening_assessments": {
            "SCR": {
                "study_drug_allergy": False,
                "active_severe_npsle": False,
                "diabetes": False,
                "lactating": False,
            }
        },
        "medical_history": [
            {
                "condition": "Hypertension",
                "category": "other",
                "onset": "2015-01-01",
                "ongoing": True,
            }
        ],
        "medications": [
            {
                "agent": "Prednisone",
                "class": "oral_corticosteroid",
                "glucocorticoid": "prednisone",
                "daily_dose": 10,
                "route": "oral",
                "ongoing": "yes",
                "dose_start": "2024-10-01",
            },
            {
                "agent": "Hydroxychloroquine",
                "class": "antimalarial",
                "route": "oral",
                "ongoing": True,
                "dose_start": "2023-01-01",
            },
        ],
    },
    "attestations": {"I6": True},
}

#: Eligible for the CDISC pilot: a postmenopausal woman of 70 with MMSE 18.
CDISCPILOT01_ELIGIBLE = {
    "subject_id": "PILOT-ELIGIBLE",
    "visits": {"SCRN1": "2013-01-02", "BASELINE": "2013-01-16"},
    "forms": {
        "demographics": {"SCRN1": {"age": 70, "sex": "F", "postmenopausal": True}},
        "eligibility_assessments": {
            "SCRN1": {
                "probable_ad": True,
                "mmse_total": 18,
                "hachinski": 2,
                "imaging_compatible": True,
                "imaging_date": "2012-09-01",
                "prior_xanomeline": False,
                "ecg_listed_condition": False,
                "communication_disability": False,
            }
        },
        "screening_labs": {
            "SCRN1": {
                "above_range_iii": False,
                "folate": 10,
                "folate_lln": 3,
                "vitamin_b12": 400,
                "vitamin_b12_lln": 200,
                "tsh": 2,
                "tsh_lln": 0.4,
                "tsh_uln": 4,
                "syphilis": "negative",
                "hba1c": 5.6,
                "hba1c_uln": 6.0,
            }
        },
        "medical_history": [
            {"term": "Osteoarthritis", "category": "other", "onset": "2005-06-01", "ongoing": True}
        ],
        "concomitant_medications": [{"medication": "Aspirin", "class": "other", "ongoing": True}],
    },
    "attestations": {"INCL06": True, "INCL07": True, "INCL08": "yes"},
}

BASELINES = {QLS4131.name: QLS4131_ELIGIBLE, CDISCPILOT01.name: CDISCPILOT01_ELIGIBLE}
