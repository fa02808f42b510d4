"""JSON Lines read subject by subject for a streamed report: the same batch, the same
outcomes, the same report as the file read whole, whatever the lines hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data import InputError, read_inputs
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import screen_batch, screen_stream

from .conftest import SPECS, SUBJECTS, load_subject

QLS = SPECS / "qls4131_sle_phase1b.trial"


@pytest.fixture(scope="module")
def screener():  # type: ignore[no-untyped-def]
    result = compile_spec(str(QLS))
    assert result.spec is not None
    return compile_spec_rules(result.spec)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [load_subject(p.name)["subject"] for p in sorted(SUBJECTS.glob("*.json"))]


_WITNESS = '{"witness": {"kind": "unavailable", "criterion": "E3", "reason": "contradictory"}}'


def _line(records: list[dict]) -> st.SearchStrategy[str]:
    """A line of a JSON Lines file as users write them: a subject (sometimes with a
    reused or missing id, or a U+2028 in a text), a blank line, a line that is not
    JSON, a JSON value that is no object, or a note of `protocol witness`."""
    subject = st.tuples(st.sampled_from(records), st.sampled_from(["keep", "drop", "S01"])).map(
        lambda pair: json.dumps(
            {k: v for k, v in pair[0].items() if pair[1] != "drop" or k != "subject_id"}
            | ({"subject_id": "S01"} if pair[1] == "S01" else {})
            | {"note": "a\u2028b"},
            ensure_ascii=False,
        )
    )
    return st.one_of(
        subject,
        st.sampled_from(["", "   ", "{not json", "[1, 2]", "null", '"text"', _WITNESS]),
    )


def _same_batches(whole, streamed) -> None:  # type: ignore[no-untyped-def]
    assert streamed.problems == whole.problems
    assert streamed.subject_count() == whole.subject_count()
    assert list(streamed.each_subject()) == list(whole.each_subject())
    assert streamed.ids_and_sources()[0] == whole.ids_and_sources()[0]
    assert list(streamed.ids_and_sources()[1]) == list(whole.ids_and_sources()[1])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_streamed_lines_are_the_lines_read_whole(
    screener, records: list[dict], tmp_path: Path, data: st.DataObject
) -> None:  # type: ignore[no-untyped-def]
    lines = data.draw(st.lists(_line(records), max_size=8))
    ending = data.draw(st.sampled_from(["\n", "\r\n"]))
    bom = data.draw(st.sampled_from(["", "\ufeff"]))
    path = tmp_path / "subjects.jsonl"
    path.write_text(bom + ending.join(lines) + ending, encoding="utf-8")
    spec = screener.spec
    whole = read_inputs(spec, screener.dictionary, [str(path)])
    streamed = read_inputs(spec, screener.dictionary, [str(path)], streamed=True)
    assert whole.streamed == [] and streamed.subjects == []
    _same_batches(whole, streamed)
    # the outcomes, duplicated ids and edit checks included, as the whole batch gives them
    expected = screen_batch(spec, whole, explain=True, screener=screener).outcomes
    got = list(screen_stream(spec, streamed, explain=True, screener=screener))
    assert [(o.result.to_json(), o.findings, o.source) for o in got] == [
        (o.result.to_json(), o.findings, o.source) for o in expected
    ]


def test_several_files_stream_in_the_order_given(screener, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in records[:3]) + "\n", encoding="utf-8")
    second.write_text("\n".join(json.dumps(r) for r in records[1:4]) + "\n", encoding="utf-8")
    paths = [str(second), str(first)]
    spec = screener.spec
    _same_batches(
        read_inputs(spec, screener.dictionary, paths),
        read_inputs(spec, screener.dictionary, paths, streamed=True),
    )


def test_only_json_lines_files_stream(screener, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    one = tmp_path / "b.json"
    one.write_text(json.dumps(records[1]), encoding="utf-8")
    batch = read_inputs(screener.spec, screener.dictionary, [str(lines), str(one)], streamed=True)
    assert batch.streamed == [] and len(batch.subjects) == 2


def test_a_file_changed_while_screened_is_an_error(screener, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "subjects.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records[:3]) + "\n", encoding="utf-8")
    batch = read_inputs(screener.spec, screener.dictionary, [str(path)], streamed=True)
    path.write_text("\n".join(json.dumps(r) for r in records[3:5]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed while it was being screened"):
        list(batch.each_subject())


@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_the_streamed_report_is_the_whole_report(
    records, tmp_path: Path, output_format: str
) -> None:  # type: ignore[no-untyped-def]
    """The CSV and JSON Lines reports (streamed) give each subject as the JSON report
    (read whole) does, a reused id reported on both records."""
    path = tmp_path / "subjects.jsonl"
    rows = [json.dumps(r) for r in records] + [json.dumps(records[0])]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    whole = json.loads(
        runner.invoke(cli, ["screen", str(QLS), str(path), "--format", "json"]).stdout
    )
    streamed = runner.invoke(cli, ["screen", str(QLS), str(path), "--format", output_format])
    assert streamed.exit_code == 0, streamed.stderr
    if output_format == "jsonl":
        assert [json.loads(line) for line in streamed.stdout.splitlines()] == whole["subjects"]
    else:
        body = streamed.stdout.splitlines()[1:]
        assert [line.split(",")[:2] for line in body] == [
            [s["subject_id"], s["status"]] for s in whole["subjects"]
        ]
        assert sum("DUPLICATE_SUBJECT_ID" in line for line in body) == 2
