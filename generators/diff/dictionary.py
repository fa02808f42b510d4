"""The data dictionary in the diff: forms and items, code lists, tables, definitions, scores.

A change here matters by who uses it: a lookup value, a definition, a score
or an item type that criteria depend on is a change of eligibility
(`Differ.emit_dependency`); a changed definition is followed into the
criteria to tell whether eligibility widens or narrows.

Code lists, tables, definitions and scores are declarations of the generic
walker (`walk`), as are a form's items and derived values; items, derived
values, code-list values and the labels of tables and definitions are rule
tables.  Written by hand, because the logic is their own: a form's and a
code list's attributes (one change that also says when the order of their
items or values changed; a trial's own forms are scheduled by
`schedule.assessments`), a lookup table's rows (each value ranked, a change
of what criteria read), a definition's expression (compared as a condition
and followed into the criteria: `eligibility_through`), a score (one change
listing every weight, descriptor and domain that moved, with their common
direction) and a mapping (its rules listed by target).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from generators.diff import reading
from generators.diff.conditions import compare as compare_conditions
from generators.diff.depends import key, membership_polarities, polarities
from generators.diff.directions import (
    effect_word,
    magnitude_of,
    presence,
    ranked,
)
from generators.diff.matching import match
from generators.diff.phrases import (
    attribute_changes,
    attribute_words,
    item_words,
    quoted,
    range_words,
    rule_words,
    type_words,
    value_words,
)
from generators.diff.walk import (
    Kind,
    Pair,
    Row,
    Show,
    Table,
    added,
    added_label,
    compare,
    declarations,
    old_to_new,
    one_direction,
    ranked_part,
    relabelled,
    removed,
    removed_label,
    rows,
)
from protocol_dsl import model as m
from protocol_dsl.semantics.words import label_phrase
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer

if TYPE_CHECKING:
    from generators.diff.recorder import Differ, Nodes


def forms(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    """Form definitions: items, derived values, labels (collection is in `assessments`)."""
    for name, o, n in match(old.forms, new.forms):
        qualified = prefix + name
        target = f"form {qualified}"
        if o is None or n is None:
            if prefix:  # a library form: declared, collected only where a spec says so
                d.emit(
                    "ASSESSMENT_CHANGED",
                    "changed",
                    target,
                    f"{'added to' if o is None else 'removed from'} library {prefix.rstrip('.')}",
                    old_node=o,
                    new_node=n,
                    keys=(name,),
                )
            continue
        # the visits of a trial's own forms are compared in `assessments`
        # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
        compared = (
            (o, n) if prefix else (attrs.evolve(o, visits=()), attrs.evolve(n, visits=()))  # type: ignore[misc]
        )
        with d.guard("ASSESSMENT_CHANGED", target, o, n, compared=compared):
            form_pair(d, o, n, qualified, target, old, new)


def form_pair(
    d: Differ, o: m.Form, n: m.Form, qualified: str, target: str, old: Spec, new: Spec
) -> None:
    fields: Nodes = {"old_node": o, "new_node": n, "keys": (n.name,)}
    names = ("label", "repeating", "codes", "groups")
    # a trial's own forms are scheduled by `assessments`; a library form's visits are its own
    details = attribute_changes(o, n, (*names, "visits") if qualified != n.name else names)
    old_items = {i.name: i for i in o.items}
    new_items = {i.name: i for i in n.items}
    if [i for i in old_items if i in new_items] != [i for i in new_items if i in old_items]:
        details = "; ".join(filter(None, [details, "order of items changed"]))
    if details:
        d.emit("ASSESSMENT_CHANGED", "changed", target, details, **fields)
    reading.none_question(d, o, n, qualified, target)
    form_words = label_phrase(n.label, n.name)
    items = Kind[m.Item](
        "{}",
        "ITEM_ADDED",
        "ITEM_REMOVED",
        lambda item: f"item {quoted(item.label or item.name)} added to {form_words}",
        lambda item: f"item {quoted(item.label or item.name)} removed from {form_words}",
        None,
        ITEM,
        show=lambda item, spec: item_words(item),
    )
    declarations(d, items, old_items, new_items, old, new, f"{qualified}.", (n.name,))
    expression = _derived_expression(o, n)
    derives = Kind[m.Derive](
        "{}",
        "DERIVED_VALUE_ADDED",
        "DERIVED_VALUE_REMOVED",
        lambda derive: "derived value added",
        lambda derive: "derived value removed",
        None,
        Table(
            m.Derive,
            (
                Row(
                    ("expr",),
                    "DERIVED_VALUE_CHANGED",
                    summary=lambda pair, direction, names: "derivation changed",
                    show=expression,
                    dependency="derive",
                ),
                Row(("label",), "DERIVED_VALUE_CHANGED", summary=relabelled),
            ),
        ),
        show=expression,
    )
    old_derives = {dv.name: dv for dv in o.derives}
    new_derives = {dv.name: dv for dv in n.derives}
    declarations(d, derives, old_derives, new_derives, old, new, f"{qualified}.", (n.name,))
    d.annotations(target, o, n, (n.name,))


def _type(item: m.Item, spec: Spec) -> str:
    return type_words(item.type)


ITEM = Table(
    m.Item,
    (
        Row(
            ("type",),
            "ITEM_CHANGED",
            summary=old_to_new(_type, "type"),
            show=_type,
            dependency="item",
        ),
        Row(
            ("label", "range", "required", "when", "visits", "for_reporting", "group", "codes"),
            "ITEM_CHANGED",
        ),
        # a partial date, or its imputation rule, changes which subjects a rule decides
        Row(("partial", "impute"), "ITEM_CHANGED"),
    ),
)


def _derived_expression(old_form: m.Form, new_form: m.Form) -> Show:
    """A derived value's expression in words: it reads the items of the form declaring it."""

    def expression(derive: m.Derive, spec: Spec) -> str:
        declared_in_new = any(other is derive for other in new_form.derives)
        return rule_words(derive.expr, spec, Scope(spec, new_form if declared_in_new else old_form))

    return expression


