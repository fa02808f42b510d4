"""The catalogue of diagnostic codes: every code the compiler can report.

Each code is documented in docs/diagnostics/<CODE>.md with a bad and a good
example, and the test suite checks that the bad example triggers it and the
good one does not.  Codes are stable: a code is never reused for another
problem.

Ranges: E00xx syntax and files; E01xx names, imports and fields; E02xx types;
E03xx units; E04xx eligibility logic; E05xx data availability; E06xx
schedule; E07xx dosing and escalation; E10xx randomised design; W08xx document completeness; N09xx
notes (provisional values, open questions); E0999 an internal error (a bug in
protocol-dsl, reported with the check it happened in); E10xx/W10xx randomised
designs (analysis sets, estimands, sample size).
"""

from __future__ import annotations

from typing import NamedTuple


class CodeInfo(NamedTuple):
    title: str
    severity: str


CODES: dict[str, CodeInfo] = {
    # ---- E00xx syntax and files
    "E0001": CodeInfo("unexpected text", "error"),
    "E0002": CodeInfo("unexpected end of file", "error"),
    "E0003": CodeInfo("not a text file", "error"),
    "E0004": CodeInfo("number out of range", "error"),
    "E0005": CodeInfo("not a calendar date", "error"),
    "E0006": CodeInfo("malformed titer", "error"),
    "E0007": CodeInfo("study day is not a whole number", "error"),
    "E0008": CodeInfo("file is not UTF-8", "error"),
    "E0009": CodeInfo("file cannot be read", "error"),
    "E0010": CodeInfo("rule nested too deeply", "error"),
    # ---- E01xx names, imports and fields
    "E0101": CodeInfo("undefined name", "error"),
    "E0102": CodeInfo("name declared twice", "error"),
    "E0103": CodeInfo("library not found", "error"),
    "E0104": CodeInfo("import cycle", "error"),
    "E0105": CodeInfo("library has errors", "error"),
    "E0106": CodeInfo("unknown visit", "error"),
    "E0107": CodeInfo("not a repeating form", "error"),
    "E0108": CodeInfo("unknown function or wrong number of arguments", "error"),
    "E0109": CodeInfo("unknown field", "error"),
    "E0110": CodeInfo("field value of the wrong kind", "error"),
    "E0111": CodeInfo("reference to the wrong kind of declaration", "error"),
    "E0112": CodeInfo("missing trial header", "error"),
    "E0113": CodeInfo("unknown mapping target", "error"),
    "E0114": CodeInfo("mapping rule that cannot be read row by row", "error"),
    "E0115": CodeInfo("value defined through itself", "error"),
    "E0116": CodeInfo("form named like a table of the subject-data layout", "error"),
    "E0117": CodeInfo("criterion named like a column of the screening result", "error"),
    "E0118": CodeInfo("not a product code", "error"),
    "E0119": CodeInfo("yielded visit name taken twice", "error"),
    "E0120": CodeInfo("visit name pattern that cannot name visits", "error"),
    "E0121": CodeInfo("unknown time point", "error"),
    "E0122": CodeInfo("unknown anchor in a position", "error"),
    "E0125": CodeInfo("allowed finding without a reason", "error"),
    "E0126": CodeInfo("code that cannot be allowed", "error"),
    "E0133": CodeInfo("classification override that names no change", "error"),
    "E0134": CodeInfo("classification override without a reason", "error"),
    "E0135": CodeInfo("classification override with an unknown regulation or verdict", "error"),
    "E0136": CodeInfo("conflicting classification overrides", "error"),
    # ---- E02xx types (consistency checks)
    "E0201": CodeInfo("values of different types compared", "error"),
    "E0202": CodeInfo("value not in the code list", "error"),
    "E0203": CodeInfo("titer compared with a non-titer", "error"),
    "E0204": CodeInfo("arithmetic on a value that is not a number", "error"),
    "E0205": CodeInfo("not a condition where a condition is needed", "error"),
    "E0206": CodeInfo("lookup key does not match the table", "error"),
    "E0207": CodeInfo("time window without a date or a duration", "error"),
    "E0208": CodeInfo("aggregate over values that cannot be summed or ordered", "error"),
    "E0209": CodeInfo("order comparison on values without an order", "error"),
    "E0210": CodeInfo("function argument of the wrong type", "error"),
    "E0211": CodeInfo("time window or date shift whose length is not a constant", "error"),
    "E0212": CodeInfo("duration used as a number", "error"),
    "E0213": CodeInfo("score item that reads an item that is not yes/no", "error"),
    "E0214": CodeInfo(
        "round(…) to a number of decimals that is not a whole-number constant", "error"
    ),
    "E0215": CodeInfo("partial date on an item that is not a date", "error"),
    "E0216": CodeInfo("unknown imputation rule of a partial date", "error"),
    "E0220": CodeInfo("`contains` on a value that is not text", "error"),
    "E0221": CodeInfo("`contains` looking for a value that is not text", "error"),
    "E0222": CodeInfo("visit range that holds no scheduled visit", "error"),
    # ---- E03xx units
    "E0301": CodeInfo("unit not recognised", "error"),
    "E0302": CodeInfo("not a unit of time", "error"),
    "E0303": CodeInfo("quantities of different kinds", "error"),
    "E0304": CodeInfo("unit the item cannot have", "error"),
    "E0305": CodeInfo("doses in units that cannot be compared", "error"),
    "E0306": CodeInfo("values on scales that no factor converts", "error"),
    "E0307": CodeInfo("conversion formula that is not a change of scale", "error"),
    "E0308": CodeInfo("conversion that cannot be used", "error"),
    "E0309": CodeInfo("two conversions for one analyte and scale", "error"),
    "E0310": CodeInfo("square root of a unit that has none", "error"),
    "E0311": CodeInfo("quantity where a number without a unit is needed", "error"),
    "E0312": CodeInfo("quantity raised to too high a power", "error"),
    # ---- E04xx eligibility logic
    "E0401": CodeInfo("no subject can be eligible", "error"),
    "W0402": CodeInfo("inclusion met by every subject", "warning"),
    "W0403": CodeInfo("exclusion that excludes nobody", "warning"),
    "W0404": CodeInfo("redundant criterion", "warning"),
    "E0405": CodeInfo("threshold outside the item's range", "error"),
    "W0406": CodeInfo("comparison that always holds within the item's range", "warning"),
    "W0408": CodeInfo("date moved by a part of a day", "warning"),
    "W0409": CodeInfo("partial date read where its period is unknown", "warning"),
    "W0411": CodeInfo("criterion unknown for a subgroup the item is not collected for", "warning"),
    "W0412": CodeInfo("criterion decided only where its item is not collected", "warning"),
    "W0413": CodeInfo("quoted text states a threshold its rule does not", "warning"),
    "W0414": CodeInfo("ongoing condition counted only by its onset date", "warning"),
    "W0415": CodeInfo("alternative of a rule that never decides on its own", "warning"),
    # ---- E05xx data availability
    "E0501": CodeInfo("eligibility data not collected in time", "error"),
    "E0502": CodeInfo("endpoint data not collected in its time frame", "error"),
    "E0503": CodeInfo("form never collected", "error"),
    "W0504": CodeInfo("collected items never used", "warning"),
    "E0505": CodeInfo("none_recorded_by names no yes/no item", "error"),
    "E0506": CodeInfo("none_recorded_by on a form that is not repeating", "error"),
    "E0507": CodeInfo("none_recorded_by question not asked once per subject", "error"),
    "E0508": CodeInfo("mapping declares complete a form that is not a log", "error"),
    "W0509": CodeInfo("eligibility reads a log that cannot record none", "warning"),
    "E0515": CodeInfo("date imputation on an item that is not a date", "error"),
    "W0520": CodeInfo("lookup table without a row for a value of its code list", "warning"),
    # ---- E06xx schedule
    "E0601": CodeInfo("study day 0", "error"),
    "E0602": CodeInfo("visits out of order", "error"),
    "E0603": CodeInfo("overlapping visit windows", "error"),
    "E0604": CodeInfo("visit window outside its epoch", "error"),
    "E0605": CodeInfo("endpoint time frame beyond the schedule", "error"),
    "E0606": CodeInfo("schedule inconsistent with the trial length", "error"),
    "E0607": CodeInfo("DLT window not covered by visits", "error"),
    "E0608": CodeInfo("cycle visit outside its cycle", "error"),
    "E0609": CodeInfo("cycle selector outside the cycles", "error"),
    "E0610": CodeInfo("cycle without a number of cycles", "error"),
    "E0611": CodeInfo("repeat without an end", "error"),
    "E0612": CodeInfo("repeat that ends before it starts", "error"),
    "E0613": CodeInfo("too many visits yielded", "error"),
    "E0614": CodeInfo("interval or cycle length under a day", "error"),
    "E0615": CodeInfo("series anchored on itself", "error"),
    "E0616": CodeInfo("timing that is not a duration or is given twice", "error"),
    # ---- E07xx dosing and escalation
    "E0701": CodeInfo("dose levels not increasing", "error"),
    "E0702": CodeInfo("step dose not leading up to the target", "error"),
    "E0703": CodeInfo("step-up schedule out of order", "error"),
    "E0704": CodeInfo("step-up schedule does not fit the DLT window", "error"),
    "E0705": CodeInfo("invalid escalation design parameter", "error"),
    "E0706": CodeInfo("unknown escalation design or parameter", "error"),
    "E0707": CodeInfo("sample size inconsistent with the enrolment", "error"),
    "E0708": CodeInfo("scenario rates do not match the dose levels", "error"),
    "E0709": CodeInfo("scenario rate that is not a probability", "error"),
    "E0710": CodeInfo("cohorts file line that cannot be read as a cohort", "error"),
    "E0711": CodeInfo("cohort counts that contradict each other", "error"),
    "E0712": CodeInfo("cohort the escalation design does not allow", "error"),
    "E0713": CodeInfo("regimen without dosing days", "error"),
    "E0714": CodeInfo("dosing days that cannot be planned", "error"),
    "E0715": CodeInfo("regimen without an end", "error"),
    "E0716": CodeInfo("dose day without a visit", "error"),
    "E0717": CodeInfo("dose at a visit without the exposure form", "error"),
    "E0718": CodeInfo("dose per kg or m2 with nothing to convert it through", "error"),
    "E0719": CodeInfo("conversion item of the wrong kind", "error"),
    "E0720": CodeInfo("frequency disagrees with the dosing days", "error"),
    "E0721": CodeInfo("unknown dosing frequency", "error"),
    "E0722": CodeInfo("regimen dose not among the intervention's doses", "error"),
    "E0723": CodeInfo("DLT window ends part-way through a dosing interval", "error"),
    "E0724": CodeInfo("DLT window cycle that cannot be measured", "error"),
    "E0725": CodeInfo("regimen of another intervention", "error"),
    "E0726": CodeInfo("dose reductions out of order", "error"),
    "E0727": CodeInfo("invalid dose weight rule", "error"),
    "E0728": CodeInfo("regimen without a dose", "error"),
    "E0729": CodeInfo("regimen route differs from the intervention's", "error"),
    "E0730": CodeInfo("experimental arm that receives only placebo", "error"),
    "E0731": CodeInfo("element dose that is not a dose of its arm's intervention", "error"),
    # ---- W08xx document completeness
    "W0801": CodeInfo("no primary endpoint", "warning"),
    "W0802": CodeInfo("no inclusion criterion", "warning"),
    "W0803": CodeInfo("no schedule of visits", "warning"),
    "W0804": CodeInfo("two code-list values with the same terminology code", "warning"),
    "W0805": CodeInfo("header's age limits or sex disagree with the eligibility rules", "warning"),
    "W0806": CodeInfo("trial dates out of order", "warning"),
    # ---- E10xx randomised design: allocation, analysis sets, estimands, sample size, endpoints
    "E1001": CodeInfo("allocation ratio names an unknown arm", "error"),
    "E1002": CodeInfo("allocation ratio weight that is not a positive whole number", "error"),
    "E1003": CodeInfo("block size that is not a multiple of the ratio's sum", "error"),
    "E1004": CodeInfo("minimisation factor that is not a stratification factor", "error"),
    "E1005": CodeInfo("minimisation probability out of range", "error"),
    "E1006": CodeInfo("unknown minimisation imbalance measure", "error"),
    "E1007": CodeInfo("strata of a factor overlap", "error"),
    "E1008": CodeInfo("strata of a factor leave subjects out", "error"),
    "E1009": CodeInfo("masking level disagrees with the roles blinded", "error"),
    "E1010": CodeInfo("unknown masking role", "error"),
    "E1011": CodeInfo("randomisation in a trial whose allocation is not randomised", "error"),
    "E1012": CodeInfo("randomisation or masking declared twice", "error"),
    "E1013": CodeInfo("arm, factor or stratum given twice", "error"),
    "E1014": CodeInfo("randomisation without a ratio or a method", "error"),
    "E1015": CodeInfo("subjects file line that cannot be read for minimisation", "error"),
    "E1016": CodeInfo("estimand compares an arm that is not declared", "error"),
    "E1017": CodeInfo("estimand population that is not an analysis set", "error"),
    "E1018": CodeInfo("estimand variable that is not an endpoint", "error"),
    "E1019": CodeInfo("estimand without one of its five attributes", "error"),
    "E1020": CodeInfo("intercurrent event strategy that is not one of ICH E9(R1)'s five", "error"),
    "E1021": CodeInfo("composite strategy that does not say what the event counts as", "error"),
    "E1022": CodeInfo("arm on both sides of an estimand's comparison", "error"),
    "E1023": CodeInfo("intercurrent events listed and declared none", "error"),
    "E1024": CodeInfo("unknown sample-size method", "error"),
    "E1025": CodeInfo("unknown or repeated sample-size parameter", "error"),
    "E1026": CodeInfo("missing sample-size parameter", "error"),
    "E1027": CodeInfo("sample-size parameter out of range", "error"),
    "E1028": CodeInfo("sample-size assumptions with no effect to detect", "error"),
    "E1029": CodeInfo("second statistics section", "error"),
    "W1040": CodeInfo("primary objective without an estimand", "warning"),
    "W1041": CodeInfo("analysis set or subgroup that no subject can belong to", "warning"),
    "W1042": CodeInfo("two analysis sets or subgroups with the same members", "warning"),
    "W1043": CodeInfo("planned enrolment below the recomputed sample size", "warning"),
    "W1044": CodeInfo("planned enrolment well above the recomputed sample size", "warning"),
    "W1045": CodeInfo("sample size without a planned enrolment to compare", "warning"),
    # endpoints that run on data (docs/endpoints.md)
    "E1050": CodeInfo("endpoint kind without the rule it computes", "error"),
    "E1051": CodeInfo("endpoint reads records of a form that is not a log", "error"),
    "E1052": CodeInfo("time-to-event date that is not a date of the log", "error"),
    "E1053": CodeInfo("responder or flag endpoint whose rule is not a condition", "error"),
    "E1054": CodeInfo("value endpoint whose rule is not a number", "error"),
    "E1055": CodeInfo("time-to-event origin or censoring that is not a date", "error"),
    "E1056": CodeInfo("endpoint computed by visit at a visit the schedule lacks", "error"),
    "E1057": CodeInfo("endpoint computed by visit that has one value per subject", "error"),
    "E1058": CodeInfo("flag named like a column its table already has", "error"),
    # parameterised definitions (docs/endpoints.md, "Rules written once")
    "E1059": CodeInfo("parameterised definition applied with the wrong arguments", "error"),
    "E1060": CodeInfo(
        "parameterised definition given an expression where it needs a name", "error"
    ),
    "E1061": CodeInfo("parameterised definition that applies itself", "error"),
    # intercurrent events stated as rules (docs/endpoints.md, "Composite strategy")
    "E1062": CodeInfo("intercurrent event rule that is not a condition", "error"),
    "E1063": CodeInfo(
        "composite strategy with a rule on a variable that is not a response", "error"
    ),
    # ---- N09xx notes
    "N0901": CodeInfo("provisional value", "note"),
    "N0902": CodeInfo("open question", "note"),
    "N0903": CodeInfo("check skipped: optional dependency missing", "note"),
    "N0904": CodeInfo("redundancy analysis stopped at its effort limit", "note"),
    "N0905": CodeInfo("allow that silences nothing", "note"),
    # ---- E09xx internal errors (bugs in protocol-dsl, not in the spec)
    "E0999": CodeInfo("internal error in a check", "error"),
}


def title(code: str) -> str:
    info = CODES.get(code)
    return info.title if info else code
