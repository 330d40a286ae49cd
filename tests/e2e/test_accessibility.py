"""Usable by everyone: contrast, names for every control, phone width, and no script needed."""

from __future__ import annotations

import re

import pytest

from tests.conftest import EXAMPLE_ID

PAGES = [
    "/",
    "/?q=prices&person=Angela+Merkel&from=2023-05-01&to=2023-06-30",
    "/?q=merkle",
    "/people/Angela%20Merkel",
    "/places/London",
    f"/articles/{EXAMPLE_ID}",
    "/?from=bad",
]

# WCAG 2.x contrast of each piece of visible text against the first opaque background behind it.
LOW_CONTRAST_TEXT = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    if (!text.textContent.trim()) continue;
    const el = text.parentElement;
    if (el.closest("[hidden], .visually-hidden, .skip, title, noscript")) continue;
    if (!el.getBoundingClientRect().width) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) low.push(`${text.textContent.trim().slice(0, 40)} (${ratio.toFixed(2)} < ${needed})`);
  }
  return low;
}"""

UNNAMED_CONTROLS = """() => Array.from(document.querySelectorAll(
    "input:not([type=hidden]), select, button, textarea, a[href]")).filter((el) => {
  if (el.closest("[hidden]")) return false;
  const labelled = el.id && document.querySelector(`label[for="${el.id}"]`);
  const name = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || labelled
    || (el.tagName !== "INPUT" && el.textContent.trim());
  return !name;
}).map((el) => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("url", PAGES)
def test_text_contrast_passes_wcag_aa(page, url):
    page.goto(url)
    assert page.evaluate(LOW_CONTRAST_TEXT) == []


@pytest.mark.parametrize("url", PAGES)
def test_every_control_has_a_name(page, url):
    page.goto(url)
    assert page.evaluate(UNNAMED_CONTROLS) == []


def test_phone_width_has_no_horizontal_scroll(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=server)
    page = context.new_page()
    for url in PAGES + ["/?q=xylophonequartz", "/?size=3&cursor=eyJwIjogMn0"]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide at 375px"
    # The autocomplete list fits too.
    page.goto("/")
    page.get_by_test_id("search-input").press_sequentially("merk", delay=30)
    page.get_by_test_id("autocomplete-option").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_the_page_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server)
    page = context.new_page()
    page.goto("/")
    box = page.get_by_test_id("search-input")
    box.fill("prices")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=prices"))
    before = int(page.get_by_test_id("total").inner_text())
    page.get_by_test_id("facet-people").get_by_test_id("facet-value").first.click()
    page.wait_for_url(re.compile(r"person="))
    assert int(page.get_by_test_id("total").inner_text()) < before
    page.get_by_label("Sort").select_option("oldest")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert "person=" in page.url and "q=prices" in page.url
    context.close()
