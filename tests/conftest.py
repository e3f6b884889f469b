import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

# The workers run side by side on the machine's cores, as pagecheck's page runs do:
# OpenMP threads that spin while idle (its default) would take the cores from the
# other worker's. Set before any test imports torch; the notebook kernels and other
# processes the tests start inherit it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id) -> Path:
    """The site as `mkdocs build --strict` makes it, built once for all workers."""
    if worker_id == "master":  # no xdist
        return build_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # this run's, for every worker
    with FileLock(shared / "site.lock"):
        if not (shared / "site.built").exists():
            build_site(shared / "site")
            (shared / "site.built").touch()
    return shared / "site"


def build_site(out: Path) -> Path:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out
