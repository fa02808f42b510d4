"""Witness subjects: one eligible subject, and subjects failing one criterion at its edge.

`build_witnesses(spec)` returns subject records in the shared subject-record
JSON format, each with a ``witness`` entry saying what it demonstrates:

* ``{"kind": "eligible"}``: meets every inclusion and no exclusion;
* ``{"kind": "fails", "criterion": "I1", "boundary": "age = 17 (I1 requires
  age between 18 and 70)"}``: fails exactly that criterion and passes all the
  others.  For each numeric or date comparison that decides the criterion
  (flipping it alone would make the subject pass), one subject sits as close
  to its threshold as the data allow: the nearest whole number, 0.01 of a
  unit, one day, or the next two-fold titer dilution;
* ``{"kind": "unavailable", "criterion": …, "reason": …}``: no subject is
  given, and the reason says why (the criterion never decides on its own,
  or the encoding cannot guarantee the subject).

The subjects come from models of the exact (``witness`` mode) encoding, with
visits on fixed dates (the eligibility visit on `REFERENCE_DATE`, the others
at their planned study days), so the output is the same bytes on every run.
Only the items the criteria read are filled in; a conditional item appears
only when its condition holds.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import z3

from protocol_dsl import model as m
from protocol_dsl.solver import calendar, make
from protocol_dsl.solver.encode import EARLIEST, LATEST, Atom, Encoder, Field
from protocol_dsl.solver.terms import Cond, Num, as_formula, from_base, parse_any_unit
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer

#: The eligibility visit of every witness.
REFERENCE_DATE = _dt.date(2025, 1, 6)

#: Solver effort per query (a deterministic resource limit, not a time).
RLIMIT = 20_000_000

#: The boundary search stops within this distance of the least one: the grid of values.
SEARCH_STEP = Fraction(1, 100)

#: Solver effort for one step of the boundary search: a step that runs out only
#: leaves the witness a little further from its threshold.
PROBE_RLIMIT = 2_000_000

#: Rounds of making calendar arithmetic exact before giving up on a witness (a round
#: that excludes a model outside the date domain counts as one).
CALENDAR_ROUNDS = 8


def visit_dates(spec: Spec, reference: _dt.date = REFERENCE_DATE) -> dict[str, int]:
    """Dates of the scheduled visits: the eligibility visit on `reference`."""
    anchor = spec.visits.get(spec.eligibility_visit or "")
    start = calendar.day_number(reference)
    if anchor is not None and anchor.day is not None:
        start -= _offset(anchor.day)
    dates = {v.name: start + _offset(v.day) for v in spec.visit_order if v.day is not None}
    if anchor is not None:
        dates[anchor.name] = calendar.day_number(reference)
    return dates


def _offset(day: int) -> int:
    return day - 1 if day > 0 else day


def build_witnesses(spec: Spec, reference: _dt.date = REFERENCE_DATE) -> list[dict[str, Any]]:
    return _Builder(spec, reference).run()


class _Builder:
    def __init__(self, spec: Spec, reference: _dt.date):
        self.spec = spec
        self.dates = visit_dates(spec, reference)
        self.encoder = Encoder(spec, "witness", visit_dates=self.dates)
        self.ctx = self.encoder.ctx
        self.formal = [c for c in spec.criteria if c.rule is not None]
        self.conds: dict[str, Cond] = {c.id: self.encoder.criterion(c) for c in self.formal}
        self.encoder.finalize()
        self.unmodelled = self._unmodelled()
        #: the criteria every witness is built to satisfy or fail exactly
        self.modelled = [c for c in self.formal if c.id not in self.unmodelled]
        self.attested = [c.id for c in spec.criteria if c.attested]
        # a criterion in words only (no rule, no attestation) can never be decided
        self.undecidable = [c.id for c in spec.criteria if c.rule is None and not c.attested]
        self.counter = 0
        self._incremental: z3.Solver | None = None
        self._added = 0

    # ------------------------------------------------------------ the witnesses

    def run(self) -> list[dict[str, Any]]:
        unexact = self._unexact_reason()
        if unexact is not None:
            return [_unavailable(None, unexact)] + [
                _unavailable(c.id, unexact) for c in self.spec.criteria
            ]
        out: list[dict[str, Any]] = []
        eligible = self._solve([self._passes(c) for c in self.modelled], None)
        if self.unmodelled:
            names = ", ".join(sorted(self.unmodelled))
            out.append(
                _unavailable(
                    None,
                    f"the solver cannot model {names} exactly, so no subject can be shown to "
                    "meet every criterion",
                )
            )
        elif eligible is None:
            out.append(
                _unavailable(
                    None,
                    "the solver found no eligible subject (protocol check reports when none "
                    "can exist)",
                )
            )
        elif self.undecidable:
            out.append(
                _unavailable(
                    None,
                    f"{', '.join(self.undecidable)} has neither a rule nor an attestation, so no "
                    "subject can be judged eligible",
                )
            )
        else:
            meta = {"kind": "eligible", "criterion": None, "boundary": None}
            out.append(self._record(eligible, meta))
        for criterion in self.spec.criteria:
            out.extend(self._failing(criterion, eligible))
        return out

    def _unexact_reason(self) -> str | None:
        """Why no witness at all can be trusted: an approximation outside every criterion
        (the condition of a conditional item), which every subject's data depends on."""
        reasons = sorted({reason for reason, c in self.encoder.approximations if c is None})
        if not reasons:
            return None
        return "the solver cannot model every rule exactly (" + "; ".join(reasons) + ")"

    def _unmodelled(self) -> dict[str, str]:
        """Criteria the solver can only approximate (a product of two unknown values…),
        with the reasons: they are left out of the search and reported as such."""
        reasons: dict[str, set[str]] = {}
        for reason, criterion in self.encoder.approximations:
            if criterion is not None:
                reasons.setdefault(criterion, set()).add(reason)
        return {c: "; ".join(sorted(r)) for c, r in reasons.items()}

    def _failing(
        self, criterion: m.Criterion, eligible: z3.ModelRef | None
    ) -> list[dict[str, Any]]:
        if criterion.attested:
            if eligible is None:
                reason = "the solver found no subject meeting every other criterion"
                return [_unavailable(criterion.id, reason)]
            meta = self._meta(criterion.id, "attestation not given")
            return [self._record(eligible, meta, refused=criterion.id)]
        if criterion.rule is None:
            reason = "the criterion has neither a rule nor an attestation: it is never decided"
            return [_unavailable(criterion.id, reason)]
        if criterion.id in self.unmodelled:
            reason = (
                "the solver cannot model this criterion exactly "
                f"({self.unmodelled[criterion.id]}); the other criteria still get witnesses"
            )
            return [_unavailable(criterion.id, reason, unmodelled=True)]
        others = [self._passes(c) for c in self.modelled if c.id != criterion.id]
        fails = as_formula(Encoder.fails(criterion, self.conds[criterion.id]), self.ctx)
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        for atom, holds in self._deciding(criterion):
            model = self._boundary(criterion, atom, holds, [*others, fails])
            if model is None:
                continue
            text = self._boundary_text(criterion, atom, model)
            if text in seen:
                continue
            seen.add(text)
            found.append(self._record(model, self._meta(criterion.id, text)))
        if found:
            return found
        model = self._solve([*others, fails], None)
        if model is None:
            return [
                _unavailable(
                    criterion.id,
                    "the solver found no subject failing only this criterion: it may never "
                    "decide eligibility on its own (protocol check reports when it is redundant)",
                )
            ]
        return [self._record(model, self._meta(criterion.id, None))]

    def _meta(self, criterion: str, boundary: str | None) -> dict[str, Any]:
        """What a failing witness claims; criteria left out of its search are named."""
        meta: dict[str, Any] = {"kind": "fails", "criterion": criterion, "boundary": boundary}
        if self.unmodelled:
            meta["not_judged"] = sorted(self.unmodelled)
        return meta

    def _deciding(self, criterion: m.Criterion) -> list[tuple[Atom, bool]]:
        """Comparisons of the criterion to take to their edge, once each, both ways."""
        atoms: list[Atom] = []
        keys: set[tuple] = set()
        for atom in self.encoder.atoms.get(criterion.id, []):
            slot = atom.key[4]
            if slot not in (None, 0) or atom.key in keys:
                continue  # record slots are interchangeable: the first one stands for all
            keys.add(atom.key)
            atoms.append(atom)
        return [(atom, holds) for atom in atoms for holds in (False, True)]

    def _boundary(
        self, criterion: m.Criterion, atom: Atom, holds: bool, base: list[z3.BoolRef]
    ) -> z3.ModelRef | None:
        """A subject failing only `criterion`, with `atom` deciding it, nearest its threshold."""
        as_is = self.encoder.with_override(criterion, atom.key, holds)
        flipped = self.encoder.with_override(criterion, atom.key, not holds)
        constraints = [
            *base,
            as_formula(atom.cond.t if holds else atom.cond.f, self.ctx),
            as_formula(Encoder.fails(criterion, as_is), self.ctx),
            as_formula(Encoder.passes(criterion, flipped), self.ctx),
        ]
        distance = atom.slack_true() if holds else atom.slack_false()
        return self._solve(constraints, distance)

    # ------------------------------------------------------------ solving

    def _passes(self, criterion: m.Criterion) -> z3.BoolRef:
        return as_formula(Encoder.passes(criterion, self.conds[criterion.id]), self.ctx)

    def _solve(
        self, constraints: list[z3.BoolRef], distance: z3.ArithRef | None
    ) -> z3.ModelRef | None:
        """A model of the constraints: distance as small as it gets, then as few records.

        A plain incremental solver, searched by hand: z3's optimiser is an order of
        magnitude slower on these formulas, and the searches below are exact on the
        0.01 grid the values live on.
        """
        solver = self._solver()
        solver.push()
        try:
            solver.add(constraints)
            pins: list[z3.BoolRef] = []
            facts: list[z3.BoolRef] = []
            for _round in range(CALENDAR_ROUNDS):
                model = self._search(solver, pins, distance)
                if model is None and pins:
                    # the exact dates pinned near the last model contradict each other
                    # (or the date domain): rule out only that model's calendar values
                    pins = list(facts)
                    model = self._search(solver, pins, distance)
                if model is None:
                    return None
                more = self._calendar_pins(model)
                if not more:
                    return model
                facts += self._calendar_facts(model)
                pins += more
            return None
        finally:
            solver.pop()

    def _solver(self) -> z3.Solver:
        """One incremental solver over the encoding; constraints added by later
        encodings (boundary variants) are passed on as they appear."""
        if self._incremental is None:
            self._incremental = z3.Solver(ctx=self.ctx)
            self._incremental.set("rlimit", RLIMIT)
            self._added = 0
        constraints = self.encoder.constraints
        if self._added < len(constraints):
            self._incremental.add(constraints[self._added :])
            self._added = len(constraints)
        return self._incremental

    def _search(
        self, solver: z3.Solver, pins: list[z3.BoolRef], distance: z3.ArithRef | None
    ) -> z3.ModelRef | None:
        fixed = list(pins)
        model = _check(solver, fixed)
        if model is None:
            return None
        if distance is not None:
            model, bound = _smallest(solver, fixed, distance, model)
            fixed.append(distance <= _real(bound, self.ctx))
        for slots in self.encoder.slots.values():
            # records fill their slots in order: "no slot k" means at most k records
            for slot in slots:
                fewer = _check(solver, [*fixed, z3.Not(slot.present)])
                if fewer is not None:
                    model = fewer
                    fixed.append(z3.Not(slot.present))
                    break
        return model

    def _calendar_pins(self, model: z3.ModelRef) -> list[z3.BoolRef]:
        """Exact calendar arithmetic where the bounded encoding let the model drift.

        A fix-up only ever pins dates inside the witness date domain (`EARLIEST` ..
        `LATEST`, constrained up front on every date the encoding declares): where the
        exact answer would need a date outside it (a birth before 1900 for a consent
        the model put in 1918), the model's choice is excluded instead, and the next
        round searches elsewhere.
        """
        pins: list[z3.BoolRef] = []
        for shift in self.encoder.shifts:
            date = _int(model, shift.date)
            exact = calendar.shift_days(date, shift.months)
            if _int(model, shift.result) != exact:
                if EARLIEST <= exact <= LATEST:
                    pins += [shift.date == date, shift.result == exact]
                else:
                    pins.append(shift.date != date)
        for count in self.encoder.counts:
            first, second = _int(model, count.first), _int(model, count.second)
            value = _int(model, count.count)
            if calendar.completed(first, second, count.unit_months) == value:
                continue
            days = _in_domain(calendar.first_dates_for(second, value, count.unit_months))
            if days is not None:
                pins += [count.count == value, count.second == second]
                pins += [count.first >= days[0], count.first <= days[1]]
                continue
            days = _in_domain(calendar.second_dates_for(first, value, count.unit_months))
            if days is None:
                # no exact pair keeps this count with either date as chosen: exclude both
                pins.append(z3.Or(count.first != first, count.second != second))
                continue
            pins += [count.count == value, count.first == first]
            pins += [count.second >= days[0], count.second <= days[1]]
        return pins

    def _calendar_facts(self, model: z3.ModelRef) -> list[z3.BoolRef]:
        """The exact calendar results for this model's dates, as implications: true of
        every subject, so they exclude the model's drift without excluding anyone."""
        facts: list[z3.BoolRef] = []
        for shift in self.encoder.shifts:
            date = _int(model, shift.date)
            exact = calendar.shift_days(date, shift.months)
            if _int(model, shift.result) != exact:
                facts.append(z3.Implies(shift.date == date, shift.result == exact))
        for count in self.encoder.counts:
            first, second = _int(model, count.first), _int(model, count.second)
            exact = calendar.completed(first, second, count.unit_months)
            if _int(model, count.count) != exact:
                same = z3.And(count.first == first, count.second == second)
                facts.append(z3.Implies(same, count.count == exact))
        return facts

    # ------------------------------------------------------------ records

    def _record(
        self, model: z3.ModelRef, meta: dict[str, Any], refused: str | None = None
    ) -> dict[str, Any]:
        criterion = meta.get("criterion")
        if criterion is None:
            subject_id = "W-ELIGIBLE"
        else:
            self.counter += 1
            subject_id = f"W{self.counter:03d}-{criterion}"
        forms: dict[str, Any] = {}
        used_visits: set[str] = set(self.encoder.visits)
        for use in self.spec.form_uses:
            if use.repeating:
                slots = self.encoder.slots.get(use.key)
                if slots is None:
                    continue
                records = []
                for slot in slots:
                    if _true(model, slot.present):
                        records.append(self._values(model, use.key, None, slot.index))
                forms[use.storage_name] = records
            else:
                visits: dict[str, Any] = {}
                for visit in use.visits:
                    values = self._values(model, use.key, visit, None)
                    if values:
                        visits[visit] = values
                        used_visits.add(visit)
                if visits:
                    forms[use.storage_name] = visits
        used_visits |= _answer_none(self.spec, forms)
        # planned visits on their fixed dates; a visit without a planned day that an
        # anchor reads gets the date the solver chose for it
        dated = dict(self.dates)
        for name, var in self.encoder.visits.items():
            dated.setdefault(name, _int(model, var))
        visits_out = {
            v.name: calendar.date_of(dated[v.name]).isoformat()
            for v in self.spec.visit_order
            if v.name in used_visits and v.name in dated
        }
        attestations = {c: c != refused for c in self.attested}
        record: dict[str, Any] = {"subject_id": subject_id, "visits": visits_out, "forms": forms}
        if attestations:
            record["attestations"] = attestations
        record["witness"] = meta
        return record

    def _values(
        self, model: z3.ModelRef, form_key: str, visit: str | None, slot: int | None
    ) -> dict[str, Any]:
        found: dict[str, Field] = {}
        for (key, position, name), field in self.encoder.fields.items():
            if key == form_key and position.visit == visit and position.slot == slot:
                found[name] = field
        values: dict[str, Any] = {}
        for item in found[next(iter(found))].form.items if found else ():
            item_field = found.get(item.name)
            if item_field is None or not _true(model, item_field.known):
                continue
            values[item.name] = _json_value(model, item_field)
        return values

    def _boundary_text(self, criterion: m.Criterion, atom: Atom, model: z3.ModelRef) -> str:
        parts = [f"{text} = {_show(model, num)}" for text, num in atom.display]
        if atom.record and parts:
            parts[0] += f" in a {atom.record} record"
        verb = "requires" if criterion.kind == "inclusion" else "excludes"
        return f"{', '.join(parts)} ({criterion.id} {verb} {printer.expr(atom.node)})"


