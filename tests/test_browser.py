"""The built site in a real browser: phone and desktop widths, light and dark.

Chromium is Debian's (`apt-get install -y chromium`), driven by Playwright. Without
it the tests are skipped, and they fail instead when CI=true.
"""

from __future__ import annotations

import functools
import io
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

# The lines of a code box, each with its text and the boxes the browser drew it in.
LINES = """(code) => {
  const lines = [{ text: "", rects: [] }];
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let offset = 0;
    for (const [index, piece] of node.data.split("\\n").entries()) {
      if (index > 0) lines.push({ text: "", rects: [] });
      const line = lines[lines.length - 1];
      if (piece) {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + piece.length);
        line.text += piece;
        line.rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
      }
      offset += piece.length + 1;
    }
  }
  return lines.filter((line) => line.text.trim());
}"""

# Per page: what loading it fetched, logged or showed. Run inside the page, with
# every collapsed block opened, as a reader opens them.
INSPECT = f"""() => {{
  const lines = {LINES};
  const visible = (e) => e.getClientRects().length > 0;
  document.querySelectorAll("details").forEach((d) => (d.open = true));
  const outputs = [...document.querySelectorAll(".highlight")]
    .filter((box) => box.querySelector(".filename")?.textContent === "Output")
    .map((box) => box.querySelector("pre > code"))
    .filter(visible);
  // Text past a box's edge: a box of columns may scroll sideways, with a shadow
  // on the side it scrolls to; any other box shows all its text.
  const scrolls = (code) => {{
    const style = getComputedStyle(code);
    return code.closest(".lc-columns") && style.overflowX === "auto"
      && style.backgroundImage.includes("radial-gradient");
  }};
  const hidden = outputs
    .filter((c) => (c.scrollWidth > c.clientWidth + 1 && !scrolls(c))
                   || c.scrollHeight > c.clientHeight + 1)
    .map((c) => c.textContent.slice(0, 60));
  // A table row: a line with spaces padding a value to align it. It must stay
  // on one line: drawn on two, its columns no longer line up.
  const wrapped = outputs.flatMap(lines)
    .filter((line) => / {{2}}(?=\\S)/.test(line.text))
    .filter((line) => {{
      const tops = line.rects.map((r) => r.top);
      return Math.max(...tops) - Math.min(...tops) > line.rects[0].height / 2;
    }})
    .map((line) => line.text);
  // A button over code: any code line's visible part under a code block's
  // buttons, with the code scrolled to either end.
  const covered = [];
  for (const code of [...document.querySelectorAll("pre > code")].filter(visible)) {{
    const nav = code.parentElement.querySelector(".md-code__nav");
    if (!nav || !visible(nav)) continue;
    const b = nav.getBoundingClientRect();
    for (const end of [0, code.scrollWidth]) {{
      code.scrollLeft = end;
      const c = code.getBoundingClientRect();
      for (const line of lines(code)) {{
        const under = line.rects.some((r) =>
          Math.max(r.left, c.left, b.left) < Math.min(r.right, c.right, b.right)
          && Math.max(r.top, c.top, b.top) < Math.min(r.bottom, c.bottom, b.bottom));
        if (under) covered.push(line.text.slice(0, 60));
      }}
    }}
    code.scrollLeft = 0;
  }}
  return {{
    ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    unnamed: [...document.querySelectorAll("img")]
      .filter((i) => !i.alt.trim()).map((i) => i.src),
    hiddenOutputs: hidden,
    wrappedRows: wrapped,
    coveredLines: covered,
  }};
}}"""

# Folded notes opened and every code block brought on screen in turn: Material
# (feature content.lazy) gives a code block its buttons when it comes into view.
SHOW_ALL_CODE = """async () => {
  document.querySelectorAll("details").forEach((d) => (d.open = true));
  for (const code of document.querySelectorAll("pre > code")) {
    code.scrollIntoView();
    const frame = () => new Promise((done) => requestAnimationFrame(done));
    await frame().then(frame);
  }
  window.scrollTo(0, 0);
}"""

