"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright).

``.ci/run`` installs chromium (and the fixture does, as root, if it is missing); the
screenshot of the seed report is kept as a test artifact in ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from typer.testing import CliRunner

from dedup.cli import app

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"


def _chromium() -> str | None:
    """Return Debian's chromium, installing it first when we can (root with apt-get)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "chromium"],
            env=env,
            capture_output=True,
            check=False,
        )
        found = shutil.which("chromium")
    return found


FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = (
    'Watch out: <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> '
    "this paragraph must be shown as text and never run."
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = _chromium()
    if chromium is None:
        pytest.fail("chromium is not installed and could not be: apt-get install chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield b
        b.close()


def _report(tmp_path: Path, *paths: str) -> Path:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["diff", *paths, "--html", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    return out


def test_seed_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    report = _report(tmp_path, str(REPO / "seeds" / "ukraine-live-blog.txt"))
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing external
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())

    removals = page.locator(".removal")
    assert removals.count() == 2
    assert page.locator(".removal.kind-exact .badge").inner_text() == "exact 1.00"
    assert page.locator(".removal.kind-near .badge").inner_text() == "near 0.83"
    assert "Mr Rubio" in page.locator(".removal.kind-near ins").inner_text()
    assert page.locator(".removal.kind-near del").inner_text() == "he"
    # Every in-page link resolves to an element.
    hrefs = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs
    for href in hrefs:
        assert page.locator(href).count() == 1, href
    # The removed exact repeat links to its kept twin, line 6.
    page.locator(".removal.kind-exact a.twin-link").click()
    assert page.evaluate("location.hash") == "#d0-p6"
    # Navigation and filter work.
    page.locator("#next").click()
    assert page.locator(".removal.current").count() == 1
    assert page.locator("#position").inner_text() == "1 / 2"
    page.locator("input[data-kind=exact]").uncheck()
    assert page.locator(".removal.kind-exact").is_hidden()
    page.locator("input[data-kind=exact]").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-report.png"), full_page=True)
    assert errors == []
    page.close()


def test_script_in_a_paragraph_is_shown_not_run(browser: Browser, tmp_path: Path) -> None:
    doc = tmp_path / "evil.md"
    doc.write_text(f"{EVIL}\n\nSomething else.\n\n{EVIL}\n", encoding="utf-8")
    report = _report(tmp_path, str(doc))
    page = browser.new_page()
    page.goto(report.as_uri())
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned = 1</script>" in page.locator(".removal").inner_text()
    page.close()


def test_tree_report_links_across_documents(browser: Browser, tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "data" / "docs-tree", tmp_path / "tree")
    report = _report(tmp_path, str(tmp_path / "tree" / "docs"))
    page = browser.new_page()
    page.goto(report.as_uri())
    assert page.locator("section.document").count() == 4
    target = page.locator(".removal.kind-exact a.twin-link").first.get_attribute("href")
    assert target is not None
    assert page.locator(target).count() == 1
    assert "kept" in page.locator(target).inner_text()
    # Pairs for review (similar, contained) are shown side by side, and every link resolves.
    assert page.locator("#review .review").count() == 2
    assert page.locator("#review .review.kind-similar ins").count() >= 1
    hrefs = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        assert page.locator(href).count() == 1, href
    page.close()
