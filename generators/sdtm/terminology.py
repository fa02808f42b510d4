"""CDISC SDTM controlled terminology: the pinned codelists the trial design datasets use.

The terms come from `ct/sdtmct-2025-03-28.json` (see `ct/README.md`), never
typed here, so that a value written into TA or TS is a real submission value
with its NCI code.  A lookup matches the submission value, the preferred term
or a synonym, ignoring case, spaces, hyphens and underscores ("follow_up",
"Follow-up" and "FOLLOW-UP" are one term).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

VERSION = "2025-03-28"
#: TSVCDREF for a value taken from these codelists
REFERENCE = "CDISC CT"
_FILE = Path(__file__).parent / "ct" / f"sdtmct-{VERSION}.json"


class Term(NamedTuple):
    code: str  # the NCI concept code, e.g. C49659
    value: str  # the submission value, e.g. OPEN LABEL
    preferred: str


class Codelist(NamedTuple):
    code: str
    name: str
    extensible: bool
    terms: tuple[Term, ...]
    lookup: dict[str, Term]  # normalised spelling -> term


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


@cache
def codelist(name: str) -> Codelist:
    """The codelist with this submission value (EPOCH, TPHASE, …)."""
    data = _load()["codelists"][name]
    terms = tuple(Term(t["code"], t["value"], t["preferred"]) for t in data["terms"])
    index: dict[str, Term] = {}
    # synonyms first, so that a submission value or preferred term wins a clash
    for raw, term in zip(data["terms"], terms, strict=True):
        for synonym in raw["synonyms"]:
            index.setdefault(_key(synonym), term)
    for term in terms:
        index[_key(term.preferred)] = term
    for term in terms:
        index[_key(term.value)] = term
    return Codelist(data["code"], data["name"], bool(data["extensible"]), terms, index)


def term(list_name: str, text: str) -> Term | None:
    """The term of `list_name` that `text` names, or None."""
    return codelist(list_name).lookup.get(_key(text))


def ts_parameter_name(parameter_code: str) -> str:
    """TSPARM for a TSPARMCD: the TSPARM codelist's submission value of the same concept."""
    found = term("TSPARMCD", parameter_code)
    if found is None or found.value != parameter_code:
        raise KeyError(f"{parameter_code} is not a TS parameter of SDTM CT {VERSION}")
    names = {t.code: t.value for t in codelist("TSPARM").terms}
    return names[found.code]


@cache
def _load() -> dict[str, Any]:
    with _FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
