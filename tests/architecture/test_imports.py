"""The pipeline's shape, as data: a stage imports only from stages below it, and no modules import
each other in a circle (a lazy import inside a function counts too: it is a loop all the same)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator"

STAGES: list[set[str]] = [
    {"errors", "paths"},  # exit codes and where bundled files are
    {"user_file", "output", "recalc", "cache_file"},  # reading a user's file, writing atomically, LibreOffice
    {"formula"},  # the closed formula grammar and cell addresses
    {"engine"},  # the spreadsheet engine: formula only
    {"catalog"},  # catalogues parse their formulas with formula/
    {"i18n"},
    {"template"},  # layout, the formulas each cell holds, the Python period rules
    {"workbook", "validate"},  # writer and validator, side by side, neither importing the other
    {"transfer"},
    {"server"},
    {"cli"},
]
LEVEL = {name: level for level, names in enumerate(STAGES) for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:``: an import for annotations only runs never."""
    kept: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        kept.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
                pending.extend(child.orelse)
            else:
                pending.append(child)
    return kept


def _imports(path: Path, module: str) -> set[str]:
    """Every generator module this file imports at run time, at the top or inside a function."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.startswith("generator"):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        module: {name for name in _imports(path, module) if name in files and name != module}
        for module, path in files.items()
    }


GRAPH = _graph()


def test_every_stage_is_listed() -> None:
    stages = {_stage(module) for module in GRAPH} - {""}
    assert stages <= set(LEVEL), f"stages missing from STAGES: {sorted(stages - set(LEVEL))}"


def test_no_import_runs_up_or_across_the_pipeline() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        here = _stage(module)
        for target in targets:
            there = _stage(target)
            if not here or not there or here == there:
                continue
            if LEVEL[there] >= LEVEL[here]:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the stage order:\n" + "\n".join(sorted(wrong))


def _package_parents(module: str) -> set[str]:
    """A package's ``__init__`` runs before its modules: importing a.b imports a too."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycle_between_modules() -> None:
    edges = {module: {t for t in targets if t not in _package_parents(module)} for module, targets in GRAPH.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("stage", ["formula", "engine"])
def test_the_engine_stands_alone(stage: str) -> None:
    """The engine and the formula grammar import nothing of the project above them."""
    above = {
        target
        for module, targets in GRAPH.items()
        if _stage(module) == stage
        for target in targets
        if _stage(target) not in {stage, "formula", "errors"}
    }
    assert not above
