"""Every case in tests/checks/cases reports exactly the diagnostics written on its lines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from protocol_dsl.codes import CODES
from tests.checks.harness import expectations, mismatch

CASES = Path(__file__).parent / "cases"
_FILES = sorted(CASES.glob("*.trial"))


@pytest.mark.parametrize("path", _FILES, ids=lambda p: p.stem)
def test_case_reports_exactly_its_expectations(path: Path) -> None:
    problem = mismatch(path)
    assert problem is None, problem


def _codes_in(pattern: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in CASES.glob(pattern):
        expected, _ignored = expectations(path.read_text(encoding="utf-8"))
        counts.update(code for _line, code in expected.elements())
    return counts


# N0903 depends on the installation (a missing optional dependency), not on a
# spec; tests/test_docs_examples.py simulates it.  N0904 needs a spec far larger
# than a case file to reach the solver's effort limit; tests/solver/test_groups.py
# lowers the limit to test it.  E0999 is an internal error, never a property of a spec:
# tests/checks/test_internal_errors.py injects one.  E0710-E0712 are problems of the
# cohorts file `protocol escalate` reads, not of a spec: tests/escalation/
# test_cohorts_diagnostics.py and the docs pages run them.
# E1015 is a problem of the subjects file `protocol randomise --minimise` reads:
# tests/randomisation/test_command.py and its docs page run it.
_NOT_OF_A_SPEC = {"N0903", "N0904", "E0999", "E0710", "E0711", "E0712", "E1015"}
#: the randomised-design codes of the randomisation and masking blocks
_RANDOMISATION = {f"E10{n:02d}" for n in range(1, 16)}
_OWN = sorted(
    c
    for c in CODES
    if (c[1:3] in {"02", "03", "05", "06", "07", "08", "09"} or c in _RANDOMISATION)
    and c not in _NOT_OF_A_SPEC
)


@pytest.mark.parametrize("code", _OWN)
def test_every_rule_has_a_triggering_case(code: str) -> None:
    assert _codes_in("*.trial")[code] > 0, f"no case in {CASES} expects {code}"


def test_clean_cases_expect_nothing() -> None:
    clean = sorted(CASES.glob("*_ok.trial"))
    assert clean, "there are cases that must check clean"
    for path in clean:
        expected, _ignored = expectations(path.read_text(encoding="utf-8"))
        assert not expected, f"{path.name} is a clean case but expects {sorted(expected)}"


def test_harness_reads_expectations() -> None:
    text = "a\nb  # expect: E0201 E0303\n# ignore: W08, N0901\nc # expect: E0201\n"
    expected, ignored = expectations(text)
    assert expected == Counter({(2, "E0201"): 1, (2, "E0303"): 1, (4, "E0201"): 1})
    assert ignored == ("W08", "N0901")
