"""The artefacts `protocol build` can write, and the module that writes each.

Every generator module exposes `build(spec, out_dir) -> list[pathlib.Path]`
(the files it wrote, relative paths under `out_dir` are chosen by the
generator) and writes deterministic bytes: no timestamps, no random ids, sorted
where order is not meaningful.  Modules are imported only when their artefact
is built; an artefact whose optional dependency is missing is reported, not
fatal.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import NamedTuple


class Artefact(NamedTuple):
    module: str
    description: str
    extra: str  # the optional-dependency group it needs ("" = core install)


ARTEFACTS: dict[str, Artefact] = {
    "protocol": Artefact(
        "generators.documents.protocol", "protocol document (HTML, Markdown, DOCX)", "docs"
    ),
    "soa": Artefact("generators.documents.soa", "schedule of activities (HTML, DOCX, CSV)", "docs"),
    "odm": Artefact("generators.crf.odm", "CDISC ODM 1.3.2 case report forms", ""),
    "redcap": Artefact("generators.crf.redcap", "REDCap data dictionary, events, mapping", ""),
    "acrf": Artefact("generators.crf.acrf", "annotated blank CRF (HTML)", ""),
    "registry": Artefact(
        "generators.registries.ctgov", "ClinicalTrials.gov record (JSON, text)", ""
    ),
    "sdtm": Artefact("generators.sdtm.tdm", "SDTM trial design datasets TA TE TV TI TS", "sdtm"),
    "schema": Artefact("generators.checks.schema", "JSON Schema of a subject record", ""),
    "sql": Artefact("generators.sql.build", "screening and edit-check SQL", "sql"),
    "checks": Artefact("generators.codegen.module", "standalone Python screening module", ""),
    "escalation": Artefact("generators.escalation.build", "escalation decision tables", "sim"),
}


def available() -> dict[str, Artefact]:
    """The artefacts whose generator module is part of this installation."""
    return {
        name: artefact for name, artefact in ARTEFACTS.items() if _module_exists(artefact.module)
    }


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load(name: str):
    return importlib.import_module(ARTEFACTS[name].module)
