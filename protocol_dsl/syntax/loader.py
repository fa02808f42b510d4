"""Read .trial files and their imports into a `Spec`, collecting diagnostics.

This module owns everything about files: decoding, `use` resolution relative
to the importing file, the import graph and its cycles.  It never raises for
a user error; missing files, undecodable bytes and import cycles are
diagnostics.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.parser import parse_module

#: Reads a path and returns its text; replaced in tests and by `--against` (git).
Reader = Callable[[str], bytes]

#: Parses one file's text (the language server keeps the parsed libraries).
Parse = Callable[[str, str], tuple[m.Module | None, list[Diagnostic]]]


def _read_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 (a BOM is accepted), or say where the first bad byte is."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8", errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        span = m.Span(path, line, column, line, column + 1, error.start, error.start + 1)
        return None, [
            Diagnostic(
                "E0008",
                "error",
                f"this file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read)",
                span,
                help="save the file as UTF-8; most editors offer this under 'Save as' or 'Encoding'",
            )
        ]


class Loader:
    """Loads a spec and its libraries once each, detecting import cycles."""

    def __init__(self, reader: Reader = _read_file, parse: Parse = parse_module):
        self.reader = reader
        self.parse = parse
        self.sources: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []
        self._specs: dict[str, Spec | None] = {}
        self._stack: list[str] = []

    def load(self, path: str, source: str | None = None) -> Spec | None:
        key = os.path.normpath(path)
        if key in self._specs:
            return self._specs[key]
        if source is None:
            try:
                data = self.reader(path)
            except (
                FileNotFoundError,
                IsADirectoryError,
                NotADirectoryError,
                PermissionError,
            ) as error:
                self.diagnostics.append(_unreadable(path, error))
                return None
            source, problems = decode(data, path)
            if source is None:
                self.diagnostics.extend(problems)
                return None
        self.sources[path] = source
        module, problems = self.parse(source, path)
        self.diagnostics.extend(problems)
        if module is None:
            self._specs[key] = None
            return None
        self._stack.append(key)
        libraries: dict[str, Spec] = {}
        for use in module.of_type(m.Use):
            library = self._load_use(path, use)
            if library is not None:
                libraries[use.alias] = library
        self._stack.pop()
        spec = Spec(path, module, libraries)
        self._specs[key] = spec
        return spec

    def _load_use(self, importer: str, use: m.Use) -> Spec | None:
        target = os.path.normpath(os.path.join(os.path.dirname(importer), use.path))
        if target in self._stack:
            cycle = [*self._stack[self._stack.index(target) :], target]
            self.diagnostics.append(
                Diagnostic(
                    "E0104",
                    "error",
                    "import cycle: " + " → ".join(Path(p).name for p in cycle),
                    use.span,
                    help="a library cannot import, directly or through others, the file that imports it",
                )
            )
            return None
        if target in self._specs:
            return self._specs[target]
        try:
            data = self.reader(target)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
            self.diagnostics.append(
                Diagnostic(
                    "E0103",
                    "error",
                    f"the library '{use.path}' was not found",
                    use.span,
                    notes=(f"looked for {target}",),
                    help="library paths are relative to the file that uses them",
                )
            )
            return None
        source, problems = decode(data, target)
        if source is None:
            self.diagnostics.extend(problems)
            return None
        before = len(self.diagnostics)
        library = self.load(target, source)
        if any(d.is_error and d.span.file == target for d in self.diagnostics[before:]):
            self.diagnostics.append(
                Diagnostic(
                    "E0105",
                    "error",
                    f"the library '{use.path}' has errors",
                    use.span,
                    help="fix the errors reported in the library first",
                )
            )
        return library


def _unreadable(path: str, error: OSError) -> Diagnostic:
    reason = {
        FileNotFoundError: "does not exist",
        IsADirectoryError: "is a folder, not a file",
        NotADirectoryError: "is not inside a folder",
        PermissionError: "cannot be read (permission denied)",
    }.get(type(error), "cannot be read")
    return Diagnostic(
        "E0009",
        "error",
        f"the file '{path}' {reason}",
        m.Span(path, 1, 1, 1, 1),
        help="check the path given on the command line",
    )


def load(
    path: str,
    source: str | None = None,
    reader: Reader = _read_file,
    parse: Parse = parse_module,
) -> tuple[Spec | None, list[Diagnostic], dict[str, str]]:
    """Load one spec with its libraries: (spec or None, diagnostics, sources by path).

    Only parsing and import problems are reported here; `protocol_dsl.check`
    runs the consistency checks on the result.
    """
    loader = Loader(reader, parse)
    spec = loader.load(path, source)
    return spec, loader.diagnostics, loader.sources


__all__ = ["Label", "Loader", "Parse", "Reader", "decode", "load"]
