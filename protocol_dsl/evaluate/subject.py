"""Subject records: validation and normalisation against the data dictionary.

This module owns the meaning of one subject record (the JSON format every
back end reads) and turns it into the typed values the interpreter reads:
quantities as floats in the item's declared unit, dates as `datetime.date`,
titers as their denominator, yes/no as booleans, choices as code-list entry
names.  Every value that cannot be read (wrong type, unknown code, impossible
date, a unit the item cannot have, a value outside the item's range, a form,
visit or item the spec does not have) becomes a `DataProblem` and is dropped:
the criteria that read it are then unknown, never silently false.  A record is
never rejected as a whole: even one without a subject id comes out, under a
stand-in id, with its problems.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, TypeAlias

import attrs

from protocol_dsl import model as m
from protocol_dsl.errors import UserError
from protocol_dsl.evaluate.values import (
    LARGEST,
    TITER_LARGEST,
    convert,
    date_interval,
    exact,
    format_number,
    impute_date,
    parse_date,
    parse_partial_date,
    parse_titer,
    unit_transform,
)
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.conversions import ItemConversion, item_conversions, recorded_conversion
from protocol_dsl.spec import FormUse, Scope, Spec

#: The reserved key under which a record carries its position: its index in a
#: repeating form, or its visit in a non-repeating form (no item can be named "#").
POSITION = "#"

TOP_LEVEL_KEYS = ("subject_id", "visits", "forms", "attestations", "arm", "dose_level", "witness")
# "witness" is metadata that `protocol witness` puts on the subjects it builds.


@attrs.frozen
class DataProblem:
    """One value or row that could not be read, and why, in plain words."""

    subject_id: str | None
    form: str | None
    visit_or_record_index: str | int | None
    item: str | None
    value: Any
    reason: str
    source: str | None = None  # where it came from: "medications.csv row 4", "EX row 12"
    check: str | None = None  # the edit check it also is, e.g. ITEM_OUT_OF_RANGE

    def where(self) -> str:
        """The field in words: medications[2].dose_start, serology.c3 at SCR."""
        parts: list[str] = []
        if self.form is not None:
            text = self.form
            if isinstance(self.visit_or_record_index, int):
                text += f"[{self.visit_or_record_index}]"
            if self.item is not None:
                text += f".{self.item}"
            if isinstance(self.visit_or_record_index, str):
                text += f" at {self.visit_or_record_index}"
            parts.append(text)
        elif self.item is not None:
            parts.append(self.item)
        elif self.visit_or_record_index is not None:
            parts.append(str(self.visit_or_record_index))
        if self.source:
            parts.append(f"({self.source})")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        from protocol_dsl.evaluate.values import to_json

        value = self.value
        if not isinstance(value, (str, int, float, bool, type(None))):
            value = to_json(value) if not isinstance(value, (dict, list)) else str(value)
        return {
            "subject_id": self.subject_id,
            "form": self.form,
            "visit_or_record_index": self.visit_or_record_index,
            "item": self.item,
            "value": value,
            "reason": self.reason,
            "source": self.source,
            "check": self.check,
        }


# ---------------------------------------------------------------- the data dictionary


class BadValue(UserError):
    """A value an item cannot hold; the message is the reason in plain words."""


class OutOfRange(BadValue):
    """A value of the right kind outside the item's declared range."""


Converter = Callable[[Any], Any]


@attrs.frozen
class ItemInfo:
    """An item as the subject data holds it: its type, unit, code list and range."""

    name: str
    item: m.Item
    kind: str
    unit: str | None
    entries: tuple[str, ...] | None
    range: tuple[Decimal, Decimal] | None  # exact, as `_bound` makes them
    label: str
    #: declared conversions from other scales (HbA1c in mmol/mol for an item in %)
    conversions: tuple[ItemConversion, ...] = ()

    @cached_property
    def converter(self) -> Converter:
        return _converter(self)