# Whether Material has given every code block its buttons.
CODE_BUTTONS = """() => [...document.querySelectorAll("pre > code")]
  .every((code) => code.parentElement.querySelector(".md-code__nav"))"""

# Per figure shown on a page: its file, its shown width and its smallest text in
# CSS pixels there, from the SVG's font sizes scaled to that width (the SVG drawn
# off screen at the shown width, each text's font size times its scale on screen).
FIGURE_TEXT = """async () => {
  const found = [];
  const shown = [...document.querySelectorAll("article img")]
    .filter((i) => i.getClientRects().length && i.src.split("#")[0].endsWith(".svg"));
  for (const image of shown) {
    const url = image.src.split("#")[0];
    const source = await (await fetch(url)).text();
    const parsed = new DOMParser().parseFromString(source, "image/svg+xml");
    const holder = document.createElement("div");
    holder.style.cssText = "position: absolute; top: 0; left: 0; visibility: hidden";
    holder.append(document.importNode(parsed.documentElement, true));
    document.body.append(holder);
    const svg = holder.firstElementChild;
    const width = image.getBoundingClientRect().width;
    const box = svg.viewBox.baseVal;
    svg.setAttribute("width", width);
    svg.setAttribute("height", (width * box.height) / box.width);
    let smallest = Infinity;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      const m = text.getScreenCTM();
      const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      const size = parseFloat(getComputedStyle(text).fontSize);
      smallest = Math.min(smallest, size * scale);
    }
    holder.remove();
    found.push({ name: url.split("/").pop(), width, smallest });
  }
  return found;
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
        page.evaluate(SHOW_ALL_CODE)
        page.wait_for_function(CODE_BUTTONS)
        found = page.evaluate(INSPECT)
        for key in ("unnamed", "hiddenOutputs"):
            problems += [f"{relative}: {key} {item}" for item in found[key]]
        if size == "phone":
            found["figures"] = page.evaluate(FIGURE_TEXT)
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


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_table_row_of_an_output_box_wraps(visit, size, scheme):
    """A line padded with spaces to align its values stays on one line."""
    pages = visit(size, scheme)["pages"]
    wrapped = [f"{url}: {row}" for url, p in pages.items() for row in p["wrappedRows"]]
    assert wrapped == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_code_line_is_covered_by_a_button(visit, size, scheme):
    """The copy button covers no line of a code box, at either end of its scroll."""
    pages = visit(size, scheme)["pages"]
    covered = [
        f"{url}: {line}" for url, p in pages.items() for line in p["coveredLines"]
    ]
    assert covered == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figure_text_is_at_least_9px_on_a_phone(visit, scheme):
    """Every figure's smallest text, at the width a phone shows it, is 9 CSS px or
    more: its font size in the SVG times the shown width over the SVG's width."""
    figures = [
        f for p in visit("phone", scheme)["pages"].values() for f in p["figures"]
    ]
    assert figures  # the figures of the colour scheme shown
    small = {f["name"]: round(f["smallest"], 1) for f in figures if f["smallest"] < 9}
    assert small == {}


def open_lightbox(browser, base_url: str, path: str, size: str, scheme: str):
    """A page at one size and scheme, its first figure shown opened in the lightbox;
    returns the page, the figure's img and the lightbox's img."""
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        device_scale_factor=2,  # as phones and laptops draw: thin lines whole
    )
    page = context.new_page()
    page.goto(base_url + path)
    figure = page.locator("a.lc-figure img").filter(visible=True).first
    figure.scroll_into_view_if_needed()
    figure.click()
    shown = page.locator("dialog.lc-lightbox[open] img")
    shown.wait_for()
    page.wait_for_function("document.querySelector('dialog.lc-lightbox img').complete")
    return page, figure, shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_figure_opens_as_large_as_the_screen_in_the_colour_scheme_shown(
    browser, base_url, size, scheme
):
    page, figure, shown = open_lightbox(browser, base_url, "walkthrough/", size, scheme)
    source = figure.get_attribute("src")
    assert shown.get_attribute("src").split("/")[-1] == source.split("/")[-1]
    box = shown.bounding_box()
    width, height = SIZES[size]
    assert box["width"] > figure.bounding_box()["width"]
    assert box["width"] >= width - 1 or box["height"] >= height - 1
    page.keyboard.press("Escape")
    assert not page.locator("dialog.lc-lightbox[open]").count()
    assert page.evaluate("document.activeElement.classList.contains('lc-figure')")
    page.context.close()


