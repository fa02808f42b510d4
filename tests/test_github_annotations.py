"""`protocol check --format github`: workflow commands as the Actions toolkit reads them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.diagnostics import Diagnostic, github_escape, render_github
from protocol_dsl.model import Span


def _props(line: str) -> dict[str, str]:
    head = line.split(" ", 1)[1].split("::")[0]
    return dict(prop.split("=", 1) for prop in head.split(","))


@given(
    line=st.integers(1, 10_000),
    extra_lines=st.integers(0, 50),
    column=st.integers(1, 200),
    width=st.integers(1, 200),
)
def test_columns_are_sent_only_for_a_span_on_one_line(
    line: int, extra_lines: int, column: int, width: int
) -> None:
    span = Span("specs/x.trial", line, column, line + extra_lines, column + width, 0, 1)
    rendered = render_github([Diagnostic("E0101", "error", "unknown name", span)])
    props = _props(rendered)
    assert (props["line"], props["endLine"]) == (str(line), str(line + extra_lines))
    if extra_lines:
        assert "col" not in props and "endColumn" not in props
    else:
        assert (props["col"], props["endColumn"]) == (str(column), str(column + width))


def test_a_message_and_its_properties_cannot_break_the_command() -> None:
    span = Span("specs/a,b:c.trial", 3, 1, 3, 5, 0, 4)
    rendered = render_github([Diagnostic("E0101", "error", "50% of\nlines: bad", span)])
    assert rendered == (
        "::error file=specs/a%2Cb%3Ac.trial,line=3,col=1,endLine=3,endColumn=5,"
        "title=E0101::50%25 of%0Alines: bad\n"
    )
    assert github_escape("a\r\nb") == "a%0D%0Ab"
