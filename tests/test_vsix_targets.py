"""Every built .vsix, unpacked: its target in the manifest, only its own platform's wheels, under
25 MB, and enough wheels that the server installs offline on that platform with every supported
Python (pip decides, run with that platform's and Python's tags and environment markers).

The packages come from `scripts/build-extension.sh --all` (scripts/test.sh runs it first). When they
are missing or older than their sources, the first test here builds them, which needs PyPI.
"""

from __future__ import annotations

import fcntl
import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import pythons  # noqa: E402
import targets  # noqa: E402

VERSIONS = pythons.supported_versions()
PLATFORM_TARGETS = list(targets.TARGETS)
# name-version(-build)?-python-abi-platform.whl
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-[^-]+(?:-\d[^-]*)?-(?P<python>[^-]+)-(?P<abi>[^-]+)-(?P<platform>[^-]+)\.whl$")


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict[str, Path]:
    """target -> the unpacked extension folder of its .vsix."""
    (ROOT / "dist").mkdir(exist_ok=True)
    # Each xdist worker gets here; one builds while the other waits, then finds the packages fresh.
    with open(ROOT / "dist" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = subprocess.run(
            ["bash", "scripts/build-extension.sh", "--all", "--if-stale"], cwd=ROOT, capture_output=True, text=True
        )
    assert built.returncode == 0, built.stdout + built.stderr
    unpacked = {}
    for target in [*PLATFORM_TARGETS, targets.UNIVERSAL]:
        folder = tmp_path_factory.mktemp(target)
        with zipfile.ZipFile(targets.vsix_path(target)) as package:
            package.extractall(folder)
        unpacked[target] = folder
    return unpacked


def _wheels(folder: Path) -> list[Path]:
    return sorted((folder / "extension" / "client" / "out" / "wheels").glob("*.whl"))


@pytest.mark.parametrize("target", [*PLATFORM_TARGETS, targets.UNIVERSAL])
def test_package_names_its_target_and_stays_under_25_mb(packages, target):
    assert targets.vsix_path(target).stat().st_size < targets.MAX_VSIX_BYTES
    manifest = (packages[target] / "extension.vsixmanifest").read_text(encoding="utf-8")
    identity = re.search(r"<Identity [^>]*>", manifest).group(0)
    if target == targets.UNIVERSAL:
        assert "TargetPlatform" not in identity
    else:
        assert f'TargetPlatform="{target}"' in identity
        assert target in targets.vsix_path(target).name


@pytest.mark.parametrize("target", PLATFORM_TARGETS)
def test_compiled_wheels_are_for_this_platform_and_the_supported_pythons_only(packages, target):
    fitting_platforms = targets.expanded_platform_tags(targets.TARGETS[target])
    supported_tags = {"cp" + version.replace(".", "") for version in VERSIONS}
    wheels = _wheels(packages[target])
    assert [wheel.name for wheel in wheels if wheel.name.startswith("python_async_patterns-")]
    for wheel in wheels:
        tags = WHEEL_NAME.match(wheel.name)
        assert tags, wheel.name
        if tags["platform"] == "any":
            continue
        assert set(tags["platform"].split(".")) & fitting_platforms, f"{wheel.name} is not for {target}"
        assert tags["python"] in supported_tags, f"{wheel.name} is for an unsupported Python"


def test_universal_package_holds_only_pure_python_wheels(packages):
    wheels = _wheels(packages[targets.UNIVERSAL])
    assert any(wheel.name.startswith("python_async_patterns-") for wheel in wheels)
    assert [wheel.name for wheel in wheels if not wheel.name.endswith("-none-any.whl")] == []


@pytest.mark.parametrize("python", VERSIONS)
@pytest.mark.parametrize("target", PLATFORM_TARGETS)
def test_server_installs_offline_from_the_package(packages, target, python):
    platform = targets.TARGETS[target]
    resolution = targets.resolve(platform, python, packages[target] / "extension" / "client" / "out" / "wheels")
    gap = platform.gaps.get(python)
    if gap:
        assert not resolution.succeeded, f"Python {python} on {target} resolves now: drop its gap from scripts/targets.py"
        assert "No matching distribution found" in resolution.log
        return
    assert resolution.succeeded, resolution.log
    installed = dict(resolution.installed)
    assert {"python-async-patterns", "libcst", "pygls"} <= installed.keys()
    compiled = [wheel for wheel in installed.values() if not wheel.endswith("-none-any.whl")]
    assert compiled and all(WHEEL_NAME.match(wheel)["python"] == "cp" + python.replace(".", "") for wheel in compiled)


@pytest.mark.parametrize("python", VERSIONS)
def test_universal_package_needs_the_index_for_compiled_dependencies(packages, python):
    # What the client meets on a platform without its own package: pip names what is missing.
    wheels = packages[targets.UNIVERSAL] / "extension" / "client" / "out" / "wheels"
    resolution = targets.resolve(targets.TARGETS["linux-x64"], python, wheels)
    assert not resolution.succeeded
    assert "No matching distribution found for libcst" in resolution.log


@pytest.mark.parametrize("python", VERSIONS)
def test_this_machines_package_resolves_with_each_real_python_here(packages, python):
    """The same check by each real interpreter's own pip: its tags and markers, nothing emulated."""
    host = targets.host_target()
    if host == targets.UNIVERSAL:
        pytest.skip("this machine's platform has no package of its own")
    interpreter, why_not = pythons.find_interpreter(python)
    if interpreter is None:
        pytest.skip(f"Python {python} is not on this machine: {why_not}")
    wheels = packages[host] / "extension" / "client" / "out" / "wheels"
    resolved = subprocess.run(
        [interpreter, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index", "--find-links", str(wheels), targets.SERVER_DISTRIBUTION],
        capture_output=True, text=True, env=targets.isolated_pip_environment(),
    )  # fmt: skip
    if "No module named pip" in resolved.stderr:
        pytest.skip(f"{interpreter} has no pip")
    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    assert "Would install" in resolved.stdout and "libcst" in resolved.stdout


def test_package_has_its_marketplace_page(packages):
    """The icon drawn by client/icon/draw_icon.py, the changelog, and the README with its screenshots."""
    extension = packages[targets.host_target()] / "extension"
    manifest = json.loads((extension / "package.json").read_text(encoding="utf-8"))
    assert manifest["bugs"]["url"].startswith(manifest["repository"]["url"].removesuffix(".git"))
    assert manifest["homepage"].startswith(manifest["repository"]["url"].removesuffix(".git"))
    icon = (extension / manifest["icon"]).read_bytes()
    width, height = struct.unpack(">II", icon[16:24])
    assert icon.startswith(b"\x89PNG\r\n\x1a\n") and width == height >= 128
    assert (extension / "changelog.md").is_file() or (extension / "CHANGELOG.md").is_file()
    readme = (extension / "readme.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)
    assert len(images) >= 3
    for image in images:
        # vsce points relative links at the repository; the packaged copy is what VS Code shows offline.
        relative = image.split("/raw/HEAD/", 1)[-1]
        assert (extension / relative).is_file() or (extension / "client" / relative).is_file(), image
