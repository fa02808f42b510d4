"""UCUM units for the protocol language: parsing, kinds, compatibility and conversion.

This module owns the unit strings quantities carry (``40 mg/d``, ``'10*9/L'``):
the UCUM grammar (https://ucum.org/ucum), the table of atoms and prefixes the
language accepts, the plain-words name of a unit's kind used in diagnostics,
and exact conversion between compatible units.

A unit reduces to a dimension vector and a scale factor to the base units
m, g, s, mol, K, cd and A (UCUM's gram, not the kilogram, is the mass base).
Arbitrary units such as ``[IU]`` or ``[arb'U]`` have no defined relation to
anything else, so each is an axis of its own in the dimension vector: the
checker can then treat "g/L against [IU]/mL" like any other mismatch.

It is on the start-up path of ``protocol check``: standard library and attrs
only, nothing computed at import beyond the small atom table.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import NamedTuple

import attrs

from protocol_dsl import durations
from protocol_dsl.errors import UserError

__all__ = [
    "ARBITRARY_UNITS",
    "BASE_DIMENSIONS",
    "DIMENSION_NAMES",
    "Unit",
    "UnitError",
    "annotations",
    "compatible",
    "convert",
    "describe_dimension",
    "format_unit",
    "is_dimensionless",
    "is_time",
    "parse_unit",
    "time_unit",
]

BASE_DIMENSIONS: tuple[str, ...] = (
    "length",
    "mass",
    "time",
    "amount of substance",
    "temperature",
    "luminous intensity",
    "electric current",
)

# Each arbitrary unit is its own axis; [iU] shares the [IU] axis (UCUM defines
# them as the same unit).  [pH] is a logarithmic scale, not an arbitrary unit,
# but the only sound thing to do with it is the same: compare pH with pH.
ARBITRARY_UNITS: tuple[str, ...] = (
    "[IU]",
    "[arb'U]",
    "[USP'U]",
    "[GPL'U]",
    "[MPL'U]",
    "[APL'U]",
    "[beth'U]",
    "[anti'Xa'U]",
    "[todd'U]",
    "[dye'U]",
    "[smgy'U]",
    "[bdsk'U]",
    "[ka'U]",
    "[knk'U]",
    "[mclg'U]",
    "[tb'U]",
    "[CCID_50]",
    "[TCID_50]",
    "[EID_50]",
    "[PFU]",
    "[FFU]",
    "[CFU]",
    "[IR]",
    "[BAU]",
    "[AU]",
    "[Amb'a'1'U]",
    "[PNU]",
    "[Lf]",
    "[D'ag'U]",
    "[FEU]",
    "[ELU]",
    "[EU]",
    "[HPF]",
    "[LPF]",
    "[pH]",
)

DIMENSION_NAMES: tuple[str, ...] = BASE_DIMENSIONS + ARBITRARY_UNITS

_BASE = len(BASE_DIMENSIONS)
_AXES: dict[str, int] = {
    "L": 0,
    "M": 1,
    "T": 2,
    "N": 3,
    "Th": 4,
    "J": 5,
    "I": 6,
    **{name: _BASE + i for i, name in enumerate(ARBITRARY_UNITS)},
}
_ZERO: tuple[int, ...] = (0,) * len(DIMENSION_NAMES)
_MASS = _AXES["M"]
_TIME = _AXES["T"]
_LENGTH = _AXES["L"]
_AMOUNT = _AXES["N"]

# Exponents are bounded so that a typo such as 10*99999 is reported rather
# than computed; 10*99 is far beyond any clinical count.
_MAX_EXPONENT = 99
_MAX_DIGITS = 30

_Ratio = tuple[int, int]


class UnitError(UserError, ValueError):
    """A unit string the protocol writer must fix, or two units that cannot be compared.

    ``position`` is the 0-based offset of the problem within ``unit``;
    ``suggestion`` is a replacement for the offending part when one is close.
    """

    def __init__(
        self, message: str, unit: str, position: int = 0, suggestion: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.unit = unit
        self.position = position
        self.suggestion = suggestion

    def __reduce__(self) -> tuple[type[UnitError], tuple[str, str, int, str | None]]:
        # ValueError would pickle only the message; workers send these back.
        return (UnitError, (self.message, self.unit, self.position, self.suggestion))


def _exact(unit: Unit) -> _Ratio:
    return unit.factor.as_integer_ratio()


def _exact_offset(unit: Unit) -> _Ratio:
    return unit.offset.as_integer_ratio()


@attrs.frozen
class Unit:
    """A parsed UCUM unit.

    ``factor`` and ``offset`` map a value to base units: ``value * factor +
    offset`` (the offset is non-zero only for ``Cel`` and ``[degF]``).
    ``dimension`` has one exponent per entry of ``DIMENSION_NAMES``.
    ``terms`` is the unit flattened to its simple units with signed exponents
    (annotations dropped), e.g. ``mg/kg/d`` -> ``(("mg", 1), ("kg", -1), ("d", -1))``.
    ``exact_factor`` / ``exact_offset`` are the same numbers as exact
    fractions, so that 1.1 g/L converts to 110 mg/dL and not 110.00000000000001.
    """

    text: str
    dimension: tuple[int, ...]
    factor: float
    offset: float = 0.0
    terms: tuple[tuple[str, int], ...] = ()
    exact_factor: _Ratio = attrs.field(default=attrs.Factory(_exact, takes_self=True), repr=False)
    exact_offset: _Ratio = attrs.field(
        default=attrs.Factory(_exact_offset, takes_self=True), repr=False
    )

    @property
    def arbitrary(self) -> frozenset[str]:
        """The arbitrary units (``[IU]``, ``[HPF]`` ...) this unit involves."""
        return frozenset(
            name for name, e in zip(ARBITRARY_UNITS, self.dimension[_BASE:], strict=True) if e
        )


# ---------------------------------------------------------------- exact numbers


def _reduce(num: int, den: int) -> _Ratio:
    if den < 0:
        num, den = -num, -den
    g = math.gcd(num, den)
    return (num // g, den // g) if g > 1 else (num, den)


def _mul(a: _Ratio, b: _Ratio) -> _Ratio:
    return (a[0] * b[0], a[1] * b[1])


def _div(a: _Ratio, b: _Ratio) -> _Ratio:
    return _reduce(a[0] * b[1], a[1] * b[0])


def _pow(a: _Ratio, exponent: int) -> _Ratio:
    if exponent >= 0:
        return (a[0] ** exponent, a[1] ** exponent)
    return _reduce(a[1] ** -exponent, a[0] ** -exponent)


def _ratio(text: str) -> _Ratio:
    """The exact value of a decimal literal (``453.59237``, ``1e-05``) or a quotient ``a/b``."""
    if "/" in text:
        top, bottom = text.split("/")
        return _div(_ratio(top), _ratio(bottom))
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    num, den = int(whole + fraction), 10 ** len(fraction)
    power = int(exponent) if exponent else 0
    if power >= 0:
        return _reduce(num * 10**power, den)
    return _reduce(num, den * 10**-power)


# ---------------------------------------------------------------- atoms and prefixes


class _Atom(NamedTuple):
    factor: _Ratio
    dimension: tuple[int, ...]
    metric: bool
    offset: _Ratio = (0, 1)
    name: str = ""


def _vector(spec: str) -> tuple[int, ...]:
    """``"M L-3"`` -> the dimension vector with mass 1 and length -3."""
    vector = list(_ZERO)
    for part in spec.split():
        axis = part.rstrip("-0123456789")
        vector[_AXES[axis]] += int(part[len(axis) :] or 1)
    return tuple(vector)


def _atom(
    factor: str | _Ratio, spec: str, *, metric: bool = False, offset: str = "0", name: str = ""
) -> _Atom:
    exact = _ratio(factor) if isinstance(factor, str) else factor
    return _Atom(exact, _vector(spec), metric, _ratio(offset), name)


_PI = math.pi.as_integer_ratio()

# Factors are to m, g, s, mol, K, cd, A.  Values follow the UCUM table
# (ucum-essence.xml); "metric" says whether the atom takes a prefix.
_ATOMS: dict[str, _Atom] = {
    # base units
    "m": _atom("1", "L", metric=True, name="metre"),
    "g": _atom("1", "M", metric=True, name="gram"),
    "s": _atom("1", "T", metric=True, name="second"),
    "mol": _atom("1", "N", metric=True, name="mole"),
    "K": _atom("1", "Th", metric=True, name="kelvin"),
    "cd": _atom("1", "J", metric=True, name="candela"),
    "A": _atom("1", "I", metric=True, name="ampere"),
    # numbers
    "10*": _atom("10", "", name="ten (for powers of ten)"),
    "10^": _atom("10", "", name="ten (for powers of ten)"),
    "[pi]": _atom(_PI, "", name="pi"),
    "%": _atom("1/100", "", name="percent"),
    "[ppth]": _atom("1e-3", "", name="parts per thousand"),
    "[ppm]": _atom("1e-6", "", name="parts per million"),
    "[ppb]": _atom("1e-9", "", name="parts per billion"),
    "[pptr]": _atom("1e-12", "", name="parts per trillion"),
    "rad": _atom("1", "", metric=True, name="radian"),
    "sr": _atom("1", "", metric=True, name="steradian"),
    "deg": _atom(_div(_PI, (180, 1)), "", name="degree (angle)"),
    # SI derived units
    "Hz": _atom("1", "T-1", metric=True, name="hertz"),
    "N": _atom("1e3", "M L T-2", metric=True, name="newton"),
    "Pa": _atom("1e3", "M L-1 T-2", metric=True, name="pascal"),
    "J": _atom("1e3", "M L2 T-2", metric=True, name="joule"),
    "W": _atom("1e3", "M L2 T-3", metric=True, name="watt"),
    "C": _atom("1", "T I", metric=True, name="coulomb"),
    "V": _atom("1e3", "M L2 T-3 I-1", metric=True, name="volt"),
    "F": _atom("1e-3", "M-1 L-2 T4 I2", metric=True, name="farad"),
    "Ohm": _atom("1e3", "M L2 T-3 I-2", metric=True, name="ohm"),
    "S": _atom("1e-3", "M-1 L-2 T3 I2", metric=True, name="siemens"),
    "Wb": _atom("1e3", "M L2 T-2 I-1", metric=True, name="weber"),
    "T": _atom("1e3", "M T-2 I-1", metric=True, name="tesla"),
    "H": _atom("1e3", "M L2 T-2 I-2", metric=True, name="henry"),
    "lm": _atom("1", "J", metric=True, name="lumen"),
    "lx": _atom("1", "J L-2", metric=True, name="lux"),
    "Bq": _atom("1", "T-1", metric=True, name="becquerel"),
    "Gy": _atom("1", "L2 T-2", metric=True, name="gray"),
    "Sv": _atom("1", "L2 T-2", metric=True, name="sievert"),
    "Ci": _atom("3.7e10", "T-1", metric=True, name="curie"),
    # offset scales: only ever a whole unit on their own (see _Parser.finish)
    "Cel": _atom("1", "Th", metric=True, offset="273.15", name="degree Celsius"),
    "[degF]": _atom("5/9", "Th", offset="459.67/1.8", name="degree Fahrenheit"),
    # volume, area, mass
    "L": _atom("1e-3", "L3", metric=True, name="litre"),
    "l": _atom("1e-3", "L3", metric=True, name="litre"),
    "ar": _atom("100", "L2", metric=True, name="are"),
    "t": _atom("1e6", "M", metric=True, name="tonne"),
    "u": _atom("1.6605402e-24", "M", metric=True, name="unified atomic mass unit"),
    # time: mo and a are UCUM's mean Julian month (30.4375 d) and year (365.25 d)
    "min": _atom(str(durations.SECONDS["min"]), "T", name="minute"),
    "h": _atom(str(durations.SECONDS["h"]), "T", name="hour"),
    "d": _atom(str(durations.SECONDS["d"]), "T", name="day"),
    "wk": _atom(str(durations.SECONDS["wk"]), "T", name="week"),
    "mo": _atom(str(durations.SECONDS["mo"]), "T", name="month"),
    "mo_j": _atom("2629800", "T", name="mean Julian month"),
    "mo_g": _atom("2629746", "T", name="mean Gregorian month"),
    "mo_s": _atom("2551442.976", "T", name="synodal month"),
    "a": _atom(str(durations.SECONDS["a"]), "T", name="year"),
    "a_j": _atom("31557600", "T", name="mean Julian year"),
    "a_g": _atom("31556952", "T", name="mean Gregorian year"),
    "a_t": _atom("31556925.216", "T", name="tropical year"),
    # pressure, energy
    "bar": _atom("1e8", "M L-1 T-2", metric=True, name="bar"),
    "atm": _atom("101325e3", "M L-1 T-2", name="standard atmosphere"),
    "m[Hg]": _atom("133.3220e6", "M L-1 T-2", metric=True, name="metre of mercury"),
    "m[H2O]": _atom("9.80665e6", "M L-1 T-2", metric=True, name="metre of water"),
    "eV": _atom("1.60217733e-16", "M L2 T-2", metric=True, name="electronvolt"),
    "cal": _atom("4184", "M L2 T-2", metric=True, name="calorie"),
    "cal_th": _atom("4184", "M L2 T-2", metric=True, name="thermochemical calorie"),
    "cal_IT": _atom("4186.8", "M L2 T-2", metric=True, name="international table calorie"),
    "[Cal]": _atom("4184e3", "M L2 T-2", name="nutrition label Calorie"),
    # customary units
    "[in_i]": _atom("0.0254", "L", name="inch"),
    "[ft_i]": _atom("0.3048", "L", name="foot"),
    "[yd_i]": _atom("0.9144", "L", name="yard"),
    "[mi_i]": _atom("1609.344", "L", name="mile"),
    "[lb_av]": _atom("453.59237", "M", name="pound"),
    "[oz_av]": _atom("28.349523125", "M", name="ounce"),
    "[gr]": _atom("0.06479891", "M", name="grain"),
    "[stone_av]": _atom("6350.29318", "M", name="stone"),
    "[gal_us]": _atom("3.785411784e-3", "L3", name="US gallon"),
    "[qt_us]": _atom("9.46352946e-4", "L3", name="US quart"),
    "[pt_us]": _atom("4.73176473e-4", "L3", name="US pint"),
    "[cup_us]": _atom("2.365882365e-4", "L3", name="US cup"),
    "[foz_us]": _atom("2.95735295625e-5", "L3", name="US fluid ounce"),
    "[tbs_us]": _atom("1.478676478125e-5", "L3", name="US tablespoon"),
    "[tsp_us]": _atom("4.92892159375e-6", "L3", name="US teaspoon"),
    # chemistry and clinical
    "eq": _atom("1", "N", metric=True, name="equivalent"),
    "osm": _atom("1", "N", metric=True, name="osmole"),
    "kat": _atom("1", "N T-1", metric=True, name="katal"),
    "U": _atom("1e-6/60", "N T-1", metric=True, name="enzyme unit"),
    "g%": _atom("1e4", "M L-3", metric=True, name="gram percent"),
    "[MET]": _atom("3.5e-9/60", "L3 T-1 M-1", name="metabolic equivalent"),
    "[diop]": _atom("1", "L-1", name="dioptre"),
    # arbitrary units: each its own axis; [iU] and [IU] are the same unit
    "[iU]": _atom("1", "[IU]", metric=True, name="international unit"),
    "[IU]": _atom("1", "[IU]", metric=True, name="international unit"),
    **{code: _atom("1", code, name=code) for code in ARBITRARY_UNITS if code != "[IU]"},
}

_TIME_VECTOR = _vector("T")

# Valid UCUM that no protocol means: the clinical reading is asked for instead.
_SURPRISING: dict[str, tuple[str, str]] = {
    "pH": ("picohenry", "[pH]"),
    "ft": ("femtotonne", "[ft_i]"),
    "pt": ("picotonne", "[pt_us]"),
}

# Two-letter "da" must be tried before "d" ("dam" is decametre).
_PREFIXES: dict[str, int] = {
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


@functools.lru_cache(maxsize=1024)
def _resolve(symbol: str) -> tuple[str, _Atom] | None:
    """``symbol`` as (prefix, atom): a whole atom first, so ``min``, ``mo``, ``cd`` and
    ``Cel`` are never read as milli-inch, milli-o, centi-d or centi-el."""
    atom = _ATOMS.get(symbol)
    if atom is not None:
        return "", atom
    for prefix in _PREFIXES:
        if symbol.startswith(prefix):
            atom = _ATOMS.get(symbol[len(prefix) :])
            if atom is not None and atom.metric:
                return prefix, atom
    return None


# ---------------------------------------------------------------- diagnosing unknown units

# Common non-UCUM spellings seen in protocols and lab reports.
_MISSPELLINGS: dict[str, str] = {
    "mcg": "ug",
    "cc": "mL",
    "IU": "[IU]",
    "iu": "[IU]",
    "AU": "[arb'U]",
    "mmHg": "mm[Hg]",
    "cmH2O": "cm[H2O]",
    "degC": "Cel",
    "°C": "Cel",
    "℃": "Cel",
    "degF": "[degF]",
    "°F": "[degF]",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "day": "d",
    "days": "d",
    "week": "wk",
    "weeks": "wk",
    "wks": "wk",
    "month": "mo",
    "months": "mo",
    "year": "a",
    "years": "a",
    "yr": "a",
    "yrs": "a",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "oz": "[oz_av]",
    "in": "[in_i]",
    "inch": "[in_i]",
    "HPF": "[HPF]",
    "hpf": "[HPF]",
    "LPF": "[LPF]",
    "lpf": "[LPF]",
    "ppm": "[ppm]",
    "ppb": "[ppb]",
    "gal": "[gal_us]",
    "yd": "[yd_i]",
    "mi": "[mi_i]",
    "MET": "[MET]",
    "GPL": "[GPL'U]",
    "MPL": "[MPL'U]",
    "CFU": "[CFU]",
    "PFU": "[PFU]",
    "Eq": "eq",
    "mEq": "meq",
    "mOsm": "mosm",
}

# Prefixes in the order a suggestion should prefer them when two candidates
# differ only in case ("MG" is far more likely mg than Mg).
_COMMON_PREFIXES = ("", "m", "u", "k", "n", "d", "c", "p", "f", "M", "G", "T", "h", "da")


@functools.cache
def _candidates() -> tuple[str, ...]:
    metric = [symbol for symbol, atom in _ATOMS.items() if atom.metric]
    names = dict.fromkeys(_ATOMS)
    for prefix in _COMMON_PREFIXES[1:]:
        names.update(dict.fromkeys(prefix + symbol for symbol in metric))
    return tuple(names)


def _misspelling(symbol: str) -> str | None:
    if symbol in _MISSPELLINGS:
        return _MISSPELLINGS[symbol]
    for micro in ("µ", "μ", "mc"):
        if symbol.startswith(micro) and _resolve("u" + symbol[len(micro) :]):
            return "u" + symbol[len(micro) :]
    for prefix in _COMMON_PREFIXES[1:]:
        rest = symbol[len(prefix) :]
        if symbol.startswith(prefix) and rest in ("IU", "iu"):
            return prefix + "[IU]"
    return None


def _unknown(symbol: str, text: str, position: int) -> UnitError:
    """The error for a symbol that is not a UCUM unit, with a suggestion when one is close."""
    if symbol == "":
        return UnitError(f"an exponent needs a unit before it in '{text}'", text, position)
    suggestion = _misspelling(symbol)
    if suggestion is not None:
        return UnitError(
            f"unknown unit '{symbol}' in '{text}'; did you mean '{suggestion}'?",
            text,
            position,
            suggestion,
        )
    for prefix in _PREFIXES:
        rest = symbol[len(prefix) :]
        if symbol.startswith(prefix) and rest in _ATOMS and not _ATOMS[rest].metric:
            return UnitError(
                f"'{rest}' ({_ATOMS[rest].name}) cannot take the prefix '{prefix}' in '{text}'; "
                "only metric units take prefixes",
                text,
                position,
            )
    # UCUM is case-sensitive: "MG" is almost always mg, so case slips come first.
    folded = [c for c in _candidates() if c.lower() == symbol.lower()]
    suggestion = folded[0] if folded else None
    if suggestion is None:
        import difflib  # only on the error path: it costs more to import than this module

        close = difflib.get_close_matches(symbol, _candidates(), n=1, cutoff=0.8)
        suggestion = close[0] if close else None
    if suggestion is not None:
        return UnitError(
            f"unknown unit '{symbol}' in '{text}'; did you mean '{suggestion}'?",
            text,
            position,
            suggestion,
        )
    if symbol.isalpha():
        annotation = "{" + symbol + "}"
        return UnitError(
            f"unknown unit '{symbol}' in '{text}'; to say what is counted, write it as an "
            f"annotation in braces, e.g. '{annotation}'",
            text,
            position,
            annotation,
        )
    return UnitError(f"unknown unit '{symbol}' in '{text}'", text, position)


# ---------------------------------------------------------------- lexer

_OPERATORS = "./()"
_STOP = " \t\r\n./(){}"


class _Token(NamedTuple):
    kind: str  # one of . / ( ) plus "symbol" and "annotation"
    text: str
    position: int

    @property
    def end(self) -> int:
        return self.position + len(self.text)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _OPERATORS:
            tokens.append(_Token(char, char, i))
            i += 1
        elif char == "{":
            close = text.find("}", i + 1)
            if close < 0:
                raise UnitError(f"'{{' in '{text}' is never closed", text, i)
            if "{" in text[i + 1 : close]:
                raise UnitError(f"annotations cannot be nested in '{text}'", text, i)
            tokens.append(_Token("annotation", text[i : close + 1], i))
            i = close + 1
        elif char == "}":
            raise UnitError(f"'}}' in '{text}' closes nothing", text, i)
        else:
            j = i
            while j < n and text[j] not in _STOP and not text[j].isspace():
                if text[j] == "[":
                    close = text.find("]", j + 1)
                    if close < 0:
                        raise UnitError(f"'[' in '{text}' is never closed", text, j)
                    j = close + 1
                else:
                    j += 1
            tokens.append(_Token("symbol", text[i:j], i))
            i = j
    return tokens


def _split_exponent(run: str) -> tuple[str, int | None]:
    """``m2`` -> ("m", 2), ``s-1`` -> ("s", -1), ``10*9`` -> ("10*", 9), ``mg`` -> ("mg", None)."""
    j = len(run)
    while j > 0 and run[j - 1].isdigit():
        j -= 1
    if j == len(run):
        return run, None
    if j > 0 and run[j - 1] in "+-":
        j -= 1
    return run[:j], int(run[j:])


# ---------------------------------------------------------------- parser

_Value = tuple[_Ratio, tuple[int, ...], tuple[tuple[str, int], ...]]
_ONE: _Value = ((1, 1), _ZERO, ())


def _combine(left: _Value, right: _Value, sign: int) -> _Value:
    factor = _mul(left[0], right[0]) if sign > 0 else _div(left[0], right[0])
    dimension = tuple(a + sign * b for a, b in zip(left[1], right[1], strict=True))
    terms = left[2] + tuple((symbol, sign * e) for symbol, e in right[2])
    return factor, dimension, terms


class _Parser:
    """Recursive descent over the UCUM grammar; '.' and '/' are left-associative.

    term      := ['/'] component (('.' | '/') component)*   (leading '/' is 1/...)
    component := '(' term ')' | simple [annotation] | annotation | digits
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.simple_units = 0
        self.inverted = False
        self.offset_atoms: list[tuple[_Token, str, str, int | None]] = []

    def error(self, message: str, position: int) -> UnitError:
        return UnitError(f"{message} in '{self.text}'", self.text, position)

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token | None:
        token = self.peek()
        self.index += token is not None
        return token

    def parse(self) -> _Value:
        if not self.tokens:
            raise UnitError(
                "empty unit; write '1' for a number without a unit", self.text, len(self.text)
            )
        value = self.term()
        token = self.peek()
        if token is not None:
            if token.kind == ")":
                raise self.error("')' closes nothing", token.position)
            raise self.error(f"expected '.' or '/' before '{token.text}'", token.position)
        self.finish()
        return value

    def term(self) -> _Value:
        # A leading '/' divides 1 by the unit that directly follows it, then
        # reading goes on left to right: '/min.g' is (1/min).g.
        token = self.peek()
        if token is not None and token.kind == "/":
            self.inverted = True
            value = _ONE
        else:
            value = self.component(None)
        while (token := self.peek()) is not None and token.kind in (".", "/"):
            self.take()
            value = _combine(value, self.component(token), 1 if token.kind == "." else -1)
        return value

    def component(self, operator: _Token | None) -> _Value:
        token = self.take()
        if token is None:
            if operator is None:
                raise self.error("expected a unit", len(self.text))
            raise self.error(f"expected a unit after '{operator.text}'", len(self.text))
        if token.kind == "(":
            value = self.term()
            close = self.take()
            if close is None:
                raise self.error("'(' is never closed", token.position)
            if close.kind != ")":
                raise self.error(f"expected '.' or '/' before '{close.text}'", close.position)
            return value
        if token.kind == "annotation":
            return _ONE
        if token.kind == "symbol":
            value = self.simple(token)
            following = self.peek()
            # An annotation directly after a unit belongs to it ("g{Hb}"); after a
            # space it is a missing operator, reported by the caller.
            if (
                following is not None
                and following.kind == "annotation"
                and following.position == token.end
            ):
                self.take()
            return value
        raise self.error(f"expected a unit before '{token.text}'", token.position)

    def simple(self, token: _Token) -> _Value:
        run = token.text
        if sum(char.isdigit() for char in run) > _MAX_DIGITS:
            raise self.error(f"the number in '{run}' is too long", token.position)
        if run.isdigit():
            return self.factor(token)
        symbol, exponent = _split_exponent(run)
        if symbol in _SURPRISING:
            meaning, intended = _SURPRISING[symbol]
            raise UnitError(
                f"'{symbol}' in '{self.text}' would be UCUM for {meaning}; did you mean "
                f"'{intended}'?",
                self.text,
                token.position,
                intended,
            )
        resolved = _resolve(symbol)
        if resolved is None:
            raise _unknown(symbol, self.text, token.position)
        prefix, atom = resolved
        if exponent is not None and abs(exponent) > _MAX_EXPONENT:
            raise self.error(f"exponent {exponent} of '{symbol}' is too large", token.position)
        self.simple_units += 1
        if atom.offset[0]:
            self.offset_atoms.append((token, symbol, prefix, exponent))
        power = 1 if exponent is None else exponent
        scale = _PREFIXES.get(prefix, 0) if prefix else 0
        base = _mul(atom.factor, (10**scale, 1) if scale >= 0 else (1, 10**-scale))
        dimension = tuple(power * e for e in atom.dimension)
        return _pow(base, power), dimension, ((symbol, power),)

    def factor(self, token: _Token) -> _Value:
        # UCUM numbers are integers: '1.73.m2' is 1 times 73 times m2, which no
        # one means, so it is refused with the annotation form as the fix.
        after = self.tokens[self.index : self.index + 2]
        if (
            len(after) == 2
            and after[0].kind == "."
            and after[0].position == token.end
            and after[1].kind == "symbol"
            and after[1].text.isdigit()
            and after[1].position == after[0].end
        ):
            number = f"{token.text}.{after[1].text}"
            annotation = "{" + number + "}"
            raise UnitError(
                f"'{number}' in '{self.text}' is not a number UCUM understands: units have no "
                f"decimal point, so it reads as {token.text} times {after[1].text}; write a "
                f"label in braces instead, e.g. '{annotation}'",
                self.text,
                token.position,
                annotation,
            )
        value = int(token.text)
        if value == 0:
            raise self.error("a unit cannot be zero", token.position)
        self.simple_units += 1
        return (value, 1), _ZERO, ((token.text, 1),)

    def finish(self) -> None:
        """Offset scales (Cel, [degF]) only make sense as the whole unit."""
        for token, symbol, prefix, exponent in self.offset_atoms:
            atom = symbol[len(prefix) :]
            if prefix or exponent is not None or self.inverted or self.simple_units > 1:
                raise UnitError(
                    f"'{atom}' is a temperature scale with an offset and must be the whole "
                    f"unit, without prefix, exponent or other units (in '{self.text}'); use 'K' "
                    "for temperature differences",
                    self.text,
                    token.position,
                )


