"""One page's fresh interpreter: start it, send it blocks with a time limit, stop it."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from pagecheck.result import BlockResult


class Interpreter:
    """A `pagecheck.worker` process in its own session, started in an empty folder."""

    def __init__(self, folder: Path, python: str, variables: dict[str, str]) -> None:
        self.printed = folder / "printed.txt"
        figures = folder / "figures"
        figures.mkdir(exist_ok=True)
        empty = tempfile.mkdtemp(dir=folder, prefix="cwd-")
        # Pages run side by side: OpenMP threads that spin while idle (the default)
        # would take the cores from the other page's threads.
        env = {"OMP_WAIT_POLICY": "PASSIVE", **os.environ, **variables}
        env["MPLBACKEND"] = "module://pagecheck.backend"
        command = [python, "-m", "pagecheck.worker", str(figures)]
        self.process = subprocess.Popen(
            [*command, str(self.printed)],
            cwd=empty,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so that stopping it stops what it started
        )
        self.ran = 0

    def run(self, request: dict[str, Any], timeout: float) -> BlockResult:
        """Run one block; a block still running after `timeout` s stops the process."""
        assert self.process.stdin and self.process.stdout
        started = time.perf_counter()
        self.printed.write_text("", encoding="utf8")
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        reply = self.process.stdout.readline() if ready else ""
        if reply:
            self.ran += 1
            return BlockResult(**json.loads(reply))
        self.stop(kill=True)
        if ready:
            why = f"the interpreter died (exit status {self.process.returncode})"
        else:
            why = f"the block was stopped after running for {timeout:g} s"
        printed = self.printed.read_text(encoding="utf8")
        said = (
            f"{why}; it printed:\n{printed}"
            if printed
            else f"{why}; it printed nothing"
        )
        return BlockResult(printed, said.rstrip(), time.perf_counter() - started)

    def stop(self, kill: bool = False) -> None:
        """End the process (at once if `kill`) and all it started; wait for it."""
        if not kill and self.process.poll() is None and self.process.stdin:
            with suppress(BrokenPipeError):
                self.process.stdin.close()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with suppress(BrokenPipeError):
                if pipe:
                    pipe.close()
