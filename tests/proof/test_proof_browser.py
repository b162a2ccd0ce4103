"""proof.html in headless Chromium, from file:// (no server): the 12 page images load, and the
overset story is listed and linked to a highlighted box on its page.

Needs the Debian packages chromium and chromium-driver, and the pip package selenium; skipped,
with the reason printed, where any of them is missing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from proof_fakebuild import make_fake_build

from layout.proof import make_proofs
from layout.proof.html import anchor

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000"]


def _skip(reason: str) -> None:
    print(f"browser test skipped: {reason}")
    pytest.skip(reason)


@pytest.fixture()
def browser():
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        _skip("Chromium not installed (apt-get install -y chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _skip("selenium not installed (pip install selenium)")
    profile = tempfile.mkdtemp(prefix="proof-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    # An explicit driver path: Selenium Manager is not consulted, so nothing is downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, script: str, limit: float = 20.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, limit, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def test_proof_html_in_chromium(browser, tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    result = make_proofs(tmp_path)
    browser.get(result.html.resolve().as_uri())
    _wait(browser, "return document.readyState === 'complete' && [...document.images].every(i => i.complete)")
    widths = browser.execute_script("return [...document.images].map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert len(widths) == 12
    assert all(w > 0 for _, w in widths), widths
    assert all(w == 1560 for _, w in widths)

    row = browser.find_element("id", anchor("story", "harbour-plan"))
    assert "over by 57 characters (3 lines)" in row.text
    box_id = anchor("m", "A01", "harbour-plan", "story")
    link = row.find_element("css selector", f'a[href="#{box_id}"]')
    link.click()
    _wait(browser, f"return location.hash === '#{box_id}'")
    geometry = browser.execute_script(
        """const box = document.getElementById(arguments[0]);
        const fig = box.closest('figure');
        const img = fig.querySelector('img');
        const b = box.getBoundingClientRect(), i = img.getBoundingClientRect();
        return {page: fig.dataset.page, border: getComputedStyle(box).borderTopWidth,
                visible: b.top < innerHeight && b.bottom > 0,
                rel: [(b.left - i.left) / i.width, (b.top - i.top) / i.height, b.width / i.width,
                      b.height / i.height]};""", box_id)
    assert geometry["page"] == "A01"
    assert geometry["border"] == "4px"  # the :target highlight
    assert geometry["visible"]  # the browser scrolled to it
    # In the image's own proportions: module at x 56 + bleed 8.5 pt of a 1122.5 pt wide page.
    left, top, width, height = geometry["rel"]
    assert left == pytest.approx((8.5 + 56) / 1122.5, abs=0.005)
    assert top == pytest.approx((8.5 + 90 + 12 * 13.5) / 1564.7, abs=0.005)
    assert width == pytest.approx((6 * 117 + 5 * 9) / 1122.5, abs=0.005)
    assert height == pytest.approx(60 * 13.5 / 1564.7, abs=0.005)


def test_the_proof_stamp_shows_over_each_page_image(browser, tmp_path: Path) -> None:
    """The stamp is HTML over the image (not in it): shown, in the image's top-right corner, red,
    with the build time and the page's state."""
    make_fake_build(tmp_path, build_time="2026-03-04 21:05")
    result = make_proofs(tmp_path, dpi=50)
    browser.get(result.html.resolve().as_uri())
    _wait(browser, "return document.readyState === 'complete' && [...document.images].every(i => i.complete)")
    stamps = browser.execute_script(
        """return [...document.querySelectorAll('figure')].map(fig => {
            const s = fig.querySelector('.stamp'), i = fig.querySelector('img');
            const b = s.getBoundingClientRect(), r = i.getBoundingClientRect(), st = getComputedStyle(s);
            return {page: fig.dataset.page, text: s.innerText, colour: st.color, shown: st.display !== 'none'
                    && st.visibility === 'visible' && b.width > 20 && b.height > 20,
                    inside: b.left >= r.left && b.right <= r.right + 0.5 && b.top >= r.top && b.bottom <= r.bottom,
                    corner: r.right - b.right < 0.02 * r.width && b.top - r.top < 0.02 * r.height,
                    small: b.width < 0.5 * r.width};})""")
    assert [s["page"] for s in stamps] == [f"A{n:02d}" for n in range(1, 13)]
    for s in stamps:
        assert s["shown"] and s["inside"] and s["corner"] and s["small"], s
        assert "PROOF" in s["text"] and "2026-03-04 21:05" in s["text"] and s["page"] in s["text"], s
        assert s["colour"] == "rgb(221, 0, 0)"
    # the jumping story's overset is after its jump: flagged on A05, its continuation's page
    assert "OVERSET" in stamps[4]["text"] and "OVERSET" not in stamps[0]["text"] and "no flags" in stamps[2]["text"]


def test_live_proof_reloads_when_the_build_changes(browser, tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    result = make_proofs(tmp_path, live_seconds=0.2, pages=["A01"], workers=1)
    assert (tmp_path / "proofs" / "version.js").is_file()
    browser.get(result.html.resolve().as_uri())
    _wait(browser, "return document.readyState === 'complete'")
    browser.execute_script("window.marker = 1")
    # Nothing changed: the page stays (the marker survives several polls).
    browser.execute_script("return new Promise(r => setTimeout(r, 800))")
    assert browser.execute_script("return window.marker") == 1
    make_fake_build(tmp_path, build_time="2026-03-04 22:10")
    make_proofs(tmp_path, live_seconds=0.2, pages=["A01"], workers=1)
    _wait(browser, "return window.marker === undefined && document.readyState === 'complete'")
    assert "22:10" in browser.title or "22:10" in browser.find_element("tag name", "h1").text
