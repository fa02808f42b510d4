"""The formatter: one canonical layout, every comment kept, nothing else changed.

Golden files: the real specs are in canonical layout (`protocol fmt --check
specs/` passes), and `golden/kitchen_sink.input.trial`, which uses every
construct of the language, formats to `golden/kitchen_sink.trial`
(regenerate with UPDATE_GOLDEN=1, then read the diff to approve it).
Properties, on generated specs and on every example in docs/: formatting is
idempotent and parsing the output gives the same model.
"""

from __future__ import annotations

import collections
import os
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl import timeline
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.formatter import FormatError, format_module, format_source
from protocol_dsl.syntax.parser import parse_module, parse_with_comments
from tests.docs_examples import ROOT, all_docs, examples
from tests.language.test_fuzz import mutated
from tests.spellings import noncanonical_specs, respelled
from tests.strategies import spec_parts, specs

GOLDEN = Path(__file__).parent / "golden"
SPEC_FILES = sorted((ROOT / "specs").rglob("*.trial"))
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def declarations(text: str) -> tuple[object, ...]:
    module, diagnostics = parse_module(text, "example.trial")
    assert module is not None, [d.message for d in diagnostics]
    return module.declarations


def comment_texts(text: str) -> collections.Counter[str]:
    _module, _diagnostics, comments = parse_with_comments(text, "example.trial")
    return collections.Counter(c.text for c in comments)


