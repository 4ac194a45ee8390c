"""Placeholders a drafted catalog leaves for a person to fill in, and the check that finds every one still left.

``jobpolicy policy draft`` writes what it cannot know from the text (who acts, what proves it done, targets,
deadlines, the policy's id) as text starting with ``【待完成】``. Such a value is never valid: ``policy validate``
reports each as 待完成 at its line, and ``policy load`` refuses the file, so a skeleton cannot pass for a finished
catalog. Other checks' complaints about the same line (an actor that is no actor, an id that is no id) are left out
(see ``catalog_checks.run_checks``): the one thing to do there is to fill in the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jobpolicy.domain.catalog_doc import CatalogDoc
from jobpolicy.domain.catalog_yaml import LineList, LineMap
from jobpolicy.errors import Problem

TODO = "【待完成】"
TODO_WORD = "待完成"


def placeholder(what: str) -> str:
    """A value for a person to replace: ``【待完成】`` followed by what to write there."""
    return TODO + what


def is_placeholder(value: object) -> bool:
    """Whether a value is a placeholder left to fill in."""
    return isinstance(value, str) and value.lstrip().startswith(TODO)


def _found(node: Any, where: str, ident: str | None) -> Iterator[tuple[int, str | None, str, str]]:
    """(line, id, key path, value) of every placeholder under ``node``."""
    if isinstance(node, LineMap):
        own = node.get("id")
        ident = own if isinstance(own, str) and not is_placeholder(own) else ident
        for key, value in node.items():
            path = f"{where}.{key}" if where else str(key)
            if is_placeholder(value):
                yield node.line_of(key), ident, path, value
            else:
                yield from _found(value, path, ident)
    elif isinstance(node, LineList):
        for index, value in enumerate(node):
            path = f"{where} 第 {index + 1} 项"
            if is_placeholder(value):
                yield node.line_of(index), ident, path, value
            else:
                yield from _found(value, path, ident)


def check_placeholders(doc: CatalogDoc) -> list[Problem]:
    """Every placeholder still in the file, at its line: the catalog is a draft until none is left."""
    return [doc.problem(line, ident, f"{TODO_WORD}：{_short(path)}——{value.strip().removeprefix(TODO)}")
            for line, ident, path, value in _found(doc.root, "", None)]


def _short(path: str) -> str:
    """The key path from the nearest section, measure or item (``items 第 1 项.actor`` → ``actor``)."""
    return path.rsplit("项.", 1)[-1] if "项." in path else path



def is_todo(problem: Problem) -> bool:
    """Whether a problem is a placeholder left to fill in, rather than a mistake."""
    return problem.message.startswith(f"{TODO_WORD}：")
