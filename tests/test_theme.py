"""theme/ against the installed Material: the files Loa overrides, and the stylesheets it links.

Each file of theme/ that overrides a Material template (theme/README.md lists them) was made from
Material 9.8.1's file. MATERIAL_9_8_1 records the sha256 of each of those upstream files; when the
installed Material's file differs, its override must be reviewed: the test fails and names the
changes to re-apply (the `loa:` lines of Loa's copy).
"""

from __future__ import annotations

import hashlib
import importlib.util
import posixpath
import re
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, BuildSite
from loa.render.config import material_stylesheets
from loa.render.plugin import material_strings

MATERIAL_9_8_1 = {
    "base.html": "8536d352b0093623df9e0032894f321cbe264b15a9b48cdd962583772455dadb",
    "404.html": "80c93494b5432b1bcdf292caeb67a0653c45b37372f49e08ad4a70ca695a7495",
    "main.html": "9948b55a7bc979c35825df99baba9e6971fca4eb298dea3cdde61e990a2de5e0",
    "partials/content.html": "ce33929c85af129f6e2f3b0aed47159e9c4a519482d1938bae15f5ff4a3cfae5",
    "partials/alternate.html": "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    "partials/header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
    "partials/language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
    "partials/palette.html": "fb935107ae7d3d7475965019eec36c1ad72bf1d154254dab2474921fcd2710e3",
    "partials/toc.html": "fde48f583563364b0e0e6865a5ab1e7060ec1826161f69f5cbee653e621b0f84",
    "partials/javascripts/base.html": "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
    "partials/javascripts/content.html": "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
    "partials/javascripts/palette.html": "8790389765ea6036effddba548b15093bb05bdc75624eaeaf8b13f3c24be4ab5",
}
"""sha256 of each Material 9.8.1 template that a file of theme/ overrides (copied or replaced)."""
THEME = REPO / "theme"


def material_templates() -> Path:
    spec = importlib.util.find_spec("material")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "templates"


def loa_changes(theme_file: Path) -> list[str]:
    """The lines of Loa's override that say what it changes: its opening comment and its `loa:` marks."""
    text = theme_file.read_text(encoding="utf-8")
    opening = re.match(r"\{#-?(.*?)-?#\}", text, re.DOTALL)
    lines = [line.strip() for line in (opening.group(1) if opening else "").splitlines() if line.strip()]
    return lines + [f"line {n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if "loa:" in line]


def review(name: str, upstream: bytes, recorded: str) -> str:
    """'' if Material's `name` is the file Loa's override was made from; else what to re-apply, and how."""
    if hashlib.sha256(upstream).hexdigest() == recorded:
        return ""
    changes = "\n    ".join(loa_changes(THEME / name)) or "(no notes: Loa's file replaces Material's wholly)"
    return (f"theme/{name}: Material's {name} changed since 9.8.1, which Loa's override was made from. "
            f"Diff Material's old and new {name}, apply the change to theme/{name} where it still fits, "
            f"re-apply Loa's changes below, then record the new sha256 in tests/test_theme.py:\n    {changes}")


def test_every_override_is_recorded() -> None:
    overrides = {path.relative_to(THEME).as_posix() for path in THEME.rglob("*.html")
                 if (material_templates() / path.relative_to(THEME)).is_file()}
    assert overrides == set(MATERIAL_9_8_1)


@pytest.mark.parametrize("name", sorted(MATERIAL_9_8_1))
def test_overridden_material_template_is_unchanged(name: str) -> None:
    problem = review(name, (material_templates() / name).read_bytes(), MATERIAL_9_8_1[name])
    assert not problem, problem


def test_a_changed_upstream_template_names_the_loa_changes() -> None:
    problem = review("base.html", b"<html>Material 9.9</html>", MATERIAL_9_8_1["base.html"])
    assert problem.startswith("theme/base.html: Material's base.html changed since 9.8.1")
    assert "1. the drawer and search toggles" in problem
    assert "loa: 6. Material's stylesheets as the installed package names them" in problem


def test_material_stylesheets_exist_in_the_installed_package() -> None:
    found = material_stylesheets()
    assert set(found) == {"main", "palette"}
    for path in found.values():
        assert (material_templates() / path).is_file(), path


def test_no_template_writes_a_material_file_name_with_its_hash() -> None:
    hashed = re.compile(r"['\"]assets/[\w/]+\.[0-9a-f]{8}\.min\.css")
    found = [f"{path.relative_to(THEME)}: {m.group(0)}" for path in THEME.rglob("*.html")
             for m in hashed.finditer(path.read_text(encoding="utf-8"))]
    assert not found


def test_pages_link_the_stylesheets_that_are_in_the_site(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    page = (tiny_site / "site" / "vi" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    # Loa's copy of Material's main stylesheet (loa/render/css.py); palette's too when mkdocs.yml has a palette
    assert [link for link in links if re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css", link)]
    for path in links:
        assert (tiny_site / "site" / "vi" / path).is_file(), path


def test_material_strings_fall_back_along_the_chain_as_materials_macros_do() -> None:
    """`lang.t` (theme/partials/language.html) is read once per language in Python: for every key of
    Material's strings it gives what the macros of the language, its fallback and English give."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(THEME), str(material_templates())]))
    t = material_strings(env, ("hmn", "vi", "en"))
    macros = [env.get_template(f"partials/languages/{code}.html").module.t for code in ("hmn", "vi", "en")]
    keys = re.findall(r'^  "([\w.]+)":', (material_templates() / "partials/languages/en.html").read_text("utf-8"), re.M)
    assert len(keys) > 50
    for key in [*keys, "no.such.key"]:
        assert t(key) == next((str(found) for macro in macros if (found := macro(key))), key), key
    assert t("language") == "hmn" and t("action.skip") == macros[1]("action.skip") != macros[2]("action.skip")


def test_markup_rendered_once_per_depth_links_from_every_depth(tiny_site: Path, build_site: BuildSite) -> None:
    """Stylesheets, scripts, the search form and the hotline bar are rendered once per key (`loa_fragment`,
    theme/README.md): pages at every depth, and the 404 page, still link files that exist."""
    build_site(tiny_site)
    site = tiny_site / "site"
    for page in ("vi/index.html", "vi/search/index.html", "vi/drowning/ten-actions/index.html",
                 "en/topics/drowning-prevention/index.html", "vi/404.html"):
        html = (site / page).read_text(encoding="utf-8")
        links = re.findall(r'<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"', html)
        links += re.findall(r'<form class="loa-search[^>]* action="([^"]+)"', html)
        assert len(links) >= 6, page
        for link in links:
            # relative, as MkDocs writes them (the 404 page: from the host's root)
            assert page.endswith("404.html") or not link.startswith("/"), f"{page}: {link}"
            target = link if link.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            found = site / target.lstrip("/")
            assert found.is_file() or (found / "index.html").is_file(), f"{page}: {link}"