# ---------------------------------------------------------------- search


def _in_domain(days: tuple[int, int] | None) -> tuple[int, int] | None:
    """The part of an interval of day numbers inside the witness date domain."""
    if days is None:
        return None
    low, high = max(days[0], EARLIEST), min(days[1], LATEST)
    return (low, high) if low <= high else None


def _check(
    solver: z3.Solver, assumptions: list[z3.BoolRef], effort: int = RLIMIT
) -> z3.ModelRef | None:
    """A model, or None when there is none or the effort runs out (deterministically)."""
    solver.push()
    solver.set("rlimit", effort)
    try:
        solver.add(assumptions)
        return solver.model() if solver.check() == z3.sat else None
    finally:
        solver.set("rlimit", RLIMIT)
        solver.pop()


def _real(value: Fraction, ctx: z3.Context) -> z3.ArithRef:
    return make.rational_val(value.numerator, value.denominator, ctx)


def _smallest(
    solver: z3.Solver, fixed: list[z3.BoolRef], distance: z3.ArithRef, model: z3.ModelRef
) -> tuple[z3.ModelRef, Fraction]:
    """The model with the least distance to the threshold, to within SEARCH_STEP.

    Galloping up from 0 (boundaries are usually 0, one grid step or one day away),
    then halving the interval between the last bound that failed and the best found.
    """
    best = _fraction(model, distance)
    low: Fraction | None = None
    step = SEARCH_STEP
    probe = Fraction(0)
    while probe < best:
        found = _check(solver, [*fixed, distance <= _real(probe, distance.ctx)], PROBE_RLIMIT)
        if found is not None:
            model, best = found, _fraction(found, distance)
            break
        low = probe
        probe = step
        step *= 4
    whole = distance.is_int()
    if whole and low is not None:
        low = Fraction(math.floor(low))
    while low is not None and best - low > (1 if whole else SEARCH_STEP):
        middle = Fraction(math.floor((low + best) / 2)) if whole else low + (best - low) / 2
        found = _check(solver, [*fixed, distance <= _real(middle, distance.ctx)], PROBE_RLIMIT)
        if found is None:
            low = middle
        else:
            model, best = found, _fraction(found, distance)
    return model, best


