"""ASYNC232: I/O on a synchronous file object: its methods (`f.read()`), or a function given it (`json.dump(data, f)`)."""

from __future__ import annotations

from async_patterns.analysis import catalogue
from async_patterns.analysis.libraries import builtin_catalogue
from async_patterns.analysis.libraries.index import BlockingIndex, merged_methods
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid
from async_patterns.analysis.settings import Settings


class BlockingFileMethod(BlockingCallRule):
    code = "ASYNC232"
    name = "blocking-file-method"
    message = "{call} on a synchronous file object blocks the event loop on disk I/O; {instead}"
    explanation = """\
A file object from `open()` (or annotated as `io.TextIOWrapper`, `BufferedReader`, ...) reads and
writes synchronously. Each call blocks the event loop for as long as the disk takes. Read or write
the whole file in a worker thread with `await asyncio.to_thread(f.read)` (or better, move the whole
`with open(...)` block into a helper run by `asyncio.to_thread`), or use an async file library.
The same goes for functions that read or write a file object they are given: `json.load(f)`,
`json.dump(data, f)`, `pickle`, `marshal`, `plistlib`, `tomllib.load(f)`, PyYAML's `load`/`dump`,
a `csv.writer(f)`'s rows and Pillow's `Image.open(f)` do that file object's
I/O, so they are reported under this code too: one code decides whether a project accepts blocking
file I/O on the event loop. Only receivers and arguments the code shows to be files are reported."""
    peers = """\
Same meaning as flake8-async's (a method of a value known to be a sync file); the file is also
known from module-level assignments and `Optional[...]` annotations, and `gzip`/`bz2`/`lzma` over
an in-memory buffer is not a file on disk. flake8-async does not report `json.dump(data, f)` and
the like, whose I/O is on the file object too. ruff has no ASYNC232."""
    methods = {catalogue.FILE: frozenset({"*"})}
    instead = "use `await asyncio.to_thread(...)` or an async file library"

    VALID = (
        "import aiofiles\nasync def main():\n    async with aiofiles.open('x') as f:\n        await f.read()\n",
        "async def main(stream):\n    await stream.read()\n",
        "async def main(reader):\n    reader.read()\n",
        "log = open('app.log', 'a')\ndef reopen():\n    global log\n    log = make_async_log()\nasync def handle(line):\n    await log.write(line)\n",
        "import json\nasync def main(text):\n    return json.loads(text)\n",
        "import json, io\nasync def main(data):\n    buffer = io.StringIO()\n    json.dump(data, buffer)\n",
    )
    INVALID = (
        Invalid("async def main():\n    with open('x') as f:  # noqa: ASYNC230\n        return f.read()\n"),
        Invalid("async def main():\n    f = open('x', 'w')  # noqa: ASYNC230\n    f.write('data')\n"),
        Invalid("import io\nasync def main(f: io.TextIOWrapper):\n    f.readline()\n"),
        Invalid("log = open('app.log', 'a')\nasync def handle(line):\n    log.write(line)\n"),
        Invalid("import typing\nasync def main(out: typing.Optional[typing.TextIO]):\n    out.flush()\n"),
        Invalid(
            "import json\nasync def main(data):\n    with open('x.json', 'w') as f:  # noqa: ASYNC230\n"
            "        json.dump(data, f)\n",
        ),
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.file_functions = BlockingIndex(builtin_catalogue(), self.code)
        self.methods = merged_methods(type(self).methods, self.file_functions.methods)  # type: ignore[misc]

    def _catalogued(self, site: CallSite) -> bool:
        entry = self.file_functions.entry_for_call(site.node, site.scope, site.qualname, site.receiver_type, site.method)
        return entry is not None

    def accepts(self, site: CallSite) -> bool:
        return site.receiver_type == catalogue.FILE or self._catalogued(site)

    def matches_beyond_tables(self, site: CallSite) -> bool:
        # Functions given a file object: also when another rule's table claims the same name for
        # its other arguments (Pillow's `Image.open(path)` is AP110, `Image.open(f)` is this).
        return site.qualname in self.file_functions.by_call and self._catalogued(site)

    def describe(self, site: CallSite) -> str:
        if site.receiver_type == catalogue.FILE:
            return super().describe(site)
        return f"{site.display} does its I/O on a synchronous file object and blocks the event loop; {self.instead}"
