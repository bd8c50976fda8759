"""``classifiers`` is a pure library: it never imports the service or web/database stacks."""

from __future__ import annotations

import ast
from pathlib import Path

import classifiers

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "httpx", "structlog", "app", "requests"}
PACKAGE_DIR = Path(classifiers.__file__).resolve().parent


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def test_no_module_under_classifiers_imports_a_forbidden_package() -> None:
    modules = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(modules) > 5
    offenders = {}
    for path in modules:
        bad = _imported_roots(ast.parse(path.read_text(encoding="utf-8"))) & FORBIDDEN
        if bad:
            offenders[str(path.relative_to(PACKAGE_DIR))] = sorted(bad)
    assert offenders == {}


def test_the_walker_sees_every_import_form() -> None:
    tree = ast.parse(
        "import fastapi\nfrom sqlalchemy.orm import Session\n"
        "import importlib\nimportlib.import_module('httpx')\n"
    )
    assert {"fastapi", "sqlalchemy", "httpx"} <= _imported_roots(tree)
