"""Time the language server as an editor sees it: `protocol lsp` over stdio, warm.

Usage:  python benchmarks/bench_lsp.py [--edits 40] [--requests 60] [--lines 10000]
                                       [--edit space|digit|insert]

For QLS4131 and a synthetic spec of --lines lines (`synthetic.py`), the script
starts `protocol lsp` (the `protocol` beside the running interpreter, bytecode
caching on), opens the spec, waits for its diagnostics, and then:

- makes --edits one-character edits (a space typed inside a criterion's rule,
  or with `--edit digit` the last digit of a number the rule compares with
  changed, so that the rule means something else, or with `--edit insert` a
  "1" typed before that digit, so that the rule changes and everything after
  it moves by one character, as in typing; a different criterion each
  time, sent as an incremental change) and times,
  from the client, the change until the quick diagnostics arrive (every check
  but the solver) and until the full ones (the solver's findings included).
  The server is told to check at once (`diagnosticsDelay` 0), so the figure is
  the check, not the pause it waits for while someone types;
- times --requests hover requests (on item references in rules) and
  completion requests (after `form.`) from request to answer.

With each edit, the server's CPU time (user and system, all its threads, from
Linux's /proc in clock ticks of 10 ms) until each publication: it hardly grows
with other work on the machine, as the wall-clock figures do.

Side by side, in the same run: a cold `protocol check` process on the same
file (what a writer waits for on save without the server), and a warm
`compile_spec` in this process with nothing reused (what the server would
cost without its memory of parsed libraries and solver answers).
Results are printed as Markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_spec

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Scope, Spec, walk_scoped

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def protocol_script() -> str:
    beside = Path(sys.executable).parent / "protocol"
    return str(beside) if beside.exists() else shutil.which("protocol") or "protocol"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def position(text: str, offset: int) -> types.Position:
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(
        line=text.count("\n", 0, offset),
        character=len(text[start:offset].encode("utf-16-le")) // 2,
    )


def edit_points(spec: Spec, text: str, edit: str = "space") -> list[int]:
    """For each criterion with a rule, an offset inside the rule where a space can be typed
    (`space`), or of the last digit of a number the rule compares with (`digit`, `insert`)."""
    points = []
    for criterion in spec.criteria:
        if criterion.rule is None or criterion.span.file != spec.path:
            continue
        span = criterion.rule.span
        if edit in ("digit", "insert"):
            numbers = [
                node.span
                for node, _scope in walk_scoped(criterion.rule, Scope(spec))
                if isinstance(node, m.NumberLit | m.QuantityLit)
            ]
            digits = [
                max(i for i in range(n.start, n.end) if text[i].isdigit())
                for n in numbers
                if any(text[i].isdigit() for i in range(n.start, n.end))
            ]
            points.extend(digits[:1])
            continue
        space = text.find(" ", span.start, span.end)
        if space > 0:
            points.append(space)
    return points


def typed(text: str, offset: int, edit: str) -> tuple[int, str]:
    """What the edit replaces at `offset` (0 or 1 character) and with what."""
    if edit == "digit":
        digit = int(text[offset])
        return 1, str(digit + 1 if digit < 9 else digit - 1)  # a number stays a number
    if edit == "insert":
        return 0, "1"  # typed before the digit: 8 becomes 18, 2.5 becomes 2.15
    return 0, " "


def item_references(spec: Spec) -> list[tuple[int, str]]:
    """Offsets on references to a form's item in rules, with the form's name."""
    found = []
    for criterion in spec.criteria:
        if criterion.rule is None:
            continue
        for node, scope in walk_scoped(criterion.rule, Scope(spec)):
            if isinstance(node, m.Ref) and len(node.parts) == 2:
                symbol = spec.resolve(node.parts, scope)
                if symbol is not None and symbol.kind == "item" and symbol.owner is spec:
                    found.append((node.span.end - 1, node.parts[0]))
    return found


async def measure(
    path: Path, edits: int, requests: int, edit: str = "space"
) -> dict[str, list[float]]:
    client = LanguageClient("bench-lsp", "1")
    published: asyncio.Queue[float] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(time.perf_counter())

    cpu_before = _children_cpu()
    await client.start_io(protocol_script(), "lsp", env=ENV)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            initialization_options={"diagnosticsDelay": 0},
        )
    )
    client.initialized(types.InitializedParams())
    server = _server_pid()
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    result = compile_spec(str(path.resolve()))
    assert result.spec is not None
    points = edit_points(result.spec, text, edit)
    references = item_references(result.spec)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="trial", version=1, text=text)
        )
    )
    await published.get()
    await published.get()  # the quick check, then the full one
    times: dict[str, list[float]] = {
        "quick": [], "full": [], "hover": [], "completion": [], "quick_cpu": [], "full_cpu": []
    }  # fmt: skip
    for number in range(edits):
        # a different criterion each time, spread over the spec
        point = points[(number * 7919) % len(points)]
        offset = point
        if edit in ("space", "insert"):
            offset += _typed_before(point, points, number)  # earlier insertions move it
        length, new = typed(text, offset, edit)
        where = position(text, offset)
        until = position(text, offset + length)
        cpu = _process_cpu(server)
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=number + 2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=where, end=until), text=new
                    )
                ],
            )
        )
        text = text[:offset] + new + text[offset + length :]
        times["quick"].append(await published.get() - started)
        times["quick_cpu"].append(_process_cpu(server) - cpu)
        times["full"].append(await published.get() - started)
        times["full_cpu"].append(_process_cpu(server) - cpu)
    fresh = compile_spec(str(path.resolve()), text)
    assert fresh.spec is not None
    references = item_references(fresh.spec)
    for number in range(requests):
        offset, _form = references[(number * 7919) % len(references)]
        started = time.perf_counter()
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position(text, offset),
            )
        )
        times["hover"].append(time.perf_counter() - started)
        assert hover is not None
    probe = text + f"\ndefine probe = {references[0][1]}."
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=edits + 2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=probe)],
        )
    )
    await published.get()  # the unfinished `form.` is a syntax error: one publication
    for _ in range(requests):
        started = time.perf_counter()
        found = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position(probe, len(probe)),
            )
        )
        times["completion"].append(time.perf_counter() - started)
        assert isinstance(found, types.CompletionList) and found.items
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    # the server's own CPU time, whole session (start, open, edits, requests): unlike
    # the wall-clock figures, it hardly grows with other processes on the machine
    times["server_cpu"] = [_children_cpu() - cpu_before]
    return times


def _server_pid() -> int | None:
    """The server: the one child process of this script while it runs (Linux's /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():
            children.append(int(stat.parent.name))
    return children[0] if len(children) == 1 else None


def _process_cpu(pid: int | None) -> float:
    """User + system CPU seconds of process `pid` so far (nan where /proc is not there):
    unlike wall-clock time, it hardly grows with other work on the machine."""
    if pid is None:
        return math.nan
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    """User + system CPU seconds of this process's children that have ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _typed_before(point: int, points: list[int], edits_so_far: int) -> int:
    """How many characters earlier edits typed before `point` (each edit types one)."""
    return sum(1 for n in range(edits_so_far) if points[(n * 7919) % len(points)] < point)


def cold_check(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [protocol_script(), "check", str(path)], env=ENV, capture_output=True, check=False
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm_uncached(path: Path, runs: int) -> float:
    text = path.read_text(encoding="utf-8")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        compile_spec(str(path.resolve()), text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument(
        "--edit",
        choices=("space", "digit", "insert"),
        default="space",
        help="type a space in each rule (the rule means the same), change the last "
        "digit of a number it compares with (the rule changes), or type a digit "
        "before it (the rule changes and the text after it moves)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-lsp-"))
    try:
        synthetic = folder / f"synthetic_{args.lines}.trial"
        synthetic.write_text(synthetic_spec(args.lines), encoding="utf-8")
        specs = [("QLS4131 (real)", ROOT / "specs" / "qls4131_sle_phase1b.trial"),
                 (f"synthetic, {args.lines:,} lines", synthetic)]  # fmt: skip
        before = load()
        rows = []
        for name, path in specs:
            cold_check(path, 1)  # bytecode and the per-user cache, as on a user's machine
            times = asyncio.run(measure(path, args.edits, args.requests, args.edit))
            rows.append((name, path, times, cold_check(path, 5), warm_uncached(path, 5)))
        after = load()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average (1, 5, 15 min) {before} before, {after} after\n")  # fmt: skip
    print("| spec | edits | quick diagnostics p50 / p95 ms | full (with solver) p50 / p95 ms "
          "| cold `protocol check` median ms | warm compile, nothing reused, median ms |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for name, _path, times, cold, warm in rows:
        quick, full = times["quick"], times["full"]
        print(f"| {name} | {len(quick)} | {statistics.median(quick) * 1000:.0f} / "
              f"{p95(quick) * 1000:.0f} | {statistics.median(full) * 1000:.0f} / "
              f"{p95(full) * 1000:.0f} | {cold * 1000:.0f} | {warm * 1000:.0f} |")  # fmt: skip
    print("\n| spec | server CPU per edit until the quick diagnostics, p50 / p95 ms "
          "| until the full ones, p50 / p95 ms |")  # fmt: skip
    print("|---|---:|---:|")
    for name, _path, times, _cold, _warm in rows:
        quick, full = times["quick_cpu"], times["full_cpu"]
        print(f"| {name} | {statistics.median(quick) * 1000:.0f} / {p95(quick) * 1000:.0f} | "
              f"{statistics.median(full) * 1000:.0f} / {p95(full) * 1000:.0f} |")  # fmt: skip
    print()
    for name, _path, times, _cold, _warm in rows:
        print(f"- {name}: the server's CPU time for the whole session (start, open, "
              f"{len(times['quick'])} edits, requests): {times['server_cpu'][0]:.1f} s")  # fmt: skip
    print("\n| spec | requests | hover p50 / p95 ms | completion after `form.` p50 / p95 ms |")
    print("|---|---:|---:|---:|")
    for name, _path, times, _cold, _warm in rows:
        hover, completion = times["hover"], times["completion"]
        print(f"| {name} | {len(hover)} | {statistics.median(hover) * 1000:.1f} / "
              f"{p95(hover) * 1000:.1f} | {statistics.median(completion) * 1000:.1f} / "
              f"{p95(completion) * 1000:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
