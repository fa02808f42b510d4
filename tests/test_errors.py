"""The error taxonomy: every exception is a user's error, an internal error or control flow.

See `protocol_dsl.errors`.  The command layer reports a `UserError` as the
user's problem (exit 1) and anything else as an internal error (exit 2, with a
request for a bug report), never as a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import generators
import protocol_dsl
from protocol_dsl import cli
from protocol_dsl.errors import ControlFlow, InternalError, UserError

ROOTS = (UserError, InternalError, ControlFlow)
QLS4131 = Path(__file__).resolve().parents[1] / "specs" / "qls4131_sle_phase1b.trial"


def _package_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in the package (each module imported once)."""
    found: dict[str, type[BaseException]] = {}
    for package in (protocol_dsl, generators):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):  # running it is starting the command
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseException)
                    and value.__module__ == module.__name__
                    and value not in ROOTS
                ):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


EXCEPTIONS = _package_exceptions()


def test_the_package_exceptions_are_found() -> None:
    names = {cls.__name__ for cls in EXCEPTIONS}
    assert {"UnitError", "SyntaxProblem", "PlanError", "TooNarrow", "DesignError"} <= names


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_exception_has_exactly_one_root(cls: type[BaseException]) -> None:
    roots = [root.__name__ for root in ROOTS if issubclass(cls, root)]
    assert len(roots) == 1, f"{cls.__name__} derives from {roots or 'none of the roots'}"


@pytest.mark.parametrize(
    ("path", "root", "other"),
    [
        ("protocol_dsl.semantics.units.UnitError", UserError, ValueError),
        ("protocol_dsl.semantics.conversions.NotAffine", UserError, ValueError),
        ("protocol_dsl.screening.boxes.TooNarrow", ControlFlow, ValueError),
        ("protocol_dsl.evaluate.subject.OutOfRange", UserError, None),
        ("protocol_dsl.syntax.builder.SyntaxProblem", UserError, None),
        ("protocol_dsl.syntax.formatter.FormatError", UserError, None),
        ("protocol_dsl.data.batch.InputError", UserError, None),
        ("protocol_dsl.evaluate.interpreter.CompileError", InternalError, None),
        ("protocol_dsl.plan.lower.PlanError", InternalError, None),
        ("generators.sql.run.SourceError", UserError, None),
        ("generators.diff.subjects.SubjectDataError", UserError, None),
        ("generators.crf.redcap.Untranslatable", ControlFlow, None),
        ("generators.escalation.decide.EscalationInputError", UserError, ValueError),
        ("generators.escalation.from_spec.NoDesign", UserError, ValueError),
        ("generators.escalation.designs.DesignError", UserError, ValueError),
    ],
)
def test_each_exception_keeps_the_base_its_callers_catch(
    path: str, root: type[Exception], other: type[Exception] | None
) -> None:
    module, name = path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, root)
    if other is not None:
        assert issubclass(cls, other), f"callers catch {name} as a {other.__name__}"


# ---------------------------------------------------------------- the command layer

#: What the `boom` command below raises (set by each test).
_RAISED: BaseException = RuntimeError("no exception given")


@click.command("boom")
def command() -> None:
    """A command that fails with the exception a test gives it."""
    raise _RAISED


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: BaseException
) -> tuple[int, str]:
    monkeypatch.setitem(cli.COMMANDS, "boom", (__name__, "Fail on purpose."))
    monkeypatch.setattr(sys.modules[__name__], "_RAISED", error)
    with pytest.raises(SystemExit) as done:
        cli.main(["boom"])
    code = done.value.code
    assert isinstance(code, int)
    return code, capsys.readouterr().err


def test_a_user_error_no_command_reported_exits_1_with_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _main(monkeypatch, capsys, UserError("the cohorts file has no header"))
    assert (code, err) == (1, "error: the cohorts file has no header\n")


@pytest.mark.parametrize(
    "error",
    [InternalError("no plan for this rule"), KeyError("dose"), AssertionError("unreachable")],
    ids=["InternalError", "KeyError", "AssertionError"],
)
def test_anything_else_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    monkeypatch.delenv("PROTOCOL_DEBUG", raising=False)
    code, err = _main(monkeypatch, capsys, error)
    assert code == 2
    assert err == (
        "internal error: the protocol compiler failed on this input.\n"
        "This is a bug in protocol-dsl, not in your spec. Please report it with the spec\n"
        "and this message.\n"
        f"  {type(error).__name__}: {error}\n"
    )


def test_a_generator_refusing_what_check_accepted_is_a_bug_and_the_others_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generators.escalation.designs import DesignError
    from generators.schema import schema

    def refusing(spec: object, out_dir: Path) -> list[Path]:
        raise DesignError("the target toxicity must be below 0.5", "target")

    monkeypatch.setattr(schema, "build", refusing)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli.cli, ["build", str(QLS4131), "-o", str(out), "--only", "schema,sdtm"]
    )
    # `check` accepted the spec, so a generator refusing it is a missing check: a bug
    assert result.exit_code == 2, result.output
    assert "E0999" in result.output and "the target toxicity must be below 0.5" in result.output
    assert (out / "sdtm" / "ta.csv").exists()
    assert result.output.splitlines()[-1].startswith("built ")