@attrs.frozen
class FormInfo:
    """A form as the trial collects it: storage name, visits and items."""

    use: FormUse
    items: dict[str, ItemInfo]
    #: item name → (converter, visits the item alone is collected at or None, whether a
    #: JSON true/false is the value as it is: yes/no items at every visit of the form)
    readers: dict[str, tuple[Converter, tuple[str, ...] | None, bool]] = attrs.field(
        init=False, eq=False, repr=False
    )
    # the form use's names, read once: every subject record reads them for every form
    storage: str = attrs.field(init=False, eq=False, repr=False)
    key: str = attrs.field(init=False, eq=False, repr=False)
    repeating: bool = attrs.field(init=False, eq=False, repr=False)
    visits: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        readers = {
            name: (
                info.converter,
                self.use.item_visits(info.item),
                info.kind == "yes_no" and info.item.visits is None,
            )
            for name, info in self.items.items()
        }
        object.__setattr__(self, "readers", readers)
        object.__setattr__(self, "storage", self.use.storage_name)
        object.__setattr__(self, "key", self.use.key)
        object.__setattr__(self, "repeating", self.use.repeating)
        object.__setattr__(self, "visits", self.use.visits)

    def item_visits(self, item: ItemInfo) -> tuple[str, ...]:
        """The visits an item is collected at (its own `collected at`, else the form's)."""
        visits = self.use.item_visits(item.item)
        return visits if visits is not None else self.visits


