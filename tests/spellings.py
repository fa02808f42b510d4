"""Hypothesis strategies for specs spelled the way people type them, not canonically.

`tests.strategies.specs()` gives canonical text: what `protocol fmt` writes.
The formatter's real input is everything else.  `respelled(text)` takes a
canonical spec and changes only how it is written, never what it says:

* strings: characters written as escapes (`\\u{e9}`, `\\q` for q, `\\n` for a
  line break and back);
* numbers: trailing zeros and scientific notation (`5` as `5.00` or `5e0`,
  `120` as `1.2e2`);
* layout: runs of spaces and tabs, line breaks between tokens, indentation,
  spaces at the ends of lines, blank lines (runs of them) between lines;
* comments: on lines of their own and at the ends of lines.

`chained(module)` rewrites some comparisons `x < t` of a model into chains
`t <= x < t`, so that the spec exercises comparison chains; it changes the
meaning, so apply it before printing, and compare the formatter's output with
the text it was given.

The API::

    respelled(text)           -> str   the same spec, spelled differently
    noncanonical_specs()      -> str   a generated spec with chains, respelled
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.syntax.formatter import format_module
from tests.strategies import spec_modules

__all__ = ["chained", "noncanonical_specs", "respelled"]

# The pieces of canonical text: strings, quoted units (after a blank), comments,
# line breaks, blanks and everything else up to the next blank.
_PIECE = re.compile(
    r'"(?:[^"\\]|\\.)*"|(?<=[ \t])\'[^\'\n]*\'|#[^\n]*|\n|[ \t]+|[^\s"#]+', re.DOTALL
)
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|.)", re.DOTALL)
#: Letters whose escape means something else than the letter (`\n`, `\t`, `\r`, `\u{…}`).
_NAMED = set("ntru")
_COMMENT_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=15
)


def _string_body(token: str) -> list[str]:
    """The characters of a string literal, each as written (an escape is one piece)."""
    pieces: list[str] = []
    body = token[1:-1]
    k = 0
    while k < len(body):
        if body[k] == "\\":
            found = _ESCAPE.match(body, k)
            assert found, token
            pieces.append(found[0])
            k = found.end()
        else:
            pieces.append(body[k])
            k += 1
    return pieces


def _char_of(piece: str) -> str | None:
    """The one character an unescaped piece stands for (None for `\\u{…}` and friends)."""
    if len(piece) == 1:
        return piece
    if piece in ('\\"', "\\\\"):
        return piece[1]
    return None


@st.composite
def _respelled_string(draw: st.DrawFn, token: str) -> str:
    out: list[str] = []
    for piece in _string_body(token):
        char = _char_of(piece)
        choice = draw(st.integers(0, 9))
        if piece == "\n" and choice < 4:
            out.append("\\n")
        elif piece == "\\n" and choice < 4 and not (out and out[-1].endswith(" ")):
            out.append("\n")
        elif char is not None and choice == 0:
            out.append(f"\\u{{{ord(char):x}}}")
        elif char is not None and choice == 1 and char.isalpha() and char not in _NAMED:
            out.append("\\" + char)  # an escape the lexer does not know: the character
        else:
            out.append(piece)
    return '"' + "".join(out) + '"'


@st.composite
def _respelled_number(draw: st.DrawFn, text: str) -> str:
    value = Decimal(text)
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return text + ("" if "." in text else ".") + "0" * draw(st.integers(1, 2))
    if choice == 1 and value != 0:
        digits = value.normalize()
        _sign, coefficient, exponent = digits.as_tuple()
        assert isinstance(exponent, int)
        mantissa = "".join(map(str, coefficient))
        power = exponent + len(mantissa) - 1
        written = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
        return f"{written}e{power}" if draw(st.booleans()) else f"{written}E{power:+d}"
    return text


def _may_break_after(previous: str) -> bool:
    """Whether a line break may replace the blank after `previous`.

    Not after a number (its unit must stay on its line) nor inside `at least`.
    """
    return bool(previous) and not previous[-1].isdigit() and previous not in ("at", "'")


@st.composite
def respelled(draw: st.DrawFn, text: str) -> str:
    """`text` (canonical) with the same meaning, spelled differently."""
    pieces = _PIECE.findall(text)
    assert "".join(pieces) == text, "every character belongs to a piece"
    out: list[str] = []
    previous = ""
    at_line_start = True
    for piece in pieces:
        if piece == "\n":
            if draw(st.integers(0, 5)) == 0 and previous and not previous.startswith("#"):
                out.append("  # " + draw(_COMMENT_TEXT))
            out.append(" " * draw(st.integers(0, 2)) + "\n")
            for _ in range(draw(st.integers(0, 4)) // 3):  # sometimes one or two blank lines
                out.append(" " * draw(st.integers(0, 3)) + "\n")
            if draw(st.integers(0, 7)) == 0:
                out.append(" " * draw(st.integers(0, 4)) + "# " + draw(_COMMENT_TEXT) + "\n")
            at_line_start = True
            continue
        if piece.isspace():
            if at_line_start:
                out.append(" " * draw(st.integers(0, 6)))
            elif _may_break_after(previous) and draw(st.integers(0, 5)) == 0:
                out.append("\n" + " " * draw(st.integers(0, 8)))
            else:
                out.append(draw(st.sampled_from([" ", "  ", "\t", " \t "])))
            continue
        if piece.startswith('"'):
            piece = draw(_respelled_string(piece))
        elif _PLAIN_NUMBER.fullmatch(piece):
            piece = draw(_respelled_number(piece))
        out.append(piece)
        previous = piece
        at_line_start = False
    return "".join(out)


# ---------------------------------------------------------------- comparison chains


def _chain(node: m.Compare) -> m.Logic:
    """`x < t` as `t <= x < t` (`x > t`: `t >= x > t`): a chain over the same operands."""
    first_op = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}[node.op]
    first = m.Compare(first_op, node.right, node.left, span=node.span)  # type: ignore[arg-type]
    return m.Logic("and", first, node, chained=True, span=node.span)


def _rewrite(node: object, choose: list[bool]) -> object:
    """The node with every ordering comparison chained where `choose` (cycled) says so."""
    if isinstance(node, tuple):
        return tuple(_rewrite(element, choose) for element in node)
    if isinstance(node, m.Compare) and node.op in ("<", "<=", ">", ">="):
        take = choose.pop(0) if choose else False
        choose.append(take)
        if take:
            return _chain(node)
        return node
    if not attrs.has(type(node)) or isinstance(node, (m.Span, m.Quantity)):
        return node
    changes = {}
    for f in attrs.fields(type(node)):
        if f.name == "span" or not f.init:
            continue
        value = getattr(node, f.name)
        new = _rewrite(value, choose)
        if new is not value:
            changes[f.name] = new
    return attrs.evolve(node, **changes) if changes else node  # type: ignore[misc]


def chained(module: m.Module, choose: list[bool]) -> m.Module:
    """The module with some comparisons written as chains (see `_chain`)."""
    result = _rewrite(module, list(choose))
    assert isinstance(result, m.Module)
    return result


@st.composite
def noncanonical_specs(draw: st.DrawFn) -> str:
    """A generated spec with comparison chains, respelled (see the module docstring)."""
    module = draw(spec_modules())
    module = chained(module, draw(st.lists(st.booleans(), min_size=1, max_size=4)))
    return draw(respelled(format_module(module)))