# ---------------------------------------------------------------- public functions


@functools.lru_cache(maxsize=4096)
def parse_unit(text: str) -> Unit:
    """Parse a UCUM unit string; raises :class:`UnitError` with the offending position."""
    colon = text.find(":")
    if colon >= 0:
        raise UnitError(
            f"'{text.strip()}' looks like a titer, and titers are not units: record a titer as "
            "its denominator on an ordinal scale (1:80 is 80)",
            text,
            colon,
        )
    parser = _Parser(text)
    (num, den), dimension, terms = parser.parse()
    num, den = _reduce(num, den)
    offset: _Ratio = (0, 1)
    if parser.offset_atoms:
        resolved = _resolve(parser.offset_atoms[0][1])
        if resolved is not None:
            offset = resolved[1].offset
    try:
        factor = num / den
    except OverflowError:
        factor = math.inf
    if factor == 0.0 or math.isinf(factor):
        raise UnitError(f"'{text.strip()}' is too large or too small a unit", text, 0)
    return Unit(
        text=text,
        dimension=dimension,
        factor=factor,
        offset=offset[0] / offset[1],
        terms=terms,
        exact_factor=(num, den),
        exact_offset=offset,
    )


def _as_unit(unit: Unit | str) -> Unit:
    return parse_unit(unit) if isinstance(unit, str) else unit


