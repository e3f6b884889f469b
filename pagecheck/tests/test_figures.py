"""How pagecheck stores a figure's raster images: the same pixels, in fewer bytes."""

import base64
import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from pagecheck.render import render
from pagecheck.svg import compact_png


def png_of(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png")
    return buffer.getvalue()


def rgba_of(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA"))


rng = np.random.default_rng(0)
colormapped = plt.get_cmap("bwr")(rng.normal(size=(28, 28)), bytes=True)
see_through = colormapped.copy()
see_through[:4, :, 3] = 0
smooth = rng.integers(0, 256, size=(40, 40, 3), dtype=np.uint8)  # > 256 colours


@pytest.mark.parametrize(
    "pixels", [colormapped, see_through, smooth], ids=["256", "alpha", "many"]
)
def test_an_image_keeps_every_pixel_in_no_more_bytes(pixels):
    png = png_of(pixels)
    compact = compact_png(png)
    assert len(compact) <= len(png)
    assert np.array_equal(rgba_of(compact), rgba_of(png))


def test_a_colormapped_image_is_stored_indexed():
    assert Image.open(io.BytesIO(compact_png(png_of(colormapped)))).mode == "P"


def test_a_rendered_figure_embeds_its_digit_indexed():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.imshow(rng.normal(size=(28, 28)), cmap="bwr")
    rendered = render(fig, "f-1.svg")
    plt.close(fig)
    for svg in (rendered.light, rendered.dark):
        data = re.search(r'"data:image/png;base64,([^"]+)"', svg)
        assert data is not None
        with Image.open(io.BytesIO(base64.b64decode(data[1]))) as image:
            assert image.mode == "P" and image.size == (28, 28)
