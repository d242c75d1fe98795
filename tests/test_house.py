"""The house rules of the qdtrack package, measured from its source with ``ast`` (issue 9).

- the package's import graph has no cycle (every import of a qdtrack module anywhere in a
  module counts: at the top, inside functions, under ``if TYPE_CHECKING``; relative imports
  resolved);
- no module over 500 lines, no function or method over 60 (data tables aside, listed below);
- the CLI's command modules import nothing from each other, only from the shared options
  module, and run no SQL;
- SQL text lives only in the ``qdtrack/ledger/`` package and ``qdtrack/migrations.py``.

Each test prints every violation it finds, not just the first.
"""

from __future__ import annotations

import ast
import pathlib
import re
from collections.abc import Iterator

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = REPO / "qdtrack"

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

#: Modules allowed over MAX_MODULE_LINES because they are data tables, as
#: "qdtrack/path.py": "why". Empty: nothing is exempt yet.
LONG_MODULES_ALLOWED: dict[str, str] = {}

#: Functions allowed over MAX_FUNCTION_LINES because they are data tables (a literal
#: mapping, not logic), as "qdtrack/path.py:Qualified.name": "why". Empty: nothing is
#: exempt yet.
LONG_FUNCTIONS_ALLOWED: dict[str, str] = {}

#: Where SQL may be written.
#: (the ledger is a package: every module in it is a home)
SQL_HOMES = ("qdtrack/ledger/", "qdtrack/migrations.py")

#: The CLI package and its shared module; every other module in it is a command module,
#: except ``__init__`` which assembles the group from them.
CLI_PACKAGE = "qdtrack.cli"
CLI_SHARED = "qdtrack.cli.options"

SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b|\bPRAGMA\s+\w+"
)


# -- reading the package ---------------------------------------------------------------


