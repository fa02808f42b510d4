"""SDTM trial design datasets TA, TE, TV, TI and TS (`sdtm/*.csv` and `sdtm/*.xpt`).

This module owns the mapping from the spec to the five trial design domains:

- TA (trial arms): one row per step of each arm (`arm A { ELEMENT in epoch
  branch "…" transition "…" }`); EPOCH is the epoch's label.  Cycles follow
  the SDTMIG's model of cyclical treatment (SDTMIG 3.x, section 7.2.1, Trial
  Arms, the example trial with chemotherapy cycles; assumptions: "the same
  element may occur more than once within an arm", TA holds "the complete,
  longest path" and TATRANS "the decision points that may lead to a shortened
  path"): an arm's step in the epoch of a cycle is one element per planned
  cycle (up to 17 cycles: 17 rows of the same ETCD, TAETORD consecutive), each
  but the last with the transition "If <until>, go to <next epoch> epoch";
  the step's own branch and transition stay on the last cycle.
- TE (trial elements): TESTRL/TEENRL from `starts`/`ends`, TEDUR as an ISO 8601
  duration from `lasts` (26 weeks -> P26W, 28 days -> P28D).  An element an
  arm repeats as cycles lasts one cycle: without `lasts` its TEDUR is the
  cycle's length, and without `ends` its TEENRL "21 days after start of
  Element".
- TV (trial visits), ordered by VISITNUM: one row per planned visit of the
  expanded schedule (an unscheduled visit is not planned and is left out, unless a
  `when` or `starts` rule says when it happens) (C1D1 … C17D1, each occurrence of a repeat); VISITNUM from
  `number` (visits without one are numbered after the highest, in schedule
  order), VISIT the label, VISITDY the planned day (the first day of a range;
  a cycle's visits on the day they fall without delays; none for a visit
  relative to an event), TVSTRL the visit's `when` condition and `starts` rule,
  else its timing in words ("Study day 22 (window -0/+3 days); day 1 of cycle
  2 of up to 17 (…)", "30 days after last dose of Drug Z"), cut to 200
  characters; TVENRL its `ends` rule.
- TI (inclusion/exclusion criteria): IETESTCD the criterion id, IETEST the
  verbatim text on one line.  SDTM limits IETEST to 200 characters: a longer
  text is cut at the last whole word that fits in 196 bytes (UTF-8) and ends
  with " ..."; the protocol document carries the full text.  TIRL is empty.
- TS (trial summary): the parameters of `TS_PARAMETERS`, in that order, each
  with TSSEQ 1, 2, … over its values.  Values are CDISC controlled terms where a
  codelist governs the parameter (SDTM CT 2025-03-28, `terminology.py`: "PHASE IB
  TRIAL", "OPEN LABEL", "SINGLE GROUP"), with the term's NCI code in TSVALCD and
  "CDISC CT" and the version in TSVCDREF/TSVCDVER; ages, lengths and dates are
  ISO 8601 ("P18Y", "P26W", "2012-07-06"); an unknown value a submission needs
  (the start date) or an unbounded maximum age is written with its null flavour
  in TSVALNF (UNK, PINF) rather than left out.  A value longer than 200
  characters continues in TSVAL1, TSVAL2, ….  EPOCH in TA is the EPOCH term the
  epoch's name or label names (`screening` -> SCREENING), else its label.

The XPT files are SAS transport version 5 (`xport.py`) in ASCII, as
regulators take them: text is rewritten by `ascii.to_ascii` ("≥" -> ">=") and
each rewritten cell is listed in `xpt_ascii.csv` with its original; the CSV
copies keep the text as written.  The creation and modification time in the
library and member headers is the protocol version date (1 January 1970 when
the spec has none), not the build time, so that rebuilding gives
byte-identical files.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, cast

from generators.documents.timing import relative_timing, repeat_words
from generators.sdtm import terminology
from generators.sdtm.ascii import Transliteration, to_ascii
from generators.sdtm.xport import Variable, xport_bytes
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.csv_cells import Cell, write_csv
from protocol_dsl.schedule.frequency import frequency
from protocol_dsl.schedule.regimens import regimen_frequency
from protocol_dsl.semantics.words import quantity_in_words
from protocol_dsl.spec import Spec

MAX_TEXT = 200


class Column(NamedTuple):
    name: str
    label: str
    numeric: bool = False


class Dataset(NamedTuple):
    name: str
    label: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]


_STUDY = (Column("STUDYID", "Study Identifier"), Column("DOMAIN", "Domain Abbreviation"))

TA_COLUMNS = (
    *_STUDY,
    Column("ARMCD", "Planned Arm Code"),
    Column("ARM", "Description of Planned Arm"),
    Column("TAETORD", "Planned Order of Element within Arm", numeric=True),
    Column("ETCD", "Element Code"),
    Column("ELEMENT", "Description of Element"),
    Column("TABRANCH", "Branch"),
    Column("TATRANS", "Transition Rule"),
    Column("EPOCH", "Epoch"),
)
TE_COLUMNS = (
    *_STUDY,
    Column("ETCD", "Element Code"),
    Column("ELEMENT", "Description of Element"),
    Column("TESTRL", "Rule for Start of Element"),
    Column("TEENRL", "Rule for End of Element"),
    Column("TEDUR", "Planned Duration of Element"),
)
TV_COLUMNS = (
    *_STUDY,
    Column("VISITNUM", "Visit Number", numeric=True),
    Column("VISIT", "Visit Name"),
    Column("VISITDY", "Planned Study Day of Visit", numeric=True),
    Column("ARMCD", "Planned Arm Code"),
    Column("ARM", "Description of Planned Arm"),
    Column("TVSTRL", "Visit Start Rule"),
    Column("TVENRL", "Visit End Rule"),
)
TI_COLUMNS = (
    *_STUDY,
    Column("IETESTCD", "Incl/Excl Criterion Short Name"),
    Column("IETEST", "Inclusion/Exclusion Criterion"),
    Column("IECAT", "Inclusion/Exclusion Category"),
    Column("TIRL", "Inclusion/Exclusion Criterion Rule"),
)
TS_COLUMNS = (
    *_STUDY,
    Column("TSSEQ", "Sequence Number", numeric=True),
    Column("TSPARMCD", "Trial Summary Parameter Short Name"),
    Column("TSPARM", "Trial Summary Parameter"),
    Column("TSVAL", "Parameter Value"),
)
TS_CODING_COLUMNS = (
    Column("TSVALNF", "Parameter Null Flavor"),
    Column("TSVALCD", "Parameter Value Code"),
    Column("TSVCDREF", "Name of the Reference Terminology"),
    Column("TSVCDVER", "Version of the Reference Terminology"),
)


def build(spec: Spec, out_dir: Path) -> list[Path]:
    folder = out_dir / "sdtm"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stamp = _xpt_stamp(spec)
    rewritten: list[Transliteration] = []
    for dataset in datasets(spec):
        header = [c.name for c in dataset.columns]
        written.append(write_csv(folder / f"{dataset.name.lower()}.csv", header, dataset.rows))
        xpt = folder / f"{dataset.name.lower()}.xpt"
        rewritten += write_xpt(xpt, dataset, stamp)
        written.append(xpt)
    # the XPT files are ASCII: every cell rewritten for them, with its original text
    written.append(
        write_csv(
            folder / "xpt_ascii.csv",
            ["DATASET", "VARIABLE", "ROW", "ORIGINAL", "ASCII"],
            [list(t) for t in rewritten],
        )
    )
    return written


def datasets(spec: Spec) -> list[Dataset]:
    study = study_id(spec)
    return [
        Dataset("TA", "Trial Arms", TA_COLUMNS, ta_rows(spec, study)),
        Dataset("TE", "Trial Elements", TE_COLUMNS, te_rows(spec, study)),
        Dataset("TV", "Trial Visits", TV_COLUMNS, tv_rows(spec, study)),
        Dataset("TI", "Trial Inclusion/Exclusion Criteria", TI_COLUMNS, ti_rows(spec, study)),
        _ts_dataset(spec, study),
    ]


def study_id(spec: Spec) -> str:
    found = spec.trial_field("sponsor_protocol_id")
    if found is not None:
        return str(found.value.value)
    return spec.trial.name if spec.trial else Path(spec.path).stem


# ---------------------------------------------------------------- TA, TE


def ta_rows(spec: Spec, study: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for arm in spec.arms.values():
        order = 0
        for position, step in enumerate(arm.steps):
            element = spec.elements.get(step.element)
            epoch = spec.epochs.get(step.epoch)
            cycle = _cycle_of(spec, arm, step)
            repeats = (cycle.planned_cycles or 1) if cycle is not None else 1
            for number in range(1, repeats + 1):
                order += 1
                last = number == repeats
                rows.append(
                    [
                        study,
                        "TA",
                        arm.name,
                        arm.label or arm.name,
                        order,
                        step.element,
                        (element.label if element and element.label else step.element),
                        (step.branch or "") if last else "",
                        (step.transition or "") if last else _cycle_transition(spec, arm, position),
                        epoch_value(epoch, step.epoch),
                    ]
                )
    return rows


def epoch_value(epoch: m.Epoch | None, name: str) -> str:
    """EPOCH: the CDISC EPOCH term the epoch's name (else its label) names — `screening`,
    `follow_up`, `run_in`, `washout` …; the label as written where neither is a term (the
    codelist is extensible)."""
    for text in (name, epoch.label if epoch is not None else None):
        found = terminology.term("EPOCH", text) if text else None
        if found is not None:
            return found.value
    return epoch.label if epoch is not None and epoch.label else name


def _cycle_of(spec: Spec, arm: m.Arm, step: m.ArmStep) -> m.Cycle | None:
    """The cycle an arm's step repeats: the one cycle of the step's epoch, when the arm has
    no other step in that epoch."""
    cycles = [c for c in spec.cycles.values() if c.epoch == step.epoch]
    in_epoch = [s for s in arm.steps if s.epoch == step.epoch]
    return cycles[0] if len(cycles) == 1 and len(in_epoch) == 1 else None


def _cycle_transition(spec: Spec, arm: m.Arm, position: int) -> str:
    """ "If disease progression, go to Follow-up epoch": the early way out of a cycle."""
    cycle = _cycle_of(spec, arm, arm.steps[position])
    if cycle is None or not cycle.until:
        return ""
    later = arm.steps[position + 1 :]
    if not later:
        return f"If {cycle.until}, end of the arm"
    epoch = spec.epochs.get(later[0].epoch)
    return f"If {cycle.until}, go to {(epoch.label if epoch and epoch.label else later[0].epoch)} epoch"


def te_rows(spec: Spec, study: str) -> list[list[Cell]]:
    cycles = _element_cycles(spec)
    rows: list[list[Cell]] = []
    for element in spec.elements.values():
        cycle = cycles.get(element.name)
        end = element.end or ""
        duration = iso_duration(element.duration) if element.duration is not None else ""
        if cycle is not None:
            # the element repeats once per cycle: one cycle long, unless written otherwise
            end = end or f"{quantity_in_words(cycle.length)} after start of Element"
            duration = duration or iso_duration(cycle.length)
        rows.append(
            [
                study,
                "TE",
                element.name,
                element.label or element.name,
                element.start or "",
                end,
                duration,
            ]
        )
    return rows


def _element_cycles(spec: Spec) -> dict[str, m.Cycle]:
    """The elements that arms repeat as cycles, with their cycle."""
    out: dict[str, m.Cycle] = {}
    for arm in spec.arms.values():
        for step in arm.steps:
            cycle = _cycle_of(spec, arm, step)
            if cycle is not None:
                out.setdefault(step.element, cycle)
    return out


_DURATION_UNITS: dict[str, tuple[str, bool]] = {
    # unit -> (ISO 8601 designator, time part)
    **{u: ("Y", False) for u in ("a", "year", "years")},
    **{u: ("M", False) for u in ("mo", "month", "months")},
    **{u: ("W", False) for u in ("wk", "week", "weeks")},
    **{u: ("D", False) for u in ("d", "day", "days")},
    **{u: ("H", True) for u in ("h", "hour", "hours")},
    **{u: ("M", True) for u in ("min", "minute", "minutes")},
    **{u: ("S", True) for u in ("s", "second", "seconds")},
}


def iso_duration(duration: m.Quantity) -> str:
    """ISO 8601 duration of a time quantity: 26 weeks -> "P26W", 48 hours -> "PT48H"."""
    designator, time_part = _DURATION_UNITS.get(duration.unit, ("", False))
    if not designator:
        return ""
    number = m.format_decimal(duration.value)
    return f"PT{number}{designator}" if time_part else f"P{number}{designator}"


# ---------------------------------------------------------------- TV


def visit_numbers(spec: Spec) -> dict[str, Decimal]:
    """VISITNUM per visit: its `number`, else numbered after the highest in schedule order."""
    numbers = {v.name: v.number for v in spec.visit_order if v.number is not None}
    following = max(numbers.values(), default=Decimal(0))
    for visit in spec.visit_order:
        if visit.name not in numbers:
            following = Decimal(int(following) + 1)
            numbers[visit.name] = following
    return numbers


def tv_rows(spec: Spec, study: str) -> list[list[Cell]]:
    numbers = visit_numbers(spec)
    # TV holds the planned visits: an unscheduled visit is not one, unless a rule says
    # when it happens (a conditional planned visit, like early termination, stays)
    planned = [v for v in spec.visit_order if not v.unscheduled or v.condition or v.start_rule]
    visits = sorted(planned, key=lambda v: numbers[v.name])
    return [
        [
            study,
            "TV",
            numbers[v.name],
            v.label or v.name,
            v.day,
            "",
            "",
            _visit_start_rule(spec, v),
            v.end_rule or "",
        ]
        for v in visits
    ]


def _visit_start_rule(spec: Spec, visit: m.Visit) -> str:
    stated = [text for text in (visit.condition, visit.start_rule) if text]
    if stated:
        return "; ".join(stated)
    if visit.early_termination:
        return "At early termination"
    if visit.unscheduled:
        return "Unscheduled, when needed"
    series = _series_rule(spec, visit)
    relative = relative_timing(spec, visit) if visit.day is None else ""
    if relative:
        timing = relative[:1].upper() + relative[1:] + _window(visit)
    elif visit.day is None:
        timing = ""
    elif visit.day_end is not None:
        timing = f"Study day {visit.day} to day {visit.day_end}"
    else:
        timing = f"Study day {visit.day}{_window(visit)}"
    # the words of a series can be long: cut to SDTM's 200 characters
    return sdtm_text("; ".join(t for t in (timing, series) if t)) if series or relative else timing


def _window(visit: m.Visit) -> str:
    if not visit.window_before and not visit.window_after:
        return ""
    days = "day" if max(visit.window_before, visit.window_after) == 1 else "days"
    return f" (window -{visit.window_before}/+{visit.window_after} {days})"


def _series_rule(spec: Spec, visit: m.Visit) -> str:
    """Where a visit of a cycle or a repeat sits in its series, in words."""
    cycle = spec.cycles.get(visit.series or "")
    if cycle is not None and visit.cycle is not None:
        template = next((t for t in cycle.visits if t.name == visit.template), None)
        day = f"day {template.day} of " if template is not None and template.day is not None else ""
        planned = f" of up to {cycle.up_to}" if cycle.count is None and cycle.up_to else ""
        until = f", until {cycle.until}" if cycle.until else ""
        return f"{day}cycle {visit.cycle}{planned} (cycles of {quantity_in_words(cycle.length)}{until})"
    repeat = spec.repeats.get(visit.series or "")
    if repeat is not None and visit.occurrence is not None:
        return f"occurrence {visit.occurrence}: {repeat_words(spec, repeat)}"
    return ""


# ---------------------------------------------------------------- TI


def ti_rows(spec: Spec, study: str) -> list[list[Cell]]:
    return [[study, "TI", c.id, sdtm_text(c.text), c.kind.upper(), ""] for c in spec.criteria]


def sdtm_text(text: str, limit: int = MAX_TEXT) -> str:
    """The text on one line, within `limit` UTF-8 bytes (cut at a word, ending " ...")."""
    flat = " ".join(text.split())
    if len(flat.encode("utf-8")) <= limit:
        return flat
    budget = limit - len(" ...")
    cut = flat.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + " ..."


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """The text on one line, in pieces of at most `limit` UTF-8 bytes, split between words."""
    flat = " ".join(text.split())
    pieces: list[str] = []
    while len(flat.encode("utf-8")) > limit:
        head = flat.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
        space = head.rfind(" ")
        head = head[: space + 1] if space > 0 else head
        pieces.append(head)
        flat = flat[len(head) :]
    pieces.append(flat)
    return pieces


# ---------------------------------------------------------------- TS


class TsValue(NamedTuple):
    """One TS value with its coding: TSVAL, TSVALCD, TSVCDREF, TSVCDVER, TSVALNF."""

    text: str
    code: str = ""
    reference: str = ""
    version: str = ""
    null_flavour: str = ""


class TsParameter(NamedTuple):
    code: str
    source: str
    values: Callable[[Spec], list[TsValue]]

    @property
    def name(self) -> str:
        return terminology.ts_parameter_name(self.code)


def _field_text(spec: Spec, key: str) -> str | None:
    found = spec.trial_field(key)
    if found is None:
        return None
    value = found.value
    if value.kind in ("quantity", "number"):
        return value.text or str(value.value)
    return str(value.value)


def _field_texts(spec: Spec, key: str) -> list[str]:
    if spec.trial is None:
        return []
    return [str(v.value) for f in spec.trial.all(key) for v in f.values]


def _text(texts: list[str]) -> list[TsValue]:
    return [TsValue(t) for t in texts if t]


def _ct(list_name: str, texts: list[str]) -> list[TsValue]:
    """Values from a CDISC codelist, with their NCI codes; a value the (extensible)
    codelist does not hold is written as it is, uncoded."""
    values = []
    for text in texts:
        found = terminology.term(list_name, text)
        if found is None:
            values.append(TsValue(text))
        else:
            values.append(
                TsValue(found.value, found.code, terminology.REFERENCE, terminology.VERSION)
            )
    return values


def _iso(texts: list[str]) -> list[TsValue]:
    return [TsValue(t, reference="ISO 8601") for t in texts if t]


def _mapped(spec: Spec, key: str, table: dict[str, str]) -> list[str]:
    return [table[v] for v in _field_texts(spec, key) if v in table]


def _age(spec: Spec, key: str) -> list[str]:
    """An age or a length as an ISO 8601 duration (18 years -> P18Y)."""
    found = spec.trial_field(key)
    if found is None or not isinstance(found.value.value, m.Quantity):
        return []
    duration = iso_duration(found.value.value)
    return [duration] if duration else [quantity_in_words(found.value.value)]


def _age_max(spec: Spec) -> list[TsValue]:
    stated = _age(spec, "maximum_age")
    if stated:
        return _iso(stated)
    # no upper limit: SDTMIG's null flavour for an unbounded maximum
    if spec.trial_field("minimum_age") is not None:
        return [TsValue("", null_flavour="PINF")]
    return []


def _date(spec: Spec, key: str) -> str | None:
    found = spec.trial_field(key)
    if found is None or found.value.kind != "date":
        return None
    return cast(datetime.date, found.value.value).isoformat()


def _start_date(spec: Spec) -> list[TsValue]:
    """SSTDTC: the start date (anticipated until the trial recruits: rebuild with the
    actual date for a submission); a TS without it is rejected, so an unknown start is
    written with the null flavour UNK rather than left out."""
    found = _date(spec, "start_date")
    if found is not None:
        return _iso([found])
    return [TsValue("", null_flavour="UNK")] if spec.trial is not None else []


_FINISHED = ("completed", "terminated")


def _end_date(spec: Spec) -> list[TsValue]:
    """SENDTC: the completion date, once it is actual (the trial completed or terminated)."""
    found = _date(spec, "completion_date")
    return _iso([found]) if found and _field_text(spec, "status") in _FINISHED else []


_YEAR = Decimal(1)


def _investigational(spec: Spec) -> list[m.Intervention]:
    """Interventions the experimental arms receive (all interventions if no arm is typed)."""
    names: dict[str, None] = {}
    for arm in spec.arms.values():
        if arm.type == "experimental":
            names.update(dict.fromkeys(arm.receives))
    if not names:
        names = dict.fromkeys(spec.interventions)
    return [spec.interventions[n] for n in names if n in spec.interventions]


def _doses(spec: Spec) -> list[m.Quantity]:
    """Doses per administration: the investigational product's `dose`, else its dose levels."""
    chosen = _investigational(spec)
    doses = [
        v.value
        for i in chosen
        for f in i.fields
        if f.key == "dose"
        for v in f.values
        if isinstance(v.value, m.Quantity)
    ]
    if doses:
        return doses
    names = {i.name for i in chosen}
    levels = [
        level.dose
        for finding in spec.dose_findings
        if finding.intervention in names
        for level in finding.levels
    ]
    if levels:
        return levels
    # a dosing regimen's dose, when neither the intervention nor a dose finding gives one
    return [r.dose for r in _regimens(spec) if r.dose is not None]


