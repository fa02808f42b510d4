"""One value of a `key value` field against what its key takes (`fields.FieldSpec`):
the kind of value (a text, a number, a word …) and, for a word, the words allowed.

The header fields (E0110, `names`) and the details in braces of a site, a contact
or the responsible party (E0139, `field_details`) are checked alike; each reports
under its own code.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.fields import FieldSpec

#: Each value kind of `m.Value` as a protocol writer knows it.
KIND_WORDS = {
    "string": 'a quoted text ("…")',
    "number": "a number",
    "quantity": "a number with a unit",
    "date": "a date (YYYY-MM-DD)",
    "name": "a word",
    "titer": "a titer",
}


def value_problems(code: str, f: m.Field, value: m.Value, spec: FieldSpec) -> Iterator[Diagnostic]:
    """What is wrong with `value`, one of the values of field `f`, reported as `code`:
    a value of a kind the key does not take, or a word not among its choices."""
    if value.kind not in spec.kinds:
        expected = " or ".join(sorted(KIND_WORDS[k] for k in spec.kinds))
        yield Diagnostic(
            code,
            "error",
            f"'{f.key}' takes {expected}, not {KIND_WORDS[value.kind]}",
            value.span,
            help=f"{f.key}: {spec.description}",
        )
        return
    if value.kind == "name" and spec.choices and value.value not in spec.choices:
        yield Diagnostic(
            code,
            "error",
            f"'{value.value}' is not a value of '{f.key}'",
            value.span,
            suggestion=did_you_mean(str(value.value), spec.choices),
            help=f"{f.key} is one of: {', '.join(sorted(spec.choices))}",
        )
