"""Dependency direction: cli -> services -> (domain, storage, render); domain imports nothing of ours but errors.

clock and safe_files are leaves every layer but the pure domain may use (the CLI goes through a service)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "jobpolicy"

ALLOWED = {
    "domain": {"domain", "errors"},
    "storage": {"storage", "domain", "errors", "clock", "safe_files"},
    "render": {"render", "domain", "errors", "clock", "safe_files", "__version__"},
    "services": {"services", "domain", "storage", "render", "errors", "clock", "safe_files", "reference"},
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


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports (at the top or inside a function)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        wanted = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                # ``from jobpolicy.storage import repo`` imports a module; ``from jobpolicy.storage.db import x`` a name
                wanted.update(f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                              for a in node.names)
        graph[name] = {m for m in wanted if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import loop, each reported once, as the modules along it."""
    found, done, path = [], set(), []

    def visit(node: str) -> None:
        if node in path:
            loop = path[path.index(node):]
            rotated = loop[loop.index(min(loop)):] + loop[:loop.index(min(loop))]
            if rotated not in found:
                found.append(rotated)
            return
        if node in done:
            return
        path.append(node)
        for neighbour in sorted(graph[node]):
            visit(neighbour)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    return found


def test_no_module_imports_itself_through_others():
    # The package itself lazily re-exports the services (PEP 562), which is not a loop of imports between modules.
    graph = {m: deps - {"jobpolicy"} for m, deps in import_graph().items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
