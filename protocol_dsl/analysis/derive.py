"""Endpoint values by the interpreter: the screening semantics, with the evidence.

Every rule is compiled once by the screening interpreter (`Screener.compile_in`),
so an endpoint is decided exactly as a criterion would be: Kleene logic,
missing data unknown, a log without records unknown unless it records none.
Each value comes with what was read to decide it, and for an unknown value
with the data it needs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from protocol_dsl.analysis.plan import EndpointPlan, EventCount
from protocol_dsl.analysis.results import (
    Count,
    Event,
    SubjectValues,
    Value,
    event_count,
    time_to_event,
)
from protocol_dsl.data.batch import Batch
from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.interpreter import Context, Fn, compile_spec_rules
from protocol_dsl.evaluate.subject import Subject
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer

_NO_RECORD: dict[str, Any] = {}


class Deriver:
    """A spec's endpoints compiled once; `subject` computes one subject's values."""

    def __init__(self, spec: Spec, plan: EndpointPlan) -> None:
        self.spec = spec
        self.plan = plan
        self.screener = compile_spec_rules(spec)
        scope = Scope(spec)
        self.subject_rules = [
            (key, self.screener.compile_in(e.rule, scope, visit)[0], printer.expr(e.rule))
            for e in plan.subject
            for key, visit in zip(e.keys, e.at, strict=True)
        ]
        self.record_rules = [
            (
                f.name,
                self.screener.storage_of(f.owner, f.log),
                self.screener.compile_in(f.rule, Scope(f.owner, f.log))[0],
                printer.expr(f.rule),
            )
            for f in plan.records
        ]
        self.events = [
            (
                e.name,
                self.screener.compile_in(e.origin, scope)[0],
                self.screener.compile_in(e.happened, scope)[0],
                self.screener.compile_in(e.first, scope)[0],
                self.screener.compile_in(e.censor, scope)[0],
            )
            for e in plan.events
        ]
        self.counts = [
            (
                c,
                self.screener.compile_in(c.events, scope)[0],
                None if c.start is None else self.screener.compile_in(c.start, scope)[0],
                None if c.end is None else self.screener.compile_in(c.end, scope)[0],
            )
            for c in plan.counts
        ]

    @property
    def dictionary(self) -> Any:
        return self.screener.dictionary

    def subject(self, raw: Mapping[str, Any] | Subject, *, explain: bool = True) -> SubjectValues:
        data = self.screener.normalise(raw)
        ctx = Context(data, explain)
        result = SubjectValues(data.subject_id)
        for name, fn, text in self.subject_rules:
            result.values[name] = _value(ctx, fn, _NO_RECORD, text)
        for name, storage, fn, text in self.record_rules:
            records = data.records.get(storage) or ()
            flagged = result.records.setdefault(storage, [{} for _ in records])
            for index, record in enumerate(records):
                flagged[index][name] = _value(ctx, fn, record, text)
        for name, origin, happened, first, censor in self.events:
            result.events[name] = _event(ctx, origin, happened, first, censor)
        for counted, events, start, end in self.counts:
            result.counts[counted.name] = _count(ctx, counted, events, start, end)
        return result

    def run(self, subjects: Iterable[Mapping[str, Any] | Subject]) -> list[SubjectValues]:
        return [self.subject(s) for s in subjects]


def _evaluate(ctx: Context, fn: Fn, record: Any) -> tuple[Any, list[str], list[str]]:
    ctx.reads = []
    ctx.missing = []
    value = fn(ctx, record)
    texts = list(dict.fromkeys(e.text for e in ctx.reads if e.text))
    return _plain(value), texts, list(dict.fromkeys(ctx.missing))


def _value(ctx: Context, fn: Fn, record: Any, rule: str) -> Value:
    value, texts, missing = _evaluate(ctx, fn, record)
    # what was read, then the rule's verdict: a visit not attended reads nothing
    # (`week8 is known`), so the rule says what decided it
    why = "; ".join([*texts, f"{rule}: {_word(value)}"])
    return Value(value, why, tuple(missing) if value is None else ())


def _word(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "unknown" if value is None else str(value)


def _event(ctx: Context, origin: Fn, happened: Fn, first: Fn, censor: Fn) -> Event:
    why: list[str] = []
    needed: list[str] = []
    parts = []
    for role, fn in (("origin", origin), ("event", happened), ("first", first), ("censor", censor)):
        value, texts, missing = _evaluate(ctx, fn, _NO_RECORD)
        parts.append(value)
        if texts:
            why.append(f"{role}: " + "; ".join(texts))
        needed += missing
    start, did, when, end = parts
    start = start if isinstance(start, _dt.date) else None
    when = when if isinstance(when, _dt.date) else None
    end = end if isinstance(end, _dt.date) else None
    happened_value = did if isinstance(did, bool) else None
    date, days, censored = time_to_event(start, happened_value, when, end)
    unknown = censored is None or date is None or days is None
    return Event(
        start,
        date,
        days,
        censored,
        " | ".join(why),
        tuple(dict.fromkeys(needed)) if unknown else (),
    )


def _count(
    ctx: Context, counted: EventCount, events: Fn, start: Fn | None, end: Fn | None
) -> Count:
    """A count or a rate with why: the records counted, then each end of the time at risk."""
    why: list[str] = []
    needed: list[str] = []
    parts: list[Any] = []
    roles = (("records", events), ("start of the time at risk", start),
             ("end of the time at risk", end))  # fmt: skip
    for role, fn in roles:
        if fn is None:
            parts.append(None)
            continue
        value, texts, missing = _evaluate(ctx, fn, _NO_RECORD)
        parts.append(value)
        if value is None:
            why.append(f"{role}: unknown" + (f" ({'; '.join(texts)})" if texts else ""))
            needed += missing or [f"the {role}"]
        elif texts:
            why.append(f"{role}: " + "; ".join(texts))
    number, first, last = parts
    first = first if isinstance(first, _dt.date) else None
    last = last if isinstance(last, _dt.date) else None
    return event_count(counted, number, first, last, " | ".join(why), tuple(dict.fromkeys(needed)))


def _plain(value: Any) -> Any:
    """A closure's value as the tables take it: an interval (partly known) is unknown."""
    if value is None or value is True or value is False or isinstance(value, _dt.date):
        return value
    if isinstance(value, v.Interval):
        return None if value.lo != value.hi else v.public_number(value.lo)
    return v.public_number(value) if not isinstance(value, str) else value


def subjects_of(deriver: Deriver, batch: Batch) -> list[Subject]:
    """A batch's subjects as the interpreter reads them (as `protocol screen` does).

    A log the input does not supply at all is unknown; a log the input declares
    complete for a subject (`complete adverse_events for DM`) holds none when empty.
    """
    dictionary = deriver.screener.dictionary
    subjects = []
    for raw in batch.subjects:
        data = deriver.screener.normalise(raw.record, raw.fallback_id)
        if batch.forms_supplied is not None:
            data.unknown_forms = frozenset(
                info.storage
                for info in dictionary.forms.values()
                if info.repeating and info.storage not in batch.forms_supplied
            )
        if raw.complete_forms:
            data.none_forms = frozenset(raw.complete_forms) - data.unknown_forms
        subjects.append(data)
    return subjects
