"""The `{ … }` details of structured header fields (E0137–E0139).

A site, a contact and the responsible party may carry details after their
text — `site "Jinan Central Hospital" { city "Jinan" country "China" }` — so
that a registry can list them field by field.  Only those fields take
details (E0137); their keys are those of `fields.DETAIL_FIELDS` (E0138), each
given once with one value of its kind (E0139).  The plain text form, without
details, stays valid.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.checks.field_values import value_problems
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.fields import DETAIL_FIELDS, FieldSpec
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            yield from declaration_findings(decl)


def declaration_findings(decl: m.Declaration) -> Iterator[Diagnostic]:
    """The findings about one declaration: they depend on nothing else (a language
    server keeps them for a declaration an edit did not touch)."""
    if isinstance(decl, m.Trial):
        for f in decl.fields:
            known = DETAIL_FIELDS.get(f.key)
            if f.details and known is None:
                yield _no_details(f)
            elif f.details and known is not None:
                yield from _details(f, known)
    else:
        yield from (_no_details(f) for f in _fields_in(decl) if f.details)


def _fields_in(node: object) -> Iterator[m.Field]:
    """The `key value` fields of a declaration, at any depth (an escalation design's),
    in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, m.Field):
            yield current
        elif isinstance(current, tuple):
            stack.extend(reversed(current))
        elif not isinstance(current, m.EXPR_TYPES):  # expressions hold no fields
            names = m.node_fields(type(current)) or ()
            for name in reversed(names):
                value = getattr(current, name)
                if isinstance(value, (tuple, m.Field)) or m.node_fields(type(value)) is not None:
                    stack.append(value)


def _no_details(f: m.Field) -> Diagnostic:
    takes = ", ".join(sorted(DETAIL_FIELDS))
    return Diagnostic(
        "E0137",
        "error",
        f"'{f.key}' takes no details in braces",
        f.details[0].span,
        help=f"only these trial header fields take details: {takes}; "
        f"write '{f.key}' as a plain `key value` line",
    )


def _details(f: m.Field, known: dict[str, FieldSpec]) -> Iterator[Diagnostic]:
    seen: dict[str, m.Field] = {}
    for d in f.details:
        spec = known.get(d.key)
        if spec is None:
            yield Diagnostic(
                "E0138",
                "error",
                f"'{d.key}' is not a detail of a {f.key.replace('_', ' ')}",
                d.span,
                suggestion=did_you_mean(d.key, known),
                help=f"a {f.key.replace('_', ' ')} takes: {', '.join(known)}",
            )
            continue
        if d.key in seen:
            yield Diagnostic(
                "E0139",
                "error",
                f"the detail '{d.key}' is given twice",
                d.span,
                labels=(Label(seen[d.key].span, "first given here"),),
            )
        seen.setdefault(d.key, d)
        if d.details:
            yield _no_details(d)
        if len(d.values) > 1:
            yield Diagnostic(
                "E0139",
                "error",
                f"'{d.key}' takes one value, not {len(d.values)}",
                d.values[1].span,
                help=f"{d.key}: {spec.description}",
            )
        yield from value_problems("E0139", d, d.values[0], spec)
