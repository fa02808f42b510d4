"""The CDISC controlled terms a USDM export uses, by the spec's words.

Each term is the NCI concept code with a decode from its USDM value set
(CDISC Controlled Terminology, DDF and Protocol packages): the codelist CDISC's
USDM rules check the attribute against is named beside each table.  A spec
word with no term here is left out rather than mapped to a near miss.

Where the codelist is one the SDTM trial design datasets use too (trial phase,
blinding, intervention model, trial and study type, intent, epoch, route, unit),
the term is not typed here: each spec word names the term's submission value, and
the code and decode are read from the pinned CT file the SDTM datasets read
(`generators/sdtm/terminology`), so the two exports cannot disagree on a code.
The spec words of the trial phase and the intervention model are the SDTM
datasets' own tables (`generators/sdtm/tdm`).
"""

from __future__ import annotations

from typing import NamedTuple

from generators.sdtm import terminology
from generators.sdtm.tdm import INTERVENTION_MODEL, TRIAL_PHASES

CDISC = "http://www.cdisc.org"
#: the CT release the codes are taken from
CDISC_VERSION = "2024-09-27"


class Term(NamedTuple):
    code: str
    decode: str


#: The decode a USDM value set gives where the CT file's preferred term differs.
_USDM_DECODES = {
    "C54721": "Early Phase 1 Trial",  # the CT file: "Phase 0 Trial"
}


def _words(*as_written: str, **spelled: str) -> dict[str, str]:
    """Spec words and the codelist text each names: a word written as the codelist
    writes the term (the look-up ignores case, spaces, hyphens and underscores), or
    one `word="TEXT"` that is spelled otherwise."""
    return {word: word for word in as_written} | spelled


def _coded(codelist: str, words: dict[str, str]) -> dict[str, Term]:
    """Each spec word's term of `codelist`, found by the submission value (or preferred
    term) it names; a word whose text the codelist does not hold is left out (a test
    checks that none is)."""
    table: dict[str, Term] = {}
    for word, text in words.items():
        found = terminology.term(codelist, text)
        if found is not None:
            table[word] = Term(found.code, _USDM_DECODES.get(found.code, found.preferred))
    return table


# Epoch (C99079): the epoch's type, guessed from its name where the name says it
EPOCH_WORDS = _words(
    *("screening", "run_in", "baseline", "treatment", "follow_up", "long_term_follow_up"),
    *("washout", "observation"),
    followup="FOLLOW-UP",
    extension="CONTINUATION TREATMENT",
)
EPOCH_TYPES = _coded("EPOCH", EPOCH_WORDS)
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
STUDY_TYPE_WORDS = _words("interventional", "observational", "expanded_access")
STUDY_TYPES = _coded("STYPE", STUDY_TYPE_WORDS)

# Trial Phase (C66737), by the spec's phase as written
PHASES = _coded("TPHASE", TRIAL_PHASES)

# Trial Blinding Schema (C66735): the schema has no triple or quadruple blinding
BLINDING_WORDS = _words(
    "open_label",
    single="SINGLE BLIND",
    double="DOUBLE BLIND",
    triple="DOUBLE BLIND",
    quadruple="DOUBLE BLIND",
)
BLINDING = _coded("TBLIND", BLINDING_WORDS)

# Intervention Model (C99076)
MODELS = _coded("INTMODEL", INTERVENTION_MODEL)
MODEL_DEFAULT = MODELS["parallel"]

# Trial Intent Type (C66736), by the spec's purpose
INTENT_WORDS = _words(
    *("treatment", "prevention", "supportive_care", "screening", "health_services_research"),
    *("basic_science", "device_feasibility"),
    diagnostic="DIAGNOSIS",
)
INTENTS = _coded("TINDTP", INTENT_WORDS)

# Trial Type (C66739), by the spec's trial_type
TRIAL_TYPE_WORDS = _words(
    *("safety", "efficacy", "pharmacokinetic", "pharmacodynamic", "immunogenicity"),
    *("tolerability", "dose_finding", "dose_response"),
    bioavailability="BIO-AVAILABILITY",
    bioequivalence="BIO-EQUIVALENCE",
)
TRIAL_TYPES = _coded("TTYPE", TRIAL_TYPE_WORDS)

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
ROUTE_WORDS = _words(
    *("oral", "intravenous", "subcutaneous", "intramuscular"),
    *("transdermal", "topical", "cutaneous", "nasal"),
)
ROUTES = _coded("ROUTE", ROUTE_WORDS)

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
UNIT_WORDS = {
    **_words("mg", "g", "ug", "mg/kg", "mg/m2", "kg", "mL"),
    **dict.fromkeys(("year", "years", "a"), "YEARS"),
    **dict.fromkeys(("month", "months", "mo"), "MONTHS"),
    **dict.fromkeys(("week", "weeks", "wk"), "WEEKS"),
    **dict.fromkeys(("day", "days", "d"), "DAYS"),
    **dict.fromkeys(("hour", "hours", "h"), "HOURS"),
}
UNITS = _coded("UNIT", UNIT_WORDS)
