"""The model's attrs methods cached between runs: same code, same behaviour, safe fallbacks."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from protocol_dsl import method_cache

ROOT = Path(__file__).resolve().parents[2]

#: Run in a fresh interpreter: import the model and report, per class, a digest of
#: each attrs-generated method's code, and what the cache did.
PROBE = """
import hashlib, json, marshal, sys
import protocol_dsl.model as m
codes = {}
for name, cls in sorted(vars(m).items()):
    if isinstance(cls, type) and hasattr(cls, "__attrs_attrs__"):
        for method in ("__init__", "__eq__", "__ne__", "__hash__", "__setattr__"):
            function = cls.__dict__.get(method)
            if function is not None and hasattr(function, "__code__"):
                digest = hashlib.sha256(marshal.dumps(function.__code__)).hexdigest()
                codes[f"{name}.{method}"] = digest
cache = m._methods
a = m.Span("f", 1, 1, 1, 2)
b = m.Span("f", 1, 1, 1, 2)
ref = m.Ref(("x", "y"), span=a)
elsewhere = m.Ref(("x", "y"), span=m.Span("g", 2, 3, 2, 6))
behaves = a == b and hash(a) == hash(b) and ref == elsewhere and hash(ref) == hash(elsewhere)
try:
    a.line = 3
    frozen = False
except Exception:
    frozen = True
print(json.dumps({
    "codes": codes,
    "loaded": len(cache.known),
    "compiled": len(cache.used.keys() - cache.known.keys()),
    "behaves": behaves,
    "frozen": frozen,
}))
"""


def probe(cache_home: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(XDG_CACHE_HOME=str(cache_home), PYTHONHASHSEED="random", **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=True,
    )
    return json.loads(done.stdout)


def cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "protocol-dsl").glob("model-methods-*.marshal"))


def test_second_run_loads_every_method_and_runs_the_same_code(tmp_path: Path) -> None:
    first = probe(tmp_path)
    assert first["loaded"] == 0 and first["compiled"] >= 60
    assert len(cache_files(tmp_path)) == 1
    second = probe(tmp_path)
    assert second["loaded"] == first["compiled"] and second["compiled"] == 0
    # the very code objects of the first run, the hash salt included
    assert second["codes"] == first["codes"]
    assert first["behaves"] and second["behaves"] and first["frozen"] and second["frozen"]


def test_without_a_cache_only_the_hash_salt_differs(tmp_path: Path) -> None:
    cached = probe(tmp_path)
    unwritable = tmp_path / "file-not-folder"
    unwritable.write_text("")
    plain = probe(unwritable)
    assert plain["loaded"] == plain["compiled"] == 0  # attrs compiled as usual
    differing = {k for k in cached["codes"] if cached["codes"][k] != plain["codes"][k]}
    assert differing and all(k.endswith(".__hash__") for k in differing)
    assert plain["behaves"] and plain["frozen"]


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    probe(tmp_path)
    [path] = cache_files(tmp_path)
    for damage in (b"\x00garbage", marshal.dumps([1, 2, 3]), marshal.dumps({("a",): 1}), b""):
        path.write_bytes(damage)
        result = probe(tmp_path)
        assert result["loaded"] == 0 and result["behaves"]
        assert probe(tmp_path)["compiled"] == 0  # rewritten whole


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path: Path) -> None:
    result = probe(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert result["compiled"] >= 60 and cache_files(tmp_path) == []


def test_load_accepts_only_a_table_of_code_objects(tmp_path: Path) -> None:
    path = tmp_path / "table.marshal"
    code = compile("x = 1", "<test>", "exec")
    path.write_bytes(marshal.dumps({("<test>", "x = 1"): code}))
    assert method_cache.load(str(path)) == {("<test>", "x = 1"): code}
    path.write_bytes(marshal.dumps({("<test>", "x = 1"): "not code"}))
    assert method_cache.load(str(path)) == {}
    assert method_cache.load(str(tmp_path / "missing")) == {}
