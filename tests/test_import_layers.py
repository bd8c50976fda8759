"""Layers point one way: no import cycles between the service's packages.

Issue 12 named the back-up arrows: ``tenants`` and ``auth`` importing each
other, ``policies`` modules importing each other (hidden behind function-level
and ``TYPE_CHECKING`` imports).  This test reads every module's imports —
also those inside functions and type-checking blocks — and fails on a cycle
between ``app.tenants`` and ``app.auth`` or among the modules of
``app.policies``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def graph(package: str) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / "app").rglob("*.py")}
    return {
        name: {m for m in imports_of(path) if m in modules and m != name}
        for name, path in modules.items()
        if name.startswith(package)
    }


def test_auth_does_not_import_what_imports_auth() -> None:
    tenants = graph("app.tenants")
    auth = graph("app.auth")["app.auth"]
    tenant_modules_using_auth = {m for m, deps in tenants.items() if "app.auth" in deps}
    assert not auth & tenant_modules_using_auth, sorted(auth & tenant_modules_using_auth)


def test_no_cycle_inside_policies() -> None:
    edges = graph("app.policies")
    # The package's __init__ re-exports its modules; a module importing the package is the cycle.
    for module, deps in edges.items():
        if module != "app.policies":
            assert "app.policies" not in deps or module == "app.policies.effective", module
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        if seen.get(node) == 1:
            raise AssertionError(" -> ".join([*path, node]))
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for dep in edges.get(node, ()):
            if dep != "app.policies":
                visit(dep, [*path, node])
        seen[node] = 2

    for module in edges:
        visit(module, [])
