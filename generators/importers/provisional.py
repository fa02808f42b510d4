"""The record's notes of what is provisional, read back as `provisional` marks.

A record built with provisional values flagged (the registry generator's
default) says so twice: an outcome measure whose description is exactly
`OUTCOME_NOTE` is provisional, and the detailed description ends with a
paragraph listing the provisional entries by label ("start date; contact
Trial office; email of “Trial office”").  That paragraph is not description
text: the importer takes it off and marks the entries it names; a label it
cannot place on the draft is reported as not carried.
"""

from __future__ import annotations

import re

#: the description of a provisional outcome measure in the record
OUTCOME_NOTE = "Provisional: not final in the protocol."
#: how the detailed description's closing paragraph of provisional entries begins
_NOTE_START = "Provisional (not final in the protocol): "
_NOTE = re.compile(r"(?:\A|\n\n)" + re.escape(_NOTE_START) + r"([^\n]*)\.\Z")


def split_note(description: str | None) -> tuple[str | None, list[str]]:
    """The description without its closing paragraph of provisional entries, and the
    labels that paragraph lists (in order); the text unchanged when it has none."""
    if description is None:
        return None, []
    found = _NOTE.search(description)
    if found is None:
        return description, []
    rest = description[: found.start()]
    return (rest if rest.strip() else None), [label for label in found[1].split("; ") if label]


class Labels:
    """The provisional labels of one record, each taken once as the draft places it."""

    def __init__(self, labels: list[str]) -> None:
        self.pending = list(labels)

    def take(self, label: str) -> bool:
        """Whether the record lists `label` as provisional (and it is now placed)."""
        if label in self.pending:
            self.pending.remove(label)
            return True
        return False

    def mark(self, label: str) -> str:
        """` provisional` for a listed label, else nothing."""
        return " provisional" if self.take(label) else ""