def codelist_pair(d: Differ, pair: Pair[m.CodeList]) -> None:
    o, n, target = pair.old, pair.new, pair.target
    details = attribute_changes(o, n, ("label", "codes"))
    old_entries = {e.name: e for e in o.entries}
    new_entries = {e.name: e for e in n.entries}
    common_old = [e for e in old_entries if e in new_entries]
    common_new = [e for e in new_entries if e in old_entries]
    if common_old != common_new:
        details = "; ".join(filter(None, [details, "order of values changed"]))
    if details:
        d.emit(
            "CODELIST_CHANGED", "changed", target, details, old_node=o, new_node=n, keys=(n.name,)
        )
    dependency = key("codelist", pair.qualified)
    for value, oe, ne in match(old_entries, new_entries):
        keys = (value, n.name)
        value_target = f"{target}, value {value}"
        if oe is None:
            assert ne is not None  # `match` pairs at least one side
            eligibility = membership_eligibility(d, dependency, +1)
            d.emit_dependency(
                "CODELIST_VALUE_ADDED",
                "added",
                dependency,
                value_target,
                f"added ({quoted(ne.label)}){_through_list(eligibility)}",
                eligibility=eligibility,
                new=ne.label or value,
                new_node=ne,
                keys=keys,
            )
        elif ne is None:
            eligibility = membership_eligibility(d, dependency, -1)
            d.emit_dependency(
                "CODELIST_VALUE_REMOVED",
                "removed",
                dependency,
                value_target,
                f"removed (was {quoted(oe.label)}){_through_list(eligibility)}",
                eligibility=eligibility,
                old=oe.label or value,
                old_node=oe,
                keys=keys,
            )
        else:
            entry = Pair(oe, ne, pair.old_spec, pair.new_spec, value_target, value, keys)
            compare(d, CODELIST_VALUE, entry)
    d.annotations(target, o, n, (n.name,))


def membership_eligibility(d: Differ, codelist: str, effect: int) -> str | None:
    """Widened or narrowed eligibility when a value is added to (`effect` +1) or removed from
    (-1) a code list that criteria test as a whole (`x in list`): such a test is true for one
    more (or one fewer) recorded value, and every criterion affected must agree on which way
    that moves it.  None when no criterion tests the list as a whole, or they disagree."""
    seen: set[int] = set()
    for deps, spec in ((d.old_deps, d.old), (d.new_deps, d.new)):
        for criterion in spec.criteria:
            if criterion.rule is None or criterion.id not in deps.users(codelist):
                continue
            signs = membership_polarities(deps, criterion.rule, codelist)
            if not signs:
                continue
            if len(signs) != 1 or 0 in signs:
                return None
            seen.add(signs.pop() * effect * (1 if criterion.kind == "inclusion" else -1))
    if len(seen) != 1:
        return None
    return "widened" if seen == {1} else "narrowed"


def _through_list(eligibility: str | None) -> str:
    if eligibility is None:
        return ""
    return f" (eligibility {eligibility}: a rule tests the whole list)"


