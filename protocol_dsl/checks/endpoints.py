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

Type errors inside the expressions themselves are the type check's (E02xx);
here only the type of the whole rule against its kind is checked, and not
when it is already unknown (a name that resolves to nothing).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
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
    if endpoint.kind in ("flag", "record_flag", "time_to_event"):
        yield Diagnostic(
            "E1057",
            "error",
            f"endpoint {endpoint.name} is a {_kind_words(endpoint)}: it has one value per "
            f"{'record' if endpoint.kind == 'record_flag' else 'subject'}, not one per visit",
            endpoint.span,
            help="compute a `responder` or a `value` by visit, or remove `by visit …`",
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
    assert event is not None
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
    }[endpoint.kind or "value"]


def _short(expr: m.Expr) -> str:
    from protocol_dsl.syntax import printer

    text = printer.expr(expr)
    return text if len(text) <= 60 else text[:57] + "…"
