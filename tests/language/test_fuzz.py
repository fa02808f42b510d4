"""Robustness: no input makes the compiler or the CLI fail with a traceback.

Thousands of inputs: the real specs cut at random offsets, with tokens
deleted, duplicated, swapped or replaced, random text and random bytes,
bytes that are not UTF-8, NUL bytes, deep nesting (500 parentheses,
`not not not …`, 5000-operand chains), huge numbers and very long names and
strings.  For each: `compile_spec` returns (never raises), every diagnostic
has a span inside the file it names, and a file with errors has at least one
error diagnostic.  A sample goes through `protocol check` and `protocol fmt`:
exit 0 for a clean file, 1 with a diagnostic otherwise, never an internal
error.  Set PROTOCOL_FUZZ_EXAMPLES to run more.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.cli import cli
from protocol_dsl.compiler import CompileResult, compile_spec
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.syntax.loader import _read_file
from tests.docs_examples import ROOT

SPECS = ROOT / "specs"
SOURCES = {
    p.relative_to(SPECS).as_posix(): p.read_text(encoding="utf-8")
    for p in sorted(SPECS.rglob("*.trial"))
}
#: A folder of our own with a copy of the real libraries, so that `use` resolves and
#: no fuzzed file ever appears in specs/.
FOLDER = Path(tempfile.mkdtemp(prefix="protocol-fuzz-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
shutil.copytree(SPECS / "lib", FOLDER / "lib")
#: The main file of every fuzzed input.
FUZZ_PATH = str(FOLDER / "fuzzed.trial")
EXAMPLES = int(os.environ.get("PROTOCOL_FUZZ_EXAMPLES", "1500"))

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\w+|\s+|\S', re.DOTALL)
_DECLARATION_START = re.compile(r"^(?=[a-z_]+ )", re.MULTILINE)

#: Declarations of the real specs, one by one: small inputs, so thousands run fast.
CHUNKS = [
    chunk
    for source in SOURCES.values()
    for chunk in _DECLARATION_START.split(source)
    if chunk.strip() and not chunk.startswith("#")
]

ODD_TOKENS = [
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "#",
    "\\",
    "..",
    ":",
    "=",
    ">=",
    "≥",
    "“",
    "at least",
    "not",
    "and",
    "where",
    "satisfy",
    "1e400",
    "9" * 5000,
    "1:" + "9" * 5000,
    "2025-02-30",
    "0000-00-00",
    "1.5",
    "-0",
    "10 '10*9/L'",
    "'mg",
    "x" * 20000,
    '"' + "long text " * 2000 + '"',
    "\x00",
    "\ufeff",
    "\r\n",
    "\t",
    "é",
    "\U0001f600",
    "trial",
    "inclusion",
    "visit",
    "form",
]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real declaration or file with a few tokens deleted, doubled, swapped or replaced."""
    whole = draw(st.integers(0, 19)) == 0  # whole files are slow to check: a few
    base = draw(st.sampled_from(list(SOURCES.values()) if whole else CHUNKS))
    tokens = _tokens(base)
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        k = draw(st.integers(0, len(tokens) - 1))
        operation = draw(st.sampled_from(["delete", "double", "swap", "replace", "insert"]))
        if operation == "delete":
            del tokens[k]
        elif operation == "double":
            tokens.insert(k, tokens[k])
        elif operation == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[k], tokens[j] = tokens[j], tokens[k]
        elif operation == "replace":
            tokens[k] = draw(st.sampled_from(ODD_TOKENS))
        else:
            tokens.insert(k, draw(st.sampled_from(ODD_TOKENS)) + " ")
    return "".join(tokens)


@st.composite
def truncated(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(list(SOURCES.values()) + CHUNKS))
    return source[: draw(st.integers(0, len(source)))]


def nested(depth: int) -> list[str]:
    """Rules nested far deeper than any protocol's."""
    return [
        "define x = " + "(" * depth + "1" + ")" * depth,
        "define x = " + "not " * depth + "yes",
        "define x = " + "-" * depth + "1",
        "define x = " + "-(" * depth + "1" + ")" * depth,
        "define x = " + " and ".join(["yes"] * depth),
        "define x = " + " + ".join(["1"] * depth),
        "define x = " + "abs(" * depth + "1" + ")" * depth,
        "define x = " + "(not " * depth + "yes" + ")" * depth,
        "define x = " + "if yes then " * depth + "yes" + " else no" * depth,
        "define x = " + "any f where " * depth + "yes",
        'inclusion I1 "x" = ' + " or ".join(f"a.b{k} = yes" for k in range(depth)),
    ]


EXTREMES = [
    *nested(500),
    *nested(5000),
    "define x = 1e400",
    "define x = " + "9" * 5000,
    "define x = 10**5000",
    "trial T {\n  enrolment " + "9" * 5000 + "\n}\n",
    "trial T {\n  title 1:" + "9" * 5000 + "\n}\n",
    "define " + "a" * 100_000 + " = 1",
    'inclusion I1 "' + "verbatim " * 20_000 + '" = attested',
    "form f {\n" + "".join(f"  i{k} yes_no\n" for k in range(3000)) + "}\n",
    "visit V day " + "9" * 40,
    "visit V day 1 window ± 1e99",
    "step_up",
    "",
    "\n" * 1000,
    "}" * 1000,
    "{" * 1000,
    '"' * 1001,
    "#" * 1000,
    "trial T {" * 300,
]