def format_unit(unit: Unit | str) -> str:
    """The unit as UCUM text: whitespace removed, everything else as written."""
    text = _as_unit(unit).text
    return "".join(token.text for token in _tokens(text))


def compatible(a: Unit | str, b: Unit | str) -> bool:
    """Whether values in ``a`` and ``b`` can be compared (converted into each other)."""
    return _as_unit(a).dimension == _as_unit(b).dimension


# The name is also bound by `from __future__ import annotations`, which only
# matters to the compiler; this function replaces it in the module's namespace.
def annotations(unit: Unit | str) -> tuple[tuple[str, int], ...]:  # type: ignore[no-redef]
    """The annotations of ``unit`` with the side of the division each is on.

    ``mL/min/{1.73_m2}`` -> ``(("{1.73_m2}", -1),)``; ``{cells}/uL`` ->
    ``(("{cells}", 1),)``.  UCUM gives annotations no meaning; the side tells
    a label of what is counted (above the line) from the basis a value is
    expressed per (below it).  An annotation written directly after a unit
    (``g{creat}``) is on that unit's side.
    """
    tokens = _tokens(_as_unit(unit).text)
    groups = [1]  # the sign of each open parenthesis
    pending = 1  # the sign the next component takes from the operator before it
    last = 1  # the sign of the last component, for an annotation attached to it
    found: list[tuple[str, int]] = []
    previous: _Token | None = None
    for token in tokens:
        if token.kind == "/":
            pending = -1
        elif token.kind == ".":
            pending = 1
        elif token.kind == "(":
            groups.append(groups[-1] * pending)
            pending = 1
        elif token.kind == ")":
            last = groups.pop() if len(groups) > 1 else 1
        elif token.kind == "symbol":
            last = groups[-1] * pending
            pending = 1
        else:
            attached = (
                previous is not None
                and previous.kind in ("symbol", ")")
                and previous.end == token.position
            )
            if not attached:
                last = groups[-1] * pending
                pending = 1
            found.append((token.text, last))
        previous = token
    return tuple(found)


