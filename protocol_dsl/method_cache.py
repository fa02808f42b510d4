"""The model classes' attrs methods, compiled once per user instead of once per run.

attrs writes the ``__init__``, ``__eq__``, ``__hash__`` and ``__setattr__`` of
each class as Python source and compiles it when the class is created.  For the
model's seventy classes that compilation is most of what importing the model
costs, and `protocol check` pays it on every save.  While the model module is
imported, `MethodCache` hands attrs the code objects compiled by an
earlier run (kept with `marshal`, like Python's own bytecode cache) and
compiles only what it has not seen.

An entry is found by the exact source attrs generated (but for the salt of
``__hash__``, below) and the file name it gave it, so a changed class, another attrs release or another Python (the file name
carries the bytecode version) simply compiles again; the file is rewritten only
when something was compiled.  When attrs' internals are not the ones this was
written for, nothing is patched and everything compiles as usual.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import re
import sys
from collections.abc import Iterator
from types import CodeType
from typing import Any

from protocol_dsl.user_cache import private_folder, write_atomically

#: The parameters of attrs' private `_compile_and_eval` this cache stands in for.
_EXPECTED_PARAMETERS = ("script", "globs", "locs", "filename")

#: The class's salt in attrs' `__hash__` (``hash((<salt>, self.a, …))``): the hash of a
#: string, so it changes from one process to the next.  Any fixed number per class
#: serves (equal objects of one class hash alike in this process), so a cached
#: `__hash__` keeps the salt of the run that compiled it, and the salt is left out
#: of the key.
_SALT = re.compile(r"(return hash\(\(\s*)-?\d+(,)")

Table = dict[tuple[str, str], CodeType]


class MethodCache:
    """The cache file `name`: classes created inside `compiling()` use it; `save()` adds to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path: str | None = None
        self.known: Table = {}
        self.used: Table = {}
        self.original: Any = None
        self.opened = False

    def _open(self) -> None:
        self.opened = True
        try:
            import attr._make as make

            original = make._compile_and_eval
            code = original.__code__
        except (ImportError, AttributeError):
            return
        if code.co_varnames[: code.co_argcount] != _EXPECTED_PARAMETERS:
            return
        folder = private_folder()
        if folder is None:
            return
        self.original = original
        self.path = os.path.join(folder, f"{self.name}-{importlib.util.MAGIC_NUMBER.hex()}.marshal")
        self.known = load(self.path)

    @contextlib.contextmanager
    def compiling(self) -> Iterator[None]:
        if not self.opened:
            self._open()
        if self.original is None:
            yield
            return
        import attr._make as make

        make._compile_and_eval = self._compile_and_eval
        try:
            yield
        finally:
            make._compile_and_eval = self.original

    def _compile_and_eval(
        self, script: str, globs: dict[str, Any] | None, locs: Any = None, filename: str = ""
    ) -> None:
        key = (filename, _SALT.sub(r"\1salt\2", script, count=1))
        code = self.known.get(key)
        if code is None:
            code = compile(script, filename, "exec")
        self.used[key] = code
        eval(code, globs, locs)

    def save(self) -> None:
        """Write the file if something was compiled (unless Python writes no bytecode either)."""
        if self.path and self.used.keys() - self.known.keys() and not sys.dont_write_bytecode:
            write_atomically(self.path, marshal.dumps(self.used))


def load(path: str) -> Table:
    """The cached code objects; empty when the file is missing, damaged or of another shape."""
    try:
        with open(path, "rb") as handle:
            table = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict) or not all(
        isinstance(key, tuple)
        and len(key) == 2
        and all(isinstance(part, str) for part in key)
        and isinstance(code, CodeType)
        for key, code in table.items()
    ):
        return {}
    return table
