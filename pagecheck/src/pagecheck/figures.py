"""Write a matplotlib figure as SVG, light and dark, and compare figures as text.

A figure is stored as two SVG files written by matplotlib with fixed settings (text
kept as text, no date, a fixed hash salt, coordinates rounded to 0.01 pt, raster
images re-encoded with the same pixels in fewer bytes): NAME.svg
for light mode and NAME-dark.svg, the same drawing with its greys recoloured for a
dark background. A figure is compared through its canonical text: one SVG element
per line, attributes sorted, numbers with two decimals, path data split into short
lines. That text holds everything a reader sees (data, limits, ticks, colours, line
styles, legend, texts, size); embedded raster images are left out and replaced by a
description of their array, colormap and colour limits, stored in the SVG's
metadata. Two figures match when their texts match by `pagecheck.compare`'s rule;
pixels are never compared.
"""

from __future__ import annotations

import base64
import difflib
import io
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pagecheck.compare import NUMBER, outputs_match

if TYPE_CHECKING:  # these load where a figure is drawn or darkened, not to read one
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage, FigureImage
    from matplotlib.typing import RcKeyType

SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "{http://www.w3.org/1999/xlink}href"
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "pagecheck",
    "svg.fonttype": "none",
    "path.simplify": False,
}
METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
DARK_SUFFIX = "-dark"
DARK_HEAD = "dark variant:"
BACKGROUND = (0x1E, 0x20, 0x29)  # Material's slate background
FOREGROUND = (0xE2, 0xE4, 0xEA)
IMAGE_BLOCKS = 8  # an image's values are described as at most 8 x 8 block means
SMALL_IMAGE = 64  # pixels a side, at most, for an image embedded at its own size
COMMANDS_PER_LINE = 6
MOST_DIFF_LINES = 40
PNG_DATA = "data:image/png;base64,"
for prefix, uri in [
    ("", SVG_NS),
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


def _image_array(image: AxesImage | FigureImage) -> np.ndarray:
    array = image.get_array()
    if array is None:
        raise ValueError(f"{image!r} has no data: set its array before drawing it")
    return array


def _image_lines(number: int, image: AxesImage | FigureImage) -> list[str]:
    import numpy as np

    a: np.ndarray = np.ma.filled(np.ma.asarray(image.get_array(), dtype=float), np.nan)
    lo, hi = image.get_clim()
    extent = image.get_extent()
    head = (
        f"image {number}: {'x'.join(map(str, a.shape))} cmap={image.get_cmap().name}"
        f" clim=({lo:.4g}, {hi:.4g}) interpolation={image.get_interpolation()}"
        f" origin={image.origin} extent=({', '.join(f'{e:.4g}' for e in extent)})"
    )
    if a.ndim == 3:  # RGB(A): one block grid per channel
        a = np.moveaxis(a, -1, 0)
    else:
        a = ((a - lo) / (hi - lo if hi != lo else 1.0))[None]
    lines = [head]
    for channel in a:
        rows = np.array_split(
            np.arange(channel.shape[0]), min(IMAGE_BLOCKS, len(channel))
        )
        cols = np.array_split(
            np.arange(channel.shape[1]), min(IMAGE_BLOCKS, channel.shape[1])
        )
        for r in rows:
            with warnings.catch_warnings():  # a block of only NaN has mean NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                means = [np.nanmean(channel[np.ix_(r, c)]) for c in cols]
            lines.append("  " + " ".join(f"{m:.2f}" for m in means))
    return lines


def _images_description(fig: Figure) -> str:
    """Each image's shape, colormap, colour limits and (scaled) block means."""
    from matplotlib.image import FigureImage

    lines: list[str] = []
    images: list[AxesImage | FigureImage] = [
        image for ax in fig.axes for image in ax.images
    ]
    for image in fig.images:
        if not isinstance(image, FigureImage):
            raise TypeError(f"expected a FigureImage in Figure.images, got {image!r}")
        images.append(image)
    for number, image in enumerate(images, start=1):
        lines += _image_lines(number, image)
    return "\n".join(lines)


def _round(match: re.Match[str]) -> str:
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _compact_png(png: bytes) -> bytes:
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


def _tidy(svg: str) -> str:
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
                png = _compact_png(base64.b64decode(value.removeprefix(PNG_DATA)))
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
    return ET.tostring(root, encoding="unicode") + "\n"


def _darken_hex(colour: str) -> str:
    """A `#rrggbb` colour for a dark background: greys inverted, colours kept."""
    import numpy as np

    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    background, foreground = np.array(BACKGROUND) / 255, np.array(FOREGROUND) / 255
    if rgb.max() - rgb.min() > 0.08:  # a colour, not a grey: data keeps its colours
        return colour
    new = background + (foreground - background) * (1 - rgb.mean())
    return "#" + "".join(f"{round(v * 255):02x}" for v in new)


def _darken_colour(match: re.Match[str]) -> str:
    return _darken_hex(match[0])


def darken(svg: str) -> str:
    """The same figure for a dark background: greys inverted towards slate."""
    root = ET.fromstring(svg)
    for element in root.iter():
        if element.tag.endswith("image"):
            continue
        for key, value in element.attrib.items():
            element.attrib[key] = re.sub(r"#[0-9a-fA-F]{6}\b", _darken_colour, value)
    # matplotlib leaves black fills (and black text) implicit: make them light.
    root.set("fill", _darken_hex("#000000"))
    return ET.tostring(root, encoding="unicode") + "\n"


def render(fig: Figure) -> tuple[str, str]:
    """The figure as light and dark SVG text, written the same way on every run."""
    import matplotlib as mpl

    buffer = io.StringIO()
    metadata = dict(
        METADATA, Title=alt_text(fig), Description=_images_description(fig) or None
    )
    # A small image drawn upsampled by nearest neighbours looks the same embedded at
    # its own size and scaled by the browser: crisp on any screen, and light.
    small = [
        image
        for ax in fig.axes
        for image in ax.images
        if image.get_interpolation() in ("auto", "antialiased", "nearest")
        and max(_image_array(image).shape[:2]) <= SMALL_IMAGE
    ]
    interpolations = [image.get_interpolation() for image in small]
    try:
        for image in small:
            image.set_interpolation("none")
        with mpl.rc_context(RC):
            fig.savefig(
                buffer,
                format="svg",
                metadata=metadata,
                bbox_inches="tight",
                pad_inches=0.04,
                transparent=True,
            )
    finally:
        for image, interpolation in zip(small, interpolations, strict=True):
            image.set_interpolation(interpolation)
    light = _tidy(buffer.getvalue())
    return light, darken(light)


def _split_path(d: str) -> list[str]:
    commands = re.findall(r"[A-Za-z][^A-Za-z]*", d)
    step = COMMANDS_PER_LINE
    return [
        " ".join(c.strip() for c in commands[i : i + step])
        for i in range(0, len(commands), step)
    ]


def _fixed(text: str) -> str:
    text = FONT_FALLBACKS.sub(r"\1", text)  # the font used, not its fallbacks
    return ATTRIBUTE_NUMBER.sub(lambda m: f"{float(m[0]):.2f}", text)


def canonical(svg: str) -> str:
    """An SVG as comparable text: one element per line, attributes sorted."""
    lines: list[str] = []

    def walk(element: ET.Element, depth: int) -> None:
        pad = "  " * depth
        tag = element.tag.rpartition("}")[2]
        attributes = []
        # Sorted, with the long style last so that a diff shows positions first.
        for key, value in sorted(
            element.attrib.items(), key=lambda a: (a[0] == "style", a)
        ):
            name = key.rpartition("}")[2]
            if name == "d":
                continue
            if key == XLINK and value.startswith("data:"):
                value = "(raster data: see the image description)"
            elif name != "id" and "RDF" not in element.tag:
                value = _fixed(value)
            attributes.append(f"{name}={value}")
        lines.append(" ".join([pad + tag, *attributes]))
        lines.extend(
            f"{pad}  d {part}"
            for part in _split_path(_fixed(element.attrib.get("d", "")))
        )
        for text_line in (element.text or "").strip().split("\n"):
            if text_line.strip():
                lines.append(f"{pad}  | {text_line.strip()}")
        for child in element:
            walk(child, depth + 1)

    walk(ET.fromstring(svg), 0)
    return "\n".join(lines)


def dark_path(path: Path) -> Path:
    """Where the dark variant of the figure at `path` is stored."""
    return path.with_name(path.stem + DARK_SUFFIX + path.suffix)


def _pair(light: str, dark: str | None) -> str:
    dark_text = canonical(dark) if dark is not None else "(no dark variant file)"
    return f"{canonical(light)}\n{DARK_HEAD}\n{dark_text}"


def describe(fig: Figure) -> str:
    """Everything a reader sees of the figure, light and dark, as comparable text."""
    return _pair(*render(fig))


def save(fig: Figure, path: Path) -> None:
    """Write the figure's light SVG to `path` and its dark variant beside it."""
    light, dark = render(fig)
    path.write_text(light, encoding="utf8")
    dark_path(path).write_text(dark, encoding="utf8")


def read_description(path: Path) -> str | None:
    """The comparable text of a stored figure and its dark variant, None if absent."""
    try:
        light = path.read_text(encoding="utf8")
        dark = dark_path(path)
        return _pair(light, dark.read_text(encoding="utf8") if dark.exists() else None)
    except (OSError, ValueError, ET.ParseError):
        return None


def describe_svg(light: str, dark: str | None) -> str:
    """The comparable text of a figure given as SVG text (for notebooks)."""
    return _pair(light, dark)


def _light_part(lines: list[str]) -> list[str]:
    return lines[: lines.index(DARK_HEAD)] if DARK_HEAD in lines else lines


def diff(shown: str | None, fresh: str, where: str) -> str:
    """The lines of two figure texts that differ beyond the tolerance, at most 40."""
    old_all, new_all = (shown or "").split("\n"), fresh.split("\n")
    old, new = _light_part(old_all), _light_part(new_all)
    if all(map(outputs_match, old, new)) and len(old) == len(new):
        old, new = old_all, new_all  # only the dark variant differs: show it
    skeleton = difflib.SequenceMatcher(
        None,
        [NUMBER.sub("#", s) for s in old],
        [NUMBER.sub("#", s) for s in new],
        autojunk=False,
    )
    hunks = []  # (rank, lines): changed texts first, then changed values, then the rest
    for tag, i1, i2, j1, j2 in skeleton.get_opcodes():
        if tag == "equal":
            pairs = zip(old[i1:i2], new[j1:j2], strict=True)
            for number, (a, b) in enumerate(pairs):
                if not outputs_match(a, b):
                    rank = 0 if a.lstrip().startswith("| ") else 1
                    hunks.append(
                        (rank, [f"@@ line {i1 + number + 1} @@", f"-{a}", f"+{b}"])
                    )
        else:
            lines = [f"-{a}" for a in old[i1:i2]] + [f"+{b}" for b in new[j1:j2]]
            hunks.append((2, [f"@@ line {i1 + 1} @@", *lines]))
    hunks.sort(key=lambda hunk: hunk[0])
    out = [line for _, hunk in hunks for line in hunk]
    if len(out) > MOST_DIFF_LINES:
        out = out[:MOST_DIFF_LINES] + [f"... and {len(out) - MOST_DIFF_LINES} more"]
    head = [f"--- shown at {where}", "+++ fresh run"]
    return "\n".join(line[:300] for line in head + out)


def _axes_alt(ax: Axes) -> str:
    import numpy as np
    from matplotlib.patches import Rectangle

    kinds: list[str] = []
    lines = [line for line in ax.get_lines() if np.size(line.get_xdata()) > 2]
    if lines:
        kinds.append("lines")
    if any(isinstance(p, Rectangle) for p in ax.patches):
        kinds.append("bars")
    if ax.collections:
        kinds.append("points")
    if ax.images:
        kinds.append("an image")
    what = " and ".join(kinds) or "an empty plot"
    parts = [f"{ax.get_title() or 'a panel'}: {what}"]
    if ax.get_ylabel() or ax.get_xlabel():
        parts.append(
            f"of {ax.get_ylabel() or 'values'} against {ax.get_xlabel() or 'x'}"
        )
    if not ax.images and ax.axison:
        scale = " (log scale)" if ax.get_yscale() == "log" else ""
        lo, hi = ax.get_ylim()
        parts.append(f"y from {lo:.3g} to {hi:.3g}{scale}")
    labels = [
        line.get_label()
        for line in ax.get_lines() + ax.containers + ax.collections
        if not str(line.get_label()).startswith("_")
    ]
    labels += [
        p.get_label() for p in ax.patches if not str(p.get_label()).startswith("_")
    ]
    if labels:
        parts.append("legend: " + ", ".join(dict.fromkeys(labels)))
    return ", ".join(parts)


def alt_text(fig: Figure) -> str:
    """A description of the figure for readers who cannot see it."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    suptitle = fig.get_suptitle()
    head = f"{suptitle}. " if suptitle else ""
    if len(axes) > 1 and all(ax.images and not ax.get_lines() for ax in axes):
        spec = axes[0].get_subplotspec()
        rows, cols = spec.get_gridspec().get_geometry() if spec else (1, len(axes))
        titles = [repr(ax.get_title()) for ax in axes if ax.get_title()]
        if len(titles) > 4:
            titles = [f"{titles[0]} to {titles[-1]}"]
        named = f", titled {', '.join(titles)}" if titles else ""
        grid = f"{rows} row{'s' if rows > 1 else ''} of {cols}"
        text = f"{head}A grid of {len(axes)} images, {grid}{named}"
    else:
        count = {1: "", 2: "Two panels. "}.get(len(axes), f"{len(axes)} panels. ")
        text = head + count + "; ".join(_axes_alt(ax) for ax in axes)
    text = text.replace("[", "(").replace("]", ")").replace("\n", " ")
    return text[:1].upper() + text[1:]
