"""The contract at scale: generated specs through check and fmt, a stratified share of
them through every command, with generated subject data.

Usage:
    python benchmarks/contract_run.py --specs 10000 --full 1000 --subjects 100000 --shards 2

The specs are cut into chunks of --chunk specs; chunk k is run by shard k mod
--shards, each shard a process of its own.  A chunk's specs come from one
hypothesis run seeded with (--seed, k), so a chunk is the same on every machine and
every run.  Each finished chunk is saved under --state (JSON); run the same command
again to resume after an interruption: finished chunks are read back, not rerun.
Specs that `check` accepts are run through every command until the chunk's share
of --full is reached, in equal parts per origin (generated, extended, respelled,
real), each with a batch of --subjects / --full generated subject records.

The report (--out, Markdown) gives the command, the counts per outcome and per
command, the coverage of grammar rules and expression kinds, the refusal codes
seen, every distinct failure with a minimal reproducer spec (saved under --state),
the duration and the machine's load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Only the generated module's thread pools matter here: one thread per library.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _chunk_path(state: Path, index: int) -> Path:
    return state / f"chunk-{index:05d}.json"


def _full_quota(args: argparse.Namespace, index: int, size: int) -> int:
    """This chunk's share of --full, so that the shares add up to --full exactly."""
    start = index * args.chunk
    return (start + size) * args.full // args.specs - start * args.full // args.specs


