"""The MkDocs config of one language: the project's mkdocs.yml with Loa's settings over it.

Loa's required Markdown extensions, theme and stylesheets, the language's navigation, and the
`LoaPlugin` (loa/render/plugin.py) with its Markdown cache, whose key depends on these settings.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig

from loa.cache.markdown import MarkdownCache, fingerprint
from loa.check.fences import FENCES
from loa.errors import BuildError
from loa.plan.site import LanguagePlan
from loa.render.css import material_main, unused_markdown
from loa.render.plugin import MATERIAL, Capture, LoaPlugin, Shard
from loa.slugs import slugify

REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": True, "slugify": slugify},
    "attr_list": {},
    "md_in_html": {},
    "admonition": {},
    "tables": {},
    **FENCES,  # code blocks as CommonMark readers write them; the lint finds code with the same reader
}


LOA_CSS = "assets/stylesheets/loa.css"
LOA_JS = "assets/javascripts/loa.js"
LOA_SEARCH_JS = "assets/javascripts/loa-search.js"
LOA_TOOLKIT_JS = "assets/javascripts/loa-toolkit.js"
LOA_OFFLINE_JS = "assets/javascripts/loa-offline.js"


@functools.cache
def material_stylesheets() -> dict[str, str]:
    """Material's CSS files (`main`, `palette`), as the installed package names them.

    Their names carry a hash of their content, new with every Material release, even a patch:
    theme/base.html takes them from here (`config.extra.loa_material_css`) instead of writing them.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        raise BuildError("mkdocs-material is not installed (pip install -r requirements.txt)")
    folder = Path(spec.origin).parent / "templates" / "assets" / "stylesheets"
    found = {}
    for kind in ("main", "palette"):
        names = sorted(folder.glob(f"{kind}.*.min.css"))
        if len(names) != 1:
            raise BuildError(f"Material's {kind} stylesheet: expected one {kind}.<hash>.min.css in {folder}, "
                             f"found {len(names)}")
        found[kind] = f"assets/stylesheets/{names[0].name}"
    return found


def _extension_name(extension: Any) -> str:
    return extension if isinstance(extension, str) else next(iter(extension))


def mkdocs_config(root: Path, plan: LanguagePlan, site_dir: Path, docs_dir: Path,
                  shard: Shard = (0, 1), cache_dir: Path | None = None,
                  capture: Capture | None = None, skip: frozenset[str] = frozenset()) -> MkDocsConfig:
    config_file = root / "mkdocs.yml"
    config = MkDocsConfig(config_file_path=str(config_file))
    with config_file.open("rb") as stream:
        config.load_file(stream)
    raw: dict[str, Any] = dict(config.items())
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme.update({"name": "material", "custom_dir": str(root / "theme"), "language": plan.lang, "font": False})
    extra = {k: v for k, v in (raw.get("extra") or {}).items() if k != "loa"}
    # Material includes its language selector only when `extra.alternate` is set; our
    # partials/alternate.html then renders per-page links from the `loa` context.
    extra["alternate"] = [{"name": lang.name, "link": f"/{lang.code}/", "lang": lang.code} for lang in plan.languages]
    extra["loa_ui_fallback"] = next((code for code in plan.language.chain[1:]), "en")
    extensions = _extensions(raw.get("markdown_extensions") or [])
    material = material_stylesheets()  # `material_main`: the file that Loa's copy replaces (loa/render/plugin.py)
    extra["loa_material_css"] = {**material, "main": material_main(
        MATERIAL / "templates" / material["main"], unused_markdown(map(_extension_name, extensions)))[0],
        "material_main": material["main"]}
    extra_css = [*(raw.get("extra_css") or [])]
    extra_js = [*(raw.get("extra_javascript") or [])]
    for path, listed in ((LOA_CSS, extra_css), (LOA_JS, extra_js), (LOA_SEARCH_JS, extra_js),
                         (LOA_TOOLKIT_JS, extra_js), (LOA_OFFLINE_JS, extra_js)):
        if path not in listed:
            listed.append(path)
    overrides = {
        # text, escaped once for the templates that print them raw (see on_page_markdown)
        "site_name": escape(plan.site_name),
        "site_description": escape(plan.description) if plan.description else None,
        "site_url": f"{plan.site_url}{plan.lang}/" if plan.site_url else None,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": theme,
        "extra": extra,
        "markdown_extensions": extensions,
        "extra_css": extra_css,
        "extra_javascript": extra_js,
        "plugins": [],  # search is Pagefind's, indexed after rendering (loa/outputs/search.py)
        "nav": [{escape(item.title): item.src_uri} for item in plan.nav],
        "use_directory_urls": True,
        "strict": False,
        "validation": {"nav": {"omitted_files": "ignore", "absolute_links": "warn"},
                       "links": {"absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"}},
    }
    config.load_dict(overrides)
    errors, _warnings = config.validate()
    if errors:
        raise BuildError("mkdocs.yml: " + "; ".join(f"{key}: {error}" for key, error in errors))
    cache = MarkdownCache(cache_dir, _cache_context(config, plan)) if cache_dir else None
    config.plugins["loa"] = LoaPlugin(plan, shard, cache, capture, skip)
    return config


def _cache_context(config: MkDocsConfig, plan: LanguagePlan) -> str:
    """What, besides a page's own Markdown, shapes its HTML: versions, Markdown settings, linkable files."""
    settings = json.dumps([config["markdown_extensions"], config["mdx_configs"]], sort_keys=True, default=_name)
    versions = [version(package) for package in ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material")]
    return fingerprint([*versions, settings,
                        *(page.src_uri for page in plan.pages), *(path for path, _source in plan.assets)])


def _name(value: object) -> str:
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"


def _extensions(configured: list[Any]) -> list[Any]:
    names: dict[str, dict[str, Any]] = {}
    for item in configured:
        if isinstance(item, str):
            names[item] = {}
        elif isinstance(item, dict):
            for name, options in item.items():
                names[name] = dict(options or {})
    for name, options in REQUIRED_EXTENSIONS.items():
        names[name] = {**names.get(name, {}), **options}
    return [{name: options} for name, options in names.items()]
