"""CDISC SDTM (and ADaM) datasets read through the spec's `mapping` declaration.

This module owns the meaning of a mapping rule (documented in docs/mapping.md):

* ``visits.date from SV.SVSTDTC visit SV.VISITNUM`` — the actual date of each
  visit; SDTM ``VISITNUM`` is matched to the spec visits' ``number``;
* ``subject.arm from DM.ARMCD`` / ``subject.dose_level from D.V`` — the arm or
  dose level the subject is assigned to (``SCRNFAIL``, ``NOTASSGN``,
  ``NOTTRT`` and ``UNPLAN`` mean none);
* ``form.item from DOMAIN.VAR [where "VAR" = "value"] [visit D.V | date D.V]
  [unit D.V]`` — an item's values.  For a non-repeating form the value goes
  to the visit whose ``number`` is the row's ``visit`` variable, or to the
  visit the subject attended on the row's ``date``, else (subject-level
  datasets such as DM and ADSL) to the form's first visit.  For a repeating
  form each row is one record; the rules of a form that read the same
  dataset fill the same record.  ``unit`` gives the unit of a quantity row by
  row.  A code (``M``, ``F``, ``Y``, ``N``) is matched to a code-list entry by
  name, then by label, ignoring case.

Subjects are identified by ``USUBJID``.  Datasets are SAS transport (XPT)
files named after their domain (``dm.xpt``), read with pyreadstat in
Windows-1252, falling back to Latin-1.  Every row that cannot be placed
(unknown visit number, a second value for the same field) is reported with
its dataset, row number and subject.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.data.batch import Batch, InputError, RawSubject, blank, subject_record
from protocol_dsl.evaluate.subject import DataDictionary, DataProblem, FormInfo, ItemInfo
from protocol_dsl.spec import Spec

SUBJECT_ID = "USUBJID"
#: SDTM ARMCD / ACTARMCD values that mean "no arm" (SDTM IG 3.3, section 5.2)
NO_ARM = frozenset({"SCRNFAIL", "NOTASSGN", "NOTTRT", "UNPLAN"})
SUBJECT_TARGETS = ("arm", "dose_level")

#: CDISC controlled-terminology units (codelist UNIT) that are not UCUM codes,
#: and the UCUM code each stands for.
CDISC_UNITS = {
    "mmHg": "mm[Hg]",
    "cmH2O": "cm[H2O]",
    "C": "Cel",
    "F": "[degF]",
    "beats/min": "/min",
    "breaths/min": "/min",
    "IU": "[IU]",
    "IU/L": "[IU]/L",
    "IU/mL": "[IU]/mL",
    "mIU/L": "m[IU]/L",
    "mIU/mL": "m[IU]/mL",
    "uIU/mL": "u[IU]/mL",
    "10^3/uL": "10*3/uL",
    "10^6/uL": "10*6/uL",
    "10^9/L": "10*9/L",
    "10^12/L": "10*12/L",
    # eGFR normalised to 1.73 m² body surface area: another scale than mL/min
    "mL/min/1.73m2": "mL/min/{1.73_m2}",
    "in": "[in_i]",
    "LB": "[lb_av]",
    "mg/day": "mg/d",
    "g/day": "g/d",
    "HOURS": "h",
    "DAYS": "d",
    "YEARS": "a",
}


#: CDISC submission values of the terms a code-list entry may be coded with
#: (`female "Female" [CDISC C16576]`): SDTM holds the submission value (DM.SEX = F),
#: which is neither the entry's name nor its label.  The sex terms, as in the CDISC
#: SEX and SEXPOP codelists.
CDISC_SUBMISSION_VALUES = {"C16576": "F", "C20197": "M"}


@attrs.frozen
class Rule:
    """One mapping rule, resolved against the data dictionary."""

    target: str  # "visit_date" | "arm" | "dose_level" | "item"
    domain: str
    variable: str
    where: tuple[str, str] | None = None
    visit: str | None = None  # variable holding the visit number
    date: str | None = None  # variable holding the date the value was collected
    unit: str | None = None  # variable holding the unit
    impute: str | None = None  # a partial date: its first or last day
    form: FormInfo | None = None
    item: ItemInfo | None = None
    text: str = ""


def choose_mapping(spec: Spec, name: str | None = None) -> m.Mapping:
    mappings = spec.mappings
    if not mappings:
        raise InputError(
            "the spec declares no mapping, so SDTM datasets cannot be read: add a "
            "`mapping sdtm { … }` block (see docs/mapping.md)"
        )
    if name is not None:
        for mapping in mappings:
            if mapping.name == name:
                return mapping
        raise InputError(f"the spec has no mapping named '{name}'")
    for mapping in mappings:
        if mapping.name.lower() == "sdtm":
            return mapping
    return mappings[0]


def plan(dictionary: DataDictionary, mapping: m.Mapping) -> list[Rule]:
    """The rules of a mapping, resolved; a rule that names nothing is an input error."""
    rules: list[Rule] = []
    for rule in mapping.rules:
        text = f"{rule.target.dotted} from {rule.source.dotted}"
        if len(rule.source.parts) != 2:
            raise InputError(f"mapping rule '{text}': the source must be DATASET.VARIABLE")
        domain, variable = rule.source.parts
        domain = domain.upper()
        options: dict[str, str | None] = {}
        for key in ("visit", "date", "unit"):
            ref = getattr(rule, key)
            if ref is None:
                options[key] = None
                continue
            if len(ref.parts) != 2 or ref.parts[0].upper() != domain:
                raise InputError(
                    f"mapping rule '{text}': {key} must be a variable of {domain}, not {ref.dotted}"
                )
            options[key] = ref.parts[1]
        target = rule.target.parts
        common: dict[str, Any] = {
            "domain": domain,
            "variable": variable,
            "where": rule.where,
            "impute": rule.impute,
            "text": text,
            **options,
        }
        if target == ("visits", "date"):
            rules.append(Rule("visit_date", **common))
            continue
        if len(target) == 2 and target[0] == "subject" and target[1] in SUBJECT_TARGETS:
            rules.append(Rule(target[1], **common))
            continue
        form = dictionary.form(".".join(target[:-1])) if len(target) >= 2 else None
        item = form.items.get(target[-1]) if form is not None else None
        if form is None or item is None:
            raise InputError(f"mapping rule '{text}': {rule.target.dotted} is not an item")
        rules.append(Rule("item", form=form, item=item, **common))
    return rules


# ---------------------------------------------------------------- reading datasets


def find_datasets(paths: Iterable[Path]) -> dict[str, Path]:
    """Dataset files by domain (file name without extension, upper case)."""
    found: dict[str, Path] = {}
    for path in paths:
        files = sorted(path.glob("*.xpt")) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".xpt":
                found.setdefault(file.stem.upper(), file)
    return found


def read_xpt(path: Path) -> list[dict[str, Any]]:
    """The rows of a SAS transport file (Windows-1252 text, else Latin-1)."""
    import pyreadstat

    try:
        frame, _meta = pyreadstat.read_xport(str(path), encoding="cp1252")
    except UnicodeDecodeError:
        frame, _meta = pyreadstat.read_xport(str(path), encoding="latin1")
    except Exception as error:  # pyreadstat raises its own error classes
        try:
            frame, _meta = pyreadstat.read_xport(str(path), encoding="latin1")
        except Exception:
            raise InputError(f"cannot read {path} as a SAS transport file: {error}") from None
    return frame.to_dict("records")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


class _Reader:
    def __init__(self, spec: Spec, dictionary: DataDictionary, rules: list[Rule]) -> None:
        self.spec = spec
        self.dictionary = dictionary
        self.rules = rules
        self.batch = Batch()
        self.subjects: dict[str, RawSubject] = {}
        self.visit_numbers = {
            float(v.number): v.name for v in spec.visits.values() if v.number is not None
        }
        self.filled: dict[tuple[str, str, Any, str], str] = {}
        self.records: dict[tuple[str, str, str, int], int] = {}
        self.reported: set[tuple[str, int]] = set()  # rows already reported as unusable

    def subject(self, subject_id: str, where: str) -> RawSubject:
        return subject_record(self.subjects, subject_id, where)

    def problem(
        self,
        subject: RawSubject | None,
        rule: Rule,
        reason: str,
        where: str,
        position: Any = None,
        value: Any = None,
    ) -> None:
        form = (
            rule.form.storage
            if rule.form is not None
            else ("visits" if rule.target == "visit_date" else "subject")
        )
        item = rule.item.name if rule.item is not None else None
        problem = DataProblem(
            subject.record["subject_id"] if subject else None,
            form,
            position,
            item,
            value,
            reason,
            where,
        )
        (subject.problems if subject else self.batch.problems).append(problem)

    def read(self, datasets: Mapping[str, list[dict[str, Any]]]) -> Batch:
        order = {"visit_date": 0, "arm": 1, "dose_level": 1, "item": 2}
        for rule in sorted(self.rules, key=lambda r: order[r.target]):
            rows = datasets.get(rule.domain)
            if rows is None:
                continue
            for index, row in enumerate(rows, start=1):
                self.apply(rule, row, index)
        self.batch.subjects = [self.subjects[k] for k in sorted(self.subjects)]
        supplied = {(r.form.storage, r.item.name) for r in self.rules if r.form and r.item}
        self.batch.coverage = supplied
        self.batch.forms_supplied = {storage for storage, _ in supplied}
        return self.batch

    def apply(self, rule: Rule, row: Mapping[str, Any], index: int) -> None:
        where = f"{rule.domain} row {index}"
        if rule.where is not None:
            column, wanted = rule.where
            if str(_clean(row.get(column, ""))) != wanted:
                return
        subject_id = row.get(SUBJECT_ID)
        if blank(subject_id):
            if (rule.domain, index) not in self.reported:
                self.reported.add((rule.domain, index))
                self.problem(None, rule, f"the row has no {SUBJECT_ID}; it is skipped", where)
            return
        subject = self.subject(str(_clean(subject_id)), where)
        value = row.get(rule.variable)
        if blank(value):
            return
        value = _clean(value)
        if rule.target == "visit_date":
            self.visit_date(subject, rule, row, value, where)
        elif rule.target in SUBJECT_TARGETS:
            self.subject_value(subject, rule, value, where)
        else:
            self.item_value(subject, rule, row, value, where, index)

    def visit_of(
        self, subject: RawSubject, rule: Rule, row: Mapping[str, Any], where: str
    ) -> str | None:
        number = row.get(rule.visit) if rule.visit else None
        if number is None or blank(number):
            self.problem(subject, rule, f"the row has no {rule.visit}; it is skipped", where)
            return None
        try:
            visit = self.visit_numbers.get(float(number))
        except (TypeError, ValueError):
            visit = None
        if visit is None:
            name = row.get("VISIT")
            shown = f"{_number(number)}" + (f" ({_clean(name)})" if not blank(name) else "")
            self.problem(
                subject,
                rule,
                f"{rule.visit} {shown} is not the number of any visit of the spec; the row is "
                "not read",
                where,
                value=_number(number),
            )
        return visit

    def visit_date(
        self, subject: RawSubject, rule: Rule, row: Mapping[str, Any], value: Any, where: str
    ) -> None:
        if rule.visit is None:
            self.problem(subject, rule, "visits.date needs `visit DOMAIN.VISITNUM`", where)
            return
        visit = self.visit_of(subject, rule, row, where)
        if visit is None:
            return
        visits = subject.record.setdefault("visits", {})
        if visit in visits:
            self.problem(
                subject,
                rule,
                f"a second date for visit {visit} (the first, {visits[visit]}, is kept)",
                where,
                visit,
                value,
            )
            return
        visits[visit] = _date_text(value)
        subject.provenance[("visits", visit)] = where

    def subject_value(self, subject: RawSubject, rule: Rule, value: Any, where: str) -> None:
        text = str(value)
        if rule.target == "arm":
            if text.upper() in NO_ARM:
                return
            text = _match(text, self.spec.arms)
        elif self.spec.dose_finding is not None:
            text = _match(text, [lv.name for lv in self.spec.dose_finding.levels])
        current = subject.record.get(rule.target)
        if current is not None and current != text:
            self.problem(
                subject, rule, f"a second {rule.target} ({current} is kept)", where, None, text
            )
            return
        subject.record[rule.target] = text
        subject.provenance[(rule.target, None)] = where

    def item_value(
        self,
        subject: RawSubject,
        rule: Rule,
        row: Mapping[str, Any],
        value: Any,
        where: str,
        index: int,
    ) -> None:
        form, item = rule.form, rule.item
        assert form is not None and item is not None
        value = self.code(item, value)
        if rule.impute is not None and item.kind == "date":
            value = impute_partial_date(value, rule.impute)
        if rule.unit is not None and not blank(row.get(rule.unit)):
            unit = str(_clean(row[rule.unit]))
            value = {"value": value, "unit": CDISC_UNITS.get(unit, unit)}
        forms = subject.record.setdefault("forms", {})
        sid = subject.record["subject_id"]
        if form.repeating:
            records = forms.setdefault(form.storage, [])
            key = (sid, form.storage, rule.domain, index)
            position = self.records.get(key)
            if position is None:
                position = len(records)
                self.records[key] = position
                records.append({})
                subject.provenance[(form.storage, position)] = where
            records[position][item.name] = value
            return
        if rule.visit is not None:
            visit = self.visit_of(subject, rule, row, where)
        elif rule.date is not None:
            visit = self.visit_on(subject, rule, row, where)
        else:
            visit = form.visits[0] if form.visits else None
        if visit is None:
            return
        field = (sid, form.storage, visit, item.name)
        if field in self.filled:
            self.problem(
                subject,
                rule,
                f"a second value for this field (the value from {self.filled[field]} is kept)",
                where,
                visit,
                value,
            )
            return
        self.filled[field] = where
        forms.setdefault(form.storage, {}).setdefault(visit, {})[item.name] = value
        subject.provenance.setdefault((form.storage, visit), where)

    def visit_on(
        self, subject: RawSubject, rule: Rule, row: Mapping[str, Any], where: str
    ) -> str | None:
        date = row.get(rule.date) if rule.date else None
        if blank(date):
            self.problem(subject, rule, f"the row has no {rule.date}; it is skipped", where)
            return None
        day = _date_text(_clean(date))
        for visit, attended in (subject.record.get("visits") or {}).items():
            if attended == day:
                return visit
        self.problem(
            subject,
            rule,
            f"the subject attended no visit on {day}; the row is not read",
            where,
            value=day,
        )
        return None

    def code(self, item: ItemInfo, value: Any) -> Any:
        """An SDTM code as the code-list entry it stands for (M → M, Y → yes …)."""
        if item.kind == "choice" and isinstance(value, str) and item.entries:
            return _match(value, item.entries, _labels(self.spec, item))
        if item.kind in ("date", "datetime"):
            return _date_text(value) if item.kind == "date" else value
        return value


def _labels(spec: Spec, item: ItemInfo) -> dict[str, str]:
    from protocol_dsl.spec import Scope

    codelist = item.item.type.codelist
    labels: dict[str, str] = {}
    if codelist is None:
        return labels
    for owner in spec.all_specs():
        symbol = owner.resolve(codelist.parts, Scope(owner))
        if symbol is not None and symbol.codelist is not None:
            for entry in symbol.codelist.entries:
                if entry.label:
                    labels[entry.label.lower()] = entry.name
                for code in entry.codes:
                    value = CDISC_SUBMISSION_VALUES.get(code.value)
                    if code.system.upper() == "CDISC" and value is not None:
                        labels.setdefault(value.lower(), entry.name)
            break
    return labels


def _match(text: str, names: Iterable[str], labels: Mapping[str, str] | None = None) -> str:
    names = list(names)
    if text in names:
        return text
    lowered = {n.lower(): n for n in names}
    if text.lower() in lowered:
        return lowered[text.lower()]
    if labels and text.lower() in labels:
        return labels[text.lower()]
    return text


def _date_text(value: Any) -> Any:
    """An ISO date-time's date part ("2014-07-02T11:45" → "2014-07-02"); dates as they are."""
    if isinstance(value, str) and len(value) > 10 and value[10] == "T":
        return value[:10]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return value