def run_chunk(args: argparse.Namespace, index: int) -> dict[str, Any]:
    """Run one chunk and save its result (the unit of sharding and of resuming)."""
    import random

    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    from tests.contract import subjects as subj
    from tests.contract.coverage import Coverage
    from tests.contract.known import known
    from tests.contract.runner import Inputs, prepare, run_spec, signature
    from tests.contract.specs_gen import ORIGINS, contract_specs

    size = min(args.chunk, args.specs - index * args.chunk)
    quota = _full_quota(args, index, size)
    # equal parts per origin; the remainder goes to other origins in each chunk
    per_origin = {
        o: quota // len(ORIGINS) + ((k - index) % len(ORIGINS) < quota % len(ORIGINS))
        for k, o in enumerate(ORIGINS)
    }
    batch_size = max(1, args.subjects // max(args.full, 1))
    coverage = Coverage()
    folder = prepare(Path(tempfile.mkdtemp(prefix="protocol-contract-")) / "work")
    failures: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    started = time.monotonic()

    @seed(args.seed * 1_000_003 + index)
    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        spec = data.draw(contract_specs())
        batch_seed = data.draw(st.integers(0, 2**63))
        rng = random.Random(batch_seed)
        full = per_origin[spec.origin] > 0
        inputs = (
            Inputs(lambda seeds: subj.batch(rng, seeds, batch_size), spec.new_version, spec.cohorts)
            if full
            else None
        )
        run = run_spec(spec.source, spec.origin, folder, coverage, inputs, spec.plain)
        counts["specs"] += 1
        counts[f"{spec.origin} {'accepted' if run.accepted else 'rejected'}"] += 1
        coverage.sources[spec.origin] += 1
        if run.accepted and full:
            per_origin[spec.origin] -= 1
            counts["full"] += 1
            counts[f"full {spec.origin}"] += 1
            counts["subject records"] += run.records
        for outcome in run.failures:
            key = signature(outcome)
            entry = failures.setdefault(
                key,
                {
                    "signature": key,
                    "command": outcome.command,
                    "kind": outcome.kind,
                    "known": (k.name if (k := known(outcome)) else None),
                    "detail": outcome.detail[-1500:],
                    "origin": spec.origin,
                    "source": spec.source,
                    "new_version": spec.new_version,
                    "cohorts": spec.cohorts,
                    "batch_seed": batch_seed,
                    "batch_size": batch_size,
                    "count": 0,
                },
            )
            entry["count"] += 1

    one()
    shutil.rmtree(folder.parent, ignore_errors=True)
    result = {
        "index": index,
        "counts": dict(counts),
        "coverage": coverage.to_json(),
        "failures": list(failures.values()),
        "seconds": time.monotonic() - started,
    }
    path = _chunk_path(Path(args.state), index)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(path)  # a chunk file is complete or absent: safe to resume
    return result


def run_shard(args: argparse.Namespace, shard: int) -> None:
    chunks = math.ceil(args.specs / args.chunk)
    mine = [k for k in range(chunks) if k % args.shards == shard]
    for n, index in enumerate(mine, 1):
        if _chunk_path(Path(args.state), index).exists():
            continue
        result = run_chunk(args, index)
        c = result["counts"]
        print(
            f"[shard {shard}] chunk {index} ({n}/{len(mine)}): {c.get('specs', 0)} specs, "
            f"{c.get('full', 0)} through every command, {len(result['failures'])} failure "
            f"signatures, {result['seconds']:.0f} s",
            flush=True,
        )


def minimal_reproducer(failure: dict[str, Any], args: argparse.Namespace) -> str:
    """The failing spec with whole declarations removed while the same failure stays."""
    import random

    from tests.contract import subjects as subj
    from tests.contract.coverage import Coverage
    from tests.contract.runner import Inputs, minimise, prepare, run_spec, signature

    folder = prepare(Path(tempfile.mkdtemp(prefix="protocol-minimise-")) / "work")
    needs_all = failure["command"] not in ("check", "fmt", "fmt --check")

    def still_fails(text: str) -> bool:
        # the same subject batch, new version and cohorts as in the run that failed
        rng = random.Random(failure["batch_seed"])
        inputs = (
            Inputs(
                lambda seeds: subj.batch(rng, seeds, failure["batch_size"]),
                failure["new_version"],
                failure["cohorts"],
            )
            if needs_all
            else None
        )
        run = run_spec(text, failure["origin"], folder, Coverage(), inputs)
        return any(signature(o) == failure["signature"] for o in run.failures)

    try:
        if not still_fails(failure["source"]):
            return failure["source"]  # depends on the subject batch: keep the whole spec
        return minimise(failure["source"], still_fails, budget=args.minimise_budget)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def report(args: argparse.Namespace, wall: float) -> str:
    from tests.contract.coverage import EXPRESSION_KINDS, Coverage, grammar_rules

    state = Path(args.state)
    results = [
        json.loads(_chunk_path(state, k).read_text(encoding="utf-8"))
        for k in range(math.ceil(args.specs / args.chunk))
        if _chunk_path(state, k).exists()
    ]
    counts: Counter[str] = Counter()
    coverage = Coverage()
    failures: dict[str, dict[str, Any]] = {}
    for result in results:
        counts.update(result["counts"])
        coverage.merge(Coverage.from_json(result["coverage"]))
        for f in result["failures"]:
            if f["signature"] in failures:
                failures[f["signature"]]["count"] += f["count"]
            else:
                failures[f["signature"]] = dict(f)
    chunk_seconds = sum(r["seconds"] for r in results)
    command = " ".join(["python benchmarks/contract_run.py", *sys.argv[1:]])
    load = os.getloadavg()
    lines = [
        "# The contract at scale",
        "",
        f"Command: `{command}`",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min)",
        f"- chunks: {len(results)} of {math.ceil(args.specs / args.chunk)} "
        f"(--chunk {args.chunk}, --seed {args.seed}); CPU time in chunks "
        f"{chunk_seconds:.0f} s, wall time of this invocation {wall:.0f} s",
        f"- specs through check and fmt: {counts['specs']}; through every command: "
        f"{counts['full']}; generated subject records screened: {counts['subject records']}",
        "",
        "## Specs by origin",
        "",
        "| origin | accepted by check | rejected | through every command |",
        "|---|---|---|---|",
    ]
    for origin in ("generated", "extended", "respelled", "real"):
        lines.append(
            f"| {origin} | {counts[f'{origin} accepted']} | {counts[f'{origin} rejected']} "
            f"| {counts[f'full {origin}']} |"
        )
    lines += ["", "## Outcomes", "", "| outcome | runs |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(coverage.outcomes.items())]
    lines += ["", "## Commands run", "", "| command | runs |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in sorted(coverage.commands.items())]
    lines += [
        "",
        "## Coverage",
        "",
        f"- grammar rules: {len(set(coverage.rules) & grammar_rules())} of "
        f"{len(grammar_rules())}; not reached: "
        f"{', '.join(sorted(coverage.missing_rules())) or 'none'}",
        f"- expression kinds: {len(set(coverage.expressions) & EXPRESSION_KINDS)} of "
        f"{len(EXPRESSION_KINDS)}; not reached: "
        f"{', '.join(sorted(coverage.missing_expressions())) or 'none'}",
        "- refusal codes seen (specs check rejects, and commands refusing): "
        + (", ".join(f"{c} × {n}" for c, n in sorted(coverage.codes.items())) or "none"),
        "",
        "## Failures",
        "",
    ]
    if not failures:
        lines.append("None: no internal error, no refusal without a code, no broken invariant.")
    repro = state / "reproducers"
    repro.mkdir(exist_ok=True)
    for n, failure in enumerate(sorted(failures.values(), key=lambda f: -f["count"]), 1):
        known = f" (known: {failure['known']})" if failure["known"] else " (NEW)"
        if failure["known"]:  # its minimal reproducer is a test already
            where = "`tests/contract/test_regressions.py`"
        else:
            digest = hashlib.sha256(failure["signature"].encode()).hexdigest()[:12]
            path = repro / f"failure-{digest}.trial"  # by signature: stable across reports
            if not path.exists():
                path.write_text(minimal_reproducer(failure, args), encoding="utf-8")
            where = f"`{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}`"
        lines += [
            f"### {n}. `{failure['command']}`: {failure['kind']}{known}, {failure['count']} times",
            "",
            f"Reproducer: {where}",
            "",
            "```",
            _portable(failure["detail"].strip()[-800:]),
            "```",
            "",
        ]
    return "\n".join(lines) + "\n"


_TEMPORARY = re.compile(r"/\S*?protocol-contract-[^/\s]+/")
_CHECKOUT = re.compile(r'(?:/[^\s"\'/]+)+/(?=(?:protocol_dsl|generators|tests)/)')


def _portable(text: str) -> str:
    """A failure's detail without the paths of the machine that ran it: the checkout's
    folder and the run's temporary folders are left out of file names."""
    return _CHECKOUT.sub("", _TEMPORARY.sub("", text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--full", type=int, default=1_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--minimise-budget", type=int, default=60)
    parser.add_argument("--state", default=str(ROOT / "benchmarks" / "results" / "contract"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "contract.md"))
    args = parser.parse_args()
    state = Path(args.state)
    state.mkdir(parents=True, exist_ok=True)
    # chunks saved under other arguments are other specs: never mix them into a report
    shape = {k: vars(args)[k] for k in ("specs", "full", "subjects", "chunk", "seed")}
    saved = state / "arguments.json"
    if saved.exists() and json.loads(saved.read_text(encoding="utf-8")) != shape:
        sys.exit(f"{state} holds a run with other arguments: remove it or give --state")
    saved.write_text(json.dumps(shape), encoding="utf-8")
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")  # a clean interpreter per shard
    shards = [context.Process(target=run_shard, args=(args, k)) for k in range(args.shards)]
    for process in shards:
        process.start()
    for process in shards:
        process.join()
    ran = time.monotonic() - started
    text = report(args, ran).replace(
        "wall time of this invocation",
        f"wall time {time.monotonic() - started:.0f} s with the report and its minimised "
        "reproducers; running the chunks",
    )
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    bad = [p.exitcode for p in shards if p.exitcode]
    if bad:
        sys.exit(f"a shard failed (exit codes {bad}): run the same command again to resume")


if __name__ == "__main__":
    main()
