"""One table of escalation designs: the checker, the engine and the documents agree on it.

Every parameter spelling a spec may write (canonical names, the aliases, the
spellings of docs/reference.md) must be accepted by `protocol check` and reach
the engine with the same meaning.  `deescalation` was documented but refused by
the checker while the engine took it: the regression tests below pin that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.documents.content import build_protocol
from generators.documents.document import plain
from generators.escalation.designs import (
    Boin,
    Crm,
    DesignError,
    Mtpi2,
    ThreePlusThree,
    design_from_params,
)
from generators.escalation.from_spec import spec_design
from protocol_dsl import designs
from protocol_dsl.checks import dosing
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import load
from tests.documents.test_content import paragraphs, section, tables

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "documents" / "fixtures" / "escalation.trial"
_SOURCE = FIXTURE.read_text(encoding="utf-8")
_DESIGN = "  design three_plus_three {\n    mtd_rule expand\n  }\n"

# A valid value for each canonical parameter, as written in a spec and as the
# engine holds it.  The fixture has three dose levels and cohorts of three.
_WRITTEN = {
    "cohort_size": ("3", 3),
    "n_cohorts": ("8", 8),
    "start_level": ("1", 1),
    "max_sample_size": ("24", None),
    "target": ("0.3", 0.3),
    "max_per_dose": ("9", 9),
    "elimination_cutoff": ("0.9", 0.9),
    "phi1": ("0.2", 0.2),
    "phi2": ("0.4", 0.4),
    "extrasafe": ("yes", True),
    "extrasafe_offset": ("0.1", 0.1),
    "eps1": ("0.04", 0.04),
    "eps2": ("0.06", 0.06),
    "skeleton": ("0.05, 0.12, 0.25", (0.05, 0.12, 0.25)),
    "model": ("logistic", "logistic"),
    "prior_sd": ("0.8", 0.8),
    "intercept": ("2", 2.0),
    "restrict": ("no", False),
    "mtd_rule": ("expand", "expand"),
    "allow_deescalation": ("yes", True),
}
_KIND = {"3+3": "three_plus_three", "BOIN": "boin", "mTPI-2": "mtpi2", "CRM": "crm"}
_CLASS = {"3+3": ThreePlusThree, "BOIN": Boin, "mTPI-2": Mtpi2, "CRM": Crm}


def _spec(design_block: str) -> Spec:
    source = _SOURCE.replace(_DESIGN, design_block)
    assert source != _SOURCE or design_block == _DESIGN
    spec, diagnostics, _sources = load(str(ROOT / "specs" / "_design_table.trial"), source)
    assert spec is not None, [d.message for d in diagnostics]
    return spec


def _block(design: designs.Design, spelling: str) -> str:
    """A design block that gives `spelling`, plus what the design needs besides."""
    canonical = designs.canonical_parameter(spelling)
    needed = [*design.required, *(["mtd_rule"] if design is designs.THREE_PLUS_THREE else [])]
    lines = [f"    {name} {_WRITTEN[name][0]}" for name in needed if name != canonical]
    lines.append(f"    {spelling} {_WRITTEN[canonical][0]}")
    return f"  design {_KIND[design.name]} {{\n" + "\n".join(lines) + "\n  }\n"


def _spellings() -> list[tuple[designs.Design, str]]:
    """Every (design, spelling) pair a spec may write: canonical names and aliases."""
    pairs = []
    for design in designs.DESIGNS:
        for name in design.parameter_names:
            pairs.append((design, name))
            pairs += [
                (design, alias)
                for alias, canonical in designs.PARAMETER_ALIASES.items()
                if canonical == name
            ]
    return pairs


def _design_problems(spec: Spec) -> list[str]:
    return [f"{d.code} {d.message}" for d in dosing.check(spec) if d.code in ("E0705", "E0706")]


@pytest.mark.parametrize(
    ("design", "spelling"), _spellings(), ids=lambda x: x if isinstance(x, str) else x.name
)
def test_every_spelling_is_accepted_by_check_and_reaches_the_engine(
    design: designs.Design, spelling: str
) -> None:
    spec = _spec(_block(design, spelling))
    assert _design_problems(spec) == []
    engine = spec_design(spec).design
    assert isinstance(engine, _CLASS[design.name])
    canonical = designs.canonical_parameter(spelling)
    expected = _WRITTEN[canonical][1]
    if canonical == "max_sample_size":
        assert engine.max_sample_size(3) == int(_WRITTEN[canonical][0])
    else:
        assert getattr(engine, canonical) == pytest.approx(expected)


def _documented_parameters() -> list[tuple[str, str]]:
    """The (design kind, parameter spelling) pairs docs/reference.md lists for `design KIND`."""
    page = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    bullet = page.split("- `design KIND { … }`", 1)[1].split("\n- ", 1)[0]
    pairs = []
    for kind, inside in re.findall(r"`(\w+)` \(([^)]*)\)", bullet):
        pairs += [(kind, word) for word in re.findall(r"`(\w+)", inside)]
    return pairs


def test_the_reference_lists_every_design() -> None:
    kinds = {kind for kind, _word in _documented_parameters()}
    assert {designs.design_for(kind) for kind in kinds} == set(designs.DESIGNS)


def _engine_params(design: designs.Design, spelling: str) -> dict[str, object]:
    needed = [*design.required, *(["mtd_rule"] if design is designs.THREE_PLUS_THREE else [])]
    params: dict[str, object] = {name: _WRITTEN[name][1] for name in needed}
    canonical = designs.canonical_parameter(spelling)
    params.pop(canonical, None)
    value = _WRITTEN[canonical][1]
    params[spelling] = int(_WRITTEN[canonical][0]) if value is None else value
    return params


@pytest.mark.parametrize(("kind", "spelling"), _documented_parameters())
def test_documented_spellings_are_accepted_everywhere(kind: str, spelling: str) -> None:
    design = designs.design_for(kind)
    assert design is not None, kind
    assert designs.canonical_parameter(spelling) in design.parameter_names
    spec = _spec(_block(design, spelling))
    assert _design_problems(spec) == []
    assert spec_design(spec).design == design_from_params(kind, _engine_params(design, spelling))


_EVERY_NAME = sorted({p.name for p in designs.all_parameters()} | set(designs.PARAMETER_ALIASES))


@pytest.mark.parametrize("design", designs.DESIGNS, ids=lambda d: d.name)
def test_checker_and_engine_refuse_the_same_parameters(design: designs.Design) -> None:
    """A parameter of another design is refused by both, one of this design by neither."""
    for spelling in _EVERY_NAME:
        known = designs.canonical_parameter(spelling) in design.parameter_names
        refused_by_check = any(
            problem.startswith(f"E0706 {design.name} has no parameter")
            for problem in _design_problems(_spec(_block(design, spelling)))
        )
        try:
            design_from_params(_KIND[design.name], _engine_params(design, spelling))
            refused_by_engine = False
        except DesignError as error:
            refused_by_engine = "has no parameter" in error.message
        assert refused_by_check == refused_by_engine == (not known), spelling


# ---------------------------------------------------------------- deescalation


_DEESCALATION = "  design three_plus_three {\n    mtd_rule expand\n    deescalation yes\n  }\n"


def test_deescalation_is_accepted_by_check() -> None:
    result = compile_spec(
        str(ROOT / "specs" / "_deescalation.trial"), _SOURCE.replace(_DESIGN, _DEESCALATION)
    )
    assert [d for d in result.diagnostics if d.severity == "error"] == []


def test_deescalation_reaches_the_engine() -> None:
    design = spec_design(_spec(_DEESCALATION)).design
    assert design == ThreePlusThree("expand", allow_deescalation=True)


def test_deescalation_reaches_the_document() -> None:
    escalation = section(build_protocol(_spec(_DEESCALATION)), "escalation")
    (rule_table,) = [t for t in tables(escalation) if (t.caption or "").startswith("3+3")]
    notes = [plain(note.inlines) for note in rule_table.footnotes]
    assert "If the expanded level also exceeds the MTD, de-escalate again." in notes, notes
    assert "0 DLTs among 3: escalate to the next higher level." in paragraphs(escalation)


def test_deescalation_reaches_escalate_and_simulate(tmp_path: Path) -> None:
    spec_path = tmp_path / "onc33.trial"
    spec_path.write_text(_SOURCE.replace(_DESIGN, _DEESCALATION), encoding="utf-8")
    # Two DLTs at L3 after clearing L2 on 6: the 'expand' rule with de-escalation
    # goes back to L2 rather than stopping.
    cohorts = tmp_path / "cohorts.csv"
    cohorts.write_text(
        "dose_level,patients,dlts\nL1,3,0\nL2,3,1\nL2,3,0\nL3,3,2\n", encoding="utf-8"
    )
    runner = CliRunner()
    escalate = runner.invoke(cli, ["escalate", str(spec_path), "--data", str(cohorts)])
    assert escalate.exit_code == 0, escalate.output
    assert "design: 3+3" in escalate.output
    simulate = runner.invoke(
        cli, ["simulate", str(spec_path), "--trials", "200", "--true-rates", "0.1,0.3,0.6"]
    )
    assert simulate.exit_code == 0, simulate.output


def test_the_spec_differ_reads_deescalation_as_allow_deescalation() -> None:
    """The differ names a parameter by its canonical name, whichever spelling is written."""
    from generators.diff.compare import diff

    def parameter_changes(old_block: str) -> list[str]:
        changes = diff(_spec(old_block), _spec(_DEESCALATION))
        return [c.target for c in changes if c.target.startswith("escalation parameter")]

    turned_off = _DEESCALATION.replace("deescalation yes", "deescalation no")
    assert parameter_changes(turned_off) == ["escalation parameter allow_deescalation"]
    respelled = _DEESCALATION.replace("deescalation yes", "allow_deescalation yes")
    assert parameter_changes(respelled) == []


def test_deescalation_without_expand_is_an_error_in_check_as_in_the_engine() -> None:
    block = "  design three_plus_three {\n    deescalation yes\n  }\n"
    problems = _design_problems(_spec(block))
    assert len(problems) == 1 and problems[0].startswith("E0705 deescalation needs mtd_rule")
    with pytest.raises(ValueError, match="needs mtd_rule 'expand'"):
        design_from_params("three_plus_three", {"deescalation": "yes"})
