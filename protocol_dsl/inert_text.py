"""Spec text with the characters that act instead of showing taken out.

A spec string may carry any character (`\\u{1B}` is valid syntax).  Some of
them are never text to the reader of an artefact: C0 and C1 control characters
other than tab and line break (an escape sequence recolours or rewrites a
terminal that prints a Markdown or text file; XML 1.0 cannot hold most of them),
and the bidirectional embedding, override and isolate controls, which make a
line display in another order than it reads ("Trojan source": `txt.exe`
shown for `exe.txt`).  Every back end that writes spec text into a file a
person or program reads passes it through `printable` first, so the file shows
the words of the spec and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

# C0 except tab (09) and line feed (0A); carriage return goes too (a lone CR
# overwrites the line in a terminal; CRLF in a spec string is read as LF).
# DEL and C1 (7F-9F); the bidi controls LRE RLE PDF LRO RLO (202A-202E) and
# LRI RLI FSI PDI (2066-2069); the two non-characters FFFE and FFFF.
ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without characters that would act rather than show (see the module docstring)."""
    return ACTING.sub("", text)


def printable_data(value: Any) -> Any:
    """JSON-like data (dicts, lists, texts, numbers) with every text `printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(item) for item in value]
    return value
