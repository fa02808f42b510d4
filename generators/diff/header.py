"""The trial header in the diff: title, identifiers, phase, design, population, sample size.

Each header key has its rule: the title is administrative, the age range and
the population widen or narrow eligibility, the enrolment is the sample
size, the design keys (allocation, masking, …) change the design.  Every key
is a row of `HEADER_RULES`, compared by the generic `walk.keyed_fields`; the
trial's name, the one thing of the header that is not a `key value` field,
is compared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from generators.diff.directions import (
    age_direction,
    field_magnitude,
    population_direction,
    ranked,
)
from generators.diff.phrases import field_text, reworded
from generators.diff.walk import FieldPair, KeyRule, keyed_fields

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


def _membership(pair: FieldPair) -> str:
    """A repeatable field whose values were only added to (a new site) or only taken from."""
    olds = {field_text(f) for f in pair.olds}
    news = {field_text(f) for f in pair.news}
    if olds < news:
        return "added"
    if news < olds:
        return "removed"
    return pair.presence


def header(d: Differ) -> None:
    old_trial, new_trial = d.old.trial, d.new.trial
    keyed_fields(
        d,
        old_trial.fields if old_trial else (),
        new_trial.fields if new_trial else (),
        HEADER_RULES,
        KeyRule("HEADER_FIELD_CHANGED"),
        target=lambda field_key: field_key.replace("_", " "),
        keys=lambda field_key: (field_key,),
    )
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


def _order(fields: FieldPair) -> str:
    return ranked(field_magnitude(fields.olds), field_magnitude(fields.news), fields.presence)


def _title(fields: FieldPair, direction: str) -> str:
    return f"reworded: {reworded(fields.old_words, fields.new_words)}"


def _age(fields: FieldPair) -> str:
    return age_direction(fields.key, _order(fields))


def _population(fields: FieldPair) -> str:
    return population_direction(fields.key, fields.olds, fields.news)


def _length(fields: FieldPair) -> str:
    return {"raised": "lengthened", "lowered": "shortened"}.get(_order(fields), "changed")


def _with(what: str) -> Callable[[FieldPair, str], str]:
    """The change, with the direction it gives `what` when there is one."""

    def summary(fields: FieldPair, direction: str) -> str:
        if direction == "changed":
            return fields.change
        return f"{fields.change} ({what} {direction})"

    return summary


def _rules(rule: KeyRule, *field_keys: str) -> dict[str, KeyRule]:
    return dict.fromkeys(field_keys, rule)


#: Each header key's rule; any other key is a `HEADER_FIELD_CHANGED`.
HEADER_RULES: dict[str, KeyRule] = {
    **_rules(KeyRule("TITLE_CHANGED", "reworded", _title), *_TITLE_KEYS),
    **_rules(KeyRule("IDENTIFIER_CHANGED"), *_IDENTIFIER_KEYS),
    "sponsor": KeyRule("SPONSOR_CHANGED", "changed"),
    **_rules(KeyRule("VERSION_CHANGED"), *_VERSION_KEYS),
    "status": KeyRule("STATUS_CHANGED", "changed"),
    "phase": KeyRule("PHASE_CHANGED", "changed"),
    **_rules(KeyRule("DESIGN_CHANGED"), *_DESIGN_KEYS),
    **_rules(KeyRule("CONDITION_CHANGED"), *_CONDITION_KEYS),
    "enrolment": KeyRule("SAMPLE_SIZE_CHANGED", _order),
    **_rules(KeyRule("AGE_RANGE_CHANGED", _age, _with("age range")), "minimum_age", "maximum_age"),
    **_rules(KeyRule("POPULATION_CHANGED", _population, _with("population")), *_POPULATION_KEYS),
    "eligibility_visit": KeyRule("ELIGIBILITY_VISIT_CHANGED"),
    "length": KeyRule("TRIAL_DURATION_CHANGED", _length),
    "site": KeyRule("SITE_CHANGED", _membership),
    "contact": KeyRule("CONTACT_CHANGED", _membership),
}
