"""The trial header in the diff: title, identifiers, phase, design, population, sample size.

Each header key has its rule: the title is administrative, the age range and
the population widen or narrow eligibility, the enrolment is the sample
size, the design keys (allocation, masking, …) change the design.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from generators.diff.directions import (
    age_direction,
    field_magnitude,
    population_direction,
    ranked,
)
from generators.diff.matching import fields_by_key, match
from generators.diff.phrases import (
    field_text,
    field_words,
    reworded,
)
from protocol_dsl import model as m

if TYPE_CHECKING:
    from generators.diff.recorder import Differ


_TITLE_KEYS = ("title", "short_title", "acronym")


_IDENTIFIER_KEYS = ("registry", "sponsor_protocol_id")


_VERSION_KEYS = ("version", "version_date")


_DESIGN_KEYS = (
    "study_type",
    "allocation",
    "model",
    "masking",
    "purpose",
    "control",
    "comparator",
    "add_on",
    "trial_type",
)


_CONDITION_KEYS = ("condition", "indication", "indication_type", "diagnosis_group")


_POPULATION_KEYS = ("sex", "healthy_volunteers", "age_group")


def header(d: Differ) -> None:
    old_trial, new_trial = d.old.trial, d.new.trial
    old_fields = fields_by_key(old_trial.fields if old_trial else ())
    new_fields = fields_by_key(new_trial.fields if new_trial else ())
    for field_key, olds, news in match(old_fields, new_fields):
        olds, news = olds or (), news or ()
        old_text = [field_text(f) for f in olds]
        new_text = [field_text(f) for f in news]
        old_node = olds[0] if olds else None
        new_node = news[0] if news else None
        keys = (field_key,)
        target = field_key.replace("_", " ")
        if old_text != new_text:
            header_field(d, field_key, olds, news, target, old_node, new_node, keys)
        old_marks = tuple(mk for f in olds for mk in f.marks)
        new_marks = tuple(mk for f in news for mk in f.marks)
        if old_marks != new_marks:
            d.emit_marks(target, old_marks, new_marks, old_node, new_node, keys)
    if old_trial is not None and new_trial is not None and old_trial.name != new_trial.name:
        d.emit(
            "IDENTIFIER_CHANGED",
            "changed",
            "trial name",
            f"trial name {old_trial.name} → {new_trial.name}",
            old=old_trial.name,
            new=new_trial.name,
            old_node=old_trial,
            new_node=new_trial,
            keys=(new_trial.name,),
        )


def header_field(
    d: Differ,
    field_key: str,
    olds: Sequence[m.Field],
    news: Sequence[m.Field],
    target: str,
    old_node: m.Field | None,
    new_node: m.Field | None,
    keys: Sequence[str],
) -> None:
    old_words = "; ".join(field_words(f) for f in olds) or None
    new_words = "; ".join(field_words(f) for f in news) or None
    presence = "added" if not olds else "removed" if not news else "changed"
    fields = {
        "old": old_words,
        "new": new_words,
        "old_node": old_node,
        "new_node": new_node,
        "keys": keys,
    }
    change = f"{old_words or '(none)'} → {new_words or '(none)'}"
    if field_key in _TITLE_KEYS:
        d.emit(
            "TITLE_CHANGED",
            "reworded",
            target,
            f"reworded: {reworded(old_words, new_words)}",
            **fields,
        )
    elif field_key in _IDENTIFIER_KEYS:
        d.emit("IDENTIFIER_CHANGED", presence, target, change, **fields)
    elif field_key == "sponsor":
        d.emit("SPONSOR_CHANGED", "changed", target, change, **fields)
    elif field_key in _VERSION_KEYS:
        d.emit("VERSION_CHANGED", presence, target, change, **fields)
    elif field_key == "status":
        d.emit("STATUS_CHANGED", "changed", target, change, **fields)
    elif field_key == "phase":
        d.emit("PHASE_CHANGED", "changed", target, change, **fields)
    elif field_key in _DESIGN_KEYS:
        d.emit("DESIGN_CHANGED", presence, target, change, **fields)
    elif field_key in _CONDITION_KEYS:
        d.emit("CONDITION_CHANGED", presence, target, change, **fields)
    elif field_key == "enrolment":
        direction = ranked(field_magnitude(olds), field_magnitude(news), presence)
        d.emit("SAMPLE_SIZE_CHANGED", direction, target, change, **fields)
    elif field_key in ("minimum_age", "maximum_age"):
        order = ranked(field_magnitude(olds), field_magnitude(news), presence)
        direction = age_direction(field_key, order)
        summary = f"{change} (age range {direction})" if direction != "changed" else change
        d.emit("AGE_RANGE_CHANGED", direction, target, summary, **fields)
    elif field_key in _POPULATION_KEYS:
        direction = population_direction(field_key, olds, news)
        summary = f"{change} (population {direction})" if direction != "changed" else change
        d.emit("POPULATION_CHANGED", direction, target, summary, **fields)
    elif field_key == "eligibility_visit":
        d.emit("ELIGIBILITY_VISIT_CHANGED", presence, target, change, **fields)
    elif field_key == "length":
        order = ranked(field_magnitude(olds), field_magnitude(news), presence)
        direction = {"raised": "lengthened", "lowered": "shortened"}.get(order, "changed")
        d.emit("TRIAL_DURATION_CHANGED", direction, target, change, **fields)
    else:
        d.emit("HEADER_FIELD_CHANGED", presence, target, change, **fields)
