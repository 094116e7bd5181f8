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
    "portal": {"creditportal", "catalog", "subjects", "designations", "objections", "restoration"},
    "feed": {"creditportal", "catalog", "subjects", "designations", "objections", "restoration"},
    "exchange": {"creditportal", "catalog", "subjects", "designations", "objections", "restoration", "feed"},
    "api": {"creditportal", "catalog", "subjects", "designations", "objections", "restoration", "feed", "exchange"},
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


# --- state only in workflow modules (issue 17) --------------------------------------------------------------------

STATE_FIELDS = {"state", "status"}


def _state_enums() -> dict[str, frozenset[str]]:
    """The choices classes whose values are exactly a registered workflow's states (DesignationState,
    RecordStatus …), by class name, with their values."""
    import importlib
    import inspect

    from django.db.models import TextChoices

    from creditportal.cases.registry import registered

    state_sets = {frozenset(workflow.state_labels) for workflow in registered().values()}
    enums = {}
    for app in ALLOWED:
        try:
            module = importlib.import_module(f"{app}.choices")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, TextChoices) and frozenset(cls.values) in state_sets:
                enums[name] = frozenset(cls.values)
    return enums


def _aliases(tree: ast.AST, enums: dict) -> set[str]:
    """The names a module uses for the state enums (``RecordStatus``, or ``S`` after ``import … as S``)."""
    names = set(enums)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname for alias in node.names if alias.name in enums and alias.asname}
    return names


def _is_state(node: ast.AST, enum_names: set[str], values: frozenset[str]) -> bool:
    """A state enum member (``S.LISTED``) or a string that is a workflow state (``"listed"``)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in enum_names
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in values


def _state_rule_offenders() -> list[str]:
    enums = _state_enums()
    values = frozenset().union(*enums.values())
    offenders = []
    for app in ALLOWED:
        for path in _sources(app):
            if path.name == "workflow.py" or path.name == "choices.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = _aliases(tree, enums)
            where = f"{path.relative_to(ROOT)}"
            for node in ast.walk(tree):
                # a set of states: {S.A, S.B}, ["a", "b"], frozenset({…}), state__in=[…]
                if (
                    isinstance(node, ast.Set | ast.List | ast.Tuple)
                    and len(node.elts) >= 2
                    and all(_is_state(elt, names, values) for elt in node.elts)
                    and any(isinstance(elt, ast.Attribute) for elt in node.elts)
                ):
                    offenders.append(f"{where}:{node.lineno} a set of states")
                # a state compared with a literal ("listed") or with a set of states (one enum member, such as
                # RecordStatus.ACTIVE, names the state it means and is allowed)
                if (
                    isinstance(node, ast.Compare)
                    and isinstance(node.left, ast.Attribute)
                    and node.left.attr in STATE_FIELDS
                    and any(
                        isinstance(right, ast.Constant)
                        and right.value in values
                        or isinstance(right, ast.Set | ast.List | ast.Tuple)
                        and any(_is_state(elt, names, values) for elt in right.elts)
                        for right in node.comparators
                    )
                ):
                    offenders.append(f"{where}:{node.lineno} a state compared")
                # a state assigned: x.state = …, setattr(x, "status", …), setattr(x, WORKFLOW.field_name, …)
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        pairs = (
                            zip(target.elts, node.value.elts, strict=False)
                            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                            else [(target, node.value)]
                        )
                        for leaf, value in pairs:
                            if (
                                isinstance(leaf, ast.Attribute)
                                and leaf.attr in STATE_FIELDS
                                and _is_state(value, names, values)
                            ):
                                offenders.append(f"{where}:{node.lineno} a state assigned")
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                    field = node.args[1] if len(node.args) > 1 else None
                    if (isinstance(field, ast.Constant) and field.value in STATE_FIELDS) or (
                        isinstance(field, ast.Attribute) and field.attr == "field_name"
                    ):
                        offenders.append(f"{where}:{node.lineno} a state set with setattr")
    return offenders


def test_no_state_rule_outside_a_workflow_module():
    """Issue 17: only a workflow module knows the states. Elsewhere no state is assigned (attribute or
    ``setattr``), no set of states is written and no state is compared with a literal: code asks the declaration
    (``WORKFLOW.can``, ``sources_of``, ``apply``, ``apply_many``)."""
    assert not _state_rule_offenders()


TEMPLATE_STATE = __import__("re").compile(
    r"""\.(?:state|status)\s*(?:==|!=|\bin\b|\bnot in\b)\s*['"]|['"][a-z_ ]+['"]\s*(?:in|not in)\s+\S+\.(?:state|status)\b"""
)


def test_no_template_compares_a_state():
    """Issue 17: templates ask the workflow (``{% can case "act" %}``, ``{% can_state case "act" %}``) or a property
    of the model, never compare a state or status with a literal."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_STATE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders


#: A regulation's article label written as a literal ("HN 27", "HN 21 / HL 35", "NDRC 12").
ARTICLE_LABEL = __import__("re").compile(r"""(?<![\w-])(HN|HL|HB|XJ|NDRC) \d+""")


def test_no_article_label_is_a_literal_in_application_code():
    """Issue 19: a value the law leaves to the profile is never a literal in code, and neither is the article a
    clock or a document cites: it comes from the profile (``profile.cite(rule)``, ``profile.sources``). Comments
    and docstrings may name the articles they follow; string constants may not (the profile model documents the
    format of its own data)."""
    found = []
    for app in ALLOWED:
        for path in _sources(app):
            if path.relative_to(ROOT).as_posix() == "creditportal/models/profiles.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and ARTICLE_LABEL.search(node.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)


def test_every_app_s_tests_are_collected_and_packaged():
    """Each app's tests run in ``make test`` (pytest's testpaths) and the app is in the package list: an app left
    out of either has tests nobody runs (the portal's were, for a stop)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    testpaths = set(project["tool"]["pytest"]["ini_options"]["testpaths"])
    packaged = {name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert sorted(set(ALLOWED) - testpaths) == []
    assert sorted(set(ALLOWED) - packaged) == []
