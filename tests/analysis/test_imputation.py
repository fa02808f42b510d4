"""Partial dates imputed as a mapping rule declares (`impute first` / `impute last`)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.data.sdtm import impute_partial_date


def test_month_and_year_only_dates() -> None:
    assert impute_partial_date("2012-02", "first") == "2012-02-01"
    assert impute_partial_date("2012-02", "last") == "2012-02-29"  # a leap year
    assert impute_partial_date("2003", "first") == "2003-01-01"
    assert impute_partial_date("2003", "last") == "2003-12-31"


def test_what_is_not_a_partial_date_is_left_as_it_is() -> None:
    assert impute_partial_date("2014-07-02", "first") == "2014-07-02"
    assert impute_partial_date("2014-13", "first") == "2014-13"  # reported as invalid later
    assert impute_partial_date("unknown", "last") == "unknown"
    assert impute_partial_date(None, "first") is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_the_imputed_day_brackets_every_day_of_the_period(day: dt.date) -> None:
    for partial in (day.isoformat()[:7], day.isoformat()[:4]):
        first = dt.date.fromisoformat(impute_partial_date(partial, "first"))
        last = dt.date.fromisoformat(impute_partial_date(partial, "last"))
        assert first <= day <= last
        assert first.isoformat().startswith(partial) and last.isoformat().startswith(partial)
