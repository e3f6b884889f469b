"""Time the full test suite beside every page's code run once as a plain script.

Run from the project folder: `.venv/bin/python benchmarks/suite_vs_scripts.py`. The
plain scripts run one after another, each in a fresh Python in an empty folder; the
suite is the README's test command. Given pages (`... suite_vs_scripts.py docs/A.md`),
it times those pages' scripts beside `pytest` on those pages only. The suite is timed
twice: as it is, and without the pages' extra runs under the `environments` of
`[tool.pagecheck]`. Beside each wall time, the CPU time of the processes it ran and
how many of the machine's cores that kept busy on average. The machine may be shared:
compare the numbers of one run, not numbers of different runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build import children_cpu  # benchmarks/build.py, beside this script

ROOT = Path.cwd()


def blocks(page: Path) -> list[str]:
    """The source of each block that pagecheck runs on a page or notebook."""
    from pagecheck import read_page

    if page.suffix == ".ipynb":
        import nbformat

        notebook = nbformat.read(page, as_version=4)
        return [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    return [block.source for block in read_page(page).blocks]


def environment_keys() -> set[str]:
    """Words that name the extra environments' tests (their variables)."""
    from pagecheck import load_settings

    return {key for env in load_settings(ROOT).environments for key in env.variables}


def timed(*command: str, cwd: Path, check: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds of a command."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg")
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, check=check, capture_output=True)
    if done.returncode:
        print(f"{' '.join(command[-3:])} exited with {done.returncode}")
    return time.perf_counter() - start, children_cpu() - cpu


def cores(wall: float, cpu: float) -> str:
    return f"(CPU {cpu:6.1f} s, {cpu / wall:.2f} cores busy)"


def main() -> None:
    docs = ROOT / "docs"
    chosen = [ROOT / name for name in sys.argv[1:]]
    pages = chosen or sorted(docs.rglob("*.md")) + sorted(docs.rglob("*.ipynb"))
    scripts = scripts_cpu = 0.0
    for page in pages:
        sources = blocks(page)
        if sources:
            folder = Path(tempfile.mkdtemp())
            script = folder / "page.py"
            script.write_text("\n".join(sources))
            (folder / "run").mkdir()
            wall, cpu = timed(sys.executable, str(script), cwd=folder / "run")
            scripts, scripts_cpu = scripts + wall, scripts_cpu + cpu
    pytest = (sys.executable, "-m", "pytest", "-q")
    suite, cpu = timed(*pytest, *sys.argv[1:], cwd=ROOT, check=False)  # failures too
    what = "those pages" if chosen else "the full test suite"
    print(f"each page's code once, as plain scripts: {scripts:6.1f} s", end=" ")
    print(cores(scripts, scripts_cpu))
    print(f"pytest on {what}: {suite:6.1f} s, ratio {suite / scripts:.2f}", end=" ")
    print(cores(suite, cpu))
    # The same without the pages' extra runs under [tool.pagecheck] environments.
    extra = " or ".join(sorted(environment_keys()))
    if extra:
        not_extra = ("-k", f"not ({extra})")
        once, cpu = timed(*pytest, *not_extra, *sys.argv[1:], cwd=ROOT, check=False)
        print(f"the same without the extra runs: {once:6.1f} s, ", end="")
        print(f"ratio {once / scripts:.2f}", cores(once, cpu))


if __name__ == "__main__":
    main()
