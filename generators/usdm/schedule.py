"""Encounters, activities and the main schedule timeline.

Every visit of the spec's time line (`Spec.visit_order`: the declared visits and
those cycles and repeats yield) is an Encounter and one ScheduledActivityInstance
of the main timeline, in schedule order, listing the activities done there:
the spec's activities and its forms (a form is the activity of collecting
it).  A visit planned on a study day is timed from the reference visit (the
one on day 1, else the first planned one): `Before`/`After` it by the days
between them (there is no day 0), with the visit window as the timing's
window.  A visit with no planned day (unscheduled, early termination, one
relative to an event) has an instance but no timing.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from generators.usdm import extensions, terms
from generators.usdm.concepts import CODE_SYSTEMS, Concepts
from generators.usdm.design import Design, chain, quantity, transition
from generators.usdm.ids import Instances, Json
from protocol_dsl import durations
from protocol_dsl import model as m
from protocol_dsl.schedule.exposure import exposure_form
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer
from protocol_dsl.syntax.formatter import format_module


class Schedule:
    def __init__(self) -> None:
        self.encounters: list[Json] = []
        self.activities: list[Json] = []
        #: the main timeline (the visits of the epochs), then one of the visits outside them
        self.timelines: list[Json] = []
        #: activity ids by the spec's name of the activity or form
        self.activity_ids: dict[str, str] = {}


def build(spec: Spec, ids: Instances, design: Design, concepts: Concepts) -> Schedule:
    made = Schedule()
    visits = list(spec.visit_order)
    # A visit outside the epochs (unscheduled, early termination, one that follows an
    # event) is no encounter of the design's chain, which must be the main timeline's
    # order (CDISC rule DDF00087): as in CDISC's examples, it is the one instance of a
    # timeline of its own, anchored on itself.
    in_epochs = _in_order(spec, [v for v in visits if v.epoch in design.epochs])
    outside = [v for v in visits if v.epoch not in design.epochs]
    encounter_ids: dict[str, str] = {}
    series_written: set[str] = set()
    for visit in in_epochs:
        made.encounters.append(
            ids.make(
                "Encounter",
                {
                    "name": visit.name,
                    "label": visit.label,
                    "description": visit.condition or visit.label,
                    "type": ids.code(terms.VISIT),
                    "previousId": None,
                    "nextId": None,
                    "scheduledAtId": None,
                    "environmentalSettings": [],
                    "contactModes": [],
                    "transitionStartRule": transition(ids, "ENCOUNTER_START", visit.start_rule),
                    "transitionEndRule": transition(ids, "ENCOUNTER_END", visit.end_rule),
                    "notes": [],
                },
                _encounter_extensions(spec, ids, visit, series_written),
            )
        )
        encounter_ids[visit.name] = made.encounters[-1]["id"]
    chain(made.encounters)

    at_visit: dict[str, list[str]] = {v.name: [] for v in visits}
    for activity in spec.activities.values():
        _activity(ids, made, concepts, activity.name, activity.label, activity.condition, [])
        for name in activity.visits:
            at_visit.get(name, []).append(made.activity_ids[activity.name])
    for use in spec.form_uses:
        _activity(
            ids, made, concepts, use.key, use.form.label, None, concepts.by_form.get(use.key, [])
        )
        for name in use.visits:
            at_visit.get(name, []).append(made.activity_ids[use.key])
    _administrations(spec, ids, design, made)
    chain(made.activities)
    made.timelines = [
        _timeline(spec, ids, design, in_epochs, encounter_ids, at_visit, made, main=True)
    ]
    for visit in outside:
        made.timelines.append(
            _timeline(spec, ids, design, [visit], encounter_ids, at_visit, made, main=False)
        )
    return made


def _activity(
    ids: Instances,
    made: Schedule,
    concepts: Concepts,
    name: str,
    label: str | None,
    condition: str | None,
    concept_ids: list[str],
) -> None:
    surrogates = [] if concept_ids else [concepts.surrogate(ids, name, label or name)]
    made.activities.append(
        ids.make(
            "Activity",
            {
                "name": name,
                "label": label,
                "description": condition,
                "previousId": None,
                "nextId": None,
                "childIds": [],
                "definedProcedures": [],
                "biomedicalConceptIds": concept_ids,
                "bcCategoryIds": [],
                "bcSurrogateIds": surrogates,
                "timelineId": None,
                "notes": [],
            },
        )
    )
    made.activity_ids[name] = made.activities[-1]["id"]


#: SNOMED CT's procedure "Administration of drug or medicament"
ADMINISTRATION = terms.Term("18629005", "Administration of drug or medicament")


def _administrations(spec: Spec, ids: Instances, design: Design, made: Schedule) -> None:
    """The exposure form (where the doses given are recorded) documents the administration
    of every study intervention: its activity holds a Procedure for each."""
    exposure = exposure_form(spec)
    activity_id = made.activity_ids.get(exposure.use.key) if exposure is not None else None
    activity = next((a for a in made.activities if a["id"] == activity_id), None)
    if activity is None:
        return
    for intervention in spec.interventions.values():
        if intervention.name not in design.interventions:
            continue
        label = intervention.label or intervention.name
        activity["definedProcedures"].append(
            ids.make(
                "Procedure",
                {
                    "name": f"ADMINISTER_{intervention.name}",
                    "label": f"Administration of {label}",
                    "description": f"Administration of {label}, recorded on the exposure form",
                    "procedureType": "Study intervention administration",
                    "code": ids.code(ADMINISTRATION, CODE_SYSTEMS["SNOMED"], "unspecified"),
                    "studyInterventionId": design.interventions[intervention.name],
                    "notes": [],
                },
            )
        )


def _reference(visits: list[m.Visit]) -> m.Visit | None:
    """The visit the others are timed from: the one on day 1, else the first planned one."""
    planned = [v for v in visits if v.day is not None]
    on_day_one = [v for v in planned if v.day == 1]
    chosen = on_day_one or planned
    return chosen[0] if chosen else None


def _days(count: int) -> str:
    return f"P{count}D"


def _timeline(
    spec: Spec,
    ids: Instances,
    design: Design,
    visits: list[m.Visit],
    encounter_ids: dict[str, str],
    at_visit: dict[str, list[str]],
    made: Schedule,
    *,
    main: bool,
) -> Json:
    timeline_id = ids.next_id("ScheduleTimeline")
    exit_ = ids.make("ScheduleTimelineExit", {})
    instances = [
        ids.make(
            "ScheduledActivityInstance",
            {
                "name": visit.name,
                "label": visit.label,
                "description": visit.label,
                "defaultConditionId": None,
                "epochId": design.epochs.get(visit.epoch or ""),
                "timelineId": None,
                "timelineExitId": None,
                "activityIds": at_visit[visit.name],
                "encounterId": encounter_ids.get(visit.name),
            },
            None if main else _outside_extensions(ids, visit),
        )
        for visit in visits
    ]
    for before, after in itertools.pairwise(instances):
        before["defaultConditionId"] = after["id"]
    if instances:
        instances[-1]["timelineExitId"] = exit_["id"]
    by_name = {visit.name: instance for visit, instance in zip(visits, instances, strict=True)}
    reference = _reference(visits)
    timings = []
    if not main:
        timings.append(_own_anchor(ids, visits[0], by_name[visits[0].name]))
    elif reference is not None and reference.day is not None:
        for visit in visits:
            if visit.day is None:
                continue
            timing = _timing(ids, visit, reference.day, by_name, by_name[reference.name])
            timings.append(timing)
            encounter = next(e for e in made.encounters if e["id"] == encounter_ids[visit.name])
            encounter["scheduledAtId"] = timing["id"]
    if main:
        name, description = "Main Timeline", "The planned visits of the epochs, in schedule order"
        entry = _entry(visits)
    else:
        visit = visits[0]
        name = f"{visit.label or visit.name} Timeline"
        description = f"The visit {visit.name}, outside the epochs of the schedule"
        entry = visit.condition or _kind_of_visit(visit)
    anchors = [a for a in spec.anchors.values() if a.visit is not None]
    return {
        "id": timeline_id,
        "extensionAttributes": [
            ids.text_extension(
                extensions.ANCHORS,
                format_module(m.Module(spec.path, tuple(anchors), span=anchors[0].span)),
            )
        ]
        if main and anchors
        else [],
        "name": name,
        "label": name,
        "description": description,
        "mainTimeline": main,
        "entryCondition": entry,
        "entryId": instances[0]["id"] if instances else "",
        "exits": [exit_],
        "timings": timings,
        "instances": instances,
        "plannedDuration": _planned_duration(spec, ids, visits) if main else None,
        "instanceType": "ScheduleTimeline",
    }


def _in_order(spec: Spec, visits: list[m.Visit]) -> list[m.Visit]:
    """The visits in schedule order, a visit with no planned day where it is written.

    Planned visits follow their days; one with no day of its own (timed from an
    event, or not yet given a day) comes right after the visit written before it.
    """
    names = {v.name for v in visits}
    ordered = [v for v in visits if v.day is not None]
    written = [v for v in spec.timeline.written if v.name in names]
    for position, visit in enumerate(written):
        if visit.day is not None or visit in ordered:
            continue
        before = next((w for w in reversed(written[:position]) if w in ordered), None)
        ordered.insert(ordered.index(before) + 1 if before is not None else 0, visit)
    return ordered


def _encounter_extensions(
    spec: Spec, ids: Instances, visit: m.Visit, written: set[str]
) -> list[Json] | None:
    found = _series_extension(spec, ids, visit, written) or []
    if visit.after is not None and visit.series is None:
        found.append(ids.text_extension(extensions.VISIT_AFTER, printer.position(visit.after)))
    return found or None


def _series_extension(
    spec: Spec, ids: Instances, visit: m.Visit, written: set[str]
) -> list[Json] | None:
    """On a visit a cycle or repeat yields, the series' name; on the first one, also the
    series' declaration in the spec's syntax, so the import can declare it again."""
    if visit.series is None:
        return None
    found = [ids.text_extension(extensions.SERIES, visit.series)]
    series = spec.timeline.series_named(visit.series)
    if visit.series not in written and series is not None:
        written.add(visit.series)
        module = m.Module(spec.path, (series.decl,), span=series.decl.span)
        found.append(ids.text_extension(extensions.SERIES_DECLARATION, format_module(module)))
    return found


def _outside_extensions(ids: Instances, visit: m.Visit) -> list[Json]:
    found = [ids.text_extension(extensions.VISIT, _visit_clauses(visit))]
    if visit.condition is not None:
        found.append(ids.text_extension(extensions.VISIT_CONDITION, visit.condition))
    return found


def _visit_clauses(visit: m.Visit) -> str:
    """What the spec says of a visit outside the epochs, in its own syntax (for the import)."""
    clauses = []
    if visit.day is not None:
        clauses.append(f"day {visit.day}")
    if visit.number is not None:
        clauses.append(f"number {m.format_decimal(visit.number)}")
    if visit.unscheduled:
        clauses.append("unscheduled")
    if visit.early_termination:
        clauses.append("early_termination")
    return " ".join(clauses)


def _kind_of_visit(visit: m.Visit) -> str:
    if visit.early_termination:
        return "The subject ends the study early"
    if visit.unscheduled:
        return "An unscheduled visit is needed"
    if visit.day is not None:
        return f"Planned on day {visit.day}, outside the epochs"
    return "The event the visit follows occurs"


def _own_anchor(ids: Instances, visit: m.Visit, instance: Json) -> Json:
    return ids.make(
        "Timing",
        {
            "name": f"TIM_{visit.name}",
            "label": visit.label or visit.name,
            "description": "The visit is the anchor of its own timeline",
            "type": ids.code(terms.FIXED_REFERENCE),
            "value": "P1D",
            "valueLabel": "When the visit occurs",
            "relativeToFrom": ids.code(terms.START_TO_START),
            "relativeFromScheduledInstanceId": instance["id"],
            "relativeToScheduledInstanceId": instance["id"],
            "windowLower": None,
            "windowUpper": None,
            "windowLabel": None,
        },
    )


def _entry(visits: list[m.Visit]) -> str:
    if not visits:
        return "Entry into the study"
    return f"Entry into the study at the first visit: {visits[0].label or visits[0].name}"


def _planned_duration(spec: Spec, ids: Instances, visits: list[m.Visit]) -> Json | None:
    """The trial's `length`; without one, the days from the first planned visit to the last."""
    length = spec.trial_field("length")
    planned = length.value.value if length is not None else None
    if isinstance(planned, m.Quantity):
        return _duration(ids, planned)
    days = [v.day_end or v.day for v in visits if v.day is not None]
    firsts = [v.day for v in visits if v.day is not None]
    if not days or not firsts:
        return None
    span = durations.ordinal(max(d for d in days if d is not None)) - durations.ordinal(min(firsts))
    return _duration(ids, m.Quantity(Decimal(span + 1), "days"))


