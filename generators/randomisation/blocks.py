"""Allocation lists per stratum: permuted blocks, or simple randomisation.

Permuted blocks: each block's size is drawn at random among the declared sizes
(each a multiple of the ratio's sum, which `protocol check` ensures, E1003), and
holds every arm in the ratio (size 6 at 1:1:1 holds each arm twice), in a
random order.  Blocks are never cut: a stratum's list is its requested length
rounded up to a whole block, so every complete list keeps the ratio exactly and
at any point the arms differ by at most half the largest block (at 1:1).

Simple randomisation: each entry independently, arm k with probability
weight_k / sum of weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from generators.randomisation.stream import Stream


class Design(NamedTuple):
    """What a list needs from the spec: the ratio (arm, whole weight), the method, sizes."""

    ratio: tuple[tuple[str, int], ...]
    method: str  # simple | permuted_blocks
    block_sizes: tuple[int, ...] = ()


class Entry(NamedTuple):
    stratum: tuple[tuple[str, str], ...]  # (factor, stratum) pairs
    sequence: int  # 1, 2, … within the stratum
    block: int | None  # 1, 2, … within the stratum (None: simple randomisation)
    block_size: int | None
    arm: str


def stratum_list(
    design: Design,
    stratum: tuple[tuple[str, str], ...],
    length: int,
    seed: int | str,
    label: str,
) -> list[Entry]:
    """The list of one stratum, at least `length` long (whole blocks)."""
    stream = Stream(seed, label)
    if design.method == "simple":
        return [
            Entry(stratum, k + 1, None, None, _weighted(design.ratio, stream))
            for k in range(length)
        ]
    total = sum(weight for _arm, weight in design.ratio)
    entries: list[Entry] = []
    block = 0
    while len(entries) < length:
        block += 1
        size = stream.choice(design.block_sizes)
        copies = size // total
        arms = [arm for arm, weight in design.ratio for _ in range(weight * copies)]
        for arm in stream.shuffled(arms):
            entries.append(Entry(stratum, len(entries) + 1, block, size, arm))
    return entries


def _weighted(ratio: Sequence[tuple[str, int]], stream: Stream) -> str:
    draw = stream.below(sum(weight for _arm, weight in ratio))
    for arm, weight in ratio:
        if draw < weight:
            return arm
        draw -= weight
    raise AssertionError("a draw below the sum of the weights falls in one of them")
