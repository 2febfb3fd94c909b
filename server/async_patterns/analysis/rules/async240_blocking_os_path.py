"""ASYNC240: `os.path` functions that touch the disk (`exists`, `isfile`, `getsize`, ...)."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid

_DISK_FUNCTIONS = (
    "exists isdir isfile islink lexists ismount realpath getatime getctime getmtime getsize samefile sameopenfile"
)


class BlockingOsPath(BlockingCallRule):
    code = "ASYNC240"
    name = "blocking-os-path"
    message = "{call} asks the file system synchronously and blocks the event loop; {instead}"
    explanation = """\
These `os.path` functions make a system call (`stat`, `lstat`, `realpath`) that blocks while the
file system answers, which on network or busy disks takes long enough to stall every other task.
Pure string functions (`join`, `normpath`, `abspath`, `basename`, `dirname`, `splitext`, `relpath`)
do no I/O and are never reported. Move the check into `await asyncio.to_thread(os.path.exists, p)`
or into the same worker-thread helper that uses the file afterwards."""
    peers = """\
Both peers report `os.path` functions that touch the disk; flake8-async also reports `normpath`
and `relpath`, ruff also `abspath` (string work, or at most asking for the current folder): not
here. ruff's ASYNC240 also reports `pathlib.Path` methods, which are AP101 here."""
    calls = frozenset(f"os.path.{name}" for name in _DISK_FUNCTIONS.split())
    instead = "use `await asyncio.to_thread(...)`"

    VALID = (
        "import os\nasync def main(base):\n    return os.path.join(base, 'x'), os.path.normpath(base), os.path.abspath(base)\n",
        "import os.path\ndef check(p):\n    return os.path.exists(p)\n",
        "import asyncio, os\nasync def main(p):\n    return await asyncio.to_thread(os.path.exists, p)\n",
    )
    INVALID = (
        Invalid("import os\nasync def main(p):\n    if os.path.exists(p):\n        pass\n"),
        Invalid("import os.path as osp\nasync def main(p):\n    return osp.getsize(p)\n"),
        Invalid("from os.path import isfile\nasync def main(p):\n    return isfile(p)\n"),
        Invalid("from os import path\nasync def main(p):\n    return path.isdir(p)\n"),
    )
