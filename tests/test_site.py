"""The built site: strict, every Python block executed, no third-party requests."""

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import DOCS, ROOT
from pagecheck import (
    IMAGE,
    PROVENANCE_HEAD,
    PROVENANCE_MARK,
    read_notebook,
    read_page,
)

QUESTIONS = sorted((DOCS / "questions").glob("*.md"))
# The pages whose code runs, each offered as a notebook: the questions and the
# chapter's questionnaire.
PAGES = [*QUESTIONS, DOCS / "questionnaire.md"]
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))
SIDES = ("width", "height")


def html_of(site: Path, page: Path) -> str:
    relative = page.relative_to(DOCS).with_suffix("")
    folder = site if relative.name == "index" else site / relative
    return (folder / "index.html").read_text()


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.name)
def test_every_rendered_python_block_is_collected_to_run(site, page):
    rendered = html_of(site, page).count('class="language-python highlight"')
    assert rendered == len(read_page(page).blocks)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_rendered_notebook_cell_is_collected_to_run(site, notebook):
    rendered = html_of(site, notebook).count('class="language-python highlight"')
    assert rendered == len(read_notebook(notebook).blocks) > 0


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_page_shows_every_output_and_figure_with_its_alt_text(
    site, notebook
):
    html = html_of(site, notebook)
    blocks = read_notebook(notebook).blocks
    outputs = [b.output for b in blocks if b.output]
    assert html.count('<span class="filename">Output</span>') == len(outputs) > 0
    stored = [
        output.data["text/plain"]
        for cell in nbformat.read(notebook, as_version=4).cells
        for output in cell.get("outputs", [])
        if "text/plain" in output.get("data", {})
    ]
    images = re.findall(r"<img [^>]*>", html)
    light = [image for image in images if "#only-dark" not in image]
    alts = [re.search(r'alt="([^"]*)"', image)[1] for image in light]  # type: ignore[index]
    assert alts == stored
    assert all(alt and not alt.startswith("<Figure") for alt in alts), alts


@pytest.mark.parametrize(
    "page", sorted(DOCS.rglob("*.md")) + NOTEBOOKS, ids=lambda p: p.name
)
def test_every_figure_has_its_size_and_loads_lazily(site, page):
    """A figure's width and height are its SVG's, in CSS pixels, so that its place
    is kept while it loads; the hidden variant of the other scheme is never fetched."""
    html = html_of(site, page)
    folder = (site / page.relative_to(DOCS)).with_suffix("")
    for image in re.findall(r"<img [^>]*>", html):
        src = re.search(r' src="([^"#]*)', image)[1]  # type: ignore[index]
        svg = ET.parse(folder / src).getroot()
        # matplotlib gives the size in points: 4/3 CSS pixels each
        size = [round(float(svg.get(k, "").removesuffix("pt")) * 4 / 3) for k in SIDES]
        assert f' width="{size[0]}"' in image and f' height="{size[1]}"' in image
        assert ' loading="lazy"' in image and ' decoding="async"' in image, image
        # each in a link to itself, which javascripts/lightbox.js opens larger
        source = re.search(r' src="([^"]*)', image)[1]  # type: ignore[index]
        assert f'<a class="lc-figure" href="{source}">{image}' in html, image


def test_glightbox_is_gone_from_every_page(site):
    """Figures open in the site's own lightbox: no page loads GLightbox."""
    for page in site.rglob("*.html"):
        assert "glightbox" not in page.read_text(), page


def test_material_script_is_deferred_on_every_page(site):
    for page in site.rglob("*.html"):
        bundle = re.findall(
            r"<script [^>]*bundle\.[0-9a-f]+\.min\.js[^>]*>", page.read_text()
        )
        assert len(bundle) == 1 and " defer" in bundle[0], page


def test_the_api_reference_renders_no_python_block(site):
    assert 'class="language-python' not in (site / "api" / "index.html").read_text()


