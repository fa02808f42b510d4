"""The trial header as the ClinicalTrials.gov record reads it, provisional values included or not.

A value marked `provisional` is not final in the protocol.  The record either
keeps it and flags it (`flag`, the default: the record's detailed description
ends with the list of provisional entries, and a provisional outcome measure
says so in its description) or leaves it out (`exclude`), so that what is
not yet decided is never published as if it were.
"""

from __future__ import annotations

from typing import Any, Literal

from protocol_dsl import model as m
from protocol_dsl.spec import Spec

Provisional = Literal["flag", "exclude"]
PROVISIONAL_CHOICES: tuple[Provisional, ...] = ("flag", "exclude")


class Header:
    """The header fields of one spec, with the provisional ones flagged or left out."""

    def __init__(self, spec: Spec, provisional: Provisional = "flag") -> None:
        self.spec = spec
        self.exclude = provisional == "exclude"
        #: what the record shows that is provisional, in the order it was read
        self.flagged: list[str] = []

    def keeps(self, marks: m.Marks, what: str) -> bool:
        """Whether an entry with these marks goes into the record (noting it when flagged)."""
        if not m.is_provisional(marks):
            return True
        if self.exclude:
            return False
        if what not in self.flagged:
            self.flagged.append(what)
        return True

    def field(self, key: str) -> m.Field | None:
        found = self.spec.trial_field(key)
        if found is None or not self.keeps(found.marks, key.replace("_", " ")):
            return None
        return found

    def fields(self, key: str) -> list[m.Field]:
        trial = self.spec.trial
        if trial is None:
            return []
        return [f for f in trial.all(key) if self.keeps(f.marks, f"{key} {text(f.value)}")]

    def value(self, key: str) -> str | None:
        found = self.field(key)
        return None if found is None else text(found.value)

    def values(self, key: str) -> list[str]:
        return [text(v) for f in self.fields(key) for v in f.values]

    def detail(self, f: m.Field, key: str) -> str | None:
        """One detail of a structured field (a site's city), as text."""
        found = f.detail(key)
        if found is None or not self.keeps(found.marks, f"{key} of “{text(f.value)}”"):
            return None
        return text(found.value)

    def yes_no(self, key: str) -> bool | None:
        """A `yes`/`no` field as true or false; None (unknown) when not given."""
        stated = self.value(key)
        return None if stated is None else stated == "yes"


def text(value: m.Value) -> str:
    if value.kind == "string":
        return str(value.value)
    if value.kind in ("quantity", "number"):
        return value.text or str(value.value)
    return str(value.value)


def compact(module: dict[str, Any]) -> dict[str, Any]:
    """The module without the entries the spec leaves empty."""
    return {k: v for k, v in module.items() if v not in (None, [], {}, "")}
