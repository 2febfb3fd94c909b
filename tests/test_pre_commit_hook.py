"""The pre-commit hook other repositories use (`.pre-commit-hooks.yaml`), tried as pre-commit does:
`pre-commit try-repo` clones this checkout (with uncommitted changes to tracked files), installs the project into
a hook environment (dependencies from the package index) and runs the hook in another repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BAD = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
GOOD = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "bad.py").write_text(BAD, encoding="utf-8")
    (folder / "good.py").write_text(GOOD, encoding="utf-8")
    (folder / "notes.txt").write_text("time.sleep(1) in a text file is not Python\n", encoding="utf-8")
    subprocess.run(["git", "init", "--quiet"], cwd=folder, check=True, env=environment)
    subprocess.run(["git", "add", "."], cwd=folder, check=True, env=environment)
    return folder, environment


def _try_repo(folder: Path, environment: dict[str, str], *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "async-patterns", "--files", *files],
        cwd=folder, env=environment, capture_output=True, text=True,
    )  # fmt: skip


def test_hook_fails_on_a_blocking_call_and_passes_clean_code(project):
    folder, environment = project
    failed = _try_repo(folder, environment, "bad.py", "good.py", "notes.txt")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.py:5:5: ASYNC251" in failed.stdout
    assert "good.py" not in failed.stdout.split("Failed", 1)[1]
    assert "notes.txt" not in failed.stdout
    passed = _try_repo(folder, environment, "good.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
