"""pagecheck's API: a few names, loaded only when used."""

import subprocess
import sys

import pagecheck


def test_every_public_name_is_there():
    assert all(getattr(pagecheck, name) is not None for name in pagecheck.__all__)


def test_the_worker_loads_no_parser():
    """Every page's interpreter imports the package, maybe where they are missing."""
    code = "import sys, pagecheck.worker; print(' '.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert {"markdown_it", "nbformat", "mkdocs"}.isdisjoint(done.stdout.split())
