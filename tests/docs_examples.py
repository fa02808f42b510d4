"""Extract the examples of docs/ so the test suite can check every one.

Two kinds of example:

* a fenced block opened with ```trial is a whole spec that must check clean
  (no errors); ```trial file=lib/x.trial writes a companion file the next
  spec block can `use`; ```trial fragment is a piece of a spec that must
  parse (it may name things declared elsewhere); ```trial bytes is a spec
  whose `\\xNN` escapes are written as the raw byte NN (for the pages on
  files that are not UTF-8 text or hold a NUL byte: a Markdown page cannot
  show those bytes themselves); ```trial check=NAME is checked under the
  path NAME (beside the written example.trial: for the page on files that
  cannot be read); ```csv file=cohorts.csv writes a data file beside the
  next spec block (the cohorts file of `protocol escalate`); ```jsonl
  file=subjects.jsonl likewise (the subjects of `protocol randomise --minimise`),
  and ```json file=study.json (the USDM study of `protocol import usdm`);
* in docs/diagnostics/CODE.md, the first spec block under "## Bad" must
  trigger CODE and the first under "## Good" must not.

Examples can `use "lib/sle.trial"` and the other real libraries: specs/lib
is copied beside every example.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^```(trial|csv|jsonl|json)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


@attrs.frozen
class Example:
    doc: Path
    line: int
    text: str
    files: tuple[tuple[str, str], ...]  # companion files (relative path, text)
    section: str  # the "## …" heading it stands under
    fragment: bool = False  # parsed only: may refer to names declared elsewhere
    raw: bool = False  # "bytes": \xNN escapes stand for raw bytes
    check: str | None = None  # "check=NAME": the path checked, instead of example.trial

    @property
    def id(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def examples(doc: Path) -> list[Example]:
    text = doc.read_text(encoding="utf-8")
    found: list[Example] = []
    companions: list[tuple[str, str]] = []
    for match in _FENCE.finditer(text):
        language, info, body = match[1], match[2].strip(), match[3]
        line = text.count("\n", 0, match.start()) + 1
        heading = _section(text, match.start())
        file_match = re.search(r"file=(\S+)", info)
        if file_match:
            companions.append((file_match[1], body))
            continue
        if "no-check" in info or language != "trial":
            continue
        fragment = "fragment" in info.split()
        raw = "bytes" in info.split()
        check = re.search(r"check=(\S+)", info)
        found.append(
            Example(
                doc,
                line,
                body,
                tuple(companions),
                heading,
                fragment,
                raw,
                check[1] if check else None,
            )
        )
        companions = []
    return found


def _section(text: str, offset: int) -> str:
    headings = re.findall(r"^## (.+)$", text[:offset], re.MULTILINE)
    return headings[-1].strip() if headings else ""


def all_docs() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def materialise(example: Example, folder: Path) -> Path:
    """Write the example (and its companions, and specs/lib) into `folder`."""
    shutil.copytree(ROOT / "specs" / "lib", folder / "lib", dirs_exist_ok=True)
    for relative, body in example.files:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    path = folder / "example.trial"
    if example.raw:
        path.write_bytes(example_bytes(example.text))
    else:
        path.write_text(example.text, encoding="utf-8")
    return folder / example.check if example.check else path


def example_bytes(text: str) -> bytes:
    """The bytes of a ```trial bytes example: UTF-8, with each `\\xNN` as the byte NN."""
    parts = re.split(r"\\x([0-9A-Fa-f]{2})", text)
    data = bytearray()
    for k, part in enumerate(parts):
        data += bytes([int(part, 16)]) if k % 2 else part.encode("utf-8")
    return bytes(data)
