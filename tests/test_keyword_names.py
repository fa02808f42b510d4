"""Words of the language may name items wherever only a name fits."""

from __future__ import annotations

import pytest

from protocol_dsl.syntax.parser import parse_module

SPEC = """
trial X {{
  title "x"
}}

visit SCR "Screening" day -7 .. -1

form exposure "Exposure" at SCR {{
  weight quantity kg "Weight" range 30 .. 300
  {name} quantity mg "Item named like a keyword" range 0 .. 100
}}
"""


@pytest.mark.parametrize(
    "name", ["dose", "date", "type", "number", "day", "lasts", "starts", "ends", "visit", "unit"]
)
def test_keyword_can_name_an_item_after_a_range(name: str) -> None:
    module, diagnostics = parse_module(SPEC.format(name=name), "x.trial")
    assert module is not None, [d.message for d in diagnostics]
    form = module.declarations[2]
    assert [item.name for item in form.items] == ["weight", name]


@pytest.mark.parametrize("name", ["note", "source", "question", "rationale"])
def test_mark_word_as_item_name_is_explained(name: str) -> None:
    text = SPEC.format(name=name).replace("quantity mg", "text")
    module, diagnostics = parse_module(text, "x.trial")
    assert module is None
    assert f"'{name}' is read as a {name}" in (diagnostics[0].help or "")
