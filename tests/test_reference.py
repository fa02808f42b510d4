"""The language reference documents every field key the checker accepts."""

from __future__ import annotations

import re

import pytest

from protocol_dsl.fields import (
    DOSE_FINDING_FIELDS,
    INTERVENTION_FIELDS,
    REGIMEN_FIELDS,
    TRIAL_FIELDS,
)
from tests.docs_examples import DOCS

REFERENCE = (DOCS / "reference.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "key", sorted({*TRIAL_FIELDS, *INTERVENTION_FIELDS, *DOSE_FINDING_FIELDS, *REGIMEN_FIELDS})
)
def test_field_is_documented(key: str) -> None:
    assert re.search(rf"`{key}`", REFERENCE), f"docs/reference.md does not mention `{key}`"


@pytest.mark.parametrize(
    "key,spec", sorted(TRIAL_FIELDS.items()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_documented_choices_match_the_checker(key: str, spec) -> None:
    row = next((line for line in REFERENCE.splitlines() if f"`{key}`" in line and "|" in line), "")
    for choice in spec.choices:
        assert f"`{choice}`" in row, f"{key}: choice `{choice}` missing from its reference row"
