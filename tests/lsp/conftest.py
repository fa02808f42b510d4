"""A client that starts `protocol lsp` over stdio, as an editor does, and helpers to talk to it.

One server per test module (starting one costs a second); each test opens the
documents it needs.  The specs: both real trials, their libraries, and the
tutorial's spec written out of docs/tutorial.md into a temporary folder.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.docs_examples import DOCS, examples

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
QLS4131 = SPECS / "qls4131_sle_phase1b.trial"
CDISCPILOT01 = SPECS / "cdiscpilot01.trial"

#: What the server answered to `initialize` (its capabilities), for the tests that read them.
SERVER: dict[str, types.InitializeResult] = {}

#: How long a test waits for the server's diagnostics before it fails (not a speed target).
PATIENCE = 60.0


@pytest.fixture(scope="session")
def tutorial_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tutorial's whole spec, with the real libraries beside it."""
    (whole,) = [e for e in examples(DOCS / "tutorial.md") if not e.fragment]
    folder = tmp_path_factory.mktemp("tutorial")
    shutil.copytree(SPECS / "lib", folder / "lib")
    path = folder / "drug_x_phase1.trial"
    path.write_text(whole.text, encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of specs/ a test may edit on disk."""
    shutil.copytree(SPECS, tmp_path / "specs")
    return tmp_path / "specs"


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "protocol_dsl", "lsp"]),
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    SERVER["initialized"] = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                text_document=types.TextDocumentClientCapabilities(
                    rename=types.RenameClientCapabilities(prepare_support=True)
                )
            ),
            initialization_options={"diagnosticsDelay": 0, "docsUrl": "https://docs.example/d"},
        )
    )
    yield
    await lsp_client.shutdown_session()


def open_spec(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.resolve().as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="trial",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def close_spec(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(
    client: LanguageClient, uri: str, wanted: object
) -> list[types.Diagnostic]:
    """The diagnostics of `uri` once `wanted(diagnostics)` holds (the server publishes the
    quick checks first, then the solver's findings)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            found = client.diagnostics.get(uri)
            if found is not None and wanted(list(found)):  # type: ignore[operator]
                return list(found)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), PATIENCE)


def position(text: str, offset: int) -> types.Position:
    """An LSP position (UTF-16 columns) of a character offset."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    prefix = text[start:offset]
    return types.Position(line=line, character=len(prefix.encode("utf-16-le")) // 2)


def offset_of(text: str, where: types.Position) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: where.line])
    units = 0
    index = start
    while units < where.character:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
