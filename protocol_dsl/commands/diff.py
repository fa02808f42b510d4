"""`protocol diff OLD NEW` / `protocol diff SPEC --against GITREF`: the classified semantic diff.

Exit codes: 0 no change, 3 changes, 4 substantial changes, 1 an error (a
spec with errors, an unknown git ref, unreadable subject data, an
amendment override that names none of the changes (E0133), or
`--require-rationale` with substantial changes that have no rationale, or
with an amendment `change NAME` entry that names none of the changes; without
the option such an entry is a warning).

With `--against`, the old version of the spec and of every library it uses
is read from git (`git show REF:path`), paths taken relative to the
repository the spec is in.  Only `--subjects` (the interpreter and data
readers) and `--format docx` (python-docx) import anything heavy.
"""

from __future__ import annotations

import functools
import gc
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from protocol_dsl import __version__
from protocol_dsl.commands.options import format_option, no_color_option, output_file_option
from protocol_dsl.compiler import CompileResult
from protocol_dsl.diagnostics import (
    Diagnostic,
    has_errors,
    render_text,
    sorted_diagnostics,
    use_colour,
)
from protocol_dsl.errors import UserError
from protocol_dsl.syntax.loader import Loader, Reader, load

if TYPE_CHECKING:
    from generators.diff.changes import Change
    from generators.diff.render import Report
    from protocol_dsl import model as m
    from protocol_dsl.spec import Spec

EXIT_NO_CHANGE = 0
EXIT_CHANGES = 3
EXIT_SUBSTANTIAL = 4


class _UserError(UserError):
    """A spec or git ref `diff` cannot read; the message says which and why."""


def _exit_with_status(run: Callable[..., int]) -> Callable[..., None]:
    """The command exits with the status `run` returns, or 1 after printing a `_UserError`."""

    @functools.wraps(run)
    def command(*args: Any, **kwargs: Any) -> None:
        try:
            sys.exit(run(*args, **kwargs))
        except _UserError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)

    return command


@click.command("diff")
@click.argument("specs", nargs=-1, required=True, metavar="OLD NEW | SPEC --against GITREF")
@click.option(
    "--against",
    "against",
    metavar="GITREF",
    help="Compare SPEC with its version at a git ref (branch, tag, commit).",
)
@format_option("text", "json", "markdown", "docx", "github", "sarif")
@output_file_option("Write the output to a file (required for docx).")
@click.option(
    "--subjects",
    "subjects",
    multiple=True,
    metavar="DATA",
    help="Re-screen subject data (JSON, JSON Lines, CSV/Parquet folder, DuckDB) "
    "under both versions.",
)
@click.option(
    "--tracked-changes",
    "tracked_changes",
    metavar="FILE.docx",
    help="Write the new protocol (Word) with the changes as tracked revisions.",
)
@click.option(
    "--clean",
    "clean",
    metavar="FILE.docx",
    help="Write the clean new protocol (Word), the companion of --tracked-changes.",
)
@click.option(
    "--require-rationale",
    is_flag=True,
    help="Fail if a substantial change has no `change … rationale` entry in the amendment.",
)
@no_color_option
@_exit_with_status
def command(
    specs: tuple[str, ...],
    against: str | None,
    output_format: str,
    output: str | None,
    subjects: tuple[str, ...],
    tracked_changes: str | None,
    clean: str | None,
    require_rationale: bool,
    no_color: bool,
) -> int:
    """Compare two versions of a protocol and classify every change.

    Exit 0 when nothing changed, 3 when something changed, 4 when a change is
    substantial (EU CTR 536/2014 or FDA 21 CFR 312.30), 1 on an error.
    """
    if against is not None and len(specs) != 1:
        raise click.UsageError("with --against give one spec: protocol diff SPEC --against REF")
    if against is None and len(specs) != 2:
        raise click.UsageError("give two specs (protocol diff OLD NEW) or one with --against REF")
    if output_format == "docx" and not output:
        raise click.UsageError("--format docx writes a Word file: give it with -o FILE")
    if against is not None:
        new_path = specs[0]
        reader, old_name = git_reader(against, new_path)
        old_result = compile_for_diff(new_path, reader=reader)
        new_result = compile_for_diff(new_path)
    else:
        old_path, new_path = specs
        old_name = old_path
        old_result, new_result = compile_pair(old_path, new_path)
    failed = [
        (name, result)
        for name, result in ((old_name, old_result), (new_path, new_result))
        if not result.ok
    ]
    if failed:
        colour = use_colour(sys.stderr, no_color)
        for name, result in failed:
            click.echo(f"{name} has errors:", err=True)
            problems = [d for d in result.diagnostics if d.severity != "note"]
            click.echo(render_text(problems, result.sources, colour), err=True, nl=False)
        click.echo("nothing compared: fix the errors above first", err=True)
        # a check that failed (E0999) is a bug, not the spec's: the internal-error status
        return 2 if any(result.internal for _name, result in failed) else 1
    assert old_result.spec is not None and new_result.spec is not None
    from generators.diff import renames
    from generators.diff.identity import unknown_previous_names

    wrong = unknown_previous_names(old_result.spec, new_result.spec)
    wrong += renames.unknown_previous_names(old_result.spec, new_result.spec)
    if wrong:
        colour = use_colour(sys.stderr, no_color)
        click.echo(render_text(wrong, new_result.sources, colour), err=True, nl=False)
        click.echo("nothing compared: fix the errors above first", err=True)
        return 1
    report, missing, unmatched, stray = _report(
        old_result, new_result, old_name, new_path, subjects
    )
    if stray:
        from generators.diff.render import unmatched_overrides_text

        click.echo(unmatched_overrides_text(stray), err=True, nl=False)
        return 1
    _write(report, output_format, output, new_path, no_color)
    if tracked_changes or clean:
        _write_protocols(old_result, new_result, report, tracked_changes, clean)
    if unmatched:
        from generators.diff.render import unmatched_entries_text

        click.echo(unmatched_entries_text(unmatched, report.changes), err=True, nl=False)
    if require_rationale and missing:
        from generators.diff.render import missing_rationale_text

        click.echo(missing_rationale_text(missing), err=True, nl=False)
    if require_rationale and (missing or unmatched):
        return 1
    if not report.changes:
        return EXIT_NO_CHANGE
    return EXIT_SUBSTANTIAL if report.substantial else EXIT_CHANGES


