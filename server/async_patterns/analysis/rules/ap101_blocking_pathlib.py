"""AP101: `pathlib.Path` methods that do disk I/O (`read_text`, `exists`, `iterdir`, ...)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid

_DISK_METHODS = """
read_text read_bytes write_text write_bytes touch exists stat lstat is_file is_dir is_symlink is_mount
is_socket is_fifo is_block_device is_char_device is_junction iterdir glob rglob walk unlink mkdir rmdir
rename replace resolve samefile chmod lchmod owner group readlink symlink_to hardlink_to link_to
"""


class BlockingPathlib(BlockingCallRule):
    code = "AP101"
    name = "blocking-pathlib"
    message = "{call} does synchronous disk I/O on the event loop, stalling every other task; {instead}"
    explanation = """\
`pathlib.Path` looks like a value type, but many of its methods hit the disk: reading and writing
(`read_text`, `write_bytes`), probing (`exists`, `is_file`, `stat`, `resolve`), listing (`iterdir`,
`glob`, `rglob`) and changing the tree (`mkdir`, `unlink`, `rename`). Each blocks the event loop
while the file system answers. No other static checker reports these. Run them in a worker thread
(`await asyncio.to_thread(path.read_text)`), or use `anyio.Path`/`aiofiles`. Pure path arithmetic
(`/`, `parent`, `name`, `with_suffix`, `joinpath`) is never reported. A value counts as a `Path`
when the code says so: `Path(...)`, an annotation, `tmp_path`, or arithmetic on another `Path`."""
    peers = """\
ruff reports `pathlib.Path` methods under its ASYNC240 (together with `os.path`), flake8-async
not at all (it keeps ASYNC240 to `os.path`). Here they have a code of their own, so that
`# noqa: ASYNC240` written for flake8-async keeps its meaning; only receivers the code shows to be a
`Path` are reported, and lazy listings handed to a worker thread
(`asyncio.to_thread(list, path.glob("*"))`) are not, which ruff reports (its issue #28040)."""
    methods = {catalogue.PATH: frozenset(_DISK_METHODS.split())}
    instead = "use `await asyncio.to_thread(...)` or `anyio.Path`"
    EXAMPLE_SETTINGS = {"threadDecorators": ["myapp.workers.*"]}

    VALID = (
        "from pathlib import Path\nasync def main():\n    config = Path('config') / 'app.toml'\n    return config.with_suffix('.bak').name\n",
        "import anyio\nasync def main():\n    return await anyio.Path('x').read_text()\n",
        "import asyncio\nfrom pathlib import Path\nasync def main():\n    return await asyncio.to_thread(Path('x').read_text)\n",
        "async def main(path):\n    path.read_text()\n",
        "from pathlib import Path\ndef load():\n    return Path('x').read_text()\n",
        "from pathlib import PurePath\nasync def main():\n    return PurePath('a').exists\n",
        "from pathlib import Path\nfrom myapp.workers import in_thread\n@in_thread(name='loader')\nasync def load():\n"
        "    return Path('x').read_text()\n",
        "import asyncio\nfrom pathlib import Path\nasync def main(folder: Path):\n    return await asyncio.to_thread(list, folder.glob('*.json'))\n",
        "import asyncio, os\nasync def main(loop, root):\n    return await loop.run_in_executor(None, sorted, os.walk(root))\n",
        "from pathlib import Path\nCONFIG = Path('app.toml')\nCONFIG = 'app.toml'\nasync def main():\n    return CONFIG.replace('.toml', '.ini')\n",
        "from pathlib import Path\nasync def main(raw):\n    p: Path = Path(raw)\n    p: str = str(p)\n    return p.replace('a', 'b')\n",
    )
    INVALID = (
        Invalid(
            "from pathlib import Path\nasync def main():\n    text = Path('config.toml').read_text()\n",
            fixed="import asyncio\nfrom pathlib import Path\nasync def main():\n"
            "    text = await asyncio.to_thread(Path('config.toml').read_text)\n",
        ),
        Invalid("import pathlib\nasync def main(root: pathlib.Path):\n    for child in root.iterdir():\n        pass\n"),
        Invalid("from pathlib import Path\nasync def main():\n    out = Path('build') / 'out.txt'\n    out.write_text('done')\n"),
        Invalid("async def test_writes(tmp_path):\n    (tmp_path / 'a.txt').write_text('x')\n"),
        Invalid("from pathlib import Path\nasync def main(p: Path | None):\n    return p.exists()\n"),
        Invalid("from pathlib import Path\nasync def main():\n    return Path.home().joinpath('.cfg').exists()\n"),
        Invalid("from pathlib import Path\nCONFIG = Path('app.toml')\nasync def main():\n    return CONFIG.read_text()\n"),
        Invalid("from pathlib import Path\nfrom otherlib import in_thread\n@in_thread\nasync def load():\n    return Path('x').read_text()\n"),
        Invalid("import asyncio\nfrom pathlib import Path\nasync def main(folder: Path):\n    return await asyncio.to_thread(list, folder.iterdir())\n"),
        Invalid("import asyncio\nfrom pathlib import Path\nasync def main(folder: Path):\n    return await asyncio.to_thread(sorted, list(folder.rglob('*')))\n"),
        Invalid("import pathlib, typing\nasync def main(p: 'typing.Union[None, pathlib.Path]'):\n    return p.is_file()\n"),
        Invalid("from pathlib import Path\nasync def main(raw):\n    p: Path = Path(raw)\n    p.touch()\n    p: str = str(p)\n"),
    )
