"""Score every built page with Lighthouse, the site served gzipped as a host would.

Run from the project folder after `mkdocs build`:
`.venv/bin/python benchmarks/lighthouse.py [--runs 3] [PAGE ...]`. It needs Lighthouse
(`npm install lighthouse@12` in any folder; give its path with `--lighthouse` or put it
on PATH) and Chromium at `/usr/bin/chromium`. For each page it prints the median of
`--runs` mobile runs: performance, accessibility, best practices, and the page's
weight as transferred (gzipped), plus how many requests left the site, and the
metrics that make the performance score. The runs go in rounds over all pages after
one unscored run, so that Chromium's first start and a busy spell of a shared machine
do not fall on one page's runs; each file is compressed once, as a host keeps it. The
load average is printed with the table.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO

SITE = Path("site")
NAMES = ["performance", "accessibility", "best-practices"]
CATEGORIES = ",".join(NAMES)
# The metrics of Lighthouse 12's performance score, in milliseconds but CLS.
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "SI": "speed-index",
    "CLS": "cumulative-layout-shift",
}


@functools.cache
def gzipped(path: Path) -> bytes:
    """A file's bytes gzipped, compressed once per run."""
    return gzip.compress(path.read_bytes())


class Gzipped(http.server.SimpleHTTPRequestHandler):
    """Serve files gzipped when the browser accepts it, as static hosts do."""

    def send_head(self) -> _Body | BinaryIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, *args: object) -> None:
        pass


class _Body:
    """A response body that `copyfile` can read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the built site on a free local port; the server and its address."""
    handler = functools.partial(Gzipped, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def score(lighthouse: str, url: str, origin: str) -> dict[str, float]:
    """One mobile Lighthouse run of a page: scores, weight, requests elsewhere."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            *(lighthouse, url, "--quiet", "--output=json", f"--output-path={report}"),
            f"--only-categories={CATEGORIES}",
            "--chrome-flags=--headless=new --no-sandbox",
        ]
        env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
        subprocess.run(command, check=True, env=env, capture_output=True)
        data = json.loads(report.read_text())
    audits = data["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        **{name: data["categories"][name]["score"] * 100 for name in NAMES},
        "KB": audits["total-byte-weight"]["numericValue"] / 1000,
        "outside": sum(
            not item["url"].startswith(origin)
            for item in requests
            if item["url"].startswith("http")
        ),
        **{name: audits[audit]["numericValue"] for name, audit in METRICS.items()},
        "benchmarkIndex": data["environment"]["benchmarkIndex"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse"))
    parser.add_argument("pages", nargs="*", help="folders under site/, e.g. api/")
    args = parser.parse_args()
    if not args.lighthouse:
        parser.error(
            "no lighthouse on PATH: npm install lighthouse@12, or --lighthouse"
        )
    pages = args.pages or sorted(
        str(page.parent.relative_to(SITE)) + "/"
        for page in SITE.rglob("index.html")
        if page.parent.name not in {"404", "search", "assets"}
    )
    server, origin = serve()
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} mobile runs")
    score(args.lighthouse, origin, origin)  # unscored: Chromium's first start
    runs: dict[str, list[dict[str, float]]] = {page: [] for page in pages}
    for _ in range(args.runs):
        for page in pages:
            url = origin + ("" if page == "./" else page)
            runs[page].append(score(args.lighthouse, url, origin))
    server.shutdown()
    head = ["page", "performance", "accessibility", "best practices", "KB gzipped"]
    head += ["requests elsewhere", *(f"{name} ms" for name in METRICS)]
    print("| " + " | ".join(head).replace("CLS ms", "CLS") + " |")
    print("| --- " * len(head) + "|")
    # Lighthouse's measure of this machine's CPU; below 1000 Lighthouse warns that the
    # host is slower than its CPU slowdown assumes (core/gather/driver/environment.js).
    index = statistics.median(
        run.pop("benchmarkIndex") for r in runs.values() for run in r
    )
    for page, page_runs in runs.items():
        median = {
            key: statistics.median(run[key] for run in page_runs)
            for key in page_runs[0]
        }
        cells = [page.removesuffix("/") if page != "./" else "home"]
        cells += [
            f"{median[key]:.3f}" if key == "CLS" else f"{median[key]:.0f}"
            for key in median
        ]
        print("| " + " | ".join(cells) + " |")
    load = os.getloadavg()[0]
    print(f"load average {load:.2f}; Lighthouse's benchmarkIndex {index:.0f}")


if __name__ == "__main__":
    main()
