"""Loa speaks the officer's language (loa/messages.py): the catalogs are complete, the language is
chosen as the README says, and a broken project gets the same positions and exit code in Vietnamese
as in English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO, TINY_SITE, TODAY, write_tree
from loa import messages
from loa.cli import choose_messages, main
from loa.pipeline import Options, check_site

LOCALE = REPO / "loa" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(path: Path, lang: str | None = None) -> dict[object, object]:
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    return {message.id: message for message in catalog if message.id}


def _in_code() -> set[object]:
    found: set[object] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO / "loa"), [("**.py", "python")]):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_catalog_pot_holds_every_message_of_the_code() -> None:
    """`make messages` was run: the template has exactly the messages the code gives to `_`/`ngettext`/`N_`."""
    template = {key if isinstance(key, str) else tuple(key) for key in _catalog(LOCALE / "loa.pot")}
    code = _in_code()
    assert code - template == set(), "new messages: run `make messages` and translate them"
    assert template - code == set(), "messages gone from the code: run `make messages`"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalog_has_every_message_of_the_template(lang: str) -> None:
    template = set(_catalog(LOCALE / "loa.pot"))
    assert set(_catalog(LOCALE / lang / "LC_MESSAGES" / "loa.po", lang)) == template


def test_catalog_vi_translates_everything_with_the_same_placeholders() -> None:
    untranslated, fuzzy, mismatched = [], [], []
    for key, message in _catalog(LOCALE / "vi" / "LC_MESSAGES" / "loa.po", "vi").items():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        if not all(form.strip() for form in forms):
            untranslated.append(key)
        if message.fuzzy:  # type: ignore[attr-defined]
            fuzzy.append(key)
        ids = key if isinstance(key, tuple) else (key,)
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in ids)) - {"n"}
        for form in forms:
            if set(PLACEHOLDER.findall(form)) - {"n"} != wanted or ("%(n)" in str(key) and "%(n)" not in form):
                mismatched.append((key, form))
    assert untranslated == [] and fuzzy == [] and mismatched == []


def test_messages_in_vietnamese_fill_their_placeholders_in_their_own_order() -> None:
    messages.use("vi")
    assert messages._("%(label)s: '%(value)s' is not allowed", label="status", value="x") == \
        "status: không dùng được giá trị 'x'"
    assert messages.ngettext("%(n)s error", "%(n)s errors", 1) == "1 lỗi"
    messages.use("en")
    assert messages.ngettext("%(n)s error", "%(n)s errors", 1) == "1 error"
    assert messages.ngettext("%(n)s error", "%(n)s errors", 2) == "2 errors"


def test_the_language_is_the_option_else_the_environment_else_the_project_else_english(tmp_path: Path) -> None:
    vi_project = write_tree(tmp_path / "vi", dict(TINY_SITE))
    en_project = write_tree(tmp_path / "en", {"mkdocs.yml": TINY_SITE["mkdocs.yml"].replace(
        "default_language: vi", "default_language: en")})
    hmn_project = write_tree(tmp_path / "hmn", {"mkdocs.yml": TINY_SITE["mkdocs.yml"].replace(
        "default_language: vi", "default_language: hmn")})
    assert choose_messages(["check", "--root", str(vi_project)], {}) == "vi"
    assert choose_messages(["check", "--root", str(en_project)], {}) == "en"
    assert choose_messages(["check", "--root", str(hmn_project)], {}) == "en"  # no catalog for Hmong yet
    assert choose_messages(["check", "--root", str(tmp_path / "none")], {}) == "en"  # no mkdocs.yml
    assert choose_messages(["check", "--root", str(vi_project)], {"LOA_MESSAGES": "en"}) == "en"
    assert choose_messages(["check", "--root", str(en_project)], {"LOA_MESSAGES": "vi"}) == "vi"
    assert choose_messages(["--messages", "en", "check", "--root", str(vi_project)], {"LOA_MESSAGES": "vi"}) == "en"
    assert choose_messages(["check", "--messages=vi", "--root", str(en_project)], {}) == "vi"


def test_an_unknown_message_language_is_a_usage_error(tiny_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(tiny_site), "--messages", "fr"]) == 2
    assert capsys.readouterr().err == "build.py: error: --messages: no messages in 'fr' (Loa speaks: en, vi)\n"


def _broken(tmp_path: Path) -> Path:
    files = dict(TINY_SITE)
    files["campaigns/safe-summer.yml"] = files["campaigns/safe-summer.yml"].replace(
        "end: 2027-08-31", "end: 2027-02-30").replace("topics: [drowning-prevention]", "topics: [drowning]") \
        .replace("status: published", "status: publishd")
    return write_tree(tmp_path / "project", files)


def _check(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != messages.ENVIRONMENT}
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, timeout=300, env={**environ, **(env or {})})


ENGLISH = [
    "campaigns/safe-summer.yml:3:9: error: status: 'publishd' is not allowed (did you mean 'published'? "
    "known: archived, draft, published)",
    "campaigns/safe-summer.yml:4:34: error: period.end: '2027-02-30' is not a real date "
    "(day is out of range for month) (check the day and the month)",
    "campaigns/safe-summer.yml:5:10: error: topics[0]: unknown topic 'drowning' (known: drowning-prevention)",
    "content/vi/drowning/checklist.md:1:1: warning: no 'en' translation; readers get the vi version "
    "(add content/en/drowning/checklist.md, or mark the language 'partial: true' in mkdocs.yml)",
    "3 errors, 1 warning; nothing was written",
]
VIETNAMESE = [
    "campaigns/safe-summer.yml:3:9: error: status: không dùng được giá trị 'publishd' (có phải ý bạn là "
    "'published'? các giá trị có: archived, draft, published)",
    "campaigns/safe-summer.yml:4:34: error: period.end: '2027-02-30' không phải ngày có thật "
    "(day is out of range for month) (hãy kiểm tra ngày và tháng)",
    "campaigns/safe-summer.yml:5:10: error: topics[0]: không có chủ đề 'drowning' "
    "(các giá trị có: drowning-prevention)",
    "content/vi/drowning/checklist.md:1:1: warning: chưa có bản dịch 'en'; người đọc sẽ thấy bản vi "
    "(hãy thêm content/en/drowning/checklist.md, hoặc ghi 'partial: true' cho ngôn ngữ này trong mkdocs.yml)",
    "3 lỗi, 1 cảnh báo; chưa ghi gì",
]


def test_a_broken_campaign_in_both_languages_same_positions_and_exit_code(tmp_path: Path) -> None:
    root = _broken(tmp_path)
    english = _check(root, "--messages", "en")
    assert (english.returncode, english.stderr.splitlines()) == (1, ENGLISH)
    # the project's language (vi) without an option or environment
    vietnamese = _check(root)
    assert (vietnamese.returncode, vietnamese.stderr.splitlines()) == (1, VIETNAMESE)
    assert _check(root, env={"LOA_MESSAGES": "vi"}).stderr.splitlines() == VIETNAMESE
    assert _check(root, "--messages", "en", env={"LOA_MESSAGES": "vi"}).stderr.splitlines() == ENGLISH
    # what scripts read is the same in both: position, severity word, exit code
    assert [line.split(": ", 2)[:2] for line in english.stderr.splitlines()[:-1]] == \
        [line.split(": ", 2)[:2] for line in vietnamese.stderr.splitlines()[:-1]]


def test_saved_parses_are_said_again_in_the_new_language(tiny_site: Path) -> None:
    """The parse cache keeps the lint's problems as text (loa/load/parsecache.py): a run in another
    language lints again."""
    material = tiny_site / "content/vi/drowning/checklist.md"
    material.write_text(material.read_text(encoding="utf-8") + "\n# Một tiêu đề cấp 1\n", encoding="utf-8")
    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tiny_site / ".loa-cache")
    heading = [str(p).split(": ", 2)[2] for p in check_site(options)[1] if "level-1" in str(p) or "cấp 1" in str(p)]
    assert heading == ["a level-1 heading in the text; the title is already the page's heading (start the text's "
                       "headings at ##)"]
    assert (tiny_site / ".loa-cache" / "parsed.json").is_file()
    messages.use("vi")
    heading = [str(p).split(": ", 2)[2] for p in check_site(options)[1] if "level-1" in str(p) or "cấp 1" in str(p)]
    assert heading == ["bài có tiêu đề cấp 1; tên bài đã là tiêu đề của trang (hãy bắt đầu các tiêu đề trong bài "
                       "từ ##)"]


def test_usage_errors_and_help_in_vietnamese(tiny_site: Path) -> None:
    result = _check(tiny_site, "--today", "tomorrow")
    assert (result.returncode, result.stderr) == (
        2, "build.py: error: --today: 'tomorrow' không phải ngày dạng YYYY-MM-DD\n")
    helped = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(tiny_site), "check", "--help"],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "LOA_MESSAGES": "vi"})
    assert helped.stdout.startswith("cách dùng: build.py check")
    assert "tùy chọn:" in helped.stdout and "chỉ dựng các ngôn ngữ này, ví dụ vi,en" in helped.stdout
    bad = subprocess.run([sys.executable, str(REPO / "build.py"), "--messages", "vi", "check", "--jobs", "x"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("cách dùng: build.py")
    assert "build.py check: error:" in bad.stderr  # argparse's own message, its "error:" kept


def test_processes_started_later_speak_the_chosen_language() -> None:
    messages.use("vi")
    child = subprocess.run([sys.executable, "-c", "from loa import messages; print(messages.current())"],
                           capture_output=True, text=True, cwd=REPO, timeout=60)
    assert child.stdout == "vi\n"


def test_the_report_labels_its_columns_in_the_language_of_the_messages(tiny_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", "--root", str(tiny_site), "--out", str(out), "--messages", "vi", "--labels",
                 "--today", "2026-12-01"]) == 0
    assert (out / "reviews.csv").read_text(encoding="utf-8").splitlines()[:2] == [
        "material,reviewed,review_every,due,state",  # the keys, stable for scripts
        "tài liệu,ngày kiểm tra,kiểm tra lại sau (tháng),đến hạn,tình trạng"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and "<h1>Báo cáo Loa, ngày 2026-12-01</h1>" in page
    assert '<th scope="col">chiến dịch</th>' in page and "<td>safe-summer</td><td>kênh</td><td>trang web</td>" in page
    assert main(["report", "--root", str(tiny_site), "--out", str(out), "--messages", "en"]) == 0
    assert (out / "reviews.csv").read_text(encoding="utf-8").splitlines()[1].startswith("drowning/")  # no labels


def test_serve_overlay_speaks_the_chosen_language(tiny_site: Path) -> None:
    from test_serve import free_port, status, wait_for

    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(tiny_site),
                                "--port", str(port), "--today", "2026-12-01", "--messages", "vi"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        def up() -> bool:
            try:
                return bool(status(base))
            except OSError:
                assert process.poll() is None
                return False
        wait_for(up)
        material = tiny_site / "content/en/drowning/ten-actions.md"
        material.write_text(material.read_text(encoding="utf-8").replace("type: fact-sheet", "type: factsheet"),
                            encoding="utf-8")
        wait_for(lambda: status(base)["problems"])
        said = status(base)
        assert said["title"] == "Loa: lần lưu vừa rồi có vấn đề (trang đang hiện bản dựng trước):"
        assert said["lang"] == "vi"
        assert isinstance(said["problems"], list)
        assert said["problems"][0] == (
            "content/en/drowning/ten-actions.md:4:7: error: type: không dùng được giá trị 'factsheet' "
            "(có phải ý bạn là 'fact-sheet'? các giá trị có: checklist, fact-sheet, faq, guide, lesson-plan, page, "
            "poster, story)")
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "đang mở tại http://127.0.0.1:" in output


def test_a_changed_catalog_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled catalog kept beside the `.po` is named by its digest: an edited `.po` is never read stale."""
    po = tmp_path / "vi" / "LC_MESSAGES" / "loa.po"
    po.parent.mkdir(parents=True)
    monkeypatch.setattr(messages, "LOCALE", tmp_path)
    header = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
              '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')
    for wording in ("đã dừng", "đã dừng lại"):
        po.write_text(header + f'msgid "stopped"\nmsgstr "{wording}"\n', encoding="utf-8")
        messages._catalog.cache_clear()
        messages.use("vi")
        assert messages._("stopped") == wording
    assert [path.name for path in po.parent.glob(".loa-*.mo")] == [f".loa-{messages._digest(po)}.mo"]
    messages._catalog.cache_clear()
    assert messages._("stopped") == "đã dừng lại"  # read back from the compiled file
    messages._catalog.cache_clear()


def test_new_speaks_vietnamese_in_its_lines_and_its_file(tiny_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "material", "drowning/pond-safety", "--root", str(tiny_site), "--messages", "vi"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "đã ghi content/vi/drowning/pond-safety.md"
    assert out.splitlines()[1] == "việc cần điền tiếp:"
    assert out.splitlines()[-1].startswith("rồi chạy 'python build.py check' (còn ")
    assert "content/vi/drowning/pond-safety.md:2:8: error: title: không được để trống" in err.splitlines()
    text = (tiny_site / "content/vi/drowning/pond-safety.md").read_text(encoding="utf-8")
    assert "# các chủ đề có: drowning-prevention\n" in text and "# các đối tượng có: families\n" in text
