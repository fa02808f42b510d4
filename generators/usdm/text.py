"""USDM text as plain text: syntax-template XHTML with its tags resolved.

USDM holds criterion, objective and endpoint texts as XHTML fragments that may
carry `<usdm:tag name="…"/>` parameters (resolved through the study's syntax
template dictionaries to an attribute of another instance) and
`<usdm:ref klass="…" id="…" attribute="…"/>` references.  `plain` gives the
words a reader sees: references resolved, other markup dropped, entities
decoded, white space collapsed.
"""

from __future__ import annotations

import html
import re
from typing import Any

_REF = re.compile(r"<usdm:ref\b([^>]*)/?>(?:</usdm:ref>)?", re.S)
_TAG = re.compile(r"<usdm:tag\b([^>]*)/?>(?:</usdm:tag>)?", re.S)
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_MARKUP = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|br|tr|td|h\d)\b[^>]*>", re.I)
_SPACE = re.compile(r"[ \t\r\n\u00a0]+")


def index(document: Any) -> dict[str, dict[str, Any]]:
    """Every instance of a USDM document by its id."""
    found: dict[str, dict[str, Any]] = {}
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and "instanceType" in node:
                found.setdefault(node["id"], node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


class Resolver:
    """Resolves the tags and references of one study's texts."""

    def __init__(self, instances: dict[str, dict[str, Any]], dictionaries: list[Any]) -> None:
        self._instances = instances
        self._tags: dict[str, str] = {}
        for dictionary in dictionaries:
            for entry in dictionary.get("parameterMaps") or []:
                self._tags.setdefault(str(entry.get("tag")), str(entry.get("reference") or ""))

    def _ref(self, attributes: str, depth: int) -> str:
        found = dict(_ATTRIBUTE.findall(attributes))
        target = self._instances.get(found.get("id", ""))
        if target is None:
            return ""
        value = target.get(found.get("attribute", ""), "")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.plain(str(value), depth + 1) if isinstance(value, str) else str(value)

    def _tag(self, attributes: str, depth: int) -> str:
        name = dict(_ATTRIBUTE.findall(attributes)).get("name", "")
        return self.plain(self._tags.get(name, ""), depth + 1)

    def plain(self, text: str | None, depth: int = 0) -> str:
        if not text:
            return ""
        if depth > 5:  # a tag that refers to itself
            return ""
        text = _REF.sub(lambda match: self._ref(match[1], depth), text)
        text = _TAG.sub(lambda match: self._tag(match[1], depth), text)
        text = _BLOCK.sub(" ", text)
        text = _MARKUP.sub("", text)
        return _SPACE.sub(" ", html.unescape(text)).strip()
