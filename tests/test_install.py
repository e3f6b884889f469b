"""Installs work from the public package index: no local version labels, our own
pagecheck, and a torch range whose ends are the versions the tests run."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import DOCS, ROOT
from pagecheck.config import load

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PLACES = [
    ROOT / "README.md",
    ROOT / "mkdocs.yml",
    ROOT / ".ci" / "run",
    *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
    *sorted(DOCS.rglob("*.md")),
]
LOCAL_LABEL = re.compile(r"==\s*[\w.]+\+\w")


def install_commands() -> list[tuple[str, str]]:
    """Every line in the repository's docs and scripts that runs `pip install`."""
    return [
        (f"{path.relative_to(ROOT)}:{number}", line)
        for path in PLACES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"pip(3)?\W+install|pip_install\(", line)
    ]


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    found = [Requirement(line) for line in lines if line and not line.startswith("#")]
    return {r.name: str(r.specifier).removeprefix("==") for r in found}


def test_the_pins_carry_no_local_version_label():
    labelled = [v for v in pins().values() if "+" in v]
    assert labelled == [], "constraints.txt pins a version the index lacks"


@pytest.mark.parametrize("place, line", install_commands())
def test_an_install_command_works_from_the_package_index(place, line):
    assert not LOCAL_LABEL.search(line), f"{place}: a local version label: {line}"
    if re.search(r"""["']?\.\[dev\]""", line):
        assert "-e ./pagecheck" in line, f"{place}: .[dev] without ./pagecheck"


def test_the_dev_extra_names_this_repositorys_pagecheck_under_its_own_name():
    ours = tomllib.loads((ROOT / "pagecheck" / "pyproject.toml").read_text())
    name = ours["project"]["name"]
    assert name == "lessoncode-pagecheck"  # the index's "pagecheck" is someone else's
    dev = [
        Requirement(r).name for r in PROJECT["project"]["optional-dependencies"]["dev"]
    ]
    assert name in dev and "pagecheck" not in dev


def torch_range() -> SpecifierSet:
    (torch,) = [
        Requirement(r)
        for r in PROJECT["project"]["dependencies"]
        if Requirement(r).name == "torch"
    ]
    return torch.specifier


def verified_torch() -> list[Version]:
    """The pinned torch, then each extra environment's."""
    others = [
        Requirement(r).specifier
        for env in load(ROOT).environments
        for r in env.requirements
        if Requirement(r).name == "torch"
    ]
    return [Version(pins()["torch"])] + [
        Version(str(s).removeprefix("==")) for s in others
    ]


def test_the_torch_range_is_exactly_the_verified_minor_versions():
    versions = verified_torch()
    assert len(versions) == 2, "the pinned torch and one more, at the range's ends"
    low, high = min(versions), max(versions)
    allowed = torch_range()
    assert all(allowed.contains(v) for v in versions)
    assert not allowed.contains(Version(f"{low.major}.{low.minor - 1}.99"))
    assert allowed.contains(Version(f"{high.major}.{high.minor}.99"))
    assert not allowed.contains(Version(f"{high.major}.{high.minor + 1}.0"))


def test_the_notebooks_set_up_cell_keeps_exactly_the_verified_torch():
    plugins = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["plugins"]
    (settings,) = [p["pagecheck"] for p in plugins if "pagecheck" in p]
    install = settings["install"]
    kept = re.search(r"not in \((.*)\):", install)
    assert kept, install
    minors = sorted(
        Version(".".join(re.findall(r'"(\d+)"', pair)))
        for pair in re.findall(r"\[[^\]]*\]", kept[1])
    )
    versions = verified_torch()
    assert minors == sorted({Version(f"{v.major}.{v.minor}") for v in versions})
    assert f'pip_install("torch=={pins()["torch"]}"' in install


def test_lessoncode_runs_on_python_311_and_later():
    assert PROJECT["project"]["requires-python"] == ">=3.11"
    pythons = [env.python for env in load(ROOT).environments if env.python]
    assert pythons and all(SpecifierSet(">=3.11").contains(p) for p in pythons)
