"""The VS Code targets the extension is built for, and pip run as if it were on one of them.

Each target's .vsix holds the server and, for every supported Python (scripts/pythons.py), the
wheels of its dependencies for that platform, so the extension installs it offline. The universal
.vsix, for platforms without a target of their own, holds only the pure-Python wheels; there the
extension offers to fetch the rest from the package index.

`pip download --platform ... --python-version ...` picks wheels for another platform by their tags,
but evaluates environment markers (`python_version == "3.13"`, `sys_platform == "win32"`) against
the interpreter running pip. libcst needs pyyaml-ft on 3.13 and pyyaml on the others, so a 3.11 pip
downloading "for 3.13" would bundle the wrong one. Here pip runs with the marker environment of the
target and Python it works for.

    python scripts/targets.py list                 every target, then "universal"
    python scripts/targets.py host                 this machine's target ("universal" when unlisted)
    python scripts/targets.py vsix-path TARGET     where the build puts TARGET's .vsix
    python scripts/targets.py sizes VSIX...        prints each file's size; fails over 25 MB
    python scripts/targets.py download --server-wheel WHEEL --dest DIR TARGET...
                                                   DIR/TARGET/*.whl for every supported Python
    python scripts/targets.py resolve --wheels DIR TARGET PYTHON
                                                   the offline install check (pip --dry-run --no-index)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import runpy
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pythons import ROOT, supported_versions  # noqa: E402

SERVER_DISTRIBUTION = "python-async-patterns"
UNIVERSAL = "universal"
# VS Code needs glibc 2.28 on Linux and macOS 11 since 1.86 and 1.97; nothing older is offered.
NEWEST_GLIBC_MINOR = 28
OLDEST_MACOS = (11, 0)
MAX_VSIX_BYTES = 25 * 1000 * 1000


def _manylinux(arch: str, oldest_glibc_minor: int) -> tuple[str, ...]:
    legacy_names = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    minors = range(NEWEST_GLIBC_MINOR, oldest_glibc_minor - 1, -1)
    tags = [f"manylinux_2_{minor}_{arch}" for minor in minors]
    return (*tags, *(f"{legacy_names[minor]}_{arch}" for minor in minors if minor in legacy_names))


def _musllinux(arch: str) -> tuple[str, ...]:
    return (f"musllinux_1_2_{arch}", f"musllinux_1_1_{arch}")


def _macos(arch: str) -> tuple[str, ...]:
    # The same expansion pip applies to a custom macosx platform: older releases and universal2.
    from pip._vendor.packaging.tags import mac_platforms

    return tuple(mac_platforms(OLDEST_MACOS, arch))


@dataclass(frozen=True)
class Target:
    name: str
    platform_tags: tuple[str, ...]
    sys_platform: str
    platform_system: str
    platform_machine: str
    # Python version -> why no wheels exist for it upstream; there the extension offers the index.
    gaps: dict[str, str] = field(default_factory=dict)

    def marker_environment(self, python: str) -> dict[str, str]:
        return {
            "implementation_name": "cpython",
            "implementation_version": f"{python}.0",
            "os_name": "nt" if self.sys_platform == "win32" else "posix",
            "platform_machine": self.platform_machine,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": self.platform_system,
            "platform_version": "",
            "python_full_version": f"{python}.0",
            "python_version": python,
            "sys_platform": self.sys_platform,
        }

    def pip_options(self, python: str) -> list[str]:
        """The options that make pip choose wheels for this target and Python."""
        platforms = [option for tag in self.platform_tags for option in ("--platform", tag)]
        return ["--only-binary=:all:", "--implementation", "cp", "--python-version", python, *platforms]


_NO_PYYAML_WIN_ARM64 = "PyYAML, which libcst requires, publishes no win_arm64 wheels for CPython 3.10 and 3.11"
_NO_PYYAML_FT_WIN_ARM64 = "pyyaml-ft, which libcst requires on CPython 3.13, publishes no win_arm64 wheels"

TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("linux-x64", _manylinux("x86_64", 5), "linux", "Linux", "x86_64"),
        Target("linux-arm64", _manylinux("aarch64", 17), "linux", "Linux", "aarch64"),
        Target("alpine-x64", _musllinux("x86_64"), "linux", "Linux", "x86_64"),
        Target("alpine-arm64", _musllinux("aarch64"), "linux", "Linux", "aarch64"),
        Target("darwin-x64", ("macosx_11_0_x86_64",), "darwin", "Darwin", "x86_64"),
        Target("darwin-arm64", ("macosx_11_0_arm64",), "darwin", "Darwin", "arm64"),
        Target("win32-x64", ("win_amd64",), "win32", "Windows", "AMD64"),
        Target(
            "win32-arm64",
            ("win_arm64",),
            "win32",
            "Windows",
            "ARM64",
            {"3.10": _NO_PYYAML_WIN_ARM64, "3.11": _NO_PYYAML_WIN_ARM64, "3.13": _NO_PYYAML_FT_WIN_ARM64},
        ),
    )
}


def expanded_platform_tags(target: Target) -> set[str]:
    """Every platform tag a wheel of this target may carry (macOS tags expand as pip expands them)."""
    return {expanded for tag in target.platform_tags for expanded in (_macos(tag[len("macosx_11_0_") :]) if tag.startswith("macosx_") else (tag,))}


def host_target() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if sys.platform == "linux":
        system = "linux" if platform.libc_ver()[0] == "glibc" else "alpine"
    else:
        system = {"darwin": "darwin", "win32": "win32"}.get(sys.platform)
    name = f"{system}-{arch}"
    return name if name in TARGETS else UNIVERSAL


def vsix_path(target: str) -> Path:
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    # vsce's own naming: the target between name and version, none for the universal package.
    infix = "" if target == UNIVERSAL else f"-{target}"
    return ROOT / "dist" / f"{manifest['name']}{infix}-{manifest['version']}.vsix"


def isolated_pip_environment() -> dict[str, str]:
    """This environment without pip's configuration: only the given wheels may satisfy a check."""
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PIP_")}
    return {**environment, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def pip_as(target: Target, python: str, pip_arguments: list[str]) -> list[str]:
    """The command that runs pip with `pip_arguments` under the marker environment of target and Python."""
    return [sys.executable, str(Path(__file__).resolve()), "pip-as", target.name, python, "--", *pip_arguments]


def _run_pip_as(target: Target, python: str, pip_arguments: list[str]) -> None:
    from pip._vendor.packaging import markers

    environment = target.marker_environment(python)
    markers.default_environment = lambda: dict(environment)
    probe = markers.Marker(f'python_version == "{python}" and sys_platform == "{target.sys_platform}"')
    if not probe.evaluate():
        sys.exit("targets.py: this pip does not evaluate markers through packaging.markers.default_environment")
    sys.argv = ["pip", *pip_arguments]
    runpy.run_module("pip", run_name="__main__", alter_sys=True)


@dataclass
class Download:
    target: Target
    python: str
    folder: Path
    succeeded: bool
    log: str


def _download_one(target: Target, python: str, server_wheel: Path, folder: Path) -> Download:
    arguments = ["download", "--quiet", "--disable-pip-version-check", *target.pip_options(python), "--dest", str(folder), str(server_wheel)]
    completed = subprocess.run(pip_as(target, python, arguments), capture_output=True, text=True)
    return Download(target, python, folder, completed.returncode == 0, (completed.stdout + completed.stderr).strip())


def download(targets: list[str], server_wheel: Path, destination: Path, jobs: int = 4) -> bool:
    """Fills destination/<target>/ with the wheels of every supported Python; False on a failure."""
    versions = supported_versions()
    platform_targets = [TARGETS[name] for name in targets if name != UNIVERSAL]
    # The universal package takes the pure-Python wheels, which are the same for every platform.
    sources = platform_targets or [TARGETS["linux-x64"]]
    parts = Path(tempfile.mkdtemp(prefix="parts-", dir=destination))
    work = [(target, python) for target in sources for python in versions]
    with ThreadPoolExecutor(jobs) as pool:
        downloads = list(pool.map(lambda job: _download_one(*job, server_wheel, parts / f"{job[0].name}-{job[1]}"), work))
    succeeded = True
    for done in downloads:
        gap = done.target.gaps.get(done.python)
        if done.succeeded:
            if gap:
                print(f"targets: wheels for Python {done.python} on {done.target.name} exist now; drop its gap from scripts/targets.py")
            _merge(done.folder, destination / done.target.name)
        elif gap:
            print(f"targets: {done.target.name} has no wheels for Python {done.python}: {gap}")
        else:
            print(f"targets: downloading for {done.target.name}, Python {done.python} failed:\n{done.log}", file=sys.stderr)
            succeeded = False
    if UNIVERSAL in targets:
        universal = destination / UNIVERSAL
        universal.mkdir(parents=True, exist_ok=True)
        for wheel in sorted(parts.glob("*/*-none-any.whl")):
            shutil.copy2(wheel, universal / wheel.name)
    shutil.rmtree(parts)
    return succeeded


def _merge(source: Path, destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for wheel in source.glob("*.whl"):
        if not (destination / wheel.name).exists():
            shutil.copy2(wheel, destination / wheel.name)


@dataclass
class Resolution:
    succeeded: bool
    # (distribution name, wheel file name) of everything pip would install.
    installed: list[tuple[str, str]]
    log: str


def resolve(target: Target, python: str, wheels: Path) -> Resolution:
    """Whether the server installs from `wheels` alone on target with Python, as pip decides it."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        arguments = [
            "install", "--dry-run", "--ignore-installed", "--no-index", "--find-links", str(wheels),
            *target.pip_options(python), "--quiet", "--report", str(report), SERVER_DISTRIBUTION,
        ]  # fmt: skip
        completed = subprocess.run(pip_as(target, python, arguments), capture_output=True, text=True, env=isolated_pip_environment())
        installed = []
        if completed.returncode == 0:
            for item in json.loads(report.read_text(encoding="utf-8"))["install"]:
                installed.append((item["metadata"]["name"], item["download_info"]["url"].rsplit("/", 1)[-1]))
    return Resolution(completed.returncode == 0, installed, (completed.stdout + completed.stderr).strip())


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["pip-as"]:
        _, target, python, separator, *pip_arguments = arguments
        assert separator == "--"
        _run_pip_as(TARGETS[target], python, pip_arguments)
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list")
    commands.add_parser("host")
    sizes_command = commands.add_parser("sizes")
    sizes_command.add_argument("packages", nargs="+", type=Path)
    path_command = commands.add_parser("vsix-path")
    path_command.add_argument("target", choices=[*TARGETS, UNIVERSAL])
    download_command = commands.add_parser("download")
    download_command.add_argument("--server-wheel", type=Path, required=True)
    download_command.add_argument("--dest", type=Path, required=True)
    download_command.add_argument("targets", nargs="+", choices=[*TARGETS, UNIVERSAL])
    resolve_command = commands.add_parser("resolve")
    resolve_command.add_argument("--wheels", type=Path, required=True)
    resolve_command.add_argument("target", choices=list(TARGETS))
    resolve_command.add_argument("python")
    options = parser.parse_args(arguments)
    if options.command == "list":
        print(" ".join([*TARGETS, UNIVERSAL]))
    elif options.command == "host":
        print(host_target())
    elif options.command == "sizes":
        too_large = [package for package in options.packages if package.stat().st_size >= MAX_VSIX_BYTES]
        for package in options.packages:
            print(f"{package}  {package.stat().st_size / 1e6:.1f} MB")
        if too_large:
            print(f"targets: over {MAX_VSIX_BYTES / 1e6:.0f} MB: {' '.join(map(str, too_large))}", file=sys.stderr)
            return 1
    elif options.command == "vsix-path":
        print(vsix_path(options.target).relative_to(ROOT))
    elif options.command == "download":
        options.dest.mkdir(parents=True, exist_ok=True)
        return 0 if download(options.targets, options.server_wheel.resolve(), options.dest.resolve()) else 1
    else:
        resolution = resolve(TARGETS[options.target], options.python, options.wheels)
        for name, wheel in resolution.installed:
            print(f"{name}: {wheel}")
        if not resolution.succeeded:
            print(resolution.log, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
