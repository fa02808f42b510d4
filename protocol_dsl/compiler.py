"""The front end as one call: load a spec, run the checks, sort the diagnostics.

Every command that reads a spec goes through `compile_spec`, so they all
report the same problems the same way.
"""

from __future__ import annotations

import attrs

from protocol_dsl.checks import Check, run_checks_allowing
from protocol_dsl.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import Parse, Reader, _read_file, load
from protocol_dsl.syntax.parser import parse_module


@attrs.frozen
class CompileResult:
    spec: Spec | None
    diagnostics: list[Diagnostic]
    sources: dict[str, str]
    #: Findings an `allow` mark silences, each with its reason (not in `diagnostics`).
    allowed: list[Diagnostic] = attrs.field(factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not has_errors(self.diagnostics)

    @property
    def internal(self) -> bool:
        """Whether a check failed (E0999): a bug, which commands exit 2 for."""
        return any(d.code == INTERNAL for d in self.diagnostics)


#: The code of a check's internal error (see `protocol_dsl.checks.internal_error`).
INTERNAL = "E0999"


def compile_spec(
    path: str,
    source: str | None = None,
    *,
    strict: bool = False,
    thorough: bool = False,
    reader: Reader = _read_file,
    parse: Parse = parse_module,
    checks: list[Check] | None = None,
) -> CompileResult:
    """Load and check one spec; `thorough` lifts the solver's effort limit (N0904).

    `parse` and `checks` let a long-lived caller (the language server) reuse the
    files it parsed before and run the quick checks before the solver.
    """
    spec, diagnostics, sources = load(path, source, reader, parse)
    allowed: list[Diagnostic] = []
    if spec is not None and not has_errors(diagnostics):
        active, allowed = run_checks_allowing(spec, checks, thorough=thorough)
        diagnostics = diagnostics + active
    if strict:
        # an allowed finding has been reviewed: --strict does not bring it back
        diagnostics = [_strict(d) for d in diagnostics]
    return CompileResult(
        spec, sorted_diagnostics(diagnostics), sources, sorted_diagnostics(allowed)
    )


#: notes outside N09xx that a draft leaves open: a criterion without a rule
_OPEN_IN_A_DRAFT = frozenset({"N1110"})


def _strict(diagnostic: Diagnostic) -> Diagnostic:
    """`--strict`: what a draft may leave open (provisional values, questions, criteria
    without a rule) is an error."""
    if (
        diagnostic.code.startswith("N09")
        or diagnostic.code in _OPEN_IN_A_DRAFT
        or diagnostic.severity == "warning"
    ):
        return attrs.evolve(diagnostic, severity="error")
    return diagnostic
