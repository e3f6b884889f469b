"""matplotlib's SVG made reproducible: coordinates rounded, ids numbered, rasters
stored in fewer bytes."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

XLINK = "{http://www.w3.org/1999/xlink}href"
PNG_DATA = "data:image/png;base64,"
for prefix, uri in [
    ("", "http://www.w3.org/2000/svg"),
    ("xlink", "http://www.w3.org/1999/xlink"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("cc", "http://creativecommons.org/ns#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
]:
    ET.register_namespace(prefix, uri)
# A font and its fallbacks: the first is the one matplotlib laid the text out with.
FONT_FALLBACKS = re.compile(r"(font-family: '[^']*')[^;\"]*")
# A number in an attribute, not part of a name or a hex colour such as #1f77b4.
ATTRIBUTE_NUMBER = re.compile(r"(?<![\w#.])-?(?:\d+\.\d*|\.\d+|\d+)(?![\d.])")


def write(root: ET.Element) -> str:
    """An SVG tree as the text of its file."""
    return ET.tostring(root, encoding="unicode") + "\n"


def _round(match: re.Match[str]) -> str:
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def compact_png(png: bytes) -> bytes:
    """The same pixels in fewer bytes: indexed if they have at most 256 colours,
    without alpha if all are opaque, compressed harder; else the PNG as it was.

    A colormapped image drawn at its own size has at most the colormap's 256 colours.
    """
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = np.asarray(image.convert("RGBA"))
    opaque = bool((rgba[..., 3] == 255).all())
    pixels = rgba[..., :3] if opaque else rgba
    colours, index = np.unique(
        pixels.reshape(-1, pixels.shape[-1]), axis=0, return_inverse=True
    )
    height, width = rgba.shape[:2]
    options: dict[str, Any] = {"optimize": True}
    if len(colours) <= 256:
        compact = Image.frombytes(
            "P", (width, height), index.astype(np.uint8).tobytes()
        )
        compact.putpalette(colours[:, :3].astype(np.uint8).tobytes(), rawmode="RGB")
        if not opaque:
            options["transparency"] = colours[:, 3].astype(np.uint8).tobytes()
    else:
        compact = Image.fromarray(np.ascontiguousarray(pixels))
    buffer = io.BytesIO()
    compact.save(buffer, format="png", **options)
    smaller = buffer.getvalue()
    with Image.open(io.BytesIO(smaller)) as check:
        same = np.array_equal(np.asarray(check.convert("RGBA")), rgba)
    return smaller if same and len(smaller) < len(png) else png


def tidy(svg: str) -> str:
    """Round an SVG's coordinates to 0.01 pt, number its ids in order and store its
    raster images in fewer bytes."""
    root = ET.fromstring(svg)
    values = " ".join(v for e in root.iter() for v in e.attrib.values())
    referenced = set(re.findall(r"url\(#([^)]+)\)", values))
    referenced |= {
        v[1:]
        for e in root.iter()
        if (v := e.get(XLINK, "#")) != "#" and v.startswith("#")
    }
    ids: dict[str, str] = {}
    for element in root.iter():
        name = element.get("id")
        if name is not None and name in referenced:
            ids[name] = f"r{len(ids) + 1}"
    for element in root.iter():
        if element.tag.endswith(("metadata", "style")) or "RDF" in element.tag:
            continue
        for key, value in element.attrib.items():
            if key == XLINK and value.startswith(PNG_DATA):
                png = compact_png(base64.b64decode(value.removeprefix(PNG_DATA)))
                element.attrib[key] = PNG_DATA + base64.b64encode(png).decode("ascii")
                continue
            if key == XLINK and value.startswith("data:"):
                continue
            if key == "id" or key == XLINK:
                value = ("#" if value.startswith("#") else "") + ids.get(
                    value.lstrip("#"), value.lstrip("#")
                )
            value = re.sub(
                r"url\(#([^)]+)\)", lambda m: f"url(#{ids.get(m[1], m[1])})", value
            )
            if key == "d":
                value = " ".join(value.split())
            value = FONT_FALLBACKS.sub(r"\1, sans-serif", value)
            element.attrib[key] = ATTRIBUTE_NUMBER.sub(_round, value)
    for element in root.iter():  # indentation only: the file is read by machines
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    return write(root)
