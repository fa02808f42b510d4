"""The findings of each check on the texts checked last, for the next check of the same texts.

The server checks every edit twice: first without the solver (the quick
publication), then with it (what `protocol check` prints).  Every check but the
solver's runs in both, on the same texts: a check is a function of the texts it
reads (the spec and its libraries), so the second run would find exactly what
the first found.  Each check's own findings (before `allow` marks are applied
and findings grouped, which is done again over all of them) are kept with the
texts they were found on, and given back while the texts are the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_dsl.checks import Check
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


class SameTextFindings:
    """Per spec: the texts last checked, and each check's findings on them."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[dict[str, str], dict[Check, list[Diagnostic]]]] = {}
        #: How many checks gave back their findings instead of running (the tests read it).
        self.reused = 0

    def wrap(
        self, checks: list[Check], running: list[Check], path: str, sources: dict[str, str]
    ) -> list[Check]:
        """`running` (what runs for each of `checks`, in order), each giving back its
        findings on these texts when it has them."""
        last = self._last.get(path)
        if last is None or last[0] != sources:
            last = (dict(sources), {})
            self._last[path] = last
        found = last[1]
        return [self._kept(check, run, found) for check, run in zip(checks, running, strict=True)]

    def _kept(self, check: Check, run: Check, found: dict[Check, list[Diagnostic]]) -> Check:
        def kept(spec: Spec) -> Iterable[Diagnostic]:
            if check in found:
                self.reused += 1
                return list(found[check])
            # a check that fails (E0999) raises here and keeps nothing
            findings = list(run(spec))
            found[check] = findings
            return list(findings)

        # the family name of a check (E0999, N0903) comes from its module
        kept.__module__ = check.__module__
        return kept
