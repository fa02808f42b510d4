"""The CDISC controlled terms a USDM export uses, by the spec's words.

Each term is the NCI concept code with a decode from its USDM value set
(CDISC Controlled Terminology, DDF and Protocol packages): the codelist CDISC's
USDM rules check the attribute against is named beside each table.  A spec
word with no term here is left out rather than mapped to a near miss.
"""

from __future__ import annotations

from typing import NamedTuple

CDISC = "http://www.cdisc.org"
#: the CT release the codes are taken from
CDISC_VERSION = "2024-09-27"


class Term(NamedTuple):
    code: str
    decode: str


# Epoch (C99079): the epoch's type, guessed from its name where the name says it
EPOCH_TYPES: dict[str, Term] = {
    "screening": Term("C202487", "Screening Epoch"),
    "run_in": Term("C98779", "Run-in Period"),
    "baseline": Term("C125938", "Baseline Epoch"),
    "treatment": Term("C101526", "Treatment Epoch"),
    "follow_up": Term("C202578", "Follow-Up Epoch"),
    "followup": Term("C202578", "Follow-Up Epoch"),
    "long_term_follow_up": Term("C202577", "Long-term Follow-up Epoch"),
    "washout": Term("C42872", "Washout Period"),
    "observation": Term("C165873", "Observation Study Epoch"),
    "extension": Term("C123452", "Continuation Therapy Epoch"),
}
#: an epoch whose name says nothing of its type: the generic intervention epoch
EPOCH_DEFAULT = Term("C209541", "Investigational Intervention Epoch")

# Encounter Type (C188728)
VISIT = Term("C25716", "Visit")
# Mode of Subject Contact (C171445)
IN_PERSON = Term("C175574", "In Person")
TELEPHONE = Term("C171537", "Telephone Call")

# Study Arm Type (C174222)
ARM_TYPES: dict[str, Term] = {
    "experimental": Term("C174266", "Investigational Arm"),
    "active": Term("C174267", "Active Comparator Arm"),
    "active_comparator": Term("C174267", "Active Comparator Arm"),
    "placebo": Term("C174268", "Placebo Control Arm"),
    "placebo_comparator": Term("C174268", "Placebo Control Arm"),
    "sham": Term("C174269", "Sham Comparator Arm"),
    "sham_comparator": Term("C174269", "Sham Comparator Arm"),
    "no_intervention": Term("C174270", "No Intervention Arm"),
}
ARM_DEFAULT = Term("C15538", "Protocol Treatment Arm")
# Study Arm Data Origin Type (C188727)
DATA_WITHIN_STUDY = Term("C188866", "Data Generated Within Study")

# Objective Level (C188725) and Endpoint Level (C188726)
OBJECTIVE_LEVELS: dict[str, Term] = {
    "primary": Term("C85826", "Trial Primary Objective"),
    "secondary": Term("C85827", "Trial Secondary Objective"),
    "exploratory": Term("C163559", "Trial Exploratory Objective"),
}
ENDPOINT_LEVELS: dict[str, Term] = {
    "primary": Term("C94496", "Primary Endpoint"),
    "secondary": Term("C139173", "Secondary Endpoint"),
    "exploratory": Term("C170559", "Exploratory Endpoint"),
}

# Category of Inclusion/Exclusion (C66797)
INCLUSION = Term("C25532", "Inclusion Criteria")
EXCLUSION = Term("C25370", "Exclusion Criteria")

# Study Type (C99077)
STUDY_TYPES: dict[str, Term] = {
    "interventional": Term("C98388", "Interventional Study"),
    "observational": Term("C16084", "Observational Study"),
    "expanded_access": Term("C98722", "Expanded Access Study"),
}

# Trial Phase (C66737), by the spec's phase as written
PHASES: dict[str, Term] = {
    "0": Term("C54721", "Early Phase 1 Trial"),
    "1": Term("C15600", "Phase I Trial"),
    "1a": Term("C199990", "Phase Ia Trial"),
    "1b": Term("C199989", "Phase Ib Trial"),
    "1/2": Term("C15693", "Phase I/II Trial"),
    "2": Term("C15601", "Phase II Trial"),
    "2a": Term("C49686", "Phase IIa Trial"),
    "2b": Term("C49688", "Phase IIb Trial"),
    "2/3": Term("C15694", "Phase II/III Trial"),
    "3": Term("C15602", "Phase III Trial"),
    "3a": Term("C49687", "Phase IIIa Trial"),
    "3b": Term("C49689", "Phase IIIb Trial"),
    "4": Term("C15603", "Phase IV Trial"),
    "na": Term("C48660", "Not Applicable"),
}

