"""Run every command on one spec, in-process, and classify what each one did.

A command run is one of:

- `ok`: it worked (exit 0, or `diff`'s documented 3 and 4);
- `refused`: exit 1 with diagnostics whose codes are all in `protocol_dsl.codes`;
- `uncoded`: exit 1 with no diagnostic code: a refusal the user cannot look up (a
  catch-all, which the contract does not accept);
- `internal`: an exception, exit 2, an internal-error message or code;
- `broken`: it worked but broke an invariant (fmt not idempotent or not
  meaning-preserving, subjects lost or invented by an engine).

The commands run through click's `CliRunner` on `protocol_dsl.cli:cli`, which is what
a user runs minus the process; the generated screening module is imported from the
file `build` wrote and run through its own `main`, as `python screening_checks.py`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import json
import re
import shutil
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import attrs
from click.testing import CliRunner, Result

from protocol_dsl import model as m
from protocol_dsl.cli import cli
from protocol_dsl.codes import CODES
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.parser import DECLARATION_KEYWORDS, parse_module
from tests.contract import subjects as subj
from tests.contract.coverage import Coverage, expression_kinds, rules_used

OutcomeKind = Literal["ok", "refused", "uncoded", "internal", "broken"]
FAILURES: frozenset[str] = frozenset({"uncoded", "internal", "broken"})

ARTEFACTS = (
    "protocol",
    "soa",
    "odm",
    "redcap",
    "acrf",
    "registry",
    "sdtm",
    "schema",
    "sql",
    "spark_job",
    "checks",
    "escalation",
)
#: Every SQL dialect; spark is written like the others (only running it is slow).
DIALECTS = ("duckdb", "postgres", "spark", "trino", "bigquery", "snowflake")
#: Engines of `protocol screen` (the generated module is run as a third engine).
ENGINES = ("python", "duckdb")
SPEC_ROOT = Path(__file__).resolve().parents[2] / "specs"
#: A diagnostic code as the text renderer writes it (`error[E0101]`) or the JSON one
#: (`"code": "E0101"`).
_CODE = re.compile(r'\b(?:error|warning|note)\[([A-Z]\d{4})\]|"code":\s*"([A-Z]\d{4})"')


def is_internal_code(code: str) -> bool:
    """A code that stands for the compiler failing, not for the user's input."""
    info = CODES.get(code)
    return info is not None and "internal" in info.title.lower()


@attrs.frozen
class Outcome:
    command: str
    kind: OutcomeKind
    codes: tuple[str, ...] = ()
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


@attrs.define
class SpecRun:
    """What happened to one spec: its check, and every command if `check` accepted it."""

    source: str
    origin: str
    accepted: bool = False
    check_codes: Counter[str] = attrs.Factory(Counter)
    outcomes: list[Outcome] = attrs.Factory(list)
    records: int = 0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]


def classify(command: str, result: Result, ok_codes: tuple[int, ...] = (0,)) -> Outcome:
    """The outcome of one CLI run (see the module docstring)."""
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        head = "".join(traceback.format_exception(result.exception)[-6:])
        return Outcome(command, "internal", detail=head)
    codes = tuple(dict.fromkeys(text or json for text, json in _CODE.findall(output)))
    if result.exit_code == 2 and "Usage:" in output:
        return Outcome(command, "uncoded", detail="usage error: " + output[-400:])
    if result.exit_code not in (0, 1, *ok_codes) or "internal error" in output:
        return Outcome(command, "internal", codes, output[-800:])
    if any(is_internal_code(c) for c in codes):
        return Outcome(command, "internal", codes, output[-800:])
    if result.exit_code in ok_codes:
        return Outcome(command, "ok", codes)
    unknown = [c for c in codes if c not in CODES]
    if not codes or unknown:
        return Outcome(command, "uncoded", codes, output[-400:])
    return Outcome(command, "refused", codes, output[-400:])


def invoke(args: list[str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args[:1], "--no-color", *args[1:]], input=stdin)


