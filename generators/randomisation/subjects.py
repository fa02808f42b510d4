"""The subjects a minimisation allocates: JSON Lines, one subject per line, in order.

Each line is an object with `subject_id` and `strata` (the stratum of each
factor by name), as `protocol screen --format jsonl` writes them for eligible
subjects; a line whose `status` is given and is not `eligible` is skipped (a
subject who is not eligible is not randomised).  A line that cannot be read, a
subject without the stratum of a minimisation factor, with the stratum
"unknown" or with a stratum the factor does not have is an error (E1015) with
its line number: a subject is never minimised on a guessed stratum.
"""

from __future__ import annotations

import json
from pathlib import Path

from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.errors import UserError


class SubjectsFileError(UserError):
    """E1015: a line of the subjects file cannot be used for minimisation."""

    code = "E1015"


def read_subjects(
    path: Path, randomisation: m.Randomisation, factors: tuple[str, ...]
) -> list[tuple[str, dict[str, str]]]:
    problems: list[str] = []
    subjects: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SubjectsFileError(f"E1015: {path} cannot be read: {error}") from error
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not a JSON object ({error.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("subject_id"), str):
            problems.append(f"{where}: an object with a text `subject_id` is expected")
            continue
        if record.get("status", "eligible") != "eligible":
            continue
        subject_id = record["subject_id"]
        if subject_id in seen:
            problems.append(f"{where}: subject {subject_id} is given twice")
            continue
        seen.add(subject_id)
        strata = record.get("strata")
        if not isinstance(strata, dict):
            problems.append(f"{where}: subject {subject_id} has no `strata` object")
            continue
        levels: dict[str, str] = {}
        for name in factors:
            factor = randomisation.factor(name)
            value = strata.get(name)
            if value is None or value == allocation.UNKNOWN_STRATUM:
                problems.append(
                    f"{where}: the stratum of '{name}' of subject {subject_id} is not known; "
                    "complete the data the stratum rules read before randomising"
                )
            elif factor is not None and factor.stratum(str(value)) is None:
                known = ", ".join(s.name for s in factor.strata)
                problems.append(
                    f"{where}: '{value}' is not a stratum of '{name}' (its strata: {known})"
                )
            else:
                levels[name] = str(value)
        if len(levels) == len(factors):
            subjects.append((subject_id, levels))
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise SubjectsFileError(
            f"E1015: {len(problems)} line(s) of {path} cannot be minimised:\n  {shown}{more}"
        )
    return subjects