def module_name(path: pathlib.Path, root: pathlib.Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(root: pathlib.Path = PACKAGE) -> dict[str, pathlib.Path]:
    """Module name -> file, every .py under ``root`` (a package beats a same-named module)."""
    found: dict[str, pathlib.Path] = {}
    for path in sorted(root.rglob("*.py"), key=lambda p: p.name == "__init__.py"):
        found[module_name(path, root)] = path
    return found


def rel(path: pathlib.Path) -> str:
    return path.relative_to(REPO).as_posix()


def parse(path: pathlib.Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(name: str, path: pathlib.Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """(qdtrack module imported, line) for every import statement anywhere in the module.

    ``from X import a`` names X, or ``X.a`` when that is a module itself. The parent packages
    Python initialises on the way (``qdtrack.cli`` for ``qdtrack.cli.options``) are not edges:
    importing a sibling from a package whose ``__init__`` is still running is fine; a module
    that names its package (``from . import x`` where x is defined in ``__init__``) is an edge.
    """
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    yield sub, node.lineno
                elif base in known:
                    yield base, node.lineno


def import_graph(root: pathlib.Path = PACKAGE) -> dict[str, dict[str, int]]:
    """Module -> {module it imports: line of the first such import}."""
    mods = sources(root)
    known = set(mods)
    graph: dict[str, dict[str, int]] = {m: {} for m in mods}
    for name, path in mods.items():
        for target, line in imported_modules(name, path, known):
            graph[name].setdefault(target, line)
    return graph


Graph = dict[str, set[str]] | dict[str, dict[str, int]]


def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (a, b, …, a) through each strongly connected component that has one."""
    return [_cycle_in(graph, set(c), c[0]) for c in tangles(graph)]


def tangles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with a cycle (more than one module, or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strong(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return sorted(components)


def _cycle_in(graph: Graph, component: set[str], start: str) -> list[str]:
    """The shortest path start -> … -> start inside the component (breadth first)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, ())):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if v != start else [start, start]
                if w in component and w not in came_from:
                    came_from[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def describe(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "cycle: " + " ; ".join(steps)


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def string_literals(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(text, line) of every string literal but docstrings; an f-string's literal parts joined."""
    skip = docstrings(tree)
    in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            in_fstring.update(id(v) for v in parts)
            yield " ? ".join(str(v.value) for v in parts), node.lineno
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skip and id(node) not in in_fstring:
                yield node.value, node.lineno


def functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(qualified name, node) of every function and method, nested ones included."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield prefix + child.name, child
                yield from walk(child, f"{prefix}{child.name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def failures(title: str, found: list[str]) -> str:
    return f"{title} ({len(found)}):\n  " + "\n  ".join(found)


# -- the cycle finder finds cycles -------------------------------------------------------


def test_cycle_finder_finds_a_cycle_in_a_synthetic_graph() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"a"}, "f": {"f"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["f", "f"]]


def test_cycle_finder_finds_nothing_in_a_tree() -> None:
    assert find_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a"}}) == []


def test_cycle_finder_finds_a_lazy_import_cycle_in_a_synthetic_package(tmp_path: pathlib.Path) -> None:
    pkg = tmp_path / "qdtrack"
    (pkg / "cli").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ledger.py").write_text("from .errors import BadInput\n")
    (pkg / "errors.py").write_text("class BadInput(Exception): ...\n")
    (pkg / "cli" / "__init__.py").write_text("from . import track\n")
    (pkg / "cli" / "options.py").write_text("import qdtrack.ledger\n")
    (pkg / "cli" / "track.py").write_text("from .options import x\ndef f():\n    from .. import render\n")
    (pkg / "render.py").write_text("def g():\n    from qdtrack.cli import track\n")
    graph = import_graph(pkg)
    assert graph["qdtrack.cli.track"] == {"qdtrack.cli.options": 1, "qdtrack.render": 3}
    assert graph["qdtrack.cli"] == {"qdtrack.cli.track": 1}
    assert find_cycles(graph) == [["qdtrack.cli.track", "qdtrack.render", "qdtrack.cli.track"]]


# -- the rules -------------------------------------------------------------------------


def test_the_package_is_there() -> None:
    mods = sources()
    assert {"qdtrack", "qdtrack.ledger", "qdtrack.migrations", CLI_PACKAGE, CLI_SHARED} <= set(mods)


def test_imports_form_no_cycle() -> None:
    graph = import_graph()
    found = [
        f"{describe(find_cycles({m: graph[m] for m in t})[0], graph)} (tangled: {', '.join(t)})" for t in tangles(graph)
    ]
    assert not found, failures("import cycles in qdtrack", found)


def test_no_module_over_500_lines() -> None:
    found = []
    for path in sources().values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and rel(path) not in LONG_MODULES_ALLOWED:
            found.append(f"{rel(path)}: {lines} lines")
    assert not found, failures(f"modules over {MAX_MODULE_LINES} lines", found)


def test_no_function_over_60_lines() -> None:
    found = []
    for path in sources().values():
        for qualname, node in functions(parse(path)):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES and f"{rel(path)}:{qualname}" not in LONG_FUNCTIONS_ALLOWED:
                found.append(f"{rel(path)}:{node.lineno} {qualname}: {lines} lines")
    assert not found, failures(f"functions over {MAX_FUNCTION_LINES} lines", found)


def test_allow_lists_name_what_exists() -> None:
    """An exemption outlives nothing: each names a module or function that is there and long."""
    mods = {rel(p): p for p in sources().values()}
    for where in LONG_MODULES_ALLOWED:
        assert where in mods, where
    for where in LONG_FUNCTIONS_ALLOWED:
        file, qualname = where.split(":")
        assert qualname in dict(functions(parse(mods[file]))), where


def command_modules() -> dict[str, pathlib.Path]:
    return {
        name: path
        for name, path in sources().items()
        if name.startswith(CLI_PACKAGE + ".") and name != CLI_SHARED and path.name != "__init__.py"
    }


def test_there_are_command_modules() -> None:
    assert command_modules(), f"no command modules under {CLI_PACKAGE}"


def test_command_modules_import_only_the_shared_cli_module() -> None:
    graph = import_graph()
    found = []
    for name in command_modules():
        for target, line in graph[name].items():
            if (target == CLI_PACKAGE or target.startswith(CLI_PACKAGE + ".")) and target != CLI_SHARED:
                found.append(f"{name} (line {line}) imports {target}")
    assert not found, failures("command modules importing other CLI modules", found)


def test_command_modules_run_no_sql() -> None:
    found = []
    for path in command_modules().values():
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if called in ("execute", "executemany", "executescript"):
                    found.append(f"{rel(path)}:{node.lineno} calls {called}(")
    assert not found, failures("SQL run in command modules", found)


def test_sql_only_in_the_ledger_and_migrations() -> None:
    found = []
    for path in sources().values():
        if rel(path).startswith(SQL_HOMES):
            continue
        for text, line in string_literals(parse(path)):
            m = SQL.search(text)
            if m:
                found.append(f"{rel(path)}:{line} {' '.join(m.group(0).split())[:60]!r}")
    assert not found, failures("SQL outside " + " and ".join(sorted(SQL_HOMES)), found)


@pytest.mark.parametrize(
    "text, is_sql",
    [
        ("SELECT id FROM tasks WHERE year = ?", True),
        ("INSERT INTO updates (task_id) VALUES (?)", True),
        ("UPDATE updates SET x = 1", True),
        ("DELETE FROM updates", True),
        ("PRAGMA foreign_keys = ON", True),
        ("Select the tasks of an area", False),
        ("update 21 --value 4", False),
        ("Delete nothing: record a correction", False),
    ],
)
def test_sql_pattern(text: str, is_sql: bool) -> None:
    assert bool(SQL.search(text)) is is_sql


def test_sql_finder_sees_fstrings_and_skips_docstrings() -> None:
    tree = ast.parse('"""SELECT a FROM b in a docstring"""\nq = f"SELECT {c} FROM t"\ns = "plain"\n')
    hits = [line for text, line in string_literals(tree) if SQL.search(text)]
    assert hits == [2]
