"""Checks made of one question per declaration, asked again only for a new declaration.

Some checks find their findings declaration by declaration, each from that
declaration alone (`field_details`: the `{ … }` details of its fields; `notes`:
its `provisional` and `question` marks).  The
re-parse of an edit keeps every declaration it did not touch as the same object
(those after the edit too when the edit replaces a character by one): such a
declaration, spans included, is what it was, and so are its findings.  They are
kept by the declaration's identity, for the declarations of the last check only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from protocol_dsl import model as m
from protocol_dsl.checks import Check, field_details, notes
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

#: The checks that are one question per declaration, and that question.
PER_DECLARATION: dict[Check, Callable[[m.Declaration], Iterable[Diagnostic]]] = {
    field_details.check: field_details.declaration_findings,
    notes.check: notes.declaration_findings,
}


class DeclarationFindings:
    """The last findings of each per-declaration check, by declaration object."""

    def __init__(self) -> None:
        self._kept: dict[Check, dict[int, tuple[m.Declaration, list[Diagnostic]]]] = {}
        #: How many declarations' findings were given back (the tests read it).
        self.reused = 0

    def wrap(self, checks: list[Check]) -> list[Check]:
        return [self._wrapped(check) if check in PER_DECLARATION else check for check in checks]

    def _wrapped(self, check: Check) -> Check:
        question = PER_DECLARATION[check]

        def kept(spec: Spec) -> list[Diagnostic]:
            before = self._kept.get(check, {})
            now: dict[int, tuple[m.Declaration, list[Diagnostic]]] = {}
            found: list[Diagnostic] = []
            # in the order of the check itself: the spec and its libraries, each in order
            for owner in spec.all_specs():
                for decl in owner.module.declarations:
                    last = before.get(id(decl))
                    if last is not None and last[0] is decl:
                        self.reused += 1
                        findings = last[1]
                    else:
                        findings = list(question(decl))
                    now[id(decl)] = (decl, findings)
                    found.extend(findings)
            self._kept[check] = now
            return found

        # the family name of a check (E0999, N0903) comes from its module
        kept.__module__ = check.__module__
        return kept
