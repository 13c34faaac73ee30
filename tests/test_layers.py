"""Loa's folders are the pipeline's layers (docs/architecture.md): a module imports only from its
own layer and those below it, and only the render layer talks to MkDocs and Material."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "loa"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("loa", "loa.errors", "loa.model", "loa.slugs", "loa.children", "loa.sms", "loa.messages", "loa.memory"),
    ("loa.cache",),
    ("loa.load",),
    ("loa.i18n",),
    ("loa.check",),
    ("loa.plan",),
    ("loa.render",),
    ("loa.publish",),
    ("loa.outputs",),
    ("loa.pipeline", "loa.processes"),
    ("loa.serve",),
    ("loa.desk",),
    ("loa.cli",),
)
"""Lowest first. A module belongs to the layer of the longest prefix that names it."""

MKDOCS = ("mkdocs", "material")
MKDOCS_LAYER = "loa.render"


def layer(module: str) -> int:
    best, found = -1, None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            # the package itself ("loa") names only its __init__: a new module at the top is in no layer
            # until it is listed
            if (module == prefix or (prefix != "loa" and module.startswith(prefix + "."))) and len(prefix) > best:
                best, found = len(prefix), rank
    if found is None:
        raise LookupError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")
    return found


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, package_dir: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative ones made absolute, at any depth
    (an import inside a function is a dependency too)."""
    name = module_name(path, package_dir)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from loa import children`, `from loa.plan import pages`: the submodule is the dependency
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names
                      if target.startswith("loa") and _is_module(package_dir, f"{target}.{alias.name}")]
    return found


def _is_module(package_dir: Path, name: str) -> bool:
    path = package_dir.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def violations(package_dir: Path) -> list[str]:
    problems = []
    for path in sorted(package_dir.rglob("*.py")):
        name = module_name(path, package_dir)
        own = layer(name)
        for line, target in imports(path, package_dir):
            where = f"{path.relative_to(package_dir.parent).as_posix()}:{line}"
            if target.split(".")[0] in MKDOCS and not name.startswith(MKDOCS_LAYER):
                problems.append(f"{where}: {name} imports {target}; only {MKDOCS_LAYER} may talk to MkDocs")
            if (target == "loa" or target.startswith("loa.")) and target != "loa" and layer(target) > own:
                problems.append(f"{where}: {name} (layer {own}) imports {target} (layer {layer(target)})")
    return problems


def test_every_module_imports_only_from_its_layer_and_below() -> None:
    assert len(list(PACKAGE.rglob("*.py"))) > 30
    assert violations(PACKAGE) == []


def test_a_module_reaching_up_a_layer_is_found(tmp_path: Path) -> None:
    # the check itself can fail: a copy of the package with one import turned upwards
    fake = tmp_path / "loa"
    (fake / "plan").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "plan" / "__init__.py").write_text("")
    (fake / "plan" / "site.py").write_text("from loa.serve import server\nimport mkdocs.config\n")
    (fake / "serve").mkdir()
    (fake / "serve" / "__init__.py").write_text("")
    (fake / "serve" / "server.py").write_text("from ..plan import site\n")
    assert violations(fake) == ["loa/plan/site.py:1: loa.plan.site (layer 5) imports loa.serve (layer 10)",
                     "loa/plan/site.py:1: loa.plan.site (layer 5) imports loa.serve.server (layer 10)",
                     "loa/plan/site.py:2: loa.plan.site imports mkdocs.config; only loa.render may talk to MkDocs"]


def test_every_module_is_in_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer(module_name(path, PACKAGE))


MAX_MODULE_LINES = 350
MAX_CLASS_LINES = 150


def test_modules_and_classes_stay_small_enough_to_read() -> None:
    too_big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE.parent).as_posix()
        if len(text.splitlines()) >= MAX_MODULE_LINES:
            too_big.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and (node.end_lineno or 0) - node.lineno + 1 > MAX_CLASS_LINES:
                too_big.append(f"{name}: class {node.name}, {(node.end_lineno or 0) - node.lineno + 1} lines")
    assert too_big == []
