"""Score descriptors read yes/no items (E0213).

A descriptor written without `= condition` counts its weight when the item of
the same name on the score's form is `yes`.  Only a yes/no item can be present
or absent: a number, a date or a choice read that way has no meaning, and the
screening engines would either refuse it (SQL, the generated module) or leave
the score unknown for every subject (the interpreter).  A missing item is the
name checks' E0101.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Scope, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for score in owner.module.of_type(m.Score):
            if score.form is None:
                continue
            symbol = owner.resolve(score.form.parts, Scope(owner))
            if symbol is None or symbol.kind != "form" or symbol.form is None:
                continue  # reported by the name checks
            form = symbol.form
            for _domain, descriptor in score.items():
                if descriptor.expr is not None:
                    continue
                item = form.item(descriptor.name)
                if item is None or item.type.kind == "yes_no":
                    continue
                yield Diagnostic(
                    "E0213",
                    "error",
                    f"the score item '{descriptor.name}' of {score.name} reads "
                    f"'{form.name}.{item.name}', which is a {item.type.kind.replace('_', ' ')} "
                    "item, not a yes/no item",
                    descriptor.span,
                    labels=(Label(item.span, f"{form.name}.{item.name} is declared here"),),
                    help=f"make it a yes/no item, or give the descriptor a condition: "
                    f'`{descriptor.name} {descriptor.weight} "…" = {item.name} >= …`',
                )
