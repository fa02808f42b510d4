"""A `when` condition as an XPath 1.0 expression over ODM ClinicalData.

EDCs that import ODM execute XPath (the `FormalExpression Context="XPath"` of
a ConditionDef), not the spec's own language.  The expression is evaluated
with the item's `ItemGroupData` as context node and reads the `Value`
attribute of `ItemData`.  Element names carry the prefix `odm`, which the ODM
document binds to the ODM namespace on its root element, so the binding is in
scope of every FormalExpression (XPath 1.0 names without a prefix match only
elements in no namespace):

- an item of the same form: `../odm:ItemGroupData/odm:ItemData[@ItemOID='…']/@Value`,
  or, on a repeating form, of the same record: `odm:ItemData[@ItemOID='…']/@Value`;
- an item of another (non-repeating) form at a named visit, `x at V`, or of a
  form collected at one visit only: from the `odm:SubjectData`, that visit's
  `odm:StudyEventData`, the form's `odm:FormData`, its `odm:ItemData`.

Missing data is unknown, never false: each condition is written twice, as
`holds` (true only when the data show the condition true) and `fails` (true
only when the data show it false), and negation swaps them.  A comparison with
an absent value is false in XPath 1.0 either way, which is what makes this
work: `holds` and `fails` are both false while a value the condition reads is
missing.  A CollectionExceptionCondition is `fails` of the `when` condition:
the item is skipped only when its condition is known to be false, as in
REDCap, where a question is shown while its condition is not yet known.

Conditions XPath over one subject's data cannot decide (a date window, a
definition, a score, a quantifier over a repeating form, a unit conversion, a
titer) raise `NotXPath`; the ConditionDef then keeps its description in
words and the expression in the spec's language only.
"""

from __future__ import annotations

from collections.abc import Callable

from generators.crf.forms import CrfField, CrfForm, FormScore, field_read
from protocol_dsl import model as m
from protocol_dsl.errors import ControlFlow
from protocol_dsl.spec import Scope, Spec

CONTEXT = "XPath"
PREFIX = "odm"
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}
_NUMERIC = ("number", "integer", "quantity")


class NotXPath(ControlFlow):
    """A condition XPath over one subject's ClinicalData cannot express."""


# (form, field) -> OIDs of the form and the item; visit name -> OID of its study event
ItemOids = Callable[[CrfForm, CrfField], tuple[str, str]]
EventOid = Callable[[str], str]


class XPathCondition:
    """Translates the `when` conditions of one spec's CRF fields."""

    def __init__(
        self, spec: Spec, forms: tuple[CrfForm, ...], item_oids: ItemOids, event_oid: EventOid
    ) -> None:
        self.spec = spec
        self.forms = forms
        self.item_oids = item_oids
        self.event_oid = event_oid

    def exception(self, form: CrfForm, field: CrfField) -> str:
        """When the item is not collected: its condition known to be false."""
        assert field.condition is not None and field.scope is not None
        return _Translation(self, form, field, field.scope).fails(field.condition)


