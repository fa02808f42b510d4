"""Types: every expression is used as the kind of value it is.

The rules are those of `protocol_dsl.semantics.types` (documented there): a date
compared with a number (E0201), a choice compared with a value outside its
code list (E0202), a titer compared with a non-titer (E0203), arithmetic on
values that are not numbers (E0204), a non-condition where a condition is
needed (E0205), a lookup key that does not match its table (E0206), time
windows without a date or a duration (E0207), aggregates over values that
cannot be summed or ordered (E0208), order comparisons on values without an
order (E0209) and function arguments of the wrong type (E0210).  References
to a form, table or code list used as a value are E0111.  A date (without a
time) moved by hours, minutes or seconds is W0408: it moves by whole days.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.semantics.types import analyse
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for problem in analyse(spec):
        if problem.code.startswith("E02") or problem.code in ("E0111", "W0408"):
            yield problem
