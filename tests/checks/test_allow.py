"""`allow CODE "reason"`: a reviewed finding is silenced on its declaration, never lost.

The allowed finding leaves the active findings (exit status, --strict), is
counted in the summary, shown with --show-allowed, kept in JSON and marked as
an in-source suppression in SARIF; the protocol document lists it; the marks
themselves are checked (E0125, E0126, N0905).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec

HEADER = """\
trial EXAMPLE {
  title "Comparison that always holds"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age integer "Age (years)" range 0 .. 120 required
}

objective OBJ1 primary "Eligibility" {
  endpoint EP1 "Age at screening" value = demographics.age at SCR
}

"""
FINDING = 'inclusion I1 "Adults up to 150" = demographics.age >= 18 and demographics.age <= 150\n'
REASON = "The upper bound repeats the protocol text approved by the committee"
ALLOWED = HEADER + FINDING + f'  allow W0406 "{REASON}"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.trial"
    path.write_text(text, encoding="utf-8")
    return path


def _codes(text: str, tmp_path: Path, **kw: bool) -> list[str]:
    return [d.code for d in compile_spec(str(_write(tmp_path, text)), **kw).diagnostics]


def test_the_finding_is_reported_without_the_allow(tmp_path: Path) -> None:
    assert "W0406" in _codes(HEADER + FINDING, tmp_path)


def test_an_allowed_finding_leaves_the_active_findings_with_its_reason(tmp_path: Path) -> None:
    result = compile_spec(str(_write(tmp_path, ALLOWED)))
    assert "W0406" not in [d.code for d in result.diagnostics]
    assert [(d.code, d.allowed) for d in result.allowed] == [("W0406", REASON)]


def test_strict_does_not_bring_an_allowed_warning_back(tmp_path: Path) -> None:
    plain = CliRunner().invoke(cli, ["check", "--strict", str(_write(tmp_path, HEADER + FINDING))])
    assert plain.exit_code == 1
    allowed = CliRunner().invoke(cli, ["check", "--strict", str(_write(tmp_path, ALLOWED))])
    assert allowed.exit_code == 0, allowed.output
    assert "1 finding allowed" in allowed.output
    assert "W0406" not in allowed.output


def test_show_allowed_prints_the_finding_and_its_reason(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--show-allowed", str(_write(tmp_path, ALLOWED))])
    assert result.exit_code == 0
    assert "allowed warning[W0406]" in result.output
    assert f"allowed: {REASON}" in result.output


def test_json_keeps_the_allowed_finding_apart(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(_write(tmp_path, ALLOWED))])
    data = json.loads(result.output)
    assert "W0406" not in [d["code"] for d in data["diagnostics"]]
    assert [(d["code"], d["reason"]) for d in data["allowed"]] == [("W0406", REASON)]
    assert data["summary"]["allowed"] == 1


def test_sarif_marks_the_allowed_finding_as_an_in_source_suppression(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "sarif", str(_write(tmp_path, ALLOWED))])
    results = json.loads(result.output)["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["W0406"]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": REASON}]


def test_github_shows_an_allowed_finding_only_when_asked_and_as_a_notice(tmp_path: Path) -> None:
    path = str(_write(tmp_path, ALLOWED))
    quiet = CliRunner().invoke(cli, ["check", "--format", "github", path])
    assert "W0406" not in quiet.output
    shown = CliRunner().invoke(cli, ["check", "--format", "github", "--show-allowed", path])
    assert "::notice " in shown.output and "title=W0406 allowed" in shown.output


def test_an_allow_on_another_declaration_silences_nothing(tmp_path: Path) -> None:
    text = HEADER + FINDING + 'inclusion I2 "Adults" = demographics.age >= 18\n'
    text += '  allow W0406 "misplaced"\n'
    codes = _codes(text, tmp_path)
    assert "W0406" in codes and "N0905" in codes


def test_a_blank_reason_is_refused(tmp_path: Path) -> None:
    codes = _codes(HEADER + FINDING + '  allow W0406 "  "\n', tmp_path)
    assert "E0125" in codes
    # a refused allow silences nothing: the finding stays
    assert "W0406" in codes


def test_an_error_code_cannot_be_allowed(tmp_path: Path) -> None:
    assert "E0126" in _codes(HEADER + FINDING + '  allow E0201 "later"\n', tmp_path)


def test_an_unknown_code_cannot_be_allowed(tmp_path: Path) -> None:
    assert "E0126" in _codes(HEADER + FINDING + '  allow W406 "typo"\n', tmp_path)


def test_a_stale_allow_is_an_error_under_strict(tmp_path: Path) -> None:
    text = HEADER + 'inclusion I1 "Adults" = demographics.age >= 18\n  allow W0406 "stale"\n'
    result = compile_spec(str(_write(tmp_path, text)), strict=True)
    assert [d.severity for d in result.diagnostics if d.code == "N0905"] == ["error"]


def test_the_protocol_document_lists_the_allowed_findings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _write(tmp_path, ALLOWED.replace(REASON, "Kept <b>as</b> written"))
    built = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out), "--only", "protocol"])
    assert built.exit_code == 0, built.output
    markdown = (out / "protocol.md").read_text(encoding="utf-8")
    assert "Reviewed findings of the consistency checks" in markdown
    assert "| W0406 | comparison that always holds within the item's range | Inclusion I1 |" in (
        markdown
    )
    html = (out / "protocol.html").read_text(encoding="utf-8")
    # the reason is text from the spec: escaped, never markup
    assert "Kept &lt;b&gt;as&lt;/b&gt; written" in html and "<b>as</b>" not in html


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reason=st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'), max_size=40
    )
)
def test_every_finding_is_either_active_or_allowed(tmp_path: Path, reason: str) -> None:
    """Allowing never loses a finding: the active and allowed ones are the plain run's."""
    plain = compile_spec(str(_write(tmp_path, HEADER + FINDING)))
    result = compile_spec(str(_write(tmp_path, HEADER + FINDING + f'  allow W0406 "{reason}"\n')))
    own = {"E0125", "N0905"}
    seen = sorted(
        (d.code, d.message) for d in [*result.diagnostics, *result.allowed] if d.code not in own
    )
    assert seen == sorted((d.code, d.message) for d in plain.diagnostics)
    assert bool(result.allowed) == bool(reason.strip())


def test_a_subset_of_the_checks_never_calls_an_allow_stale(tmp_path: Path) -> None:
    """`protocol screen` runs only the evaluation checks, which never report W0406."""
    from protocol_dsl.checks import evaluation_checks, run_checks
    from protocol_dsl.syntax.loader import load

    spec, _, _ = load(str(_write(tmp_path, ALLOWED)))
    assert spec is not None
    assert "N0905" not in [d.code for d in run_checks(spec, evaluation_checks())]
