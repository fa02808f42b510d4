"""The language server: open specs, their checks, and the editor's requests (pygls).

Each open spec is checked as its own root, with the open texts of the files it
`use`s (unsaved edits included) and the saved texts of the others.  After an
edit the check waits for typing to pause (`diagnosticsDelay`, 150 ms unless the
client says otherwise), publishes the quick checks at once, then the solver's
findings when they are ready (the solver runs beside the event loop, so hover
and completion still answer).  The index behind navigation is built once the
text has stayed unchanged for a moment after that, or by the first request
that needs it, and Python's garbage collector walks the server's memory then
too, not inside a check (`collector`).  An edit re-checks the open specs that
use the edited file too.

Requests are answered from the last check of the current text; a request that
arrives before that check has run makes it run first.  Settings come from the
client's `initializationOptions`: `diagnosticsDelay` (milliseconds) and
`docsUrl` (where the diagnostics pages are, for the link beside each code).
"""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

import attrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from protocol_dsl import __version__
from protocol_dsl.compiler import CompileResult
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp import actions, completion, hover, outline, publish, rename, semantic
from protocol_dsl.lsp.checker import Checker, carried_over, solver_findings
from protocol_dsl.lsp.collector import Collector
from protocol_dsl.lsp.index import Index
from protocol_dsl.lsp.positions import LineIndex, line_index
from protocol_dsl.lsp.tokens import in_string_or_comment, word_at
from protocol_dsl.semantics.units import UnitError, parse_unit
from protocol_dsl.syntax.formatter import FormatError, format_source
from protocol_dsl.syntax.parser import parse_module

DEFAULT_DELAY = 0.15
#: How long after its full check an unchanged spec's index for navigation is built.
INDEX_PAUSE = 0.5


@attrs.define
class OpenSpec:
    """An open document and what the last check of it found."""

    uri: str
    path: str
    #: The last check's result, and the text it checked.
    result: CompileResult | None = None
    checked: str | None = None
    #: The last check that loaded a spec (kept through syntax errors), and its index,
    #: built when a request first needs it (not on every keystroke).
    loaded: CompileResult | None = None
    built: tuple[CompileResult, Index] | None = None
    #: The solver's findings and the texts they were found on, carried over edits.
    solver: list[Diagnostic] = attrs.field(factory=list)
    solver_sources: dict[str, str] = attrs.field(factory=dict)
    pending: asyncio.Task[None] | None = None
    generation: int = 0

    @property
    def index(self) -> Index | None:
        loaded = self.loaded
        if loaded is None or loaded.spec is None:
            return None
        if self.built is None or self.built[0] is not loaded:
            self.built = (loaded, Index(loaded.spec, loaded.sources))
        return self.built[1]


class ProtocolServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("protocol-lsp", __version__)
        self.checker = Checker()
        #: Python's garbage collector, kept out of the checks (`collector`).
        self.collector = Collector()
        #: One parse at a time: Lark's comment collection is shared by the process.
        self.parsing = self.checker.lock
        self.specs: dict[str, OpenSpec] = {}
        self.delay = DEFAULT_DELAY
        self.docs: str | None = publish.default_docs()

    # ------------------------------------------------------------ texts

    def text(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def read(self, path: str) -> bytes:
        """A file's text as the editor has it (unsaved edits), else as saved."""
        for spec in self.specs.values():
            if os.path.normpath(spec.path) == os.path.normpath(path):
                return self.text(spec.uri).encode("utf-8")
        with open(path, "rb") as handle:
            return handle.read()

    def parse(self, source: str, path: str) -> Any:
        with self.parsing:
            return self.checker.parse(source, path)

    # ------------------------------------------------------------ checking

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Check the document and the open specs that use it, once typing pauses."""
        changed = self.specs.get(uri)
        if changed is None:
            return
        for spec in self.specs.values():
            if spec is changed or (spec.result is not None and changed.path in spec.result.sources):
                if spec.pending is not None:
                    spec.pending.cancel()
                spec.generation += 1
                spec.pending = asyncio.ensure_future(
                    self._check(spec, self.delay if delay is None else delay)
                )

    async def _check(self, spec: OpenSpec, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        generation = spec.generation
        quick = self.quick(spec)
        self._publish(spec, quick, [*quick.diagnostics, *self._carried(spec, quick)])
        await asyncio.sleep(0)  # let waiting requests in before the solver
        if generation != spec.generation or quick.spec is None:
            return
        text = spec.checked or ""
        full = await asyncio.to_thread(self.checker.full, spec.path, text, self.read)
        if generation != spec.generation:
            return  # the text changed meanwhile: a newer check is on its way
        spec.solver = solver_findings(full, quick)
        spec.solver_sources = dict(full.sources)
        spec.result = full
        self._publish(spec, full, full.diagnostics)
        # the solver's next z3 context made, its last terms freed: after the publication
        await asyncio.to_thread(self.checker.tidy)
        self.collector.after_check()
        self.collector.between_checks()
        # built once the writer has stopped typing, ready for the next request: it runs
        # on the event loop, and an edit typed meanwhile would wait behind it (on a
        # 10,000-line spec it takes longer than the check)
        await asyncio.sleep(INDEX_PAUSE)
        if generation == spec.generation:
            _ = spec.index
            self.collector.in_pause()

    def quick(self, spec: OpenSpec) -> CompileResult:
        """Check the current text without the solver, and remember the result."""
        text = self.text(spec.uri)
        result = self.checker.quick(spec.path, text, self.read)
        spec.result, spec.checked = result, text
        if result.spec is not None:
            spec.loaded = result
        self.collector.after_check()
        return result

    def current(self, uri: str) -> OpenSpec | None:
        """The open spec with a check of its current text (run now if there is none yet)."""
        spec = self.specs.get(uri)
        if spec is None:
            return None
        if spec.checked != self.text(uri):
            self.quick(spec)
        return spec

    def _carried(self, spec: OpenSpec, quick: CompileResult) -> list[Diagnostic]:
        if not spec.solver:
            return []
        return carried_over(spec.solver, spec.solver_sources, quick.sources)

    def _publish(self, spec: OpenSpec, result: CompileResult, found: list[Diagnostic]) -> None:
        indexes: dict[str, LineIndex] = {}

        def lines(path: str) -> LineIndex | None:
            if path not in indexes:
                text = result.sources.get(path)
                if text is None:
                    return None
                indexes[path] = line_index(text)
            return indexes[path]

        diagnostics = publish.to_lsp(found, spec.path, result.sources, lines, self.docs)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=spec.uri, diagnostics=diagnostics)
        )

    # ------------------------------------------------------------ lookups

    def indexes(self) -> list[Index]:
        found = (s.index for s in self.specs.values())
        return [index for index in found if index is not None]

    def occurrence_at(self, uri: str, position: types.Position) -> tuple[OpenSpec, Any] | None:
        spec = self.current(uri)
        if spec is None or spec.index is None:
            return None
        text = self.text(uri)
        if spec.index.sources.get(spec.path) != text:
            return None  # the text has syntax errors: the last index no longer fits it
        offset = line_index(text).offset(position)
        occurrence = spec.index.at(spec.path, offset)
        return (spec, occurrence) if occurrence is not None else None

    def location(self, path: str, start: int, end: int) -> types.Location:
        text = self._source_of(path)
        return types.Location(
            uri=from_fs_path(path) or path, range=line_index(text).range(start, end)
        )

    def _source_of(self, path: str) -> str:
        for index in self.indexes():
            if path in index.sources:
                return index.sources[path]
        return self.read(path).decode("utf-8", "replace")


server = ProtocolServer()


@server.feature(types.INITIALIZE)
def initialize(ls: ProtocolServer, params: types.InitializeParams) -> None:
    options = (
        params.initialization_options if isinstance(params.initialization_options, dict) else {}
    )
    delay = options.get("diagnosticsDelay")
    if isinstance(delay, int | float) and delay >= 0:
        ls.delay = delay / 1000
    docs = options.get("docsUrl")
    if isinstance(docs, str) and docs:
        ls.docs = docs


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ProtocolServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.specs[uri] = OpenSpec(uri, to_fs_path(uri) or uri)
    ls.schedule(uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ProtocolServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ProtocolServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ProtocolServer, params: types.DidCloseTextDocumentParams) -> None:
    spec = ls.specs.pop(params.text_document.uri, None)
    if spec is not None and spec.pending is not None:
        spec.pending.cancel()
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


# ---------------------------------------------------------------- hover


_UNIT_TEXT = re.compile(r"[A-Za-z0-9_%.*/^'\[\]{}]+")


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: ProtocolServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    text = ls.text(uri)
    lines = line_index(text)
    offset = lines.offset(params.position)
    if in_string_or_comment(text, offset):
        return None
    found = ls.occurrence_at(uri, params.position)
    if found is not None:
        spec, occurrence = found
        assert spec.index is not None
        declared = rename.declaration(occurrence.key, ls.indexes())
        if declared is not None:
            return _hover(
                hover.describe(declared, spec.index), lines, occurrence.start, occurrence.end
            )
    word = word_at(text, offset)
    if word is not None and hover.is_code(text[word[0] : word[1]]):
        shown = hover.describe_code(text[word[0] : word[1]], ls.docs)
        if shown is not None:
            return _hover(shown, lines, *word)
    unit = _unit_at(text, offset)
    if unit is not None:
        return _hover(hover.describe_unit(text[unit[0] : unit[1]]), lines, *unit)
    return None


def _hover(markdown: str, lines: LineIndex, start: int, end: int) -> types.Hover:
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=lines.range(start, end),
    )


def _unit_at(text: str, offset: int) -> tuple[int, int] | None:
    """The unit under the cursor: the text after a number (`40 mg/d`) or `quantity`."""
    line_start = text.rfind("\n", 0, offset) + 1
    for match in _UNIT_TEXT.finditer(text, line_start, text.find("\n", offset) % (len(text) + 1)):
        if not match.start() <= offset <= match.end():
            continue
        before = text[line_start : match.start()].rstrip()
        if not re.search(r"(\d|\bquantity)$", before) or match.start() == len(before) + line_start:
            return None
        try:
            parse_unit(match.group())
        except UnitError:
            return None
        return match.start(), match.end()
    return None


# ---------------------------------------------------------------- navigation


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: ProtocolServer, params: types.DefinitionParams) -> types.Location | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    declared = rename.declaration(found[1].key, ls.indexes())
    if declared is None:
        return None
    return ls.location(declared.file, declared.name_start, declared.name_end)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: ProtocolServer, params: types.ReferenceParams) -> list[types.Location]:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return []
    return [
        ls.location(o.file, o.start, o.end)
        for o in rename.occurrences(found[1].key, ls.indexes())
        if params.context.include_declaration or not o.declaration
    ]


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(
    ls: ProtocolServer, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    occurrence = found[1]
    text = ls.text(params.text_document.uri)
    return types.PrepareRenamePlaceholder(
        range=line_index(text).range(occurrence.start, occurrence.end),
        placeholder=text[occurrence.start : occurrence.end],
    )


@server.feature(types.TEXT_DOCUMENT_RENAME)
def on_rename(ls: ProtocolServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        raise JsonRpcInvalidRequest("there is no name to rename here")
    indexes = ls.indexes()
    declared = rename.declaration(found[1].key, indexes)
    if declared is None:
        raise JsonRpcInvalidRequest("there is no name to rename here")
    try:
        rename.check_new_name(declared, params.new_name, indexes)
    except rename.RenameRefused as refusal:
        raise JsonRpcInvalidRequest(str(refusal)) from None
    changes: dict[str, list[types.TextEdit]] = {}
    for occurrence in rename.occurrences(declared.key, indexes):
        where = ls.location(occurrence.file, occurrence.start, occurrence.end)
        changes.setdefault(where.uri, []).append(
            types.TextEdit(range=where.range, new_text=params.new_name)
        )
    return types.WorkspaceEdit(changes=changes)


# ---------------------------------------------------------------- completion


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[".", " ", "="]),
)
def on_completion(ls: ProtocolServer, params: types.CompletionParams) -> types.CompletionList:
    uri = params.text_document.uri
    text = ls.text(uri)
    offset = line_index(text).offset(params.position)
    if in_string_or_comment(text, offset):
        return types.CompletionList(is_incomplete=False, items=[])
    spec = ls.specs.get(uri)
    model = spec.result.spec if spec is not None and spec.result is not None else None
    if model is None and spec is not None and spec.loaded is not None:
        model = spec.loaded.spec  # the last spec that loaded, while the text has errors
    with ls.parsing:
        items = completion.complete(text, offset, model)
    return types.CompletionList(is_incomplete=False, items=items)


# ---------------------------------------------------------------- outline, folding, format


def _module(ls: ProtocolServer, uri: str) -> tuple[Any, LineIndex] | None:
    spec = ls.specs.get(uri)
    text = ls.text(uri)
    path = spec.path if spec is not None else (to_fs_path(uri) or uri)
    module, _problems = ls.parse(text, path) if spec is not None else parse_module(text, path)
    return (module, line_index(text)) if module is not None else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(
    ls: ProtocolServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    found = _module(ls, params.text_document.uri)
    return outline.document_symbols(*found) if found is not None else []


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_range(ls: ProtocolServer, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
    found = _module(ls, params.text_document.uri)
    return outline.folding_ranges(*found) if found is not None else []


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(
    ls: ProtocolServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    uri = params.text_document.uri
    text = ls.text(uri)
    try:
        with ls.parsing:
            formatted = format_source(text, to_fs_path(uri) or uri)
    except FormatError:
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message="the spec was not formatted: it has syntax errors (see Problems)",
            )
        )
        return None
    if formatted == text:
        return []
    lines = line_index(text)
    return [types.TextEdit(range=lines.range(0, len(text)), new_text=formatted)]


# ---------------------------------------------------------------- fixes and highlighting


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: ProtocolServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    return actions.fixes(uri, ls.text(uri), list(params.context.diagnostics))


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, semantic.LEGEND)
def semantic_tokens_full(
    ls: ProtocolServer, params: types.SemanticTokensParams
) -> types.SemanticTokens:
    uri = params.text_document.uri
    spec = ls.current(uri)
    path = spec.path if spec is not None else (to_fs_path(uri) or uri)
    index = spec.index if spec is not None else None
    return types.SemanticTokens(data=semantic.semantic_tokens(ls.text(uri), index, path))


def main() -> None:
    server.start_io()
