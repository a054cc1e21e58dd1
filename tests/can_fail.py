"""Which tests cannot fail: test functions that check nothing, asserts that always hold.

A test *checks* when its body has

- an ``assert`` statement (in the functions it defines too: callbacks it
  hands to a helper), or a ``raise`` statement of its own (not in a function
  or class it defines: a fake raises to play a failure, which checks nothing);
- a call of ``pytest.raises``, ``pytest.warns``, ``pytest.fail`` or
  ``pytest.deprecated_call``;
- a call of a helper that checks by this same rule. Only test code counts as
  a helper (production code that raises on bad input proves nothing about a
  test that calls it with good input): a function of the same module; one
  imported by name from a test module, a ``conftest.py``, any module in a
  ``tests`` folder or ``bazaar_common.testing``; or a fixture the test takes
  and calls, found as pytest finds it (its module, the ``conftest.py`` of its
  folder or one above, the ``bazaar_common.testing`` plugin), which checks if
  its body does or it returns a helper that does;
- or a call of one of ``FAILING_WITHOUT_ASSERT``.

An ``assert`` *always holds* when what it tests is a true constant, a
non-empty tuple (``assert (x, "message")``), an ``or`` with a true constant,
or a name or attribute compared with itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

TEST_FOLDERS = ("libs", "services", "tools", "tests")
CHECKING_PYTEST_CALLS = frozenset({"raises", "warns", "fail", "deprecated_call"})
FIXTURE_PLUGIN = "bazaar_common.testing.plugin"
# Helpers that fail a test with no assert or raise of their own.
FAILING_WITHOUT_ASSERT = {
    # asyncio.timeout raises TimeoutError when the predicate never holds.
    "wait_until": "bazaar_common.testing.waiting",
    # Playwright's web-first assertions: expect(locator).to_...() raises
    # AssertionError when the page never shows it within the timeout.
    "expect": "playwright.async_api",
}

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    what: str
    """The test's name, or the assert's source."""

    def describe(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line} {self.what}"


@dataclass
class Module:
    path: Path
    tree: ast.Module

    @cached_property
    def functions(self) -> dict[str, Function]:
        return {
            node.name: node
            for node in self.tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    @cached_property
    def imports(self) -> dict[str, tuple[str, str | None]]:
        """Local name -> (module, its name there); None for ``import module``."""
        names: dict[str, tuple[str, str | None]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = (alias.name, None)
        return names

    def tests(self) -> Iterator[Function]:
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("test"):
                    yield node
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                yield from (
                    item
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name.startswith("test")
                )


@dataclass
class Repository:
    root: Path
    _modules: dict[Path, Module] = field(default_factory=dict)
    _paths: dict[str, Path | None] = field(default_factory=dict)
    _checks: dict[tuple[Path, str], bool] = field(default_factory=dict)

    def test_modules(self) -> list[Module]:
        paths = (
            path
            for folder in TEST_FOLDERS
            for path in (self.root / folder).rglob("test_*.py")
            if ".venv" not in path.parts
        )
        return [self.module_at(path) for path in sorted(paths)]

    def tests_checking_nothing(self) -> list[Finding]:
        return [
            Finding(module.path, test.lineno, test.name)
            for module in self.test_modules()
            for test in module.tests()
            if not self._test_checks(module, test)
        ]

    def asserts_always_holding(self) -> list[Finding]:
        return [
            Finding(module.path, node.lineno, ast.unparse(node))
            for module in self.test_modules()
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Assert) and always_holds(node.test)
        ]

    def module_at(self, path: Path) -> Module:
        if path not in self._modules:
            self._modules[path] = Module(path, ast.parse(path.read_text(encoding="utf-8")))
        return self._modules[path]

    @cached_property
    def _import_roots(self) -> list[Path]:
        return [self.root, *sorted(self.root.glob("*/*/src"))]

    def module_named(self, name: str) -> Module | None:
        if name not in self._paths:
            relative = Path(*name.split("."))
            candidates = (
                candidate
                for base in self._import_roots
                for candidate in (base / f"{relative}.py", base / relative / "__init__.py")
            )
            self._paths[name] = next((path for path in candidates if path.is_file()), None)
        path = self._paths[name]
        return None if path is None else self.module_at(path)

    def is_test_code(self, path: Path) -> bool:
        parts = path.relative_to(self.root).parts
        return "tests" in parts or "conftest.py" in parts or "/bazaar_common/testing/" in str(path)

    def _test_checks(self, module: Module, test: Function) -> bool:
        if self._body_checks(module, test):
            return True
        fixtures = {argument.arg for argument in test.args.args + test.args.kwonlyargs}
        called = {
            node.func.id
            for node in ast.walk(test)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        return any(self._fixture_checks(module, name) for name in fixtures & called)

    def _body_checks(self, module: Module, function: Function) -> bool:
        for node in ast.walk(function):
            if isinstance(node, ast.Assert):
                return True
            if isinstance(node, ast.Call) and self._call_checks(module, node.func):
                return True
        return any(isinstance(node, ast.Raise) for node in own_statements(function))

    def _call_checks(self, module: Module, callee: ast.expr) -> bool:
        if (
            isinstance(callee, ast.Attribute)
            and isinstance(callee.value, ast.Name)
            and callee.value.id == "pytest"
        ):
            return callee.attr in CHECKING_PYTEST_CALLS
        return self._reference_checks(module, callee)

    def _reference_checks(self, module: Module, reference: ast.expr) -> bool:
        """Whether ``name`` or ``module_alias.name`` names a helper that checks."""
        if isinstance(reference, ast.Name):
            return self._name_checks(module, reference.id)
        if isinstance(reference, ast.Attribute) and isinstance(reference.value, ast.Name):
            imported = module.imports.get(reference.value.id)
            if imported is not None:
                package, name = imported
                qualified = package if name is None else f"{package}.{name}"
                return self._qualified_checks(qualified, reference.attr)
        return False

    def _name_checks(self, module: Module, name: str) -> bool:
        source, original = module.imports.get(name, ("", None))
        if original is not None:
            return self._qualified_checks(source, original)
        function = module.functions.get(name)
        if function is None:
            return False
        key = (module.path, name)
        if key not in self._checks:
            self._checks[key] = False  # a recursive helper checks by its other paths
            self._checks[key] = self._body_checks(module, function)
        return self._checks[key]

    def _qualified_checks(self, module_name: str, name: str) -> bool:
        if FAILING_WITHOUT_ASSERT.get(name) == module_name:
            return True
        target = self.module_named(module_name)
        if target is None or not self.is_test_code(target.path):
            return False
        return self._name_checks(target, name)

    def _fixture_checks(self, module: Module, name: str) -> bool:
        for candidate in self._fixture_modules(module):
            fixture = candidate.functions.get(name)
            if fixture is None or not is_fixture(fixture):
                continue
            returned = [
                node.value
                for node in ast.walk(fixture)
                if isinstance(node, ast.Return | ast.Yield) and node.value is not None
            ]
            return self._body_checks(candidate, fixture) or any(
                self._reference_checks(candidate, helper) for helper in returned
            )
        return False

    def _fixture_modules(self, module: Module) -> Iterator[Module]:
        yield module
        for folder in module.path.parents:
            if not folder.is_relative_to(self.root):
                break
            if (folder / "conftest.py").is_file():
                yield self.module_at(folder / "conftest.py")
        plugin = self.module_named(FIXTURE_PLUGIN)
        if plugin is not None:
            yield plugin


def own_statements(function: Function) -> Iterator[ast.AST]:
    """The function's nodes, without those of the functions and classes it defines.

    A fake defined in a test raises to play a failure; that checks nothing.
    """
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def is_fixture(function: Function) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) in ("pytest.fixture", "fixture", "pytest_asyncio.fixture"):
            return True
    return False


def always_holds(test: ast.expr) -> bool:
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.Tuple):
        return bool(test.elts)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(always_holds(value) for value in test.values)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        same = ast.unparse(test.left) == ast.unparse(test.comparators[0])
        reflexive = isinstance(test.ops[0], ast.Eq | ast.Is | ast.LtE | ast.GtE)
        plain = all(isinstance(n, ast.Name | ast.Attribute | ast.Load) for n in ast.walk(test.left))
        return same and reflexive and plain
    return False
