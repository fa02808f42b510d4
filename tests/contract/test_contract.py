"""The contract, as a property: on every spec `protocol check` accepts, every command
works or refuses with a documented diagnostic code; `fmt` is idempotent and keeps the
meaning; every engine screens every subject it is given.

A bounded number of examples runs here (deterministic: `derandomize`);
`benchmarks/contract_run.py` runs the same harness at scale.  Failures listed in
`known.py` are tolerated while their strict-xfail regression test still fails.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.contract import subjects as subj
from tests.contract.coverage import EXPRESSION_KINDS, Coverage, grammar_rules
from tests.contract.known import unknown_failures
from tests.contract.runner import ARTEFACTS, DIALECTS, ENGINES, Inputs, prepare, run_spec
from tests.contract.specs_gen import ORIGINS, contract_specs

CHECK_EXAMPLES = int(os.environ.get("PROTOCOL_CONTRACT_SPECS", "60"))
FULL_EXAMPLES = int(os.environ.get("PROTOCOL_CONTRACT_FULL", "12"))
CONTRACT = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # no shrinking: a failure prints its whole spec, and shrinking a spec through every
    # command takes minutes (benchmarks/contract_run.py minimises by declarations)
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ROOT = Path(__file__).resolve().parents[2]
#: Specs every run of the CI-sized test goes through before the generated ones.
FIXED_CORPUS = (
    ROOT / "tests" / "language" / "golden" / "kitchen_sink.input.trial",
    *sorted((ROOT / "specs").glob("*.trial")),
)

#: Grammar rules no generated spec reaches, and why.  (Empty: every rule is reached.)
UNREACHED_RULES: dict[str, str] = {}


def _report(failures: list, source: str) -> str:
    lines = [f"{o.command}: {o.kind} {o.codes} {o.detail[-600:]}" for o in failures]
    return "\n".join(lines) + "\n--- spec ---\n" + source


def test_every_command_keeps_the_contract() -> None:
    coverage = Coverage()
    folder = prepare(Path(tempfile.mkdtemp(prefix="protocol-contract-")) / "work")

    @settings(CONTRACT, max_examples=CHECK_EXAMPLES)
    @given(contract_specs())
    def check_and_fmt(spec: object) -> None:
        run = run_spec(spec.source, spec.origin, folder, coverage, None, spec.plain)  # type: ignore[attr-defined]
        coverage.sources[f"{spec.origin} {'accepted' if run.accepted else 'rejected'}"] += 1  # type: ignore[attr-defined]
        failures = unknown_failures(run.outcomes)
        assert not failures, _report(failures, run.source)

    @settings(CONTRACT, max_examples=FULL_EXAMPLES)
    @given(st.data())
    def every_command(data: st.DataObject) -> None:
        spec = data.draw(contract_specs())
        rng = data.draw(st.randoms(use_true_random=True))
        inputs = Inputs(lambda seeds: subj.batch(rng, seeds, 12), spec.new_version, spec.cohorts)
        run = run_spec(spec.source, spec.origin, folder, coverage, inputs, spec.plain)
        coverage.sources[f"{spec.origin} {'accepted' if run.accepted else 'rejected'}"] += 1
        failures = unknown_failures(run.outcomes)
        assert not failures, _report(failures, run.source)

    # a fixed floor under the generated examples, so that the coverage asserted below does
    # not hang on what a bounded number of draws happens to reach: the formatter's
    # kitchen-sink spec (every construct) and the real specs
    for path in FIXED_CORPUS:
        run = run_spec(path.read_text(encoding="utf-8"), "fixed", folder, coverage, None)
        failures = unknown_failures(run.outcomes)
        assert not failures, _report(failures, run.source)
    check_and_fmt()
    every_command()

    commands = set(coverage.commands)
    assert {"check", "fmt", "respell", "witness", "schema"} <= commands
    assert {f"build --only {a}" for a in ARTEFACTS} <= commands
    assert {f"sql --dialect {d}" for d in DIALECTS} <= commands
    assert {f"screen --engine {e} (csv)" for e in ENGINES} <= commands
    assert {"module (json)", "diff --format json", "escalate --format json"} <= commands
    assert any(c.startswith("simulate") for c in commands)
    assert coverage.missing_rules() <= set(UNREACHED_RULES), sorted(coverage.missing_rules())
    assert not coverage.missing_expressions(), sorted(coverage.missing_expressions())
    assert all(coverage.sources[f"{o} accepted"] for o in ORIGINS), coverage.sources


def test_the_coverage_targets_are_the_grammars() -> None:
    # the targets come from the grammar and the model, not from a list kept by hand
    assert {"compare_chain", "visit_window_sym", "map_where", "conditional"} <= grammar_rules()
    assert "sum" not in grammar_rules()  # `?sum` is inlined: never a node of a tree
    assert {"Conditional", "Negate", "Quantifier", "Within"} <= EXPRESSION_KINDS
