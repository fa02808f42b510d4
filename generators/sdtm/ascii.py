"""Text for SAS transport files, which regulators take in ASCII only.

FDA's Study Data Technical Conformance Guide asks for SDTM character data in
ASCII (7-bit) in XPORT v5 files; a "≥" or a typographic apostrophe copied from
the protocol would be rejected or garbled.  `to_ascii` rewrites a text the way a
reader would write it by hand ("≥ 18" -> ">= 18", "Alzheimer’s" -> "Alzheimer's",
"µg" -> "ug"), letters with accents lose them ("Sjögren" -> "Sjogren"), and
anything else becomes "?"; the CSV copies of the datasets keep the original
text, and every change is listed in a report, so nothing is lost silently.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

#: characters a protocol writer uses that have a conventional ASCII spelling
_SPELLINGS = {
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "±": "+/-",
    "×": "x",
    "÷": "/",
    "−": "-",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "′": "'",
    "″": '"',
    "…": "...",
    "•": "-",
    "·": ".",
    "°": " degrees",
    "µ": "u",
    "μ": "u",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "κ": "kappa",
    "λ": "lambda",
    "®": "(R)",
    "©": "(C)",
    "™": "(TM)",
    "²": "2",
    "³": "3",
    "¹": "1",
    "½": "1/2",
    "¼": "1/4",
    "¾": "3/4",
    "→": "->",
    "←": "<-",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "ø": "o",
    "Ø": "O",
    "œ": "oe",
    "Œ": "OE",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}


def to_ascii(text: str) -> str:
    """The text in printable ASCII (see the module's note)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif char in _SPELLINGS:
            out.append(_SPELLINGS[char])
        else:
            # a letter with an accent: its base letter; anything else: "?"
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if base and base.isascii() else "?")
    return "".join(out)


class Transliteration(NamedTuple):
    """One XPT cell whose text was rewritten in ASCII."""

    dataset: str
    variable: str
    row: int  # the observation, from 1
    original: str
    ascii: str
