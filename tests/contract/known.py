"""Failures of the contract that are known, reproduced and waiting for their fix.

The property tests tolerate a failure only if it matches an entry here, and every
entry has a regression test in `test_regressions.py` marked `xfail(strict=True)`:
when the fix lands the regression test passes, strict xfail turns that into a
failure, and the entry (and the mark) must go.  Nothing else is tolerated.
"""

from __future__ import annotations

import re

import attrs

from tests.contract.runner import Outcome


@attrs.frozen
class Known:
    name: str
    command: str  # a regular expression on the command run
    kind: str
    detail: str  # a regular expression searched in the outcome's detail
    why: str

    def matches(self, outcome: Outcome) -> bool:
        return (
            outcome.kind == self.kind
            and re.search(self.command, outcome.command) is not None
            and re.search(self.detail, outcome.detail) is not None
        )


#: None known at present: every failure the harness found has been fixed, and its
#: regression test in `test_regressions.py` passes.
KNOWN: tuple[Known, ...] = ()


def known(outcome: Outcome) -> Known | None:
    return next((k for k in KNOWN if k.matches(outcome)), None)


def unknown_failures(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.failed and known(o) is None]
