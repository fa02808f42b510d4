"""protocol-dsl: clinical trial protocols as checked, executable code.

Public API::

    import protocol_dsl
    spec, diagnostics = protocol_dsl.load("specs/qls4131_sle_phase1b.trial")

`load` parses the spec and its libraries and runs every consistency check;
`spec` is None when the file could not be parsed.  The model classes live in
`protocol_dsl.model`; a loaded spec is a `protocol_dsl.spec.Spec`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from protocol_dsl.diagnostics import Diagnostic
    from protocol_dsl.spec import Spec


def load(path: str, source: str | None = None) -> tuple[Spec | None, list[Diagnostic]]:
    """Parse, resolve and check one spec.  Never raises for a problem in the spec."""
    from protocol_dsl.compiler import compile_spec

    result = compile_spec(path, source)
    return result.spec, result.diagnostics


__all__ = ["__version__", "load"]