def _write_protocols(
    old_result: CompileResult,
    new_result: CompileResult,
    report: Report,
    tracked_changes: str | None,
    clean: str | None,
) -> None:
    """The new protocol in Word: with the changes as revisions, and clean."""
    from generators.diff.amended_protocol import protocol_docx, tracked_protocol

    old, new = old_result.spec, new_result.spec
    assert old is not None and new is not None
    if tracked_changes:
        Path(tracked_changes).write_bytes(tracked_protocol(old, new, report.amendments))
        click.echo(f"wrote {tracked_changes}: the new protocol with tracked changes", err=True)
    if clean:
        Path(clean).write_bytes(protocol_docx(new))
        click.echo(f"wrote {clean}: the new protocol, clean", err=True)


def compile_for_diff(
    path: str, source: str | None = None, reader: Reader | None = None
) -> CompileResult:
    """Load and check a spec with every check but the SMT solver's (which `protocol check` runs).

    The diff needs a spec that loads, resolves and type-checks; proving
    criteria satisfiable or non-redundant is not its job, and the solver
    (z3) is the one check that would make `protocol diff` slow to start.
    """
    spec, diagnostics, sources = load(path, source, reader) if reader else load(path, source)
    return _checked(spec, diagnostics, sources)


def compile_pair(old_path: str, new_path: str) -> tuple[CompileResult, CompileResult]:
    """Both versions from disk, with one loader: a library they share is parsed once."""
    loader = Loader()
    results = []
    for path in (old_path, new_path):
        before = len(loader.diagnostics)
        spec = loader.load(path)
        results.append(_checked(spec, loader.diagnostics[before:], dict(loader.sources)))
    return results[0], results[1]


def _checked(
    spec: Spec | None, diagnostics: list[Diagnostic], sources: dict[str, str]
) -> CompileResult:
    from protocol_dsl.checks import all_checks, run_checks
    from protocol_dsl.solver import ranges

    if spec is not None and not has_errors(diagnostics):
        # the logic check's plain-arithmetic part (thresholds against item ranges), not the
        # solver (nor the solver's conditional-collection and dead-alternative findings:
        # warnings, which a diff does not gate on)
        solver = (
            "protocol_dsl.checks.logic",
            "protocol_dsl.checks.collection",
            "protocol_dsl.checks.alternatives",
        )
        checks = [c for c in all_checks() if c.__module__ not in solver]
        diagnostics = diagnostics + run_checks(spec, [*checks, ranges.check])
    return CompileResult(spec, sorted_diagnostics(diagnostics), sources)


