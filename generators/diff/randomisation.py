"""Randomisation and blinding in the diff: ratio, method, stratification, roles, unblinding.

Written by hand, because what matters is not where in the model a value sits:
the ratio is compared as arm weights (a reordering is no change), the method
without its notes, the stratification factors by name (one change per factor
added, removed or with other strata, its strata compared by name, label and
rule), the blinded roles as a set (the lines they are written on are layout),
the unblinding rules as texts.  Notes and provisional marks of every part are
annotations.  The tables below say which fields this code owns: a field added
to one of these classes fails there until it is compared here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.diff.walk import Table
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer

if TYPE_CHECKING:
    from generators.diff.recorder import Differ

RANDOMISATION = Table(
    m.Randomisation, (), identity=(), by_hand=("ratio", "ratio_marks", "method", "factors")
)
RATIO_ENTRY = Table(m.RatioEntry, (), identity=("arm",), by_hand=("weight",))
METHOD = Table(
    m.AllocationMethod,
    (),
    identity=(),
    by_hand=("kind", "block_sizes", "factors", "probability", "measure"),
)
FACTOR = Table(m.StratificationFactor, (), by_hand=("label", "strata"))
STRATUM = Table(m.Stratum, (), by_hand=("label", "rule"))
MASKING = Table(m.Masking, (), identity=(), by_hand=("blinded", "unblinding"))
MASKED_ROLES = Table(m.MaskedRoles, (), identity=(), by_hand=("roles",))
UNBLINDING = Table(m.Unblinding, (), identity=(), by_hand=("text",))


def _ratio_words(randomisation: m.Randomisation) -> str:
    return ", ".join(f"{e.arm} {m.format_decimal(e.weight)}" for e in randomisation.ratio)


def _method_words(method: m.AllocationMethod | None) -> str:
    if method is None:
        return "(none)"
    words = allocation.METHOD_WORDS.get(method.kind, method.kind)
    if method.block_sizes:
        words += " of " + ", ".join(m.format_decimal(s) for s in method.block_sizes)
    if method.kind == "minimisation":
        probability = m.format_decimal(method.probability) if method.probability else "1"
        measure = method.measure or allocation.DEFAULT_MEASURE
        words += f" over {', '.join(method.factors)}, probability {probability}, {measure}"
    return words


def _method_key(method: m.AllocationMethod | None) -> tuple | None:
    if method is None:
        return None
    return (method.kind, method.block_sizes, method.factors, method.probability, method.measure)


def _strata_words(factor: m.StratificationFactor) -> str:
    return "; ".join(f"{s.name} = {printer.expr(s.rule)}" for s in factor.strata)


def _strata_key(factor: m.StratificationFactor) -> tuple:
    return (factor.label, tuple((s.name, s.label, s.rule) for s in factor.strata))


def randomisation(d: Differ, old: Spec, new: Spec) -> None:
    o, n = old.randomisation, new.randomisation
    target = "randomisation"
    if o is None and n is None:
        return
    if o is None or n is None:
        present = n if o is None else o
        assert present is not None
        words = f"{_ratio_words(present)}; {_method_words(present.method)}"
        d.emit(
            "RANDOMISATION_CHANGED",
            "added" if o is None else "removed",
            target,
            f"randomisation {'added' if o is None else 'removed'} ({words})",
            old=None if o is None else words,
            new=words if o is None else None,
            old_node=o,
            new_node=n,
            keys=(target,),
        )
        return
    if {e.arm: e.weight for e in o.ratio} != {e.arm: e.weight for e in n.ratio}:
        d.emit(
            "RANDOMISATION_CHANGED",
            "changed",
            "allocation ratio",
            f"allocation ratio {_ratio_words(o) or '(none)'} → {_ratio_words(n) or '(none)'}",
            old=_ratio_words(o),
            new=_ratio_words(n),
            old_node=o,
            new_node=n,
            keys=(target, "ratio"),
        )
    if o.ratio_marks != n.ratio_marks:
        d.emit_marks("allocation ratio", o.ratio_marks, n.ratio_marks, o, n, (target, "ratio"))
    if _method_key(o.method) != _method_key(n.method):
        d.emit(
            "RANDOMISATION_CHANGED",
            "changed",
            "allocation method",
            f"allocation method {_method_words(o.method)} → {_method_words(n.method)}",
            old=_method_words(o.method),
            new=_method_words(n.method),
            old_node=o.method or o,
            new_node=n.method or n,
            keys=(target, "method"),
        )
    old_method_marks = o.method.marks if o.method else ()
    new_method_marks = n.method.marks if n.method else ()
    if old_method_marks != new_method_marks:
        d.emit_marks(
            "allocation method", old_method_marks, new_method_marks, o, n, (target, "method")
        )
    _factors(d, o, n)
    d.annotations(target, o, n, (target,))


def _factors(d: Differ, o: m.Randomisation, n: m.Randomisation) -> None:
    olds = {f.name: f for f in o.factors}
    news = {f.name: f for f in n.factors}
    for name in [*olds, *(k for k in news if k not in olds)]:
        of, nf = olds.get(name), news.get(name)
        target = f"stratification factor {name}"
        if of is None or nf is None:
            present = nf if of is None else of
            assert present is not None
            d.emit(
                "STRATIFICATION_CHANGED",
                "added" if of is None else "removed",
                target,
                f"stratification by {name} {'added' if of is None else 'removed'} "
                f"({_strata_words(present)})",
                old=None if of is None else _strata_words(present),
                new=_strata_words(present) if of is None else None,
                old_node=of,
                new_node=nf,
                keys=(name,),
            )
            continue
        if _strata_key(of) != _strata_key(nf):
            d.emit(
                "STRATIFICATION_CHANGED",
                "changed",
                target,
                f"strata {_strata_words(of)} → {_strata_words(nf)}",
                old=_strata_words(of),
                new=_strata_words(nf),
                old_node=of,
                new_node=nf,
                keys=(name,),
            )
        d.annotations(target, of, nf, (name,))
        old_strata = {s.name: s for s in of.strata}
        for stratum in nf.strata:
            before = old_strata.get(stratum.name)
            if before is not None and before.marks != stratum.marks:
                d.emit_marks(
                    f"stratum {name}.{stratum.name}",
                    before.marks,
                    stratum.marks,
                    before,
                    stratum,
                    (name, stratum.name),
                )


def masking(d: Differ, old: Spec, new: Spec) -> None:
    o, n = old.masking, new.masking
    target = "masking"
    if o is None and n is None:
        return
    if o is None or n is None:
        present = n if o is None else o
        assert present is not None
        words = ", ".join(present.roles) or "no role"
        d.emit(
            "MASKING_CHANGED",
            "added" if o is None else "removed",
            target,
            f"masking {'added' if o is None else 'removed'} (blinded: {words})",
            old=None if o is None else words,
            new=words if o is None else None,
            old_node=o,
            new_node=n,
            keys=(target,),
        )
        return
    if set(o.roles) != set(n.roles):
        old_words = ", ".join(o.roles) or "no role"
        new_words = ", ".join(n.roles) or "no role"
        d.emit(
            "MASKING_CHANGED",
            "changed",
            "roles blinded",
            f"blinded {old_words} → {new_words}",
            old=old_words,
            new=new_words,
            old_node=o,
            new_node=n,
            keys=(target, "blinded"),
        )
    old_texts = [u.text for u in o.unblinding]
    new_texts = [u.text for u in n.unblinding]
    if old_texts != new_texts:
        direction = "added" if not old_texts else "removed" if not new_texts else "changed"
        d.emit(
            "UNBLINDING_CHANGED",
            direction,
            "unblinding",
            f"unblinding {'; '.join(old_texts) or '(none)'} → {'; '.join(new_texts) or '(none)'}",
            old="; ".join(old_texts) or None,
            new="; ".join(new_texts) or None,
            old_node=o,
            new_node=n,
            keys=(target, "unblinding"),
        )
    d.annotations(target, o, n, (target,))
    for before, after in zip(o.blinded, n.blinded, strict=False):
        if before.roles == after.roles and before.marks != after.marks:
            d.emit_marks("roles blinded", before.marks, after.marks, before, after, (target,))
    for before_u, after_u in zip(o.unblinding, n.unblinding, strict=False):
        if before_u.text == after_u.text and before_u.marks != after_u.marks:
            d.emit_marks("unblinding", before_u.marks, after_u.marks, before_u, after_u, (target,))
