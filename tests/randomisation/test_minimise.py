"""Pocock-Simon minimisation against a hand-worked example."""

from __future__ import annotations

from fractions import Fraction

from generators.randomisation.minimise import Minimisation, minimise
from generators.randomisation.stream import Stream

DESIGN = Minimisation((("A", 1), ("B", 1)), ("sex", "age"), Fraction(1))
SUBJECTS = [
    ("S1", {"sex": "m", "age": "young"}),
    ("S2", {"sex": "m", "age": "old"}),
    ("S3", {"sex": "f", "age": "young"}),
    ("S4", {"sex": "f", "age": "old"}),
]


def test_hand_worked_example() -> None:
    """By hand, with X the arm S1 draws and Y the other (probability 1, range):

    S1 (m, young): no one allocated, every arm ties: drawn with the ratio → X.
    S2 (m, old):   to X: sex m X2 Y0 → 2, age old X1 Y0 → 1, G = 3;
                   to Y: sex m X1 Y1 → 0, age old X0 Y1 → 1, G = 1      → Y.
    S3 (f, young): to X: sex f → 1, age young X2 Y0 → 2, G = 3;
                   to Y: sex f → 1, age young X1 Y1 → 0, G = 1         → Y.
    S4 (f, old):   to X: sex f X1 Y1 → 0, age old X1 Y1 → 0, G = 0;
                   to Y: sex f X0 Y2 → 2, age old X0 Y2 → 2, G = 4      → X.
    """
    seed = 42
    x = ["A", "B"][Stream(seed, "minimisation").below(2)]
    y = "B" if x == "A" else "A"
    allocated = minimise(DESIGN, SUBJECTS, seed)
    assert [a.arm for a in allocated] == [x, y, y, x]
    scores = {a.subject_id: dict(zip("AB", a.imbalance, strict=True)) for a in allocated}
    assert scores["S1"] == {"A": 1 + 1, "B": 1 + 1}
    assert (scores["S2"][x], scores["S2"][y]) == (3, 1)
    assert (scores["S3"][x], scores["S3"][y]) == (3, 1)
    assert (scores["S4"][x], scores["S4"][y]) == (0, 4)
    assert [a.preferred for a in allocated] == [None, y, y, x]


def test_variance_measure_prefers_the_same_arms_here() -> None:
    design = Minimisation(DESIGN.ratio, DESIGN.factors, Fraction(1), "variance")
    by_range = [a.arm for a in minimise(DESIGN, SUBJECTS, 3)]
    by_variance = [a.arm for a in minimise(design, SUBJECTS, 3)]
    assert by_range == by_variance
    # the variance of (2, 0) is 1: S2 to X scores 1 + 1/4
    x = by_variance[0]
    s2 = minimise(design, SUBJECTS[:2], 3)[1]
    assert dict(zip("AB", s2.imbalance, strict=True))[x] == Fraction(5, 4)


def test_the_random_element_is_seeded() -> None:
    design = Minimisation((("A", 2), ("B", 1), ("C", 1)), ("sex",), Fraction(7, 10))
    subjects = [(f"S{k}", {"sex": "mf"[k % 2]}) for k in range(60)]
    first = minimise(design, subjects, "trial-seed")
    assert first == minimise(design, subjects, "trial-seed")
    others = {tuple(a.arm for a in minimise(design, subjects, seed)) for seed in range(10)}
    assert len(others) > 1


def test_minimisation_keeps_the_factors_balanced() -> None:
    design = Minimisation((("A", 1), ("B", 1)), ("sex", "age"), Fraction(4, 5))
    subjects = [
        (f"S{k}", {"sex": "mf"[k % 2], "age": ("young", "old", "old")[k % 3]}) for k in range(200)
    ]
    allocated = minimise(design, subjects, 11)
    for factor, level in (("sex", "m"), ("sex", "f"), ("age", "young"), ("age", "old")):
        arms = [a.arm for a in allocated if dict(a.levels)[factor] == level]
        assert abs(arms.count("A") - arms.count("B")) <= 6
