"""Edit checks of logs and subject ids: what a data manager queries before screening.

LOG_ANSWER_CONTRADICTED  a log with records although its "any records?" question
                         (`none_recorded_by`) is answered no
LOG_RECORDS_MISSING      the question answered yes, and the log has no record
DUPLICATE_SUBJECT_ID     two or more input records with the same subject id: each
                         is screened on its own (never merged), and each is reported

A log with records is read as recorded whatever the answer (a met record
decides `any`); a log without records whose question is not answered "no"
is not recorded, hence unknown (see docs/screening.md, "Logs").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from protocol_dsl.evaluate.subject import DataDictionary, Subject
from protocol_dsl.spec import Scope

RULES: dict[str, str] = {
    "LOG_ANSWER_CONTRADICTED": "log has records although its question says none",
    "LOG_RECORDS_MISSING": "log question answered yes, but no record",
    "DUPLICATE_SUBJECT_ID": "subject id used by more than one input record",
}


def log_answers(dictionary: DataDictionary) -> list[tuple[str, str, str, str]]:
    """(log storage, question form storage, question item, visit read) per declared question."""
    spec = dictionary.spec
    found: list[tuple[str, str, str, str]] = []
    for info in dictionary.forms.values():
        question = info.use.form.none_recorded_by
        if not info.repeating or question is None:
            continue
        symbol = info.use.owner.resolve(question.parts, Scope(info.use.owner))
        if symbol is None or symbol.form is None:
            continue
        use = spec.form_use(symbol.owner, symbol.form)
        if use is None or not use.visits or use.repeating:
            continue
        eligibility = spec.eligibility_visit
        visit = eligibility if eligibility in use.visits else use.visits[0]
        found.append((info.storage, use.storage_name, question.parts[-1], visit))
    return found


def check_logs(
    data: Subject, answers: Sequence[tuple[str, str, str, str]], finding: Any
) -> Iterator[Any]:
    """Findings for logs whose records and answer disagree.

    `finding(rule, form, item, visit, record, value, expected, message)` builds one.
    """
    for storage, form, item, visit in answers:
        answer = data.values.get((form, visit), {}).get(item)
        records = data.records.get(storage) or []
        if answer is False and records:
            yield finding(
                "LOG_ANSWER_CONTRADICTED",
                form,
                item,
                visit,
                None,
                "no",
                "yes",
                f"{form}.{item} at {visit} says there are no {storage} records, but "
                f"{len(records)} {'is' if len(records) == 1 else 'are'} recorded; the records "
                "are read",
            )
        elif answer is True and not records:
            yield finding(
                "LOG_RECORDS_MISSING",
                storage,
                None,
                None,
                None,
                None,
                f"{form}.{item} = yes",
                f"{form}.{item} at {visit} says there are {storage} records, but none is "
                "recorded; the log is read as not recorded (unknown)",
            )


def duplicate_ids(subject_ids: Iterable[str], sources: Sequence[str]) -> dict[int, str]:
    """Position of each record whose subject id another record also has → the message."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, subject_id in enumerate(subject_ids):
        positions[subject_id].append(index)
    messages: dict[int, str] = {}
    for subject_id, where in positions.items():
        if len(where) < 2:
            continue
        listed = ", ".join(sources[i] for i in where)
        for index in where:
            messages[index] = (
                f"the subject id {subject_id} is used by {len(where)} input records ({listed}); "
                "each is screened on its own, none is merged: correct the ids"
            )
    return messages