def _regimens(spec: Spec) -> list[m.Regimen]:
    """The dosing regimens of the investigational interventions."""
    names = {i.name for i in _investigational(spec)}
    return [r for r in spec.regimens.values() if r.intervention in names]


def _frequencies(spec: Spec) -> list[TsValue]:
    """DOSFRQ: the CDISC FREQ term of each investigational regimen (of its `frequency`,
    else of its repeat interval, ONCE for a single dose); without regimens, the
    intervention's `frequency`, coded where it is a FREQ term."""
    terms: dict[str, TsValue] = {}
    for regimen in _regimens(spec):
        term = regimen_frequency(spec, regimen)
        found = frequency(term) if term is not None else None
        if found is not None:
            # "EVERY 3 WEEKS" for Q3W: the codelist's value, with its code
            terms[found.submission] = TsValue(
                found.submission, found.code, terminology.REFERENCE, terminology.VERSION
            )
    return list(terms.values()) or _ct("FREQ", _intervention_values(spec, "frequency"))


def _routes(spec: Spec) -> list[str]:
    """ROUTE: the investigational interventions' routes, else their regimens'."""
    routes = _intervention_values(spec, "route")
    if routes:
        return routes
    found: dict[str, None] = {}
    for regimen in _regimens(spec):
        f = regimen.field("route")
        if f is not None:
            found[str(f.value.value)] = None
    return list(found)