def is_time(unit: Unit | str) -> bool:
    """Whether ``unit`` measures a duration (s, min, h, d, wk, mo, a ...)."""
    return _as_unit(unit).dimension == _TIME_VECTOR


def is_dimensionless(unit: Unit | str) -> bool:
    """Whether ``unit`` is a pure number (``1``, ``%``, ``{cells}``, ``mg/kg`` ...)."""
    return _as_unit(unit).dimension == _ZERO


def convert(value: float, from_: Unit | str, to: Unit | str) -> float:
    """``value`` in ``from_`` expressed in ``to``.

    The arithmetic is exact on the decimal the value prints as, so that a
    threshold such as "> 110 mg/dL" is not met by a value of exactly 1.1 g/L.
    """
    a, b = _as_unit(from_), _as_unit(to)
    if a.dimension != b.dimension:
        raise UnitError(_incompatible_message(a, b), a.text, 0)
    if a.exact_factor == b.exact_factor and a.exact_offset == b.exact_offset:
        return float(value)
    if not math.isfinite(value):
        return (value * a.factor + a.offset - b.offset) / b.factor
    num, den = _ratio(repr(float(value)))
    base = _mul((num, den), a.exact_factor)
    base = (base[0] * a.exact_offset[1] + a.exact_offset[0] * base[1], base[1] * a.exact_offset[1])
    shifted = (
        base[0] * b.exact_offset[1] - b.exact_offset[0] * base[1],
        base[1] * b.exact_offset[1],
    )
    result = _div(shifted, b.exact_factor)
    try:
        return result[0] / result[1]
    except OverflowError:
        return math.inf if result[0] > 0 else -math.inf


