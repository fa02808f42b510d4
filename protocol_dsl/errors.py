"""The exceptions of protocol-dsl: a user's error, an internal error, or control flow.

Every exception class of the package derives from exactly one of three bases,
and the base says who has to act on it:

- `UserError`: a problem in what the user gave us — the spec, the subject
  data, a cohorts file, the command line.  The user can fix it.  It is
  reported as a diagnostic or a one-line message naming the problem (with its
  code where it has one: E0004 for a number out of range, E0711 for cohort
  counts that contradict each other, …) and the command exits 1.  It never
  asks for a bug report.
- `InternalError`: a bug in protocol-dsl.  A back end that cannot handle a
  spec `protocol check` accepted has found one: the contract of every command
  is that a checked spec either works or is refused by `check` with a
  documented code.  It is reported with the internal-error code E0999 and a
  request to report it, and the command exits 2 (see
  `protocol_dsl.commands.internal`).
- `ControlFlow`: a private signal from a function to the code that called it
  (the one-pass parser's `Fallback` hands a file to Lark's own parser, a
  report's `TooNarrow` table is drawn another way, a condition REDCap cannot
  express is left out of its branching logic).  It is always caught by its
  caller, inside the package, and never reaches a command; one that does is a
  bug like any other.

The command layer (`protocol_dsl.cli`, `protocol_dsl.commands`) relies on this:
it catches `UserError` as the user's problem and turns any other exception —
an `InternalError` or one the code never meant to raise (a `KeyError`, an
`AssertionError`) — into the internal-error report, never a bare traceback.
A class keeps a built-in base too (`ValueError`, say) where callers catch it
by that base.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem in the user's spec, data or command line: reported, the user fixes it."""


class InternalError(Exception):
    """A bug in protocol-dsl: reported with code E0999 and a request for a bug report."""


class ControlFlow(Exception):
    """A signal caught by the caller of the code that raises it; never reported to the user."""


__all__ = ["ControlFlow", "InternalError", "UserError"]