def _intervention_values(spec: Spec, key: str) -> list[str]:
    values: dict[str, None] = {}
    for intervention in _investigational(spec):
        found = intervention.field(key)
        if found is not None:
            values.update(dict.fromkeys(str(v.value) for v in found.values))
    return list(values)


def _objectives(level: str) -> Callable[[Spec], list[TsValue]]:
    return lambda spec: _text([o.text for o in spec.objectives if o.level == level])


def _indication(spec: Spec) -> list[TsValue]:
    """INDIC: the indication, else the conditions, coded with SNOMED CT where the
    condition carries a SNOMED code."""
    stated = _field_text(spec, "indication")
    if stated:
        return [TsValue(stated)]
    if spec.trial is None:
        return []
    values = []
    for f in spec.trial.all("condition"):
        snomed = next((c.value for c in f.codes if c.system.upper() in ("SNOMED", "SCT")), "")
        for v in f.values:
            values.append(TsValue(str(v.value), snomed, "SNOMED" if snomed else ""))
    return values


def _indication_type(spec: Spec) -> list[TsValue]:
    stated = [v.upper() for v in _field_texts(spec, "indication_type")]
    if not stated:
        stated = _mapped(
            spec,
            "purpose",
            {"treatment": "TREATMENT", "prevention": "PREVENTION", "diagnostic": "DIAGNOSIS"},
        )
    return _ct("TINDTP", stated)