def exact_transform(from_: Unit | str, to: Unit | str) -> tuple[Fraction, Fraction]:
    """``(factor, offset)``, exact, with ``value in to = value in from_ * factor + offset``."""
    a, b = _as_unit(from_), _as_unit(to)
    if a.dimension != b.dimension:
        raise UnitError(_incompatible_message(a, b), a.text, 0)
    fa, oa = Fraction(*a.exact_factor), Fraction(*a.exact_offset)
    fb, ob = Fraction(*b.exact_factor), Fraction(*b.exact_offset)
    return fa / fb, (oa - ob) / fb


def _incompatible_message(a: Unit, b: Unit) -> str:
    message = (
        f"{format_unit(a)} ({describe_dimension(a)}) cannot be compared with "
        f"{format_unit(b)} ({describe_dimension(b)})"
    )
    hints = [hint for hint in (_left_to_right_hint(a), _left_to_right_hint(b)) if hint]
    return "; ".join([message, *hints])


def _left_to_right_hint(unit: Unit) -> str | None:
    """Explain ``g/24.h``: UCUM reads it as (g/24).h, not as per 24 hours."""
    tokens = _tokens(unit.text)
    for i in range(len(tokens) - 3):
        slash, number, dot, symbol = tokens[i : i + 4]
        if (
            (slash.kind, dot.kind, number.kind, symbol.kind) == ("/", ".", "symbol", "symbol")
            and number.text.isdigit()
            and not symbol.text.isdigit()
        ):
            before = "".join(t.text for t in tokens[:i])
            after = "".join(t.text for t in tokens[i + 4 :])
            fixed = f"{before}/({number.text}.{symbol.text}){after}"
            return (
                f"UCUM reads '{format_unit(unit)}' left to right, as "
                f"({before}/{number.text}).{symbol.text}; write '{fixed}' for "
                f"'per {number.text} {symbol.text}'"
            )
    return None


