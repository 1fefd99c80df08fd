"""DESIGN.md's layers: no Qt below the ui, no import circles (import-linter checks the rest)."""

from __future__ import annotations

import subprocess
import sys

import grimp  # import-linter's graph builder (the test extra)


def test_core_store_and_cli_do_not_import_qt():
    code = (
        "import sys, editor.services.newsroom, editor.core.render, editor.core.export, "
        "editor.core.importing, editor.store.store, editor.cli; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'qtawesome')]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _import_circles(graph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & modules
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return circles


def test_no_import_circles_between_editor_modules():
    """Module by module (lazy and type-checking imports count too): imports run one way."""
    graph = grimp.build_graph("editor")
    circles = _import_circles(graph, set(graph.modules))
    assert circles == [], circles


def test_the_circle_finder_finds_circles():
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("e", "d")]:
        graph.add_import(importer=importer, imported=imported)
    assert _import_circles(graph, set(graph.modules)) == [["a", "b", "c"]]


def _classes_with_two_project_bases(package) -> list[str]:
    """Classes defined in `package` (alembic scripts aside) with more than one base class
    from editor/: mixins by another name."""
    import importlib
    import inspect
    import pkgutil

    mixed: list[str] = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" in info.name:  # alembic scripts, run only by alembic
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not inspect.isclass(value) or value.__module__ != info.name:
                continue
            ours = [b for b in value.__bases__ if b.__module__.startswith("editor.")]
            if len(ours) > 1:
                mixed.append(f"{info.name}.{name}")
    return mixed


def test_store_classes_compose_their_parts():
    """No class in editor/store has more than one project-defined base (no mixins):
    `Store` holds its repositories as attributes, each over the one `Database`."""
    import editor.store
    from editor.store.store import Store

    assert _classes_with_two_project_bases(editor.store) == []
    assert Store.__bases__ == (object,)


def test_domain_and_service_classes_compose_their_parts():
    """No class in editor/core or editor/services has more than one project-defined base
    (no mixins): `Newsroom` holds its parts as attributes, each built with the newsroom
    as its seat."""
    from types import SimpleNamespace

    import editor.core
    import editor.services
    from editor.services.newsroom import Newsroom

    assert _classes_with_two_project_bases(editor.core) == []
    assert _classes_with_two_project_bases(editor.services) == []
    assert Newsroom.__bases__ == (object,)
    store = SimpleNamespace(db=None)  # the parts hold no store of their own
    room = Newsroom(store=store, user=None)  # type: ignore[arg-type]
    parts = (
        "workflow", "review", "assets", "dictionary", "recovery", "checks", "dashboard",
        "settings",
    )  # fmt: skip
    assert all(getattr(room, part)._seat is room for part in parts)
