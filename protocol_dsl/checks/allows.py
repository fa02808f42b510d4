"""`allow CODE "reason"`: a finding the writer has reviewed, silenced with its reason.

An `allow` mark sits on the declaration the finding is reported on.  A finding of
that code whose primary span lies inside the declaration is taken out of the
active findings and kept as allowed, with the reason, so every output can still
show it (SARIF as an in-source suppression).  Only warnings and notes may be
allowed: an error means the spec cannot work, and no reason changes that (E0126).
A blank reason is refused (E0125): a suppression without a justification is the
thing a reviewer cannot audit.  An `allow` that silences nothing is a note
(N0905), so a stale suppression is noticed once the finding is fixed.
"""

from __future__ import annotations

import attrs

from protocol_dsl.codes import CODES
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.model import Mark, MarkedNodes, Span, marked_nodes
from protocol_dsl.spec import Spec


@attrs.frozen
class Allowance:
    """One `allow` mark and the span of the declaration it sits on."""

    mark: Mark
    declaration: Span


def allowances(spec: Spec, marked: MarkedNodes = marked_nodes) -> list[Allowance]:
    """Every `allow` mark of the spec's own module, with its declaration's span.

    A library's marks are not read: a finding is reported on the spec being checked,
    and a library is reviewed by checking it on its own.  `marked`: the marked nodes of
    a declaration (a language server keeps them for declarations an edit did not touch).
    """
    found: list[Allowance] = []
    for declaration in spec.module.declarations:
        for node in marked(declaration):
            marks = getattr(node, "marks", None)
            span = getattr(node, "span", None)
            if not isinstance(marks, tuple) or not isinstance(span, Span):
                continue
            for mark in marks:
                if isinstance(mark, Mark) and mark.kind == "allow":
                    found.append(Allowance(mark, span))
    return found


def _inside(inner: Span, outer: Span) -> bool:
    return inner.file == outer.file and outer.start <= inner.start and inner.end <= outer.end


def split_allowed(
    spec: Spec,
    diagnostics: list[Diagnostic],
    *,
    report_unused: bool = True,
    marked: MarkedNodes = marked_nodes,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(active findings plus those about the `allow` marks themselves, allowed findings).

    An allowed finding carries its reason in `Diagnostic.allowed`.  `report_unused`:
    whether an `allow` that silences nothing is a note (N0905), which only a run of
    every check can tell.  `marked`: as for `allowances`.
    """
    marks = allowances(spec, marked)
    if not marks:
        return diagnostics, []
    problems: list[Diagnostic] = []
    usable: list[Allowance] = []
    for allowance in marks:
        problem = _refusal(allowance.mark)
        if problem is None:
            usable.append(allowance)
        else:
            problems.append(problem)
    active: list[Diagnostic] = []
    allowed: list[Diagnostic] = []
    used: set[int] = set()
    for diagnostic in diagnostics:
        match = next(
            (
                i
                for i, a in enumerate(usable)
                if a.mark.code == diagnostic.code
                and diagnostic.severity != "error"
                and _inside(diagnostic.span, a.declaration)
            ),
            None,
        )
        if match is None:
            active.append(diagnostic)
        else:
            used.add(match)
            allowed.append(attrs.evolve(diagnostic, allowed=usable[match].mark.text.strip()))
    for i, allowance in enumerate(usable):
        if report_unused and i not in used:
            problems.append(_unused(allowance.mark))
    return active + problems, allowed


def _refusal(mark: Mark) -> Diagnostic | None:
    info = CODES.get(mark.code)
    if info is not None and info.severity == "error":
        return Diagnostic(
            "E0126",
            "error",
            f"{mark.code} ({info.title}) is an error and cannot be allowed",
            mark.span,
            notes=("an error means the spec cannot work as written; no reason changes that",),
            help="fix the problem the error reports, then remove this `allow`",
        )
    if info is None:
        return Diagnostic(
            "E0126",
            "error",
            f"`{mark.code}` is not a diagnostic code of protocol-dsl, so there is nothing to allow",
            mark.span,
            help='write the code `protocol check` reports for the finding, e.g. `allow W0406 "…"`',
        )
    if not mark.text.strip():
        return Diagnostic(
            "E0125",
            "error",
            f"`allow {mark.code}` has no reason",
            mark.span,
            notes=("a reviewer reads the reason to judge whether the finding may stay",),
            help=f'say why the finding is acceptable: allow {mark.code} "…why it is acceptable…"',
        )
    return None


def _unused(mark: Mark) -> Diagnostic:
    title = CODES[mark.code].title
    return Diagnostic(
        "N0905",
        "note",
        f"`allow {mark.code}` silences nothing: no {mark.code} ({title}) is reported here",
        mark.span,
        help="the finding is gone: remove this `allow`, or move it to the declaration "
        "the finding is reported on",
    )