TRIAL_PHASES = {
    "0": "Phase 0 Trial",
    "1": "Phase I Trial",
    "1a": "Phase Ia Trial",
    "1b": "Phase Ib Trial",
    "1/2": "Phase I/II Trial",
    "2": "Phase II Trial",
    "2a": "Phase IIa Trial",
    "2b": "Phase IIb Trial",
    "2/3": "Phase II/III Trial",
    "3": "Phase III Trial",
    "3a": "Phase IIIa Trial",
    "3b": "Phase IIIb Trial",
    "4": "Phase IV Trial",
    "5": "Phase V Trial",
    "na": "Not Applicable",
}
BLINDING = {
    "open_label": "OPEN LABEL",
    "single": "SINGLE BLIND",
    "double": "DOUBLE BLIND",
    "triple": "TRIPLE BLIND",
    "quadruple": "QUADRUPLE BLIND",
}
CONTROL = {
    "placebo": "PLACEBO",
    "active": "ACTIVE",
    "dose_comparison": "DOSE COMPARISON",
    "none": "NONE",
    "historical": "HISTORICAL",
}
INTERVENTION_MODEL = {
    "single_group": "SINGLE GROUP",
    "parallel": "PARALLEL",
    "crossover": "CROSS-OVER",
    "factorial": "FACTORIAL",
    "sequential": "SEQUENTIAL",
}
YES_NO = {"yes": "Y", "no": "N"}
RANDOMIZED = {"randomized": "Y", "non_randomized": "N", "na": "N"}
SEX_POPULATION = {"all": "BOTH", "female": "F", "male": "M"}


