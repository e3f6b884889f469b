"""MkDocs hook of the lessoncode site's figures: each SVG figure of the site gets its
size and loads lazily, and links to itself, for javascripts/lightbox.js to open."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

LINK = "lc-figure"  # the class of a figure's link, which the lightbox opens
POINTS = re.compile(r"([0-9.]+)pt")  # how matplotlib gives an SVG's size
SIDES = ("width", "height")


def svg_size(content: bytes) -> tuple[int, int] | None:
    """A figure's size in CSS pixels (4/3 of a point), None if not given in points."""
    root = ET.fromstring(content)
    width, height = (POINTS.fullmatch(root.get(side, "")) for side in SIDES)
    if width is None or height is None:
        return None
    return round(float(width[1]) * 4 / 3), round(float(height[1]) * 4 / 3)


class Figures(Treeprocessor):
    """Sizes each of the page's SVG figures and wraps it in a link to itself.

    The size keeps the figure's place while it loads, so that a figure loaded late
    moves nothing; lazy loading leaves figures far below the screen, and the variant
    drawn for the other colour scheme (hidden), unfetched until needed.
    """

    def __init__(self, md: Markdown, page: CurrentPage) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: ET.Element) -> None:
        images = [
            (parent, child)
            for parent in root.iter()
            for child in parent
            if child.tag == "img"
        ]
        for parent, image in images:
            file = self.page.figure(image.get("src", ""))
            if file is None:
                continue
            size = svg_size(file.content_bytes)
            if size is None:
                raise PluginError(f"{file.src_uri}: width and height are not in points")
            for name, value in zip(SIDES, size, strict=True):
                image.set(name, str(value))
            image.set("loading", "lazy")
            image.set("decoding", "async")
            if parent.tag != "a":
                _wrap(parent, image, image.get("src", ""))


def _wrap(parent: ET.Element, image: ET.Element, href: str) -> None:
    """Put image inside a link to href, in its place."""
    link = ET.Element("a", {"class": LINK, "href": href})
    link.tail, image.tail = image.tail, None
    parent.insert(list(parent).index(image), link)
    parent.remove(image)
    link.append(image)


class CurrentPage:
    """The page being rendered, and the site's files: where a figure's src leads."""

    def __init__(self) -> None:
        self.src_uri = ""
        self.files: Files | None = None

    def figure(self, src: str) -> File | None:
        """The site's SVG file that src (relative to the page's source) names."""
        address = urlsplit(src)
        if address.scheme or address.netloc or not address.path.endswith(".svg"):
            return None
        if self.files is None:
            return None
        path = posixpath.join(posixpath.dirname(self.src_uri), unquote(address.path))
        return self.files.get_file_from_path(posixpath.normpath(path))


class FiguresExtension(Extension):
    """Registers Figures after attr_list (8) and before MkDocs makes links relative."""

    def __init__(self, page: CurrentPage) -> None:
        super().__init__()
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(Figures(md, self.page), "lc_figures", 4)


CURRENT = CurrentPage()


def on_config(config):
    """Add the figures' Markdown extension."""
    config.markdown_extensions.append(FiguresExtension(CURRENT))
    return config


def on_page_markdown(markdown: str, page, config, files: Files) -> str:
    """Tell the extension which page it renders next, and where the files are."""
    CURRENT.src_uri, CURRENT.files = page.file.src_uri, files
    return markdown
