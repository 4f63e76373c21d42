"""`annot report`: one self-contained HTML page, checked as text and as a browser renders it.

The browser is Debian's chromium, driven by Playwright (never `playwright install`); .ci/run
installs it. The screenshot of the rendered page is kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, PROJECT, SEED_ID, seed_with

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT / "tests" / "artifacts"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
SLOW = 90_000  # ms: a shared machine under load can take this long to lay the network out
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)|url\(\s*["']?\s*(?:https?:|//)""", re.I)


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))


@pytest.fixture
def page_of():
    """Open an HTML file in headless Chromium; every request it makes is recorded."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium; .ci/run does)")
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        opened = []

        def open_page(path: Path):
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.set_default_timeout(SLOW)
            page.requests, page.errors = [], []
            page.on("request", lambda request: page.requests.append(request.url))
            page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            page.goto(path.as_uri())
            opened.append(page)
            return page

        try:
            yield open_page
        finally:
            browser.close()


def test_the_report_is_one_file_that_names_no_network(run, examples: Path) -> None:
    result = run("report", cwd=examples)
    assert (result.exit_code, result.stdout) == (0, "wrote report.html: 11 events\n")
    page = (examples / "report.html").read_text("utf-8")
    assert EXTERNAL.search(page) is None
    assert "default-src 'none'" in page  # the browser itself refuses any request
    assert page.count("<script") == 2 and '<link' not in page  # the data, and the inlined layout
    assert page.count('<article class="event"') == 11
    assert ">unknown</th><td class=\"n\">6</td>" in page  # events without a place


def test_the_external_url_check_can_fail() -> None:
    for bad in ('<img src="https://x.org/a.png">', "<a href='//x.org'>", "background: url(http://x.org)"):
        assert EXTERNAL.search(bad), bad


def test_an_existing_report_is_not_replaced_without_force(run, examples: Path) -> None:
    (examples / "report.html").write_text("mine")
    result = run("report", cwd=examples)
    assert result.exit_code == 2 and "not overwritten" in result.stderr
    assert (examples / "report.html").read_text() == "mine"
    assert run("report", "--force", "--type", "consult", cwd=examples).stdout == (
        "wrote report.html: 1 event\n")


def test_the_report_renders_in_a_browser(run, examples: Path, page_of) -> None:
    assert run("report", "-o", "page.html", cwd=examples).exit_code == 0
    page = page_of(examples / "page.html")
    page.wait_for_selector('#graph[data-settled="yes"]', timeout=SLOW)
    names = page.locator("#graph g.node").evaluate_all("els => els.map(e => e.dataset.name)")
    assert sorted(names) == ["Abdoulaye Diop", "Nick Checker"]
    assert page.locator("#graph line").count() == 1
    assert page.locator("#graph line title").text_content() == "Abdoulaye Diop met Nick Checker: 1 time"

    diop = page.locator('#graph g.node[data-name="Abdoulaye Diop"] circle')
    diop.hover()
    assert page.locator("#tip").is_visible()
    assert page.locator("#tip").text_content() == "Abdoulaye Diop: 1 meeting with 1 party"

    before = page.locator('#graph g.node[data-name="Abdoulaye Diop"]').get_attribute("transform")
    box = diop.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 150, box["y"] + 120, steps=8)
    page.mouse.up()
    after = page.locator('#graph g.node[data-name="Abdoulaye Diop"]').get_attribute("transform")
    assert after != before

    timeline = page.locator("#timeline tbody th").all_text_contents()
    assert timeline == ["2005", "2012", "2025", "2026", "2026-02"]
    assert page.locator("#places tbody th").all_text_contents() == ["Bamako, MLI", "MLI", "unknown"]
    assert page.locator("#topics tbody th").first.text_content() == "diplomatic"

    seed = page.locator(f"#event-{SEED_ID}")
    assert seed.locator("h3").text_content() == "2026-02-02 Bamako, MLI: Nick Checker visited Abdoulaye Diop"
    source = seed.locator(".source mark").first
    assert not source.is_visible()  # the article is folded until asked for
    seed.locator("details summary").click()
    assert source.is_visible() and source.text_content() == "Le 2 février 2026"
    assert source.get_attribute("title") == "/date"
    marked = seed.locator(".source mark").all_text_contents()
    assert "en présence de l’ambassadrice des États-Unis au Mali" in marked  # the article's own apostrophe
    seed.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert page.requests == [(examples / "page.html").as_uri()]
    assert page.errors == []


def test_markup_in_a_record_is_shown_as_text(run, repo: Path, page_of) -> None:
    hostile = '<script>document.title="owned"</script><img src=x onerror="document.title=1">'
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("name: Abdoulaye Diop", f"name: '{hostile}'"),
        ("summary: ", f"summary: |-\n  </script><b>bold</b> {hostile} "),
    ), "utf-8")
    result = run("report", cwd=repo)
    assert result.exit_code == 0, result.stderr
    text = (repo / "report.html").read_text("utf-8")
    assert hostile not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;document.title=&quot;owned&quot;&lt;/script&gt;" in text
    page = page_of(repo / "report.html")
    page.wait_for_selector("#graph g.node")
    assert page.title() == "annot report: 1 event"
    assert page.locator("img").count() == 0 and page.locator("b").count() == 0
    assert page.locator("script").count() == 2
    assert hostile in page.locator("#graph").evaluate("g => g.textContent")
    assert hostile in page.locator(f"#event-{SEED_ID} h3").text_content()
    assert page.errors == []


def test_control_characters_in_a_record_are_shown_as_escapes(run, repo: Path) -> None:
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("name: Abdoulaye Diop", 'name: "Diop\\e[31mRED\\e]0;title\\a\\u202e"')), "utf-8")
    result = run("report", cwd=repo)
    assert result.exit_code == 0, result.stderr
    text = (repo / "report.html").read_text("utf-8")
    assert not {"\x1b", "\x07", "\u202e"} & set(text)
    assert "Diop\\x1b[31mRED\\x1b]0;title\\x07\\u202e" in text


@pytest.mark.skipif(not os.environ.get("CI") and not CHROMIUM.exists(), reason="no chromium here")
def test_ci_installs_the_browser() -> None:
    ci = (PROJECT / ".ci" / "run").read_text("utf-8")
    assert "apt-get install" in ci and "chromium" in ci


def test_a_long_article_is_shown_around_its_quotes(monkeypatch) -> None:
    from annot import report

    monkeypatch.setattr(report, "WHOLE", 20)
    monkeypatch.setattr(report, "AROUND", 3)
    text = "aaaa bbbb <q> cccc dddd eeee ffff gggg"
    assert report._marked(text, [(10, 13, "/x"), (34, 38, "/y")]) == (
        'bb <mark title="/x">&lt;q&gt;</mark> cc … ff <mark title="/y">gggg</mark>')
    assert report._marked("x" * 30, []) == "xxx … "
    assert report._marked("ab cd", [(0, 5, "/a"), (3, 5, "/b")]) == (
        '<mark title="/a">ab </mark><mark title="/a, /b">cd</mark>')


def test_an_event_without_its_article_lists_its_quotes(run, repo: Path) -> None:
    (repo / "events" / f"{SEED_ID}.yaml").write_text(seed_with(
        ("  text: sources/mali-usa-audience-2026-02-02.fr.txt", "  url: https://example.org/a")), "utf-8")
    result = run("report", cwd=repo)
    assert result.exit_code == 0, result.stderr
    page = (repo / "report.html").read_text("utf-8")
    assert page.count('<span class="missing">(not found in the source text)</span>') == 4
    assert '<details>' not in page and '<p class="meta">https://example.org/a</p>' in page
    assert "No meeting among these events." not in page
