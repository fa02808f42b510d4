"""The `usdm` artefact: `usdm/usdm.json`, the spec as a CDISC USDM v4 study."""

from __future__ import annotations

import json
from pathlib import Path

from generators.usdm.study import document
from protocol_dsl.inert_text import printable_data
from protocol_dsl.spec import Spec


def usdm_text(spec: Spec) -> str:
    """The USDM JSON of `spec`, keys in the model's order, the same bytes on every build."""
    return json.dumps(printable_data(document(spec)), indent=2, ensure_ascii=False) + "\n"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    folder = out_dir / "usdm"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "usdm.json"
    path.write_bytes(usdm_text(spec).encode("utf-8"))
    return [path]
