"""AP102: `os` file-system calls (`os.stat`, `os.listdir`, `os.remove`, `os.read`, ...)."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid

_OS_FUNCTIONS = """
stat lstat fstat statvfs fstatvfs listdir scandir walk fwalk remove unlink rename renames replace mkdir
makedirs rmdir removedirs read write pread pwrite readv writev sendfile copy_file_range access chmod
lchmod chown lchown link symlink readlink truncate ftruncate fsync fdatasync utime mkfifo mknod open
"""


class BlockingOsFileSystem(BlockingCallRule):
    code = "AP102"
    name = "blocking-os-file-system"
    message = "{call} is a synchronous file-system call that blocks the event loop; {instead}"
    explanation = """\
These `os` functions are thin wrappers over blocking system calls: listing directories (`listdir`,
`scandir`, `walk`), inspecting (`stat`, `access`), changing the tree (`remove`, `rename`,
`makedirs`) and descriptor I/O (`read`, `write`, `fsync`). Each blocks the event loop while the
kernel and the disk answer; a `walk` over a large tree can take seconds. Run them in a worker
thread with `await asyncio.to_thread(os.listdir, folder)`."""
    peers = """\
Neither flake8-async nor ruff has this rule. (flake8-async's ASYNC240 covers only `os.path`.)"""
    calls = frozenset(f"os.{name}" for name in _OS_FUNCTIONS.split())
    instead = "use `await asyncio.to_thread(...)`"

    VALID = (
        "import os\ndef entries(folder):\n    return os.listdir(folder)\n",
        "import asyncio, os\nasync def main(folder):\n    return await asyncio.to_thread(os.listdir, folder)\n",
        "import os\nasync def main():\n    return os.getpid(), os.environ.get('HOME'), os.path.join('a', 'b')\n",
        "import asyncio, os\nasync def main(root):\n    return await asyncio.to_thread(list, os.walk(root))\n",
        "import anyio, os\nasync def main(root):\n    return await anyio.to_thread.run_sync(list, os.fwalk(root))\n",
    )
    INVALID = (
        Invalid(
            "import os\nasync def main(folder):\n    return os.listdir(folder)\n",
            fixed="import asyncio\nimport os\nasync def main(folder):\n    return await asyncio.to_thread(os.listdir, folder)\n",
        ),
        Invalid("import os\nasync def main(path):\n    os.remove(path)\n"),
        Invalid("from os import makedirs\nasync def main(path):\n    makedirs(path, exist_ok=True)\n"),
        Invalid("import os\nasync def main(root):\n    for folder, _, files in os.walk(root):\n        pass\n"),
        Invalid("import asyncio, os\nasync def main(loop, folder):\n    return await loop.run_in_executor(None, sorted, os.scandir(folder))\n"),
    )
