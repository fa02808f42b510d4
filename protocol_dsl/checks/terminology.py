"""Two values of one code list carrying the same terminology code (W0804).

A terminology code ([ATC H02AB07], [MedDRA 10012345]) identifies one concept:
two entries of a code list that carry the same code are either the same value
written twice or a copy-paste slip that sends one of them to the wrong concept
in every artefact that maps codes (CRFs, SDTM, registries).  One diagnostic per
repeated code, on the later entry, with the first labelled.

ATC classifies active substances, not their forms: the salts and esters of one
substance share its code (mycophenolate mofetil and mycophenolic acid are both
L04AA06).  Two ATC-coded values whose labels (or names) begin with the same
stem of at least six letters are taken as forms of one substance and not
reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for codelist in spec.codelists.values():
        yield from _repeated(codelist)


def _repeated(codelist: m.CodeList) -> Iterator[Diagnostic]:
    first: dict[tuple[str, str], m.CodeListEntry] = {}
    for entry in codelist.entries:
        for code in entry.codes:
            key = (code.system.upper(), code.value.upper())
            earlier = first.setdefault(key, entry)
            if earlier is entry:
                continue
            if code.system.upper() == "ATC" and _same_substance(earlier, entry):
                continue
            yield Diagnostic(
                "W0804",
                "warning",
                f"'{entry.name}' and '{earlier.name}' of the code list '{codelist.name}' "
                f"carry the same code [{code.system} {code.value}]",
                code.span,
                labels=(Label(earlier.span, f"'{earlier.name}' has this code"),),
                help="give each value the code of its own concept, or merge the two values",
            )


#: Letters two names of forms of one substance share at their start, at least.
_STEM = 6


def _same_substance(a: m.CodeListEntry, b: m.CodeListEntry) -> bool:
    first = (a.label or a.name).lower().replace("_", " ")
    second = (b.label or b.name).lower().replace("_", " ")
    common = 0
    for x, y in zip(first, second, strict=False):
        if x != y or not x.isalpha():
            break
        common += 1
    return common >= _STEM
