"""The layering rules of docs/architecture.md, checked by reading the imports (no app cycle, services write and
never import selectors or PDF builders, state rules only in workflow declarations)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each app and the apps it may import: dependencies point one way (ARCHITECTURE.md "Where things live").
ALLOWED = {
    "creditportal": set(),
    "catalog": {"creditportal"},
    "subjects": {"creditportal", "catalog"},
    "designations": {"creditportal", "catalog", "subjects"},
    "objections": {"creditportal", "catalog", "subjects", "designations"},
    "restoration": {"creditportal", "catalog", "subjects", "designations", "objections"},
}


def _sources(app: str):
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or "demo" in parts or "management" in parts:
            continue
        yield path


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level and node.module:
            names.add("." * node.level + node.module)
    return names


def _app_imports(app: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in _sources(app):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ALLOWED and top != app:
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_the_apps_below_them(app):
    wrong = {other: files for other, files in _app_imports(app).items() if other not in ALLOWED[app]}
    assert not wrong, f"{app} imports {wrong}"


def test_the_app_graph_has_no_cycle():
    graph = {app: set(_app_imports(app)) for app in ALLOWED}
    visiting, done = set(), set()

    def visit(node, path):
        assert node not in visiting, f"import cycle: {' → '.join([*path, node])}"
        if node in done:
            return
        visiting.add(node)
        for nxt in graph[node]:
            visit(nxt, [*path, node])
        visiting.discard(node)
        done.add(node)

    for app in graph:
        visit(app, [])


def test_services_never_import_selectors_or_pdf_builders():
    offenders = []
    for app in ALLOWED:
        for path in _sources(app):
            rel = path.relative_to(ROOT)
            if not (rel.name == "services.py" or "services" in rel.parts[:-1]):
                continue
            for name in _imports(path):
                if name.split(".")[-1] in {"selectors", "pdf"} and not name.startswith("creditportal"):
                    offenders.append(f"{rel}: {name}")
    assert not offenders


def test_selectors_and_pdf_builders_never_import_services():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for app in ALLOWED
        for path in _sources(app)
        if path.name in {"selectors.py", "pdf.py"}
        for name in _imports(path)
        if name.split(".")[-1] == "services"
    ]
    assert not offenders


def test_no_state_is_written_outside_a_workflow_declaration():
    """Only ``Workflow.apply`` assigns a state: no ``.state =`` / ``.status =`` assignment elsewhere."""
    offenders = []
    for app in ALLOWED:
        for path in _sources(app):
            if path.name == "workflow.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    for leaf in target.elts if isinstance(target, ast.Tuple) else [target]:
                        if isinstance(leaf, ast.Attribute) and leaf.attr in {"state"}:
                            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders
