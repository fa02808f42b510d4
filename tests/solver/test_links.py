"""What the language server relies on to analyse part of a spec's criteria (`lsp.whole_set`):

* the solver's groups lie within the parts `solver.links` reads from the model, on every
  spec the tests have (real, case, documentation, synthetic and generated specs);
* the items tested with `is known` are found the same from the criteria's reads and the
  other declarations as from the whole spec;
* the analysis of some parts gives the whole spec's findings about their criteria;
* the findings rest on the solver's answers, not on how z3 numbered its terms: the
  minimal sets named are the same in a context that made other terms first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import z3

from protocol_dsl.diagnostics import has_errors
from protocol_dsl.lsp import whole_set
from protocol_dsl.solver import links
from protocol_dsl.solver.encode import Encoder, formal_criteria, items_tested_for_missing
from protocol_dsl.solver.logic import Workspace, analyse_criteria
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import load
from tests.solver.support import CASES, ROOT, SPECS
from tests.solver.test_findings_identity import (
    Case,
    _doc_examples,
    _files,
    _finding,
    _generated,
    _synthetic,
)


def _specs(cases: Iterator[Case]) -> Iterator[tuple[str, Spec]]:
    for name, path, text in cases:
        spec, problems, _ = load(path, text)
        if spec is None or has_errors(problems) or not formal_criteria(spec):
            continue
        yield name, spec


def _written(tmp_path: Path) -> Iterator[Case]:
    yield from _files(SPECS)
    yield from _files(CASES)
    yield from _files(ROOT / "tests" / "checks" / "cases")
    yield from _doc_examples(tmp_path)
    yield _synthetic(1000)


def _parts(spec: Spec) -> dict[str, int]:
    reads = links.Reads(spec)
    return links.parts({c.id: reads.criterion(c) for c in formal_criteria(spec)})


def test_the_groups_lie_within_the_parts_on_written_specs(tmp_path: Path) -> None:
    checked = 0
    for name, spec in _specs(_written(tmp_path)):
        groups = analyse_criteria(spec).groups
        assert links.within_parts(groups, _parts(spec)), name
        checked += 1
    assert checked > 100


def test_the_groups_lie_within_the_parts_on_generated_specs() -> None:
    checked = 0
    for name, spec in _specs(_generated()):
        groups = analyse_criteria(spec).groups
        assert links.within_parts(groups, _parts(spec)), name
        checked += 1
    assert checked > 250


def test_the_parts_are_as_fine_as_the_groups_on_the_real_specs() -> None:
    """Coarser parts would cost the editor time, not answers: on the real specs each part
    is one of the solver's groups (two scores, or a score and its variant's base, link
    only through the items they read)."""
    for name, spec in _specs(_files(SPECS)):
        groups = analyse_criteria(spec).groups
        assert len(set(_parts(spec).values())) == len(groups), name


def test_the_items_tested_for_absence_are_found_from_the_reads(tmp_path: Path) -> None:
    found = 0
    for name, spec in _specs(_written(tmp_path)):
        reads = links.Reads(spec)
        tested = whole_set.tested_outside_criteria(spec) | whole_set.tested_in_criteria(
            reads.criterion(c) for c in formal_criteria(spec)
        )
        paths = {id(owner): owner.path for owner in spec.all_specs()}
        whole = {(paths[o], form, item) for o, form, item in items_tested_for_missing(spec)}
        assert tested == whole, name
        found += bool(whole)
    assert found > 3  # specs that test an item for absence are among them


def test_the_analysis_of_some_parts_is_the_whole_analysis_of_their_criteria(
    tmp_path: Path,
) -> None:
    compared = 0
    for name, spec in _specs(_written(tmp_path)):
        whole = analyse_criteria(spec)
        if whole.gave_up or any(c is None for c, _ in whole.findings):
            continue  # an E0401 or N0904 is about the whole set
        part = _parts(spec)
        for number in sorted(set(part.values()))[:4]:
            chosen = {i for i, n in part.items() if n == number}
            alone = analyse_criteria(spec, chosen)
            expected = [_finding(d) for c, d in whole.findings if c in chosen]
            assert sorted(map(repr, (_finding(d) for _, d in alone.findings))) == sorted(
                map(repr, expected)
            ), (name, sorted(chosen))
            compared += 1
    assert compared > 50


class _Crowded(Workspace):
    """A workspace whose contexts already hold the spec's criteria and the analysis's
    switches, made backwards: every term the analysis makes has another number than in a
    fresh context."""

    def __init__(self, spec: Spec) -> None:
        super().__init__()
        self.spec = spec

    def context(self) -> z3.Context:
        ctx = z3.Context()
        encoder = Encoder(self.spec, "check", ctx=ctx, helpers="x")
        switches = []
        for criterion in reversed(formal_criteria(self.spec)):
            encoder.criterion(criterion)
            # the analysis's switches too (`logic._Findings`), in the other order
            for name in ("passes", "fails"):
                switches.append(z3.Bool(f"{name}:{criterion.id}", ctx))
        encoder.finalize()
        self.leave(encoder, switches)
        return ctx


@pytest.mark.parametrize("folder", [CASES, ROOT / "tests" / "checks" / "cases"])
def test_the_minimal_sets_do_not_depend_on_how_terms_were_numbered(folder: Path) -> None:
    named = 0
    for name, spec in _specs(_files(folder)):
        fresh = analyse_criteria(spec)
        if fresh.gave_up:
            continue
        crowded = analyse_criteria(spec, workspace=_Crowded(spec))
        assert [_finding(d) for _, d in crowded.findings] == [
            _finding(d) for _, d in fresh.findings
        ], name
        named += sum(1 for _, d in fresh.findings if d.labels)
    assert named > 5  # findings that name other criteria are among them


#: Six inclusions that say the same, each written another way, and exclusions that none
#: of their subjects can meet: each finding could name any of the others.
SAME = """trial SAME {
  title "Criteria that say the same"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age    integer "Age (years)" range 0 .. 120 required
  weight integer "Weight (kg)" range 20 .. 300 required
}

