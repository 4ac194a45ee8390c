"""Dependency direction: cli -> services -> (domain, storage, render); domain imports nothing of ours but errors."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "jobpolicy"

ALLOWED = {
    "domain": {"domain", "errors"},
    "storage": {"storage", "domain", "errors", "clock"},
    "render": {"render", "domain", "errors", "clock", "__version__"},
    "services": {"services", "domain", "storage", "render", "errors", "clock", "reference"},
    "cli": {"cli", "services", "errors", "render", "domain", "clock"},
}


# The root CLI callback makes the engine (style.md rule 14); that is the one storage module cli may use.
EXCEPTIONS = {"cli": {"jobpolicy.storage.db"}}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "jobpolicy":
            modules.update(f"jobpolicy.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {m for m in modules if m.split(".")[0] == "jobpolicy"}


def imported_layers(path: Path, layer: str) -> set[str]:
    wanted = imported_modules(path) - EXCEPTIONS.get(layer, set())
    return {m.split(".")[1] if "." in m else "__init__" for m in wanted}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer):
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        wrong = imported_layers(path, layer) - ALLOWED[layer]
        if layer == "cli" and path.name == "__init__.py":
            wrong -= {"__version__"}  # the root command prints the version
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_no_direct_click_import():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "click" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "click", path
