"""What an endpoint computes must be computable: its kind, its rule and its log agree.

The kind of an endpoint (docs/endpoints.md) says what `protocol endpoints`
computes and which analysis table it goes to, so each kind needs its parts:

E1050 a kind without its rule: `responder`, `value`, `flag` and `flag per LOG`
      compute their rule (`= …`), a time to event computes its own clauses and
      takes no rule;
E1051 `flag per LOG` or `event first LOG.DATE` names a form that is not a log
      (a repeating form): only a log has records to flag or to search for a
      first event;
E1052 the event date of a time to event is not a date item of the log;
E1053 a `responder` or `flag` endpoint whose rule is not a condition (a flag is
      yes, no or unknown);
E1054 a `value` endpoint whose rule is not a number;
E1055 the origin or the censoring date of a time to event is not a date;
E1056 `by visit V…` names a visit the schedule does not have;
E1057 `by visit` on a kind with one value per subject or per record (a flag,
      a time to event): only a `responder` or a `value` is computed per visit;
E1058 a flag named USUBJID or RECORD, or like a population's ADSL flag (ITT is
      ITTFL): a flag is a column of its table (ADSL, or the log's table).
E1064 a rate's records are dated by something that is not a date item of the
      log (`rate of LOG.DATE`): a record is in the time at risk by its date;
E1065 the start or the end of a rate's time at risk is not a date;
E1066 the time at risk ends before it starts, as the schedule says (both ends
      anchors on visits of planned days, the end's before the start's);
E1067 a rate per something that is not a length of time (`per 100 years`, not
      `per 3 kg`, `per 0 years`);
E1068 the condition of a `count of` or `rate of` is not a condition.

Type errors inside the expressions themselves are the type check's (E02xx);
here only the type of the whole rule against its kind is checked, and not
when it is already unknown (a name that resolves to nothing).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.durations import exact_days
from protocol_dsl.semantics import types as t
from protocol_dsl.spec import Scope, Spec, endpoint_log

#: The type each kind's rule must have, with the code that says it has not.
_RULE_TYPES: dict[str, tuple[type[t.Type], ...]] = {
    "responder": (t.Boolean,),
    "flag": (t.Boolean,),
    "record_flag": (t.Boolean,),
    "value": (t.Number, t.Quantity),
}


def check(spec: Spec) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for objective in owner.module.of_type(m.Objective):
            for endpoint in objective.endpoints:
                yield from _endpoint(owner, endpoint)


#: The columns a flag's table has besides the flags (protocol_dsl/analysis/results.py).
_TABLE_COLUMNS = ("USUBJID", "RECORD")


def _endpoint(owner: Spec, endpoint: m.Endpoint) -> Iterator[Diagnostic]:
    yield from _by_visit(owner, endpoint)
    populations = {f"{p.name.upper()}FL" for p in owner.populations.values()}
    if endpoint.kind == "flag" and endpoint.name.upper() in populations:
        yield Diagnostic(
            "E1058",
            "error",
            f"the flag {endpoint.name} shares its ADSL column with the population "
            f"{endpoint.name.upper()[:-2]} (every analysis set and subgroup is the column "
            "NAMEFL there)",
            endpoint.span,
            help="rename the endpoint, or drop it if the population says the same",
        )
    if endpoint.kind in ("flag", "record_flag") and endpoint.name.upper() in _TABLE_COLUMNS:
        yield Diagnostic(
            "E1058",
            "error",
            f"a flag is a column of its table, which already has a column {endpoint.name.upper()}"
            f" (the subject, and the record's number in a log's table)",
            endpoint.span,
            help=f"rename the endpoint (e.g. '{endpoint.name}FL')",
        )
    kind = endpoint.kind
    if kind is None:
        return
    if kind == "time_to_event":
        yield from _time_to_event(owner, endpoint)
        return
    if kind in ("count", "rate"):
        yield from _event_count(owner, endpoint)
        return
    if endpoint.rule is None:
        example = {
            "responder": "= adas_cog.total at WK24 - adas_cog.total at BASELINE <= -4",
            "value": "= adas_cog.total at WK24",
            "flag": "= any disposition where reason = adverse_event",
            "record_flag": "= start >= first_dose",
        }[kind]
        yield Diagnostic(
            "E1050",
            "error",
            f"endpoint {endpoint.name} is a {_kind_words(endpoint)} but has no rule to compute",
            endpoint.span,
            help=f"write the rule after the kind: `{example}`",
        )
        return
    scope = Scope(owner, None)
    if kind == "record_flag":
        log = _log(owner, endpoint.per, endpoint, "flag per")
        if isinstance(log, Diagnostic):
            yield log
            return
        scope = Scope(owner, log)
    found = t.infer(endpoint.rule, scope, owner)
    if isinstance(found, (*_RULE_TYPES[kind], t.Unknown)):
        return
    if isinstance(found, t.Quantity) and found.is_duration and kind == "value":
        return
    code = "E1054" if kind == "value" else "E1053"
    wanted = "a number" if kind == "value" else "a condition (yes, no or unknown)"
    yield Diagnostic(
        code,
        "error",
        f"endpoint {endpoint.name} is a {_kind_words(endpoint)}, so its rule must be {wanted}, "
        f"but it is {t.describe(found)}",
        endpoint.rule.span,
        help="make the rule compute what the kind says, or change the kind "
        "(`value` for a number, `responder` or `flag` for a condition)",
    )


def _by_visit(owner: Spec, endpoint: m.Endpoint) -> Iterator[Diagnostic]:
    if not endpoint.visits:
        return
    if endpoint.kind in ("flag", "record_flag", "time_to_event", "count", "rate"):
        yield Diagnostic(
            "E1057",
            "error",
            f"endpoint {endpoint.name} is a {_kind_words(endpoint)}: it has one value per "
            f"{'record' if endpoint.kind == 'record_flag' else 'subject'}, not one per visit",
            endpoint.span,
            help="compute a `responder` or a `value` by visit, or remove `by visit …`"
            + (
                " (a count or a rate covers its time at risk)"
                if endpoint.kind in ("count", "rate")
                else ""
            ),
        )
    for name in endpoint.visits:
        if name not in owner.visits:
            close = did_you_mean(name, list(owner.visits))
            yield Diagnostic(
                "E1056",
                "error",
                f"endpoint {endpoint.name} is computed at visit '{name}', which the schedule "
                "does not have",
                endpoint.span,
                help=f"did you mean '{close}'?"
                if close
                else f"the visits are: {', '.join(owner.visits)}",
            )


def _time_to_event(owner: Spec, endpoint: m.Endpoint) -> Iterator[Diagnostic]:
    event = endpoint.event
    assert isinstance(event, m.TimeToEvent)
    if endpoint.rule is not None:
        yield Diagnostic(
            "E1050",
            "error",
            f"endpoint {endpoint.name} is a time to event: it is computed from its "
            "`from`, `event first` and `censored_at` clauses and takes no `= …` rule",
            endpoint.rule.span,
            help="put the condition of the event after `where` in `event first LOG.DATE where …`",
        )
    for role, expr in (("origin", event.origin), ("censoring date", event.censor)):
        found = t.infer(expr, Scope(owner, None), owner)
        if isinstance(found, (t.Date, t.Unknown)):
            continue
        yield Diagnostic(
            "E1055",
            "error",
            f"the {role} of the time to event {endpoint.name} must be a date, but "
            f"`{_short(expr)}` is {t.describe(found)}",
            expr.span,
            help="name a date: an anchor (`first_dose`), a date item, or "
            "`min(exposure.start)` for the first of a log's dates",
        )
    log = _log(owner, event.log, endpoint, "event first")
    if isinstance(log, Diagnostic):
        yield log
        return
    item = log.item(event.date)
    derive = log.derive(event.date)
    is_date = item is not None and isinstance(item.type, m.ItemType) and item.type.kind == "date"
    if derive is not None:
        is_date = isinstance(t.infer(derive.expr, Scope(owner, log), owner), (t.Date, t.Unknown))
    if not is_date:
        what = "is not an item of it" if item is None and derive is None else "is not a date"
        yield Diagnostic(
            "E1052",
            "error",
            f"the event of {endpoint.name} is dated by '{event.log}.{event.date}', which "
            f"{what}: the first event is the earliest record by a date of the log",
            event.span,
            help=f"name a date item of '{event.log}': `event first {event.log}.start_date where …`",
        )


def _event_count(owner: Spec, endpoint: m.Endpoint) -> Iterator[Diagnostic]:
    counted = endpoint.event
    assert isinstance(counted, m.EventCount)  # without a rule: the grammar takes none
    if endpoint.kind == "rate":
        yield from _time_at_risk(owner, endpoint, counted)
    log = _log(owner, counted.log, endpoint, f"{endpoint.kind} of")
    if isinstance(log, Diagnostic):
        yield log
        return
    if counted.where is not None:
        found = t.infer(counted.where, Scope(owner, log), owner)
        if not isinstance(found, (t.Boolean, t.Unknown)):
            yield Diagnostic(
                "E1068",
                "error",
                f"endpoint {endpoint.name} counts the records of '{counted.log}' where "
                f"`{_short(counted.where)}`, which is {t.describe(found)}, not a condition",
                counted.where.span,
                help="write a condition on the record's items, such as `where serious = yes`",
            )
    if (
        endpoint.kind == "rate"
        and counted.date is not None
        and not _is_date(owner, log, counted.date)
    ):
        what = (
            "is not an item of it"
            if log.item(counted.date) is None and log.derive(counted.date) is None
            else "is not a date"
        )
        dates = [
            i.name for i in log.items if isinstance(i.type, m.ItemType) and i.type.kind == "date"
        ]
        yield Diagnostic(
            "E1064",
            "error",
            f"the rate {endpoint.name} dates the records of '{counted.log}' by "
            f"'{counted.date}', which {what}: a record counts when its date is within "
            "the time at risk",
            counted.span,
            help=f"name a date item of '{counted.log}': "
            + (", ".join(f"`rate of {counted.log}.{d}`" for d in dates) if dates
               else "the log has none; add one (such as `start date \"Start date\"`)"),
        )  # fmt: skip


def _is_date(owner: Spec, log: m.Form, name: str) -> bool:
    item = log.item(name)
    derive = log.derive(name)
    if derive is not None:
        return isinstance(t.infer(derive.expr, Scope(owner, log), owner), (t.Date, t.Unknown))
    return item is not None and isinstance(item.type, m.ItemType) and item.type.kind == "date"


def _time_at_risk(owner: Spec, endpoint: m.Endpoint, counted: m.EventCount) -> Iterator[Diagnostic]:
    per = counted.per
    days = exact_days(per) if per is not None else None
    if per is not None and (days is None or days <= 0):
        yield Diagnostic(
            "E1067",
            "error",
            f"the rate {endpoint.name} is per {per}, which is not a length of time: a rate "
            "is a number of records per unit of time at risk",
            counted.span,
            help="write the unit of time: `per year`, `per 100 years`, `per 4 weeks`, `per day`",
        )
    ends = (
        ("start", counted.start),
        ("end", counted.end),
        ("end used when the end is unknown (`else`)", counted.fallback),
    )
    for role, expr in ends:
        if expr is None:
            continue
        found = t.infer(expr, Scope(owner, None), owner)
        if isinstance(found, (t.Date, t.Unknown)):
            continue
        yield Diagnostic(
            "E1065",
            "error",
            f"the {role} of the time at risk of {endpoint.name} must be a date, but "
            f"`{_short(expr)}` is {t.describe(found)}",
            expr.span,
            help="name a date: an anchor (`first_dose`), a date item "
            "(`study_participation.end_date`), or `max(exposure.start)`",
        )
    for end in (counted.end, counted.fallback):
        start_day = _planned_day(owner, counted.start)
        end_day = _planned_day(owner, end)
        if start_day is None or end_day is None or end_day >= start_day:
            continue
        assert end is not None and counted.start is not None
        yield Diagnostic(
            "E1066",
            "error",
            f"the time at risk of {endpoint.name} ends at `{_short(end)}` (day {end_day}) "
            f"before it starts at `{_short(counted.start)}` (day {start_day})",
            end.span,
            help="swap `from` and `to`, or name the anchor that ends the time on study",
        )


def _planned_day(owner: Spec, expr: m.Expr | None) -> int | None:
    """The planned study day of an anchor on a visit, as the schedule says; else None."""
    if not isinstance(expr, m.Ref) or len(expr.parts) != 1:
        return None
    anchor = owner.anchors.get(expr.parts[0])
    if anchor is None or anchor.visit is None or anchor.expr is not None:
        return None
    visit = owner.visits.get(anchor.visit)
    return visit.day if visit is not None else None


def _log(owner: Spec, name: str | None, endpoint: m.Endpoint, clause: str) -> m.Form | Diagnostic:
    form = endpoint_log(owner, name)
    if form is not None and form.repeating:
        return form
    what = "is not a form" if form is None else "is not repeating"
    return Diagnostic(
        "E1051",
        "error",
        f"endpoint {endpoint.name} reads the records of '{name}' (`{clause}`), which {what}: "
        "only a log (a repeating form) has records to read one by one",
        endpoint.event.span if endpoint.event is not None else endpoint.span,
        help='name a repeating form, such as `form adverse_events "…" repeating { … }`',
    )


def _kind_words(endpoint: m.Endpoint) -> str:
    return {
        "responder": "responder endpoint",
        "value": "value endpoint",
        "flag": "subject-level flag",
        "record_flag": f"flag per record of {endpoint.per}",
        "time_to_event": "time to event",
        "count": "count of records",
        "rate": "rate per unit of time",
    }[endpoint.kind or "value"]


def _short(expr: m.Expr) -> str:
    from protocol_dsl.syntax import printer

    text = printer.expr(expr)
    return text if len(text) <= 60 else text[:57] + "…"
