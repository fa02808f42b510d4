"""A random source whose output never changes: SHA-256 in counter mode.

Python's `random.Random(seed)` promises the same sequence for a seed only within
one Python version, and numpy's generators are not a core dependency; an
allocation list must be rebuilt identically years later, by an auditor on
another machine.  So the stream is defined here, in a few lines anyone can
re-implement:

    block i = SHA-256( "protocol-dsl randomise 1" NUL seed NUL label NUL i )

with `seed` and `label` in UTF-8 and `i` in decimal, counting from 0.  Each
block gives four 64-bit unsigned integers (big-endian), used in order.  A whole
number below n is drawn by rejection (a 64-bit value at or above the largest
multiple of n is discarded), so every value is equally likely; a number in
[0, 1) is the top 53 bits divided by 2^53.  The label gives each stratum a
stream of its own, so that the list of one stratum does not depend on how many
other strata there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_DOMAIN = b"protocol-dsl randomise 1"
_SPAN = 1 << 64


class Stream:
    def __init__(self, seed: int | str, label: str):
        self._prefix = _DOMAIN + b"\0" + str(seed).encode() + b"\0" + label.encode() + b"\0"
        self._counter = 0
        self._words: list[int] = []

    def word(self) -> int:
        """The next 64-bit unsigned integer."""
        if not self._words:
            digest = hashlib.sha256(self._prefix + str(self._counter).encode()).digest()
            self._counter += 1
            self._words = [int.from_bytes(digest[k : k + 8], "big") for k in (24, 16, 8, 0)]
        return self._words.pop()

    def below(self, n: int) -> int:
        """A whole number in 0 .. n-1, each equally likely."""
        if n <= 0:
            raise ValueError("below() needs a positive bound")
        limit = _SPAN - _SPAN % n
        while True:
            value = self.word()
            if value < limit:
                return value % n

    def uniform(self) -> float:
        """A number in [0, 1)."""
        return (self.word() >> 11) / (1 << 53)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def shuffled(self, items: Sequence[T]) -> list[T]:
        """The items in a random order (Fisher-Yates, from the last position down)."""
        out = list(items)
        for k in range(len(out) - 1, 0, -1):
            j = self.below(k + 1)
            out[k], out[j] = out[j], out[k]
        return out
