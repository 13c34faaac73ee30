"""Build-time content checks: the writer gets file and line before any browser runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import pytest

from conftest import MATERIAL_EN, TINY_SITE, TODAY, BuildSite, write_tree
from loa.check.fences import code_lines, mask_code
from loa.check.lint import lint_translation
from loa.errors import ContentError, Report
from loa.model import Translation
from loa.pipeline import Options, check
from loa.render.config import mkdocs_config

PATH = "content/en/drowning/ten-actions.md"
BODY_START = MATERIAL_EN.count("\n") + 1  # first line after the original text


def findings(tmp_path: Path, extra: str, files: dict[str, str] | None = None) -> list[str]:
    tree = {**TINY_SITE, PATH: MATERIAL_EN + extra, **(files or {})}
    root = write_tree(tmp_path / "project", tree)
    try:
        result = check(Options(root=root, out=root / "site", today=TODAY))
        problems = list(result.warnings)
    except ContentError as error:
        problems = error.problems
    return [str(p) for p in problems if p.position.path == PATH]


def test_image_without_alt_is_an_error_unless_decorative(tmp_path: Path) -> None:
    assert findings(tmp_path, "![](../images/x.svg)\n![](../images/x.svg){ .decorative }\n<img src=\"x.svg\">\n") == [
        f"{PATH}:{BODY_START}:1: error: image '../images/x.svg' has no alt text "
        "(describe what it shows in [...], or mark it decorative: ![](...){ .decorative })",
        f"{PATH}:{BODY_START + 2}:1: error: <img> without alt attribute "
        "(add alt=\"what it shows\", or alt=\"\" if it is decorative)",
    ]


def test_heading_levels_must_not_skip(tmp_path: Path) -> None:
    assert findings(tmp_path, "#### Too deep\n\n# Title again\n") == [
        f"{PATH}:{BODY_START}:1: warning: heading level skips from h2 to h4 (use ### here)",
        f"{PATH}:{BODY_START + 2}:1: warning: a level-1 heading in the text; the title is already the page's "
        "heading (start the text's headings at ##)",
    ]


@pytest.mark.parametrize("text", ["click here", "here", "xem tại đây", "Bấm vào đây", "read more"])
def test_vague_link_text(tmp_path: Path, text: str) -> None:
    assert findings(tmp_path, f"To learn more, [{text}](checklist.md).\n") == [
        f"{PATH}:{BODY_START}:16: warning: link text '{text}' does not say where it goes "
        "(use the name of the page or document as the link text)",
    ]


def test_bad_lang_attribute(tmp_path: Path) -> None:
    assert findings(tmp_path, '<span lang="Vietnamese">Trẻ em</span> and <span lang="vi">trẻ em</span>\n') == [
        f"{PATH}:{BODY_START}:7: error: lang=\"Vietnamese\" is not a BCP 47 language tag "
        "(use a lowercase code such as vi, en or hmn)",
    ]


def test_tables_need_headers(tmp_path: Path) -> None:
    extra = "<table><tr><td>a</td></tr></table>\n\n|  |  |\n|---|---|\n| a | b |\n"
    assert findings(tmp_path, extra) == [
        f"{PATH}:{BODY_START}:1: warning: table without header cells (<th>) "
        "(write it as a Markdown table, whose first row is the header)",
        f"{PATH}:{BODY_START + 2}:1: warning: table with an empty header row (name each column in the first row)",
    ]


def test_download_links_say_format_and_size(tmp_path: Path) -> None:
    files = {"content/en/drowning/poster.pdf": "%PDF-1.4\n" + "x" * 3000}
    extra = "[The poster](poster.pdf) and [the poster (PDF, 3 KB)](poster.pdf)\n"
    assert findings(tmp_path, extra, files) == [
        f"{PATH}:{BODY_START}:1: warning: download link 'The poster' does not say its format and size "
        "(add them to the link text, e.g. [The poster (PDF, 3 KB)](poster.pdf))",
    ]


def test_code_blocks_are_not_checked(tmp_path: Path) -> None:
    assert findings(tmp_path, "```\n![](x.svg)\n[here](x.md)\n```\n") == []


# --- The lint and the renderer agree on what is code -------------------------------------------------------

MARK = "<b>MARK</b>"
# (name, Markdown holding MARK, whether CommonMark readers take MARK as code)
CODE_CASES = [
    ("fence", f"```\n{MARK}\n```\n", True),
    ("fence with a language", f"```html\n{MARK}\n```\n", True),
    ("info string of two words", f"```html run\n{MARK}\n```\n", True),
    ("fence with attributes", f"```{{.html}}\n{MARK}\n```\n", True),
    ("tilde fence", f"~~~\n{MARK}\n~~~\n", True),
    ("longer fence holding a shorter one", f"````md\n```\n{MARK}\n```\n````\n\nafter\n", True),
    ("fence in a list item", f"- item\n\n    ```\n    {MARK}\n    ```\n", True),
    ("fence in a tight list item", f"- item\n    ```html\n    {MARK}\n    ```\n", True),
    ("fence in an ordered list item", f"1. item\n\n    ```\n    {MARK}\n    ```\n", True),
    ("fence indented 2 under a list item", f"- item\n\n  ```\n  {MARK}\n  ```\n", True),
    ("fence in a quote", f"> ```\n> {MARK}\n> ```\n", True),
    ("fence indented 3 under an ordered list item", f"1. Step\n\n   ```html\n   {MARK}\n   ```\n", True),
    ("fence indented with a tab in a list item", f"- item\n\n\t```\n\t{MARK}\n\t```\n", True),
    ("fence in a nested list item", f"- a\n    - b\n\n        ```\n        {MARK}\n        ```\n", True),
    ("code indented less than its fence", f"- item\n\n    ```\n  {MARK}\n    ```\n", True),
    ("fence with a backtick in its info string", f"``` a`b\n{MARK}\n```\n", False),
    ("fence in an admonition", f"!!! note\n    ```\n    {MARK}\n    ```\n", True),
    ("fence right after a paragraph", f"Text\n```\n{MARK}\n```\n", True),
    ("fence on the list marker's line", f"- ```\n  {MARK}\n  ```\n", True),
    ("indented fence, code not indented", f"  ```\n{MARK}\n  ```\n", True),
    ("closing fence longer than the opening", f"```\n{MARK}\n````\n", True),
    ("fence never closed", f"```\n{MARK}\n\nmore text\n", True),
    ("shorter fence does not close a longer one", f"````\n```\n{MARK}\n", True),
    ("inline code", f"Dùng thẻ `{MARK}` để chèn ảnh.\n", True),
    ("inline code with double backticks", f"A `` ` {MARK} `` here.\n", True),
    ("inline code in a heading", f"## The `{MARK}` tag\n", True),
    ("inline code in a table cell", f"| a | b |\n|---|---|\n| `{MARK}` | c |\n", True),
    ("inline code in md_in_html", f"<div markdown>\n\n`{MARK}`\n\n</div>\n", True),
    ("a lone backtick", f"One ` then {MARK}\n", False),
    ("escaped backticks", f"\\`{MARK}\\`\n", False),
    ("backticks in raw HTML", f"<div>\n`{MARK}`\n</div>\n", False),
    ("code span across lines, then markup", f"a `b\nc` {MARK} `d`\n", False),
    ("plain text", f"Just {MARK} text.\n", False),
]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Python-Markdown exactly as MkDocs builds it for a page, with Loa's MkDocs settings."""
    root = write_tree(tmp_path_factory.mktemp("renderer") / "project", dict(TINY_SITE))
    plan = check(Options(root=root, out=root / "site", today=TODAY)).plan.languages[0]
    (root / "docs").mkdir()
    config = mkdocs_config(root, plan, root / "site", root / "docs")
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def rendered_as_code(renderer: Any, text: str) -> bool:
    html = renderer.reset().convert(text)
    live, escaped = MARK in html, "&lt;b&gt;MARK&lt;/b&gt;" in html
    assert live != escaped, html
    return escaped


