"""MkDocs hooks of the lessoncode site: the walkthrough notebook rendered as a page
like the questions, figures sized, Material's script deferred, and templates kept
compiled between builds."""

from __future__ import annotations

import base64
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from pagecheck.notebook import DARK_KEY

NOTEBOOK_PAGES = ("walkthrough.ipynb",)
PROVENANCE = "**Provenance.**"
IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}
LIGHTBOX_PARTS = re.compile(
    r'<link href="[^"]*glightbox\.min\.css" rel="stylesheet">'
    r'|<script src="[^"]*glightbox\.min\.js"></script>'
    r'|<script id="init-glightbox">.*?</script>',
    re.DOTALL,
)
LIGHTBOX_STYLE = re.compile(r'<style id="glightbox-style">.*?</style>', re.DOTALL)
MATERIAL_BUNDLE = re.compile(
    r'(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js")></script>'
)
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\ssrc="([^"]*)"')
POINTS = re.compile(r"([0-9.]+)pt")  # how matplotlib gives an SVG's size
SIDES = ("width", "height")


def _fence(text: str, opening: str) -> str:
    """A fenced block around `text`, its fence longer than any backtick run in it."""
    ticks = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", text)])
    return f"{ticks}{opening}\n{text.rstrip(chr(10))}\n{ticks}"


def notebook_to_markdown(
    notebook: nbformat.NotebookNode, stem: str
) -> tuple[str, dict[str, bytes]]:
    """A notebook as a page in the questions' Markdown, and the figures it shows."""
    parts, figures = [], {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(PROVENANCE):
            body = cell.source.removeprefix(PROVENANCE).strip()
            parts.append('??? info "Provenance"\n' + textwrap.indent(body, "    "))
        elif cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(_fence(cell.source, "python"))
            parts.extend(_outputs(cell.get("outputs", []), stem, figures))
    return "\n\n".join(parts) + "\n", figures


def _outputs(outputs: list, stem: str, figures: dict[str, bytes]) -> list[str]:
    """Markdown for a code cell's outputs: printed text in one box, then figures.

    A figure with a dark variant (pagecheck keeps it in the output's metadata) shows
    as two images, one for each colour scheme, as on the question pages.
    """
    shown = []
    text = "".join(o.text for o in outputs if o.output_type == "stream")
    if text.strip():
        shown.append(_fence(text, ' title="Output"'))
    for output in outputs:
        data = output.get("data", {})
        kind = next((k for k in IMAGE_TYPES if k in data), None)
        if kind is None:
            continue
        number = sum(not name.endswith("-dark.svg") for name in figures) + 1
        name = f"figures/{stem}-{number}.{IMAGE_TYPES[kind]}"
        content = data[kind]
        figures[name] = (
            content.encode() if kind == "image/svg+xml" else base64.b64decode(content)
        )
        alt = data.get("text/plain", "").replace("\n", " ").replace("]", ")")
        dark = output.get("metadata", {}).get(DARK_KEY)
        if dark is None:
            shown.append(f"![{alt}]({name})")
            continue
        dark_name = name.removesuffix(".svg") + "-dark.svg"
        figures[dark_name] = dark.encode()
        shown.append(f"![{alt}]({name}#only-light)\n![{alt}]({dark_name}#only-dark)")
    return shown


def read_notebook(path: str) -> nbformat.NotebookNode:
    """A notebook in format 4, read without validating it against the schema.

    Validation builds a validator, which took a tenth of a build; the tests read the
    same notebook with validation.
    """
    with open(path, encoding="utf8") as file:
        data = json.load(file)
    if data.get("nbformat") != 4:
        raise PluginError(f"{path}: expected a notebook in format 4")
    return nbformat.v4.to_notebook(data)


def on_files(files: Files, config) -> Files:
    """Add each notebook page as generated Markdown, with its figures beside it."""
    for uri in NOTEBOOK_PAGES:
        source = files.get_file_from_path(uri)
        if source is None:
            continue
        notebook = read_notebook(source.abs_src_path)
        stem = PurePosixPath(uri).stem
        markdown, figures = notebook_to_markdown(notebook, stem)
        files.append(File.generated(config, f"{stem}.md", content=markdown))
        for name, content in figures.items():
            files.append(File.generated(config, name, content=content))
    return files


def _template_cache(config) -> FileSystemBytecodeCache:
    """Where compiled templates are kept between builds: `.cache/jinja/`.

    Jinja compiles every template anew on each build otherwise. The cache is checked
    against each template's source, so an edited template is compiled again.
    """
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def on_pre_build(config) -> None:
    """Keep mkdocstrings' templates compiled between builds (its Python handler's)."""
    handler = config.plugins["mkdocstrings"].handlers.get_handler("python")
    handler.env.bytecode_cache = _template_cache(config)


def on_env(env: Environment, config, files: Files) -> Environment:
    """Keep the theme's templates compiled between builds."""
    env.bytecode_cache = _template_cache(config)
    return env


def svg_size(content: bytes) -> tuple[int, int] | None:
    """A figure's size in CSS pixels (4/3 of a point), None if not given in points."""
    root = ET.fromstring(content)
    width, height = (POINTS.fullmatch(root.get(side, "")) for side in SIDES)
    if width is None or height is None:
        return None
    return round(float(width[1]) * 4 / 3), round(float(height[1]) * 4 / 3)


def _sized_image(tag: str, page, files: Files) -> str:
    """An img of one of the site's own images, with its size and lazy loading.

    The size reserves the figure's place before it loads, so that a figure loaded
    late moves nothing; lazy loading leaves figures far below the screen, and the
    variant drawn for the other colour scheme (hidden), unfetched until needed.
    """
    src = SRC.search(tag)
    if src is None or " width=" in tag or " height=" in tag:
        return tag
    address = urlsplit(src[1])
    if address.scheme or address.netloc or not address.path:
        return tag
    path = urljoin(page.file.url, unquote(address.path))
    file = files.get_file_from_path(path.lstrip("/"))
    if file is None or not path.endswith(".svg"):
        return tag
    size = svg_size(file.content_bytes)
    if size is None:
        return tag
    extra = f' width="{size[0]}" height="{size[1]}"'
    if " loading=" not in tag:
        extra += ' loading="lazy"'
    if " decoding=" not in tag:
        extra += ' decoding="async"'
    return tag[:-1].rstrip("/").rstrip() + extra + ">"


@event_priority(-100)  # after mkdocs-glightbox has wrapped the images in links
def on_page_content(html: str, page, config, files: Files) -> str:
    """Give each of the site's images its size, and let it load lazily."""
    return IMG.sub(lambda m: _sized_image(m[0], page, files), html)


@event_priority(-100)  # after mkdocs-glightbox has added its files to the page
def on_post_page(output: str, page, config) -> str:
    """Leave GLightbox out of the page: javascripts/lightbox.js loads it on a click.

    Material's script is deferred: it comes last in the page anyway, and so the
    browser neither waits for it before drawing the page nor fetches it first.
    """
    output = LIGHTBOX_PARTS.sub("", output)
    if 'class="glightbox"' not in output:
        output = LIGHTBOX_STYLE.sub("", output)
    return _defer_material(output, page.file.src_uri)


def on_post_template(output: str, template_name: str, config) -> str:
    """The 404 page's Material script deferred too, as on every other page."""
    if template_name != "404.html":
        return output
    return _defer_material(output, template_name)


def _defer_material(output: str, where: str) -> str:
    output, deferred = MATERIAL_BUNDLE.subn(r"\1 defer></script>", output)
    if deferred != 1:
        raise PluginError(f"{where}: Material's script tag not found")
    return output