# Trial Blinding Schema (C66735)
BLINDING: dict[str, Term] = {
    "open_label": Term("C49659", "Open Label Study"),
    "single": Term("C28233", "Single Blind Study"),
    "double": Term("C15228", "Double Blind Study"),
    "triple": Term("C15228", "Double Blind Study"),
    "quadruple": Term("C15228", "Double Blind Study"),
}

# Intervention Model (C99076)
MODELS: dict[str, Term] = {
    "parallel": Term("C82639", "Parallel Study"),
    "crossover": Term("C82637", "Crossover Study"),
    "factorial": Term("C82638", "Factorial Study"),
    "sequential": Term("C142568", "Group Sequential Design"),
    "single_group": Term("C82640", "Single Group Study"),
}
MODEL_DEFAULT = MODELS["parallel"]

# Trial Intent Type (C66736), by the spec's purpose
INTENTS: dict[str, Term] = {
    "treatment": Term("C49656", "Treatment Study"),
    "prevention": Term("C49657", "Prevention Study"),
    "diagnostic": Term("C49653", "Diagnosis Study"),
    "supportive_care": Term("C71486", "Supportive Care Study"),
    "screening": Term("C71485", "Screening Study"),
    "health_services_research": Term("C15245", "Health Services Research"),
    "basic_science": Term("C15714", "Basic Research"),
    "device_feasibility": Term("C139174", "Device Feasibility Study"),
}

# Trial Type (C66739), by the spec's trial_type
TRIAL_TYPES: dict[str, Term] = {
    "safety": Term("C49667", "Safety Study"),
    "efficacy": Term("C49666", "Efficacy Study"),
    "pharmacokinetic": Term("C49663", "Pharmacokinetic Study"),
    "pharmacodynamic": Term("C49662", "Pharmacodynamic Study"),
    "immunogenicity": Term("C120842", "Immunogenicity Study"),
    "tolerability": Term("C98791", "Tolerability Study"),
    "dose_finding": Term("C158289", "Dose Finding Study"),
    "dose_response": Term("C127803", "Dose Response Study"),
    "bioavailability": Term("C49664", "Bioavailability Study"),
    "bioequivalence": Term("C49665", "Therapeutic Equivalency Study"),
}

# Study Design Characteristics (C207416)
RANDOMISED = Term("C46079", "Randomized Controlled Clinical Trial")
STRATIFIED = Term("C147145", "Stratified Randomization")

# Sex of Participants (C66732)
SEXES: dict[str, tuple[Term, ...]] = {
    "all": (Term("C16576", "Female"), Term("C20197", "Male")),
    "female": (Term("C16576", "Female"),),
    "male": (Term("C20197", "Male"),),
}

# Study Title Type (C207419)
OFFICIAL_TITLE = Term("C207616", "Official Study Title")
BRIEF_TITLE = Term("C207615", "Brief Study Title")
ACRONYM = Term("C207646", "Study Acronym")

# Organization Type (C188724)
SPONSOR_ORGANISATION = Term("C54149", "Pharmaceutical Company")
REGISTRY_ORGANISATION = Term("C93453", "Clinical Study Registry")
# Study Role Code (C215480)
SPONSOR_ROLE = Term("C70793", "Sponsor")
INVESTIGATOR_ROLE = Term("C25936", "Investigator")
SUBJECT_ROLE = Term("C41189", "Study Subject")
OUTCOMES_ASSESSOR_ROLE = Term("C207599", "Outcomes Assessor")
CARE_PROVIDER_ROLE = Term("C17445", "Care Provider")
#: the masking block's words for who is blinded, as study roles
MASKED_ROLES: dict[str, Term] = {
    "participant": SUBJECT_ROLE,
    "investigator": INVESTIGATOR_ROLE,
    "sponsor": SPONSOR_ROLE,
    "outcomes_assessor": OUTCOMES_ASSESSOR_ROLE,
    "care_provider": CARE_PROVIDER_ROLE,
}

