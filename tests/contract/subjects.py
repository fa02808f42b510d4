"""Subject data for a spec: its witness subjects, bent every way real data are bent.

Starting from the subjects `protocol witness` writes for the spec (records of the right
shape), each generated record may lose a form or a value, have a log (a repeating
form) that is absent, null or empty or holds a null record, values that are null, of
the wrong type, impossible dates or numbers far outside any float (a 400-digit
integer, 1e400), a missing, null or numeric subject id, or be a copy of another
subject's id; a batch may hold records that are not objects at all.  The batch is
written as a JSON list, as JSON Lines with malformed lines among them, and as a
folder of CSV tables (one per form, as `protocol screen` reads them).
"""

from __future__ import annotations

import copy
import csv
import json
import random
from pathlib import Path
from typing import Any

import attrs

#: Written in place of a value, then replaced in the JSON text by a number no float holds.
HUGE_FLOAT = "__contract_huge_float__"
HUGE_INT = 10**400
WRONG_TYPES: list[Any] = ["abc", [1, 2], {"x": 1}, True, 3.5, "2025-13-45", "", -1, "1:0"]
MALFORMED_LINES = ["{not json", "[1, 2", '{"subject_id": ', "null", "42", "  ", '"text"']
RECORD_EDITS = [
    "drop_form",
    "null_form",
    "empty_log",
    "null_in_log",
    "null_value",
    "drop_value",
    "huge_int",
    "negative_huge_int",
    "huge_float",
    "wrong_type",
    "no_id",
    "null_id",
    "number_id",
    "drop_visits",
    "impossible_visit_date",
    "unknown_form",
    "null_attestations",
    "unknown_item",
]


@attrs.frozen
class Batch:
    """Generated records (JSON values) and the edits that made them, by kind."""

    records: list[Any]
    edits: tuple[str, ...]
    malformed_lines: tuple[str, ...] = ()


