"""The raw tree of one catalog file as the checks see it: its sections, measures and items, and its source text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_yaml import LineList, LineMap
from jobpolicy.domain.source_text import SourceFile
from jobpolicy.errors import Problem


@dataclass
class Node:
    """A section, measure or item mapping of the raw tree, with its parent."""

    kind: str
    data: LineMap
    parent: Node | None = None

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass
class CatalogDoc:
    """The raw tree of one catalog file, what the checks look at."""

    file: str
    root: Any
    duplicate_keys: list[tuple[int, Any]] = field(default_factory=list)
    previous: Policy | None = None
    source: SourceFile | None = None  # the official text to check quotes against; None: no such checks

    def problem(self, line: int | None, ident: str | None, message: str) -> Problem:
        return Problem(self.file, line, ident, message)

    @property
    def policy(self) -> LineMap | None:
        value = self.root.get("policy") if isinstance(self.root, LineMap) else None
        return value if isinstance(value, LineMap) else None

    def sections(self) -> Iterator[Node]:
        yield from _children(self.root, "sections", "section", None)

    def measures(self) -> Iterator[Node]:
        for section in self.sections():
            yield from _children(section.data, "measures", "measure", section)

    def items(self) -> Iterator[Node]:
        for measure in self.measures():
            yield from _children(measure.data, "items", "item", measure)

    def nodes(self) -> Iterator[Node]:
        yield from self.sections()
        yield from self.measures()
        yield from self.items()

    def item_bases(self) -> Iterator[tuple[Node, LineMap, str]]:
        """Every basis of an item or of its indicator, with the item and the key it sits under."""
        for node in self.items():
            basis = node.data.get("basis")
            if isinstance(basis, LineMap):
                yield node, basis, "basis"
            indicator = node.data.get("indicator")
            if isinstance(indicator, LineMap) and isinstance(indicator.get("basis"), LineMap):
                yield node, indicator["basis"], "indicator.basis"


def _children(data: Any, key: str, kind: str, parent: Node | None) -> Iterator[Node]:
    if not isinstance(data, LineMap) or not isinstance(data.get(key), LineList):
        return
    for child in data[key]:
        if isinstance(child, LineMap):
            yield Node(kind, child, parent)
