"""The supported Pythons are one fact: pyproject.toml's classifiers (scripts/pythons.py reads them
for the wheel and test matrices). Every other place that states them must agree."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import pythons  # noqa: E402
import targets  # noqa: E402

VERSIONS = pythons.supported_versions()
OLDEST, NEWEST = VERSIONS[0], VERSIONS[-1]
STATEMENTS = ["README.md", "client/README.md", "package.nls.json", "package.nls.ja.json"]


@pytest.mark.parametrize("relative", STATEMENTS)
def test_documents_state_the_supported_range(relative):
    text = (ROOT / relative).read_text(encoding="utf-8")
    minimums = re.findall(r"Python (3\.\d+) (?:or newer|以降)", text)
    ranges = re.findall(r"Python (3\.\d+)[–-](3\.\d+)", text)
    assert minimums or ranges, f"{relative} does not say which Pythons are supported"
    assert set(minimums) <= {OLDEST}, f"{relative} says Python {minimums} or newer; pyproject.toml says {OLDEST}"
    assert set(ranges) <= {(OLDEST, NEWEST)}, f"{relative} says {ranges}; pyproject.toml says {OLDEST}–{NEWEST}"


def test_readmes_name_the_whole_range():
    for relative in ["README.md", "client/README.md"]:
        assert f"Python {OLDEST}–{NEWEST}" in (ROOT / relative).read_text(encoding="utf-8"), relative


def test_client_minimum_is_the_oldest_supported_python():
    source = (ROOT / "client" / "src" / "interpreter.ts").read_text(encoding="utf-8")
    minimum = re.search(r"MINIMUM_PYTHON: readonly \[number, number\] = \[(\d+), (\d+)\]", source)
    assert minimum and f"{minimum[1]}.{minimum[2]}" == OLDEST


def test_wheel_gaps_name_supported_pythons_only():
    for target in targets.TARGETS.values():
        assert set(target.gaps) <= set(VERSIONS), f"{target.name} lists a gap for an unsupported Python"
        assert set(target.gaps) < set(VERSIONS), f"{target.name} would have no Python at all"


@pytest.mark.parametrize("script", sorted((ROOT / "scripts").glob("*.sh")), ids=lambda path: path.name)
def test_scripts_take_the_versions_from_pyproject(script):
    assert not re.search(r"\b3\.1\d\b", script.read_text(encoding="utf-8")), f"{script.name} names a Python version itself"


@pytest.mark.parametrize(
    "pyproject, problem",
    [
        ('requires-python = ">=3.10"\n"Programming Language :: Python :: 3.11",\n', "requires-python says >=3.10"),
        ('requires-python = ">=3.10"\n"Programming Language :: Python :: 3.10",\n"Programming Language :: Python :: 3.12",\n', "skip"),
        ('requires-python = ">=3.10"\n', "classifiers"),
    ],
)
def test_pyproject_that_contradicts_itself_is_refused(pyproject, problem):
    with pytest.raises(pythons.VersionsDisagree, match=problem):
        pythons.supported_versions(pyproject)