class DataDictionary:
    """The trial's forms and items by storage name, with their value converters."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.forms: dict[str, FormInfo] = {}
        for use in spec.form_uses:
            items = {item.name: _item_info(use.owner, item, spec) for item in use.form.items}
            self.forms[use.storage_name] = FormInfo(use, items)
        self.visits: tuple[str, ...] = tuple(v.name for v in spec.visit_order)
        self.criteria: dict[str, m.Criterion] = {c.id: c for c in spec.criteria}
        self.arms: tuple[str, ...] = tuple(spec.arms)
        finding = spec.dose_finding
        self.dose_levels: tuple[str, ...] = (
            tuple(level.name for level in finding.levels) if finding else ()
        )

    def form(self, key: str) -> FormInfo | None:
        """A form by storage name or by its dotted key (sle.sledai_2k_form)."""
        info = self.forms.get(key)
        if info is None:
            info = self.forms.get(key.replace(".", "__"))
        return info


def _item_info(owner: Spec, item: m.Item, root: Spec | None = None) -> ItemInfo:
    entries = None
    if item.type.kind == "choice" and item.type.codelist is not None:
        symbol = owner.resolve(item.type.codelist.parts, Scope(owner))
        if symbol is not None and symbol.codelist is not None:
            entries = tuple(e.name for e in symbol.codelist.entries)
    unit = item.type.unit if item.type.kind == "quantity" else None
    value_range = None
    if item.range is not None:
        value_range = (range_bound(item.range.low, unit), range_bound(item.range.high, unit))
    return ItemInfo(
        item.name,
        item,
        item.type.kind,
        unit,
        entries,
        value_range,
        item.label or item.name,
        item_conversions(root or owner, item),
    )


def range_bound(bound: Decimal | m.Quantity, unit: str | None) -> Decimal:
    """A range bound in the item's unit; as written when its unit does not convert.

    Exact, so that a value on the bound is in range (0.1 is not the float 0.1);
    every back end reads range bounds through this one function.
    """
    if isinstance(bound, m.Quantity):
        if unit is not None and bound.unit != unit:
            try:
                return convert(bound.value, unit_transform(bound.unit, unit))
            except units.UnitError:
                return Decimal(bound.value)
        return Decimal(bound.value)
    return Decimal(bound)


# ---------------------------------------------------------------- converting one value

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class _Missing:
    """What a converter returns for a blank cell or a NaN: the value is missing."""

    __slots__ = ()


MISSING: Any = _Missing()


def _number(value: Any) -> Decimal:
    """A number as the exact decimal it is written as (a float as the decimal it prints as)."""
    cls = value.__class__
    if cls is float:
        if value != value:  # NaN: an empty cell of a numeric column
            return MISSING
        if not math.isfinite(value):
            raise BadValue("not a finite number")
        return _held(Decimal(repr(value)))
    if cls is int:
        return _held(Decimal(value))
    if isinstance(value, bool):
        raise BadValue("a yes/no value where a number is expected")
    if isinstance(value, (int, float, Decimal)):
        number = exact(value) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return MISSING
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise BadValue(f"'{value}' is not a number") from None
        if not number.is_finite():
            raise BadValue(f"'{value}' is not a number")
    else:
        raise BadValue(f"a {_type_word(value)} where a number is expected")
    if not number.is_finite():
        raise BadValue("not a finite number")
    return _held(number)


def _held(number: Decimal) -> Decimal:
    """The number if the engines hold it exactly, else out of range (not an overflow)."""
    if abs(number) >= LARGEST:
        _sign, figures, exponent = number.as_tuple()
        # every caller has rejected infinities and NaN, whose exponent is a letter
        assert isinstance(exponent, int)
        digits = len(figures) + max(exponent, 0)
        shown = format_number(number) if digits <= 24 else f"a number of {digits} digits"
        raise OutOfRange(f"{shown} is out of range: numbers are less than 10^18 in magnitude")
    return number


def _type_word(value: Any) -> str:
    if isinstance(value, dict):
        return "group of fields"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _converter(info: ItemInfo) -> Converter:
    kind = info.kind
    lo_hi = info.range

    low, high = lo_hi if lo_hi is not None else (-math.inf, math.inf)

    def out_of_range(shown: str) -> BadValue:
        unit = f" {info.unit}" if info.unit else ""
        return OutOfRange(
            f"{shown} is outside the allowed range {format_number(low)} to "
            f"{format_number(high)}{unit}"
        )

    if kind == "quantity":
        item_unit = info.unit or "1"

        def quantity(value: Any) -> Any:
            if value.__class__ is dict:
                if set(value) - {"value", "unit"} or "value" not in value:
                    raise BadValue('a quantity is a number or {"value": n, "unit": "UCUM"}')
                number = _number(value["value"])
                if number is MISSING:
                    return MISSING
                unit = value.get("unit")
                # a blank unit is no unit, as a blank cell of a `<item>__unit` column is
                if unit is None or unit == item_unit or (unit.__class__ is str and _blank(unit)):
                    if not low <= number <= high:
                        raise out_of_range(f"{format_number(number)} {item_unit}")
                    return number
                if not isinstance(unit, str):
                    raise BadValue("the unit is not text")
                converted = _other_unit(number, unit, item_unit, info.conversions)
                if not low <= converted <= high:
                    raise out_of_range(
                        f"{format_number(number)} {unit} (= {format_number(converted)} {item_unit})"
                    )
                return converted, (number, unit)
            number = _number(value)
            if number is not MISSING and not low <= number <= high:
                raise out_of_range(f"{format_number(number)} {item_unit}")
            return number

        return quantity
    if kind in ("number", "integer"):

        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                raise BadValue("a group of fields where a number is expected")
            number = _number(value)
            if number is MISSING:
                return MISSING
            if kind == "integer" and number != int(number):
                raise BadValue(f"{format_number(number)} is not a whole number")
            if not low <= number <= high:
                raise out_of_range(format_number(number))
            return number

        return plain
    if kind == "date" and info.item.partial:
        return _partial_date(info.item.impute)
    if kind == "date":
        return _date
    if kind == "datetime":
        return _datetime
    if kind == "yes_no":
        return _yes_no
    if kind == "titer":

        def titer(value: Any) -> Any:
            if _blank(value):
                return MISSING
            denominator = parse_titer(value)
            if denominator is None:
                raise BadValue(f"'{value}' is not a titer (write 1:160 or 160)")
            if denominator > TITER_LARGEST:
                digits = len(str(denominator))
                shown = f"1:{denominator}" if digits <= 24 else f"a titer of {digits} digits"
                raise OutOfRange(f"{shown} is out of range: titers are at most 1:{TITER_LARGEST}")
            return denominator

        return titer
    if kind == "choice":
        entries = frozenset(info.entries or ())
        shown = ", ".join(info.entries or ())

        def choice(value: Any) -> Any:
            if value.__class__ is str and value in entries:
                return value
            if _blank(value):
                return MISSING
            if not isinstance(value, str):
                raise BadValue(f"a {_type_word(value)} where a code is expected (one of {shown})")
            raise BadValue(f"'{value}' is not a code of this item (one of {shown})")

        return choice

    def text(value: Any) -> Any:
        if value.__class__ is str:
            return value if value.strip() else MISSING
        if _blank(value):
            return MISSING
        if isinstance(value, (dict, list)):
            raise BadValue(f"a {_type_word(value)} where text is expected")
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            if not math.isfinite(value):
                # JSON's 1e400 arrives as inf: its written text is lost, so it is not read
                raise BadValue("not a finite number")
            if value == int(value):
                return str(int(value))
        return str(value)

    return text


def _other_unit(
    number: Decimal, unit: str, item_unit: str, declared: tuple[ItemConversion, ...]
) -> Decimal:
    """A value recorded in `unit` read in the item's unit: by UCUM's factor on one scale,
    through a declared conversion across scales, never by a factor across scales."""
    try:
        same = scales.same_scale(unit, item_unit)
    except units.UnitError:
        same = False
    if not same:
        through = recorded_conversion(declared, unit)
        if through is not None:
            # exact on the decimal as recorded, as the generated module and SQL read it
            converted = through[1](Fraction(number))
            return Decimal(converted.numerator) / Decimal(converted.denominator)
        if scales.different_scales(unit, item_unit):
            raise BadValue(
                f"the unit {scales.describe_scale(unit)} is another scale than the item's unit "
                f"{scales.describe_scale(item_unit)}: no factor converts them, and no conversion "
                "is declared for this item"
            )
    try:
        return convert(number, unit_transform(unit, item_unit))
    except units.UnitError as error:
        raise BadValue(_unit_reason(unit, item_unit, error)) from None


def _unit_reason(unit: str, item_unit: str, error: units.UnitError) -> str:
    try:
        units.parse_unit(unit)
    except units.UnitError:
        return f"'{unit}' is not a UCUM unit"
    return (
        f"the unit {unit} ({units.describe_dimension(unit)}) cannot be converted to the "
        f"item's unit {item_unit} ({units.describe_dimension(item_unit)})"
    )


def _blank(value: Any) -> bool:
    """An empty cell: blank text or a NaN."""
    if value.__class__ is float:
        return bool(value != value)
    return value.__class__ is str and not value.strip()


def _date(value: Any) -> Any:
    if value.__class__ is str:
        return _date_text(value)
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if _blank(value):
        return MISSING
    raise BadValue(f"a {_type_word(value)} where a date (YYYY-MM-DD) is expected")


@functools.lru_cache(maxsize=65536)
def _date_text(value: str) -> Any:
    """A date written as text (dates repeat across subjects: parsed once each)."""
    text = value.strip()
    if not text:
        return MISSING
    date = (
        parse_date(text[:10]) if len(text) >= 10 and (len(text) == 10 or text[10] == "T") else None
    )
    if date is None:
        if _looks_like_date(text):
            raise BadValue(f"'{value}' is not a calendar date")
        raise BadValue(f"'{value}' is not a date (write YYYY-MM-DD)")
    return date


def _partial_date(rule: str | None) -> Converter:
    """A date that may be known to the month or the year only: the day its imputation
    rule names, else (without a rule) the interval of its first and last day."""

    def partial(value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return MISSING
            ends = parse_partial_date(text)
            if ends is not None:
                if rule is not None:
                    return impute_date(*ends, rule)
                return date_interval(*ends)
        return _date(value)

    return partial


def _looks_like_date(text: str) -> bool:
    parts = text[:10].split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def _datetime(value: Any) -> Any:
    if _blank(value):
        return MISSING
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise BadValue(f"a {_type_word(value)} where a date and time is expected")
    try:
        return _dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadValue(f"'{value}' is not an ISO date and time") from None


def _yes_no(value: Any) -> Any:
    if value is True or value is False:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        if not word:
            return MISSING
    if _blank(value):
        return MISSING
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raise BadValue(f"'{value}' is not yes or no")


def read_date(value: Any) -> Any:
    """A visit date as a subject record's reader reads it: a `datetime.date`, `MISSING`
    for an empty cell; `BadValue` when it is not a date."""
    return _date(value)


def read_yes_no(value: Any) -> Any:
    """An attestation as a subject record's reader reads it: True or False, `MISSING`
    for an empty cell; `BadValue` when it is not yes or no."""
    return _yes_no(value)


def is_missing(value: Any) -> bool:
    """Absent, null, an empty cell or a NaN from a table."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


