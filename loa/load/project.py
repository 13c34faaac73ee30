"""Read the project: settings from mkdocs.yml, campaigns, content and UI strings.

Loading only reads and parses; it turns nothing into model objects (see
`validate`). Every node keeps its file position.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from loa.errors import Position, Report, display_path
from loa.load.parsecache import LoadCache
from loa.load.source import MarkdownSource, Node, compose, parse_yaml, read_text, split_front_matter, to_node
from loa.messages import _

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class RawProject:
    """Parsed but unvalidated input."""

    root: Path
    settings: Node
    """The `extra.loa` mapping of mkdocs.yml."""
    campaigns: dict[str, Node]
    """Campaign id -> its YAML."""
    campaign_paths: dict[str, str]
    pages: dict[tuple[str, str], tuple[Path, str, MarkdownSource]]
    """(language folder, relative path without .md) -> (file, shown path, parsed source)."""
    assets: dict[tuple[str, str], Path]
    """(language folder, relative path) -> file."""
    found: frozenset[tuple[str, str]]
    """Every Markdown file as (language folder, id), also those that failed to parse."""
    strings: dict[str, Node]
    """UI strings: language -> mapping from `theme/strings/<lang>.yml`."""


def load_project(root: Path, report: Report, cache: LoadCache | None = None) -> RawProject | None:
    parsed = cache or LoadCache()
    parsed.seen.clear()
    if len(parsed.memo) > 4 * len(parsed.entries) + 100:
        parsed.memo.clear()  # results for texts edited away since: start afresh rather than grow
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        report.error(Position(CONFIG_FILE), _("no mkdocs.yml in this folder"),
                     _("run Loa from the project folder, or create mkdocs.yml (see README)"))
        return None
    settings = _load_settings(config_path, report)
    campaigns: dict[str, Node] = {}
    campaign_paths: dict[str, str] = {}
    for path in sorted((root / "campaigns").glob("*.y*ml")):
        shown = display_path(path, root)
        node = parsed.parse(path, report, partial(_yaml_file, path, shown, report))
        if path.stem in campaign_paths:
            report.error(Position(shown), _("duplicate campaign id '%(id)s'", id=path.stem),
                         _("%(path)s has the same id; rename or remove one of them",
                           path=campaign_paths[path.stem]))
        elif node is not None:
            campaigns[path.stem] = node
            campaign_paths[path.stem] = shown
    pages: dict[tuple[str, str], tuple[Path, str, MarkdownSource]] = {}
    found: set[tuple[str, str]] = set()
    assets: dict[tuple[str, str], Path] = {}
    content = root / "content"
    for lang_dir in sorted(p for p in content.glob("*") if p.is_dir()):
        for relative in _files(lang_dir):
            path = lang_dir / relative
            if relative.endswith(".md"):
                found.add((lang_dir.name, relative[:-3]))
                shown = f"content/{lang_dir.name}/{relative}"
                source = parsed.parse(path, report, partial(markdown_file, path, shown, report))
                if source is not None:
                    pages[(lang_dir.name, relative[:-3])] = (path, shown, source)
            else:
                assets[(lang_dir.name, relative)] = path
    strings: dict[str, Node] = {}
    for path in sorted((root / "theme" / "strings").glob("*.yml")):
        shown = display_path(path, root)
        node = parsed.parse(path, report, partial(_yaml_file, path, shown, report))
        if node is not None:
            strings[path.stem] = node
    if settings is None:
        return None
    return RawProject(root, settings, campaigns, campaign_paths, pages, assets, frozenset(found), strings)


def _files(folder: Path) -> list[str]:
    """Paths of the files under `folder`, relative and sorted, leaving out hidden files and folders."""
    found: list[str] = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        prefix = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found += [prefix + name for name in files if not name.startswith(".")]
    return sorted(found, key=lambda relative: relative.split("/"))


def _yaml_file(path: Path, shown: str, report: Report) -> Node | None:
    text = read_text(path, shown, report)
    return parse_yaml(text, shown, report) if text is not None else None


def markdown_file(path: Path, shown: str, report: Report) -> MarkdownSource | None:
    text = read_text(path, shown, report)
    return split_front_matter(text, shown, report) if text is not None else None


def _load_settings(path: Path, report: Report) -> Node | None:
    """The `extra.loa` mapping of mkdocs.yml, with positions.

    mkdocs.yml may hold MkDocs' own tags (`!ENV`, `!!python/name`) elsewhere, so
    the file is only composed, and Loa constructs the `extra.loa` subtree itself;
    the adapter reads the rest with MkDocs' own loader.
    """
    text = read_text(path, CONFIG_FILE, report)
    tree = compose(text, CONFIG_FILE, report) if text is not None else False
    if tree is False or text is None:
        return None
    if isinstance(tree, yaml.MappingNode):
        for key, value in tree.value:
            if key.value == "extra" and isinstance(value, yaml.MappingNode):
                for inner_key, inner_value in value.value:
                    if inner_key.value == "loa":
                        return to_node(inner_value, CONFIG_FILE, 0, report)
    report.error(Position(CONFIG_FILE, 1, 1), _("mkdocs.yml has no 'extra: loa:' settings"),
                 _("add extra.loa with default_language, languages and hotline (see README)"))
    return None


def default_language(root: Path) -> str | None:
    """The project's `default_language`, read before anything else to choose the message language
    (loa/cli.py); None when mkdocs.yml cannot say (its problems are reported by the check itself)."""
    try:
        settings = _load_settings(root / CONFIG_FILE, Report())
    except OSError:
        return None
    if settings is None or not isinstance(settings.value, dict):
        return None
    found = settings.value.get("default_language")
    return found.value if found is not None and isinstance(found.value, str) else None
