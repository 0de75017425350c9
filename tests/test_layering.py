"""The apps depend downwards only: no app imports one above it, and no two apps import each other.

The city half adds apps on the same pattern (intake, review, certification, monitoring; see the
README's Layout); each goes into ``LAYERS`` where it belongs, above what it builds on. Imports are
read from the source (also those inside functions and under TYPE_CHECKING), so a cycle cannot
hide behind a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import clusterdesk

SOURCE = Path(clusterdesk.__file__).parent

# Lowest first. A package may import from its own layer's packages only where listed in SIDEWAYS.
LAYERS: list[set[str]] = [
    # The pure core and small services that know no app.
    {"form", "documents", "panel", "errors", "conf", "shared", "slots"},
    {"accounts", "web"},
    {"rounds"},
    {"declarations"},
    {"evidence"},
    {"notifications"},  # told of workflow moves through workflow.AFTER_EVERY_MOVE
    {"county"},
    {"intake"},  # the city's desk: reads the county's board helpers
    {"exports"},  # background exports: the county's packages, the inbox list
    # 审核认定 after intake, each step on the ones before it.
    {"review"},  # the expert pool, conflicts, phases, assignments
    {"scoring"},  # rubric, score sheets, aggregation, ranking
    {"hearings"},  # 现场答辩 and 实地走访 (flags the ranking through scoring's hook)
    {"publicity"},  # 会审 decision, 公示, objections
    {"registry"},  # 发文 certification, the registry, 择优推荐
    # The three years after certification.
    {"revocation"},  # 撤销认定 with its 文号 and 通报
    {"monitoring"},  # annual reports, their window and reminders, major changes
    {"tracking"},  # targets against actuals, the dashboards, the monitoring report
    {"recheck"},  # 复核 at expiry through the review machinery
    # What puts it all together.
    {"portal", "demo", "cli", "backup", "api", "urls", "settings", "wsgi"},  # api: reads many
    {"bench"},  # `make bench` measures everything, on the demo data
    {"loadtest"},  # `make loadtest`: the demo's units and the bench's bare view under locust
]
SIDEWAYS: set[tuple[str, str]] = {
    ("documents", "form"),  # the documents render and read the form core
    ("documents", "panel"),  # the review documents render the rubric and figures
    ("panel", "form"),  # conflicts read the form's named enterprises
    ("shared", "conf"),
    ("web", "conf"),
    ("demo", "portal"),
}
PURE = {
    "form",
    "documents",
    "panel",
}  # import no Django at all (tests/form/test_purity.py checks form)


def package_of(module: str) -> str | None:
    """``clusterdesk.declarations.domain.x`` → ``declarations``; bench_* modules are ``bench``."""
    parts = module.split(".")
    if parts[0] != "clusterdesk" or len(parts) < 2:
        return None
    return "bench" if parts[1].startswith("bench") else parts[1]


def layer_of(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"clusterdesk.{package} has no place in LAYERS: add it where it belongs")


def imports() -> list[tuple[str, str, str]]:
    """(importing package, imported package, file:line) for every import of the project."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent)
        module = ".".join(relative.with_suffix("").parts)
        source = package_of(module if path.name != "__init__.py" else module + ".x")
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "clusterdesk":
                    names = [f"clusterdesk.{alias.name}" for alias in node.names]
            for name in names:
                target = package_of(name)
                if target and target != source:
                    found.append((source, target, f"{relative}:{node.lineno}"))
    return found


def test_every_package_has_a_layer():
    packages = {path.name for path in SOURCE.iterdir() if (path / "__init__.py").exists()}
    packages |= {package_of(f"clusterdesk.{path.stem}") for path in SOURCE.glob("*.py")}
    packages.discard(None)
    packages.discard("__init__")
    for package in sorted(packages):
        layer_of(package)


def test_imports_point_downwards():
    upwards = [
        f"{where}: clusterdesk.{source} imports clusterdesk.{target}, which is not below it"
        for source, target, where in imports()
        if (source, target) not in SIDEWAYS and layer_of(target) >= layer_of(source)
    ]
    assert upwards == []


def test_no_two_packages_import_each_other():
    pairs = {(source, target) for source, target, _ in imports()}
    cycles = sorted((a, b) for a, b in pairs if (b, a) in pairs and a < b)
    assert cycles == []


def test_the_pure_core_imports_no_django():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if relative.parts[0] not in PURE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                assert not any(name.split(".")[0] == "django" for name in names), (
                    f"{relative}:{node.lineno} imports Django"
                )
