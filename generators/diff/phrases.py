"""Values, rules and declarations in words, for the summaries and old/new columns of a change."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from protocol_dsl import model as m
from protocol_dsl.semantics.words import quantity_in_words, rule_in_words
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer


def value_words(value: m.Value) -> str:
    if value.kind == "quantity" and isinstance(value.value, m.Quantity):
        if value.text and not any(c.isspace() for c in value.text):
            return value.text  # "1b" reads as written
        return quantity_in_words(value.value)
    if value.kind == "number" and isinstance(value.value, Decimal):
        return m.format_decimal(value.value)
    if value.kind == "number":
        return value.text  # a ratio as written: 20/3
    if value.kind == "titer":
        return f"1:{value.value}"
    return str(value.value)


def field_text(field: m.Field) -> str:
    """The canonical source of a field's values, codes and details (marks excluded)."""
    text = ", ".join(printer.value(v) for v in field.values)
    text = " ".join([text, *(printer.code(c) for c in field.codes)])
    if field.details:
        text += " { " + " ".join(f"{d.key} {field_text(d)}" for d in field.details) + " }"
    return text


def field_words(field: m.Field) -> str:
    """The values in words, then the details in brackets (a site's city, a contact's role)."""
    words = ", ".join(value_words(v) for v in field.values)
    if field.details:
        words += " (" + "; ".join(f"{d.key} {field_words(d)}" for d in field.details) + ")"
    return words


def quantity_words(q: m.Quantity | None) -> str:
    return quantity_in_words(q) if q is not None else "(none)"


def quoted(text: str | None) -> str:
    return f"“{text}”" if text else "(none)"


