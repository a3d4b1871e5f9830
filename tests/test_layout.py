"""How the test suite is organised: helpers live in tests/support/ and shared
fixtures in conftest.py files, so no test module imports another test module
or a conftest (pytest finds fixtures in conftest.py by itself)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(source: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_test_module_imports_a_test_module_or_a_conftest():
    offenders = []
    for source in TESTS.rglob("*.py"):
        for name in imported_modules(source):
            last = name.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                offenders.append(f"{source.relative_to(TESTS)} imports {name}")
    assert offenders == []
