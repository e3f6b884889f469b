"""Settings are read from `[tool.pagecheck]`, and a wrong one is named clearly."""

import pytest

from pagecheck.config import load
from pagecheck.environment import Environment, variables


def settings_of(tmp_path, body: str):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pagecheck]\n{body}\n")
    return load(tmp_path)


@pytest.mark.parametrize(
    "body, message",
    [
        ('timeout = "300"', "timeout must be a number, not '300'"),
        ('packages = "torch"', "packages must be a list of a string, not 'torch'"),
        ("relative-tolerance = true", "relative_tolerance must be a number"),
        ("colour = 1", "unknown keys ['colour']"),
        ('environments = [{ pyhton = "3.12" }]', "environments[0]: unknown keys"),
        ("environments = [{ variables = { N = 1 } }]", "values must be strings"),
        ('environments = [{ requirements = "torch" }]', "must be a list of a string"),
    ],
)
def test_a_wrong_setting_is_named_with_what_it_must_be(tmp_path, body, message):
    with pytest.raises(ValueError, match=r"pyproject\.toml \[tool\.pagecheck\]") as e:
        settings_of(tmp_path, body)
    assert message in str(e.value)


def test_environments_are_read_with_their_python_and_requirements(tmp_path):
    settings = settings_of(
        tmp_path,
        "[[tool.pagecheck.environments]]\n"
        'python = "3.12"\nrequirements = ["torch==2.14.1", "numpy"]\n'
        'pythonpath = ["src"]\nvariables = { OMP_NUM_THREADS = "1" }',
    )
    (environment,) = settings.environments
    assert environment.name == "python3.12,torch==2.14.1,OMP_NUM_THREADS=1"
    assert environment.key() != Environment(python="3.12").key()


def test_another_python_sees_the_project_and_this_pagecheck_only(tmp_path):
    environment = Environment(python="3.12", pythonpath=["src"])
    found = variables(environment, tmp_path / "root", tmp_path)
    paths = found["PYTHONPATH"].split(":")
    assert paths == [str(tmp_path / "root" / "src"), str(tmp_path / "path")]
    assert (tmp_path / "path" / "pagecheck" / "worker.py").is_file()
    assert variables(Environment(variables={"A": "1"}), tmp_path, tmp_path) == {
        "A": "1"
    }