def _blinding(spec: Spec) -> list[TsValue]:
    stated = _field_text(spec, "masking")
    level = allocation.effective_masking(spec.masking, stated)
    return _ct("TBLIND", [BLINDING[level]] if level in BLINDING else [])


def _randomised(spec: Spec) -> list[TsValue]:
    stated = _mapped(spec, "allocation", RANDOMIZED)
    if not stated and spec.randomisation is not None:
        stated = ["Y"]
    return _ct("NY", stated)


def _randomisation_quotient(spec: Spec) -> list[TsValue]:
    """RANDQT: the share of subjects randomised to the investigational product (the
    ratio's experimental arms), as a decimal of at most two places as TS writes it."""
    randomisation = spec.randomisation
    if randomisation is None:
        return []
    weights = allocation.weights(randomisation)
    experimental = {a.name for a in spec.arms.values() if a.type == "experimental"}
    if not weights or not experimental:
        return []
    quotient = allocation.randomisation_quotient(weights, experimental)
    text = f"{float(quotient):.2f}".rstrip("0").rstrip(".")
    return [TsValue(text or "0")]


def _phase(spec: Spec) -> list[TsValue]:
    phase = _field_text(spec, "phase")
    if phase is None:
        return []
    text = TRIAL_PHASES.get(phase.strip().lower().replace(" ", ""))
    return _ct("TPHASE", [text] if text else [])


