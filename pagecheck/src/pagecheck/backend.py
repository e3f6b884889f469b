"""A matplotlib backend for page runs: plt.show() hands the figures to the worker.

It draws like Agg; `show` records the open figures in order and closes them, much as
matplotlib-inline does for a notebook.
"""

from matplotlib._pylab_helpers import Gcf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FigureCanvas = FigureCanvasAgg
SHOWN: list[Figure] = []


def show(*args: object, **kwargs: object) -> None:
    """Record every open figure as shown, and close it."""
    for manager in Gcf.get_all_fig_managers():
        SHOWN.append(manager.canvas.figure)
    Gcf.destroy_all()
