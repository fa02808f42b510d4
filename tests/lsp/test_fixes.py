"""The fixes a check works out itself, as the editor's quick fixes: asked of
`protocol lsp` over stdio, applied to the text, and checked again until the
finding is gone (W0411's guard on its documentation page, W0413's missing unit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.checks.test_fixes import SERUM
from tests.docs_examples import DOCS, examples
from tests.lsp.conftest import apply_edits, close_spec, diagnostics_until, open_spec, replace_text

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _fixed_by_its_action(
    client: LanguageClient, path: Path, text: str, code: str, title: str
) -> str:
    uri = open_spec(client, path, text)
    found = await diagnostics_until(client, uri, lambda ds: any(d.code == code for d in ds))
    (finding,) = [d for d in found if d.code == code]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=finding.range,
            context=types.CodeActionContext(diagnostics=[finding]),
        )
    )
    assert actions is not None
    (fix,) = actions
    assert isinstance(fix, types.CodeAction) and fix.is_preferred
    assert fix.title.startswith(title)
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply_edits(text, list(fix.edit.changes[uri]))
    replace_text(client, uri, 2, fixed)
    # the quick checks (which include both rules) publish first; then the solver's
    await diagnostics_until(client, uri, lambda ds: not any(d.code == code for d in ds))
    close_spec(client, uri)
    return fixed


async def test_the_guard_of_an_item_read_outside_its_condition(
    client: LanguageClient, tmp_path: Path
) -> None:
    pages = {e.section: e.text for e in examples(DOCS / "diagnostics" / "W0411.md")}
    fixed = await _fixed_by_its_action(
        client, tmp_path / "pregnancy.trial", pages["Bad"], "W0411", "Guard"
    )
    assert "(demographics.childbearing_potential = yes and labs.pregnancy_test = positive)" in fixed


async def test_the_unit_a_threshold_leaves_out(client: LanguageClient, tmp_path: Path) -> None:
    text = SERUM.format(
        unit="g/L",
        text="C3 at least 90 mg/dL and at most 180 mg/dL",
        rule="serology.c3 >= 90 and serology.c3 <= 180 mg/dL",
    )
    fixed = await _fixed_by_its_action(client, tmp_path / "c3.trial", text, "W0413", "Add the unit")
    assert "serology.c3 >= 90 mg/dL and" in fixed
