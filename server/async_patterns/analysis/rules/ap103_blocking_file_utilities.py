"""AP103: `shutil` copies and removals, `tempfile` file creation, archives (`tarfile`, `zipfile`)."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid

_CALLS = """
shutil.copy shutil.copy2 shutil.copyfile shutil.copyfileobj shutil.copymode shutil.copystat shutil.copytree
shutil.move shutil.rmtree shutil.make_archive shutil.unpack_archive shutil.disk_usage shutil.chown
tempfile.TemporaryFile tempfile.NamedTemporaryFile tempfile.mkstemp tempfile.mkdtemp tempfile.TemporaryDirectory
tarfile.open tarfile.TarFile tarfile.TarFile.open zipfile.ZipFile gzip.open bz2.open lzma.open
"""


class BlockingFileUtility(BlockingCallRule):
    code = "AP103"
    name = "blocking-file-utility"
    message = "{call} copies, removes or creates files synchronously and blocks the event loop; {instead}"
    explanation = """\
`shutil` copies and deletes whole files and trees, `tempfile` creates files and folders on disk,
and `tarfile`/`zipfile`/`gzip` open and (de)compress archives - all synchronously. On the event loop
they stall every task for the whole job, which for `copytree` or `rmtree` of a large tree can be
seconds. Move the work to a worker thread: `await asyncio.to_thread(shutil.copytree, src, dst)`."""
    calls = frozenset(_CALLS.split())
    instead = "use `await asyncio.to_thread(...)`"

    VALID = (
        "import shutil\ndef backup(src, dst):\n    shutil.copytree(src, dst)\n",
        "import asyncio, shutil\nasync def main(src, dst):\n    await asyncio.to_thread(shutil.copy, src, dst)\n",
        "import shutil\nasync def main():\n    return shutil.which\n",
    )
    INVALID = (
        Invalid("import shutil\nasync def main(src, dst):\n    shutil.copy(src, dst)\n"),
        Invalid("import shutil\nasync def main(folder):\n    shutil.rmtree(folder, ignore_errors=True)\n"),
        Invalid("import tempfile\nasync def main():\n    with tempfile.TemporaryDirectory() as folder:\n        pass\n"),
        Invalid("import tarfile\nasync def main(path):\n    with tarfile.open(path) as archive:\n        pass\n"),
        Invalid("from zipfile import ZipFile\nasync def main(path):\n    ZipFile(path).extractall()\n"),
    )
