"""Dependency direction: cli -> services -> (domain, storage, render); domain imports nothing of ours but errors."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "jobpolicy"

ALLOWED = {
    "domain": {"domain", "errors"},
    "storage": {"storage", "domain", "errors", "clock"},
    "render": {"render", "domain", "errors", "clock"},
    "services": {"services", "domain", "storage", "render", "errors", "clock", "reference"},
    "cli": {"cli", "services", "errors", "render", "domain", "clock"},
}


def imported_layers(path: Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "jobpolicy" and len(parts) > 1:
                layers.add(parts[1])
            elif parts[0] == "jobpolicy":
                layers.add("__init__")
    return layers


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer):
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        wrong = imported_layers(path) - ALLOWED[layer]
        if layer == "cli" and path.name == "__init__.py":
            wrong -= {"__init__"}  # the root command prints __version__
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_no_direct_click_import():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "click" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "click", path