_TIME_WORDS = durations.TIME_WORDS


_TIME_HELP = "use days, weeks, months, years, hours, or a UCUM code (s, min, h, d, wk, mo, a)"


def time_unit(word: str) -> Unit:
    """The duration unit for a word of the language ("12 weeks") or a UCUM time code ("wk")."""
    code = _TIME_WORDS.get(word.strip().lower())
    if code is not None:
        return parse_unit(code)
    try:
        unit = parse_unit(word)
    except UnitError as error:
        import difflib  # error path only

        close = difflib.get_close_matches(word.strip().lower(), list(_TIME_WORDS), n=1, cutoff=0.8)
        if close:
            raise UnitError(
                f"unknown unit of time '{word.strip()}'; did you mean '{close[0]}'?",
                word,
                error.position,
                close[0],
            ) from None
        raise UnitError(
            f"unknown unit of time '{word.strip()}'; {_TIME_HELP}", word, error.position
        ) from None
    if not is_time(unit):
        raise UnitError(
            f"'{format_unit(unit)}' ({describe_dimension(unit)}) is not a unit of time; "
            f"{_TIME_HELP}",
            word,
            0,
        )
    return unit


# ---------------------------------------------------------------- kinds in plain words


def _kind_table(entries: dict[str, str]) -> dict[tuple[int, ...], str]:
    return {_vector(spec)[:_BASE]: name for spec, name in entries.items()}


