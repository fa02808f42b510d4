"""A draft spec from a USDM v4 study: `protocol import usdm`.

What a spec can say is read back from the USDM document: the header (titles,
identifiers, sponsor, phase, design codes, population), epochs, the main
timeline's encounters as visits (study days from their timings) and the visits
of the other timelines, activities (one that names biomedical concepts is a
form whose items are the concepts' properties), arms and elements,
interventions, eligibility criteria, objectives and endpoints.  A criterion
keeps its text; its rule is the one a protocol-dsl export carried (the
`extensions.CRITERION_RULE` attribute) when that rule checks in the draft,
else `attested`.  What the importer had to guess carries a `provisional` mark
or a `question`; what the spec has no place for is listed in the losses.

The source is written with the printer's `quote` for every text and laid out by
the formatter, so the draft is in canonical `protocol fmt` layout and no text
from the USDM document can end a string or become spec syntax.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, NamedTuple

from generators.usdm import extensions, terms
from generators.usdm.concepts import DATATYPES, SYSTEM_WORDS
from generators.usdm.text import Resolver, index
from protocol_dsl import durations
from protocol_dsl.errors import UserError
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.printer import quote

Json = dict[str, Any]


class Draft(NamedTuple):
    source: str
    #: what the spec could not carry, one line each
    losses: list[str]


class DraftError(UserError, ValueError):
    """E1102: the JSON is not a USDM v4 study the importer can read."""

    code = "E1102"


def _reverse(table: dict[str, terms.Term]) -> dict[str, str]:
    found: dict[str, str] = {}
    for word, term in table.items():
        found.setdefault(term.code, word)
    return found


_PHASES = _reverse(terms.PHASES)
_STUDY_TYPES = _reverse(terms.STUDY_TYPES)
_MODELS = _reverse(terms.MODELS)
_BLINDING = _reverse(terms.BLINDING)
_INTENTS = _reverse(terms.INTENTS)
_TRIAL_TYPES = _reverse(terms.TRIAL_TYPES)
_ARM_TYPES = _reverse(terms.ARM_TYPES)
_INTERVENTION_TYPES = _reverse(terms.INTERVENTION_TYPES)
_ROUTES = _reverse(terms.ROUTES)
_UNITS = _reverse(terms.UNITS)
_LEVELS = {t.code: level for level, t in terms.OBJECTIVE_LEVELS.items()}
_AGE_UNITS = {"C29848": "years", "C29846": "months", "C29844": "weeks", "C25301": "days"}
_KINDS = {v: k for k, v in DATATYPES.items()}
_ISO = re.compile(
    r"^-?P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_DAYS_IN = {"y": Fraction(36525, 100), "mo": Fraction(304375, 10000), "w": Fraction(7), "d": Fraction(1),
            "h": Fraction(1, 24), "mi": Fraction(1, 1440), "s": Fraction(1, 86400)}  # fmt: skip
_AFTER = re.compile(r"^\d+(?:\.\d+)? [A-Za-z]+ (?:after|before) [A-Za-z_][A-Za-z0-9_]*$")
_VISIT_CLAUSES = re.compile(r"^(?:day -?\d+|number \d+(?:\.\d+)?|unscheduled|early_termination)$")


def _declares(source: str, kinds: tuple[str, ...], many: bool = False) -> bool:
    """Whether `source` is exactly one declaration of one of `kinds` (a cycle or repeat a
    protocol-dsl export carried); anything else is not copied into the draft."""
    from protocol_dsl.syntax.parser import parse_with_comments

    module, diagnostics, _comments = parse_with_comments(source, "<usdm>")
    if module is None or any(d.is_error for d in diagnostics) or not module.declarations:
        return False
    if len(module.declarations) > 1 and not many:
        return False
    return all(type(d).__name__.lower() in kinds for d in module.declarations)


def _item_type_parses(text: str) -> bool:
    """Whether an exported item type (`quantity kg range 20 .. 300`) is one the draft can
    use as it is: any type but a choice (whose codelist the draft rebuilds)."""
    from protocol_dsl.syntax.parser import parse_with_comments

    if text.startswith("choice") or "\n" in text:
        return False
    kind, _, bounds = text.partition(" range ")
    item = f'x {kind} "x"' + (f" range {bounds}" if bounds else "")
    module, diagnostics, _comments = parse_with_comments(f"form f {{\n  {item}\n}}\n", "<usdm>")
    return module is not None and not any(d.is_error for d in diagnostics)


def iso_days(value: str | None) -> Fraction | None:
    """An ISO 8601 duration (`P2W`, `P1D`, `PT4H`) in days; None if it is not one."""
    found = _ISO.match((value or "").strip())
    if found is None or not any(found.groupdict().values()):
        return None
    return sum(
        (Fraction(text) * _DAYS_IN[unit] for unit, text in found.groupdict().items() if text),
        Fraction(0),
    )


class _Names:
    """Spec names from USDM names: letters, digits and `_`, unique in their kind."""

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}

    def make(self, kind: str, wanted: object, fallback: str) -> str:
        text = "" if wanted is None else str(wanted)
        base = re.sub(r"[^A-Za-z0-9_]+", "_", text.strip()).strip("_") or fallback
        if not re.match(r"[A-Za-z_]", base):
            base = f"{fallback}_{base}"
        taken = self._taken.setdefault(kind, set())
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}_{number}"
        taken.add(name.lower())
        return name


def _code(node: Any) -> str | None:
    if isinstance(node, dict):
        if node.get("instanceType") == "AliasCode":
            return _code(node.get("standardCode"))
        code = node.get("code")
        return code if isinstance(code, str) else None
    return None


def _quoted(text: object) -> str:
    return quote("" if text is None else str(text))


class _Importer:
    def __init__(self, document: Json) -> None:
        try:
            self.study = document["study"]
            self.version = self.study["versions"][0]
            self.design = self.version["studyDesigns"][0]
            if not all(isinstance(part, dict) for part in (self.study, self.version, self.design)):
                raise TypeError("study, version and design must be objects")
        except (KeyError, IndexError, TypeError) as error:
            raise DraftError(
                "E1102: this is not a USDM v4 study: a USDM file holds a study with at least "
                "one version and one study design (study.versions[0].studyDesigns[0])"
            ) from error
        self.instances = index(document)
        self.text = Resolver(self.instances, self.version.get("dictionaries") or [])
        self.names = _Names()
        self.losses: list[str] = []
        self.lines: list[str] = []
        self.epoch_names: dict[str, str] = {}
        self.visit_names: dict[str, str] = {}  # by ScheduledActivityInstance id
        self.encounter_visits: dict[str, str] = {}  # by Encounter id
        self.element_names: dict[str, str] = {}
        self.intervention_names: dict[str, str] = {}
        self.series_declared: set[str] = set()
        #: criteria whose exported rule does not check in the draft
        self.demoted: set[str] = set()
        #: visits whose window overlaps another's in the draft (a cycle's visits and a
        #: repeat's, which the spec keeps apart as series, are plain visits in USDM)
        self.unwindowed: set[str] = set()
        #: visits whose day conflicts with the other visits' even without windows
        self.undated: set[str] = set()

    def plain(self, text: Any) -> str:
        """A syntax-template text (XHTML in USDM: criteria, objectives, endpoints) as the
        words it shows; the other USDM texts (titles, labels, rules) are plain already."""
        return self.text.plain(text if isinstance(text, str) else None)

    # ------------------------------------------------------------------ header

    def header(self) -> None:
        study, version, design = self.study, self.version, self.design
        name = self.names.make("decl", study.get("name"), "STUDY")
        fields: list[str] = []
        titles = {_code(t.get("type")): t.get("text") for t in version.get("titles") or []}
        for code, key in (("C207616", "title"), ("C207615", "short_title"), ("C207646", "acronym")):
            if titles.get(code):
                fields.append(f"{key} {_quoted(titles[code])}")
        # CDISC's examples use the older title codes (C99905x2 official, x1 brief, C94108)
        for code, key in (
            ("C99905x2", "title"),
            ("C99905x1", "short_title"),
            ("C94108", "acronym"),
        ):
            if titles.get(code) and not any(f.startswith(key + " ") for f in fields):
                fields.append(f"{key} {_quoted(titles[code])}")
        organisations = {o["id"]: o for o in version.get("organizations") or []}
        sponsor_id = self._sponsor(organisations)
        for identifier in version.get("studyIdentifiers") or []:
            scope = organisations.get(identifier.get("scopeId"), {})
            text = str(identifier.get("text") or "")
            if identifier.get("scopeId") == sponsor_id:
                fields.append(f"sponsor_protocol_id {_quoted(text)}")
            elif _code(
                scope.get("type")
            ) == terms.REGISTRY_ORGANISATION.code or text.upper().startswith("NCT"):
                fields.append(f"registry {_quoted(text)}")
            else:
                self.losses.append(f"study identifier {text!r} of {scope.get('name')!r}")
        if sponsor_id is not None:
            sponsor = organisations[sponsor_id]
            fields.append(f"sponsor {_quoted(sponsor.get('label') or sponsor.get('name'))}")
        phase = _PHASES.get(_code(design.get("studyPhase")) or "")
        if phase is not None:
            fields.append(f"phase {phase if phase.isdigit() or phase == 'na' else quote(phase)}")
        for key, table, node in (
            ("study_type", _STUDY_TYPES, design.get("studyType")),
            ("model", _MODELS, design.get("model")),
            ("masking", _BLINDING, design.get("blindingSchema")),
        ):
            word = table.get(_code(node) or "")
            if word is not None:
                fields.append(f"{key} {word}")
        intents = [_INTENTS.get(_code(c) or "") for c in design.get("intentTypes") or []]
        if intents and intents[0]:
            fields.append(f"purpose {intents[0]}")
        types = [w for c in design.get("subTypes") or [] if (w := _TRIAL_TYPES.get(_code(c) or ""))]
        if types:
            fields.append("trial_type " + ", ".join(dict.fromkeys(types)))
        for number, indication in enumerate(design.get("indications") or [], start=1):
            label = (
                indication.get("label") or indication.get("description") or f"Indication {number}"
            )
            codes = "".join(self._code_text(c) for c in indication.get("codes") or [])
            fields.append(f"condition {_quoted(label)}{codes}")
        fields += self._population()
        identifier = version.get("versionIdentifier")
        if identifier and identifier != "not stated":
            fields.append(f"version {_quoted(str(identifier))}")
        unstated = set((self._extension(design, extensions.NOT_IN_SPEC) or "").split(", "))
        fields = [f for f in fields if f.split(" ", 1)[0] not in unstated]
        self.lines.append(f"trial {name} {{")
        self.lines += [f"  {f}" for f in fields]
        self.lines.append("}")
        for key in ("amendments", "narrativeContentItems", "abbreviations", "medicalDevices",
                    "dateValues", "referenceIdentifiers"):  # fmt: skip
            count = len(version.get(key) or [])
            if count:
                self.losses.append(f"StudyVersion.{key}: {count} (the spec has no place for them)")

    def _sponsor(self, organisations: dict[str, Json]) -> str | None:
        for role in self.version.get("roles") or []:
            if _code(role.get("code")) == terms.SPONSOR_ROLE.code and role.get("organizationIds"):
                return str(role["organizationIds"][0])
        for organisation in organisations.values():
            if _code(organisation.get("type")) in (
                terms.SPONSOR_ROLE.code,
                terms.SPONSOR_ORGANISATION.code,
            ):
                return str(organisation["id"])
        return None

    def _code_text(self, code: Any) -> str:
        system = SYSTEM_WORDS.get(str(code.get("codeSystem")))
        value = str(code.get("code") or "")
        if system is None or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-_:]*", value):
            self.losses.append(f"code {value!r} of the system {code.get('codeSystem')!r}")
            return ""
        return f" [{system} {value}]"

    def _population(self) -> list[str]:
        population = self.design.get("population") or {}
        fields = []
        planned = population.get("plannedEnrollmentNumber") or {}
        count = planned.get("value", planned.get("maxValue", {}).get("value"))
        if isinstance(count, int | float) and float(count).is_integer():
            fields.append(f"enrolment {int(count)}")
        sexes = {_code(c) for c in population.get("plannedSex") or []}
        if sexes == {"C16576"}:
            fields.append("sex female")
        elif sexes == {"C20197"}:
            fields.append("sex male")
        elif sexes:
            fields.append("sex all")
        age = population.get("plannedAge") or {}
        for end, key in (("minValue", "minimum_age"), ("maxValue", "maximum_age")):
            value = age.get(end) or {}
            unit = _AGE_UNITS.get(_code(value.get("unit") or {}) or "")
            amount = value.get("value")
            if unit and isinstance(amount, int | float):
                fields.append(
                    f"{key} {int(amount) if float(amount).is_integer() else amount} {unit}"
                )
        if population.get("includesHealthySubjects") is True:
            fields.append("healthy_volunteers yes")
        return fields

    # ------------------------------------------------------------------ schedule

    def epochs(self) -> None:
        for epoch in self._chained(self.design.get("epochs") or []):
            name = self.names.make("decl", epoch.get("name"), "EPOCH")
            self.epoch_names[epoch["id"]] = name
            self.lines.append(f"epoch {name} {_quoted(epoch.get('label') or epoch.get('name'))}")

    @staticmethod
    def _chained(instances: list[Json]) -> list[Json]:
        """Instances in their previousId/nextId order (as listed when the chain is broken)."""
        by_id = {i.get("id"): i for i in instances}
        heads = [i for i in instances if not i.get("previousId")]
        if len(heads) != 1:
            return instances
        ordered: list[Json] = []
        seen: set[str] = set()
        node: Json | None = heads[0]
        while node is not None and node["id"] not in seen:
            ordered.append(node)
            seen.add(node["id"])
            node = by_id.get(node.get("nextId"))
        return ordered if len(ordered) == len(instances) else instances

    def _days(self, timeline: Json) -> dict[str, int]:
        """The study day of each instance a timing places, from the timeline's anchor (day 1)."""
        timings = timeline.get("timings") or []
        offsets: dict[str, Fraction] = {}
        for timing in timings:
            if _code(timing.get("type")) == terms.FIXED_REFERENCE.code:
                # the anchor is day 1 unless its label says which day it is ("Day -7")
                written = re.fullmatch(r"Day (-?\d+)", str(timing.get("label") or ""))
                day = int(written[1]) if written and written[1] not in ("0", "-0") else 1
                offsets[str(timing.get("relativeFromScheduledInstanceId"))] = Fraction(
                    durations.ordinal(day)
                )
        for _ in range(len(timings) + 1):  # timings may be relative to timed instances
            for timing in timings:
                source = str(timing.get("relativeFromScheduledInstanceId"))
                target = str(timing.get("relativeToScheduledInstanceId"))
                amount = iso_days(timing.get("value"))
                kind = _code(timing.get("type"))
                if source in offsets or target not in offsets or amount is None:
                    continue
                if kind == terms.BEFORE.code:
                    offsets[source] = offsets[target] - amount
                elif kind == terms.AFTER.code:
                    offsets[source] = offsets[target] + amount
        return {key: durations.from_ordinal(round(value)) for key, value in offsets.items()}

    def _windows(self, timeline: Json) -> dict[str, tuple[int, int]]:
        found = {}
        for timing in timeline.get("timings") or []:
            lower, upper = iso_days(timing.get("windowLower")), iso_days(timing.get("windowUpper"))
            if lower is not None and upper is not None and (lower or upper):
                found[str(timing.get("relativeFromScheduledInstanceId"))] = (
                    round(lower),
                    round(upper),
                )
        return found

    def visits(self) -> None:
        timelines = self.design.get("scheduleTimelines") or []
        main = next((t for t in timelines if t.get("mainTimeline")), None)
        encounters = {e["id"]: e for e in self.design.get("encounters") or []}
        placed: set[str] = set()
        if main is not None:
            days = self._days(main)
            windows = self._windows(main)
            for instance in main.get("instances") or []:
                encounter = encounters.get(instance.get("encounterId"))
                if encounter is None or encounter["id"] in placed:
                    if encounter is not None:
                        # a second instance of the same encounter (CDISC's WK8 and WK8N)
                        self.visit_names[instance["id"]] = self.encounter_visits[encounter["id"]]
                    continue
                placed.add(encounter["id"])
                if self._series_visit(instance, encounter):
                    continue
                self._visit(
                    instance, encounter, days.get(instance["id"]), windows.get(instance["id"])
                )
        anchors = self._extension(main or {}, extensions.ANCHORS)
        if anchors is not None and _declares(anchors, ("anchor",), many=True):
            self.lines.append(anchors.strip())
        for encounter in self._chained(list(encounters.values())):
            if encounter["id"] not in placed:
                placed.add(encounter["id"])
                self._visit(None, encounter, None, None)
        for timeline in timelines:
            if timeline is main:
                continue
            for instance in timeline.get("instances") or []:
                if instance.get("instanceType") != "ScheduledActivityInstance":
                    continue
                if instance.get("encounterId") in self.encounter_visits:
                    self.visit_names[instance["id"]] = self.encounter_visits[
                        instance["encounterId"]
                    ]
                    continue
                self._outside_visit(timeline, instance)

    def _visit(
        self,
        instance: Json | None,
        encounter: Json,
        day: int | None,
        window: tuple[int, int] | None,
    ) -> None:
        name = self.names.make("decl", encounter.get("name"), "VISIT")
        self.encounter_visits[encounter["id"]] = name
        if instance is not None:
            self.visit_names[instance["id"]] = name
        clauses = [_quoted(encounter.get("label") or encounter.get("name"))]
        marks = ""
        if day is not None and name in self.undated:
            marks = f" question {quote(f'USDM times this visit on day {day}, which conflicts with the other visits: on which day is it planned?')}"
            day, window = None, None
        if day is not None:
            clauses.append(f"day {day}")
        after = self._extension(encounter, extensions.VISIT_AFTER)
        if day is None and after is not None and _AFTER.match(after) and name not in self.undated:
            clauses.append(after)
        if window is not None and name in self.unwindowed:
            marks = f" question {quote(f'USDM gives this visit the window -{window[0]} +{window[1]} days, which overlaps another visit: what is its window?')}"
        elif window is not None:
            clauses.append(f"window -{window[0]} +{window[1]}")
        epoch = self.epoch_names.get((instance or {}).get("epochId") or "")
        if epoch is not None:
            clauses.append(f"in {epoch}")
        for key, word in (("transitionStartRule", "starts"), ("transitionEndRule", "ends")):
            rule = encounter.get(key) or {}
            if rule.get("text"):
                clauses.append(f"{word} {_quoted(rule['text'])}")
        timed = day is not None or any(_AFTER.match(c) for c in clauses)
        if not timed and name not in self.undated:
            marks += f" question {quote('On which study day is this visit planned?')}"
            if epoch is None:
                clauses.append("unscheduled")
                marks += " provisional"
        self.lines.append(f"visit {name} " + " ".join(clauses) + marks)

    def _series_visit(self, instance: Json, encounter: Json) -> bool:
        """A visit a cycle or repeat of a protocol-dsl export yields: its series is declared
        (once) instead of the visit, which keeps its name."""
        series = self._extension(encounter, extensions.SERIES)
        if series is None:
            return False
        declaration = self._extension(encounter, extensions.SERIES_DECLARATION)
        if series not in self.series_declared:
            if declaration is None or not _declares(declaration, ("cycle", "repeat")):
                return False
            self.series_declared.add(series)
            self.lines.append(declaration.strip())
        name = str(encounter.get("name"))
        self.encounter_visits[encounter["id"]] = name
        self.visit_names[instance["id"]] = name
        return True

    def _outside_visit(self, timeline: Json, instance: Json) -> None:
        name = self.names.make("decl", instance.get("name"), "VISIT")
        self.visit_names[instance["id"]] = name
        clauses = [_quoted(instance.get("label") or instance.get("name"))]
        written = self._extension(instance, extensions.VISIT)
        condition = self._extension(instance, extensions.VISIT_CONDITION)
        marks = ""
        if written is not None:
            parts = re.findall(
                r"day -?\d+|number \d+(?:\.\d+)?|unscheduled|early_termination", written
            )
            clauses += [p for p in parts if _VISIT_CLAUSES.match(p)]
        else:
            entry = str(timeline.get("entryCondition") or "")
            words = f"{entry} {instance.get('name')} {instance.get('label')}".lower()
            clauses.append("early_termination" if "terminat" in words else "unscheduled")
            condition = entry or None
            marks = " provisional"
        if condition:
            clauses.append(f"when {_quoted(condition)}")
        self.lines.append(f"visit {name} " + " ".join(clauses) + marks)

    @staticmethod
    def _extension(instance: Json, url: str) -> str | None:
        for attribute in instance.get("extensionAttributes") or []:
            if attribute.get("url") == url and isinstance(attribute.get("valueString"), str):
                return str(attribute["valueString"])
        return None

    # ------------------------------------------------------------------ activities and forms

    def activities(self) -> None:
        at: dict[str, list[str]] = {}
        for timeline in self.design.get("scheduleTimelines") or []:
            for instance in timeline.get("instances") or []:
                visit = self.visit_names.get(instance.get("id"))
                for activity_id in instance.get("activityIds") or []:
                    if visit is not None and visit not in at.setdefault(activity_id, []):
                        at[activity_id].append(visit)
        concepts = {c["id"]: c for c in self.version.get("biomedicalConcepts") or []}
        forms: list[str] = []
        for activity in self._chained(self.design.get("activities") or []):
            visits = at.get(activity["id"], [])
            label = str(activity.get("label") or activity.get("name") or "")
            bcs = [concepts[i] for i in activity.get("biomedicalConceptIds") or [] if i in concepts]
            if activity.get("definedProcedures"):
                count = len(activity["definedProcedures"])
                self.losses.append(f"activity {label!r}: {count} procedure(s) (not imported)")
            if bcs:
                forms += self._form(activity, label, visits, bcs)
                continue
            name = self.names.make("decl", activity.get("name"), "ACTIVITY")
            if not visits:
                self.losses.append(f"activity {label!r}: done at no visit of a timeline")
                continue
            condition = str(activity.get("description") or "")
            when = f" when {_quoted(condition)}" if condition and condition != label else ""
            self.lines.append(f"activity {name} {_quoted(label)} at {', '.join(visits)}{when}")
        self.lines += forms

    def _form(self, activity: Json, label: str, visits: list[str], bcs: list[Json]) -> list[str]:
        name = self.names.make("decl", activity.get("name"), "FORM")
        items: list[str] = []
        codelists: list[str] = []
        item_names = _Names()
        for concept in bcs:
            for prop in concept.get("properties") or []:
                written = self._extension(prop, extensions.ITEM_NAME)
                wanted = (
                    written.rsplit(".", 1)[-1]
                    if written
                    else f"{concept.get('name')}_{prop.get('name')}"
                )
                item = item_names.make("item", wanted, "item")
                kind = _KINDS.get(str(prop.get("datatype")), "text")
                responses = [r for r in prop.get("responseCodes") or [] if r.get("isEnabled", True)]
                if kind in ("number", "quantity"):
                    kind = "number"
                written_type = self._extension(prop, extensions.ITEM_TYPE)
                item_range = ""
                if written_type is not None and _item_type_parses(written_type):
                    kind, _, bounds = written_type.partition(" range ")
                    item_range = f" range {bounds}" if bounds else ""
                    responses = []
                if responses:
                    codelist = self.names.make("decl", f"{name}_{item}", "codes")
                    entries = []
                    entry_names = _Names()
                    for response in responses:
                        code = response.get("code") or {}
                        entry = entry_names.make(
                            "entry", response.get("name") or code.get("decode"), "value"
                        )
                        entries.append(
                            f"  {entry} {_quoted(code.get('decode') or response.get('label'))}"
                            + self._code_text(code)
                        )
                    codelists += [
                        f"codelist {codelist} {_quoted(prop.get('label') or item)} {{",
                        *entries,
                        "}",
                    ]
                    kind = f"choice {codelist}"
                elif kind == "choice":
                    kind = "text"
                # USDM collects a concept's properties for the study data: `for_reporting`
                required = item_range + (" required" if prop.get("isRequired") else "")
                required += " for_reporting"
                codes = self._code_text((prop.get("code") or {}).get("standardCode") or {})
                items.append(
                    f"  {item} {kind} {_quoted(prop.get('label') or prop.get('name'))}{required}{codes}"
                )
        at = f" at {', '.join(visits)}" if visits else ""
        return [*codelists, f"form {name} {_quoted(label)}{at} {{", *items, "}"]

    # ------------------------------------------------------------------ arms, elements, interventions

    def _administrations(self, name: str, administrations: list[Json]) -> list[str]:
        """The intervention's route and planned doses, from its administrations."""
        routes = {_ROUTES.get(_code(a.get("route")) or "") for a in administrations} - {None}
        doses = []
        for administration in administrations:
            dose = administration.get("dose") or {}
            unit = _UNITS.get(_code(dose.get("unit")) or "")
            amount = dose.get("value")
            if unit is not None and isinstance(amount, int | float) and amount >= 0:
                text = f"{int(amount) if float(amount).is_integer() else amount} {unit}"
                if text not in doses:
                    doses.append(text)
            elif dose:
                self.losses.append(f"intervention {name}: a dose in a unit the spec does not name")
        fields = [f"  route {routes.pop()}"] if len(routes) == 1 else []
        if doses:
            fields.append("  dose " + ", ".join(doses))
        if administrations:
            self.losses.append(
                f"intervention {name}: the frequency and duration of its "
                f"{len(administrations)} administration(s) (not imported)"
            )
        return fields

    def arms(self) -> None:
        interventions = self.version.get("studyInterventions") or []
        for intervention in interventions:
            name = self.names.make("decl", intervention.get("name"), "INTERVENTION")
            self.intervention_names[intervention["id"]] = name
            kind = _INTERVENTION_TYPES.get(_code(intervention.get("type")) or "")
            fields = [f"  type {kind}"] if kind else []
            fields += self._administrations(name, intervention.get("administrations") or [])
            self.lines += [
                f"intervention {name} {_quoted(intervention.get('label') or intervention.get('name'))} {{",
                *fields,
                "}",
            ]
        for element in self.design.get("elements") or []:
            name = self.names.make("decl", element.get("name"), "ELEMENT")
            self.element_names[element["id"]] = name
            clauses = [_quoted(element.get("label") or element.get("name"))]
            for key, word in (("transitionStartRule", "starts"), ("transitionEndRule", "ends")):
                rule = element.get(key) or {}
                if rule.get("text"):
                    clauses.append(f"{word} {_quoted(rule['text'])}")
            self.lines.append(f"element {name} " + " ".join(clauses))
        cells = self.design.get("studyCells") or []
        for arm in self.design.get("arms") or []:
            name = self.names.make("decl", arm.get("name"), "ARM")
            kind = _ARM_TYPES.get(_code(arm.get("type")) or "")
            steps = [
                f"  {self.element_names[element]} in {self.epoch_names[cell['epochId']]}"
                for cell in cells
                if cell.get("armId") == arm["id"] and cell.get("epochId") in self.epoch_names
                for element in cell.get("elementIds") or []
                if element in self.element_names
            ]
            head = f"arm {name} {_quoted(arm.get('label') or arm.get('name'))}"
            if kind:
                head += f" type {kind}"
            self.lines += [head + " {", *steps, "}"] if steps else [head]

    # ------------------------------------------------------------------ criteria, objectives

    def criteria(self, formal: bool) -> None:
        items = {i["id"]: i for i in self.version.get("eligibilityCriterionItems") or []}
        for criterion in self._chained(self.design.get("eligibilityCriteria") or []):
            category = _code(criterion.get("category"))
            kind = "inclusion" if category == terms.INCLUSION.code else "exclusion"
            name = self.names.make(
                "decl", criterion.get("name") or criterion.get("identifier"), "C"
            )
            item = items.get(criterion.get("criterionItemId"), {})
            text = self.plain(item.get("text")) or self.plain(criterion.get("label")) or name
            rule = self._extension(criterion, extensions.CRITERION_RULE)
            marks = ""
            if category not in (terms.INCLUSION.code, terms.EXCLUSION.code):
                marks = " provisional"
            if rule is not None and formal and name not in self.demoted:
                self.lines.append(f"{kind} {name} {_quoted(text)} = {rule}{marks}")
            else:
                if rule is not None:
                    note = f"The exported rule did not check in this draft: {rule}"
                    marks += f" note {quote(note)}"
                self.lines.append(f"{kind} {name} {_quoted(text)} = attested{marks}")

    def objectives(self) -> None:
        for objective in self.design.get("objectives") or []:
            name = self.names.make("decl", objective.get("name"), "OBJ")
            level = _LEVELS.get(_code(objective.get("level")) or "")
            marks = ""
            if level is None:
                level, marks = "secondary", " provisional"
            endpoints = []
            for endpoint in objective.get("endpoints") or []:
                endpoint_name = self.names.make("decl", endpoint.get("name"), "END")
                timeframe = self._extension(endpoint, extensions.ENDPOINT_TIMEFRAME)
                clause = f" timeframe {_quoted(timeframe)}" if timeframe else ""
                endpoints.append(
                    f"  endpoint {endpoint_name} {_quoted(self.plain(endpoint.get('text')))}{clause}"
                )
            self.lines += [
                f"objective {name} {level} {_quoted(self.plain(objective.get('text')))}{marks} {{",
                *endpoints,
                "}",
            ]
        for key in ("estimands", "analysisPopulations", "biospecimenRetentions"):
            count = len(self.design.get(key) or [])
            if count:
                self.losses.append(f"StudyDesign.{key}: {count} (not imported)")

    def source(self, formal: bool) -> str:
        self.lines = []
        self.series_declared = set()
        self.names = _Names()
        self.losses = []
        self.header()
        self.epochs()
        self.visits()
        self.activities()
        self.arms()
        self.criteria(formal)
        self.objectives()
        return "\n".join(self.lines) + "\n"


