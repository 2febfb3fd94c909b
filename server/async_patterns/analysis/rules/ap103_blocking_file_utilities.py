"""AP103: `shutil` copies, removals and `which`, `tempfile` file creation, archives (`tarfile`, `zipfile`)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, keyword_value

_CALLS = """
shutil.copy shutil.copy2 shutil.copyfile shutil.copyfileobj shutil.copymode shutil.copystat shutil.copytree
shutil.move shutil.rmtree shutil.make_archive shutil.unpack_archive shutil.disk_usage shutil.chown shutil.which
tempfile.TemporaryFile tempfile.NamedTemporaryFile tempfile.mkstemp tempfile.mkdtemp tempfile.TemporaryDirectory
tarfile.open tarfile.TarFile tarfile.TarFile.open zipfile.ZipFile gzip.open bz2.open lzma.open
"""


class BlockingFileUtility(BlockingCallRule):
    code = "AP103"
    name = "blocking-file-utility"
    message = "{call} works on the file system synchronously and blocks the event loop; {instead}"
    explanation = """\
`shutil` copies and deletes whole files and trees, `shutil.which` stats every folder on `PATH` until
it finds the program, `tempfile` creates files and folders on disk, and `tarfile`/`zipfile`/`gzip`
open and (de)compress archives - all synchronously. On the event loop
they stall every task for the whole job, which for `copytree` or `rmtree` of a large tree can be
seconds. Move the work to a worker thread: `await asyncio.to_thread(shutil.copytree, src, dst)`.
Archives over data in memory touch no disk and are not reported: `tarfile.open(fileobj=...)` with
anything but a file opened from disk, and `zipfile.ZipFile`, `gzip.open`, `bz2.open`, `lzma.open`
over an `io.BytesIO`."""
    peers = """\
Neither flake8-async nor ruff has this rule."""
    calls = frozenset(_CALLS.split())
    instead = "use `await asyncio.to_thread(...)`"

    def accepts(self, site: CallSite) -> bool:
        """Archives over in-memory data read and write no disk: `tarfile.open(fileobj=...)` with
        anything but a file on disk, `ZipFile`/`gzip`/`bz2`/`lzma` over a `BytesIO`."""
        qualname = site.qualname or ""
        if qualname.startswith("tarfile."):
            fileobj = keyword_value(site.node, "fileobj", 2)
            return fileobj is None or site.scope.type_of(fileobj) == catalogue.FILE
        if qualname in catalogue.OPENS_FIRST_ARGUMENT:
            opened = keyword_value(site.node, "file" if qualname == "zipfile.ZipFile" else "filename", 0)
            return opened is None or site.scope.type_of(opened) != catalogue.IN_MEMORY_BUFFER
        return True

    VALID = (
        "import shutil\ndef backup(src, dst):\n    shutil.copytree(src, dst)\n",
        "import asyncio, shutil\nasync def main(src, dst):\n    await asyncio.to_thread(shutil.copy, src, dst)\n",
        "import shutil\nasync def main():\n    return shutil.which\n",
        "import io, tarfile\nasync def main(data):\n    with tarfile.open(fileobj=io.BytesIO(data), mode='r:') as archive:\n"
        "        return archive.getnames()\n",
        "import tarfile\nasync def main(response):\n    return tarfile.open(fileobj=response.raw, mode='r|gz')\n",
        "import io, zipfile\nasync def main():\n    buf = io.BytesIO()\n    with zipfile.ZipFile(file=buf, mode='w') as archive:\n"
        "        archive.writestr('a.txt', 'x')\n",
        "import gzip, io\nasync def main(payload):\n    with gzip.open(io.BytesIO(payload)) as stream:\n        return stream.read()\n",
    )
    INVALID = (
        Invalid("import shutil\nasync def main(src, dst):\n    shutil.copy(src, dst)\n"),
        Invalid("import shutil\nasync def main(folder):\n    shutil.rmtree(folder, ignore_errors=True)\n"),
        Invalid("import tempfile\nasync def main():\n    with tempfile.TemporaryDirectory() as folder:\n        pass\n"),
        Invalid("import tarfile\nasync def main(path):\n    with tarfile.open(path) as archive:\n        pass\n"),
        Invalid("from zipfile import ZipFile\nasync def main(path):\n    ZipFile(path).extractall()\n"),
        Invalid("import tarfile\nasync def main(path):\n    with open(path, 'rb') as f:  # noqa: ASYNC230\n"
                "        return tarfile.open(fileobj=f).getnames()\n"),
        Invalid("import gzip\nasync def main(path):\n    with gzip.open(path) as stream:\n        return stream.read()  # noqa: ASYNC232\n"),
        Invalid("import shutil\nasync def main():\n    return shutil.which('ffmpeg')\n"),
    )