_KINDS = _kind_table(
    {
        "": "dimensionless",
        "L": "length",
        "L2": "area",
        "L3": "volume",
        "M": "mass",
        "T": "time",
        "T-1": "frequency",
        "N": "amount of substance",
        "Th": "temperature",
        "J": "luminous intensity",
        "I": "electric current",
        "T I": "electric charge",
        "M L2 T-3 I-1": "electric potential",
        "M L-3": "mass concentration",
        "N L-3": "amount concentration",
        "L-3": "count per volume",
        "L-2": "count per area",
        "L-1": "per length",
        "M T-1": "mass per time (dose rate)",
        "L3 T-1": "volume per time (flow rate)",
        "N T-1": "catalytic activity",
        "N T-1 L-3": "catalytic activity concentration",
        "M L-2": "mass per area",
        "M L-1 T-2": "pressure",
        "M L T-2": "force",
        "M L2 T-2": "energy",
        "M L2 T-3": "power",
        "L T-1": "velocity",
        "N M-1": "amount per mass",
        "M N-1": "mass per amount",
        "L3 M-1": "volume per mass",
        "L3 T-1 M-1": "volume per time per mass",
        "L2 T-2": "absorbed radiation dose",
    }
)

_ARBITRARY_NOUNS = {
    "[HPF]": "high-power field",
    "[LPF]": "low-power field",
    "[pH]": "pH",
}

