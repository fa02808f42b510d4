"""Jinja2 environments for the generators' templates, compiled once per user, not once per build.

Compiling the templates costs more than rendering them, and a build renders
each a few times at most.  So the compiled code is kept in the user's cache
folder (``$XDG_CACHE_HOME/protocol-dsl/templates``, else
``~/.cache/protocol-dsl/templates``), like the parser's grammar tables; Jinja2
recompiles a template whose source changed and ignores a cache file from
another Jinja2 or Python version.  The cache runs compiled code, so it is used
only in a folder that belongs to the user and that nobody else can write to;
where there is none (read-only home, foreign folder) the templates are simply
compiled every time.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path
from typing import Any


def environment(folder: Path, **options: Any):
    """A Jinja2 environment loading templates from `folder`, with the per-user bytecode cache."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=_bytecode_cache(), **options
    )


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "protocol-dsl" / "templates"


@functools.cache
def _bytecode_cache():
    import jinja2

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache whose writes may fail (disk full, folder removed): the build goes on."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = cache_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    private = (
        stat.S_ISDIR(info.st_mode)
        and (not hasattr(os, "getuid") or info.st_uid == os.getuid())
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
    if not private or not os.access(folder, os.W_OK):
        return None
    return _QuietCache(str(folder), "jinja2-%s.cache")
