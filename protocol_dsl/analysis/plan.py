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

import attrs

from protocol_dsl import model as m
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
class EndpointPlan:
    subject: tuple[SubjectEndpoint, ...]
    records: tuple[RecordFlag, ...]
    events: tuple[TimeToEvent, ...]
    skipped: tuple[str, ...]  # endpoints with nothing to compute

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
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            kind = endpoint.kind
            if kind == "time_to_event" and endpoint.event is not None:
                events.append(_time_to_event(spec, endpoint, endpoint.event))
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
    return EndpointPlan(tuple(subject), tuple(records), tuple(events), tuple(skipped))


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
