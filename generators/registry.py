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
import importlib.machinery
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
    "prs": Artefact(
        "generators.registries.prs_xml",
        "ClinicalTrials.gov PRS upload record (XML; needs prs_organization)",
        "",
    ),
    "usdm": Artefact("generators.usdm.build", "CDISC USDM v4 study definition (JSON)", ""),
    "sdtm": Artefact("generators.sdtm.tdm", "SDTM trial design datasets TA TE TV TI TS", ""),
    "schema": Artefact("generators.schema.schema", "JSON Schema of a subject record", ""),
    "sql": Artefact("generators.sql.build", "screening and edit-check SQL", "sql"),
    "spark_job": Artefact("generators.sql.spark_job", "spark-submit screening job", "sql"),
    "checks": Artefact("generators.checks.module", "standalone Python screening module", ""),
    "escalation": Artefact("generators.escalation.build", "escalation decision tables", "sim"),
}


def available() -> dict[str, Artefact]:
    """The artefacts whose generator module is part of this installation."""
    return {
        name: artefact for name, artefact in ARTEFACTS.items() if _module_exists(artefact.module)
    }


def _module_exists(module: str) -> bool:
    """Whether `module` can be imported, found without running it or its packages.

    (`importlib.util.find_spec` of a submodule imports its parent packages, and
    some import heavy optional libraries: listing the artefacts must not.)
    """
    top, *rest = module.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    name = top
    for part in rest:
        if spec is None or spec.submodule_search_locations is None:
            return False
        name = f"{name}.{part}"
        spec = importlib.machinery.PathFinder.find_spec(name, spec.submodule_search_locations)
    return spec is not None


def load(name: str):
    return importlib.import_module(ARTEFACTS[name].module)
