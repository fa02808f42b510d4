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


KNOWN: tuple[Known, ...] = (
    Known(
        "infinite-float-text-value",
        r"^(screen|module)",
        "internal",
        r"OverflowError: cannot convert float infinity to integer",
        "1e400 (read by json as inf) as a text item's value: int(value) overflows",
    ),
    Known(
        "fmt-moves-comments",
        r"^fmt$",
        "broken",
        r"not idempotent",
        "a comment between a definition's name and its `=`, or at the end of a wrapped "
        "rule, moves on each run of fmt",
    ),
    Known(
        "escalation-input-without-code",
        r"^escalate",
        "uncoded",
        r"cohorts\.csv: line \d+:",
        "escalate refuses a cohorts file with an unknown level or more DLTs than patients "
        "with a message but no diagnostic code (no code is allocated to data-file errors)",
    ),
)


def known(outcome: Outcome) -> Known | None:
    return next((k for k in KNOWN if k.matches(outcome)), None)


def unknown_failures(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.failed and known(o) is None]
