"""Allocation lists: balance by construction, reproducibility, the REDCap table."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.randomisation.balance import balance, bound
from generators.randomisation.blocks import Design, stratum_list
from generators.randomisation.formats import redcap_csv

ARMS = ("A", "B", "C", "D")


@st.composite
def block_designs(draw: st.DrawFn) -> Design:
    count = draw(st.integers(min_value=2, max_value=4))
    weights = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    total = sum(weights)
    multiples = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True))
    return Design(
        tuple(zip(ARMS, weights, strict=False)),
        "permuted_blocks",
        tuple(total * k for k in multiples),
    )


@settings(max_examples=200, deadline=None)
@given(
    block_designs(),
    st.integers(min_value=0, max_value=2**32),
    st.integers(min_value=1, max_value=60),
)
def test_permuted_blocks_keep_the_ratio_and_bound_the_imbalance(
    design: Design, seed: int, length: int
) -> None:
    entries = stratum_list(design, (), length, seed, "all")
    total = sum(w for _a, w in design.ratio)
    # at least the length asked for, in whole blocks: never a block cut short
    assert length <= len(entries) < length + max(design.block_sizes)
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    blocks: dict[int, list[str]] = {}
    for entry in entries:
        assert entry.block_size in design.block_sizes
        blocks.setdefault(entry.block or 0, []).append(entry.arm)
    for arms in blocks.values():
        # each block holds every arm in the ratio's proportions
        copies = len(arms) // total
        assert Counter(arms) == {arm: weight * copies for arm, weight in design.ratio}
    report = balance("all", [e.arm for e in entries], design.ratio)
    assert report.final_imbalance == 0  # whole blocks: the list keeps the ratio exactly
    assert report.worst_imbalance <= bound(design.ratio, design.block_sizes)
    if design.ratio == (("A", 1), ("B", 1)) or all(w == 1 for _a, w in design.ratio):
        # at 1:1, the arms' counts never differ by more than half the largest block
        assert report.worst_imbalance <= Fraction(max(design.block_sizes), total)


@settings(max_examples=50, deadline=None)
@given(block_designs(), st.integers(min_value=0, max_value=2**32))
def test_a_list_is_a_function_of_its_seed(design: Design, seed: int) -> None:
    once = stratum_list(design, (), 30, seed, "all")
    again = stratum_list(design, (), 30, seed, "all")
    assert once == again


def test_a_changed_seed_changes_the_list() -> None:
    design = Design((("A", 1), ("B", 1), ("C", 1)), "permuted_blocks", (3, 6))
    lists = {tuple(e.arm for e in stratum_list(design, (), 60, seed, "all")) for seed in range(20)}
    assert len(lists) == 20


def test_simple_randomisation_draws_each_entry_with_the_ratio() -> None:
    design = Design((("A", 2), ("B", 1)), "simple")
    entries = stratum_list(design, (), 3000, 7, "all")
    assert len(entries) == 3000
    assert all(e.block is None and e.block_size is None for e in entries)
    share = Counter(e.arm for e in entries)["A"] / 3000
    assert 0.63 < share < 0.70  # 2/3 within about 3.5 standard errors


def test_the_redcap_table_codes_arms_and_strata() -> None:
    design = Design((("placebo", 1), ("active", 1)), "permuted_blocks", (2,))
    levels = (("age_group", "older"),)
    entries = stratum_list(design, levels, 2, 1, "age_group=older")
    table = redcap_csv(entries, ["placebo", "active"], [("age_group", ["younger", "older"])])
    rows = table.decode().splitlines()
    assert rows[0] == "redcap_randomization_group,age_group"
    assert sorted(rows[1:]) == ["1,2", "2,2"]
