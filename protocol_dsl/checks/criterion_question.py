"""The question a check asks about one criterion, for the checks that judge each
criterion on its own (`names`, `partial_dates`, `rounded_fractions`, `ongoing`,
`wording`).

Such a check runs as `findings(spec, question)` and `check(spec)` is
`findings(spec, criterion_findings)`: a language server passes a question that
gives back the findings of a criterion an edit did not touch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

#: The findings of a check about one criterion: (the spec checked, the spec the criterion
#: is declared in: that one or a library, the criterion).  A check that exposes one finds
#: them from that criterion and the declarations that are not criteria only (a rule
#: cannot name another criterion), so a language server can keep them for a criterion an
#: edit did not touch.
CriterionQuestion = Callable[[Spec, Spec, m.Criterion], Iterable[Diagnostic]]