class Requests(HTMLParser):
    """The addresses a browser would fetch while loading a page."""

    FETCHED = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "link": "href",
        "video": "src",
        "audio": "src",
    }

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = self.FETCHED.get(tag)
        values = dict(attrs)
        fetched = tag != "link" or values.get("rel") not in ("canonical", "alternate")
        if wanted and values.get(wanted) and fetched:
            self.addresses.append(values[wanted])


def test_the_site_makes_no_third_party_requests(site):
    external = re.compile(r"^(https?:)?//")
    for page in site.rglob("*.html"):
        parser = Requests()
        parser.feed(page.read_text())
        assert [a for a in parser.addresses if external.match(a)] == [], page
    for sheet in site.rglob("*.css"):
        found = re.findall(
            r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")]+)", sheet.read_text()
        )
        assert found == [], sheet


def test_every_question_is_in_the_nav_untitled_so_its_heading_names_it():
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]
    questions = next(entry["Questions"] for entry in nav if "Questions" in entry)
    assert questions == [q for q in questions if isinstance(q, str)]
    assert sorted(questions) == [f"questions/{page.name}" for page in QUESTIONS]
    assert "questionnaire.md" in nav


def test_the_questionnaire_answers_the_chapter_s_37_questions_in_order():
    """fastbook's 04_mnist_basics.ipynb, section "Questionnaire", has 37."""
    text = (DOCS / "questionnaire.md").read_text()
    numbers = re.findall(r"^## (\d+)\. \S", text, re.MULTILINE)
    assert numbers == [str(n) for n in range(1, 38)]


def test_the_home_page_leads_to_the_walkthrough_and_the_questionnaire():
    home = (DOCS / "index.md").read_text()
    assert "](walkthrough.md)" in home and "](questionnaire.md)" in home


def test_the_home_page_lists_the_questions_in_nav_order_by_their_headings():
    """The list is plain Markdown, so that any builder renders it."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]
    questions = next(entry["Questions"] for entry in nav if "Questions" in entry)
    expected = []
    for uri in questions:
        heading = re.search(r"^# (.+)$", (DOCS / uri).read_text(), re.MULTILINE)
        assert heading, f"{uri} needs a '# ' heading"
        expected.append(f"- [{heading[1]}]({uri})")
    listed = re.findall(
        r"^- \[.*\]\(questions/.*\)$", (DOCS / "index.md").read_text(), re.MULTILINE
    )
    assert listed == expected, "docs/index.md: list the questions as the nav does"


def test_the_home_page_lists_every_question_by_its_title(site):
    home = html_of(site, DOCS / "index.md")
    for page in QUESTIONS:
        title = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink", html_of(site, page))
        link = re.search(rf'<a href="questions/{page.stem}/">(.*?)</a>', home)
        assert title and link, page.name
        assert link.group(1) == title.group(1)


def split_page(page: Path) -> tuple[str, str]:
    """A page's prose and the text of its code and outputs."""
    text = page.read_text().split(PROVENANCE_HEAD)[0]
    prose, code = [], []
    inside = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            inside = not inside
        elif inside:
            code.append(line)
        elif not IMAGE.fullmatch(line.strip()):
            prose.append(line)
    return "\n".join(prose), "\n".join(code)


