"""The numbers a criterion's quoted text states: "≤40 mg/day", "within 12 weeks", "18 to 70".

A reviewer compares the protocol's wording with the rule that encodes it; this
module reads the wording's side.  It is deliberately narrow: it finds only
numbers a person would read as a threshold (one with a unit, one after a
comparison word or sign, or the ends of a range "18 to 70"), and leaves out
everything that merely contains digits (a year "2019", a score's name
"SLEDAI-2K", a titer "1:80", a list number "1.").  A number it does not find
costs a missed finding; a number it finds by mistake would cost a false alarm,
so when in doubt it finds nothing.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction

import attrs

from protocol_dsl.semantics import units

#: Unit words of running text, as UCUM (checked by `units` before use).
_UNIT_WORDS = {
    "day": "d",
    "days": "d",
    "week": "wk",
    "weeks": "wk",
    "wk": "wk",
    "wks": "wk",
    "month": "mo",
    "months": "mo",
    "year": "a",
    "years": "a",
    "yr": "a",
    "yrs": "a",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "hrs": "h",
    "h": "h",
    "mg/day": "mg/d",
    "mg/d": "mg/d",
    "g/day": "g/d",
    "g/d": "g/d",
    "mg": "mg",
    "g": "g",
    "kg": "kg",
    "mg/kg": "mg/kg",
    "ml/min": "mL/min",
    "ml/min/1.73 m2": "mL/min/{1.73_m2}",
    "ml/min/1.73m2": "mL/min/{1.73_m2}",
    "g/24 h": "g/(24.h)",
    "g/24h": "g/(24.h)",
    "mg/dl": "mg/dL",
    "g/dl": "g/dL",
    "mmol/l": "mmol/L",
    "µmol/l": "umol/L",
    "umol/l": "umol/L",
    "kg/m2": "kg/m2",
    "kg/m²": "kg/m2",
    "%": "%",
}

_UNIT = "|".join(re.escape(word) for word in sorted(_UNIT_WORDS, key=len, reverse=True))
_NUMBER = r"(?<![\w.:/\-])(\d+(?:\.\d+)?)(?![\d:]|\.\d)"
#: comparison words and signs, as the relation they state about the number after them
_RELATIONS = [
    (r"≤|<=|=<|at most|no more than|not more than|up to|maximum of|max\.?", "<="),
    (r"≥|>=|=>|at least|no less than|not less than|minimum of|min\.?", ">="),
    (r"<|less than|below|fewer than|under", "<"),
    (r">|more than|greater than|above|over|exceeding|exceeds", ">"),
    (r"within|in the (?:last|past)|during the (?:last|past)|past|last", "within"),
]
_RELATION = "|".join(f"(?:{pattern})" for pattern, _ in _RELATIONS)

_RANGE = re.compile(
    _NUMBER + r"\s*(?:to|-|–|and)\s*" + r"(\d+(?:\.\d+)?)(?![\d:]|\.\d)"
    rf"(?:\s*(?P<unit>{_UNIT})(?![\w/]))?",
    re.IGNORECASE,
)
_SINGLE = re.compile(
    rf"(?:(?P<relation>{_RELATION})\s*)?" + _NUMBER + rf"(?:\s*(?P<unit>{_UNIT})(?![\w/]))?",
    re.IGNORECASE,
)


@attrs.frozen
class Stated:
    """A number the text states: its value, its unit (UCUM, or None), the relation
    the text puts it in (`<=`, `>=`, `<`, `>`, `within`, `range`, or None), and where
    it stands in the text."""

    value: Fraction
    unit: str | None
    relation: str | None
    start: int
    end: int
    #: the number with its unit word, as the text writes it
    written: str


def _relation(word: str | None) -> str | None:
    if not word:
        return None
    for pattern, relation in _RELATIONS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return relation
    return None


def _unit(word: str | None) -> str | None:
    return _UNIT_WORDS.get(word.lower()) if word else None


def _is_age(text: str, start: int, end: int) -> bool:
    after = text[end : end + 12].lstrip().lower()
    before = text[max(0, start - 12) : start].lower()
    return after.startswith(("of age", "old", "or older", "or over")) or "age" in before


def stated(text: str) -> list[Stated]:
    """The thresholds `text` states, in order; see the module docstring for which."""
    found: list[Stated] = []
    taken: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        unit = _unit(match["unit"])
        if unit == "a" and _is_age(text, match.start(), match.end()):
            unit = None
        for group in (1, 2):
            written = match[group] + (f" {match['unit']}" if match["unit"] else "")
            found.append(
                Stated(
                    Fraction(match[group]),
                    unit,
                    "range",
                    match.start(group),
                    match.end(group),
                    written,
                )
            )
        taken.append(match.span())
    for match in _SINGLE.finditer(text):
        if any(start <= match.start(2) < end for start, end in taken):
            continue
        relation = _relation(match["relation"])
        unit = _unit(match["unit"])
        if unit == "a" and _is_age(text, match.start(), match.end()):
            unit = None  # "50 years of age": an age, which rules state as a plain number
        if relation is None and unit is None:
            continue  # a bare number: a year, a count, a list number
        if relation is None and unit == "%":
            continue
        written = match[2] + (f" {match['unit']}" if match["unit"] else "")
        found.append(
            Stated(Fraction(match[2]), unit, relation, match.start(2), match.end(2), written)
        )
    found.sort(key=lambda s: s.start)
    return found


def in_base(value: Fraction, unit: str | None) -> tuple[tuple[int, ...] | None, Fraction] | None:
    """The value in base units with its dimension (None for a plain number); None when
    the unit is not one `units` knows."""
    if unit is None:
        return None, value
    scale = _scale(unit)
    if scale is None:
        return None
    return scale[0], value * scale[1]


@functools.lru_cache(maxsize=256)
def _scale(unit: str) -> tuple[tuple[int, ...], Fraction] | None:
    """A unit's dimension and factor to base units (parsed once per unit)."""
    try:
        parsed = units.parse_unit(unit)
    except units.UnitError:
        try:
            parsed = units.time_unit(unit)
        except units.UnitError:
            return None
    if Fraction(*parsed.exact_offset) != 0:
        return None  # a temperature scale: no threshold of that kind is read here
    return parsed.dimension, Fraction(*parsed.exact_factor)
