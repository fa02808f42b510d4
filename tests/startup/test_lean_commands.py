"""Each command imports what it runs and no more: start-up is part of every command's time.

The real command runs in a fresh process; when it ends, the modules it
imported are written out and compared with the heavy dependencies it has no
use for.  `simulate` and `escalate` read the escalation design, not the
eligibility criteria, so they check the spec without the solver's analysis
and never load z3.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QLS = "specs/qls4131_sle_phase1b.trial"

#: Runs the `protocol` command, then prints the names of the modules it imported (`check`
#: and `fmt` end the process at once, so they are made to end normally here).
PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
from protocol_dsl import cli
cli.QUICK_EXIT = frozenset()
sys.argv = ["protocol", *sys.argv[1:]]
cli.main()
"""


def imported(args: list[str], stdin: str | None = None) -> tuple[set[str], int]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1]
    return set(json.loads(last)), done.returncode


def test_simulate_loads_neither_the_solver_nor_unused_back_ends() -> None:
    modules, status = imported(
        ["simulate", QLS, "--scenario", "safe_profile", "--trials", "200", "--format", "json"]
    )
    assert status == 0
    assert "numpy" in modules and "generators.escalation.simulate" in modules
    unused = {
        "z3",
        "protocol_dsl.solver.logic",
        "generators.escalation.table",
        "generators.escalation.cohorts_file",
        "matplotlib",
        "duckdb",
        "pyarrow",
        "sqlglot",
        "jinja2",
    }
    assert modules.isdisjoint(unused), sorted(modules & unused)


def test_escalate_loads_no_solver() -> None:
    cohorts = "dose_level,patients,dlts\nDL1,3,0\n"
    modules, status = imported(["escalate", QLS, "--data", "-", "--format", "json"], cohorts)
    assert status == 0
    assert "generators.escalation.decide" in modules
    assert modules.isdisjoint({"z3", "protocol_dsl.solver.logic", "duckdb", "matplotlib"})


@pytest.mark.parametrize("command", [["check"], ["fmt", "--check"]])
def test_check_and_fmt_load_no_data_engine(command: list[str]) -> None:
    modules, status = imported([*command, QLS])
    assert status == 0
    assert modules.isdisjoint({"numpy", "duckdb", "pyarrow", "sqlglot", "jinja2", "matplotlib"})


def test_simulate_still_refuses_a_spec_with_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.trial"
    text = (ROOT / QLS).read_text("utf-8").replace("start_level DL1", "start_level DL9")
    broken.write_text(text, "utf-8")
    for name in ("lib",):
        (tmp_path / name).symlink_to(ROOT / "specs" / name)
    done = subprocess.run(
        [sys.executable, "-m", "protocol_dsl", "simulate", str(broken), "--trials", "100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "DL9" in done.stderr and "fix the errors above first" in done.stderr


def test_the_statuses_report_through_duckdb_loads_no_interpreter(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "demographics.csv").write_text(
        "subject_id,visit,sex\nS001,SCR,female\n", encoding="utf-8"
    )
    out = tmp_path / "statuses.csv"
    args = ["screen", QLS, str(tables), "--report", "statuses", "--engine", "duckdb"]
    modules, status = imported([*args, "--format", "csv", "-o", str(out)])
    assert status == 0
    assert "duckdb" in modules and "generators.sql.compile" in modules
    interpreter = {
        "protocol_dsl.evaluate.interpreter",
        "protocol_dsl.evaluate.edit_checks",
        "generators.sql.edit_checks",
    }
    assert modules.isdisjoint(interpreter), sorted(modules & interpreter)
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("S001,")


def test_every_name_of_the_evaluation_package_loads_when_asked() -> None:
    import protocol_dsl.evaluate as evaluate
    from protocol_dsl.evaluate import interpreter, subject, values

    for name in evaluate.__all__:
        defined = [getattr(m, name) for m in (interpreter, subject, values) if hasattr(m, name)]
        assert getattr(evaluate, name) is defined[0], name
    with pytest.raises(AttributeError):
        evaluate.no_such_name  # noqa: B018
