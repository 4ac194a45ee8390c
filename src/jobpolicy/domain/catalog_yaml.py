"""Read catalog YAML into plain dicts and lists that remember the line each value came from."""

from __future__ import annotations

from typing import Any

import yaml


class LineMap(dict):
    """A mapping read from YAML, with the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Line of ``key`` if it was present, else the line of the mapping."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML, with the line of the sequence and of each element (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Line of element ``index``."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


MAX_DEPTH = 50  # a catalog nests about ten levels deep
MAX_DIGITS = 30  # far beyond any year, weight or target


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps line numbers, reports duplicate keys and leaves dates as strings.

    Dates stay strings because PyYAML raises a bare ValueError on an impossible date such as
    2025-02-30; the checks parse them and report a problem with its line instead.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Composing and constructing recurse once per level: refuse a deep tree before Python's stack runs out.
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"嵌套超过 {MAX_DEPTH} 层", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return _construct_int(self, node)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    # Python refuses to read an integer of more than 4,300 digits, with a bare ValueError.
    if len(node.value) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(None, None, f"数字超过 {MAX_DIGITS} 位", node.start_mark)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):  # every key of a catalog is a word; a list or a mapping cannot even be one
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "列表或映射"
            raise yaml.constructor.ConstructorError(None, None, f"字段名应为文本，而不是“{shown}”",
                                                    key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicate_keys.append((line, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


class _StoredLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same reading on libyaml's C parser, about ten times faster, for a catalog already checked when it was
    stored. The C parser composes the tree itself, so ``_Loader``'s depth guard does not run: it is for text
    nobody has checked yet."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return _construct_int(self, node)


for _loader in (_Loader, _StoredLoader):
    _loader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _loader.add_constructor("tag:yaml.org,2002:int", _loader.construct_yaml_int)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    """The text is not YAML; carries the 1-based line and a Chinese message."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(text: str, *, stored: bool = False) -> tuple[Any, list[tuple[int, Any]]]:
    """Parse ``text``; return the document and the (line, key) of every duplicate mapping key.

    ``stored``: the text was checked when it was stored (a catalog kept in the database): read it with the C
    parser where PyYAML has one.

    Raises:
        YamlSyntaxError: the text is not well-formed YAML.
    """
    loader = (_StoredLoader if stored else _Loader)(text)
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f"（第 {mark.column + 1} 列）" if mark else ""
        raise YamlSyntaxError(line, f"YAML 语法错误{column}：{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML 语法错误：{exc}") from None
    finally:
        loader.dispose()
    return document, loader.duplicate_keys