# ---------------------------------------------------------------- the normalised subject


class Subject:
    """One subject's data as the interpreter reads it.

    ``values`` maps (form storage name, visit) to that visit's record of a
    non-repeating form; ``records`` maps a repeating form's storage name to its
    records.  Records are dicts of item → typed value, with their position
    under `POSITION`.  ``origins`` keeps values as recorded when they were
    converted to the item's unit: (storage, visit or index, item) → (value, unit).
    ``unknown_forms`` are repeating forms whose records the input does not
    supply at all (a source mapped onto some forms only): quantifiers over
    them are unknown.  ``none_forms`` are repeating forms the input declares
    complete for the subject (an SDTM domain declared complete for the
    subjects in DM): an empty log of one of them means "none".  Any other
    empty or absent log is unknown unless the form's `none_recorded_by`
    question is answered "no" (see docs/screening.md).
    """

    __slots__ = (
        "arm",
        "attestations",
        "dose_level",
        "none_forms",
        "origins",
        "problems",
        "records",
        "subject_id",
        "unknown_forms",
        "values",
        "visits",
    )

    def __init__(self, subject_id: str) -> None:
        self.subject_id = subject_id
        self.visits: dict[str, _dt.date] = {}
        self.values: dict[tuple[str, str], dict[str, Any]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.attestations: dict[str, bool] = {}
        self.arm: str | None = None
        self.dose_level: str | None = None
        self.origins: dict[tuple[str, str | int, str], tuple[float, str]] = {}
        self.problems: list[DataProblem] = []
        self.unknown_forms: frozenset[str] = frozenset()
        self.none_forms: frozenset[str] = frozenset()


def subject_id_of(raw: Any, fallback_id: str) -> str:
    """The id a subject record is screened and reported under (every engine uses it):
    its `subject_id`, else (absent, blank, not a text or number) `fallback_id`."""
    if not isinstance(raw, Mapping):
        return fallback_id
    subject_id = raw.get("subject_id")
    if is_missing(subject_id) or isinstance(subject_id, (dict, list, bool)):
        return fallback_id
    if isinstance(subject_id, float) and subject_id.is_integer():  # inf is not
        return str(int(subject_id))
    return str(subject_id)


def normalise(
    dictionary: DataDictionary, raw: Mapping[str, Any], fallback_id: str = "<no subject_id>"
) -> Subject:
    """Read one subject record; every unreadable part becomes a `DataProblem`."""
    if not isinstance(raw, Mapping):
        subject = Subject(fallback_id)
        subject.problems.append(
            DataProblem(
                None, None, None, None, _type_word(raw), "a subject record must be a JSON object"
            )
        )
        return subject
    subject_id = raw.get("subject_id")
    problems: list[DataProblem] = []
    if is_missing(subject_id) or isinstance(subject_id, (dict, list, bool)):
        problems.append(
            DataProblem(None, None, None, "subject_id", subject_id, "the subject id is missing")
        )
    subject = Subject(subject_id_of(raw, fallback_id))
    sid = subject.subject_id

    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            problems.append(
                DataProblem(sid, None, None, key, None, f"'{key}' is not part of a subject record")
            )
    for key, shape, read in _SECTIONS:
        section = _section(sid, key, raw.get(key), shape, problems)
        if section is not None:
            read(dictionary, subject, section, problems)
    for key, names, word in (
        ("arm", dictionary.arms, "arm"),
        ("dose_level", dictionary.dose_levels, "dose level"),
    ):
        value = raw.get(key)
        if is_missing(value):
            continue
        if isinstance(value, str) and value in names:
            setattr(subject, key, value)
        else:
            known = ", ".join(names) or "none declared"
            problems.append(
                DataProblem(sid, None, None, key, value, f"'{value}' is not a {word} ({known})")
            )
    subject.problems = problems
    return subject


#: A section of a subject record, and the problems found while reading one.
_Section: TypeAlias = Mapping[str, Any]
_Problems: TypeAlias = list[DataProblem]


def _section(sid: str, key: str, value: Any, shape: str, problems: _Problems) -> _Section | None:
    """A section of a subject record (`visits`, `forms` …) when it is a mapping.

    An absent section is None; one of another shape is None and a problem that says `shape`.
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append(DataProblem(sid, None, None, key, None, shape))
        return None
    return value


def _read_visits(
    dictionary: DataDictionary, subject: Subject, visits: _Section, problems: _Problems
) -> None:
    known = dictionary.spec.visits

    def unknown(visit: str) -> str | None:
        return None if visit in known else f"'{visit}' is not a visit of the spec"

    _read_values(subject, "visits", visits, unknown, _date, subject.visits, problems, by_visit=True)


def _read_forms(
    dictionary: DataDictionary, subject: Subject, forms: _Section, problems: _Problems
) -> None:
    sid = subject.subject_id
    for name, content in forms.items():
        info = dictionary.form(name)
        if info is None:
            problems.append(
                DataProblem(sid, name, None, None, None, f"'{name}' is not a form of the spec")
            )
            continue
        if content is None:
            continue
        if info.repeating:
            if not isinstance(content, list):
                problems.append(
                    DataProblem(
                        sid, info.storage, None, None, None, "a repeating form is a list of records"
                    )
                )
                continue
            records: list[dict[str, Any]] = []
            for index, record in enumerate(content):
                records.append(_read_record(info, subject, index, record, problems))
            subject.records[info.storage] = records
            continue
        if not isinstance(content, Mapping):
            problems.append(
                DataProblem(
                    sid,
                    info.storage,
                    None,
                    None,
                    None,
                    "a non-repeating form maps each visit to its items",
                )
            )
            continue
        for visit, record in content.items():
            if visit not in info.visits:
                where = ", ".join(info.visits) or "no visit"
                reason = (
                    f"'{visit}' is not a visit of the spec"
                    if visit not in dictionary.spec.visits
                    else f"the form is collected at {where}, not at {visit}"
                )
                problems.append(DataProblem(sid, info.storage, visit, None, None, reason))
                continue
            if record is None:
                continue
            subject.values[(info.storage, visit)] = _read_record(
                info, subject, visit, record, problems
            )


def _read_record(
    info: FormInfo,
    subject: Subject,
    position: str | int,
    record: Any,
    problems: list[DataProblem],
) -> dict[str, Any]:
    values: dict[str, Any] = {POSITION: position}

    def reject(name: str | None, value: Any, reason: str, check: str | None = None) -> None:
        problems.append(
            DataProblem(
                subject.subject_id, info.storage, position, name, value, reason, None, check
            )
        )

    if not isinstance(record, Mapping):
        reject(None, None, "a record maps item names to values")
        return values
    readers = info.readers
    at_visit = position.__class__ is str
    for name, value in record.items():
        if value is None:
            continue
        reader = readers.get(name)
        if reader is None:
            reject(name, value, f"'{name}' is not an item of the form")
            continue
        convert, item_visits, plain_yes_no = reader
        if plain_yes_no and (value is True or value is False):
            values[name] = value  # the commonest value, already what it should be
            continue
        try:
            converted = convert(value)
        except BadValue as error:
            check = "ITEM_OUT_OF_RANGE" if isinstance(error, OutOfRange) else None
            reject(name, value, str(error), check)
            continue
        if converted is MISSING:
            continue
        if at_visit and item_visits is not None and position not in item_visits:
            reject(
                name, value, f"the item is collected at {', '.join(item_visits)}, not at {position}"
            )
            continue
        if converted.__class__ is tuple:  # a quantity converted from another unit
            converted, origin = converted
            subject.origins[(info.storage, position, name)] = origin
        values[name] = converted
    return values


def _read_attestations(
    dictionary: DataDictionary, subject: Subject, attestations: _Section, problems: _Problems
) -> None:
    def unknown(criterion_id: str) -> str | None:
        criterion = dictionary.criteria.get(criterion_id)
        if criterion is None:
            return f"'{criterion_id}' is not a criterion of the spec"
        return None if criterion.attested else f"{criterion_id} is not an attested criterion"

    _read_values(
        subject, "attestations", attestations, unknown, _yes_no, subject.attestations, problems
    )


def _read_values(
    subject: Subject,
    key: str,
    section: _Section,
    unknown: Callable[[str], str | None],
    read: Callable[[Any], Any],
    into: dict[str, Any],
    problems: _Problems,
    *,
    by_visit: bool = False,
) -> None:
    """Read a section that maps a name to one value (visits to dates, criteria to yes/no).

    A name `unknown` has a reason for is a problem, a missing value is left out,
    and a value `read` refuses is a problem.  A problem names a visit as its
    position (`by_visit`), any other name as its item.
    """
    for name, value in section.items():
        position, item = (name, None) if by_visit else (None, name)
        reason = unknown(name)
        if reason is not None:
            problems.append(DataProblem(subject.subject_id, key, position, item, value, reason))
            continue
        if is_missing(value):
            continue
        try:
            into[name] = read(value)
        except BadValue as error:
            problems.append(DataProblem(subject.subject_id, key, position, item, value, str(error)))


#: The sections of a subject record read against the dictionary: key, the shape
#: it must have (said when it has another), and its reader.
_SECTIONS: tuple[tuple[str, str, Callable[..., None]], ...] = (
    ("visits", "visits must map visit names to dates", _read_visits),
    ("forms", "forms must be a JSON object", _read_forms),
    ("attestations", "attestations map criterion ids to yes/no", _read_attestations),
)
