"""The shape of the code, kept by tests: where the caseload rule lives, what views may do, no
import cycles, no hidden imports, and modules small enough to read (docs/architecture.md)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "survivorapp"
MAX_LINES = 450


@cache
def _modules() -> dict[str, tuple[Path, ast.Module, list[str]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        source = path.read_text()
        found[name] = (path, ast.parse(source), source.splitlines())
    return found


def _where(name: str, node: ast.AST) -> str:
    return f"{_modules()[name][0].relative_to(PACKAGE.parent)}:{node.lineno}"


def test_the_caseload_rule_is_read_in_one_module():
    allowed = {"survivorapp.people.caseload", "survivorapp.accounts.models"}
    outside = [
        _where(name, node)
        for name, (_, tree, _) in _modules().items()
        if name not in allowed
        for node in ast.walk(tree)
        if isinstance(node, ast.Name | ast.alias)
        and (getattr(node, "id", None) or getattr(node, "name", None)) == "CaseloadLink"
    ]
    assert outside == [], "CaseloadLink is for people/caseload.py alone"


ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


@cache
def _blueprint_names() -> frozenset[str]:
    """The names the package gives its blueprints (`bp = Blueprint(...)`), wherever a module
    that uses one imports it from."""
    return frozenset(
        target.id
        for _, tree, _ in _modules().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) == "Blueprint"
        for target in node.targets
        if isinstance(target, ast.Name)
    )


def _registers_routes(tree: ast.Module) -> bool:
    return any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_DECORATORS
        and isinstance(decorator.func.value, ast.Name)
        and decorator.func.value.id in _blueprint_names()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for decorator in node.decorator_list
    )


def _views() -> dict[str, tuple[Path, ast.Module, list[str]]]:
    """Every module with a route (`@bp.get(...)` and the like), whatever its name."""
    return {n: m for n, m in _modules().items() if _registers_routes(m[1])}


def test_every_module_with_a_route_is_checked_as_a_view(make_app):
    """The app's own routes (the debug-only demo links too) say whether the decorators above
    missed a module."""
    app = make_app(DEBUG=True)
    assert "dev" in app.blueprints
    served = {view.__module__ for name, view in app.view_functions.items() if name != "static"}
    assert served - set(_views()) == set()
    assert "survivorapp.budget.pages" not in _views()  # the blueprint lives there, no route


def test_views_leave_the_database_session_to_services():
    """Services read and flush; the one transaction rule (security/transactions.py) commits."""
    touching = [
        _where(name, node)
        for name, (_, tree, _) in _views().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "session"
        and isinstance(node.value, ast.Name)
        and node.value.id == "db"
    ]
    assert touching == []


def test_views_do_not_abort():
    """A view asks its feature's access module for what it shows (get_<thing>_or_404)."""
    aborting = [
        _where(name, node)
        for name, (_, tree, _) in _views().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "abort"
    ]
    assert aborting == []


def _top_level_imports(name: str, tree: ast.Module) -> set[str]:
    """Modules of the package that `name` imports when it is loaded (not under TYPE_CHECKING,
    not inside functions)."""
    package = name if _modules()[name][0].name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in [node] if not isinstance(node, ast.Try) else node.body:
            if isinstance(sub, ast.Import):
                found |= {a.name for a in sub.names if a.name.startswith("survivorapp")}
            elif isinstance(sub, ast.ImportFrom):
                base = package.split(".")
                if sub.level:
                    base = base[: len(base) - sub.level + 1]
                    module = ".".join(base + ([sub.module] if sub.module else []))
                else:
                    module = sub.module or ""
                if not module.startswith("survivorapp"):
                    continue
                for alias in sub.names:
                    child = f"{module}.{alias.name}"
                    found.add(child if child in _modules() else module)
    return {m for m in found if m in _modules() and m != name}


def test_there_are_no_import_cycles():
    graph = {name: _top_level_imports(name, tree) for name, (_, tree, _) in _modules().items()}
    # A package's __init__ importing its own modules is how Python packages work; a cycle
    # through one is not a design cycle, so packages are left out of the graph.
    packages = {n for n, (p, _, _) in _modules().items() if p.name == "__init__.py"}
    graph = {n: {m for m in e if m not in packages} for n, e in graph.items() if n not in packages}
    cycles, seen, stack = [], set(), []

    def visit(node: str) -> None:
        if node in stack:
            cycles.append(" -> ".join([*stack[stack.index(node) :], node]))
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    assert cycles == []


def test_imports_inside_functions_say_why():
    """An import inside a function hides a dependency; where one is needed (a cycle that
    cannot be cut, an optional tool), a comment on its line says why."""
    hidden = [
        _where(name, node)
        for name, (_, tree, lines) in _modules().items()
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.Import | ast.ImportFrom) and "#" not in lines[node.lineno - 1]
    ]
    assert hidden == []


def test_modules_are_small_enough_to_read():
    long = [
        f"{path.relative_to(PACKAGE.parent)}: {len(lines)} lines"
        for path, _, lines in _modules().values()
        if len(lines) > MAX_LINES
    ]
    assert long == []
