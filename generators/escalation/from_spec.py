"""The escalation design a spec declares, as an engine design.

This module is the one bridge between the spec model and the escalation
engine: it turns a `dose_finding` block into a `Design` (through
`design_from_params`, so the engine validates the parameters), the ordered
dose-level names, the step-up schedule that applies to each level and the
declared simulation scenarios.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from protocol_dsl import model as m
from protocol_dsl.errors import UserError
from protocol_dsl.spec import Spec

from .designs import Design, DesignError, ParamValue, design_from_params


class NoDesign(UserError, ValueError):
    """The spec has no dose-finding block, or it declares no escalation design."""


@attrs.frozen
class SpecDesign:
    """A spec's escalation design, ready for the engine."""

    design: Design
    dose_finding: m.DoseFinding
    level_names: tuple[str, ...]

    @property
    def n_levels(self) -> int:
        return len(self.level_names)

    def level(self, index: int) -> m.DoseLevel:
        return self.dose_finding.levels[index]

    def step_up(self, level_name: str) -> m.StepUp | None:
        """The step-up schedule that applies at a level, if any."""
        for step_up in self.dose_finding.step_ups:
            if level_name in step_up.levels:
                return step_up
        return None

    def scenarios(self) -> tuple[m.Scenario, ...]:
        return self.dose_finding.scenarios


def _param(field: m.Field) -> ParamValue:
    values = [_value(v) for v in field.values]
    return values[0] if len(values) == 1 and field.key != "skeleton" else values  # type: ignore[return-value]


def _value(value: m.Value) -> float | int | str:
    if isinstance(value.value, Decimal):
        return (
            int(value.value)
            if value.value == value.value.to_integral_value()
            else float(value.value)
        )
    if isinstance(value.value, m.Quantity):
        return float(value.value.value)
    return str(value.value)


def spec_design(spec: Spec) -> SpecDesign:
    """The design of the spec's (first) dose-finding block.

    Raises `NoDesign` when there is none and `DesignError` when its parameters
    cannot work (the checker reports the same problem as a diagnostic).
    """
    dose_finding = spec.dose_finding
    if dose_finding is None:
        raise NoDesign("this spec has no dose_finding block")
    if dose_finding.design is None:
        raise NoDesign(f"dose_finding {dose_finding.intervention} declares no escalation design")
    if not dose_finding.levels:
        raise NoDesign(f"dose_finding {dose_finding.intervention} declares no dose levels")
    params: dict[str, ParamValue] = {f.key: _param(f) for f in dose_finding.design.parameters}
    names = tuple(level.name for level in dose_finding.levels)
    start = dose_finding.field("start_level")
    if start is not None and "start_level" not in params and str(start.value.value) in names:
        params["start_level"] = names.index(str(start.value.value))
    design = design_from_params(dose_finding.design.kind, params)
    return SpecDesign(design, dose_finding, names)


__all__ = ["DesignError", "NoDesign", "SpecDesign", "spec_design"]
