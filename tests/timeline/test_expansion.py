"""The expansion of cycles and repeats: deterministic, in schedule order, names unique,
every visit where the arithmetic of study days puts it; the syntax round-trips."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl import durations, timeline
from protocol_dsl import model as m
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module


def _module(text: str) -> m.Module:
    module, diagnostics = parse_module(text, "timeline.trial")
    assert module is not None, [d.message for d in diagnostics]
    return module


def _expand(text: str, length: m.Quantity | None = None) -> timeline.Timeline:
    return timeline.expand(_module(text).declarations, length)


@st.composite
def cycles(draw: st.DrawFn) -> tuple[str, int, int, int, list[tuple[int, int, int | None]]]:
    length = draw(st.integers(1, 35))
    count = draw(st.integers(1, 20))
    start = draw(st.integers(-5, 30).filter(lambda d: d != 0))
    days = draw(st.lists(st.integers(1, length), min_size=1, max_size=5, unique=True))
    templates = []
    for day in days:
        first = draw(st.integers(1, count))
        last = draw(st.one_of(st.none(), st.integers(first, count)))
        templates.append((day, first, last))
    lines = [f"cycle cyc lasts {length} days count {count} starts day {start} {{"]
    for day, first, last in templates:
        selector = f"cycles {first} .." + (f" {last}" if last is not None else "")
        lines.append(f"  visit V{day} day {day} {selector}")
    lines.append("}")
    return "\n".join(lines) + "\n", length, count, start, templates


@st.composite
def repeats(draw: st.DrawFn) -> tuple[str, int, int, bool, int]:
    every = draw(st.integers(1, 12))
    week = draw(st.integers(0, 20))
    inclusive = draw(st.booleans())
    at_most = draw(st.integers(1, 40))
    word = "from" if inclusive else "after"
    text = f"repeat R every {every} weeks {word} week {week} at_most {at_most}\n"
    return text, every, week, inclusive, at_most


@settings(max_examples=60, deadline=None)
@given(cycles(), repeats())
def test_expansion_is_deterministic_ordered_and_where_the_days_say(cycle, repeat) -> None:
    cycle_text, length, count, start, templates = cycle
    repeat_text, every, week, inclusive, at_most = repeat
    text = cycle_text + repeat_text
    first, second = _expand(text), _expand(text)
    assert first == second
    assert [v.name for v in first.visits] == [v.name for v in second.visits]
    assert not first.problems
    planned = [v.day for v in first.visits if v.day is not None]
    assert [durations.ordinal(d) for d in planned] == sorted(durations.ordinal(d) for d in planned)
    names = [v.name for v in first.visits]
    assert len(names) == len(set(names))
    # every cycle visit on start + (cycle - 1) * length + (day - 1), skipping day 0
    expected_cycle = {
        f"C{c}V{day}": durations.shift(start, (c - 1) * length + day - 1)
        for day, lo, hi in templates
        for c in range(lo, (hi if hi is not None else count) + 1)
    }
    got_cycle = {v.name: v.day for v in first.visits if v.series == "cyc"}
    assert got_cycle == expected_cycle
    # the repeat: `from` at the week, `after` one interval later; at_most occurrences
    base = durations.week_day(week)
    offset = 0 if inclusive else 7 * every
    got_repeat = [v.day for v in first.visits if v.series == "R"]
    assert sorted(got_repeat, key=durations.ordinal) == [
        durations.shift(base, offset + k * 7 * every) for k in range(at_most)
    ]


@settings(max_examples=40, deadline=None)
@given(cycles(), repeats())
def test_generated_series_round_trip_through_the_formatter(cycle, repeat) -> None:
    text = cycle[0] + repeat[0]
    formatted = format_source(text, "timeline.trial")
    assert format_source(formatted, "timeline.trial") == formatted
    assert _module(formatted).declarations == _module(text).declarations


def test_positions_print_back_as_written() -> None:
    text = (
        "repeat A every 2 weeks from week 0 to week 12 at_most 3\n"
        "repeat B every 3 days after day -7 to day 20\n"
        "repeat C every 1 weeks from 2 weeks before first_dose at_most 2\n"
        "repeat D every 4 weeks after week -2 at_most 2\n"
    )
    formatted = format_source(text, "x.trial")
    for line in text.splitlines():
        assert line in formatted
    a, b, c, d = _module(text).declarations
    assert isinstance(b, m.Repeat) and b.start.day == -7 and not b.start_inclusive
    assert isinstance(a, m.Repeat) and a.start.day == 1 and a.start.as_week
    assert a.end is not None and a.end.day == 85 and a.end.week == 12
    assert isinstance(d, m.Repeat) and d.start.day == -14 and d.start.week == -2
    assert isinstance(c, m.Repeat) and c.start.anchor == "first_dose"


def test_week_zero_is_day_one_and_there_is_no_day_zero() -> None:
    tl = _expand("repeat A every 1 weeks from week -1 at_most 3\n")
    assert [v.day for v in tl.visits] == [-7, 1, 8]


def test_a_series_on_an_anchor_waits_for_the_visit_it_names() -> None:
    # the anchor names a visit the cycle yields, declared after the repeat
    tl = _expand(
        "repeat TA every 6 weeks after first_dose at_most 2\n"
        "anchor first_dose = visit C1D1\n"
        "cycle c lasts 21 days count 1 starts day 8 { visit D1 day 1 }\n"
    )
    assert [(v.name, v.day, v.calendar) for v in tl.visits] == [
        ("C1D1", 8, False),
        ("TA1", 50, True),
        ("TA2", 92, True),
    ]


def test_an_event_anchor_gives_relative_visits_in_anchor_order() -> None:
    tl = _expand(
        'visit EOT "End of treatment"\n'
        "anchor eot = visit EOT\n"
        "anchor progression = disease.progression_date\n"
        "repeat PFU every 8 weeks after progression at_most 2\n"
        "repeat SURV every 12 weeks from eot at_most 2\n"
        "visit SFU 30 days after eot\n"
    )
    assert [v.name for v in tl.visits] == ["EOT", "SURV1", "SFU", "SURV2", "PFU1", "PFU2"]
    surv1 = tl.visits[1]
    assert surv1.relative_to is not None and str(surv1.relative_to.offset) == "0 days"


def test_labels_and_name_patterns() -> None:
    tl = _expand(
        'cycle c "Cycle" lasts 14 days count 2 names "Cy{cycle}Day{day}" {\n'
        '  visit D1 "Day 1" day 1\n'
        '  visit D8 "Visit {visit} of cycle {cycle}" day 8\n'
        "}\n"
        'repeat W "Week visit" every 4 weeks from week 4 to week 12 names "W{week}"\n'
    )
    by_name = {v.name: v.label for v in tl.visits}
    assert by_name["Cy2Day1"] == "Cycle 2 Day 1"
    assert by_name["Cy1Day8"] == "Visit D8 of cycle 1"
    assert [n for n in by_name if n.startswith("W")] == ["W4", "W8", "W12"]
    assert by_name["W8"] == "Week visit 2"


def test_the_cap_stops_a_runaway_series_without_building_it() -> None:
    tl = _expand("repeat X every 1 days from day 1 to day 100000000\n")
    assert tl.visits == ()
    assert [p.code for p in tl.problems] == ["E0613"]


def test_the_trial_length_ends_a_calendar_series() -> None:
    # 1 year is 365.25 days, 365 whole days after day 1: day 366 is the last
    tl = _expand("repeat X every 4 weeks from day 1\n", m.Quantity(Decimal(1), "years"))
    assert [v.day for v in tl.visits] == list(range(1, 367, 28))
