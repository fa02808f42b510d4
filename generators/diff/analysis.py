"""Analysis sets, subgroups and the statistics section in the diff.

Analysis sets and subgroups are declarations matched by name (one `Kind`,
compared by the `POPULATION` table).  The statistics section has no name:
its sample-size calculations are matched by method and label, and a changed
calculation is ranked by the total it implies (recomputed from both
versions' assumptions, with each version's arms), which is the part written
by hand; the analysis summaries are compared as one text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.diff.matching import match
from generators.diff.phrases import field_words, quoted, reworded, rule_words
from generators.diff.walk import (
    Kind,
    Pair,
    Row,
    Table,
    added_label,
    declarations,
    old_to_new,
    relabelled,
    removed_label,
    rows,
)
from protocol_dsl import model as m
from protocol_dsl.checks.sample_size import recompute
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from generators.diff.recorder import Differ


def _rule_words(population: m.Population, spec: Spec) -> str:
    return rule_words(population.rule, spec)


def _codes_words(population: m.Population, spec: Spec) -> str:
    return ", ".join(f"{c.system} {c.value}" for c in population.codes) or "(none)"


POPULATION = Table(
    m.Population,
    (
        Row(("kind",), "ANALYSIS_SET_CHANGED", summary=old_to_new(lambda p, s: p.kind)),
        Row(
            ("rule",),
            "ANALYSIS_SET_CHANGED",
            summary=lambda pair, direction, names: "rule changed",
            show=_rule_words,
        ),
        Row(("label",), "ANALYSIS_SET_CHANGED", "reworded", relabelled),
        Row(("codes",), "ANALYSIS_SET_CHANGED", summary=old_to_new(_codes_words, "codes")),
    ),
)

POPULATIONS = Kind[m.Population](
    "analysis set {}",
    "ANALYSIS_SET_ADDED",
    "ANALYSIS_SET_REMOVED",
    added_label,
    removed_label,
    "ANALYSIS_SET_CHANGED",
    POPULATION,
    show=_rule_words,
)


def populations(d: Differ, old: Spec, new: Spec) -> None:
    declarations(d, POPULATIONS, old.populations, new.populations, old, new)


def assumptions_words(sample_size: m.SampleSize, spec: Spec) -> str:
    """ "alpha 0.05, power 0.9, …; n = 297" (the recomputed total when the assumptions are valid)."""
    words = ", ".join(f"{f.key} {field_words(f)}" for f in sample_size.parameters)
    result = recompute(spec, sample_size)
    if result is not None:
        words += f"; {result.total} in total"
    return words


def _key(sample_size: m.SampleSize) -> str:
    return (
        f"{sample_size.method} {quoted(sample_size.label)}"
        if sample_size.label
        else (sample_size.method)
    )


def _direction(pair: Pair[m.SampleSize]) -> str:
    before = recompute(pair.old_spec, pair.old)
    after = recompute(pair.new_spec, pair.new)
    if before is None or after is None or before.total == after.total:
        return "changed"
    return "raised" if after.total > before.total else "lowered"


SAMPLE_SIZE = Table(
    m.SampleSize,
    (
        Row(
            ("parameters",),
            "SAMPLE_SIZE_ASSUMPTIONS_CHANGED",
            _direction,
            old_to_new(assumptions_words, "assumptions", "ranked"),
            assumptions_words,
        ),
    ),
    identity=("method", "label"),
)


def statistics(d: Differ, old: Spec, new: Spec) -> None:
    before = old.statistics or m.Statistics(span=m.Span.unknown())
    after = new.statistics or m.Statistics(span=m.Span.unknown())
    olds = {_key(s): s for s in before.sample_sizes}
    news = {_key(s): s for s in after.sample_sizes}
    for name, o, n in match(olds, news):
        target = f"sample size {name}"
        if o is None or n is None:
            present = n if o is None else o
            assert present is not None
            which = "added" if o is None else "removed"
            shown = assumptions_words(present, new if o is None else old)
            d.emit(
                f"SAMPLE_SIZE_ASSUMPTIONS_{which.upper()}",
                which,
                target,
                f"sample-size calculation {which} ({present.method.replace('_', ' ')})",
                old=None if o is None else shown,
                new=shown if o is None else None,
                old_node=o,
                new_node=n,
                keys=("statistics",),
            )
            continue
        pair = Pair(o, n, old, new, target, name, ("statistics",))
        with d.guard("SAMPLE_SIZE_ASSUMPTIONS_CHANGED", target, o, n):
            rows(d, SAMPLE_SIZE, pair)
            d.annotations(target, o, n, ("statistics",))
    if before.analyses != after.analyses:
        old_text, new_text = "\n".join(before.analyses), "\n".join(after.analyses)
        direction = "added" if not old_text else "removed" if not new_text else "reworded"
        d.emit(
            "STATISTICAL_ANALYSIS_CHANGED",
            direction,
            "statistics",
            f"statistical analysis {direction}: {reworded(old_text or None, new_text or None)}",
            old=old_text or None,
            new=new_text or None,
            old_node=old.statistics,
            new_node=new.statistics,
            keys=("statistics",),
        )
    d.annotations("statistics", before, after, ("statistics",))
