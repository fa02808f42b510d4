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
from pathlib import Path
from typing import Any

from protocol_dsl.inert_text import printable
from protocol_dsl.user_cache import base_folder, private_folder


def environment(folder: Path, **options: Any):
    """A Jinja2 environment loading templates from `folder`, with the per-user bytecode cache."""
    import jinja2

    options.setdefault("finalize", _printable)
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=_bytecode_cache(), **options
    )


def _printable(value: Any) -> Any:
    """Every printed value without control characters (`protocol_dsl.inert_text`).

    Runs before autoescape; markup a template built itself stays markup.
    """
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(printable(value))
    if isinstance(value, str):
        return printable(value)
    return value


def cache_folder() -> Path:
    return Path(base_folder()) / "templates"


@functools.cache
def _bytecode_cache():
    import jinja2

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache whose writes may fail (disk full, folder removed): the build goes on."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = private_folder("templates")
    if folder is None:
        return None
    # The environment's `finalize` is compiled into the template code, so the file
    # names carry a tag that changes with it: code compiled without it is never run.
    return _QuietCache(folder, "jinja2-printable-%s.cache")
