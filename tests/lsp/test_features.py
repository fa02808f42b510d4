"""Hover, navigation, rename, completion, outline, folding, formatting, quick fixes and
highlighting, asked of `protocol lsp` over stdio on the real specs and the tutorial's.

What each answer should say is computed here from the compiler's own model
(`compile_spec`, `Spec.resolve`, the words of the protocol document), not from
the server's code."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.semantics.words import criterion_in_words, unit_in_words
from protocol_dsl.spec import Scope, Spec, walk_scoped
from protocol_dsl.syntax.formatter import format_source
from tests.lsp.conftest import (
    CDISCPILOT01,
    QLS4131,
    SERVER,
    apply_edits,
    close_spec,
    diagnostics_until,
    offset_of,
    open_spec,
    position,
    replace_text,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

REAL = [QLS4131, CDISCPILOT01]


@pytest.fixture(params=["qls4131", "cdiscpilot01", "tutorial"])
def spec_path(request: pytest.FixtureRequest, tutorial_spec: Path) -> Path:
    return {"qls4131": QLS4131, "cdiscpilot01": CDISCPILOT01, "tutorial": tutorial_spec}[
        request.param
    ]


def _spec(path: Path) -> tuple[Spec, str]:
    result = compile_spec(str(path.resolve()))
    assert result.spec is not None
    return result.spec, result.sources[str(path.resolve())]


def _item_reference(spec: Spec) -> tuple[m.Ref, m.Item, m.Form]:
    """The first reference to a form's item in a criterion's rule (`labs.ecog`)."""
    for criterion in spec.criteria:
        if criterion.rule is None:
            continue
        for node, scope in walk_scoped(criterion.rule, Scope(spec)):
            if isinstance(node, m.Ref) and len(node.parts) == 2:
                symbol = spec.resolve(node.parts, scope)
                if symbol is not None and symbol.kind == "item" and symbol.owner is spec:
                    assert symbol.form is not None
                    return node, symbol.decl, symbol.form  # type: ignore[return-value]
    raise AssertionError("no criterion reads a form's item")


def _hover_text(hover: types.Hover | None) -> str:
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value.replace("\\", "")


def _at(uri: str, text: str, offset: int) -> dict:
    return {
        "text_document": types.TextDocumentIdentifier(uri=uri),
        "position": position(text, offset),
    }


# ---------------------------------------------------------------- hover


async def test_hover_on_an_item_shows_its_type_unit_and_visits(
    client: LanguageClient, spec_path: Path
) -> None:
    spec, text = _spec(spec_path)
    ref, item, form = _item_reference(spec)
    uri = open_spec(client, spec_path)
    hover = await client.text_document_hover_async(
        types.HoverParams(**_at(uri, text, ref.span.end - 1))
    )
    shown = _hover_text(hover)
    assert f"`{form.name}.{item.name}`" in shown
    assert f"type: `{item.type.kind}`" in shown
    if item.type.unit:
        assert f"unit `{item.type.unit}`" in shown
    visits = next((u.visits for u in spec.form_uses if u.form is form), ())
    if item.visits is None and visits:
        assert "collected at: " + f"`{visits[0]}`" in shown
    close_spec(client, uri)


async def test_hover_on_a_criterion_reads_it_in_the_documents_words(
    client: LanguageClient, spec_path: Path
) -> None:
    spec, text = _spec(spec_path)
    criterion = next(c for c in spec.criteria if c.rule is not None)
    uri = open_spec(client, spec_path)
    name_at = text.index(criterion.id, criterion.span.start)
    shown = _hover_text(
        await client.text_document_hover_async(types.HoverParams(**_at(uri, text, name_at)))
    )
    assert f"**{criterion.kind}** `{criterion.id}`" in shown
    assert criterion_in_words(criterion, spec) in shown
    close_spec(client, uri)


async def test_hover_on_a_unit_after_a_number(client: LanguageClient) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    at = text.index("<= 40 mg/d") + len("<= 40 m")
    uri = open_spec(client, QLS4131)
    shown = _hover_text(
        await client.text_document_hover_async(types.HoverParams(**_at(uri, text, at)))
    )
    assert shown == f"unit `mg/d`: {unit_in_words('mg/d')}"
    close_spec(client, uri)


async def test_hover_on_a_diagnostic_code_in_an_allow_mark(
    client: LanguageClient, tutorial_spec: Path
) -> None:
    text = tutorial_spec.read_text(encoding="utf-8")
    marked = text.replace(
        "  = labs.ecog <= 1\n", '  = labs.ecog <= 1\n  allow W0404 "reviewed"\n', 1
    )
    uri = open_spec(client, tutorial_spec, marked)
    at = marked.index("W0404") + 2
    shown = _hover_text(
        await client.text_document_hover_async(types.HoverParams(**_at(uri, marked, at)))
    )
    assert shown.startswith("**W0404** (warning): ")
    assert "(https://docs.example/d/W0404.md)" in shown
    close_spec(client, uri)


# ---------------------------------------------------------------- navigation


async def test_definition_of_an_item_reference(client: LanguageClient, spec_path: Path) -> None:
    spec, text = _spec(spec_path)
    ref, item, _form = _item_reference(spec)
    uri = open_spec(client, spec_path)
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(uri, text, ref.span.end - 1))
    )
    assert isinstance(found, types.Location)
    assert found.uri == uri
    start = offset_of(text, found.range.start)
    assert text[start : offset_of(text, found.range.end)] == item.name
    assert item.span.start <= start < item.span.end
    close_spec(client, uri)


async def test_definition_in_a_used_library(client: LanguageClient) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    at = text.index("sle.eular_acr_2019_classified") + len("sle.e")
    uri = open_spec(client, QLS4131)
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(uri, text, at))
    )
    assert isinstance(found, types.Location)
    library = QLS4131.parent / "lib" / "sle.trial"
    assert found.uri == library.resolve().as_uri()
    source = library.read_text(encoding="utf-8")
    line = source.split("\n")[found.range.start.line]
    assert line.startswith("define eular_acr_2019_classified")
    close_spec(client, uri)


async def test_references_of_a_visit_are_every_use_of_its_name(client: LanguageClient) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    code = re.sub(r'"(?:[^"\\]|\\.)*"|#[^\n]*', lambda s: " " * len(s.group()), text)
    expected = sorted(position(text, w.start()) for w in re.finditer(r"\bSCR\b", code))
    uri = open_spec(client, QLS4131)
    at = text.index("visit SCR") + len("visit S")
    found = await client.text_document_references_async(
        types.ReferenceParams(
            **_at(uri, text, at), context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert found is not None
    assert {f.uri for f in found} == {uri}
    assert sorted((f.range.start for f in found), key=lambda p: (p.line, p.character)) == sorted(
        expected, key=lambda p: (p.line, p.character)
    )
    close_spec(client, uri)


# ---------------------------------------------------------------- rename


async def test_rename_across_a_used_library_keeps_the_spec_meaning_the_same(
    client: LanguageClient, workspace: Path
) -> None:
    spec = workspace / QLS4131.name
    library = workspace / "lib" / "sle.trial"
    before = compile_spec(str(spec))
    text = spec.read_text(encoding="utf-8")
    uri = open_spec(client, spec)
    at = text.index("sle.eular_acr_2019_classified") + len("sle.eul")
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(**_at(uri, text, at))
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == "eular_acr_2019_classified"
    edit = await client.text_document_rename_async(
        types.RenameParams(**_at(uri, text, at), new_name="eular_acr_classified")
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri, library.resolve().as_uri()}
    spec.write_text(apply_edits(text, list(edit.changes[uri])), encoding="utf-8")
    library_text = library.read_text(encoding="utf-8")
    library.write_text(
        apply_edits(library_text, list(edit.changes[library.resolve().as_uri()])),
        encoding="utf-8",
    )
    after = compile_spec(str(spec))
    assert "eular_acr_2019_classified" not in library.read_text(encoding="utf-8")
    assert "sle.eular_acr_classified" in spec.read_text(encoding="utf-8")
    assert Counter(d.code for d in after.diagnostics) == Counter(d.code for d in before.diagnostics)
    close_spec(client, uri)


@pytest.mark.parametrize(
    ("new_name", "refusal"),
    [
        ("D4", "'D4' is already the name of the visit declared on line"),
        ("2nd_day", "'2nd_day' is not a name"),
        ("visit", "'visit' is a word of the language"),
    ],
)
async def test_a_rename_that_would_break_the_spec_is_refused(
    client: LanguageClient, new_name: str, refusal: str
) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    uri = open_spec(client, QLS4131)
    at = text.index("visit D2") + len("visit D")
    with pytest.raises(Exception, match=re.escape(refusal)):
        await client.text_document_rename_async(
            types.RenameParams(**_at(uri, text, at), new_name=new_name)
        )
    close_spec(client, uri)


# ---------------------------------------------------------------- completion


async def _complete(client: LanguageClient, uri: str, text: str, offset: int) -> list[str]:
    found = await client.text_document_completion_async(
        types.CompletionParams(**_at(uri, text, offset))
    )
    assert isinstance(found, types.CompletionList)
    return [item.label for item in found.items]


async def test_completion_of_a_forms_items(client: LanguageClient, spec_path: Path) -> None:
    spec, _text = _spec(spec_path)
    _ref, _item, form = _item_reference(spec)
    uri = open_spec(client, spec_path)
    text = spec_path.read_text(encoding="utf-8") + f"\ndefine probe = {form.name}."
    replace_text(client, uri, 2, text)
    labels = await _complete(client, uri, text, len(text))
    assert labels[: len(form.items)] == [i.name for i in form.items]
    close_spec(client, uri)


async def test_completion_in_rules_of_a_real_spec(client: LanguageClient) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    spec, _ = _spec(QLS4131)
    uri = open_spec(client, QLS4131)
    values = await _complete(client, uri, text, text.index("at SCR = positive") + len("at SCR = "))
    assert {"positive", "negative"} <= set(values)
    visits = await _complete(client, uri, text, text.index("at SCR = positive") + len("at "))
    assert visits[: len(spec.visit_order)] == [v.name for v in spec.visit_order]
    units = await _complete(client, uri, text, text.index("<= 40 mg/d") + len("<= 40 "))
    assert "mg" in units and units.index("mg") < units.index("years")
    anchors = await _complete(
        client, uri, text, text.index("weeks before screening") + len("weeks before ")
    )
    assert "screening" in anchors and "first_dose" in anchors
    close_spec(client, uri)


async def test_completion_of_keywords_where_the_grammar_accepts_them(
    client: LanguageClient, tutorial_spec: Path
) -> None:
    text = tutorial_spec.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    uri = open_spec(client, tutorial_spec, text)
    top = await _complete(client, uri, text, len(text))
    assert {"inclusion", "exclusion", "visit", "form", "define"} <= set(top)
    in_rule = text + 'inclusion I9 "x"\n  = labs.ecog '
    replace_text(client, uri, 2, in_rule)
    after = await _complete(client, uri, in_rule, len(in_rule))
    assert {"between", "at", "is"} <= set(after)
    assert "inclusion" not in after
    close_spec(client, uri)


# ---------------------------------------------------------------- outline, folding, formatting


async def test_outline_by_section(client: LanguageClient, spec_path: Path) -> None:
    spec, _text = _spec(spec_path)
    uri = open_spec(client, spec_path)
    found = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert found is not None
    sections = [s.name for s in found]  # type: ignore[union-attr]
    order = ["trial", "schedule", "dictionary", "eligibility", "design", "endpoints"]
    assert sections == [s for s in order if s in sections]
    (eligibility,) = [s for s in found if s.name == "eligibility"]  # type: ignore[union-attr]
    assert [c.name for c in eligibility.children or ()] == [c.id for c in spec.criteria]  # type: ignore[union-attr]
    close_spec(client, uri)


async def test_folding_ranges_cover_multi_line_declarations(
    client: LanguageClient, spec_path: Path
) -> None:
    spec, text = _spec(spec_path)
    uri = open_spec(client, spec_path)
    found = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert found
    starts = {r.start_line for r in found}
    for form in spec.forms.values():
        assert position(text, form.span.start).line in starts
    assert all(0 <= r.start_line < r.end_line <= text.count("\n") for r in found)
    close_spec(client, uri)


async def test_formatting_is_protocol_fmt(client: LanguageClient, spec_path: Path) -> None:
    text = spec_path.read_text(encoding="utf-8")
    untidy = re.sub(r"^(inclusion|exclusion) ", r"\1    ", text, flags=re.M)
    uri = open_spec(client, spec_path, untidy)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri), options=options
        )
    )
    assert edits is not None
    assert apply_edits(untidy, list(edits)) == format_source(untidy, str(spec_path))
    close_spec(client, uri)


# ---------------------------------------------------------------- quick fixes


async def test_a_did_you_mean_is_fixed_by_its_code_action(
    client: LanguageClient, spec_path: Path
) -> None:
    spec, text = _spec(spec_path)
    ref, _item, _form = _item_reference(spec)
    misspelt = text[: ref.span.end - 1] + text[ref.span.end - 1] * 2 + text[ref.span.end :]
    uri = open_spec(client, spec_path, misspelt)
    found = await diagnostics_until(
        client, uri, lambda ds: any(isinstance(d.data, dict) for d in ds)
    )
    (wrong,) = [d for d in found if isinstance(d.data, dict)]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=wrong.range,
            context=types.CodeActionContext(diagnostics=[wrong]),
        )
    )
    assert actions is not None
    (fix,) = actions
    assert isinstance(fix, types.CodeAction) and fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply_edits(misspelt, list(fix.edit.changes[uri]))
    assert fixed == text
    replace_text(client, uri, 2, fixed)
    await diagnostics_until(client, uri, lambda ds: not any(isinstance(d.data, dict) for d in ds))
    close_spec(client, uri)


# ---------------------------------------------------------------- highlighting


async def test_semantic_tokens_say_what_a_name_is(client: LanguageClient) -> None:
    text = QLS4131.read_text(encoding="utf-8")
    uri = open_spec(client, QLS4131)
    result = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert result is not None
    provider = SERVER["initialized"].capabilities.semantic_tokens_provider
    assert provider is not None
    names = provider.legend.token_types
    kinds: dict[tuple[int, int], str] = {}
    line = column = 0
    data = list(result.data)
    for i in range(0, len(data), 5):
        delta_line, delta_column, _length, kind, _mods = data[i : i + 5]
        line += delta_line
        column = column + delta_column if delta_line == 0 else delta_column
        kinds[(line, column)] = names[kind]
    at = re.search(r"eligibility_visit +SCR", text)
    assert at is not None
    scr = position(text, at.end() - len("SCR"))
    assert kinds[(scr.line, scr.character)] == "event"
    inclusion = position(text, text.index("inclusion I1"))
    assert kinds[(inclusion.line, inclusion.character)] == "keyword"
    positive = position(text, text.index("at SCR = positive") + len("at SCR = "))
    assert kinds[(positive.line, positive.character)] == "enumMember"
    close_spec(client, uri)
