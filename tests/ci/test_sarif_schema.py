"""SARIF from `protocol check` and `protocol diff`, validated against the official 2.1.0 schema.

The schema is the OASIS one (errata 01), vendored beside this test (see
SARIF-SCHEMA-NOTICE.md): the check is offline and its bytes are pinned.
Besides the schema, the URIs a code-scanning service follows (`helpUri`,
`informationUri`) must be absolute https URLs, and every result located.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.diagnostics import DOCS_URL
from tests.docs_examples import DOCS, examples

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA = HERE / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
OLD = "specs/qls4131_sle_phase1b.trial"
NEW = "tests/diff/amendment/qls4131_v2.trial"

BROKEN = """\
trial SARIF {
  title "Errors, a warning and an allowed finding"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age integer "Age (years)" range 0 .. 120 required
}

inclusion I1 "Aged 18 to 70" = demographics.age between 18 and 70
exclusion E1 "Aged 80 or younger" = demographics.age <= 80
inclusion I2 "Unknown item" = demographics.weight > 40
"""


def _validator() -> jsonschema.protocols.Validator:
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, "the vendored schema changed"
    schema = json.loads(data)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _absolute(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "https" and bool(parts.netloc)


def _check_log(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert _absolute(driver["informationUri"]), driver["informationUri"]
    for rule in driver["rules"]:
        assert _absolute(rule["helpUri"]) and rule["helpUri"].startswith(DOCS_URL), rule
    for result in run["results"]:
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"]
    return log


def test_docs_url_is_absolute_and_names_the_docs_folder() -> None:
    assert _absolute(DOCS_URL) and DOCS_URL.endswith("/docs/")


def test_check_sarif_validates(tmp_path: Path) -> None:
    spec = tmp_path / "broken.trial"
    spec.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(spec), "--format", "sarif"])
    assert result.exit_code == 1
    log = _check_log(result.output)
    codes = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert codes, "no results to validate"


def test_check_sarif_of_a_real_spec_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", OLD, "--format", "sarif"])
    assert result.exit_code == 0
    _check_log(result.output)


def test_diff_sarif_validates_and_locates_every_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["diff", OLD, NEW, "--format", "sarif"])
    assert result.exit_code == 4
    log = _check_log(result.output)
    results = log["runs"][0]["results"]
    assert results
    for found in results:
        region = found["locations"][0]["physicalLocation"].get("region")
        assert region is not None and region["startLine"] >= 1, found["message"]


def test_removed_criterion_points_at_the_old_file(tmp_path: Path) -> None:
    old_text = (ROOT / OLD).read_text(encoding="utf-8")
    removed = old_text.index("exclusion E7 ")
    end = old_text.index("\n\n", removed)
    (tmp_path / "lib").symlink_to(ROOT / "specs" / "lib")
    new = tmp_path / "new.trial"
    new.write_text(old_text[:removed] + old_text[end + 2 :], encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(ROOT / OLD), str(new), "--format", "sarif"])
    log = _check_log(result.output)
    (found,) = [r for r in log["runs"][0]["results"] if r["message"]["text"].startswith("E7:")]
    location = found["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == str(ROOT / OLD)
    assert location["region"]["startLine"] == old_text[:removed].count("\n") + 1


def test_a_finding_with_a_fix_carries_it_as_a_sarif_fix(tmp_path: Path) -> None:
    """The did-you-mean the editor offers as a quick fix is a SARIF `fixes` entry, and
    applying its replacement to its region gives a spec without that finding."""
    text = BROKEN.replace("demographics.weight > 40", "demographics.aeg > 40")
    spec = tmp_path / "typo.trial"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(spec), "--format", "sarif"])
    log = _check_log(result.output)
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert len(fixed) == 1, [r["ruleId"] for r in log["runs"][0]["results"]]
    ((change,),) = [fix["artifactChanges"] for fix in fixed[0]["fixes"]]
    assert change["artifactLocation"]["uri"] == str(spec)
    ((replacement),) = change["replacements"]
    region = replacement["deletedRegion"]
    assert region["startLine"] == region["endLine"]
    lines = text.splitlines(keepends=True)
    line = lines[region["startLine"] - 1]
    start, end = region["startColumn"] - 1, region["endColumn"] - 1
    assert line[start:end].endswith("aeg")
    lines[region["startLine"] - 1] = (
        line[:start] + replacement["insertedContent"]["text"] + line[end:]
    )
    assert "demographics.age > 40" in "".join(lines)
    spec.write_text("".join(lines), encoding="utf-8")
    again = json.loads(CliRunner().invoke(cli, ["check", str(spec), "--format", "sarif"]).output)
    assert fixed[0]["ruleId"] not in {r["ruleId"] for r in again["runs"][0]["results"]}


def test_a_checks_own_fix_is_a_sarif_fix(tmp_path: Path) -> None:
    """W0411's fix (the guard of an item read outside its condition), on the bad example
    of its page, is carried as `protocol check` prints it."""
    (bad,) = [e.text for e in examples(DOCS / "diagnostics" / "W0411.md") if e.section == "Bad"]
    spec = tmp_path / "guard.trial"
    spec.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(spec), "--format", "sarif"])
    log = _check_log(result.output)
    (found,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "W0411"]
    (fix,) = found["fixes"]
    assert fix["description"]["text"].startswith("guard ")
    ((change,),) = [fix["artifactChanges"]]
    ((replacement),) = change["replacements"]
    assert replacement["insertedContent"]["text"] == (
        "(demographics.childbearing_potential = yes and labs.pregnancy_test = positive)"
    )
    region = replacement["deletedRegion"]
    line = bad.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == (
        "labs.pregnancy_test = positive"
    )
