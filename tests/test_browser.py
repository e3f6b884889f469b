"""The built site in a real browser: phone and desktop widths, light and dark.

Chromium is Debian's (`apt-get install -y chromium`), driven by Playwright. Without
it the tests are skipped, and they fail instead when CI=true.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest

if TYPE_CHECKING:  # playwright is optional: the tests skip without it
    from playwright.sync_api import ConsoleMessage, Request, Response

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PREFIX = "/lessoncode/"  # the path of site_url, so that 404.html works too
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")

# Per page: what loading it fetched, logged or showed. Run inside the page.
INSPECT = """() => {
  const visible = (e) => e.getClientRects().length > 0;
  const outputs = [...document.querySelectorAll(".highlight")]
    .filter((box) => box.querySelector(".filename")?.textContent === "Output")
    .map((box) => box.querySelector("pre > code"))
    .filter(visible)
    .filter((c) => c.scrollWidth > c.clientWidth + 1
                   || c.scrollHeight > c.clientHeight + 1)
    .map((c) => c.textContent.slice(0, 60));
  return {
    ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    unnamed: [...document.querySelectorAll("img")]
      .filter((i) => !i.alt.trim()).map((i) => i.src),
    hiddenOutputs: outputs,
  };
}"""


class Handler(SimpleHTTPRequestHandler):
    """Serves the site under PREFIX, quietly."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return ""
        return super().translate_path("/" + path.removeprefix(PREFIX))

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site):
    """The built site served over http on 127.0.0.1."""
    handler = functools.partial(Handler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one for all the tests here."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed"
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def visit_all(browser, base_url: str, site: Path, size: str, scheme: str) -> dict:
    """Load every page at one size and colour scheme; return what each one showed."""
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme
    )
    page = context.new_page()
    problems: list[str] = []
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))

    def on_request(request: Request) -> None:
        if not request.url.startswith((origin, "data:", "blob:")):
            problems.append(f"third-party request {request.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", on_response)
    seen = {}
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        url = base_url + relative.removesuffix("index.html")
        page.goto(url, wait_until="domcontentloaded")
        found = page.evaluate(INSPECT)
        for key in ("unnamed", "hiddenOutputs"):
            problems += [f"{relative}: {key} {item}" for item in found[key]]
        seen[url] = found
    context.close()
    return {"problems": problems, "pages": seen}


@pytest.fixture(scope="module")
def visit(browser, base_url, site):
    """Every page at one size and colour scheme, loaded once per worker."""
    loaded: dict[tuple[str, str], dict] = {}

    def visit(size: str, scheme: str) -> dict:
        if (size, scheme) not in loaded:
            loaded[size, scheme] = visit_all(browser, base_url, site, size, scheme)
        return loaded[size, scheme]

    return visit


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_load_cleanly_with_readable_outputs(visit, size, scheme):
    """No third-party request, console error, failed fetch or image without alt
    text, and no Output box with text hidden past its edge."""
    assert visit(size, scheme)["problems"] == []


def test_every_link_and_anchor_leads_somewhere(visit, base_url, browser):
    pages = visit("desktop", "light")["pages"]
    context = browser.new_context()
    broken = []
    for source, found in pages.items():
        for link in found["links"]:
            target, anchor = urldefrag(link)
            if not target.startswith(base_url):
                continue  # a link out of the site; the browser test fetches none
            if target in pages:
                if anchor and anchor not in pages[target]["ids"]:
                    broken.append(f"{source} -> {link}")
            elif not context.request.get(target).ok:
                broken.append(f"{source} -> {link}")
    context.close()
    assert broken == []


def test_search_finds_identifiers_inside_code(browser, base_url):
    page = browser.new_page()
    page.goto(base_url)
    page.keyboard.press("s")  # Material's shortcut to the search box
    page.keyboard.type("sigmoid")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = [link.get_attribute("href") for link in results.all()]
    page.close()
    assert any("questions/negative-predictions/" in h for h in hrefs), hrefs


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_figure_opens_larger_in_the_colour_scheme_shown(browser, base_url, scheme):
    context = browser.new_context(
        viewport={"width": SIZES["phone"][0], "height": SIZES["phone"][1]},
        color_scheme=scheme,
    )
    page = context.new_page()
    page.goto(base_url + "walkthrough/")
    figure = page.locator("a.glightbox img").filter(visible=True).first
    source = figure.get_attribute("src")
    figure.click()
    shown = page.locator(".glightbox-container .gslide.current img")
    shown.wait_for()
    assert shown.get_attribute("src").split("/")[-1] == source.split("/")[-1]
    inline = figure.bounding_box()["width"]
    page.wait_for_function(  # larger once the opening animation is over
        f"document.querySelector('.gslide.current img').width > {inline}",
        timeout=5000,
    )
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figures_load_lazily_in_their_place_and_only_in_the_scheme_shown(
    browser, base_url, scheme
):
    """Each figure of the colour scheme shown takes its place before it loads, so
    that nothing moves when it arrives; a figure of the other scheme is not fetched.
    """
    width, height = SIZES["phone"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme
    )
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.split("/")[-1]))
    page.goto(base_url + "questions/out-features/", wait_until="domcontentloaded")
    boxes = """() => [...document.querySelectorAll("article img")]
      .filter((i) => i.getClientRects().length)
      .map((i) => [i.src.split("/").pop().split("#")[0], i.complete,
                   Math.round(i.getBoundingClientRect().height)])"""
    before = page.evaluate(boxes)
    bottom = "scrollY + innerHeight >= document.documentElement.scrollHeight - 1"
    for _ in range(100):  # down a screen at a time, as a reader scrolls
        if page.evaluate(bottom):
            break
        page.mouse.wheel(0, height)
        page.wait_for_timeout(50)
    page.wait_for_function(f"({boxes})().every(([, complete]) => complete)")
    after = page.evaluate(boxes)
    context.close()
    shown = [name for name, _, _ in after]
    assert len(shown) == 4
    assert all(name.endswith("-dark.svg") == (scheme == "dark") for name in shown)
    assert not all(complete for _, complete, _ in before)  # some were still to come
    # the same height but for rounding: the img's width and height are whole pixels
    moved = [b - a for (_, _, a), (_, _, b) in zip(before, after, strict=True)]
    assert all(abs(move) <= 1 for move in moved), moved
    assert sorted({name for name in fetched if name.endswith(".svg")}) == sorted(shown)
