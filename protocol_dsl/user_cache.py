"""The per-user cache folder: what the tool compiles once and keeps between runs.

``$XDG_CACHE_HOME/protocol-dsl`` (else ``~/.cache/protocol-dsl``) holds the
parser's grammar tables (Lark's own cache file) and the generators' compiled
templates (Jinja2's bytecode cache).  Some of these files are code the tool runs,
so a folder is used only when it belongs to the user and nobody else can write
to it; where there is none (a read-only home, a folder shared with others) the
caller simply compiles every time.  Nothing here is needed for correctness.
"""

from __future__ import annotations

import contextlib
import os
import stat


def base_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "protocol-dsl")


def private_folder(*parts: str) -> str | None:
    """The cache folder (or a sub-folder), created if needed; None if it cannot be trusted."""
    folder = os.path.join(base_folder(), *parts)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    private = (
        stat.S_ISDIR(info.st_mode)
        and (not hasattr(os, "getuid") or info.st_uid == os.getuid())
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
    if not private or not os.access(folder, os.W_OK):
        return None
    return folder


def write_atomically(path: str, data: bytes) -> None:
    """Replace `path` with `data` so that a reader never sees half a file; failures are ignored."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)
