"""N1110: criteria written as text only, without a rule.

A criterion with no `= rule` (nor `= attested`) is informal: its text is the
protocol's, but nothing decides it, so screening leaves it undecided for every
subject.  A draft imported from a registry record has every criterion in that
form until the writer formalises it; each is listed as a note, and `protocol
check --strict` makes it an error like the other open items of a draft
(provisional values, questions).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

CODE = "N1110"


def check(spec: Spec) -> Iterator[Diagnostic]:
    for criterion in spec.criteria:
        if criterion.rule is None and not criterion.attested:
            yield Diagnostic(
                CODE,
                "note",
                f"{criterion.kind} {criterion.id} is text only: no rule decides it, so "
                "screening leaves it undecided",
                criterion.span,
                help='write its rule (`= condition`), or `= attested "question"` for a '
                "judgement the investigator confirms",
            )
