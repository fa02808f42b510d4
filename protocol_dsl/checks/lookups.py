"""Lookup tables that do not cover the code list they are keyed by (W0520).

A table declared `keys <code list>` is looked up with a value of that code
list.  A value the table has no row for makes the looked-up value unknown for
every subject who has it, and no data can ever resolve it: a glucocorticoid
added to the code list but not to the prednisone-equivalence table leaves every
subject taking it "unknown" on the steroid criterion.  One diagnostic per
table, on the table, naming the values it lacks, with the code list's entries
labelled.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Scope, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for table in spec.tables.values():
        if table.keys is None:
            continue
        symbol = spec.resolve(table.keys.parts, Scope(spec))
        if symbol is None or symbol.codelist is None:
            continue  # reported by the name checks
        yield from _coverage(table, symbol.codelist)


def _coverage(table: m.Table, codelist: m.CodeList) -> Iterator[Diagnostic]:
    rows = {row.key for row in table.rows}
    missing = [entry for entry in codelist.entries if entry.name not in rows]
    if not missing:
        return
    names = ", ".join(entry.name for entry in missing)
    plural = "values" if len(missing) > 1 else "value"
    yield Diagnostic(
        "W0520",
        "warning",
        f"table '{table.name}' has no row for the {plural} {names} of the code list "
        f"'{codelist.name}' it is keyed by",
        table.span,
        labels=tuple(
            Label(entry.span, f"'{entry.name}' has no row in '{table.name}'") for entry in missing
        ),
        notes=(
            "a lookup with a value the table lacks is unknown for every subject who has "
            "it, and no data can resolve it",
        ),
        help=f"add a row for {names} to the table (with its source), or remove the "
        f"{plural} from the code list",
    )
