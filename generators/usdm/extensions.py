"""The extension attributes of a protocol-dsl USDM export: what USDM has no attribute for.

USDM v4 lets any instance carry `extensionAttributes` (a URL and a value).  The
export uses these, each a text in the spec's own syntax, so that nothing the
spec states is lost and the import can read it back:

- on an EligibilityCriterion, `CRITERION_RULE`: the criterion's rule (the
  right-hand side of `inclusion ID "text" = RULE`), or its attestation;
- on an AnalysisPopulation, `POPULATION_RULE`: the definition of the analysis
  set or subgroup (`population EFF "…" = RULE`);
- on an Endpoint, `ENDPOINT_TIMEFRAME`: the endpoint's time frame as written;
- on the ScheduledActivityInstance of a visit outside the epochs (which USDM
  has as a timeline of its own, not an encounter), `VISIT`: its clauses
  (`day 168 number 201`, `early_termination`, `unscheduled`), and its
  condition (`when "…"`) in `VISIT_CONDITION`;
- on the Encounter of a visit a cycle or a repeat yields, `SERIES`: the
  series' name, and on its first visit `SERIES_DECLARATION`: the `cycle` or
  `repeat` declaration (USDM lists the visits one by one);
- on the Encounter of a visit timed from an event, `VISIT_AFTER`: its timing
  (`30 days after last_dose`), which USDM timings, counted from a visit, do
  not hold;
- on the main ScheduleTimeline, `ANCHORS`: the anchors that name a visit
  (`anchor first_dose "…" = visit C1D1`), which cycles and repeats count from;
- on a BiomedicalConceptProperty, `ITEM_NAME`: the name of the CRF item it is
  (`form.item`), so the import can rebuild the form, and `ITEM_TYPE`: its
  type and range (`quantity kg range 20 .. 300`).

- on the study design, `NOT_IN_SPEC`: the header fields USDM requires that the
  spec does not state (`model`, `sponsor`, `sponsor_protocol_id`), whose values
  in the export are placeholders (a parallel model; the trial's name as sponsor
  and identifier); the import leaves them out.

The URLs name the attribute; nothing is fetched from them.
"""

from __future__ import annotations

BASE = "https://protocol-dsl.org/usdm/v4/"
CRITERION_RULE = BASE + "criterion-rule"
POPULATION_RULE = BASE + "population-rule"
ENDPOINT_TIMEFRAME = BASE + "endpoint-timeframe"
ITEM_NAME = BASE + "item-name"
ITEM_TYPE = BASE + "item-type"
VISIT = BASE + "visit"
VISIT_CONDITION = BASE + "visit-condition"
SERIES = BASE + "series"
ANCHORS = BASE + "anchors"
VISIT_AFTER = BASE + "visit-after"
NOT_IN_SPEC = BASE + "not-in-spec"
SERIES_DECLARATION = BASE + "series-declaration"
