"""A matplotlib figure as the page stores it: light and dark SVG, written the same
way on every run.

matplotlib writes it with fixed settings (text kept as text, no date, a fixed hash
salt), then `pagecheck.svg` rounds its coordinates to 0.01 pt and stores its raster
images in fewer bytes. An image's pixels are never compared: the SVG's metadata
holds a description of its array, colormap and colour limits instead.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING, Any

from pagecheck.alt import alt_text
from pagecheck.dark import darken
from pagecheck.result import RenderedFigure
from pagecheck.svg import tidy

if TYPE_CHECKING:  # the worker loads them, and only the worker renders
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage, FigureImage
    from matplotlib.typing import RcKeyType

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "pagecheck",
    "svg.fonttype": "none",
    "path.simplify": False,
}
METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
IMAGE_BLOCKS = 8  # an image's values are described as at most 8 x 8 block means
SMALL_IMAGE = 64  # pixels a side, at most, for an image embedded at its own size


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


def render(fig: Figure, name: str) -> RenderedFigure:
    """The figure as light and dark SVG text, written the same way on every run."""
    import matplotlib as mpl

    buffer = io.StringIO()
    alt = alt_text(fig)
    metadata = dict(METADATA, Title=alt, Description=_images_description(fig) or None)
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
    light = tidy(buffer.getvalue())
    return RenderedFigure(name, alt, light, darken(light))