def _report(
    old_result: CompileResult,
    new_result: CompileResult,
    old_name: str,
    new_name: str,
    subjects: tuple[str, ...],
) -> tuple[Report, list[Change], list[m.AmendmentChange], list[m.ClassificationOverride]]:
    from generators.diff import rationale
    from generators.diff.compare import diff, phase_of
    from generators.diff.conclusion import conclude
    from generators.diff.overrides import apply_overrides
    from generators.diff.render import Report
    from generators.diff.wording import wordings

    old, new = old_result.spec, new_result.spec
    assert old is not None and new is not None
    amendments = rationale.current_amendments(old, new)
    changes, stray = apply_overrides(diff(old, new), amendments)
    rescreened = None
    if subjects:
        from generators.diff.subjects import SubjectDataError, rescreen, with_evidence

        # `protocol` compares the two versions without the cycle collector (see cli.main);
        # subject data can be any size, so its memory must stay bounded
        gc.enable()
        try:
            rescreened = rescreen(old, new, subjects)
        except SubjectDataError as error:
            raise _UserError(f"cannot read the subject data: {error}") from None
        changes = with_evidence(changes, rescreened)
    report = Report(
        old_name=old_name,
        new_name=new_name,
        trial=new.trial.name if new.trial else "",
        old_version=_version(old),
        new_version=_version(new),
        phase=phase_of(new),
        changes=tuple(changes),
        rationales=tuple(rationale.rationale_for(c, amendments) for c in changes),
        amendments=amendments,
        subjects=rescreened,
        conclusion=conclude(changes),
        wordings=wordings(changes, old, new),
        old_date=_version_date(old),
        new_date=_version_date(new),
    )
    return (
        report,
        rationale.missing_rationales(changes, amendments),
        rationale.unmatched_entries(changes, amendments),
        stray,
    )


def _version_date(spec: Spec) -> str | None:
    field = spec.trial_field("version_date")
    return str(field.value.value) if field is not None else None


def _version(spec: Spec) -> str | None:
    field = spec.trial_field("version")
    return str(field.value.value) if field is not None else None


def _write(
    report: Report, output_format: str, output: str | None, new_file: str, no_color: bool
) -> None:
    from generators.diff import render

    if output_format == "docx":
        assert output is not None
        Path(output).write_bytes(render.render_docx(report))
        click.echo(f"wrote {output}: {report.summary_line()}", err=True)
        return
    if output_format == "json":
        text = render.render_json(report)
    elif output_format == "markdown":
        text = render.render_markdown(report)
    elif output_format == "github":
        text = render.render_github(report, new_file)
    elif output_format == "sarif":
        text = render.render_sarif(report, new_file, __version__)
    else:
        colour = output is None and use_colour(sys.stdout, no_color)
        text = render.render_text(report, colour)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}: {report.summary_line()}", err=True)
    else:
        click.echo(text, nl=False)


# ---------------------------------------------------------------- git


def git_reader(ref: str, spec_path: str) -> tuple[Callable[[str], bytes], str]:
    """A reader of files as they are at `ref` in the repository holding `spec_path`.

    Returns the reader and the name of the old version ("REF:path/in/repo").
    """
    folder = os.path.dirname(os.path.abspath(spec_path))
    found = _git(["rev-parse", "--show-toplevel"], folder)
    if found is None:
        raise _UserError(f"{spec_path} is not inside a git repository (needed for --against)")
    top = os.path.realpath(found.decode("utf-8").strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    if commit is None:
        raise _UserError(f"no commit '{ref}' in the repository at {top} (a branch, tag or commit)")
    commit_id = commit.decode("ascii").strip()

    def in_repo(path: str) -> str:
        relative = os.path.relpath(os.path.realpath(path), top)
        if relative == ".." or relative.startswith(".." + os.sep):
            raise FileNotFoundError(path)
        return relative.replace(os.sep, "/")

    def reader(path: str) -> bytes:
        data = _git(["show", f"{commit_id}:{in_repo(path)}"], top)
        if data is None:
            raise FileNotFoundError(path)
        return data

    try:
        relative = in_repo(spec_path)
        reader(spec_path)
    except FileNotFoundError:
        raise _UserError(f"{spec_path} does not exist at {ref}") from None
    return reader, f"{ref}:{relative}"


def _git(args: list[str], cwd: str) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise _UserError("git is not installed (needed for --against)") from None
    except OSError as error:
        raise _UserError(f"cannot run git: {error}") from None
    return done.stdout if done.returncode == 0 else None
