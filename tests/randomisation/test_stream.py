"""The random source of allocation lists: the documented SHA-256 counter stream."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from generators.randomisation.stream import Stream


def _documented_words(seed: str, label: str, blocks: int) -> list[int]:
    """The stream as docs/reference.md defines it, computed independently."""
    words = []
    for i in range(blocks):
        digest = hashlib.sha256(f"protocol-dsl randomise 1\0{seed}\0{label}\0{i}".encode()).digest()
        words += [int.from_bytes(digest[k : k + 8], "big") for k in (0, 8, 16, 24)]
    return words


def test_the_stream_is_the_documented_one() -> None:
    stream = Stream(20261207, "severity=mild")
    assert [stream.word() for _ in range(12)] == _documented_words("20261207", "severity=mild", 3)


def test_the_first_words_never_change() -> None:
    # pinned: a list rebuilt from its seed years later must be the same list
    stream = Stream(1, "all")
    assert [stream.word() for _ in range(3)] == [
        2814679281582793126,
        6199094849120650100,
        4653132991536362923,
    ]


def test_labels_and_seeds_give_streams_of_their_own() -> None:
    first = [Stream(1, "all").word() for _ in range(1)]
    assert first != [Stream(2, "all").word()]
    assert first != [Stream(1, "severity=mild").word()]


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=2**40))
def test_below_stays_below(n: int, seed: int) -> None:
    stream = Stream(seed, "x")
    assert all(0 <= stream.below(n) < n for _ in range(20))


@given(st.lists(st.integers(), max_size=30), st.integers(min_value=0, max_value=2**40))
def test_shuffled_is_a_permutation(items: list[int], seed: int) -> None:
    assert sorted(Stream(seed, "x").shuffled(items)) == sorted(items)


def test_uniform_is_in_the_unit_interval() -> None:
    stream = Stream("any text", "x")
    values = [stream.uniform() for _ in range(1000)]
    assert all(0 <= v < 1 for v in values)
    assert 0.4 < sum(values) / len(values) < 0.6  # 1000 draws of a fair source
