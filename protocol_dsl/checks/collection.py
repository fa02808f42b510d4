"""Conditional collection: a rule that reads an item outside the condition it is collected under.

W0411 (a criterion that stays unknown for a subgroup whose collected data are
complete) and W0412 (a criterion that can never be met, or never fail, with the
data the protocol collects) come from the solver
(`protocol_dsl.solver.collection`).  The solver is imported only for a spec
whose criteria have rules and whose forms have an item collected `when` a
condition holds.
"""

from __future__ import annotations

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> list[Diagnostic]:
    if not any(c.rule is not None for c in spec.criteria):
        return []
    if not any(i.when is not None for use in spec.form_uses for i in use.form.items):
        return []
    from protocol_dsl.solver.collection import analyse

    return analyse(spec)