def _registries(spec: Spec) -> list[TsValue]:
    """REGID, coded with the registry's name where the identifier says which it is."""
    values = []
    for identifier in _field_texts(spec, "registry"):
        if re.fullmatch(r"NCT\d{8}", identifier):
            values.append(TsValue(identifier, identifier, "ClinicalTrials.gov"))
        elif re.fullmatch(r"\d{4}-\d{6}-\d{2}", identifier):
            values.append(TsValue(identifier, identifier, "EudraCT"))
        else:
            values.append(TsValue(identifier))
    return values


def _arm_count(spec: Spec) -> list[TsValue]:
    return [TsValue(str(len(spec.arms)))] if spec.arms else []


def _plain_upper(values: list[str]) -> list[str]:
    return [v.replace("_", " ").upper() for v in values]


# The TS mapping table: parameter, where the value comes from, how.  TSPARM is the
# TS parameter codelist's name for the code (terminology.ts_parameter_name).
TS_PARAMETERS: tuple[TsParameter, ...] = (
    TsParameter("ADDON", "trial add_on", lambda s: _ct("NY", _mapped(s, "add_on", YES_NO))),
    TsParameter("AGEMAX", "trial maximum_age (none: PINF)", _age_max),
    TsParameter("AGEMIN", "trial minimum_age", lambda s: _iso(_age(s, "minimum_age"))),
    TsParameter("TBLIND", "trial masking, else the masking roles", _blinding),
    TsParameter("COMPTRT", "trial comparator", lambda s: _text(_field_texts(s, "comparator"))),
    TsParameter("TCNTRL", "trial control",
                lambda s: _ct("TCNTRL", _mapped(s, "control", CONTROL))),
    TsParameter("TDIGRP", "trial diagnosis_group",
                lambda s: _text(_field_texts(s, "diagnosis_group"))),
    TsParameter("DOSE", "investigational dose, else dose levels",
                lambda s: [TsValue(m.format_decimal(q.value)) for q in _doses(s)]),
    TsParameter("DOSFRQ", "regimen FREQ term, else intervention frequency", _frequencies),
    TsParameter("DOSU", "unit of the doses",
                lambda s: _ct("UNIT", list(dict.fromkeys(q.unit for q in _doses(s))))),
    TsParameter("INDIC", "trial indication, else condition (SNOMED code)", _indication),
    TsParameter("TINDTP", "trial indication_type, else purpose", _indication_type),
    TsParameter("LENGTH", "trial length", lambda s: _iso(_age(s, "length"))),
    TsParameter("OBJPRIM", "primary objectives", _objectives("primary")),
    TsParameter("OBJSEC", "secondary objectives", _objectives("secondary")),
    TsParameter("OBJEXP", "exploratory objectives", _objectives("exploratory")),
    TsParameter("TPHASE", "trial phase", _phase),
    TsParameter("PLANSUB", "trial enrolment",
                lambda s: _text([_field_text(s, "enrolment") or ""])),
    TsParameter("RANDOM", "trial allocation, else the randomisation", _randomised),
    TsParameter("RANDQT", "the ratio's experimental arms", _randomisation_quotient),
    TsParameter("REGID", "trial registry", _registries),
    TsParameter("ROUTE", "investigational route, else regimen route",
                lambda s: _ct("ROUTE", _plain_upper(_routes(s)))),
    TsParameter("SEXPOP", "trial sex", lambda s: _ct("SEXPOP", _mapped(s, "sex", SEX_POPULATION))),
    TsParameter("SPONSOR", "trial sponsor", lambda s: _text(_field_texts(s, "sponsor"))),
    TsParameter("STRATFCT", "the randomisation's factors",
                lambda s: _text([f.label or f.name for f in s.randomisation.factors]
                                if s.randomisation is not None else [])),
    TsParameter("TITLE", "trial title", lambda s: _text(_field_texts(s, "title"))),
    TsParameter("TRT", "investigational interventions",
                lambda s: _text([i.label or i.name for i in _investigational(s)])),
    TsParameter("TTYPE", "trial trial_type",
                lambda s: _ct("TTYPE", _plain_upper(_field_texts(s, "trial_type")))),
    TsParameter("SSTDTC", "trial start_date (unknown: UNK)", _start_date),
    TsParameter("SENDTC", "trial completion_date, once completed or terminated", _end_date),
    TsParameter("STYPE", "trial study_type",
                lambda s: _ct("STYPE", _plain_upper(_field_texts(s, "study_type")))),
    TsParameter("INTMODEL", "trial model",
                lambda s: _ct("INTMODEL", _mapped(s, "model", INTERVENTION_MODEL))),
    TsParameter("NARMS", "the arms declared", _arm_count),
    TsParameter("HLTSUBJI", "trial healthy_volunteers",
                lambda s: _ct("NY", _mapped(s, "healthy_volunteers", YES_NO))),
)  # fmt: skip