def lint_of(text: str) -> tuple[bool, list[str]]:
    """The lint's idea of whether MARK is code, and what it reports."""
    report = Report()
    translation = Translation(lang="en", title="t", summary="", body=text, body_line=1, path=Path("x.md"), shown="x.md")
    lint_translation(translation, {}, report)
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if MARK in line)
    masked = mask_code(lines, code_lines(text))[row]
    return MARK not in masked, [str(p) for p in report.problems]


@pytest.mark.parametrize(("name", "text", "commonmark"), CODE_CASES, ids=[case[0] for case in CODE_CASES])
def test_lint_finds_code_where_the_renderer_does(renderer: Any, name: str, text: str, commonmark: bool) -> None:
    is_code, problems = lint_of(text)
    rendered = rendered_as_code(renderer, text)
    fence_errors = [problem for problem in problems if "is not read as a code fence" in problem]
    # They agree; where they cannot (a CommonMark fence that the renderer reads as a code span over
    # several lines), the lint checks it as markup, and `check` reports the fence: never the reverse.
    assert is_code == rendered or (rendered and fence_errors)
    if commonmark and not rendered:  # what CommonMark readers expect as code is code, or reported
        assert fence_errors, problems
    if is_code or not commonmark:
        assert not fence_errors, problems


def test_fences_the_renderer_takes_are_code(renderer: Any) -> None:
    # The cases of the issue render as code now, not as live HTML.
    for text in (f"```html run\n{MARK}\n```\n", f"- item\n\n    ```\n    {MARK}\n    ```\n",
                 f"````\n```\n{MARK}\n```\n````\n", f"~~~\n{MARK}\n~~~\n"):
        assert rendered_as_code(renderer, text), text


