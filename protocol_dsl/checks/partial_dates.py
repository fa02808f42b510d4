"""Partial dates: `partial` only on a date item (E0215), a known imputation rule (E0216).

A date recorded to the month or the year ("2019-06", "2019") is a period of
days; `impute first|middle|last` says which day it stands for.  The engines
read partial values only for items declared so, and impute with the rule
declared, so both must be sound before any rule is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for form in owner.forms.values():
            for item in form.items:
                if item.partial:
                    yield from _item(form, item)


def _item(form: m.Form, item: m.Item) -> Iterator[Diagnostic]:
    if item.type.kind != "date":
        yield Diagnostic(
            "E0215",
            "error",
            f"'{form.name}.{item.name}' is {item.type.kind}, but only a date can be partial",
            item.span,
            help="declare the item `date … partial` (a date and time recorded without its "
            "day has no time either: record such values as a date)",
        )
        return
    if item.impute is not None and item.impute not in m.IMPUTE_RULES:
        yield Diagnostic(
            "E0216",
            "error",
            f"'{item.impute}' is not an imputation rule of a partial date",
            item.span,
            help="`impute first` (the first day of the month or year), `impute middle` "
            "(the 15th of the month, 1 July of the year) or `impute last` (its last day); "
            "without `impute`, a comparison is decided when every day of the period agrees",
            suggestion=did_you_mean(item.impute, list(m.IMPUTE_RULES)),
        )
