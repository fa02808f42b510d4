"""`protocol build SPEC -o DIR [--only …]`: write every artefact of a spec."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from protocol_dsl.commands.options import no_color_option

if TYPE_CHECKING:
    from protocol_dsl.spec import Spec


@click.command("build")
@click.argument("spec")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the artefacts into (created if needed).",
)
@click.option(
    "--only",
    "only",
    default="",
    help="Comma-separated artefacts to build (default: all). See --list.",
)
@click.option("--list", "list_only", is_flag=True, help="List the artefacts and exit.")
@click.option(
    "--redcap-bom",
    "redcap_bom",
    is_flag=True,
    help="Start the REDCap CSV files with a UTF-8 byte-order mark, so Excel shows ≥ and ± right.",
)
@click.option(
    "--reference-docx",
    "reference_docx",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A Word template (.docx) whose styles, header, footer and heading numbering "
    "the Word documents use.",
)
@click.option(
    "--paper",
    "paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper of the printed documents (default: the spec's `paper`, else A4).",
)
@click.option(
    "--registry-provisional",
    "registry_provisional",
    type=click.Choice(["flag", "exclude"]),
    default="flag",
    show_default=True,
    help="Values marked provisional in the registry record: kept and flagged as not final, "
    "or left out.",
)
@no_color_option
def command(
    spec: str,
    output: str,
    only: str,
    list_only: bool,
    redcap_bom: bool,
    reference_docx: str | None,
    paper: str | None,
    registry_provisional: str,
    no_color: bool,
) -> None:
    """Build the documents, CRFs, checks, SQL, registry record and SDTM datasets of SPEC."""
    from generators import registry

    artefacts = registry.available()
    if list_only:
        for name, artefact in artefacts.items():
            click.echo(f"{name:<11} {artefact.description}")
        return
    wanted = [w.strip() for w in only.split(",") if w.strip()] or list(artefacts)
    unknown = [w for w in wanted if w not in registry.ARTEFACTS]
    if unknown:
        raise click.UsageError(
            f"unknown artefact(s): {', '.join(unknown)}; choose from {', '.join(registry.ARTEFACTS)}"
        )
    template = _word_template(reference_docx) if reference_docx else None
    # The escalation engine's arrays are small: OpenBLAS would start a thread per
    # core when numpy is imported, and its idle threads spin, costing CPU for nothing.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from protocol_dsl.compiler import compile_spec
    from protocol_dsl.diagnostics import has_errors, render_text, use_colour

    result = compile_spec(spec)
    colour = use_colour(sys.stderr, no_color)
    problems = [d for d in result.diagnostics if d.severity != "note"]
    if problems:
        click.echo(render_text(problems, result.sources, colour), err=True, nl=False)
    if result.spec is None or has_errors(result.diagnostics):
        click.echo("nothing built: fix the errors above first", err=True)
        sys.exit(2 if result.internal else 1)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    try:
        registry_options: dict[str, object] = {"provisional": registry_provisional}
        options: dict[str, dict[str, object]] = {
            "registry": registry_options,
            "prs": registry_options,
        }
        if redcap_bom:
            options["redcap"] = {"bom": True}
        if template is not None or paper is not None:
            documents: dict[str, object] = {"reference_docx": template, "paper_name": paper}
            options["protocol"] = options["soa"] = documents
        written, failed, internal = _build(result.spec, out, wanted, artefacts, options)
    finally:
        gc.unfreeze()
    click.echo(f"built {len(written)} files into {out}")
    if internal:
        sys.exit(2)
    if failed:
        sys.exit(1)


def _build(
    spec: Spec,
    out: Path,
    wanted: list[str],
    artefacts: dict,
    options: dict[str, dict[str, object]] | None = None,
) -> tuple[list[Path], bool, bool]:
    """Write the wanted artefacts: the files written, whether any could not be built
    (an optional dependency missing), and whether any failed with an internal error.

    An artefact that fails is reported with the internal-error code
    (E0999) and the request for a bug report, and the others are still built: a
    spec that `check` accepts is one every generator must handle, so the failure
    is a bug, and one broken generator must not cost the user every other file.
    That holds for a `UserError` too: a generator refusing what `check` accepted
    means `check` is missing a rule.

    Before each generator, the objects that exist (modules, the checked spec,
    what earlier generators keep) are frozen out of garbage collection: they
    live until the build ends, and each full collection would walk all of them
    again while the generators allocate their trees (a tenth of the build
    time).  New objects are collected as usual; the caller unfreezes.
    """
    from generators import registry

    written: list[Path] = []
    failed = internal = False
    for name in wanted:
        if name not in artefacts:
            click.echo(f"skipped {name}: not available in this installation", err=True)
            continue
        try:
            module = registry.load(name)
        except ImportError as error:
            extra = registry.ARTEFACTS[name].extra
            click.echo(
                f"skipped {name}: needs an optional dependency ({error.name}); "
                f"install with: pip install 'protocol-dsl[{extra or 'all'}]'",
                err=True,
            )
            failed = True
            continue
        gc.freeze()
        try:
            files = module.build(spec, out, **(options or {}).get(name, {}))
        except Exception as error:  # a bug in this generator: report it, build the others
            _artefact_failed(name, error)
            internal = True
            continue
        written += files
        listed = ", ".join(str(f.relative_to(out)) for f in files)
        click.echo(f"{name:<11} " + (listed or "nothing to write for this spec"))
    return written, failed, internal


def _artefact_failed(name: str, error: Exception) -> None:
    from protocol_dsl.commands.internal import report_internal

    report_internal(f"while building {name}", error, "the other artefacts were built")


def _word_template(path: str) -> bytes:
    """The reference template's bytes, refused with a plain message if Word could not open it."""
    from generators.documents.docx_pages import NotAWordTemplate, open_document

    data = Path(path).read_bytes()
    try:
        open_document(data)
    except NotAWordTemplate:
        raise click.BadParameter(
            f"{path} is not a Word document (.docx); save the template from Word as .docx",
            param_hint="--reference-docx",
        ) from None
    return data
