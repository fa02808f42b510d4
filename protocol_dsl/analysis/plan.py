"""What `protocol endpoints` computes: each endpoint of a spec, by kind.

An endpoint computes something only when it says how: a kind with its rule
(`responder`, `value`, `flag`, `flag per LOG`), a time to event, or, without
a kind, a rule (a condition is a response, anything else a value).  The
others (text only, such as the pilot's ADAS-Cog change at week 24 while the
questionnaires are not mapped) are listed as not computed.

Everything the engines evaluate is an ordinary expression of the language, so
the interpreter and the SQL back end share its semantics by construction: a
time to event is `any LOG where COND` (did an event happen), `min(LOG.DATE
where COND)` (its date), the origin and the censoring date.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from protocol_dsl import model as m
from protocol_dsl.durations import exact_days, time_code
from protocol_dsl.semantics import types as t
from protocol_dsl.spec import Scope, Spec, endpoint_log
from protocol_dsl.syntax import printer


@attrs.frozen
class SubjectEndpoint:
    """A value per subject: a flag (ADSL), a response or a value (BDS)."""

    name: str
    text: str
    kind: str  # flag | responder | value
    rule: m.Expr
    #: (visit, its label) for `by visit`, in schedule order; else one value, at no visit
    visits: tuple[tuple[str, str], ...] = ()

    @property
    def at(self) -> tuple[str | None, ...]:
        """The visit each value is computed at (None: the rule's own visits)."""
        return tuple(visit for visit, _label in self.visits) or (None,)

    @property
    def labels(self) -> tuple[str | None, ...]:
        """AVISIT of each value: its visit's label, or none."""
        return tuple(label for _visit, label in self.visits) or (None,)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of its values in `SubjectValues.values`: one per visit, or its name."""
        if not self.visits:
            return (self.name,)
        return tuple(value_key(self.name, visit) for visit, _label in self.visits)


def value_key(name: str, visit: str | None) -> str:
    """The key of an endpoint's value at a visit (`by visit`), or of its only value."""
    return name if visit is None else f"{name}@{visit}"


@attrs.frozen
class RecordFlag:
    """A flag on every record of a log (e.g. treatment-emergent per adverse event)."""

    name: str
    text: str
    log: m.Form
    owner: Spec = attrs.field(eq=False, repr=False)
    rule: m.Expr


@attrs.frozen
class TimeToEvent:
    """The time from an origin to the first event of a log, censored where none happened."""

    name: str
    text: str
    log: m.Form
    owner: Spec = attrs.field(eq=False, repr=False)
    origin: m.Expr
    happened: m.Quantifier  # any LOG where COND
    first: m.Aggregate  # min(LOG.DATE where COND)
    censor: m.Expr

    @property
    def event_description(self) -> str:
        """EVNTDESC of an event: the log and the date it is dated by."""
        return f"first event: {self.first.target.dotted}"

    @property
    def censor_description(self) -> str:
        """EVNTDESC of a censored subject: the censoring date."""
        return f"censored: {printer.expr(self.censor)}"


@attrs.frozen
class EventCount:
    """The number of a log's records that meet a condition; for a rate, those dated
    within the time at risk, per unit of time at risk.

    Three ordinary expressions again: `count(LOG where COND [and DATE within the
    time at risk])`, and for a rate the start and the end of the time at risk
    (`if END is known then END else FALLBACK` where the spec gives a fallback).
    The engines compute the three; the days at risk and the rate are arithmetic
    on them, the same for both (`results.rate`).
    """

    name: str
    text: str
    kind: str  # count | rate
    log: m.Form
    owner: Spec = attrs.field(eq=False, repr=False)
    events: m.Aggregate
    start: m.Expr | None = None
    end: m.Expr | None = None
    per: m.Quantity | None = None

    @property
    def per_days(self) -> Fraction | None:
        """The unit of time of the rate in days (a year is 365.25 days, a month 30.4375)."""
        return None if self.per is None else exact_days(self.per)

    @property
    def duration_unit(self) -> str | None:
        """ADURU of the time at risk: the rate's unit of time, in capitals (YEARS)."""
        if self.per is None:
            return None
        code = time_code(self.per.unit)
        return _DURATION_UNITS.get(code or "", self.per.unit.upper())


#: ADURU of a time at risk, by the UCUM code of the rate's unit of time.
_DURATION_UNITS = {
    "s": "SECONDS", "min": "MINUTES", "h": "HOURS", "d": "DAYS", "wk": "WEEKS",
    "mo": "MONTHS", "a": "YEARS",
}  # fmt: skip


@attrs.frozen
class EndpointPlan:
    subject: tuple[SubjectEndpoint, ...]
    records: tuple[RecordFlag, ...]
    events: tuple[TimeToEvent, ...]
    skipped: tuple[str, ...]  # endpoints with nothing to compute
    counts: tuple[EventCount, ...] = ()

    @property
    def logs(self) -> tuple[m.Form, ...]:
        """The logs that get a table of record flags, in the order of their first flag."""
        seen: list[m.Form] = []
        for flag in self.records:
            if all(flag.log is not form for form in seen):
                seen.append(flag.log)
        return tuple(seen)


def plan_endpoints(spec: Spec) -> EndpointPlan:
    """Every endpoint of a checked spec, sorted by what it computes."""
    subject: list[SubjectEndpoint] = []
    records: list[RecordFlag] = []
    events: list[TimeToEvent] = []
    skipped: list[str] = []
    counts: list[EventCount] = []
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            kind = endpoint.kind
            if kind == "time_to_event" and isinstance(endpoint.event, m.TimeToEvent):
                events.append(_time_to_event(spec, endpoint, endpoint.event))
            elif kind in ("count", "rate") and isinstance(endpoint.event, m.EventCount):
                counts.append(_event_count(spec, endpoint, endpoint.event))
            elif kind == "record_flag" and endpoint.rule is not None:
                log = endpoint_log(spec, endpoint.per)
                assert log is not None, "checked: `flag per` names a log"
                records.append(RecordFlag(endpoint.name, endpoint.text, log, spec, endpoint.rule))
            elif endpoint.rule is not None:
                if kind is None:
                    found = t.infer(endpoint.rule, Scope(spec), spec)
                    kind = "responder" if isinstance(found, t.Boolean) else "value"
                order = list(spec.visits)
                visits = tuple(
                    (v, spec.visits[v].label or v) for v in sorted(endpoint.visits, key=order.index)
                )
                subject.append(
                    SubjectEndpoint(endpoint.name, endpoint.text, kind, endpoint.rule, visits)
                )
            else:
                skipped.append(endpoint.name)
    subject += _composite_responses(spec, subject)
    # each analysis set and subgroup is a subject-level flag of ADSL (ITT → ITTFL)
    for population in spec.populations.values():
        text = population.label or population.name
        subject.append(SubjectEndpoint(population_flag(population), text, "flag", population.rule))
    return EndpointPlan(
        tuple(subject), tuple(records), tuple(events), tuple(skipped), tuple(counts)
    )


def _composite_responses(spec: Spec, computed: list[SubjectEndpoint]) -> list[SubjectEndpoint]:
    """The variable of each estimand whose intercurrent events are handled by the
    composite strategy with a rule (`… composite "counted as non-response" when RULE`):
    a response parameter named after the estimand, `response and not event` for each
    such event.  Three-valued as everything else: a subject with the event is a
    non-responder whatever the response; one whose event is unknown is unknown
    unless the response alone says no.  The endpoint itself stays as it is, the
    variable before the strategy (E9(R1): the strategy belongs to the estimand)."""
    by_name = {e.name: e for e in computed if e.kind == "responder"}
    out: list[SubjectEndpoint] = []
    for _objective, estimand in spec.estimands:
        variable = by_name.get(estimand.variable.dotted) if estimand.variable else None
        events = [
            e.occurs
            for e in estimand.intercurrent
            if e.strategy == "composite" and e.occurs is not None
        ]
        if variable is None or not events:
            continue
        rule = variable.rule
        for occurs in events:
            rule = m.Logic("and", rule, m.Not(occurs, span=occurs.span), span=occurs.span)
        text = estimand.label or estimand.name
        out.append(SubjectEndpoint(estimand.name, text, "responder", rule, variable.visits))
    return out


def population_flag(population: m.Population) -> str:
    """The ADSL column of an analysis set or subgroup: its name and FL (ITT → ITTFL)."""
    return f"{population.name.upper()}FL"


def _time_to_event(spec: Spec, endpoint: m.Endpoint, event: m.TimeToEvent) -> TimeToEvent:
    log = endpoint_log(spec, event.log)
    assert log is not None, "checked: `event first` names a log"
    span = event.span
    happened = m.Quantifier("any", event.log, event.where, span=span)
    target = m.Ref((*event.log.split("."), event.date), span=span)
    first = m.Aggregate("min", target, event.where, span=span)
    return TimeToEvent(
        endpoint.name,
        endpoint.text,
        log,
        spec,
        event.origin,
        happened,
        first,
        event.censor,
    )


def _event_count(spec: Spec, endpoint: m.Endpoint, counted: m.EventCount) -> EventCount:
    log = endpoint_log(spec, counted.log)
    assert log is not None, "checked: `count of` and `rate of` name a log"
    span = counted.span
    where = counted.where
    start, end = counted.start, counted.end
    if endpoint.kind == "rate" and counted.fallback is not None and end is not None:
        # the end when known, else the spec's rule for a missing end (never a guess)
        known = m.IsKnown(end, span=span)
        end = m.Conditional(known, end, counted.fallback, span=span)
    if (
        endpoint.kind == "rate"
        and counted.date is not None
        and start is not None
        and end is not None
    ):
        # a record counts when dated within the time at risk, both days included
        date = m.Ref((counted.date,), span=span)
        within = m.Logic(
            "and",
            m.Compare(">=", date, start, span=span),
            m.Compare("<=", date, end, span=span),
            span=span,
        )
        where = within if where is None else m.Logic("and", where, within, span=span)
    events = m.Aggregate("count", m.Ref(tuple(counted.log.split(".")), span=span), where, span=span)
    if endpoint.kind == "count":
        return EventCount(endpoint.name, endpoint.text, "count", log, spec, events)
    return EventCount(
        endpoint.name, endpoint.text, "rate", log, spec, events, start, end, counted.per
    )
