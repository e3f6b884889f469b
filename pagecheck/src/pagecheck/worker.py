"""Run a page's blocks in order in one fresh interpreter, in an empty folder.

Started by the pytest plugin as `python -m pagecheck.worker PRINTED` with
the matplotlib backend `module://pagecheck.backend`. It reads one JSON request per line
on stdin and answers one JSON line per block, a `pagecheck.result.BlockResult`: what
the block printed, the figures it showed (each rendered once, as SVG), or the error a
reader would see. What a block prints also goes to the file PRINTED as it runs, so
that the plugin can say what a block that hangs printed before it was stopped.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

from pagecheck.result import BlockResult


class EchoError(Exception):
    """A block ends in an expression whose value a notebook would show, a script not."""


class _Printed(io.StringIO):
    """A block's stdout, kept in memory and copied as it comes to a file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file = path.open("w", encoding="utf8")

    def write(self, text: str) -> int:
        self.file.write(text)
        self.file.flush()
        return super().write(text)

    def close(self) -> None:
        self.file.close()
        super().close()


def _displayhook(value: object) -> None:
    if value is not None:
        raise EchoError(
            f"the block ends in an expression whose value ({type(value).__name__}) a "
            "notebook would show but a script would not; print() it or assign it"
        )


def _format_error(error: BaseException, filename: str) -> str:
    frames = list(traceback.extract_tb(error.__traceback__))
    ours = [n for n, frame in enumerate(frames) if frame.filename == filename]
    frames = frames[ours[0] :] if ours else frames
    kept = traceback.StackSummary.from_list(
        [frame for frame in frames if frame.filename != __file__]
    )
    lines = ["Traceback (most recent call last):\n", *kept.format()]
    return "".join(lines + traceback.format_exception_only(error)).rstrip()


def run_block(
    request: dict[str, Any], namespace: dict[str, Any], printed: Path
) -> BlockResult:
    """Run one block's source in the page's namespace and report what a reader sees."""
    import matplotlib.pyplot as plt

    from pagecheck import backend, render

    filename, out, err = request["filename"], _Printed(printed), io.StringIO()
    started, error = time.perf_counter(), None
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        try:
            body = ast.parse(request["source"], filename).body
            # Like a notebook cell: only a final bare expression shows its value.
            last = body[-1:] if body and isinstance(body[-1], ast.Expr) else []
            head = ast.Module(body=body[: len(body) - len(last)], type_ignores=[])
            exec(compile(head, filename, "exec"), namespace)  # noqa: S102
            if last:
                tail = ast.Interactive(body=last)
                exec(compile(tail, filename, "single"), namespace)  # noqa: S102
        except BaseException as exc:  # noqa: BLE001 (a reader would see any)
            error = _format_error(exc, filename)
    seconds = time.perf_counter() - started
    shown, backend.SHOWN[:] = list(backend.SHOWN), []
    if error is None and plt.get_fignums():
        error = "the block draws a figure but never calls plt.show()"
    if error is None and caught:
        first = caught[0]
        error = f"the block warns: {first.category.__name__}: {first.message}"
    if error is None and err.getvalue():
        error = f"the block writes to stderr:\n{err.getvalue()}"
    plt.close("all")
    result = BlockResult(out.getvalue(), error, seconds)
    out.close()
    for number, fig in enumerate(shown, start=request["first_figure"]):
        result.figures.append(render.render(fig, f"{request['stem']}-{number}.svg"))
    return result


def main() -> None:
    """Answer block requests until stdin closes."""
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # the blocks' own stdout is captured; keep fd 1 for nothing else
    printed = Path(sys.argv[1])
    sys.displayhook = _displayhook
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    for line in sys.stdin:
        result = run_block(json.loads(line), namespace, printed)
        replies.write(result.to_json())
        replies.write("\n")
        replies.flush()


if __name__ == "__main__":
    main()
