"""Biomedical concepts: the CRF items that carry terminology codes.

A form of the spec is a data-collection activity; each of its items that
carries a code (`[LOINC 4485-9]`, `[CDISC C25150]`) is a BiomedicalConcept
with one property, the item itself, whose response codes are the codes of its
codelist's entries.  An activity that collects no coded item refers to a
BiomedicalConceptSurrogate named after it instead, so every activity says what
it collects.  The property carries the item's `form.item` name in an extension
attribute (`extensions.ITEM_NAME`) so that the import can rebuild the form.
"""

from __future__ import annotations

from decimal import Decimal

from generators.usdm import extensions, terms
from generators.usdm.ids import Instances, Json
from protocol_dsl import model as m
from protocol_dsl.spec import FormUse, Spec
from protocol_dsl.syntax import printer

#: the code systems a spec names by a short word, as USDM names them
CODE_SYSTEMS: dict[str, str] = {
    "CDISC": terms.CDISC,
    "NCI": terms.CDISC,
    "LOINC": "http://loinc.org",
    "SNOMED": "http://snomed.info/sct",
    "ICD10": "ICD-10-CM",
    "MEDDRA": "MedDRA",
    "ATC": "ATC",
}
#: a code system as USDM names it (its URL or its short name) → the spec's word for it
SYSTEM_WORDS: dict[str, str] = {
    **{word: word for word in CODE_SYSTEMS},
    **{url: word for word, url in reversed(CODE_SYSTEMS.items())},
}

#: the USDM datatype of each kind of item
DATATYPES: dict[str, str] = {
    "number": "decimal",
    "integer": "integer",
    "quantity": "decimal",
    "date": "date",
    "datetime": "datetime",
    "yes_no": "boolean",
    "choice": "coded",
    "titer": "string",
    "text": "string",
}


def code(ids: Instances, found: m.Code, decode: str) -> Json:
    """A code the spec writes (`[LOINC 4485-9]`), with the system's USDM name."""
    system = CODE_SYSTEMS.get(found.system.upper(), found.system)
    version = terms.CDISC_VERSION if system == terms.CDISC else "unspecified"
    return ids.code(terms.Term(found.value, decode), system, version)


def _alias(ids: Instances, found: m.Code, decode: str) -> Json:
    return ids.make(
        "AliasCode", {"standardCode": code(ids, found, decode), "standardCodeAliases": []}
    )


class Concepts:
    """The concepts and surrogates made, and the ones each form's activity refers to."""

    def __init__(self) -> None:
        self.concepts: list[Json] = []
        self.surrogates: list[Json] = []
        self.by_form: dict[str, list[str]] = {}

    def surrogate(self, ids: Instances, name: str, label: str) -> str:
        self.surrogates.append(
            ids.make(
                "BiomedicalConceptSurrogate",
                {
                    "name": name,
                    "label": label,
                    "description": label,
                    "reference": "None set",
                    "notes": [],
                },
            )
        )
        return str(self.surrogates[-1]["id"])


def item_type(item: m.Item) -> str:
    """The item's type and range as the spec writes them (`quantity kg range 20 .. 300`)."""
    kind = item.type.kind
    if kind == "quantity" and item.type.unit is not None:
        text = f"quantity {printer.unit(item.type.unit)}"
    elif kind == "choice" and item.type.codelist is not None:
        text = f"choice {item.type.codelist.dotted}"
    else:
        text = kind
    if item.range is not None:
        text += f" range {_bound(item.range.low)} .. {_bound(item.range.high)}"
    return text


def _bound(bound: Decimal | m.Quantity) -> str:
    return printer.quantity(bound) if isinstance(bound, m.Quantity) else printer.signed(bound)


def _codelist(spec: Spec, use: FormUse, item: m.Item) -> m.CodeList | None:
    if item.type.codelist is None:
        return None
    for owner in (use.owner, spec):
        found = owner.codelists.get(item.type.codelist.dotted)
        if found is not None:
            return found
    return None


def _response_codes(ids: Instances, codelist: m.CodeList | None) -> list[Json]:
    if codelist is None:
        return []
    return [
        ids.make(
            "ResponseCode",
            {
                "name": entry.name,
                "label": entry.label,
                "isEnabled": True,
                "code": code(ids, entry.codes[0], entry.label or entry.name),
            },
        )
        for entry in codelist.entries
        if entry.codes
    ]


def build(spec: Spec, ids: Instances) -> Concepts:
    made = Concepts()
    names: set[str] = set()
    for use in spec.form_uses:
        for item in use.form.items:
            if not item.codes:
                continue
            label = item.label or item.name
            # names are unique in a study (CDISC rule DDF00010): the form says which one
            name = label if label not in names else f"{label} ({use.form.label or use.key})"
            names.add(name)
            item_name = f"{use.key}.{item.name}"
            decode = label
            prop = ids.make(
                "BiomedicalConceptProperty",
                {
                    "name": item_name,
                    "label": label,
                    "isRequired": item.required,
                    "isEnabled": True,
                    "datatype": DATATYPES.get(item.type.kind, "string"),
                    "responseCodes": _response_codes(ids, _codelist(spec, use, item)),
                    "code": _alias(ids, item.codes[0], decode),
                    "notes": [],
                },
                [
                    ids.text_extension(extensions.ITEM_NAME, item_name),
                    ids.text_extension(extensions.ITEM_TYPE, item_type(item)),
                ],
            )
            made.concepts.append(
                ids.make(
                    "BiomedicalConcept",
                    {
                        "name": name,
                        "label": label,
                        "synonyms": [],
                        "reference": f"{item.codes[0].system} {item.codes[0].value}",
                        "properties": [prop],
                        "code": _alias(ids, item.codes[0], decode),
                        "notes": [],
                    },
                )
            )
            made.by_form.setdefault(use.key, []).append(made.concepts[-1]["id"])
    return made
