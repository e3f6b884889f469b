"""A figure's alt text says what each panel draws, in words a screen reader reads."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from pagecheck.alt import alt_text


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_a_colour_bar_is_told_with_its_panel_not_as_a_panel_of_its_own():
    fig, ax = plt.subplots()
    image = ax.imshow(np.arange(12.0).reshape(3, 4), vmin=0, vmax=11)
    ax.set(title="The loss", xlabel="c", ylabel="a")
    fig.colorbar(image, label="log10 of the loss")
    assert alt_text(fig) == (
        "The loss: an image, of a against c, a colour bar of log10 of the loss "
        "from 0 to 11"
    )


def test_a_panel_that_only_holds_the_key_is_called_the_key():
    fig, (plot, key) = plt.subplots(1, 2)
    plot.scatter([0, 1], [0, 1])
    plot.set(title="points")
    key.scatter([], [], label="training point")
    key.fill_between([], [], label="predicts 1")
    key.legend()
    key.axis("off")
    text = alt_text(fig)
    assert text.endswith("; the key, legend: training point, predicts 1")
    assert text.startswith("Two panels. points: points, y from")


def test_a_few_marked_points_are_drawn_and_a_missing_x_label_is_not_invented():
    fig, (first, second) = plt.subplots(2, 1)
    first.plot([0, 1, 2, 3], [1, 2, 1, 2])
    first.set(ylabel="batch loss")
    second.plot([1, 2], [0.5, 0.4], "o-")
    second.set(ylabel="batch loss", xlabel="epochs")
    text = alt_text(fig)
    assert "panel 1: lines, of batch loss, y from" in text
    assert "panel 2: lines, of batch loss against epochs, y from" in text
    assert "against x" not in text and "nothing drawn" not in text


def test_filled_regions_and_a_two_point_reference_line():
    fig, ax = plt.subplots()
    grid = np.linspace(-1, 1, 5)
    ax.contourf(grid, grid, np.add.outer(grid, grid) > 0, levels=[-0.5, 0.5, 1.5])
    ax.plot([-1, 1], [0, 0], color="grey")  # drawn, but not data
    assert alt_text(fig).startswith("The plot: filled regions, y from")


def test_an_empty_figure_says_so():
    fig, ax = plt.subplots()
    ax.set(title="nothing yet")
    assert alt_text(fig).startswith("Nothing yet: nothing drawn")
