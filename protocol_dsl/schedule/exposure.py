"""The exposure form: where the doses a subject receives are recorded.

It is the first repeating form with a quantity item named `dose` and a date
item (the day the dose was given), the same rule the edit checks read
subject data with.  Its `dose` unit says what is recorded: an amount (mg)
that a per-kg or per-m² dose must be converted to, or a dose per kg as the
protocol gives it.
"""

from __future__ import annotations

import attrs

from protocol_dsl import model as m
from protocol_dsl.spec import FormUse, Spec


@attrs.frozen
class ExposureForm:
    use: FormUse
    dose: m.Item
    date: m.Item

    @property
    def unit(self) -> str | None:
        return self.dose.type.unit


def exposure_form(spec: Spec) -> ExposureForm | None:
    """The spec's exposure form, None if it has none."""
    for use in spec.form_uses:
        form = use.form
        if not form.repeating:
            continue
        dose = form.item("dose")
        if dose is None or dose.type.kind != "quantity" or not dose.type.unit:
            continue
        date = next((i for i in form.items if i.type.kind in ("date", "datetime")), None)
        if date is not None:
            return ExposureForm(use, dose, date)
    return None
