"""Validating a USDM document against CDISC's USDM v4 API schema, strictly.

The schemas of `USDM_API.json` (an OpenAPI document) do not forbid properties
they do not define; here every object schema gets `additionalProperties:
false` as it is loaded, so a misspelt or invented attribute fails too.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[2]
USDM_DATA = ROOT.parent / "shared" / "data" / "usdm"
API = USDM_DATA / "USDM_API.json"


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        return node
    if isinstance(node, list):
        return [_strict(value) for value in node]
    return node


@cache
def validator() -> Draft202012Validator:
    api = json.loads(API.read_text(encoding="utf-8"))
    strict = _strict(copy.deepcopy(api))
    resource = Resource.from_contents(strict, default_specification=_spec())
    registry = Registry().with_resource("urn:usdm-api", resource)
    wrapper = {"$ref": "urn:usdm-api#/components/schemas/Wrapper-Input"}
    return Draft202012Validator(wrapper, registry=registry)


def _spec():  # the JSON Schema dialect of OpenAPI 3.1
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def errors(document: dict[str, Any]) -> list[str]:
    """Every schema violation, each as `path: message`, sorted."""
    found = []
    for error in validator().iter_errors(document):
        # an `anyOf` (the two kinds of study design) fails as a whole: report the
        # deepest failures of its branches, which say what is wrong
        while error.context:
            error = max(error.context, key=lambda e: len(e.absolute_path))
        path = "/".join(str(p) for p in error.absolute_path)
        found.append(f"{path}: {error.message[:200]}")
    return sorted(found)