def test_a_fence_not_read_as_one_is_an_error(tmp_path: Path) -> None:
    assert findings(tmp_path, "  ```\n<b>x</b>\n  ```\n") == [
        f"{PATH}:{BODY_START + n}:3: error: this ``` line is not read as a code fence: the lines around it would show "
        "as page text, and any HTML in them would run (open and close a code block with the same fence on lines of "
        "their own, after an empty line and at the same indent (4 spaces in a list item), and indent each line of "
        "code at least as much)" for n in (0, 2)]


def test_inline_code_is_not_linted_as_html(tmp_path: Path) -> None:
    assert findings(tmp_path, "Dùng thẻ `<img>` để chèn ảnh, `<script>` và `[here](x.md)`.\n") == []


def test_a_longer_fence_holds_a_shorter_one(tmp_path: Path) -> None:
    # The ``` line inside does not end the block, and the text after it is checked again.
    assert findings(tmp_path, "````md\n```\n<img src=\"x.svg\">\n```\n````\n\n<img src=\"x.svg\">\n") == [
        f"{PATH}:{BODY_START + 6}:1: error: <img> without alt attribute "
        "(add alt=\"what it shows\", or alt=\"\" if it is decorative)",
    ]


# --- Raw HTML: nothing runs, nothing is embedded, nothing loads from another host --------------------------

IMAGE_HINT = "put the image in content/ and use a relative path"
MEDIA_HINT = "link to the video instead, or put the file in content/"