def ts_values(spec: Spec) -> list[tuple[str, str, int, str]]:
    """(TSPARMCD, TSPARM, TSSEQ, TSVAL) rows, TSVAL in full."""
    return [(code, name, seq, value.text) for code, name, seq, value in ts_coded_values(spec)]


def ts_coded_values(spec: Spec) -> list[tuple[str, str, int, TsValue]]:
    """(TSPARMCD, TSPARM, TSSEQ, value with its coding) rows."""
    rows = []
    for parameter in TS_PARAMETERS:
        for seq, value in enumerate(parameter.values(spec), start=1):
            rows.append((parameter.code, parameter.name, seq, value))
    return rows


def _ts_dataset(spec: Spec, study: str) -> Dataset:
    values = ts_coded_values(spec)
    pieces = [split_text(value.text) for *_rest, value in values]
    extra = max((len(p) for p in pieces), default=1) - 1
    columns = (
        TS_COLUMNS
        + tuple(Column(f"TSVAL{n}", f"Parameter Value {n}") for n in range(1, extra + 1))
        + TS_CODING_COLUMNS
    )
    rows: list[list[Cell]] = []
    for (code, name, seq, value), parts in zip(values, pieces, strict=True):
        cells: list[Cell] = [study, "TS", seq, code, name, parts[0]]
        cells += [parts[n] if n < len(parts) else "" for n in range(1, extra + 1)]
        cells += [value.null_flavour, value.code, value.reference, value.version]
        rows.append(cells)
    return Dataset("TS", "Trial Summary", columns, rows)