def _duration(ids: Instances, length: m.Quantity) -> Json:
    return ids.make(
        "Duration",
        {
            "text": str(length),
            "quantity": quantity(ids, length),
            "durationWillVary": False,
            "reasonDurationWillVary": None,
        },
    )


def _timing(
    ids: Instances,
    visit: m.Visit,
    reference_day: int,
    by_name: dict[str, Json],
    reference: Json,
) -> Json:
    assert visit.day is not None
    offset = durations.ordinal(visit.day) - durations.ordinal(reference_day)
    if offset == 0 and by_name[visit.name] is reference:
        kind, label = terms.FIXED_REFERENCE, f"Day {visit.day}"
    elif offset < 0:
        kind, label = terms.BEFORE, f"{-offset} days before day {reference_day}"
    else:
        kind, label = terms.AFTER, f"{offset} days after day {reference_day}"
    lower = visit.window_before
    upper = visit.window_after
    if visit.day_end is not None:
        upper += durations.ordinal(visit.day_end) - durations.ordinal(visit.day)
    # the reference timing has no window (CDISC rule DDF00025): its window is told in words
    windowed = (lower or upper) and kind != terms.FIXED_REFERENCE
    if (lower or upper) and not windowed:
        label += f", window -{lower}..+{upper} days"
    return ids.make(
        "Timing",
        {
            "name": f"TIM_{visit.name}",
            "label": f"Day {visit.day}",
            "description": label,
            "type": ids.code(kind),
            "value": _days(abs(offset)),
            "valueLabel": label,
            "relativeToFrom": ids.code(terms.START_TO_START),
            "relativeFromScheduledInstanceId": by_name[visit.name]["id"],
            "relativeToScheduledInstanceId": reference["id"],
            "windowLower": _days(lower) if windowed else None,
            "windowUpper": _days(upper) if windowed else None,
            "windowLabel": f"-{lower}..+{upper} days" if windowed else None,
        },
    )