def _leaves(record: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(container, key) of every item value in the record's forms."""
    found: list[tuple[Any, Any]] = []
    forms = record.get("forms")
    if not isinstance(forms, dict):
        return found
    for data in forms.values():
        groups = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
        for group in groups:
            if isinstance(group, dict):
                found += [(group, key) for key in group]
    return found


def _edit(rng: random.Random, record: dict[str, Any], edit: str) -> None:
    forms = record.get("forms")
    forms = forms if isinstance(forms, dict) else {}
    logs = [name for name, data in forms.items() if isinstance(data, list)]
    leaves = _leaves(record)
    if edit in ("drop_form", "null_form") and forms:
        name = rng.choice(sorted(forms))
        if edit == "drop_form":
            del forms[name]
        else:
            forms[name] = None
    elif edit in ("empty_log", "null_in_log") and logs:
        name = rng.choice(logs)
        if edit == "empty_log":
            forms[name] = []
        else:
            forms[name].insert(rng.randint(0, len(forms[name])), None)
    elif edit in ("null_value", "drop_value", "huge_int", "negative_huge_int", "huge_float"):
        if leaves:
            group, key = rng.choice(leaves)
            if edit == "drop_value":
                del group[key]
            else:
                group[key] = {
                    "null_value": None,
                    "huge_int": HUGE_INT,
                    "negative_huge_int": -HUGE_INT,
                    "huge_float": HUGE_FLOAT,
                }[edit]
    elif edit == "wrong_type" and leaves:
        group, key = rng.choice(leaves)
        group[key] = copy.deepcopy(rng.choice(WRONG_TYPES))
    elif edit == "unknown_item" and leaves:
        group, _key = rng.choice(leaves)
        group["no_such_item"] = 1
    elif edit == "no_id":
        record.pop("subject_id", None)
    elif edit == "null_id":
        record["subject_id"] = None
    elif edit == "number_id":
        record["subject_id"] = rng.randint(0, 10**6)
    elif edit == "drop_visits":
        record.pop("visits", None)
    elif edit == "impossible_visit_date" and isinstance(record.get("visits"), dict):
        visits = record["visits"]
        if visits:
            visits[rng.choice(sorted(visits))] = "2025-02-30"
    elif edit == "unknown_form":
        forms["no_such_form"] = {"X": {"y": 1}}
        record["forms"] = forms
    elif edit == "null_attestations":
        record["attestations"] = None


def batch(rng: random.Random, seeds: list[dict[str, Any]], size: int = 12) -> Batch:
    """`size` records built from the seed records (or from nothing if there are none).

    Driven by a `random.Random` (in the tests, one drawn by hypothesis) rather than by
    hypothesis draws: the seed records are only known once `witness` has run, and how
    many batches a run makes depends on which specs `check` accepts."""
    bases = seeds or [{"subject_id": "S", "visits": {}, "forms": {}}]
    records: list[Any] = []
    edits: list[str] = []
    for k in range(size):
        choice = rng.randint(0, 19)
        if choice == 0 and records:  # a second record with an id already used
            twin = copy.deepcopy(rng.choice(records))
            records.append(twin)
            edits.append("duplicate_id")
            continue
        if choice == 1:
            records.append(copy.deepcopy(rng.choice([None, 42, [], "S", {}])))
            edits.append("not_a_record")
            continue
        record = copy.deepcopy(rng.choice(bases))
        record["subject_id"] = f"S{k:05d}"
        for edit in [rng.choice(RECORD_EDITS) for _ in range(rng.randint(0, 3))]:
            _edit(rng, record, edit)
            edits.append(edit)
        records.append(record)
    malformed = tuple(rng.choice(MALFORMED_LINES) for _ in range(rng.randint(0, 3)))
    return Batch(records, tuple(edits), malformed)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace(f'"{HUGE_FLOAT}"', "1e400")


def write_json(batch: Batch, path: Path) -> Path:
    path.write_text(_dumps(batch.records) + "\n", encoding="utf-8")
    return path


def write_jsonl(batch: Batch, path: Path) -> Path:
    lines = [_dumps(r) for r in batch.records]
    for k, line in enumerate(batch.malformed_lines):
        lines.insert((k * 7) % (len(lines) + 1), line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value)
    if value == HUGE_FLOAT:
        return "1e400"
    return str(value)


def write_csv_folder(batch: Batch, folder: Path) -> Path:
    """One table per form (`subject_id, visit, items…` or `subject_id, items…`), plus
    `visits`, `attestations` and `subjects`, as the CSV reader documents them."""
    folder.mkdir(parents=True, exist_ok=True)
    # a batch with no record that is an object still makes a folder of subject data
    tables: dict[str, list[dict[str, str]]] = {"subjects": []}
    for record in batch.records:
        if not isinstance(record, dict):
            continue
        sid = _cell(record.get("subject_id"))
        visits = record.get("visits")
        for visit, date in visits.items() if isinstance(visits, dict) else []:
            tables.setdefault("visits", []).append(
                {"subject_id": sid, "visit": visit, "date": _cell(date)}
            )
        attestations = record.get("attestations")
        for criterion, answer in attestations.items() if isinstance(attestations, dict) else []:
            tables.setdefault("attestations", []).append(
                {"subject_id": sid, "criterion": criterion, "attested": _cell(answer)}
            )
        # every subject has a row here, so that one with no data at all is still read
        assignment = {k: _cell(record.get(k)) for k in ("arm", "dose_level") if k in record}
        tables.setdefault("subjects", []).append({"subject_id": sid, **assignment})
        forms = record.get("forms")
        for name, data in forms.items() if isinstance(forms, dict) else []:
            if isinstance(data, dict):
                rows = [({"visit": v}, g) for v, g in data.items()]
            elif isinstance(data, list):
                rows = [({}, g) for g in data]
            else:
                continue
            for key, group in rows:
                row = {"subject_id": sid, **key}
                for item, value in group.items() if isinstance(group, dict) else []:
                    if isinstance(value, dict) and set(value) == {"value", "unit"}:
                        row[item], row[f"{item}__unit"] = _cell(value["value"]), value["unit"]
                    else:
                        row[item] = _cell(value)
                tables.setdefault(name, []).append(row)
    for name, rows in tables.items():
        columns = list(dict.fromkeys(["subject_id", *(c for row in rows for c in row)]))
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def subject_ids(batch: Batch) -> list[str]:
    """The ids of the records that are objects with a text or whole-number id, as text."""
    ids = [r.get("subject_id") for r in batch.records if isinstance(r, dict)]
    return [
        str(i)
        for i in ids
        if isinstance(i, str) or (isinstance(i, int) and i is not True and i is not False)
    ]
