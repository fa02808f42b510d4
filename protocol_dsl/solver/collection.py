"""Conditional collection: criteria that read an item outside the condition it is collected under.

An item declared `when <condition>` is asked only of the subjects for whom the
condition holds; for everyone else it is missing, and no later data can fill it.
The eligibility analysis of `logic` takes every item as known (complete data),
which is right for data that could still arrive, and wrong for an item that is
never asked.  Here the `when` condition of each item is part of the logic: an
item with a condition is known exactly when its condition holds, every other
item is known.

Two findings, each about one criterion that reads such an item:

* W0412: the criterion can never be met (or never be not met) once the items'
  conditions are taken into account, although it can with every item known:
  it reads an item only for the subjects for whom it is never collected
  (`sex = male and pregnancy_test = positive`).  This rests on an
  *unsatisfiable* query over the over-approximating check encoding, so it
  holds for every real subject (with the data the protocol collects).
* W0411: the criterion stays unknown for a subgroup whose collected data are
  complete: no data the protocol collects can ever decide it for them.  This
  rests on a *satisfiable* query, so it is reported only when the criterion's
  encoding is exact (no abstraction of aggregates, calendar arithmetic or
  untranslatable parts); the subgroup is named by the values of the model.

One switch (`collected`) turns the conditions on, so the same encoding answers
both "with complete data" and "with the data the protocol collects".
"""

from __future__ import annotations

import threading
import weakref

import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Fix, Label
from protocol_dsl.solver import make
from protocol_dsl.solver.encode import Ctx, Encoder, Field, Position, formal_criteria
from protocol_dsl.solver.guards import guard_fix
from protocol_dsl.solver.terms import B, all_of, any_of, as_formula, negation
from protocol_dsl.spec import FormUse, Spec
from protocol_dsl.syntax import printer

#: Solver effort per query (deterministic, like `logic.RLIMIT`).
RLIMIT = 2_000_000


class CollectionEncoder(Encoder):
    """The check encoding, with each conditional item known exactly when its condition
    holds while the `collected` switch is on (and always known while it is off)."""

    def __init__(self, spec: Spec, ctx: z3.Context | None = None):
        super().__init__(spec, "check", ctx=ctx)
        # complete collected data: an `is missing` test does not free an item's flag here
        self._knowable = set()
        self.collected = make.bool_const("collected", self.ctx)
        #: fields read since `start`, in order, and those the rule itself reads (not
        #: only through another item's condition)
        self.read: list[Field] = []
        self.direct: list[Field] = []
        self.inexact = False
        self.shifts_before = 0
        #: criterion id → the fields it reads, those it reads itself, and whether its
        #: encoding is exact (kept: the encoder is shared and encodes a criterion once)
        self.readings: dict[str, tuple[list[Field], list[Field], bool]] = {}

    def start(self) -> None:
        self.read = []
        self.direct = []
        self.inexact = False
        self.shifts_before = len(self.shifts) + len(self.counts)

    def exact(self) -> bool:
        return not self.inexact and len(self.shifts) + len(self.counts) == self.shifts_before

    def _approximate(self, reason: str) -> None:
        self.inexact = True

    def _field(
        self,
        use: FormUse,
        position: Position,
        item: m.Item,
        owner: Spec,
        entries: tuple[str, ...] | None,
    ) -> Field | None:
        field = super()._field(use, position, item, owner, entries)
        if field is not None and field not in self.read:
            self.read.append(field)
        if field is not None and self._variant != ("when",) and field not in self.direct:
            self.direct.append(field)
        return field

    def _known(self, field: Field, owner: Spec, name: str) -> B:
        item = field.item
        if item.when is None:
            return True
        ctx = Ctx(owner, field.form, field.use, field.position.slot, field.position.visit)
        saved = (self._variant, self._criterion, self._override)
        self._variant, self._criterion, self._override = ("when",), None, {}
        try:
            condition = self._cond(self.encode(item.when, ctx))
        finally:
            self._variant, self._criterion, self._override = saved
        return any_of(negation(self.collected), condition.t)


