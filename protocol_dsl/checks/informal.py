"""N1110: criteria written as text only, without a rule.

A criterion with no `= rule` (nor `= attested`) is informal: its text is the
protocol's, but nothing in the spec decides it, so screening reads it as it
reads an attested criterion (the investigator's attestation in the subject's
record) and leaves it unknown without one.  A draft imported from a registry record has every criterion in that
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
                "screening can only take an investigator's attestation for it",
                criterion.span,
                help='write its rule (`= condition`), or `= attested "question"` for a '
                "judgement the investigator confirms",
            )