def prepare(folder: Path) -> Path:
    """A fresh work folder with the real libraries, so that `use "lib/…"` resolves."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(SPEC_ROOT / "lib", folder / "lib")
    return folder


def _diagnostic_counts(path: Path, source: str) -> Counter[str]:
    return Counter(d.code for d in compile_spec(str(path), source).diagnostics)


def _declarations(module: m.Module | None) -> tuple[Any, ...] | None:
    return None if module is None else module.declarations


def check_and_fmt(run: SpecRun, folder: Path, coverage: Coverage) -> None:
    """`check`, then `fmt` with its two promises: idempotent, and the same meaning
    (the same model modulo spans, the same diagnostic codes and counts)."""
    spec = folder / "spec.trial"
    spec.write_text(run.source, encoding="utf-8")
    coverage.rules.update(rules_used(run.source))
    module, _problems = parse_module(run.source, str(spec))
    if module is not None:
        coverage.expressions.update(expression_kinds(module))
    checked = classify("check", invoke(["check", str(spec)]))
    run.check_codes = _diagnostic_counts(spec, run.source)
    run.accepted = checked.kind == "ok"
    _record(run, coverage, checked, keep=checked.kind != "refused")

    formatted_path = folder / "formatted.trial"
    formatted_path.write_text(run.source, encoding="utf-8")
    outcome = classify("fmt", invoke(["fmt", str(formatted_path)]))
    if outcome.kind == "ok":
        formatted = formatted_path.read_text(encoding="utf-8")
        outcome = _fmt_promises(run, spec, module, formatted_path, formatted)
    elif outcome.kind == "refused" and run.accepted:
        outcome = attrs.evolve(outcome, kind="broken", detail="fmt refused a spec check accepts")
    _record(run, coverage, outcome, keep=outcome.kind != "refused")


def _fmt_promises(
    run: SpecRun, spec: Path, module: m.Module | None, path: Path, formatted: str
) -> Outcome:
    again = classify("fmt --check", invoke(["fmt", "--check", str(path)]))
    if again.kind != "ok":
        return Outcome(
            "fmt", "broken", detail="not idempotent: fmt --check after fmt: " + again.detail
        )
    reparsed, _ = parse_module(formatted, str(spec))
    if _declarations(reparsed) != _declarations(module):
        return Outcome("fmt", "broken", detail="the formatted spec has another model")
    counts = _diagnostic_counts(spec, formatted)
    if counts != run.check_codes:
        return Outcome(
            "fmt",
            "broken",
            detail=f"diagnostics changed: {dict(run.check_codes)} -> {dict(counts)}",
        )
    return Outcome("fmt", "ok")


def _same_as_plain(run: SpecRun, folder: Path, plain: str) -> Outcome:
    """A respelled spec has the model and the diagnostics of the text it respells."""
    path = folder / "spec.trial"
    before, _ = parse_module(plain, str(path))
    after, _ = parse_module(run.source, str(path))
    if (before is None) != (after is None) or (
        before is not None
        and after is not None
        and not same_meaning(before.declarations, after.declarations)
    ):
        return Outcome("respell", "broken", detail="the respelled spec has another model")
    counts = _diagnostic_counts(path, plain)
    if before is None:
        # text that does not parse: the parser resumes after its first error where the
        # next token lets it, and a comment or a line break moves that point, so only the
        # codes must agree, not how many follow-on errors recovery finds
        counts, checked = Counter(set(counts)), Counter(set(run.check_codes))
    else:
        checked = run.check_codes
    if counts != checked:
        return Outcome(
            "respell",
            "broken",
            detail=f"diagnostics changed: {dict(counts)} -> {dict(run.check_codes)}",
        )
    return Outcome("respell", "ok")


def same_meaning(a: Any, b: Any) -> bool:
    """Equal models, but for spans and every other field outside equality (where a
    part of a declaration is written) and the spelling a field value was written with
    (`Value.text`: kept so that fmt writes it back as written)."""
    if isinstance(a, m.Value) and isinstance(b, m.Value):
        return a.kind == b.kind and a.value == b.value
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same_meaning(x, y) for x, y in zip(a, b, strict=True))
    if attrs.has(type(a)):
        return all(
            same_meaning(getattr(a, f.name), getattr(b, f.name))
            for f in attrs.fields(type(a))
            if f.eq
        )
    return bool(a == b)


def _record(run: SpecRun, coverage: Coverage, outcome: Outcome, keep: bool = True) -> None:
    coverage.commands[outcome.command] += 1
    coverage.outcomes[outcome.kind] += 1
    coverage.codes.update(outcome.codes if outcome.kind == "refused" else ())
    if keep or outcome.failed:
        run.outcomes.append(outcome)


@attrs.frozen
class Inputs:
    """What the commands beyond check and fmt read besides the spec."""

    draw_batch: Callable[[list[dict[str, Any]]], subj.Batch]  # from witness subjects
    new_version: str  # the "new" spec diff compares with
    cohorts: str  # cohorts.csv for escalate


def every_command(run: SpecRun, folder: Path, coverage: Coverage, inputs: Inputs) -> None:
    """Every command but check and fmt, on a spec check accepted."""
    spec = str(folder / "spec.trial")

    def rec(outcome: Outcome) -> None:
        _record(run, coverage, outcome)

    built = folder / "built"
    outcome = classify("build", invoke(["build", "-o", str(built), spec]))
    if outcome.kind == "ok":
        for artefact in ARTEFACTS:
            rec(Outcome(f"build --only {artefact}", "ok"))
    else:  # find the artefact(s) at fault, one at a time
        for artefact in ARTEFACTS:
            rec(
                classify(
                    f"build --only {artefact}",
                    invoke(["build", "-o", str(built), "--only", artefact, spec]),
                )
            )
    result = invoke(["witness", "--format", "jsonl", spec])
    rec(classify("witness", result))
    seeds = _witness_records(result.stdout) if result.exit_code == 0 else []
    for dialect in DIALECTS:
        rec(classify(f"sql --dialect {dialect}", invoke(["sql", "--dialect", dialect, spec])))
        rec(
            classify(
                f"sql --schema {dialect}", invoke(["sql", "--schema", "--dialect", dialect, spec])
            )
        )
    rec(classify("schema", invoke(["schema", spec])))
    _screen(run, folder, spec, seeds, inputs, rec)
    dose_finding = [d for d in _module_of(run.source, spec) if isinstance(d, m.DoseFinding)]
    if dose_finding:
        cohorts = folder / "cohorts.csv"
        cohorts.write_text(inputs.cohorts, encoding="utf-8")
        for fmt in ("text", "json"):
            rec(
                classify(
                    f"escalate --format {fmt}",
                    invoke(["escalate", "--data", str(cohorts), "--format", fmt, spec]),
                )
            )
        if dose_finding[0].scenarios:  # without scenarios, --true-rates is required
            rec(
                classify(
                    "simulate", invoke(["simulate", "--trials", "40", "--format", "json", spec])
                )
            )
        rec(
            classify(
                "simulate --true-rates",
                invoke(
                    ["simulate", "--trials", "40", "--true-rates", _rates(run.source, spec), spec]
                ),
            )
        )
    randomisation = [d for d in _module_of(run.source, spec) if isinstance(d, m.Randomisation)]
    method = randomisation[0].method if randomisation else None
    if method is not None and method.kind != "minimisation":
        for fmt in ("csv", "redcap"):
            out = folder / f"allocation.{fmt}.csv"
            args = ["randomise", "--seed", "1", "--size", "24", "--format", fmt, "--force"]
            rec(classify(f"randomise --format {fmt}", invoke([*args, "--out", str(out), spec])))
    new = folder / "new.trial"
    new.write_text(inputs.new_version, encoding="utf-8")
    for fmt in ("text", "json", "markdown"):
        rec(
            classify(
                f"diff --format {fmt}",
                invoke(["diff", "--format", fmt, spec, str(new)]),
                ok_codes=(0, 3, 4),
            )
        )


def _module_of(source: str, path: str) -> tuple[Any, ...]:
    module, _ = parse_module(source, path)
    return module.declarations if module is not None else ()


def _rates(source: str, path: str) -> str:
    levels = next(
        (len(d.levels) for d in _module_of(source, path) if isinstance(d, m.DoseFinding)), 2
    )
    return ",".join(f"{0.05 * (k + 1):.2f}" for k in range(levels))


def _witness_records(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict) and "subject_id" in entry:
                entry.pop("witness", None)
                found.append(entry)
    return found


def _screen(
    run: SpecRun, folder: Path, spec: str, seeds: list[dict[str, Any]], inputs: Inputs, rec: Any
) -> None:
    """Screen a generated batch in every input format with every engine; rows in = rows out."""
    batch: subj.Batch = inputs.draw_batch(seeds)
    run.records += len(batch.records)
    data = folder / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    inputs_by_format = {
        "json": subj.write_json(batch, data / "subjects.json"),
        "jsonl": subj.write_jsonl(batch, data / "subjects.jsonl"),
        "csv": subj.write_csv_folder(batch, data / "csv"),
    }
    expected = subj.subject_ids(batch)
    for (fmt, path), engine in itertools.product(inputs_by_format.items(), ENGINES):
        name = f"screen --engine {engine} ({fmt})"
        result = invoke(["screen", "--engine", engine, "--format", "json", spec, str(path)])
        outcome = classify(name, result)
        if outcome.kind == "ok":
            outcome = _rows_kept(name, result.stdout, expected if fmt != "csv" else None)
        rec(outcome)
    module_file = folder / "built" / "screening_checks.py"
    if module_file.exists():
        for fmt in ("json", "jsonl"):
            rec(_run_module(module_file, inputs_by_format[fmt], f"module ({fmt})", expected))


def _rows_kept(name: str, stdout: str, expected: list[str] | None) -> Outcome:
    """Every subject with an id comes out of the engine, once per id, and no other."""
    try:
        rows = json.loads(stdout)["subjects"]
        ids = [str(r["subject_id"]) for r in rows]
    except (ValueError, KeyError, TypeError) as error:
        return Outcome(name, "broken", detail=f"unreadable output: {error!r}")
    if expected is not None and not set(expected) <= set(ids):
        lost = sorted(set(expected) - set(ids))[:5]
        return Outcome(name, "broken", detail=f"subjects lost: {lost} ({len(ids)} rows out)")
    if expected is not None and len(set(ids)) != len(ids) and len(set(expected)) == len(expected):
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)[:5]
        return Outcome(name, "broken", detail=f"subjects out twice: {twice}")
    return Outcome(name, "ok")


def _run_module(module_file: Path, data: Path, name: str, expected: list[str]) -> Outcome:
    """The generated module as its command line runs it: `main([file])`."""
    spec = importlib.util.spec_from_file_location(f"contract_module_{id(data)}", module_file)
    assert spec is not None and spec.loader is not None
    out, err = io.StringIO(), io.StringIO()
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = module.main([str(data)])
    except Exception as error:  # the generated module failed: the contract's failure
        head = "".join(traceback.format_exception(error)[-6:])
        return Outcome(name, "internal", detail=head)
    if code != 0:
        return Outcome(name, "uncoded", detail=err.getvalue()[-400:])
    ids = []
    for line in out.getvalue().splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            ids.append(str(json.loads(line)["subject_id"]))
    if not set(expected) <= set(ids):
        return Outcome(
            name, "broken", detail=f"subjects lost: {sorted(set(expected) - set(ids))[:5]}"
        )
    return Outcome(name, "ok")


# ---------------------------------------------------------------- one run, reproducers


def run_spec(
    source: str,
    origin: str,
    folder: Path,
    coverage: Coverage,
    inputs: Inputs | None,
    plain: str | None = None,
) -> SpecRun:
    """check and fmt; every other command too if `inputs` is given and check accepts.
    `plain` is the text `source` respells: both must mean the same."""
    run = SpecRun(source, origin)
    check_and_fmt(run, folder, coverage)
    if plain is not None:
        _record(run, coverage, _same_as_plain(run, folder, plain))
    if run.accepted and inputs is not None:
        every_command(run, folder, coverage, inputs)
    return run


_PATH = re.compile(r"(/[^\s:'\"]+)+")
_DIGITS = re.compile(r"\d+")


def signature(outcome: Outcome) -> str:
    """What makes two failures the same bug: the command, the kind and the last line
    of the message, with paths and numbers taken out."""
    lines = [line for line in outcome.detail.strip().splitlines() if line.strip()]
    last = _DIGITS.sub("N", _PATH.sub("<path>", lines[-1] if lines else ""))
    return f"{outcome.command} | {outcome.kind} | {last.strip()[:160]}"


_DECLARATION = re.compile(
    r"^(?=(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b)",
    re.MULTILINE,
)


def minimise(source: str, still_fails: Callable[[str], bool], budget: int = 80) -> str:
    """A smaller spec that still fails: whole declarations removed one at a time, as
    long as `still_fails(text)` holds (at most `budget` tries)."""
    chunks = [c for c in _DECLARATION.split(source) if c]
    tries = 0
    k = len(chunks) - 1
    while k >= 0 and tries < budget:
        candidate = chunks[:k] + chunks[k + 1 :]
        tries += 1
        if candidate and still_fails("".join(candidate)):
            chunks = candidate
        k -= 1
    return "".join(chunks)
