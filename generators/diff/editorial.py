"""Editorial changes: two declarations that differ only in how their prose is typeset.

A capital letter, a comma, a full stop for a semicolon, spacing, a hyphen for a
space ("treatment-emergent"), curly for straight quotes, or an abbreviation
spelled out in brackets after the words it stands for ("adverse events
(AEs)") change no subject's eligibility, no dose and no datum: under EU CTR
536/2014 Art 2(2)(13) and 21 CFR 312.30 they are not substantial, whatever the
declaration.  `only_editorial(old, new)` says whether two model nodes differ in
such ways only.

Only prose is normalised: labels, criterion texts, attestations, descriptions,
titles and the string values of header fields.  Names, units (UCUM is case
sensitive: `mg` is not `Mg`), codes and numbers are compared as they are, and a
full stop or a comma between two digits is part of the number ("1.5 mg" is not
"15 mg"), as is the colon of a titer ("1:80").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, cast

import attrs

from protocol_dsl import model as m

#: the fields of model classes whose strings are prose, read by people
PROSE_FIELDS = frozenset({"label", "text", "attestation", "description", "title"})

#: where a node is written and its notes: never part of what it says
_IGNORED = frozenset({"span", "marks"})

# punctuation that does not carry meaning, unless it sits between two digits
_SOFT = r"[,;:.!?'\"“”‘’«»()\[\]{}]"
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[.,:](?=\d)")
_PUNCTUATION = re.compile(_SOFT)
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])[-‐‑–](?=[^\W\d_])")
_SPACE = re.compile(r"\s+")
# an abbreviation in brackets: "(TEAEs)", "(ANA)", "(MTD)"
_ABBREVIATION = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{0,11})\s*\)")
_DIGIT_MARK = "\x00"


def only_editorial(old: object, new: object) -> bool:
    """Whether `old` and `new` differ, but only in case, punctuation, spacing, hyphens,
    quotes or an abbreviation added or removed after the words it stands for."""
    if old is None or new is None or old == new:
        return False
    if _normal(old, strict=True) == _normal(new, strict=True):
        return False  # they differ in their notes only: not a change of wording
    return _normal(old) == _normal(new)


def prose(text: str) -> str:
    """`text` with its typesetting taken out: what two editorial variants share."""
    text = unicodedata.normalize("NFKC", text)
    text = _drop_abbreviations(text)
    text = _BETWEEN_DIGITS.sub(lambda match: _DIGIT_MARK + match.group(0), text)
    text = _HYPHEN_IN_WORD.sub(" ", text)
    text = re.sub(rf"(?<!{_DIGIT_MARK}){_SOFT}", " ", text)
    text = text.replace(_DIGIT_MARK, "")
    return _SPACE.sub(" ", text).strip().casefold()


def _drop_abbreviations(text: str) -> str:
    """ "adverse events (AEs)" → "adverse events": an abbreviation whose letters are the
    initials of the words just before it."""

    def replace(match: re.Match[str]) -> str:
        letters = match.group(1).replace("-", "")
        if letters.endswith("s") and letters[:-1].isupper():
            letters = letters[:-1]  # a plural: "AEs"
        if not letters.isupper() or len(letters) < 2:
            return match.group(0)
        before = re.split(r"[\s\-/]+", text[: match.start()].strip())
        words = [w for w in before if w][-len(letters) :]
        initials = "".join(w[0] for w in words).upper()
        return "" if initials == letters.upper() else match.group(0)

    return _ABBREVIATION.sub(replace, text)


def _normal(value: object, prose_field: bool = False, strict: bool = False) -> Any:
    """`value` as compared: spans and notes left out, prose normalised unless `strict`."""
    if isinstance(value, str):
        return prose(value) if prose_field and not strict else value
    if isinstance(value, tuple | list):
        return tuple(_normal(v, prose_field, strict) for v in value)
    if attrs.has(type(value)):
        node = cast(attrs.AttrsInstance, value)
        # a header field's string value is prose ("sponsor"), as is its source text
        in_value = isinstance(value, m.Value)
        return (
            type(value).__name__,
            tuple(
                _normal(getattr(node, f.name), in_value or f.name in PROSE_FIELDS, strict)
                for f in attrs.fields(type(node))
                if f.name not in _IGNORED
            ),
        )
    return value
