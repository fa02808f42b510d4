"""A problem with the cohorts file of `protocol escalate`, as a diagnostic.

The error points at the offending cell of the file (its line and columns),
so that it renders like any other diagnostic, with the line and a caret, and
carries its code in every output format: E0710 a line that cannot be read as
a cohort, E0711 counts that contradict each other, E0712 a cohort the design
does not allow at that point; E0009 and E0008 when the file cannot be read
or is not UTF-8.
"""

from __future__ import annotations

from generators.escalation import EscalationInputError
from generators.escalation.decide import UNREADABLE
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.model import Span

_FORMAT_HELP = "the cohorts file is described in docs/escalate.md"


def cohorts_diagnostic(
    error: EscalationInputError | OSError | UnicodeDecodeError, file: str, text: str
) -> Diagnostic:
    """The diagnostic of `error`, raised while reading or replaying `file` (whose text is
    `text`, empty when it could not be read)."""
    if isinstance(error, UnicodeDecodeError):
        return Diagnostic(
            "E0008",
            "error",
            f"the cohorts file is not UTF-8 text ({error.reason} at byte {error.start})",
            Span(file, 1, 1, 1, 1),
        )
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return Diagnostic(
            "E0009", "error", f"cannot read the cohorts file: {reason}", Span(file, 1, 1, 1, 1)
        )
    lines = text.splitlines() or [""]
    line = error.row if error.row is not None and 1 <= error.row <= len(lines) else 1
    # no cell known (a record that spans lines): the whole line
    column, end_column = error.cell or (1, len(lines[line - 1]) + 1)
    return Diagnostic(
        error.code or UNREADABLE,
        "error",
        error.reason,
        Span(file, line, column, line, end_column),
        help=_FORMAT_HELP if error.code in (None, UNREADABLE) else None,
    )
