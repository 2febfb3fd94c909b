"""The benchmark corpus: real async code from PyPI sdists, fetched into benchmarks/.corpus/ (git-ignored).

    python benchmarks/corpus.py            # fetch what is missing, print the corpus size
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / ".corpus"
PACKAGES = ("aiohttp", "textual", "httpx", "starlette", "asyncpg", "aiogram")


def fetch() -> None:
    for name in PACKAGES:
        unpacked(name)


def unpacked(name: str) -> Path:
    """The unpacked source tree of `name`'s sdist under .corpus/<name>/, downloaded and unpacked once."""
    folder = CORPUS / name
    if not any(folder.glob("*.tar.gz")):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "--dest", str(folder), name],
            check=True,
        )
    archive = max(folder.glob("*.tar.gz"))
    tree = folder / archive.name.removesuffix(".tar.gz")
    if not tree.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
    return tree


def python_files() -> list[Path]:
    """The Python files of each unpacked sdist (other folders under .corpus/ are not ours)."""
    return sorted(
        path
        for archive in CORPUS.glob("*/*.tar.gz")
        for path in (archive.parent / archive.name.removesuffix(".tar.gz")).rglob("*.py")
        if path.is_file()
    )


def largest(count: int) -> list[Path]:
    return sorted(python_files(), key=lambda path: -len(path.read_bytes().splitlines()))[:count]


if __name__ == "__main__":
    fetch()
    files = python_files()
    lines = sum(len(path.read_bytes().splitlines()) for path in files)
    print(f"{len(files)} files, {lines:,} lines in {CORPUS}")
    for path in largest(5):
        print(f"  {len(path.read_bytes().splitlines()):>6} {path.relative_to(CORPUS)}")