# Study Intervention Role (C207417) and Type (C99078)
EXPERIMENTAL_INTERVENTION = Term("C41161", "Experimental Intervention")
PLACEBO_INTERVENTION = Term("C753", "Placebo")
ACTIVE_COMPARATOR_INTERVENTION = Term("C68609", "Active Comparator")
INTERVENTION_TYPES: dict[str, Term] = {
    "drug": Term("C1909", "Pharmacologic Substance"),
    "biological": Term("C307", "Biological Agent"),
    "device": Term("C16830", "Medical Device"),
    "procedure": Term("C98769", "Physical Medical Procedure"),
    "radiation": Term("C15313", "Radiation Therapy"),
    "behavioral": Term("C15184", "Behavioral Intervention"),
    "genetic": Term("C15238", "Gene Therapy"),
    "dietary_supplement": Term("C1505", "Dietary Supplement"),
    "combination_product": Term("C54696", "Combination Product"),
    "diagnostic_test": Term("C18020", "Diagnostic Procedure"),
}
INTERVENTION_TYPE_DEFAULT = Term("C1909", "Pharmacologic Substance")
# Product Designation (C207418)
IMP = Term("C202579", "Investigational Medicinal Product")

# Route of Administration (C66729)
ROUTES: dict[str, Term] = {
    "oral": Term("C38288", "Oral Route of Administration"),
    "intravenous": Term("C38276", "Intravenous Route of Administration"),
    "subcutaneous": Term("C38299", "Subcutaneous Route of Administration"),
    "intramuscular": Term("C28161", "Intramuscular Route of Administration"),
    "transdermal": Term("C38305", "Transdermal Route of Administration"),
    "topical": Term("C38304", "Topical Route of Administration"),
    "cutaneous": Term("C38675", "Cutaneous Route of Administration"),
    "nasal": Term("C38284", "Nasal Route of Administration"),
}

# Dosage Form (C66726): the first word of the spec's dosage form (or, without one,
# of its route) that names a form
DOSAGE_FORM_WORDS: tuple[tuple[str, Term], ...] = (
    ("patch", Term("C42968", "Patch Dosage Form")),
    ("transdermal", Term("C42968", "Patch Dosage Form")),
    ("tablet", Term("C42998", "Tablet Dosage Form")),
    ("capsule", Term("C25158", "Capsule Dosage Form")),
    ("injection", Term("C42946", "Injectable Dosage Form")),
    ("infusion", Term("C42946", "Injectable Dosage Form")),
    ("intravenous", Term("C42946", "Injectable Dosage Form")),
    ("subcutaneous", Term("C42946", "Injectable Dosage Form")),
    ("intramuscular", Term("C42946", "Injectable Dosage Form")),
    ("solution", Term("C42986", "Solution Dosage Form")),
    ("powder", Term("C42972", "Powder Dosage Form")),
)

# Timing Type (C201264) and Relative To From (C201265)
FIXED_REFERENCE = Term("C201358", "Fixed Reference")
BEFORE = Term("C201357", "Before")
AFTER = Term("C201356", "After")
START_TO_START = Term("C201355", "Start to Start")

# Unit (C71620) for the units of time and of dose a spec writes most
UNITS: dict[str, Term] = {
    "mg": Term("C28253", "Milligram"),
    "g": Term("C48155", "Gram"),
    "ug": Term("C48152", "Microgram"),
    "mg/kg": Term("C67401", "Milligram per Kilogram"),
    "mg/m2": Term("C67402", "Milligram per Square Meter"),
    "kg": Term("C28252", "Kilogram"),
    "mL": Term("C28254", "Milliliter"),
    "year": Term("C29848", "Year"),
    "years": Term("C29848", "Year"),
    "a": Term("C29848", "Year"),
    "month": Term("C29846", "Month"),
    "months": Term("C29846", "Month"),
    "mo": Term("C29846", "Month"),
    "week": Term("C29844", "Week"),
    "weeks": Term("C29844", "Week"),
    "wk": Term("C29844", "Week"),
    "day": Term("C25301", "Day"),
    "days": Term("C25301", "Day"),
    "d": Term("C25301", "Day"),
    "hour": Term("C25529", "Hour"),
    "hours": Term("C25529", "Hour"),
    "h": Term("C25529", "Hour"),
}
