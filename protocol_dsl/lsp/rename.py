"""Rename: every place a declaration is named, changed together, or a refusal that says why.

The places come from the indexes of the open specs (a library's definition is
renamed in every open spec that `use`s it, through its alias: `sle.x` becomes
`sle.y`).  A rename is refused, with a sentence a protocol writer can act on,
when the new name is not a name, is a word of the language, or is already the
name of another declaration where both would be read (the same block, the same
file, or for a code-list value any code list, since values are read bare).
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_dsl.errors import UserError
from protocol_dsl.lsp.index import Declared, Index, Occurrence, SymbolKey
from protocol_dsl.lsp.tokens import WORD
from protocol_dsl.syntax.keywords import keywords


class RenameRefused(UserError):
    """A rename that would break the spec; the message says why, in plain words."""


def declaration(key: SymbolKey, indexes: Iterable[Index]) -> Declared | None:
    for index in indexes:
        found = index.declarations.get(key)
        if found is not None:
            return found
    return None


def occurrences(key: SymbolKey, indexes: Iterable[Index]) -> list[Occurrence]:
    """Every place the declaration is named, in every index that knows it, each place once."""
    seen: dict[tuple[str, int], Occurrence] = {}
    for index in indexes:
        for occurrence in index.uses(key):
            seen.setdefault((occurrence.file, occurrence.start), occurrence)
    return sorted(seen.values(), key=lambda o: (o.file, o.start))


def check_new_name(declared: Declared, new_name: str, indexes: Iterable[Index]) -> None:
    """Raise `RenameRefused` when `new_name` cannot replace the declaration's name."""
    if not WORD.fullmatch(new_name):
        raise RenameRefused(
            f"'{new_name}' is not a name: a name starts with a letter or _ and has only "
            "letters, digits and _"
        )
    if new_name in keywords():
        raise RenameRefused(f"'{new_name}' is a word of the language; choose another name")
    if new_name == declared.name:
        return
    for index in indexes:
        if declared.key not in index.declarations:
            continue
        for other in index.siblings(index.declarations[declared.key]):
            if other.name == new_name:
                where = (
                    "" if other.file == declared.file else f" in {other.file.rsplit('/', 1)[-1]}"
                )
                raise RenameRefused(
                    f"'{new_name}' is already the name of the {other.kind} declared{where} on "
                    f"line {index.sources[other.file].count(chr(10), 0, other.name_start) + 1}; "
                    f"renaming the {declared.kind} '{declared.name}' would make the two collide"
                )
