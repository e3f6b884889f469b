"""MkDocs hooks of the lessoncode site: the walkthrough notebook rendered as a page
like the questions, and the home page's list of questions made from their titles."""

from __future__ import annotations

import base64
import re
import struct
import textwrap
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from pagecheck.notebook import DARK_KEY

NOTEBOOK_PAGES = ("walkthrough.ipynb",)
QUESTIONS = "questions/"
QUESTION_LIST = "<!-- questions -->"
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
H1 = re.compile(r"^# (.+)$", re.MULTILINE)
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\ssrc="([^"]*)"')
# CSS pixels per unit of an SVG's width and height (an img shows it at that size).
SVG_UNITS = {
    "": 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
}
SVG_LENGTH = re.compile(r"\s*([0-9.]+)\s*(px|pt|pc|in|cm|mm)?\s*")


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


def on_files(files: Files, config) -> Files:
    """Add each notebook page as generated Markdown, with its figures beside it."""
    for uri in NOTEBOOK_PAGES:
        source = files.get_file_from_path(uri)
        if source is None:
            continue
        notebook = nbformat.read(source.abs_src_path, as_version=4)
        stem = PurePosixPath(uri).stem
        markdown, figures = notebook_to_markdown(notebook, stem)
        files.append(File.generated(config, f"{stem}.md", content=markdown))
        for name, content in figures.items():
            files.append(File.generated(config, name, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files: Files) -> str:
    """Replace the home page's marker with the questions in nav order, by title."""
    if QUESTION_LIST not in markdown:
        return markdown
    if page.file.src_uri != "index.md":
        raise PluginError(f"{QUESTION_LIST} works in index.md only, not in {page.file}")
    items = []
    for uri in _nav_uris(config["nav"]):
        if uri.startswith(QUESTIONS):
            title = H1.search(files.get_file_from_path(uri).content_string)
            if title is None:
                raise PluginError(f"{uri} needs a '# ' title for the home page's list")
            items.append(f"- [{title.group(1)}]({uri})")
    return markdown.replace(QUESTION_LIST, "\n".join(items))


def _nav_uris(nav: list | dict | str) -> list[str]:
    """The pages of a `nav` setting, in order."""
    if isinstance(nav, str):
        return [nav]
    entries = nav.values() if isinstance(nav, dict) else nav
    return [uri for entry in entries for uri in _nav_uris(entry)]


def image_size(content: bytes, name: str) -> tuple[int, int] | None:
    """An image's size in CSS pixels, as an img shows it, None if it is not known.

    An SVG's comes from its width and height (or its viewBox), a PNG's from its
    header.
    """
    if name.endswith(".png") and content[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", content[16:24])
    if not name.endswith(".svg"):
        return None
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return None
    lengths = [SVG_LENGTH.fullmatch(root.get(key, "")) for key in ("width", "height")]
    if all(lengths):
        size = [float(m[1]) * SVG_UNITS[m[2] or ""] for m in lengths]  # type: ignore[index]
    else:
        box = root.get("viewBox", "").replace(",", " ").split()
        if len(box) != 4:
            return None
        size = [float(box[2]), float(box[3])]
    width, height = (max(1, round(v)) for v in size)
    return width, height


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
    size = image_size(file.content_bytes, path) if file is not None else None
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
