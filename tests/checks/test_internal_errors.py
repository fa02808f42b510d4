"""A failing check is an internal-error diagnostic (E0999) naming it; the others still run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.checks import completeness, logic, run_checks, units
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec

SPEC = """\
trial EXAMPLE {
  title "Example"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age integer "Age (years)" range 0 .. 120
}

inclusion I1 "Adults" = demographics.age >= 18
inclusion I2 "Never" = demographics.age > 200
"""


def _broken(error: BaseException, family: str = "units"):
    """A stand-in for the check of `family` with a bug in it (named as that module's)."""

    def check(spec):
        raise error

    check.__module__ = f"protocol_dsl.checks.{family}"
    return check


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.trial"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), RecursionError("too deep"), KeyError("x")], ids=repr
)
def test_a_failing_check_is_reported_and_the_others_run(
    spec_file: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    monkeypatch.setattr(units, "check", _broken(error))
    result = compile_spec(str(spec_file))
    internal = [d for d in result.diagnostics if d.code == "E0999"]
    assert len(internal) == 1
    assert "in the units checks" in internal[0].message
    assert type(error).__name__ in internal[0].message
    assert internal[0].help == "please report it with the spec and this message"
    assert result.internal
    # the logic check after it still ran: the impossible inclusion is found
    assert any(d.code in {"E0401", "E0405"} for d in result.diagnostics)


def test_each_failing_check_gets_its_own_diagnostic(
    spec_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(units, "check", _broken(RuntimeError("one")))
    monkeypatch.setattr(completeness, "check", _broken(ValueError("two"), "completeness"))
    result = compile_spec(str(spec_file))
    messages = sorted(d.message for d in result.diagnostics if d.code == "E0999")
    assert messages == [
        "internal error in the completeness checks: ValueError: two",
        "internal error in the units checks: RuntimeError: one",
    ]


def test_a_missing_module_that_is_not_an_optional_extra_is_an_internal_error(
    spec_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = ModuleNotFoundError("No module named 'nowhere'", name="nowhere")
    monkeypatch.setattr(logic, "check", _broken(missing, "logic"))
    codes = [d.code for d in compile_spec(str(spec_file)).diagnostics]
    assert "E0999" in codes
    assert "N0903" not in codes


def test_run_checks_keeps_going_after_a_failure(spec_file: Path) -> None:
    spec = compile_spec(str(spec_file)).spec
    assert spec is not None
    diagnostics = run_checks(spec, [_broken(RuntimeError("first")), logic.check])
    codes = [d.code for d in diagnostics]
    assert codes[0] == "E0999"
    assert "E0405" in codes  # the threshold of I2 lies outside the item's range


def test_check_command_exits_2_on_an_internal_error(
    spec_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(units, "check", _broken(RuntimeError("boom")))
    result = CliRunner().invoke(cli, ["check", str(spec_file), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert '"code": "E0999"' in result.output
    assert "Traceback" not in result.output


def test_other_commands_exit_2_when_a_check_failed(
    spec_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(units, "check", _broken(RuntimeError("boom")))
    built = CliRunner().invoke(cli, ["build", str(spec_file), "-o", str(tmp_path / "out")])
    assert built.exit_code == 2, built.output
    assert "E0999" in built.output
    for args in (
        ["schema", str(spec_file)],
        ["witness", str(spec_file)],
        ["sql", str(spec_file)],
        ["diff", str(spec_file), str(spec_file)],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert "E0999" in result.output, args