def split_notebook(path: Path) -> tuple[str, str]:
    """A notebook's prose and the text of its code and outputs."""
    notebook = nbformat.read(path, as_version=4)
    prose = [
        c.source
        for c in notebook.cells
        if c.cell_type == "markdown" and not c.source.startswith(PROVENANCE_MARK)
    ]
    code = [
        c.source + "".join(o.get("text", "") for o in c.outputs)
        for c in notebook.cells
        if c.cell_type == "code"
    ]
    return "\n".join(prose), "\n".join(code)


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_numbers_in_the_prose_come_from_the_code_or_its_outputs(page):
    split = split_notebook if page.suffix == ".ipynb" else split_page
    prose, code = split(page)
    prose = re.sub(r"\[\d+\]\(#[^)]*\)", "", prose)  # a jump link's number
    prose = re.sub(r"\]\([^)]*\)", "]", prose)  # a link's address is no claim
    prose = re.sub(r"^(#+) \d+\. ", r"\1 ", prose, flags=re.M)  # a heading's number
    numbers = re.findall(r"(?<![\w.])-?\d+\.\d+|(?<![\w.])\d{2,}", prose)
    assert [n for n in numbers if n not in code] == []


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names a block binds, and the names it reads."""
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound, read


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_visible_blocks_need_nothing_from_a_folded_note(page):
    lines = page.read_text(encoding="utf8").splitlines()
    visible: set[str] = set()
    folded: set[str] = set()
    missing: list[str] = []
    for block in read_page(page, describe=False).blocks:
        opener = next(
            (
                line
                for line in reversed(lines[: block.start])
                if line.strip() and not line.startswith(" ")
            ),
            "",
        )
        bound, read = _names(block.source)
        if block.indent and opener.startswith("???"):
            folded |= bound
            continue
        missing += [
            f"line {block.line}: {name}"
            for name in sorted((read - bound - visible) & folded)
        ]
        visible |= bound
    assert not missing, "a pasted visible block would lack: " + ", ".join(missing)


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_code_and_outputs_fit_the_page_width(page):
    """76 characters fit a code box beside Material's sidebars without scrolling."""
    read = read_notebook if page.suffix == ".ipynb" else read_page
    for block in read(page).blocks:
        lines = (block.source + (block.output or "")).split("\n")
        assert [line for line in lines if len(line) > 76] == [], f"{page}:{block.line}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_offers_its_notebook(site, page):
    name = f"{page.stem}.ipynb"
    link = (
        f'<a class="md-button" href="../{name}" download="{name}">'
        "Download as notebook</a>"
    )
    assert link in html_of(site, page)
    assert (site / page.relative_to(DOCS).with_suffix(".ipynb")).is_file()


def test_the_sitemap_lists_every_page_at_the_site_url(site):
    url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    listed = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text())
    pages = [
        p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html")
    ]
    assert sorted(listed) == sorted(url + p.removeprefix("./") for p in pages)


def load_hook(name: str):
    """One of the site's hooks/NAME.py, as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


THEME = importlib.util.find_spec("material")  # mkdocs-material, installed
assert THEME and THEME.origin
MATERIAL = Path(THEME.origin).parent / "templates"
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text())


def block(template: str, name: str) -> str:
    """A Jinja block's body, its whitespace collapsed and a bundle's hash as *."""
    found = re.search(rf"{{% block {name} %}}(.*?){{% endblock %}}", template, re.S)
    assert found, name
    return re.sub(r"bundle\.[0-9a-f]+\.min", "bundle.*.min", " ".join(found[1].split()))


def test_the_scripts_block_is_materials_but_for_defer():
    """overrides/main.html rewrites base.html's scripts block, to defer Material's
    script: when the installed theme's block changes, main.html must follow it."""
    materials = block((MATERIAL / "base.html").read_text(), "scripts")
    ours = block((ROOT / "overrides" / "main.html").read_text(), "scripts")
    assert materials == (
        "<script src=\"{{ 'assets/javascripts/bundle.*.min.js' | url }}\"></script> "
        "{% for script in config.extra_javascript %} {{ script | script_tag }} "
        "{% endfor %}"
    )
    assert ours == materials.replace(
        "\"{{ 'assets/javascripts/bundle.*.min.js' | url }}\">",
        '"{{ material_bundle | url }}" defer>',
    )


def test_the_search_partial_is_materials_but_for_its_name():
    """overrides/partials/search.html is the installed theme's partial, copied
    whole to name the search dialog: it must be that partial and that change."""
    original = (MATERIAL / "partials" / "search.html").read_text()
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text()
    named = 'role="dialog" aria-label="{{ lang.t(\'search\') }}">'
    body = original.split("-#}\n", 1)[1]  # after Material's "generated" comment
    assert body.count('role="dialog">') == 1
    assert ours.split("-#}\n", 1)[1] == body.replace('role="dialog">', named)


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_an_output_box_of_columns_is_marked_to_keep_them(site, page):
    """A box with a line padded to align (two spaces before a value) scrolls
    instead of wrapping (hooks/outputs.py); the others wrap."""
    html = html_of(site, page)
    boxes = re.findall(
        r'<div class="([^"]*)"><span class="filename">Output[^<]*</span>'
        r"<pre><span></span><code>(.*?)</code>",
        html,
        re.S,
    )
    read = read_notebook if page.suffix == ".ipynb" else read_page
    assert len(boxes) == len([b for b in read(page).blocks if b.output])
    for classes, text in boxes:
        padded = any(re.search(r" {2}(?=\S)", line) for line in text.split("\n"))
        assert ("lc-columns" in classes.split()) == padded, text


