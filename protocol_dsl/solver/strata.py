"""Strata that overlap or leave subjects out, proved with an example subject (E1007/E1008).

The strata of one stratification factor must be exclusive (no subject in two)
and exhaustive (every subject whose data are complete is in one).  A subject
whose data are missing is in the stratum "unknown" at screening; that is not
a gap in the factor.  Each question is asked of the exact (`witness` mode)
encoding, and a finding is reported only from a model of it, with the example
subject's values: a rule the solver can model only approximately, or a
question that runs out of effort, gives no finding, never a false one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import attrs
import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.solver.terms import Cond, as_formula
from protocol_dsl.solver.witness import REFERENCE_DATE, _Builder
from protocol_dsl.spec import Spec


def _criterion(factor: m.StratificationFactor, stratum: m.Stratum) -> m.Criterion:
    """A stratum rule as the encoder's unit of work (a criterion with an id of its own)."""
    return m.Criterion(
        "inclusion",
        f"{factor.name}.{stratum.name}",
        stratum.label or stratum.name,
        stratum.rule,
        span=stratum.span,
    )


def check(spec: Spec, randomisation: m.Randomisation) -> Iterator[Diagnostic]:
    # a factor or stratum declared twice is E1013 already: the first of each name is asked
    factors: list[m.StratificationFactor] = []
    for factor in randomisation.factors:
        if factor.strata and all(f.name != factor.name for f in factors):
            first = {s.name: s for s in reversed(factor.strata)}
            strata = tuple(s for s in factor.strata if first[s.name] is s)
            factors.append(attrs.evolve(factor, strata=strata))  # type: ignore[misc]
    if not factors:
        return
    builder = _Builder(spec, REFERENCE_DATE)
    encoder = builder.encoder
    conds: dict[int, Cond] = {}
    for factor in factors:
        for stratum in factor.strata:
            conds[id(stratum)] = encoder.criterion(_criterion(factor, stratum))
    encoder.finalize()
    if builder._unexact_reason() is not None or builder.unmodelled:
        return  # eligibility itself is not modelled exactly: no proof either way
    # only eligible subjects are randomised: a gap among ineligible subjects is no gap
    eligible = [builder._passes(c) for c in builder.modelled]
    unexact = {c for _reason, c in encoder.approximations if c is not None}
    ctx = encoder.ctx
    for factor in factors:
        ids = {f"{factor.name}.{s.name}" for s in factor.strata}
        if ids & unexact:
            continue  # the solver cannot model this factor exactly: no proof either way
        for a, b in itertools.combinations(factor.strata, 2):
            both = [as_formula(conds[id(a)].t, ctx), as_formula(conds[id(b)].t, ctx)]
            model = builder._solve([*eligible, *both], None)
            if model is not None:
                example = _example(builder._record(model, {"kind": "stratum"}), (a, b))
                yield Diagnostic(
                    "E1007",
                    "error",
                    f"the strata '{a.name}' and '{b.name}' of '{factor.name}' overlap: "
                    f"a subject can be in both, e.g. {example}",
                    b.span,
                    labels=(Label(a.span, f"'{a.name}' is met too"),),
                    help="make the rules exclusive (e.g. `< 10` and `>= 10`), so that "
                    "each subject has one stratum",
                )
        none = [as_formula(conds[id(s)].f, ctx) for s in factor.strata]
        model = builder._solve([*eligible, *none], None)
        if model is not None:
            example = _example(builder._record(model, {"kind": "stratum"}), factor.strata)
            yield Diagnostic(
                "E1008",
                "error",
                f"the strata of '{factor.name}' leave subjects out: a subject with complete "
                f"data can be in none of them, e.g. {example}",
                factor.span,
                help="add a stratum for these subjects, or widen a rule so that every "
                "subject with complete data has one stratum",
            )


def _example(record: dict[str, Any], strata: tuple[m.Stratum, ...]) -> str:
    """The values of an example subject, in the spec's own words (`form.item at VISIT = v`):
    the items the strata name, or every item when they read them through definitions."""
    named = {
        part
        for s in strata
        for node in m.walk(s.rule)
        if isinstance(node, m.Ref)
        for part in node.parts
    }
    parts: list[str] = []
    for form, content in sorted(record["forms"].items()):
        if isinstance(content, list):
            for k, values in enumerate(content, 1):
                parts += [f"{form}.{n} = {_shown(v)} (record {k})" for n, v in values.items()]
        else:
            for visit, values in content.items():
                parts += [f"{form}.{n} at {visit} = {_shown(v)}" for n, v in values.items()]
    own = [p for p in parts if p.split(" ")[0].split(".")[-1] in named]
    shown = own or parts
    return ", ".join(shown) if shown else "a subject with no data the rules read"


def _shown(value: object) -> str:
    if isinstance(value, dict) and "value" in value:
        return f"{value['value']} {value.get('unit', '')}".strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


__all__ = ["check", "z3"]