def impute_partial_date(value: Any, end: str) -> Any:
    """A partial ISO 8601 date as the first (or last) day of its month or year.

    ``2012-02`` → ``2012-02-01`` (``2012-02-29`` for the last day), ``2003`` →
    ``2003-01-01`` (``2003-12-31``); a full date, or text that is no date at
    all, is returned as it is (and read, or reported, as any other date).
    """
    import calendar
    import re

    if not isinstance(value, str):
        return value
    found = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)
    if found is None:
        return value
    year = int(found.group(1))
    month = found.group(2)
    if month is None:
        return f"{year:04d}-01-01" if end == "first" else f"{year:04d}-12-31"
    number = int(month)
    if not 1 <= number <= 12:
        return value
    day = 1 if end == "first" else calendar.monthrange(year, number)[1]
    return f"{year:04d}-{number:02d}-{day:02d}"


def _number(value: Any) -> Any:
    if isinstance(value, float) and value == int(value):
        return int(value)
    return value


def read_sdtm(
    spec: Spec,
    dictionary: DataDictionary,
    paths: Iterable[Path],
    mapping_name: str | None = None,
) -> Batch:
    """Subject records from SDTM/ADaM datasets through the spec's mapping."""
    mapping = choose_mapping(spec, mapping_name)
    rules = plan(dictionary, mapping)
    files = find_datasets(paths)
    if not files:
        raise InputError("no SAS transport (.xpt) datasets found")
    complete = completeness(dictionary, mapping)
    needed = sorted({rule.domain for rule in rules} | {domain for _, domain in complete})
    datasets: dict[str, list[dict[str, Any]]] = {}
    batch_problems: list[DataProblem] = []
    for domain in needed:
        path = files.get(domain)
        if path is None:
            batch_problems.append(
                DataProblem(
                    None,
                    None,
                    None,
                    None,
                    domain,
                    f"no {domain} dataset ({domain.lower()}.xpt) among the inputs: the mapping "
                    f"rules that read {domain} give no data",
                    domain,
                )
            )
            continue
        rows = read_xpt(path)
        if rows and SUBJECT_ID not in rows[0]:
            raise InputError(f"{path.name} has no {SUBJECT_ID} variable")
        datasets[domain] = rows
    reader = _Reader(spec, dictionary, rules)
    batch = reader.read(datasets)
    _declare_complete(reader, batch, complete, datasets)
    batch.problems[:0] = batch_problems
    return batch