def names_words(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "(no visit)"


def rule_words(expr: m.Expr, spec: Spec, scope: Scope | None = None) -> str:
    try:
        return rule_in_words(expr, spec, scope)
    except (TypeError, AttributeError, KeyError, ValueError):
        return printer.expr(expr)


def criterion_words(criterion: m.Criterion, spec: Spec) -> str:
    if criterion.rule is not None:
        return rule_words(criterion.rule, spec)
    return assessed_by(criterion)


def assessed_by(criterion: m.Criterion) -> str:
    if criterion.rule is not None:
        return "a formal rule"
    if criterion.attested:
        return "attested" + (f" ({criterion.attestation})" if criterion.attestation else "")
    return "judged by the investigator from the text"


def mark_words(mark: m.Mark) -> str:
    if mark.kind == "provisional":
        return "provisional mark"
    if mark.kind == "allow":
        return f"allow {mark.code} {quoted(mark.text)}"
    if mark.kind == "was":
        return f"was {mark.text}"
    return f"{mark.kind} {quoted(mark.text)}"


def type_words(item_type: m.ItemType) -> str:
    if item_type.kind == "quantity":
        return f"quantity in {item_type.unit}"
    if item_type.kind == "choice" and item_type.codelist is not None:
        return f"choice from {item_type.codelist.dotted}"
    return item_type.kind.replace("_", "/")


def item_words(item: m.Item) -> str:
    return f"{item.label or item.name} ({type_words(item.type)})"


def visit_words(visit: m.Visit) -> str:
    parts = [visit.label or visit.name]
    if visit.day is not None:
        parts.append(day_words(visit))
    if visit.window_before or visit.window_after:
        parts.append(f"window {window_words(visit)}")
    return ", ".join(parts)


def day_words(visit: m.Visit | m.CycleVisit) -> str:
    if visit.day is None:
        after = getattr(visit, "after", None)
        return printer.position(after) if after is not None else "no planned day"
    if visit.day_end is not None:
        return f"day {visit.day} to {visit.day_end}"
    return f"day {visit.day}"


def window_words(visit: m.Visit | m.CycleVisit | m.Repeat) -> str:
    return f"−{visit.window_before}/+{visit.window_after} days"


def anchor_words(anchor: m.Anchor, spec: Spec) -> str:
    if anchor.visit is not None:
        return f"visit {anchor.visit}"
    if anchor.expr is not None:
        return rule_words(anchor.expr, spec)
    return "(nothing)"


def design_words(design: m.EscalationDesign | None) -> str | None:
    if design is None:
        return None
    params = ", ".join(f"{f.key} {field_words(f)}" for f in design.parameters)
    return f"{design.kind} ({params})" if params else design.kind


def dlt_words(window: m.DltWindow | None) -> str | None:
    if window is None:
        return None
    if window.duration is None:
        return f"cycle {window.cycle}"
    return f"{quantity_in_words(window.duration)} from {window.anchor.replace('_', ' ')}"


def steps_words(step_up: m.StepUp) -> str:
    return ", ".join(f"day {s.day}: {quantity_in_words(s.amount)}" for s in step_up.steps)


def rates_words(scenario: m.Scenario) -> str:
    return ", ".join(m.format_decimal(r) for r in scenario.rates)


def endpoint_words(endpoint: m.Endpoint) -> str:
    return f"{endpoint.text} ({timeframe_words(endpoint)})"


def timeframe_words(endpoint: m.Endpoint) -> str:
    parts = []
    if endpoint.timeframe:
        parts.append(quoted(endpoint.timeframe))
    if endpoint.until is not None:
        anchor = (endpoint.until_anchor or "").replace("_", " ")
        parts.append(f"until {quantity_in_words(endpoint.until)} after {anchor}")
    return ", ".join(parts) or "(no time frame)"


def reworded(old: str | None, new: str | None, most: int = 3) -> str:
    """The words that changed: “Ib” → “1b”; the whole texts when too much changed."""
    import difflib

    old_words, new_words = (old or "").split(), (new or "").split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(old_words[i1:i2])
        after = " ".join(new_words[j1:j2])
        if tag == "insert":
            context = " ".join(old_words[max(i1 - 2, 0) : i1])
            parts.append(f"added “{after}”" + (f" after “{context}”" if context else ""))
        elif tag == "delete":
            parts.append(f"removed “{before}”")
        else:
            parts.append(f"“{before}” → “{after}”")
    if not parts:
        return "spacing only"
    if len(parts) > most:
        return f"{quoted(old)} → {quoted(new)}"
    return "; ".join(parts)


def attribute_changes(old: object, new: object, names: Sequence[str]) -> str:
    """ "label “A” → “B”; range 0..10 → 0..20" for the attributes that differ."""
    parts = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            parts.append(f"{name.replace('_', ' ')} {attribute_words(a)} → {attribute_words(b)}")
    return "; ".join(parts)


def timepoint_words(point: m.TimePoint) -> str:
    """ "eoi (1 h after dose, ± 10 min)": a time point of a cycle visit."""
    timing = []
    if point.offset is not None and point.direction is not None:
        timing.append(f"{printer.quantity(point.offset)} {point.direction} {point.reference}")
    if point.window is not None:
        timing.append(f"± {printer.quantity(point.window)}")
    return f"{point.name} ({', '.join(timing)})" if timing else point.name


def attribute_words(value: object) -> str:
    if value is None or value == ():
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, Decimal):
        return m.format_decimal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, m.Position):
        return printer.position(value)
    if isinstance(value, m.TimePoint):
        return timepoint_words(value)
    if isinstance(value, m.Quantity):
        return quantity_in_words(value)
    if isinstance(value, m.Range):
        return f"{bound_words(value.low)} to {bound_words(value.high)}"
    if isinstance(value, m.Ref):
        return value.dotted
    if isinstance(value, tuple):
        return ", ".join(attribute_words(v) for v in value)
    if isinstance(value, m.Code):
        return printer.code(value)
    if isinstance(value, m.ItemGroup):
        return value.name
    if isinstance(value, m.ArmStep):
        return f"{value.element} in {value.epoch}"
    try:
        return printer.expr(value)  # type: ignore[arg-type]
    except TypeError:
        return str(value)


def bound_words(bound: Decimal | m.Quantity) -> str:
    return m.format_decimal(bound) if isinstance(bound, Decimal) else quantity_in_words(bound)


def range_words(value: tuple[Decimal, Decimal] | None) -> str:
    if value is None:
        return "(none)"
    return f"{m.format_decimal(value[0])} to {m.format_decimal(value[1])}"