def assert_faithful(source: str, formatted: str) -> None:
    assert declarations(formatted) == declarations(source)
    assert comment_texts(formatted) == comment_texts(source)
    assert format_source(formatted) == formatted, "formatting is not idempotent"


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_real_spec_is_in_canonical_layout(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert format_source(source, str(path)) == source, f"run: protocol fmt {path}"


def test_fmt_check_passes_on_the_specs_folder() -> None:
    result = CliRunner().invoke(cli, ["fmt", "--check", str(ROOT / "specs")])
    assert result.exit_code == 0, result.output
    assert "already formatted" in result.stderr


def test_kitchen_sink_formats_to_its_golden_file() -> None:
    source = (GOLDEN / "kitchen_sink.input.trial").read_text(encoding="utf-8")
    formatted = format_source(source, "kitchen_sink.input.trial")
    golden = GOLDEN / "kitchen_sink.trial"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(formatted, encoding="utf-8")
    assert formatted == golden.read_text(encoding="utf-8")
    assert_faithful(source, formatted)


def _model_fields(node: object, seen: set[tuple[str, str]]) -> None:
    """Every (class, field) of the model holding a value other than its default."""
    if isinstance(node, tuple):
        for element in node:
            _model_fields(element, seen)
        return
    if not attrs.has(type(node)) or isinstance(node, m.Span):
        return
    for f in attrs.fields(type(node)):
        value = getattr(node, f.name)
        default = f.default if f.default is not attrs.NOTHING else object()
        if f.name != "span" and value != default and value not in ((), None, False):
            seen.add((type(node).__name__, f.name))
        _model_fields(value, seen)


def test_kitchen_sink_uses_every_field_of_every_declaration() -> None:
    """A new model field fails here until the kitchen sink (and so the golden test) uses it."""
    source = (GOLDEN / "kitchen_sink.input.trial").read_text(encoding="utf-8")
    seen: set[tuple[str, str]] = set()
    _model_fields(declarations(source), seen)
    # the fields only the expansion of cycles and repeats sets, on the visits it yields
    _model_fields(timeline.expand(declarations(source)).visits, seen)
    expected_classes = {type(d).__name__ for d in declarations(source)}
    missing = []
    for name in sorted(expected_classes):
        cls = getattr(m, name)
        for f in attrs.fields(cls):
            if f.name != "span" and (name, f.name) not in seen:
                missing.append(f"{name}.{f.name}")
    declared = {
        cls.__name__
        for cls in m.Declaration.__args__  # type: ignore[attr-defined]
    }
    assert declared <= expected_classes, f"no example of {sorted(declared - expected_classes)}"
    assert not missing, f"the kitchen sink never sets {missing}"


# ---------------------------------------------------------------- layout rules


CASES = {
    "criterion rules are broken at their top-level and/or, one operand per line": (
        'inclusion I1 "x" = a.b = yes or (a.c > 5 and a.d < 2) or a.e is known\n',
        'inclusion I1 "x"\n  = a.b = yes\n    or (a.c > 5 and a.d < 2)\n    or a.e is known\n',
    ),
    "a short criterion rule stays on its line": (
        'inclusion I1 "x" = age between 18 and 70 provisional\n',
        'inclusion I1 "x"\n  = age between 18 and 70\n  provisional\n',
    ),
    "a definition that fits stays on one line, one that does not is broken": (
        "define short = a.b = yes\n"
        'define long "A definition whose rule does not fit" = any medications where '
        "class = oral_corticosteroid and ongoing = yes and dose_start < 2020-01-01 "
        "and daily_dose > 5 mg/d\n",
        "define short = a.b = yes\n"
        'define long "A definition whose rule does not fit"\n'
        "  = any medications where class = oral_corticosteroid\n"
        "      and ongoing = yes\n"
        "      and dose_start < 2020-01-01\n"
        "      and daily_dose > 5 mg/d\n",
    ),
    "one-line declarations keep the writer's grouping and align their columns": (
        'visit SCR "Screening" day -28 .. -1\nvisit D1 "Day 1" day 1\n\n\n'
        'visit W4 "Week 4" day 29 window -2 +2\n',
        'visit SCR "Screening" day -28 .. -1\n'
        'visit D1  "Day 1"     day 1\n\n'
        'visit W4 "Week 4" day 29 window -2 +2\n',
    ),
    "form items are aligned in columns": (
        'form f "F" at SCR {\n  a date "Date" required\n  bbbb quantity mg/dL "Level" range 0 .. 5\n}\n',
        'form f "F" at SCR {\n'
        '  a    date           "Date"  required\n'
        '  bbbb quantity mg/dL "Level" range 0 .. 5\n'
        "}\n",
    ),
    "strings are printed as written, numbers canonically": (
        'trial T {\n  title "A\\ttab and a \\"quote\\"" target 0.30\n}\n',
        'trial T {\n  title  "A\\ttab and a \\"quote\\""\n  target 0.3\n}\n',
    ),
    "blank lines: the writer's kept, runs collapsed, none after { or before }": (
        'form f "F" {\n\n  # c\n\n\n  a date\n  b date\n\n  c date\n\n}\n\n\n\n'
        "define x = 1\ndefine y = 2\n",
        'form f "F" {\n  # c\n\n  a date\n  b date\n\n  c date\n}\n\ndefine x = 1\ndefine y = 2\n',
    ),
    "no blank line is added between declarations the writer wrote together": (
        'form f "F" {\n  a date\n}\ndefine x = f.a is known\ninclusion I1 "x" = x\n',
        'form f "F" {\n  a date\n}\ndefine x = f.a is known\ninclusion I1 "x"\n  = x\n',
    ),
    "an `and` inside an `or` keeps its parentheses for the reader": (
        "define x = a.b = yes or a.c = yes and a.d = yes\n",
        "define x = a.b = yes or (a.c = yes and a.d = yes)\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout(case: str) -> None:
    source, expected = CASES[case]
    formatted = format_source(source)
    assert formatted == expected
    assert_faithful(source, formatted)


# ---------------------------------------------------------------- comments


COMMENT_CASES = {
    "a comment above a declaration stays above it, with its blank line": (
        "# header\n\n# about x\ndefine x = 1\n",
        "# header\n\n# about x\ndefine x = 1\n",
    ),
    "a comment after code stays at the end of its line": (
        'trial T {   # the header\n  title "T"     # the title\n}  # done\n',
        'trial T {  # the header\n  title "T"  # the title\n}  # done\n',
    ),
    "a comment before a closing brace stays inside the block": (
        'codelist c "C" {\n  a "A"\n  # more to come\n}\n',
        'codelist c "C" {\n  a "A"\n  # more to come\n}\n',
    ),
    "a comment inside a rule keeps the rule broken where it was": (
        "define x = a.b = yes\n  # why the second\n  or a.c = yes\n",
        "define x\n  = a.b = yes\n    # why the second\n    or a.c = yes\n",
    ),
    "a trailing comment inside a rule stays on its operand's line": (
        "define x = a.b = yes  # first\n  or a.c = yes\n",
        "define x\n  = a.b = yes  # first\n    or a.c = yes\n",
    ),
    "two comments whose lines are joined: the second moves above the line": (
        'visit V "V"  # one\n  day 1  # two\n',
        '# two\nvisit V "V" day 1  # one\n',
    ),
    "comments at the end of the file stay at the end": (
        "define x = 1\n\n# the end\n# really\n",
        "define x = 1\n\n# the end\n# really\n",
    ),
    "a file of comments only": (
        "# nothing yet\n\n# still nothing\n",
        "# nothing yet\n\n# still nothing\n",
    ),
    "a comment between blocks moves with the block after it, no blank line added": (
        'form a "A" {\n  x yes_no\n}\n# about b\nform b "B" {\n  y yes_no\n}\n',
        'form a "A" {\n  x yes_no\n}\n# about b\nform b "B" {\n  y yes_no\n}\n',
    ),
}


@pytest.mark.parametrize("case", sorted(COMMENT_CASES))
def test_comments_are_kept(case: str) -> None:
    source, expected = COMMENT_CASES[case]
    formatted = format_source(source)
    assert formatted == expected
    assert_faithful(source, formatted)


def _real_sources() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SPEC_FILES] + [
        (GOLDEN / "kitchen_sink.trial").read_text(encoding="utf-8")
    ]


@st.composite
def commented_sources(draw: st.DrawFn) -> str:
    """A real spec with comments added at random line starts and line ends."""
    source = draw(st.sampled_from(_real_sources()))
    lines = source.split("\n")
    for _ in range(draw(st.integers(1, 8))):
        k = draw(st.integers(0, len(lines) - 1))
        text = "# " + draw(
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
        )
        if draw(st.booleans()):
            indent = " " * draw(st.integers(0, 6))
            lines.insert(k, indent + text)
        else:
            lines[k] = f"{lines[k]}  {text}"
    return "\n".join(lines)


@PROPERTY
@given(commented_sources())
def test_no_comment_is_lost_or_duplicated(source: str) -> None:
    formatted = format_source(source)
    assert_faithful(source, formatted)


# ---------------------------------------------------------------- generated specs and docs


@PROPERTY
@given(spec_parts())
def test_generated_spec_round_trips(parts) -> None:  # type: ignore[no-untyped-def]
    text = format_module(parts.module)
    assert declarations(text) == parts.module.declarations
    assert format_source(text) == text


@st.composite
def relaid(draw: st.DrawFn) -> tuple[str, str]:
    """A generated spec, and the same spec re-indented with spaces at the ends of lines."""
    text = draw(specs())
    lines = [
        " " * draw(st.integers(0, 5)) + line.strip() + " " * draw(st.integers(0, 2))
        for line in text.split("\n")
    ]
    return text, "\n".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relaid())
def test_layout_does_not_depend_on_indentation(pair: tuple[str, str]) -> None:
    canonical, relaid_text = pair
    assert format_source(relaid_text) == canonical


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_any_spec_that_parses_formats_faithfully(source: str) -> None:
    """Edited real specs (tokens dropped, doubled, swapped): odd, but valid ones too."""
    try:
        formatted = format_source(source)
    except FormatError:
        return
    assert_faithful(source, formatted)


# ---------------------------------------------------------------- non-canonical spellings


def diagnostic_codes(text: str) -> collections.Counter[str]:
    """The codes of every diagnostic `protocol check` reports on `text`, with their counts."""
    result = compile_spec("spec.trial", text)
    return collections.Counter(d.code for d in result.diagnostics)


@PROPERTY
@given(noncanonical_specs())
def test_a_respelled_spec_formats_faithfully(source: str) -> None:
    """Escapes, odd numbers, spacing, blank lines, comments, chains: same model, stable."""
    formatted = format_source(source)
    assert_faithful(source, formatted)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noncanonical_specs())
