"""Describe a matplotlib figure by the data it draws, and keep that text in its PNG.

A figure is stale when its description differs from a fresh run's, compared like an
output (see `pagecheck.compare`); the pixels are never compared.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

KEY = "pagecheck-figure"
MOST_POINTS = 24


def _numbers(values) -> str:
    values = np.asarray(values, dtype=float).ravel()
    if len(values) > MOST_POINTS:
        picks = np.linspace(0, len(values) - 1, MOST_POINTS).round().astype(int)
        return f"{len(values)} values, at {_numbers(picks)}: {_numbers(values[picks])}"
    return "[" + ", ".join(f"{v:.4g}" for v in values) + "]"


def _axes_lines(number: int, ax) -> list[str]:
    out = [
        f"axes {number}: title={ax.get_title()!r} xlabel={ax.get_xlabel()!r} "
        f"ylabel={ax.get_ylabel()!r} xscale={ax.get_xscale()} yscale={ax.get_yscale()}"
    ]
    for line in ax.get_lines():
        x, y = np.asarray(line.get_xydata(), dtype=float).T
        out.append(f"  line {line.get_label()!r}: x={_numbers(x)} y={_numbers(y)}")
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    if bars:
        out.append(f"  bars x={_numbers([b.get_x() for b in bars])}")
        out.append(f"  bars height={_numbers([b.get_height() for b in bars])}")
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        out.append(f"  points {collection.get_label()!r}: {_numbers(offsets)}")
    for image in ax.images:
        a = np.asarray(image.get_array(), dtype=float)
        out.append(
            f"  image {a.shape}: mean={a.mean():.4g} std={a.std():.4g} "
            f"min={a.min():.4g} max={a.max():.4g}"
        )
    legend = ax.get_legend()
    texts = list(ax.texts) + (legend.get_texts() if legend else [])
    out += [f"  text {t.get_text()!r}" for t in texts]
    return out


def describe(fig: Figure) -> str:
    """The data a figure draws, as text: titles, labels, series, bars, images."""
    suptitle = fig._suptitle.get_text() if fig._suptitle else ""
    lines = [f"figure: suptitle={suptitle!r}"]
    for number, ax in enumerate(fig.axes):
        lines += _axes_lines(number, ax)
    return "\n".join(lines)


def alt_text(fig: Figure) -> str:
    """A short description for the page: the figure's title or its first axes' title."""
    titles = [fig._suptitle.get_text() if fig._suptitle else ""]
    titles += [ax.get_title() for ax in fig.axes]
    return next((t for t in titles if t), "Figure").replace("[", "(").replace("]", ")")


def save(fig: Figure, path: Path) -> None:
    """Write the figure as a PNG that carries its description."""
    fig.savefig(
        path, format="png", dpi=96, metadata={"Software": None, KEY: describe(fig)}
    )


def read_description(path: Path) -> str | None:
    """The description stored in a figure's PNG, or None if there is none."""
    try:
        with Image.open(path) as image:
            return image.text.get(KEY)
    except (OSError, ValueError):
        return None