def luminance(rgb) -> float:
    """A colour's relative luminance, as WCAG defines it."""
    linear = [c / 255 for c in rgb[:3]]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in linear
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The longest straight line drawn in a figure's axes (its spines, in matplotlib's
# SVG), as [x, y] of its midpoint in the figure's own units, and the figure's width.
AXIS_LINE = """async (url) => {
  const source = await (await fetch(url)).text();
  const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
  const straight = /^M (\\S+) (\\S+) L (\\S+) (\\S+)$/;
  const lines = [...svg.querySelectorAll("g[id^=axes_] > g[id^=patch_] > path")]
    .filter((p) => /stroke: #/.test(p.getAttribute("style")))
    .map((p) => p.getAttribute("d").match(straight)?.slice(1).map(Number))
    .filter(Boolean)
    .sort((a, b) => Math.hypot(b[2] - b[0], b[3] - b[1])
                    - Math.hypot(a[2] - a[0], a[3] - a[1]));
  const [x1, y1, x2, y2] = lines[0];
  return { middle: [(x1 + x2) / 2, (y1 + y2) / 2], width: svg.viewBox.baseVal.width };
}"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_lightbox_background_contrasts_with_the_figure_axes(
    browser, base_url, size, scheme
):
    """In the screenshot of an opened figure, its axis line stands out from the
    lightbox's background by WCAG's 3:1 for graphics, in both colour schemes."""
    from PIL import Image

    page, figure, shown = open_lightbox(
        browser, base_url, "questions/dead-neurons/", size, scheme
    )
    axis = page.evaluate(AXIS_LINE, shown.evaluate("i => i.src.split('#')[0]"))
    box = shown.bounding_box()
    screen = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    scale = screen.width / SIZES[size][0]  # device pixels per CSS pixel
    page.context.close()
    zoom = box["width"] / axis["width"]
    x = (box["x"] + axis["middle"][0] * zoom) * scale
    y = (box["y"] + axis["middle"][1] * zoom) * scale
    background = screen.getpixel((2, screen.height - 3))  # the lightbox, not the figure
    near = [
        screen.getpixel((round(x) + dx, round(y) + dy))
        for dx in range(-3, 4)
        for dy in range(-3, 4)
    ]
    axis_colour = max(near, key=lambda pixel: contrast(pixel, background))
    assert contrast(axis_colour, background) >= 3, (axis_colour, background)


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


def test_code_off_screen_costs_nothing_at_load(browser, base_url):
    """On a phone, a long page's code below the screen is neither given its buttons
    nor styled while the page loads: highlighted code is most of a page's elements,
    and restyling it made the load of the longest pages block for most of a second.
    """
    width, height = SIZES["phone"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url + "questions/speed-quadratic/", wait_until="load")
    page.wait_for_timeout(500)
    found = page.evaluate(
        """() => {
      const code = [...document.querySelectorAll("article pre > code")];
      const below = code.filter((c) => c.closest(".highlight")
        .getBoundingClientRect().top > 3 * innerHeight);
      return {
        below: below.length,
        buttoned: below.filter((c) => c.parentElement.querySelector(".md-code__nav"))
          .length,
        skipped: below.filter((c) => !c.checkVisibility({contentVisibilityAuto: true}))
          .length,
      };
    }"""
    )
    context.close()
    assert found["below"] > 10
    assert found["buttoned"] == 0  # Material's content.lazy
    assert found["skipped"] == found["below"]  # extra.css's content-visibility
