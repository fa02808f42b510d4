"""How a fraction is written in decimals: where its digits end or start to repeat.

A fraction's decimal expansion is fixed by its denominator: the factors 2 and 5
give the digits before the repetition (an exact decimal has nothing else), the
rest gives the repeating period.  The rounded-fraction check and the generated
Python both need this split, and must agree on it.
"""

from __future__ import annotations

from fractions import Fraction


def expansion(ratio: Fraction) -> tuple[int, int]:
    """(digits before the repetition, the rest of the denominator), e.g. 1/12 → (2, 3).

    The rest is 1 exactly when the fraction is an exact decimal, written with the
    first number of digits: 3/8 → (3, 1), 0.375.
    """
    rest = ratio.denominator
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    return max(twos, fives), rest


def period(rest: int) -> int:
    """The length of the repeating period of 1/rest, for a rest without factors 2 and 5."""
    length = 1
    while pow(10, length, rest) != 1:
        length += 1
    return length