CODELIST_VALUE = Table(m.CodeListEntry, (Row(("label", "codes"), "CODELIST_CHANGED"),))


CODELISTS = Kind[m.CodeList](
    "code list {}",
    "CODELIST_ADDED",
    "CODELIST_REMOVED",
    lambda n: f"added ({len(n.entries)} values)",
    removed,
    "CODELIST_CHANGED",
    pair=codelist_pair,
    show=lambda codelist, spec: ", ".join(e.name for e in codelist.entries),
)


def codelists(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    declarations(d, CODELISTS, old.codelists, new.codelists, old, new, prefix)


def table_pair(d: Differ, pair: Pair[m.Table]) -> None:
    o, n, target = pair.old, pair.new, pair.target
    rows(d, TABLE, pair)
    old_rows = {r.key: r for r in o.rows}
    new_rows = {r.key: r for r in n.rows}
    dependency = key("table", pair.qualified)
    for row_key, orow, nrow in match(old_rows, new_rows):
        row_target = f"{target}, {row_key}"
        keys = (row_key, n.name)
        if orow is None or nrow is None or not same_value(orow.value, nrow.value):
            old_value = value_words(orow.value) if orow else None
            new_value = value_words(nrow.value) if nrow else None
            direction = presence(orow, nrow)
            if direction == "changed":
                direction = ranked(magnitude_of(orow.value), magnitude_of(nrow.value), "changed")  # type: ignore[union-attr]
            d.emit_dependency(
                "LOOKUP_VALUE_CHANGED",
                direction,
                dependency,
                row_target,
                f"{old_value or '(none)'} → {new_value or '(none)'}",
                old=old_value,
                new=new_value,
                old_node=orow,
                new_node=nrow,
                keys=keys,
            )
        if orow is not None and nrow is not None:
            d.annotations(row_target, orow, nrow, keys)
    if [r for r in old_rows if r in new_rows] != [r for r in new_rows if r in old_rows]:
        d.emit(
            "LOOKUP_TABLE_CHANGED",
            "changed",
            target,
            "order of rows changed",
            old_node=o,
            new_node=n,
            keys=(n.name,),
        )
    d.annotations(target, o, n, (n.name,))


#: a lookup table's rows are values criteria use: compared one by one (`table_pair`)
TABLE = Table(
    m.Table, (Row(("label", "version", "keys"), "LOOKUP_TABLE_CHANGED"),), by_hand=("rows",)
)


TABLES = Kind[m.Table](
    "table {}",
    "LOOKUP_TABLE_ADDED",
    "LOOKUP_TABLE_REMOVED",
    lambda n: f"added ({len(n.rows)} rows)",
    removed,
    "LOOKUP_TABLE_CHANGED",
    pair=table_pair,
)


def tables(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    declarations(d, TABLES, old.tables, new.tables, old, new, prefix)


def define_pair(d: Differ, pair: Pair[m.Define]) -> None:
    o, n, target, old, new = pair.old, pair.new, pair.target, pair.old_spec, pair.new_spec
    fields: Nodes = {"old_node": o, "new_node": n, "keys": (n.name,)}
    if o.params or n.params:
        # a rule for each organ domain or visit has no meaning of its own to compare: its
        # applications are compared where they are used
        if (o.params, o.expr) != (n.params, n.expr):
            d.emit_dependency(
                "DEFINITION_CHANGED",
                "changed",
                key("define", pair.qualified),
                target,
                "rule changed",
                old=_applied_rule(o),
                new=_applied_rule(n),
                **fields,
            )
        compare(d, DEFINE, pair)
        return
    change = compare_conditions(o.expr, n.expr, old, new)
    if o.expr != n.expr and change.equivalent:
        how = f" ({change.describe()})" if change.describe() else ""
        d.emit(
            "DEFINITION_CHANGED",
            "reworded",
            target,
            f"rewritten with the same meaning{how}",
            old=rule_words(o.expr, old),
            new=rule_words(n.expr, new),
            **fields,
        )
    elif o.expr != n.expr:
        condition = effect_word(change.effect, "changed")
        summary = "changed"
        if change.thresholds_only:
            summary = f"threshold changed: {change.describe()}"
        eligibility = eligibility_through(d, n, change.effect)
        if eligibility != "changed":
            summary += f" (eligibility {eligibility})"
        elif condition != "changed":
            summary += f" (condition {condition})"
        d.emit_dependency(
            "DEFINITION_CHANGED",
            condition,
            key("define", pair.qualified),
            target,
            summary,
            eligibility=eligibility,
            old=rule_words(o.expr, old),
            new=rule_words(n.expr, new),
            **fields,
        )
    compare(d, DEFINE, pair)


def _expression(declaration: m.Define, spec: Spec) -> str:
    if declaration.params:
        return _applied_rule(declaration)
    return rule_words(declaration.expr, spec)


def _applied_rule(declaration: m.Define) -> str:
    """A parameterised rule as written: its words need the arguments of an application."""
    return f"{declaration.name}({', '.join(declaration.params)}) = {printer.expr(declaration.expr)}"


#: a definition's expression is compared as a condition (`define_pair`): the rest is a table
DEFINE = Table(
    m.Define,
    (Row(("label",), "DEFINITION_CHANGED", "reworded", relabelled),),
    by_hand=("expr", "params"),
)


DEFINES = Kind[m.Define](
    "definition {}",
    "DEFINITION_ADDED",
    "DEFINITION_REMOVED",
    added,
    removed,
    "DEFINITION_CHANGED",
    pair=define_pair,
    show=_expression,
)


def defines(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    declarations(d, DEFINES, old.defines, new.defines, old, new, prefix)


def eligibility_through(d: Differ, define: m.Define, effect: int) -> str:
    """Widened or narrowed eligibility when every criterion using `define` agrees."""
    if effect == 0:
        return "changed"
    seen: set[int] = set()
    for criterion in d.new.criteria:
        if criterion.rule is None:
            continue
        signs = polarities(d.new, criterion.rule, define)
        if not signs:
            continue
        if len(signs) != 1 or 0 in signs:
            return "changed"
        sign = signs.pop() * (1 if criterion.kind == "inclusion" else -1)
        seen.add(sign * effect)
    # used only through scores, derived values or tables: the direction is not followed
    return effect_word(seen.pop(), "changed") if len(seen) == 1 else "changed"


def scores(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    declarations(d, SCORES, old.scores, new.scores, old, new, prefix)


def score_pair(d: Differ, pair: Pair[m.Score | m.ScoreVariant]) -> None:
    """Weights, look-back and descriptors have directions; labels are cosmetic: one change
    each, listing what differs (a score is compared as one declaration, not field by field)."""
    o, n, qualified, target = pair.old, pair.new, pair.qualified, pair.target
    fields: Nodes = {"old_node": o, "new_node": n, "keys": (n.name,)}
    semantic: list[tuple[str, str]] = []  # (direction, words)
    cosmetic: list[str] = []
    if type(o) is not type(n):
        semantic.append(("changed", "defined another way"))
    elif isinstance(o, m.ScoreVariant) and isinstance(n, m.ScoreVariant):
        if o.base != n.base:
            semantic.append(("changed", f"based on {o.base.dotted} → {n.base.dotted}"))
        added = [x for x in n.without if x not in o.without]
        removed = [x for x in o.without if x not in n.without]
        if added:
            semantic.append(("removed", f"descriptors left out: {', '.join(added)}"))
        if removed:
            semantic.append(("added", f"descriptors counted again: {', '.join(removed)}"))
    elif isinstance(o, m.Score) and isinstance(n, m.Score):
        semantic += _score_differences(o, n)
        cosmetic += _score_label_differences(o, n)
    if o.label != n.label:
        cosmetic.insert(0, f"label {quoted(o.label)} → {quoted(n.label)}")
    label = n.label or n.name
    if semantic:
        d.emit_dependency(
            "SCORE_CHANGED",
            one_direction(semantic),
            key("score", qualified),
            target,
            f"{label}: " + "; ".join(w for _, w in semantic),
            **fields,
        )
    if cosmetic:
        d.emit("SCORE_CHANGED", "changed", target, f"{label}: " + "; ".join(cosmetic), **fields)
    d.annotations(target, o, n, (n.name,))
    if isinstance(o, m.Score) and isinstance(n, m.Score):
        old_items = {i.name: i for _, i in o.items()}
        for _, item in n.items():
            if item.name in old_items:
                d.annotations(
                    f"{target}, {item.name}", old_items[item.name], item, (item.name, n.name)
                )


SCORES = Kind[m.Score | m.ScoreVariant](
    "score {}",
    "SCORE_ADDED",
    "SCORE_REMOVED",
    added_label,
    removed_label,
    "SCORE_CHANGED",
    pair=score_pair,
)


def mappings(d: Differ, old: Spec, new: Spec, prefix: str) -> None:
    old_maps = {mp.name: mp for mp in old.mappings}
    new_maps = {mp.name: mp for mp in new.mappings}
    for name, o, n in match(old_maps, new_maps):
        target = f"mapping {prefix}{name}"
        if o is None or n is None:
            d.emit(
                "MAPPING_ADDED" if o is None else "MAPPING_REMOVED",
                "added" if o is None else "removed",
                target,
                "added" if o is None else "removed",
                old_node=o,
                new_node=n,
                keys=(name,),
            )
        reading.completeness(d, o, n, target, old, new)
        if o is None or n is None:
            continue
        o, n = reading.without_completeness(o), reading.without_completeness(n)
        if o == n:
            continue
        old_rules = {r.target.dotted: r for r in o.rules}
        new_rules = {r.target.dotted: r for r in n.rules}
        added = [t for t in new_rules if t not in old_rules]
        removed = [t for t in old_rules if t not in new_rules]
        changed = [t for t in new_rules if t in old_rules and old_rules[t] != new_rules[t]]
        parts = []
        if added:
            parts.append(f"rules added for {', '.join(added)}")
        if removed:
            parts.append(f"rules removed for {', '.join(removed)}")
        if changed:
            parts.append(f"rules changed for {', '.join(changed)}")
        direction = (
            "added"
            if added and not removed and not changed
            else "removed"
            if removed and not added and not changed
            else "changed"
        )
        d.emit(
            "MAPPING_CHANGED",
            direction,
            target,
            "; ".join(parts) or "label or order of rules changed",
            old_node=o,
            new_node=n,
            keys=(name,),
        )


def _score_differences(old: m.Score, new: m.Score) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for name in ("form", "rule"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            parts.append(("changed", f"{name} {attribute_words(a)} → {attribute_words(b)}"))
    if old.lookback != new.lookback:
        parts.append(ranked_part("look-back", old.lookback, new.lookback))
    if old.range != new.range:
        parts.append(("changed", f"range {range_words(old.range)} → {range_words(new.range)}"))
    old_domains = {dm.name: dm for dm in old.domains}
    new_domains = {dm.name: dm for dm in new.domains}
    for name, od, nd in match(old_domains, new_domains):
        if od is None:
            parts.append(("added", f"domain {name} added"))
            continue
        if nd is None:
            parts.append(("removed", f"domain {name} removed"))
            continue
        if od.tags != nd.tags:
            parts.append(
                (
                    "changed",
                    f"tags of domain {name} {attribute_words(od.tags)} → {attribute_words(nd.tags)}",
                )
            )
        old_items = {i.name: i for i in od.items}
        new_items = {i.name: i for i in nd.items}
        for item, oi, ni in match(old_items, new_items):
            if oi is None:
                assert ni is not None  # `match` pairs at least one side
                parts.append(
                    ("added", f"descriptor {item} (weight {m.format_decimal(ni.weight)}) added")
                )
            elif ni is None:
                parts.append(("removed", f"descriptor {item} removed"))
            else:
                if oi.weight != ni.weight:
                    direction = "raised" if ni.weight > oi.weight else "lowered"
                    parts.append(
                        (
                            direction,
                            f"weight of {item} {m.format_decimal(oi.weight)} → "
                            f"{m.format_decimal(ni.weight)}",
                        )
                    )
                if oi.expr != ni.expr:
                    parts.append(("changed", f"how {item} is read changed"))
    # a descriptor moved to another domain shows as removed and added; a pure reorder as:
    if not parts and [dm.name for dm in old.domains] != [dm.name for dm in new.domains]:
        parts.append(("changed", "order of domains changed"))
    return parts


def _score_label_differences(old: m.Score, new: m.Score) -> list[str]:
    parts: list[str] = []
    new_domains = {dm.name: dm for dm in new.domains}
    for od in old.domains:
        nd = new_domains.get(od.name)
        if nd is None:
            continue
        if od.label != nd.label:
            parts.append(f"label of domain {od.name} {quoted(od.label)} → {quoted(nd.label)}")
        new_items = {i.name: i for i in nd.items}
        for oi in od.items:
            ni = new_items.get(oi.name)
            if ni is not None and oi.label != ni.label:
                parts.append(f"label of {oi.name} {quoted(oi.label)} → {quoted(ni.label)}")
        if [i.name for i in od.items if i.name in new_items] != [
            i.name for i in nd.items if i.name in {x.name for x in od.items}
        ]:
            parts.append(f"order of descriptors in domain {od.name} changed")
    return parts


def same_value(old: m.Value, new: m.Value) -> bool:
    """Whether two table values say the same: numbers by their exact value (5/4 is
    1.25, 20/3 is not 6.67), anything else as written."""
    if old.kind == new.kind == "number":
        return old.value == new.value
    return old == new
