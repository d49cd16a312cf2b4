"""The shape of the tests themselves: every data builder (a function named `make_*`) lives in
tests/factories.py and is imported from there under its own name, so one name means one thing
wherever a test uses it."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FACTORIES = TESTS / "factories.py"
# Fixtures, not builders of data: `make_app(**settings)` gives a separate app.
FIXTURES = {(TESTS / "conftest.py", "make_app")}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text()) for path in sorted(TESTS.rglob("*.py"))}


def _is_fixture(node: ast.FunctionDef) -> bool:
    return any(
        "fixture" in ast.unparse(decorator).split("(")[0] for decorator in node.decorator_list
    )


def test_builders_are_defined_only_in_factories():
    found = [
        f"{path.relative_to(TESTS.parent)}:{node.lineno} {node.name}"
        for path, tree in _trees().items()
        if path != FACTORIES
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("make_")
        and not ((path, node.name) in FIXTURES and _is_fixture(node))
    ]
    assert found == [], "data builders belong in tests/factories.py"


def test_factories_define_each_builder_once():
    names = [
        node.name
        for node in ast.parse(FACTORIES.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("make_")
    ]
    assert names and len(names) == len(set(names))


def test_builders_are_imported_from_factories_under_their_own_names():
    found = [
        f"{path.relative_to(TESTS.parent)}:{node.lineno} {alias.name} from {node.module}"
        + (f" as {alias.asname}" if alias.asname else "")
        for path, tree in _trees().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests")
        for alias in node.names
        if (alias.name.startswith("make_") or (alias.asname or "").startswith("make_"))
        and (node.module != "tests.factories" or alias.asname not in (None, alias.name))
    ]
    assert found == [], "import builders from tests.factories, each under its own name"