# ---------------------------------------------------------------- XPT


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _xpt_stamp(spec: Spec) -> bytes:
    """The date written into XPT headers: the protocol version date, else 1 January 1970."""
    found = spec.trial_field("version_date")
    if found is not None and found.value.kind == "date":
        date = cast(datetime.date, found.value.value)  # what a "date" value holds
        text = f"{date.day:02d}{_MONTHS[date.month - 1]}{date.year % 100:02d}:00:00:00"
        return text.encode("ascii")
    return b"01JAN70:00:00:00"


def write_xpt(path: Path, dataset: Dataset, stamp: bytes) -> list[Transliteration]:
    """SAS transport v5 in ASCII, stamped with `stamp` instead of the build time; the
    cells whose text had to be rewritten in ASCII."""
    variables = [Variable(c.name, c.label, c.numeric) for c in dataset.columns]
    rewritten: list[Transliteration] = []
    rows = []
    for number, row in enumerate(dataset.rows, start=1):
        cells: list[float | str | None] = []
        for i, column in enumerate(dataset.columns):
            value = _xpt_value(row[i], column.numeric)
            if isinstance(value, str) and not value.isascii():
                ascii_text = to_ascii(value)
                rewritten.append(
                    Transliteration(dataset.name, column.name, number, value, ascii_text)
                )
                value = ascii_text
            cells.append(value)
        rows.append(cells)
    path.write_bytes(xport_bytes(dataset.name, dataset.label, variables, rows, stamp))
    return rewritten


def _xpt_value(value: Cell, numeric: bool) -> float | str | None:
    """A cell as XPT stores it: a number (None when empty) or text."""
    if numeric:
        return None if value is None or value == "" else float(value)
    return "" if value is None else str(value)
