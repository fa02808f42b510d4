"""Pairing the declarations of two versions by identity (name, id or key)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from protocol_dsl import model as m

T = TypeVar("T")


def match(old: dict[str, T], new: dict[str, T]) -> Iterator[tuple[str, T | None, T | None]]:
    """Pairs by name: the new version's order, then what only the old version has."""
    for name, value in new.items():
        yield name, old.get(name), value
    for name, value in old.items():
        if name not in new:
            yield name, value, None


def fields_by_key(fields: Sequence[m.Field]) -> dict[str, tuple[m.Field, ...]]:
    grouped: dict[str, list[m.Field]] = {}
    for f in fields:
        grouped.setdefault(f.key, []).append(f)
    return {k: tuple(v) for k, v in grouped.items()}
