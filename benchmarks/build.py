"""Time the site's build, and how soon `mkdocs serve` shows a page edit.

Run from the project folder: `.venv/bin/python benchmarks/build.py`. It prints

- `mkdocs build`: a whole build in a fresh Python, nothing changed since the last
  build (as a second `mkdocs build` meets it), best and median of `--runs`, wall
  time and CPU time (the build's process and its children);
- `mkdocs serve`: from writing an edit into a question page to the served page
  showing it, best and median of `--runs` edits, in a copy of the site's sources so
  that the working tree is left alone (with `--dirty`, as `mkdocs serve --dirty`
  rebuilds only the edited page);
- with `--events`, where one build in this Python spends its time: loading the
  configuration (which imports the plugins), each plugin's and hook's events, and the
  rest (Markdown, templates, writing files).

The machine may be shared: `uptime`'s load is printed with the figures, and the best
of several runs is the figure to compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["mkdocs.yml", "pyproject.toml", "README.md", "LICENSE"]
SOURCES += ["docs", "hooks", "overrides", "src", ".cache"]
EDITED = "docs/questions/bias-broadcasting.md"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(name: str, times: list[float], cpu: list[float] | None = None) -> str:
    median = statistics.median(times)
    line = f"{name:<17} best {min(times):5.2f} s, median {median:5.2f} s"
    if cpu:
        line += f" (CPU best {min(cpu):5.2f} s)"
    return line


def time_build(runs: int) -> str:
    """A no-change `mkdocs build`, run `runs` times after one that fills caches."""
    out = tempfile.mkdtemp()
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", out]
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = children_cpu(), time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=ENV, check=True)
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    shutil.rmtree(out)
    return summary("mkdocs build", walls, cpus)


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process and its finished children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def wait_for(check: Callable[[], bool], limit: float) -> None:
    end = time.perf_counter() + limit
    while not check():
        if time.perf_counter() > end:
            raise TimeoutError(f"not seen within {limit} s")
        time.sleep(0.05)


def time_serve(runs: int, dirty: bool = False) -> str:
    """Edit a page under `mkdocs serve` and time until the served page shows it."""
    copy = Path(tempfile.mkdtemp())
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("site"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    port = free_port()
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    mount = urlsplit(site_url).path  # where `mkdocs serve` serves the site
    url = f"http://127.0.0.1:{port}{mount}{EDITED.removeprefix('docs/')[:-3]}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    command += ["--dirty", "--no-strict"] if dirty else []  # --dirty warns
    log = (copy / "serve.log").open("w")
    server = subprocess.Popen(command, cwd=copy, env=ENV, stdout=log, stderr=log)
    page = copy / EDITED
    original = page.read_text()
    times, cpus = [], []
    try:
        try:
            wait_for(lambda: "<h1" in fetch(url), 300)
        except TimeoutError:
            raise TimeoutError((copy / "serve.log").read_text()) from None
        for run in range(runs):
            marker = f"edit{run}x{time.time_ns()}"
            cpu, start = process_cpu(server.pid), time.perf_counter()
            page.write_text(original.replace("\n", f"\n\n{marker}\n", 1))
            wait_for(lambda m=marker: m in fetch(url), 120)
            times.append(time.perf_counter() - start)
            cpus.append(process_cpu(server.pid) - cpu)
            time.sleep(0.5)  # let the server settle before the next edit
    finally:
        server.terminate()
        server.wait(30)
        log.close()
        shutil.rmtree(copy)
    return summary(f"mkdocs serve{' --dirty' if dirty else ''} edit", times, cpus)


def time_events() -> str:
    """Where one in-process build spends its time, by configuration and event."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def timed(method: Callable[..., Any], label: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                spent[label][0] += time.perf_counter() - wall
                spent[label][1] += time.process_time() - cpu

        return wrapper

    out = tempfile.mkdtemp()
    os.chdir(ROOT)
    wall, cpu = time.perf_counter(), time.process_time()
    config = load_config("mkdocs.yml", site_dir=out)
    loaded = [time.perf_counter() - wall, time.process_time() - cpu]
    plugins = config.plugins
    for name, methods in plugins.events.items():
        for index, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "<unknown>")
            methods[index] = timed(method, f"{origin}: on_{name}")
            plugins._event_origins[methods[index]] = origin
    build(config)
    total = [time.perf_counter() - wall, time.process_time() - cpu]
    shutil.rmtree(out)
    rows = [("load_config (imports plugins and hooks)", loaded)]
    rows += sorted(spent.items(), key=lambda row: -row[1][1])
    rest = [total[i] - loaded[i] - sum(s[i] for s in spent.values()) for i in (0, 1)]
    rows.append(("the rest (Markdown, templates, files)", rest))
    lines = [
        f"  {name:<46} {w:6.2f} s {c:6.2f} s" for name, (w, c) in rows if c >= 0.005
    ]
    head = f"one build in this Python: wall {total[0]:.2f} s, CPU {total[1]:.2f} s"
    return "\n".join([head, f"  {'':<46} {'wall':>8} {'CPU':>8}", *lines])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", action="store_true", help="also time each event")
    parser.add_argument("--only", choices=["build", "serve"], help="time one of them")
    parser.add_argument(
        "--dirty", action="store_true", help="serve with --dirty: rebuild edited pages"
    )
    args = parser.parse_args()
    print("load before:", os.getloadavg()[0])
    if args.only in (None, "build"):
        print(time_build(args.runs), flush=True)
    if args.only in (None, "serve"):
        print(time_serve(args.runs, args.dirty), flush=True)
    if args.events:
        print(time_events())
    print("load after:", os.getloadavg()[0])


if __name__ == "__main__":
    main()