def test_the_output_hook_tells_columns_from_prose():
    outputs = load_hook("outputs")
    assert outputs.has_columns("seed  accuracy\n   0     0.910")
    assert outputs.has_columns("a 3:   score\nand a line without padding")
    assert not outputs.has_columns("validation accuracy 0.975, loss 0.0690\nsame: True")
    assert not outputs.has_columns("trailing spaces only  \n")


def test_a_figure_not_sized_in_points_fails_the_build():
    """The figure hook reads an SVG's size in points, as matplotlib writes it; a
    figure given another way stops the build rather than load unsized."""
    figures = load_hook("figures")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}"/>'
    assert figures.svg_size(svg.replace(b"{}", b"300pt", 1).replace(b"{}", b"150pt"))
    assert figures.svg_size(svg.replace(b"{}", b"100%")) is None
    page = figures.CurrentPage()
    page.src_uri = "questions/a.md"

    class Files:
        def get_file_from_path(self, path):
            class File:
                src_uri = path
                content_bytes = svg.replace(b"{}", b"100%")

            return File() if path == "questions/figures/a-1.svg" else None

    page.files = Files()
    root = ET.fromstring('<div><p><img src="figures/a-1.svg#only-light"/></p></div>')
    with pytest.raises(PluginError, match="not in points"):
        figures.Figures(None, page).run(root)


def test_every_page_but_the_home_page_says_where_its_subject_comes_from(site):
    """The book's chapter, the course's lessons, the forum post where one is known,
    and the question form, all linked (overrides/partials/context.html)."""
    extra = CONFIG["extra"]
    book, lessons = extra["book"], extra["course"]["lessons"]
    for page in sorted(DOCS.rglob("*.md")) + NOTEBOOKS:
        html = html_of(site, page)
        uri = page.relative_to(DOCS).with_suffix(".md").as_posix()
        aside = re.search(r'<aside class="lc-context".*?</aside>', html, re.S)
        if uri == "index.md":
            assert aside is None  # the home page says it in its text
            for url in [book["url"], extra["ask"]] + [x["url"] for x in lessons]:
                assert f'href="{url}"' in html, url
            continue
        assert aside, uri
        for url in [book["url"], extra["ask"]] + [x["url"] for x in lessons]:
            assert f'href="{url}"' in aside[0], (uri, url)
        forum = extra["forum"].get(uri)
        assert (forum is not None) == ("forums.fast.ai" in aside[0]), uri
        if forum:
            assert f'href="{forum.replace("&", "&amp;")}"' in aside[0], uri


def test_forum_links_name_pages_of_the_site_and_threads_of_the_forum():
    for uri, url in CONFIG["extra"]["forum"].items():
        assert (DOCS / uri).is_file(), uri
        assert re.fullmatch(r"https://forums\.fast\.ai/t/[a-z0-9-]+/\d+\S*", url), url


def test_ask_a_question_opens_the_repository_s_question_form():
    ask = CONFIG["extra"]["ask"]
    template = re.fullmatch(
        r"https://github\.com/lessoncode/lessoncode/issues/new\?template=(.+)", ask
    )
    assert template, ask
    form = yaml.safe_load(
        (ROOT / ".github" / "ISSUE_TEMPLATE" / template[1]).read_text()
    )
    assert form["name"] and form["description"]
    required = [
        item["id"]
        for item in form["body"]
        if item.get("validations", {}).get("required")
    ]
    assert required == ["question"]