@pytest.mark.parametrize(("text", "expected"), [
    ('Text <script src="x.js"></script>\n',
     "6: error: <script> in the text would run on the page (remove it: pages run only Loa's own scripts; to show "
     "code, put it in a ``` block)"),
    ('<iframe src="https://www.youtube.com/embed/x" title="A video"></iframe>\n',
     "1: error: <iframe> in the text would put another site or a plug-in inside the page "
     "(link to the video or page instead: [its title](https://...))"),
    ('<object data="game.swf"></object>\n',
     "1: error: <object> in the text would put another site or a plug-in inside the page "
     "(link to the file instead, or put it in content/ and link to it)"),
    ('A <embed src="game.swf">\n',
     "3: error: <embed> in the text would put another site or a plug-in inside the page "
     "(link to the file instead, or put it in content/ and link to it)"),
    ('<p onclick="alert(1)">Hi</p>\n', "1: error: event-handler attribute onclick= in the text would run a script "
     "(remove it)"),
    ('<img src="../images/pool.svg" alt="" onerror="alert(1)">\n',
     "1: error: event-handler attribute onerror= in the text would run a script (remove it)"),
    ('<img src="https://cdn.example.com/a.png" alt="A child">\n',
     f"1: error: <img> loads 'https://cdn.example.com/a.png' from another site ({IMAGE_HINT})"),
    ('<img src="a.png" srcset="a.png 1x, //cdn.example.com/b.png 2x" alt="A child">\n',
     f"1: error: <img> loads '//cdn.example.com/b.png' from another site ({IMAGE_HINT})"),
    ('<link rel="stylesheet" href="https://fonts.example.com/a.css">\n',
     "1: error: <link> loads 'https://fonts.example.com/a.css' from another site "
     "(put the file in content/ and use a relative path)"),
    ('<video controls><source src="https://v.example.com/a.mp4"></video>\n',
     f"17: error: <source> loads 'https://v.example.com/a.mp4' from another site ({MEDIA_HINT})"),
    ('<video src="film.mp4" poster="https://v.example.com/a.jpg"></video>\n',
     f"1: error: <video> loads 'https://v.example.com/a.jpg' from another site ({MEDIA_HINT})"),
    ('<audio src="https://a.example.com/a.mp3"></audio>\n',
     "1: error: <audio> loads 'https://a.example.com/a.mp3' from another site "
     "(link to the recording instead, or put the file in content/)"),
    ("<div style=\"background: url('https://x.example.com/bg.png')\">Hi</div>\n",
     f"1: error: the style of <div> loads 'https://x.example.com/bg.png' from another site ({IMAGE_HINT})"),
    ("Look: ![A chart](https://other.example.com/chart.png)\n",
     f"7: error: image 'https://other.example.com/chart.png' is loaded from another site ({IMAGE_HINT}: "
     "![what it shows](../images/name.png))"),
    ('A paragraph.\n{: onclick="alert(1)" }\n',
     "1: error: event-handler attribute onclick= in the text would run a script (remove it)"),
])
def test_raw_html_that_runs_embeds_or_loads_from_elsewhere_is_an_error(tmp_path: Path, text: str,
                                                                        expected: str) -> None:
    line = BODY_START + text.count("\n") - 1  # each case is on its last line
    assert findings(tmp_path, text) == [f"{PATH}:{line}:{expected}"]


def test_inline_styles_are_a_warning(tmp_path: Path) -> None:
    # the Content-Security-Policy of every page refuses them: the officer must know they do nothing
    hint = "use Markdown (aligned table columns work), or add a class to theme/assets/stylesheets/loa.css"
    text = ('<p style="color: red">Hi</p>\n\nA paragraph.\n{: style="font-weight: bold" }\n\n'
            "<style>p { color: red }</style>\n")
    assert findings(tmp_path, text) == [
        f"{PATH}:{BODY_START}:1: warning: the style of <p> has no effect: the site's Content-Security-Policy "
        f"refuses inline styles ({hint})",
        f"{PATH}:{BODY_START + 3}:1: warning: the style of an attribute list {{: ...}} has no effect: the site's "
        f"Content-Security-Policy refuses inline styles ({hint})",
        f"{PATH}:{BODY_START + 5}:1: warning: <style> has no effect: the site's Content-Security-Policy "
        f"refuses inline styles ({hint})",
    ]