# ---------------------------------------------------------------- the checks


def _text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def assert_sound(result: CompileResult, main: str) -> None:
    """Every span lies inside its file; errors leave at least one error diagnostic."""
    for d in result.diagnostics:
        _assert_span_inside(
            d, result.sources.get(d.span.file, main if d.span.file == FUZZ_PATH else None)
        )
    if result.spec is None:
        assert any(d.is_error for d in result.diagnostics), "no spec, yet no error"


def _assert_span_inside(d: Diagnostic, text: str | None) -> None:
    span = d.span
    assert span.line >= 1 and span.column >= 1, d
    if text is None:
        return
    lines = text.split("\n")
    assert span.line <= len(lines), f"{d.code} at line {span.line} of {len(lines)}"
    assert span.column <= len(lines[span.line - 1]) + 1, (
        f"{d.code} at {span.line}:{span.column}, the line has {len(lines[span.line - 1])} characters"
    )


def compile_text(source: str) -> CompileResult:
    result = compile_spec(FUZZ_PATH, source)
    assert_sound(result, source)
    return result


def compile_bytes(data: bytes) -> CompileResult:
    def reader(path: str) -> bytes:
        return data if path == FUZZ_PATH else _read_file(path)

    result = compile_spec(FUZZ_PATH, reader=reader)
    assert_sound(result, _text_of(data))
    return result


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(st.one_of(mutated(), truncated()))
def test_mutated_specs_never_raise(source: str) -> None:
    compile_text(source)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 50))
@given(
    st.text(max_size=300)
    | st.text(st.sampled_from("{}()[]\"'#=<>.:,-+*/ \n\tatnoy1"), max_size=300)
)
def test_random_text_never_raises(source: str) -> None:
    compile_text(source)


@st.composite
def byte_inputs(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(CHUNKS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(data)))
        data[k:k] = draw(
            st.sampled_from([b"\xff", b"\xc3", b"\xe2\x80", b"\x00", b"\xef\xbb\xbf", b"\x80\x80"])
            | st.binary(min_size=1, max_size=8)
        )
    return bytes(data)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 50))
@given(byte_inputs() | st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = compile_bytes(data)
    if b"\x00" in data and result.spec is None:
        assert {d.code for d in result.diagnostics} & {"E0003", "E0008"}


@pytest.mark.parametrize("source", EXTREMES, ids=lambda s: repr(s[:24]) + f"…({len(s)})")
def test_extreme_inputs_give_diagnostics(source: str) -> None:
    result = compile_text(source)
    assert result.diagnostics or result.ok


@pytest.mark.parametrize("depth", [101, 500])
def test_deep_nesting_is_reported_as_such(depth: int) -> None:
    for source in nested(depth)[1:]:
        result = compile_text(source)
        codes = {d.code for d in result.diagnostics}
        assert "E0010" in codes or "E0001" in codes, (source[:40], codes)
    assert "E0010" in {
        d.code for d in compile_text("define x = " + "not " * depth + "yes").diagnostics
    }


def test_non_utf8_and_nul_bytes_are_diagnosed() -> None:
    assert [d.code for d in compile_bytes(b'trial T {\n  title "caf\xe9"\n}\n').diagnostics] == [
        "E0008"
    ]
    assert [d.code for d in compile_bytes(b'trial T {\n  title "a\x00"\n}\n').diagnostics] == [
        "E0003"
    ]


# ---------------------------------------------------------------- the command line


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}"
    )
    return result.exit_code, result.output


@settings(FUZZ, max_examples=max(EXAMPLES // 20, 25))
@given(st.one_of(mutated(), truncated()).map(str.encode) | byte_inputs())
def test_cli_check_and_fmt_exit_cleanly(data: bytes) -> None:
    path = FOLDER / "fuzzed-cli.trial"
    try:
        path.write_bytes(data)
        code, output = _run(["check", "--no-color", str(path)])
        assert "Traceback" not in output and "internal error" not in output
        if code == 1:
            assert "error[E" in output
        else:
            assert code == 0 and "ok:" in output
        before = path.read_bytes()
        code, output = _run(["fmt", "--check", str(path)])
        assert code in (0, 1) and "Traceback" not in output
        assert path.read_bytes() == before, "fmt --check changed the file"
    finally:
        path.unlink(missing_ok=True)


@pytest.mark.parametrize(
    "data",
    [b"define x = " + b"not " * 5000 + b"yes", b'trial T {\n  title "\xff"\n}\n', b"\x00"],
    ids=["deep", "not-utf8", "nul"],
)
def test_the_installed_command_reports_bad_files(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.trial"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "protocol_dsl", "check", "--no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "error[E00" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
