"""Meaning-preserving respellings of .trial text: what a person types, not the formatter.

Comments wherever whitespace may hold one, odd spacing (tabs, runs of spaces, blank
lines, carriage returns), and escapes in strings (`\\a` is `a`, `\\n` a newline; `\\r`
and `\\u{HEX}` mean more than their letter, so they are never made up).  The one place
where layout means something is kept: a word on the same line right after a number is
its unit (`40 mg`), and `at least` is one token, so the whitespace after a number or
after `at` stays on its line.  `window -N +N` is written `window ± N`.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

_TOKENS = re.compile(
    # a text block takes its content as written (no escapes): kept whole
    r'(?P<block>"""(?:(?!""").)*""")'
    r"""|(?P<string>"(?:[^"\\]|\\.)*")"""
    r"|(?P<unit>'[^'\n]+')"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<space>[ \t\r\n\f]+)"
    r"|(?P<word>[^\s\"\#']+|')",
    re.DOTALL,
)
_SYMMETRIC_WINDOW = re.compile(r"\bwindow -(\d+) \+?(\d+)\b")
_COMMENT_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters='"#\\'),
    max_size=20,
).map(lambda t: "#" + t.replace("\n", " ").replace("\r", " "))


def tokens(source: str) -> list[tuple[str, str]]:
    """The text as (kind, text) pieces that join back to it exactly."""
    return [(match.lastgroup or "word", match[0]) for match in _TOKENS.finditer(source)]


def _inline_space(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([" ", "  ", "\t", " \t ", "    "]))


def _any_space(draw: st.DrawFn, had_newline: bool) -> str:
    """Whitespace, maybe with comments and blank lines; a newline if there was one."""
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return "\n" if had_newline else " "
    if shape == 1 and not had_newline:
        return _inline_space(draw)
    parts = [_inline_space(draw) if draw(st.booleans()) else ""]
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            parts.append(draw(_COMMENT_TEXT))
        parts.append(draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n\t\n", "\n   \n"])))
    parts.append(_inline_space(draw) if draw(st.booleans()) else "")
    return "".join(parts)


def _escape(draw: st.DrawFn, literal: str) -> str:
    """The same string with some characters written as escapes."""
    body = literal[1:-1]
    out: list[str] = []
    k = 0
    while k < len(body):
        char = body[k]
        if char == "\\":  # an escape already: keep it whole
            out.append(body[k : k + 2])
            k += 2
            continue
        if char == "\n" and draw(st.booleans()):
            out.append("\\n")
        elif char == "\t" and draw(st.booleans()):
            out.append("\\t")
        elif char not in "ntru\n\t" and draw(st.integers(0, 3)) == 0:  # \r, \u{…} mean more
            out.append("\\" + char)
        else:
            out.append(char)
        k += 1
    return '"' + "".join(out) + '"'


def _keeps_line(previous: str, following: str) -> bool:
    """Whitespace that must not gain a newline or a comment: it ties a number to its
    unit, or `at` to `least`."""
    return (
        previous[-1:].isdigit()
        or previous.startswith("[")  # inside a code: `10 [SNOMED\n123]` reads a unit `[SNOMED`
        or previous.endswith("at")
        or following.startswith("'")
        or following.startswith("least")
    )


@st.composite
def respelled(draw: st.DrawFn, source: str) -> str:
    """`source` written differently, with the same meaning."""
    pieces = tokens(source)
    out: list[str] = []
    for k, (kind, text) in enumerate(pieces):
        if kind == "string":
            out.append(_escape(draw, text) if draw(st.booleans()) else text)
        elif kind == "space":
            previous = pieces[k - 1][1] if k else ""
            following = pieces[k + 1][1] if k + 1 < len(pieces) else ""
            if "\n" not in text and _keeps_line(previous, following):
                out.append(_inline_space(draw) if draw(st.booleans()) else text)
            elif draw(st.integers(0, 3)) == 0:
                out.append(_any_space(draw, "\n" in text))
            else:
                out.append(text)
        else:
            out.append(text)
    text = "".join(out)
    if draw(st.booleans()):
        text = _SYMMETRIC_WINDOW.sub(lambda w: f"window ± {w[1]}" if w[1] == w[2] else w[0], text)
    if draw(st.booleans()):
        text = draw(_COMMENT_TEXT) + "\n\n" + text + "\n" + draw(_COMMENT_TEXT)
    return text