def completeness(dictionary: DataDictionary, mapping: m.Mapping) -> list[tuple[str, str]]:
    """(form storage name, dataset) of each `complete FORM for DATASET` of a mapping."""
    declared: list[tuple[str, str]] = []
    for complete in mapping.complete:
        form = dictionary.form(complete.form.dotted)
        if form is None or not form.repeating:
            raise InputError(
                f"mapping: 'complete {complete.form.dotted} for {complete.domain}': "
                f"{complete.form.dotted} is not a repeating form"
            )
        declared.append((form.storage, complete.domain.upper()))
    return declared


def _declare_complete(
    reader: _Reader,
    batch: Batch,
    complete: list[tuple[str, str]],
    datasets: Mapping[str, list[dict[str, Any]]],
) -> None:
    """Mark each subject of a dataset as having the whole log of a form declared complete.

    A subject the dataset lists (DM lists every subject of the study) and whose
    log has no rows then has none; a subject it does not list stays unknown,
    and so does everyone when a dataset the log is mapped from is not among
    the inputs.
    """
    for storage, domain in complete:
        sources = {
            r.domain for r in reader.rules if r.form is not None and r.form.storage == storage
        }
        if not sources or not sources <= set(datasets):
            continue  # the log's own datasets were not read: it is not recorded, not empty
        for index, row in enumerate(datasets.get(domain, ()), start=1):
            subject_id = _clean(row.get(SUBJECT_ID))
            if blank(subject_id):
                continue
            reader.subject(str(subject_id), f"{domain} row {index}").complete_forms.add(storage)
    batch.subjects = [reader.subjects[k] for k in sorted(reader.subjects)]