#: One encoder per spec, shared by the analyses of `protocol check` that need the
#: collection switch or none (`alternatives`): a z3 context costs more to make and
#: free than the few queries each analysis asks.  Keyed by identity (a spec's
#: equality is not its identity), with a weak reference to tell a spec from a later
#: one at the same address.
_ENCODERS: dict[int, tuple[weakref.ref[Spec], CollectionEncoder]] = {}
_SHARING = threading.RLock()


def shared_encoder(spec: Spec, ctx: z3.Context | None = None) -> CollectionEncoder:
    """The spec's shared encoder, made in `ctx` (a context nothing has used, made
    beforehand by a long-lived caller) or in a new context when it is made now."""
    with _SHARING:
        found = _ENCODERS.get(id(spec))
        if found is not None and found[0]() is spec:
            return found[1]
        forget_dead_encoders()
        encoder = CollectionEncoder(spec, ctx)
        _ENCODERS[id(spec)] = (weakref.ref(spec), encoder)
        return encoder


def forget_dead_encoders() -> None:
    """Free the encoders of specs no longer in use, and their contexts (a few milliseconds
    each: the language server does it between checks, in another thread)."""
    with _SHARING:
        for key in [k for k, (ref, _e) in _ENCODERS.items() if ref() is None]:
            del _ENCODERS[key]


def analyse(spec: Spec, criteria: list[m.Criterion] | None = None) -> list[Diagnostic]:
    """The findings about `criteria` (by default every formal criterion)."""
    if criteria is None:
        criteria = formal_criteria(spec)
    if not criteria or not _has_conditional_items(spec):
        return []
    encoder = shared_encoder(spec)
    encoded: list[tuple[m.Criterion, z3.BoolRef, z3.BoolRef, list[Field], list[Field], bool]] = []
    for criterion in criteria:
        if criterion.id not in encoder.readings:
            encoder.start()
            encoder.criterion(criterion)
            encoder.finalize()
            encoder.readings[criterion.id] = (
                list(encoder.read),
                list(encoder.direct),
                encoder.exact(),
            )
        cond = encoder.criterion(criterion)
        t = as_formula(cond.t, encoder.ctx)
        f = as_formula(cond.f, encoder.ctx)
        read, direct, exact = encoder.readings[criterion.id]
        encoded.append((criterion, t, f, read, direct, exact))
    solver = z3.Solver(ctx=encoder.ctx)
    solver.set("rlimit", RLIMIT)
    solver.add(*[as_formula(constraint, encoder.ctx) for constraint in encoder.constraints])
    # (no query of the constraints alone: with no subject at all every query below is
    # unsatisfiable, and each finding needs a satisfiable one)
    found: list[Diagnostic] = []
    on, off = encoder.collected, negation(encoder.collected)
    for criterion, t, f, fields, direct, exact in encoded:
        conditional = [x for x in fields if x.item.when is not None]
        if not conditional:
            continue
        named = [x for x in direct if x.item.when is not None] or conditional
        finding = _never(solver, criterion, t, f, on, off, named, conditional)
        if finding is not None:
            found.append(finding)
            continue
        if exact:
            undecided = all_of(on, negation(t), negation(f))
            if solver.check(as_formula(undecided, encoder.ctx)) == z3.sat:
                found.append(_unknown(spec, criterion, solver.model(), fields))
    return found


def _has_conditional_items(spec: Spec) -> bool:
    """Cheap pre-filter: a spec without conditional items needs no encoding at all."""
    return any(i.when is not None for use in spec.form_uses for i in use.form.items)


def _never(
    solver: z3.Solver,
    criterion: m.Criterion,
    t: z3.BoolRef,
    f: z3.BoolRef,
    on: B,
    off: B,
    named: list[Field],
    conditional: list[Field],
) -> Diagnostic | None:
    """W0412 when the criterion is constant with the collected data but not with complete data."""
    for value, outcome in ((t, "met"), (f, "not met")):
        if solver.check(as_formula(all_of(on, value), solver.ctx)) != z3.unsat:
            continue
        if solver.check(as_formula(all_of(off, value), solver.ctx)) != z3.sat:
            continue  # constant even with complete data: the logic check reports it
        return _never_diagnostic(criterion, outcome, named, conditional)
    return None


