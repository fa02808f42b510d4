"""How recorded data are read, in the diff: conversions, logs' none questions, completeness.

None of these changes what is collected; each changes what a criterion sees
in the data it reads, so each is classified by who reads the data
(`Differ.emit_dependency`):

* a `conversion` applies to every item of the spec and its libraries that
  carries one of its codes and is recorded on one of its scales; adding,
  removing or changing one changes the value those items have when recorded
  on the other scale, so it reaches the criteria and endpoints that read
  those items (in either version);
* a log's `none_recorded_by` question decides whether a subject's empty log
  means "none" or "not recorded" (unknown), so it reaches whatever reads the
  log;
* a mapping's `complete LOG for DOMAIN` makes a subject of the dataset
  without records of the log have none, for SDTM input.

Which way eligibility moves cannot be computed for any of them: a formula
may read a value higher or lower depending on the value, and an unknown
that becomes known may fall either side of a criterion.  The summary says so
plainly and the cautious verdict applies.

A conversion's label is a row of a rule table (`walk`); the rest is written
by hand, because each change reaches the items, forms or logs it applies to,
not the declaration that changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from generators.diff.depends import Dependencies, key, prefixes
from generators.diff.matching import match
from generators.diff.phrases import attribute_changes
from generators.diff.walk import Pair, Row, Table, compare, relabelled
from protocol_dsl import model as m
from protocol_dsl.semantics import conversions
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer

if TYPE_CHECKING:
    from generators.diff.recorder import Differ, Nodes

#: why a conversion's effect on eligibility has no direction
CONVERSION_EFFECT = (
    "the direction cannot be computed: values recorded on the other scale read differently"
)
#: why a change of what an empty log means has no direction
LOG_EFFECT = (
    "the direction cannot be computed: subjects whose empty log was unknown may now meet "
    "or fail the criteria, or the other way round"
)


# ---------------------------------------------------------------- conversions


def conversions_of(spec: Spec) -> dict[str, m.Conversion]:
    """Every conversion of the spec and its libraries, by qualified name (`scales.hba1c`)."""
    prefix = prefixes(spec)
    found: dict[str, m.Conversion] = {}
    for owner, decl in conversions.declared(spec):
        found.setdefault(prefix.get(id(owner), "?.") + decl.name, decl)
    return found


def bound_items(spec: Spec, decl: m.Conversion) -> list[str]:
    """The dependency keys of the items `decl` applies to in `spec`, in declaration order."""
    prefix = prefixes(spec)
    found: list[str] = []
    for owner in spec.all_specs():
        for form in owner.forms.values():
            for item in form.items:
                applied = conversions.item_conversions(spec, item)
                if any(c.name == decl.name for c in applied) and _shares_code(item, decl):
                    found.append(
                        key("item", f"{prefix.get(id(owner), '?.')}{form.name}.{item.name}")
                    )
    return found


def _shares_code(item: m.Item, decl: m.Conversion) -> bool:
    mine = {(c.system.upper(), c.value) for c in decl.codes}
    return any((c.system.upper(), c.value) in mine for c in item.codes)


def conversion_words(decl: m.Conversion) -> str:
    """“from mmol/mol to % = 0.09148 * value + 2.152 [LOINC 4548-4]”."""
    codes = " ".join(printer.code(c) for c in decl.codes)
    text = f"from {decl.source} to {decl.target} = {printer.expr(decl.expr)}"
    return f"{text} {codes}" if codes else text


def conversions_diff(d: Differ) -> None:
    """Conversions of both versions, libraries included, paired by qualified name."""
    old_all, new_all = conversions_of(d.old), conversions_of(d.new)
    for name, o, n in match(old_all, new_all):
        target = f"conversion {name}"
        keys = (name.rsplit(".", 1)[-1],)
        if o is None or n is None:
            which, spec = ("added", d.new) if o is None else ("removed", d.old)
            present = n if o is None else o
            assert present is not None
            items = bound_items(spec, present)
            shown = conversion_words(present)
            d.emit_dependency(
                f"CONVERSION_{which.upper()}",
                which,
                items,
                target,
                f"{which}: {present.source} ↔ {present.target}{_items_phrase(items)}",
                unknown_effect=CONVERSION_EFFECT,
                old=None if o is None else shown,
                new=shown if o is None else None,
                old_node=o,
                new_node=n,
                keys=keys,
            )
        else:
            with d.guard("CONVERSION_CHANGED", target, o, n):
                conversion_pair(d, Pair(o, n, d.old, d.new, target, name, keys))


#: what a conversion does (scales, formula, codes) is compared by `conversion_pair`
CONVERSION = Table(
    m.Conversion,
    (Row(("label",), "CONVERSION_CHANGED", "reworded", relabelled),),
    by_hand=("source", "target", "expr", "codes"),
)


def conversion_pair(d: Differ, pair: Pair[m.Conversion]) -> None:
    """Scales, formula and codes make one change, reaching the items the conversion applies
    to in either version; a formula respelled with the same result is a rewording."""
    o, n, target = pair.old, pair.new, pair.target
    fields: Nodes = {"old_node": o, "new_node": n, "keys": pair.keys}
    parts: list[str] = []
    if (o.source, o.target) != (n.source, n.target):
        parts.append(f"units {o.source} → {o.target} became {n.source} → {n.target}")
    if o.expr != n.expr and not _same_formula(o.expr, n.expr):
        parts.append(f"formula {printer.expr(o.expr)} → {printer.expr(n.expr)}")
    codes = attribute_changes(o, n, ("codes",))
    if codes:
        parts.append(codes)
    if parts:
        items = list(dict.fromkeys(bound_items(d.old, o) + bound_items(d.new, n)))
        d.emit_dependency(
            "CONVERSION_CHANGED",
            "changed",
            items,
            target,
            "; ".join(parts) + _items_phrase(items),
            unknown_effect=CONVERSION_EFFECT,
            old=conversion_words(o),
            new=conversion_words(n),
            **fields,
        )
    elif o.expr != n.expr:
        d.emit(
            "CONVERSION_CHANGED",
            "reworded",
            target,
            f"formula rewritten with the same result: {printer.expr(o.expr)} → "
            f"{printer.expr(n.expr)}",
            old=conversion_words(o),
            new=conversion_words(n),
            **fields,
        )
    compare(d, CONVERSION, pair)


def _same_formula(old: m.Expr, new: m.Expr) -> bool:
    """Two spellings of one change of scale (`2.152 + 0.09148 * value`)."""
    try:
        return conversions.affine(old) == conversions.affine(new)
    except conversions.NotAffine:
        return False


def _items_phrase(items: list[str]) -> str:
    names = [k.split(" ", 1)[1] for k in items]
    if not names:
        return " (applies to no item)"
    return f" (applies to {', '.join(names)})"


# ---------------------------------------------------------------- a log's none question


def none_question(d: Differ, o: m.Form, n: m.Form, qualified: str, target: str) -> None:
    """The `none_recorded_by` question of a log (one of the form pair's attributes)."""
    old_ref, new_ref = o.none_recorded_by, n.none_recorded_by
    if old_ref == new_ref:
        return
    if old_ref is None:
        assert new_ref is not None  # the two differ
        direction = "added"
        summary = (
            f"none question {new_ref.dotted} added: an empty log now means none when it is "
            "answered no (it was not recorded, unknown)"
        )
    elif new_ref is None:
        direction = "removed"
        summary = (
            f"none question {old_ref.dotted} removed: an empty log is now not recorded "
            "(unknown) whatever the answer (it meant none when answered no)"
        )
    else:
        direction = "changed"
        summary = (
            f"none question {old_ref.dotted} → {new_ref.dotted}: another answer decides "
            "whether an empty log means none"
        )
    d.emit_dependency(
        "LOG_NONE_QUESTION_CHANGED",
        direction,
        key("form", qualified),
        target,
        summary,
        unknown_effect=LOG_EFFECT,
        old=old_ref.dotted if old_ref is not None else None,
        new=new_ref.dotted if new_ref is not None else None,
        old_node=old_ref if old_ref is not None else o,
        new_node=new_ref if new_ref is not None else n,
        keys=(n.name,),
    )


# ---------------------------------------------------------------- a mapping's complete logs


def without_completeness(mapping: m.Mapping) -> m.Mapping:
    """The mapping's rules alone (its `complete` lines are compared by `completeness`)."""
    # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
    return attrs.evolve(mapping, complete=())  # type: ignore[misc]


def completeness(
    d: Differ,
    o: m.Mapping | None,
    n: m.Mapping | None,
    target: str,
    old: Spec,
    new: Spec,
) -> None:
    """`complete LOG for DOMAIN` lines, paired by log, of a mapping in either version."""
    old_lines = {c.form.dotted: c for c in (o.complete if o is not None else ())}
    new_lines = {c.form.dotted: c for c in (n.complete if n is not None else ())}
    for log, oc, nc in match(old_lines, new_lines):
        if oc is not None and nc is not None and oc.domain == nc.domain:
            continue
        if oc is None:
            assert nc is not None
            direction = "added"
            summary = (
                f"log {log} declared complete for {nc.domain}: a subject of {nc.domain} "
                "without records now has none (was not recorded, unknown)"
            )
        elif nc is None:
            direction = "removed"
            summary = (
                f"log {log} no longer declared complete for {oc.domain}: a subject without "
                "records is now not recorded, unknown (had none)"
            )
        else:
            direction = "changed"
            summary = (
                f"log {log} complete for {oc.domain} → {nc.domain}: the subjects whose "
                "empty log means none change"
            )
        dependencies = [
            found
            for found in (_log_key(d.old_deps, old, oc), _log_key(d.new_deps, new, nc))
            if found is not None
        ]
        d.emit_dependency(
            "LOG_COMPLETENESS_CHANGED",
            direction,
            list(dict.fromkeys(dependencies)),
            f"{target}, complete {log}",
            summary,
            unknown_effect=LOG_EFFECT,
            old=f"{log} for {oc.domain}" if oc is not None else None,
            new=f"{log} for {nc.domain}" if nc is not None else None,
            old_node=oc,
            new_node=nc,
            keys=(log, (n or o).name),  # type: ignore[union-attr]
        )


def _log_key(deps: Dependencies, spec: Spec, line: m.MapComplete | None) -> str | None:
    """The dependency key of the log a `complete` line of `spec` names (`deps`: its version)."""
    if line is None:
        return None
    symbol = spec.resolve(line.form.parts, Scope(spec))
    if symbol is None:
        return None
    return deps.symbol_key(symbol)