def test_links_and_code_are_not_resources(tmp_path: Path) -> None:
    text = ("See [the WHO page](https://www.who.int/news-room/fact-sheets/detail/drowning) and "
            '<a href="https://www.unicef.org/">UNICEF</a>.\n\n'
            "Write `<iframe src=\"https://x.example.com\">` or `![x](https://x.example.com/a.png)`.\n\n"
            "```html\n<script src=\"https://x.example.com/a.js\"></script>\n```\n\n"
            "Write to <online@example.org> or see <https://online.example.org/?onclick=1>.\n")
    assert findings(tmp_path, text) == []


def test_mkdocs_link_warnings_carry_the_line(tmp_path: Path, build_site: BuildSite) -> None:
    extra = ("\nSee [the missing page](missing.md).\n\nA [section](#no-such-section), [one](checklist.md#nope).\n\n"
             "[Unrecognized](foo/)\n\nA [reference][r].\n\n[r]: missing-too.md\n")
    root = write_tree(tmp_path / "project", {**TINY_SITE, PATH: MATERIAL_EN + extra})
    lines = {p.message.split("contains ")[1].split(",")[0]: p.position.line
             for p in build_site(root).warnings if p.position.path == PATH}
    assert lines == {"a link 'missing.md'": BODY_START + 1, "a link '#no-such-section'": BODY_START + 3,
                     "a link 'checklist.md#nope'": BODY_START + 3,
                     "an unrecognized relative link 'foo/'": BODY_START + 5, "a link 'missing-too.md'": BODY_START + 9}


# --- What sideways scrolling gives keyboard users ------------------------------------------------------------

def test_tables_and_code_blocks_are_focusable_named_regions(tmp_path: Path, build_site: BuildSite) -> None:
    extra = ("\n## Helplines\n\n| Number | When |\n|---|---|\n| 111 | Always |\n\n"
             "<table><caption>Ages &amp; <b>groups</b></caption><tr><th>Age</th></tr></table>\n\n"
             "```html run\n<p>a very long line of code</p>\n```\n\nRight after a line of text:\n```\ncode\n```\nmore\n")
    root = write_tree(tmp_path / "project", {**TINY_SITE, PATH: MATERIAL_EN + extra})
    build_site(root)
    html = (root / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert '<div class="loa-scroll" role="region" tabindex="0" aria-label="Helplines: table (scroll sideways to see ' \
           'all of it)"><table>' in html
    assert '<div class="loa-scroll" role="region" tabindex="0" aria-label="Ages &amp; groups: table (scroll sideways ' \
           'to see all of it)"><table><caption>' in html
    assert html.count('class="loa-scroll"') == 2
    assert '<pre class="highlight"><code tabindex="0" role="region" aria-label="Helplines: code (scroll sideways to ' \
           'see all of it)" class="language-html">&lt;p&gt;' in html
    # the next block under the same heading: names are unique on a page (axe landmark-unique)
    assert 'aria-label="Helplines: code (scroll sideways to see all of it) (2)">code</code>' in html
    # a fence may interrupt a paragraph (CommonMark): the paragraph ends before the block, as HTML requires
    assert '<p>Right after a line of text:</p>\n<pre class="highlight"><code tabindex="0"' in html
    assert '</code></pre>\n<p>\nmore</p>' in html


def test_attributes_on_a_fence_and_images_by_reference_are_checked(tmp_path: Path) -> None:
    text = ('```{.html onclick="alert(1)"}\n<b>code</b>\n```\n\n![A chart][chart]\n\n'
            "[chart]: https://other.example.com/chart.png\n")
    assert findings(tmp_path, text) == [
        f"{PATH}:{BODY_START}:4: error: event-handler attribute onclick= in the text would run a script (remove it)",
        f"{PATH}:{BODY_START + 4}:1: error: image 'https://other.example.com/chart.png' is loaded from another site "
        f"({IMAGE_HINT}: ![what it shows](../images/name.png))",
    ]