def _item_name(field: Field) -> str:
    return f"{field.form.name}.{field.item.name}"


def _condition(field: Field) -> str:
    assert field.item.when is not None
    return printer.expr(field.item.when)


def _when_labels(fields: list[Field]) -> tuple[Label, ...]:
    seen: set[str] = set()
    labels = []
    for field in fields:
        name = _item_name(field)
        if name in seen or field.item.when is None:
            continue
        seen.add(name)
        labels.append(
            Label(field.item.when.span, f"{name} is collected only when {_condition(field)}")
        )
    return tuple(labels)


def _never_diagnostic(
    criterion: m.Criterion, outcome: str, named: list[Field], fields: list[Field]
) -> Diagnostic:
    assert criterion.rule is not None
    names = " and ".join(dict.fromkeys(_item_name(x) for x in named))
    effect = {
        ("exclusion", "met"): "it can never exclude anyone",
        ("inclusion", "met"): "no subject can ever meet it",
        ("exclusion", "not met"): "every subject for whom it is decided is excluded",
        ("inclusion", "not met"): "it can never fail",
    }[(criterion.kind, outcome)]
    return Diagnostic(
        "W0412",
        "warning",
        f"{criterion.kind} {criterion.id} can never be {outcome} with the data the protocol "
        f"collects: it reads {names} only where {'they are' if len(set(map(_item_name, named))) > 1 else 'it is'} "
        f"not collected, so {effect}",
        criterion.rule.span,
        labels=_when_labels(fields),
        notes=(
            "with every item known the rule could be "
            f"{outcome}; the items' `when` conditions rule that out",
        ),
        help="read the item under the same condition it is collected under, or change "
        "the item's `when`",
    )


def _unknown(
    spec: Spec, criterion: m.Criterion, model: z3.ModelRef, fields: list[Field]
) -> Diagnostic:
    assert criterion.rule is not None
    missing = [x for x in fields if x.item.when is not None and not _true(model, x.known)]
    shown = []
    for field in fields:
        if field in missing or not _true(model, field.known):
            continue
        text = _value(model, field)
        if text is not None:
            shown.append(f"{_item_name(field)} = {text}")
    subgroup = " and ".join(shown) if shown else "some subjects"
    names = ", ".join(dict.fromkeys(_item_name(x) for x in missing))
    return Diagnostic(
        "W0411",
        "warning",
        f"{criterion.kind} {criterion.id} stays unknown for subjects with {subgroup}: "
        f"{names} {'is' if len(missing) == 1 else 'are'} not collected for them",
        criterion.rule.span,
        labels=_when_labels(missing),
        notes=(
            "their collected data are complete, yet the rule cannot be decided: no data "
            "the protocol collects will ever resolve it",
        ),
        help="guard the part that reads the item with the condition it is collected under "
        "(for example `… and (condition and item = value)`), so that the rule is decided "
        "for the others",
        fix=_guard(spec, criterion, missing),
    )


def _guard(spec: Spec, criterion: m.Criterion, missing: list[Field]) -> Fix | None:
    """The guard of the one item the rule reads outside its condition (none for several:
    guarding one of them would not settle the finding)."""
    items = {id(field.item): field for field in missing}
    if len(items) != 1:
        return None
    field = missing[0]
    return guard_fix(spec, criterion, field.form, field.item)


def _true(model: z3.ModelRef, term: B) -> bool:
    if isinstance(term, bool):
        return term
    return z3.is_true(model.eval(term, model_completion=True))


def _value(model: z3.ModelRef, field: Field) -> str | None:
    """A categorical value as the writer would write it (numbers name no subgroup)."""
    if field.position.slot is not None:
        return None
    value = model.eval(field.var, model_completion=True)
    kind = field.item.type.kind
    if kind == "yes_no":
        return "yes" if z3.is_true(value) else "no"
    if kind == "choice" and field.codelist is not None and z3.is_int_value(value):
        index = value.as_long()
        if 0 <= index < len(field.codelist):
            return field.codelist[index]
    return None