def draft(document: Json, path: str = "draft.trial") -> Draft:
    """The draft spec of a USDM study, in canonical layout, with what it could not carry.

    Criterion rules a protocol-dsl export carried are kept where they check in the
    draft (their forms and items may not have come across); the others become
    `attested`, with the rule in a note.
    """
    from protocol_dsl.compiler import compile_spec

    importer = _Importer(document)
    try:
        formatted = format_source(importer.source(formal=True), path)
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        # an instance of another type than USDM gives it (a list for an object, a
        # number for a text): the document does not follow the model
        raise DraftError(
            f"E1102: this is not a USDM v4 study the importer can read: an attribute "
            f"has a value of the wrong kind ({type(error).__name__}: {error})"
        ) from error
    for _ in range(4):
        result = compile_spec(path, formatted)
        errors = [d for d in result.diagnostics if d.is_error]
        failing = {d.span.line for d in errors} | {
            label.span.line for d in errors for label in d.labels
        }
        spec = result.spec
        if not failing or spec is None:
            break
        lines = {c.id: (c.span.line, c.span.end_line) for c in spec.criteria}
        lines |= {n: (v.span.line, v.span.end_line) for n, v in spec.declared_visits.items()}
        broken = {
            name
            for name, (first, last) in lines.items()
            if any(first <= n <= last for n in failing)
        }
        importer.demoted |= broken & {c.id for c in spec.criteria}
        visits = broken & set(spec.declared_visits)
        importer.undated |= visits & importer.unwindowed
        importer.unwindowed |= visits
        if not broken:
            break
        formatted = format_source(importer.source(formal=True), path)
    return Draft(formatted, importer.losses)