def test_formatting_a_respelled_spec_keeps_its_diagnostics(source: str) -> None:
    assert diagnostic_codes(format_source(source)) == diagnostic_codes(source)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_formatting_a_mutated_spec_keeps_its_diagnostics(source: str) -> None:
    try:
        formatted = format_source(source)
    except FormatError:
        return
    assert diagnostic_codes(formatted) == diagnostic_codes(source)


@given(st.data())
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_blank_lines_are_the_writers_collapsed_to_one(data: st.DataObject) -> None:
    """A blank line (or a run of them) between declarations stays one; none is added."""
    canonical = data.draw(specs())
    source = data.draw(respelled(canonical))
    formatted = format_source(source)
    assert "\n\n\n" not in formatted
    assert formatted.count("\n\n") <= _blank_runs(source)


def _blank_runs(text: str) -> int:
    return len(re.findall(r"\n(?:[ \t]*\n)+", text))


_DOC_EXAMPLES = [
    e
    for doc in all_docs()
    for e in examples(doc)
    if not e.raw and parse_module(e.text, "example.trial")[0] is not None
]


@pytest.mark.parametrize("example", _DOC_EXAMPLES, ids=lambda e: e.id)
def test_docs_example_formats_faithfully(example) -> None:  # type: ignore[no-untyped-def]
    formatted = format_source(example.text)
    assert_faithful(example.text, formatted)


