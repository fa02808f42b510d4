"""The `protocol` command: a click group whose subcommands load lazily.

Each subcommand lives in `protocol_dsl/commands/<name>.py` and is imported
only when it runs, so `protocol check` never pays for the SQL engine, the
solver or the document writers.  Errors in the user's input (a `UserError`,
see `protocol_dsl.errors`) exit 1; anything else is an internal error: exit 2
with a request for a bug report, never a bare traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from protocol_dsl import __version__
from protocol_dsl.errors import UserError

#: subcommand → (module, one-line help).  The help is here so that
#: `protocol --help` needs no subcommand module.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("protocol_dsl.commands.check", "Parse and check specs for consistency."),
    "fmt": ("protocol_dsl.commands.fmt", "Format specs in the one canonical layout."),
    "build": ("protocol_dsl.commands.build", "Build every artefact of a spec into a folder."),
    "screen": ("protocol_dsl.commands.screen", "Screen subject data: eligibility and edit checks."),
    "endpoints": (
        "protocol_dsl.commands.endpoints",
        "Compute endpoints on subject data into analysis tables.",
    ),
    "sql": ("protocol_dsl.commands.sql", "Print the generated SQL for a dialect."),
    "schema": ("protocol_dsl.commands.schema", "Print the JSON Schema of one subject record."),
    "witness": ("protocol_dsl.commands.witness", "Example subjects at every criterion's boundary."),
    "escalate": ("protocol_dsl.commands.escalate", "Next dose-escalation decision from cohorts."),
    "simulate": ("protocol_dsl.commands.simulate", "Operating characteristics of the design."),
    "diff": ("protocol_dsl.commands.diff", "Classified semantic diff of two protocol versions."),
    "export": (
        "protocol_dsl.commands.export",
        "Export a spec in a standard exchange format (USDM v4).",
    ),
    "import": (
        "protocol_dsl.commands.import_",
        "Draft a spec from a USDM v4 study or a ClinicalTrials.gov record.",
    ),
    "lsp": ("protocol_dsl.commands.lsp", "Run the language server for editors (stdio)."),
    "randomise": (
        "protocol_dsl.commands.randomise",
        "Seeded allocation list per stratum, or minimisation, with its balance.",
    ),
    "preview": (
        "protocol_dsl.commands.preview",
        "Show the protocol document in a browser, refreshed on every save.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _exists(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None or not _exists(entry[0]):
            return None
        module = importlib.import_module(entry[0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="protocol")
def cli() -> None:
    """Clinical trial protocols as code: check, format, build, screen, diff."""


def main(argv: list[str] | None = None) -> Any:
    # A command is a short process that builds a large, long-lived model: with
    # the default thresholds the cycle collector keeps re-walking the parse
    # tree and the model while they are built (a sixth of `protocol check` on a
    # long spec).  Collecting young objects every 50,000 allocations instead of
    # every 700 keeps that cost small; memory stays bounded.
    thresholds, collecting = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(50_000, 20, 20)
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in WITHOUT_CYCLE_COLLECTOR:
        # Loading and checking one spec leaves almost no reference cycles behind
        # (the peak memory of a 50,000-line spec is the same with the collector
        # off), yet each pass of it over the freshly built model costs a few
        # per cent of the run.  The command turns it back on for a second spec.
        gc.disable()
    try:
        return cli.main(args=argv, prog_name="protocol", standalone_mode=True)
    except SystemExit as done:
        if args and args[0] in QUICK_EXIT and isinstance(done.code, int | None):
            _exit_now(done.code or 0)
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except UserError as error:  # the user's input, which no command reported: exit 1
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # an internal error (see protocol_dsl.errors): no traceback
        _internal_error(error)
    finally:
        # called in a longer-lived process (a test, a script, the language server's
        # host): the collector as it was before the command
        gc.set_threshold(*thresholds)
        if collecting:
            gc.enable()


#: Commands that start with the cycle collector off (see `main`): `diff` loads and
#: checks two versions, no more, and turns it back on before it reads subject data.
WITHOUT_CYCLE_COLLECTOR = frozenset({"check", "diff"})


#: Commands that end the process as soon as their output is out.  Freeing a large
#: model object by object when the interpreter shuts down costs more than a tenth
#: of a second on a 10,000-line spec and a fifth of `protocol check` on a real one;
#: these commands hold no files, connections or temporary folders that need
#: closing, so there is nothing for that shutdown to do (mypy ends the same way).
#: `diff` frees two models and, when the solver decided a direction, the z3 terms of
#: both encodings one by one: a sixth of the diff that asks it.
QUICK_EXIT = frozenset({"check", "fmt", "export", "import", "diff"})


def _exit_now(code: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let the normal shutdown report it
        return
    os._exit(code)


def _internal_error(error: BaseException) -> None:
    import traceback

    click.echo(
        "internal error: the protocol compiler failed on this input.\n"
        "This is a bug in protocol-dsl, not in your spec. Please report it with the spec\n"
        "and this message.\n"
        f"  {type(error).__name__}: {error}",
        err=True,
    )
    if os.environ.get("PROTOCOL_DEBUG"):
        traceback.print_exc()
    sys.exit(2)


import importlib.util  # noqa: E402  (after main: keeps the module's order readable)
