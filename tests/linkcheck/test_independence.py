"""linkcheck imports nothing of the portal's other apps (they register with it instead)."""

import ast
from pathlib import Path

import linkcheck

OURS = {"measures", "reports", "oit", "transparency", "satun_ita", "tests"}


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_linkcheck_imports_none_of_the_other_apps():
    root = Path(linkcheck.__file__).parent
    found = {
        (str(path.relative_to(root)), module)
        for path in root.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in OURS
    }
    assert found == set()