# ---------------------------------------------------------------- errors


def test_a_file_with_syntax_errors_is_not_formatted() -> None:
    with pytest.raises(FormatError) as raised:
        format_source('trial T {\n  title "T"\n', "broken.trial")
    assert [d.code for d in raised.value.diagnostics] == ["E0002"]
    assert re.search(r"broken\.trial", str(raised.value))


# ---------------------------------------------------------------- protocol fmt

MESSY = 'define   x =  a.b = yes\ndefine y "Y" = 1\n'
TIDY = 'define x = a.b = yes\ndefine y "Y" = 1\n'


def _invoke(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["fmt", "--no-color", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_fmt_rewrites_files_in_place_and_says_so(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "messy.trial", tmp_path / "sub" / "tidy.trial"
    tidy.parent.mkdir()
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    result = _invoke([str(tmp_path)])
    assert result.exit_code == 0
    assert f"reformatted {messy}" in result.stderr
    assert str(tidy) not in result.stderr
    assert messy.read_text(encoding="utf-8") == TIDY
    assert _invoke([str(tmp_path)]).stderr.strip() == "2 files already formatted"


def test_fmt_check_lists_files_that_would_change_and_changes_nothing(tmp_path: Path) -> None:
    messy = tmp_path / "messy.trial"
    messy.write_text(MESSY, encoding="utf-8")
    result = _invoke(["--check", str(messy)])
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.stderr
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_diff_prints_a_unified_diff(tmp_path: Path) -> None:
    messy = tmp_path / "messy.trial"
    messy.write_text(MESSY, encoding="utf-8")
    result = _invoke(["--diff", str(messy)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [f"--- {messy}", f"+++ {messy} (formatted)"]
    assert "-define   x =  a.b = yes" in result.stdout
    assert "+define x = a.b = yes" in result.stdout
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_reads_standard_input_and_writes_standard_output() -> None:
    result = _invoke(["-"], stdin=MESSY)
    assert result.exit_code == 0
    assert result.stdout == TIDY
    assert _invoke(["--check", "-"], stdin=MESSY).exit_code == 1
    assert _invoke(["--check", "-"], stdin=TIDY).exit_code == 0


def test_fmt_never_touches_a_file_with_syntax_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.trial"
    broken.write_text("define   x = (\n", encoding="utf-8")
    result = _invoke([str(broken)])
    assert result.exit_code == 1
    assert "error[E0002]" in result.stderr
    assert f"{broken}:1:" in result.stderr
    assert broken.read_text(encoding="utf-8") == "define   x = (\n"


def test_a_blank_line_inside_a_keys_line_is_read_before_the_keyword() -> None:
    # found by the contract run: blank lines between `keys` and its name became a blank
    # line before `keys`, which the next run dropped (the name no longer started its line)
    source = 'table t "T" {\n  version "1"\n  keys\n\n  a.b\n  x 1\n}\n'
    once = format_source(source)
    assert once == 'table t "T" {\n  version "1"\n  keys a.b\n  x 1\n}\n'
    assert format_source(once) == once
    kept = 'table t "T" {\n  version "1"\n\n  keys a.b\n  x 1\n}\n'
    assert format_source(kept) == kept


def test_a_blank_line_inside_a_scores_form_line_is_read_before_the_keyword() -> None:
    # the same for `form NAME` inside a score: found by the contract run on a mutated spec
    source = (
        'score s "S" {\n  source "x"\n  form\n\n  f\n  range 0 .. 1\n'
        '  domain one "One" clinical {\n    a 1\n  }\n}\n'
    )
    once = format_source(source)
    assert format_source(once) == once
    assert '  source "x"\n  form f\n' in once
