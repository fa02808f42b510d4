"""Deterministic USDM instances: ids numbered per class in the order they are made.

Every USDM object carries an `id`; CDISC's examples number them per class
(`StudyEpoch_1`, `StudyEpoch_2`, …).  The export makes its objects in the
spec's order, so the same spec always gets the same ids and a rebuild is
byte-identical.
"""

from __future__ import annotations

from typing import Any

from generators.usdm.terms import CDISC, CDISC_VERSION, Term

Json = dict[str, Any]


class Instances:
    """Makes USDM objects with the next id of their class."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        # one decode per code and one code per decode in each code system (CDISC rule
        # DDF00035): the first decode a code is given stays; a decode another code
        # already has is told apart by its code
        self._decodes: dict[tuple[str, str], str] = {}
        self._codes: dict[tuple[str, str], str] = {}

    def next_id(self, klass: str) -> str:
        count = self._counts.get(klass, 0) + 1
        self._counts[klass] = count
        return f"{klass}_{count}"

    def make(self, klass: str, fields: Json, extensions: list[Json] | None = None) -> Json:
        """An instance of `klass`: its id and extension attributes first, its class last."""
        return {
            "id": self.next_id(klass),
            "extensionAttributes": extensions or [],
            **fields,
            "instanceType": klass,
        }

    def code(self, term: Term, system: str = CDISC, version: str = CDISC_VERSION) -> Json:
        return self.make(
            "Code",
            {
                "code": term.code,
                "codeSystem": system,
                "codeSystemVersion": version,
                "decode": self._decode(system, term),
            },
        )

    def _decode(self, system: str, term: Term) -> str:
        known = self._decodes.get((system, term.code))
        if known is not None:
            return known
        decode = term.decode
        if self._codes.get((system, decode), term.code) != term.code:
            decode = f"{term.decode} ({term.code})"
        self._decodes[(system, term.code)] = decode
        self._codes[(system, decode)] = term.code
        return decode

    def alias(self, term: Term, system: str = CDISC, version: str = CDISC_VERSION) -> Json:
        return self.make(
            "AliasCode",
            {"standardCode": self.code(term, system, version), "standardCodeAliases": []},
        )

    def text_extension(self, url: str, text: str) -> Json:
        return self.make("ExtensionAttribute", {"url": url, "valueString": text})