# ---------------------------------------------------------------- values


def _unavailable(criterion: str | None, reason: str, *, unmodelled: bool = False) -> dict[str, Any]:
    kind = "eligible" if criterion is None else "fails"
    meta: dict[str, Any] = {"kind": "unavailable", "of": kind, "criterion": criterion}
    if unmodelled:
        meta["cause"] = "not_modelled"
    meta["reason"] = reason
    return {"witness": meta}


def _true(model: z3.ModelRef, term: z3.BoolRef | bool) -> bool:
    if isinstance(term, bool):
        return term
    return z3.is_true(model.eval(term, model_completion=True))


def _fraction(model: z3.ModelRef, term: z3.ArithRef) -> Fraction:
    value = model.eval(term, model_completion=True)
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def _int(model: z3.ModelRef, term: z3.ArithRef) -> int:
    value = _fraction(model, term)
    return value.numerator // value.denominator


def _number(value: Fraction) -> int | float:
    """A JSON number: an integer when whole, else the shortest decimal."""
    if value.denominator == 1:
        return value.numerator
    return float(_decimal_text(value))


def _decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return m.format_decimal(exact.quantize(Decimal("0.000001")) if len(str(exact)) > 12 else exact)


def _json_value(model: z3.ModelRef, field: Field) -> Any:
    kind = field.item.type.kind
    if kind == "yes_no":
        return _true(model, field.var)
    if kind == "choice":
        assert field.codelist is not None
        return field.codelist[_int(model, field.var)]
    if kind == "date":
        return calendar.date_of(_int(model, field.var)).isoformat()
    if kind == "titer":
        return f"1:{_int(model, field.var)}"
    if kind == "text":
        return model.eval(field.var, model_completion=True).as_string()
    return _number(_fraction(model, field.var))