class _Translation:
    def __init__(self, owner: XPathCondition, form: CrfForm, field: CrfField, scope: Scope) -> None:
        self.owner = owner
        self.form = form
        self.field = field
        self.scope = scope

    # ------------------------------------------------------------ truth

    def holds(self, expr: m.Expr) -> str:
        return self.truth(expr, positive=True)

    def fails(self, expr: m.Expr) -> str:
        return self.truth(expr, positive=False)

    def truth(self, expr: m.Expr, *, positive: bool) -> str:
        if isinstance(expr, m.Not):
            return self.truth(expr.expr, positive=not positive)
        if isinstance(expr, m.Logic):
            left, right = expr.left, expr.right
            if expr.op == "implies":  # a implies b: (not a) or b
                left = m.Not(left, span=expr.span)
                op = "or"
            else:
                op = expr.op
            # known false "a and b": a false or b false; known false "a or b": both false
            joined = op if positive else ("or" if op == "and" else "and")
            sides = [self.truth(side, positive=positive) for side in (left, right)]
            return f"({sides[0]} {joined} {sides[1]})"
        if isinstance(expr, m.Compare):
            op = expr.op if positive else _NEGATED[expr.op]
            return self.compare(op, expr.left, expr.right)
        if isinstance(expr, m.Between):
            if positive:
                low = self.compare(">=", expr.expr, expr.low)
                high = self.compare("<=", expr.expr, expr.high)
                return f"({low} and {high})"
            below = self.compare("<", expr.expr, expr.low)
            above = self.compare(">", expr.expr, expr.high)
            return f"({below} or {above})"
        if isinstance(expr, m.MemberOf) and expr.codelist is None and expr.values:
            op = "=" if positive else "!="
            terms = [self.compare(op, expr.expr, m.Ref((v,), span=expr.span)) for v in expr.values]
            return "(" + f" {'or' if positive else 'and'} ".join(terms) + ")"
        if isinstance(expr, m.IsKnown):
            path, _field = self.path(expr.expr)
            known = positive != expr.missing
            # "is known" is never unknown: a value is there or it is not
            return f"(count({path}[. != '']) {'>' if known else '='} 0)"
        raise NotXPath

    # ------------------------------------------------------------ comparisons

    def compare(self, op: str, left: m.Expr, right: m.Expr) -> str:
        if not self.is_item(left):
            if not self.is_item(right):
                raise NotXPath
            left, right, op = right, left, _FLIPPED[op]
        path, field = self.path(left)
        if self.is_item(right):
            other, other_field = self.path(right)
            if field.kind not in _NUMERIC or (other_field.kind, other_field.unit) != (
                field.kind,
                field.unit,
            ):
                raise NotXPath
            # number() of an absent value is NaN, and every comparison with NaN is false
            return f"number({path}) {op} number({other})"
        value = self.value(field, right)
        if field.kind in _NUMERIC:
            return f"number({path}) {op} {value}"
        if op not in ("=", "!="):
            raise NotXPath
        # a node-set compared with a string: true when a node has (or lacks) that value;
        # an empty node-set (no value recorded) makes both false
        return f"{path} {op} {value}"

    def value(self, field: CrfField, expr: m.Expr) -> str:
        if field.kind == "yes_no" and isinstance(expr, m.BoolLit):
            return "'yes'" if expr.value else "'no'"
        if field.kind == "choice" and isinstance(expr, m.Ref) and len(expr.parts) == 1:
            assert field.choices is not None
            if expr.parts[0] in {c.value for c in field.choices.choices}:
                return _string(expr.parts[0])
            raise NotXPath
        if field.kind == "text" and isinstance(expr, m.TextLit):
            return _string(expr.value)
        if field.kind in _NUMERIC and isinstance(expr, m.NumberLit):
            return m.format_decimal(expr.value)
        same_unit = isinstance(expr, m.QuantityLit) and expr.quantity.unit in (None, field.unit)
        if field.kind == "quantity" and isinstance(expr, m.QuantityLit) and same_unit:
            return m.format_decimal(expr.quantity.value)
        raise NotXPath

    # ------------------------------------------------------------ where a value is

    def is_item(self, expr: m.Expr) -> bool:
        return field_read(self.owner.spec, self.owner.forms, self.scope, expr) is not None

    def path(self, expr: m.Expr) -> tuple[str, CrfField]:
        """The XPath of the item's recorded values, and its field."""
        read = field_read(self.owner.spec, self.owner.forms, self.scope, expr)
        if read is None:
            raise NotXPath
        visit, form, field = read
        form_oid, item_oid = self.owner.item_oids(form, field)
        values = f"odm:ItemGroupData/odm:ItemData[@ItemOID={_string(item_oid)}]/@Value"
        if form.storage_name == self.form.storage_name and visit is None:
            if not form.repeating:
                return f"../{values}", field
            # a repeating form: the same record, which is the context ItemGroupData
            if _group(form, field) != _group(form, self.field):
                raise NotXPath
            return f"odm:ItemData[@ItemOID={_string(item_oid)}]/@Value", field
        if form.repeating:
            raise NotXPath  # which record? a quantifier the spec states, not one XPath value
        if visit is None:
            if len(form.visits) != 1:
                raise NotXPath
            visit = form.visits[0]
        event = _string(self.owner.event_oid(visit))
        return (
            f"ancestor::odm:SubjectData/odm:StudyEventData[@StudyEventOID={event}]"
            f"/odm:FormData[@FormOID={_string(form_oid)}]/{values}",
            field,
        )


def _group(form: CrfForm, field: CrfField) -> int:
    return next(i for i, group in enumerate(form.groups) if field in group.fields)


def _string(text: str) -> str:
    """An XPath 1.0 string literal of any text (XPath 1.0 has no escapes: concat() quotes)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def score_xpath(
    score: FormScore, item_oid: Callable[[CrfField], str], same_group: Callable[[CrfField], bool]
) -> str:
    """A score added up from its yes/no descriptors, NaN (unknown) until all are answered.

    Evaluated with the form's first ItemGroupData as context node.  XPath 1.0 has
    no conditional: `number(substring('0', 1 + number(unanswered)))` is 0 when
    every descriptor is answered and NaN (the number of the empty text) when one
    is not, and NaN plus anything is NaN.
    """
    paths = []
    for domain in score.domains:
        for field, weight in domain:
            values = f"odm:ItemData[@ItemOID={_string(item_oid(field))}]/@Value"
            path = values if same_group(field) else f"../odm:ItemGroupData/{values}"
            paths.append((path, weight))
    added = " + ".join(f"{m.format_decimal(w)} * number({p} = 'yes')" for p, w in paths)
    answered = " + ".join(f"count({p}[. = 'yes' or . = 'no'])" for p, _w in paths)
    return f"{added} + number(substring('0', 1 + number({answered} < {len(paths)})))"
