"""A figure's dark variant: its greys recoloured for Material's slate background."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pagecheck.svg import write

SUFFIX = "-dark"
BACKGROUND = (0x1E, 0x20, 0x29)  # Material's slate background
FOREGROUND = (0xE2, 0xE4, 0xEA)


def dark_path(path: Path) -> Path:
    """Where the dark variant of the figure at `path` is stored."""
    return path.with_name(path.stem + SUFFIX + path.suffix)


def _darken_hex(colour: str) -> str:
    """A `#rrggbb` colour for a dark background: greys inverted, colours kept."""
    import numpy as np

    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    background, foreground = np.array(BACKGROUND) / 255, np.array(FOREGROUND) / 255
    if rgb.max() - rgb.min() > 0.08:  # a colour, not a grey: data keeps its colours
        return colour
    new = background + (foreground - background) * (1 - rgb.mean())
    return "#" + "".join(f"{round(v * 255):02x}" for v in new)


def darken(svg: str) -> str:
    """The same figure for a dark background: greys inverted towards slate."""
    root = ET.fromstring(svg)
    for element in root.iter():
        if element.tag.endswith("image"):
            continue
        for key, value in element.attrib.items():
            element.attrib[key] = re.sub(
                r"#[0-9a-fA-F]{6}\b", lambda m: _darken_hex(m[0]), value
            )
    # matplotlib leaves black fills (and black text) implicit: make them light.
    root.set("fill", _darken_hex("#000000"))
    return write(root)
