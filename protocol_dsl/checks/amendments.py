"""Classification overrides in an amendment: a reviewer's verdict with its recorded reason.

An amendment's `change NAME "…"` entry may replace the computed EU or FDA
verdict of the changes it names (`override eu not_substantial "reason"`).
An override is a regulatory decision: it must name a change (E0133), give
its reason (E0134), speak of a known regulation and verdict (E0135), and not
contradict another override of the same change in that amendment (E0136).  Whether NAME is one
of the changes between two versions is for `protocol diff` to say, which
reports an override that matches none with E0133 too.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.model import AmendmentChange, ClassificationOverride
from protocol_dsl.spec import Spec

#: the words an override may use, and what they mean
REGULATIONS = {"eu": "EU CTR 536/2014", "fda": "21 CFR 312.30"}
VERDICTS = {"substantial": True, "not_substantial": False}


def check(spec: Spec) -> Iterator[Diagnostic]:
    for amendment in spec.amendments:
        # each amendment decides for its own changes; a later one may decide otherwise
        decided: dict[tuple[str, str], ClassificationOverride] = {}
        for entry in amendment.changes:
            for override in entry.overrides:
                yield from _entry_problems(entry, override)
                if entry.target is None or not _known(override):
                    continue
                for regulation in regulations_of(override):
                    earlier = decided.setdefault((entry.target, regulation), override)
                    if earlier.verdict != override.verdict:
                        yield _conflict(entry.target, regulation, earlier, override)


def regulations_of(override: ClassificationOverride) -> tuple[str, ...]:
    """The regulations an override speaks for: the one it names, or both."""
    return (override.regulation,) if override.regulation else tuple(REGULATIONS)


def _known(override: ClassificationOverride) -> bool:
    return override.verdict in VERDICTS and (
        override.regulation is None or override.regulation in REGULATIONS
    )


def _entry_problems(
    entry: AmendmentChange, override: ClassificationOverride
) -> Iterator[Diagnostic]:
    if entry.target is None:
        yield Diagnostic(
            "E0133",
            "error",
            "this override names no change: the `change` entry has no name",
            override.span,
            notes=("an override replaces the classification of the changes its entry names",),
            help='name the change it is about: change I1 "…" override …',
        )
    if not override.reason.strip():
        yield Diagnostic(
            "E0134",
            "error",
            "this override has no reason",
            override.span,
            notes=("the reason is what an inspector reads to accept the reviewer's verdict",),
            help='say why: override not_substantial "…why the computed verdict does not apply…"',
        )
    if override.regulation is not None and override.regulation not in REGULATIONS:
        yield Diagnostic(
            "E0135",
            "error",
            f"`{override.regulation}` is not a regulation an override can speak for",
            override.span,
            help='write `eu`, `fda`, or nothing for both: override eu not_substantial "…"',
        )
    if override.verdict not in VERDICTS:
        yield Diagnostic(
            "E0135",
            "error",
            f"`{override.verdict}` is not a verdict",
            override.span,
            help="write `substantial` or `not_substantial`",
        )


def _conflict(
    target: str, regulation: str, earlier: ClassificationOverride, later: ClassificationOverride
) -> Diagnostic:
    return Diagnostic(
        "E0136",
        "error",
        f"the {REGULATIONS[regulation]} verdict of `{target}` is overridden both ways "
        f"({earlier.verdict} and {later.verdict})",
        later.span,
        labels=(Label(earlier.span, "the other override"),),
        help="keep the one the reviewer decided on",
    )
