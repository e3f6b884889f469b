"""Time what the README and the issues promise: training, page runs, the site build.

Run from the project folder: `.venv/bin/python benchmarks/timings.py`. Each figure is
the best of three runs, in seconds, on this machine.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from lessoncode.data import threes_and_sevens
from lessoncode.training import simple_net, train
from pagecheck import read_notebook, read_page

ROOT = Path(__file__).parents[1]


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def command(*args: str, cwd: Path = ROOT) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)


def training_run() -> None:
    data = threes_and_sevens()
    torch.manual_seed(42)
    train(simple_net(), data, lr=0.1, num_epochs=40)


def blocks_of(page: Path) -> list:
    return (read_notebook if page.suffix == ".ipynb" else read_page)(page).blocks


def page_as_script(page: Path):
    blocks = blocks_of(page)
    script = Path(tempfile.mkdtemp()) / f"{page.stem}.py"
    script.write_text("\n".join(block.source for block in blocks))
    empty = Path(tempfile.mkdtemp())
    return lambda: command(sys.executable, str(script), cwd=empty)


def main() -> None:
    threes_and_sevens()  # the CSV is read once per process; time training alone
    rows = [("simple_net, 40 epochs on the 3s and 7s", best_of(3, training_run))]
    docs = ROOT / "docs"
    pages = sorted(docs.rglob("*.md")) + sorted(docs.rglob("*.ipynb"))
    for page in [page for page in pages if blocks_of(page)]:
        name = str(page.relative_to(ROOT))
        rows.append((f"{name} as a plain script", best_of(3, page_as_script(page))))
        verify = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", name)
        rows.append((f"pytest {name}", best_of(3, lambda v=verify: command(*v))))
    site = tempfile.mkdtemp()
    rows.append(
        (
            "mkdocs build --strict",
            best_of(
                3,
                lambda: command(
                    sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site
                ),
            ),
        )
    )
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