def _show(model: z3.ModelRef, num: Num) -> str:
    value = _fraction(model, num.lo)
    if num.kind == "date":
        return calendar.date_of(value.numerator // value.denominator).isoformat()
    if num.kind == "titer":
        return f"1:{value}"
    if num.kind == "quantity" and num.unit:
        shown = from_base(value, parse_any_unit(num.unit))
        return f"{_decimal_text(shown)} {num.unit}"
    return _decimal_text(value)


def _answer_none(spec: Spec, forms: dict[str, Any]) -> set[str]:
    """Record "none" for each empty log, by answering its `none_recorded_by` question "no".

    The solver reads an empty log as none; a subject record says so with the
    answer to the log's question (an empty list alone is not recorded, hence
    unknown).  Returns the visits the answers were written at.
    """
    visits: set[str] = set()
    for use in spec.form_uses:
        question = use.form.none_recorded_by
        if not use.repeating or question is None or forms.get(use.storage_name) != []:
            continue
        symbol = use.owner.resolve(question.parts, Scope(use.owner))
        asked = spec.form_use(symbol.owner, symbol.form) if symbol and symbol.form else None
        if asked is None or asked.repeating or not asked.visits:
            continue
        eligibility = spec.eligibility_visit
        visit = eligibility if eligibility in asked.visits else asked.visits[0]
        answers = forms.setdefault(asked.storage_name, {}).setdefault(visit, {})
        answers.setdefault(question.parts[-1], False)
        visits.add(visit)
    return visits