_BODY_MASS = ("kg", "[lb_av]")


def _short(base: tuple[int, ...]) -> str | None:
    """The kind without its parenthetical gloss, for composing longer names."""
    name = _KINDS.get(base)
    return name.split(" (")[0] if name else None


def _with(base: tuple[int, ...], axis: int, change: int) -> tuple[int, ...]:
    return tuple(e + change if i == axis else e for i, e in enumerate(base))


def _term_dimension(symbol: str) -> tuple[int, ...]:
    resolved = None if symbol.isdigit() else _resolve(symbol)
    return resolved[1].dimension[:_BASE] if resolved else _ZERO[:_BASE]


def _cancelled(terms: tuple[tuple[str, int], ...]) -> tuple[int, ...]:
    """Per base axis, how much of the numerator the denominator cancels (mg/kg: mass 1)."""
    up = [0] * _BASE
    down = [0] * _BASE
    for symbol, power in terms:
        for axis, e in enumerate(_term_dimension(symbol)):
            if e * power > 0:
                up[axis] += e * power
            else:
                down[axis] -= e * power
    return tuple(min(u, d) for u, d in zip(up, down, strict=True))


def _base_kind(base: tuple[int, ...], terms: tuple[tuple[str, int], ...]) -> str:
    per_body_mass = base[_MASS] <= 0 and any(
        power < 0 and symbol in _BODY_MASS for symbol, power in terms
    )
    if per_body_mass:
        # mg/kg is a dose per body weight, not a pure number, whatever the algebra says.
        rest = _with(base, _MASS, 1)
        if not any(rest):
            return "per body mass"
        if rest[_TIME] < 0 and (per_time := _short(_with(rest, _TIME, 1))):
            return f"{per_time} per body mass per time"
        if short := _short(rest):
            return f"{short} per body mass"
    if not any(base):
        cancelled = _cancelled(terms)
        if cancelled[_MASS]:
            return "mass ratio"
        if cancelled[_LENGTH] >= 3:
            return "volume fraction"
        if cancelled[_AMOUNT]:
            return "amount fraction"
    return _KINDS.get(base) or _formula(base + _ZERO[_BASE:])


def _formula(dimension: tuple[int, ...]) -> str:
    base = ("length", "mass", "time", "amount", "temperature", "luminous intensity", "current")
    names = base + ARBITRARY_UNITS

    def power(name: str, e: int) -> str:
        return name if e == 1 else f"{name}^{e}"

    up = [power(n, e) for n, e in zip(names, dimension, strict=True) if e > 0]
    down = [power(n, -e) for n, e in zip(names, dimension, strict=True) if e < 0]
    numerator = "·".join(up) or "1"
    return f"{numerator}/{'·'.join(down)}" if down else numerator


def describe_dimension(unit: Unit | str) -> str:
    """The kind of quantity ``unit`` measures, in plain words ("mass concentration").

    Falls back to a formula over the base dimensions ("mass·time") when the
    kind has no common name.
    """
    u = _as_unit(unit)
    base = u.dimension[:_BASE]
    slots = [(n, e) for n, e in zip(ARBITRARY_UNITS, u.dimension[_BASE:], strict=True) if e]
    if not slots:
        return _base_kind(base, u.terms)
    if len(slots) == 1:
        name, e = slots[0]
        noun = _ARBITRARY_NOUNS.get(name, "arbitrary units")
        body = any(p < 0 and s in _BODY_MASS for s, p in u.terms)
        if e == 1:
            if not any(base):
                return noun
            if body and base == _with(_ZERO[:_BASE], _MASS, -1):
                return f"{noun} per body mass"
            if inverse := _short(tuple(-x for x in base)):
                return f"{noun} per {inverse}"
        elif e == -1:
            if not any(base):
                return f"count per {noun}"
            if short := _short(base):
                return f"{short} per {noun}"
    return _formula(u.dimension)


def describe_unit(unit: Unit | str) -> str:
    """A unit with what it measures, for messages: "mg/dL (mass concentration)"."""
    return f"{format_unit(unit)} ({describe_dimension(unit)})"