inclusion I1 "Adults" = demographics.age >= 18
inclusion I2 "Adults" = demographics.age > 17
inclusion I3 "Adults" = not (demographics.age < 18)
inclusion I4 "Adults" = demographics.age >= 18 or demographics.weight < 0
inclusion I5 "Adults" = demographics.age + 1 > 18
inclusion I6 "Adults" = 18 <= demographics.age
exclusion E1 "Minors" = demographics.age < 18
exclusion E2 "Minors" = demographics.age <= 17
exclusion E3 "Young" = demographics.age < 16
"""


def test_a_finding_names_the_earliest_criteria_that_will_do(tmp_path: Path) -> None:
    path = tmp_path / "same.trial"
    path.write_text(SAME, encoding="utf-8")
    spec, problems, _ = load(str(path), SAME)
    assert spec is not None and not has_errors(problems)
    for workspace in (None, _Crowded(spec)):
        messages = [d.message for _, d in analyse_criteria(spec, workspace=workspace).findings]
        assert messages == [
            "inclusion I1 is redundant: every subject who passes I2 meets it",
            *(
                f"inclusion I{k} is redundant: every subject who passes I1 meets it"
                for k in range(2, 7)
            ),
            *(
                f"exclusion E{k} excludes nobody: no subject who meets I1 can meet it"
                for k in range(1, 4)
            ),
        ]


SCORES = """\
trial SCORES {
  title "Two scores"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1

form activity "Disease activity" at SCR {
  rash      yes_no "Rash"
  arthritis yes_no "Arthritis"
  fever     quantity Cel "Temperature" range 30 .. 45
}

form damage "Organ damage" at SCR {
  cataract yes_no "Cataract"
  stroke   yes_no "Stroke"
}

form labs "Laboratory" at SCR {
  platelets quantity g/L "Platelets" range 0 .. 1000
}

score activity_score "Activity score" {
  form activity
  range 0 .. 7
  domain skin "Skin" { rash 2 "Rash" }
  domain joints "Joints" { arthritis 4 "Arthritis" }
  domain general "General" { high_fever 1 "Fever" = fever > 38.5 Cel }
}

score activity_without_skin "Activity score without its skin domain"
  = activity_score without rash

score damage_score "Damage score" {
  form damage
  range 0 .. 2
  domain eyes "Eyes" { cataract 1 "Cataract" }
  domain brain "Brain" { stroke 1 "Stroke" }
}

inclusion I1 "Active disease" = activity_score at SCR >= 4
inclusion I2 "Active disease without the skin" = activity_without_skin at SCR >= 4
exclusion E1 "Organ damage" = damage_score at SCR >= 1
exclusion E2 "Fever" = activity.fever at SCR > 40 Cel
exclusion E3 "Stroke" = damage.stroke at SCR = yes
exclusion E4 "Low platelets" = labs.platelets at SCR < 50 g/L
"""


def test_scores_link_only_through_the_items_they_read(tmp_path: Path) -> None:
    """Two scores of two forms are two parts; a variant is in its base score's part, and a
    descriptor's expression links the item it reads."""
    path = tmp_path / "scores.trial"
    path.write_text(SCORES, encoding="utf-8")
    spec, problems, _ = load(str(path), SCORES)
    assert spec is not None and not has_errors(problems), problems
    part = _parts(spec)
    assert part["I1"] == part["I2"] == part["E2"]  # E2 reads what high_fever reads
    assert part["E1"] == part["E3"]
    assert len({part["I1"], part["E1"], part["E4"]}) == 3
    groups = analyse_criteria(spec).groups
    assert links.within_parts(groups, part)
    assert len(groups) == len(set(part.values()))
