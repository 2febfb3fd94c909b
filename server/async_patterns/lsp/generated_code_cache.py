"""Import lsprotocol's types reusing the methods attrs generated for them in an earlier start.

Most of a Python language server's start-up is `import lsprotocol.types` (pygls needs it): 569 attrs
classes, each with `__init__`, `__repr__`, `__eq__`, ... generated as source text and passed to
`compile()` — about 40 % of that import. The generated text depends only on the class definitions,
so its compiled code objects are kept in a per-user cache file (keyed by the Python, attrs and
lsprotocol versions) and reused when the same text comes again. A code object is reused only for
exactly the text, file name and compiler flags it was compiled from, so the classes are the same as
without the cache; an unreadable or stale cache only costs the time it would have saved. The
cache file is named after the environment and the installed lsprotocol and attrs sources, so two
environments never take turns rewriting one file and an upgrade starts a new one.
"""

from __future__ import annotations

import __future__
import builtins
import logging
import marshal
import os
import sys
import tempfile
from hashlib import blake2b
from pathlib import Path
from types import CodeType
from typing import Any

logger = logging.getLogger(__name__)

_ATTRS_FILE_PREFIX = "<attrs generated "
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

CachedCode = dict[str, tuple[bytes, CodeType]]  # file name -> (digest of text and flags, code)


def cache_folder() -> Path:
    """Where this user's caches go on this platform."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "async-patterns"


def _cache_file(folder: Path) -> Path:
    import attr._make
    import lsprotocol

    sources = (Path(lsprotocol.__file__).with_name("types.py"), Path(attr._make.__file__))
    signature = [sys.prefix, *(f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in sources)]
    environment = blake2b("\0".join(signature).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return folder / f"lsprotocol-code-{sys.implementation.cache_tag}-{environment}.marshal"


def _digest(source: str, flags: int) -> bytes:
    return blake2b(f"{flags}\0{source}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _load(path: Path) -> CachedCode:
    try:
        with path.open("rb") as stream:
            loaded = marshal.load(stream)
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, ValueError, TypeError) as error:
        logger.info("ignoring the generated-code cache %s: %s", path, error)
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        filename: entry
        for filename, entry in loaded.items()
        if (isinstance(entry, tuple) and len(entry) == 2 and type(entry[0]) is bytes and type(entry[1]) is CodeType)
    }


def _save(path: Path, cached: CachedCode) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(descriptor, "wb") as stream:
            marshal.dump(cached, stream)
        os.replace(temporary, path)  # atomic: a server starting meanwhile reads the old or the new file
    except OSError as error:
        logger.info("cannot write the generated-code cache %s: %s", path, error)


def import_lsprotocol_types(folder: Path | None = None) -> tuple[int, int]:
    """Import `lsprotocol.types`, compiling only the attrs-generated code the cache lacks.

    Returns how many generated code objects were reused and how many compiled (both 0 when the
    module was already imported)."""
    if "lsprotocol.types" in sys.modules:
        return 0, 0
    path = _cache_file(folder or cache_folder())
    cached = _load(path)
    used: CachedCode = {}
    compiled = 0
    compile_for_real = builtins.compile

    def compile_reusing_cache(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        nonlocal compiled
        if (
            args
            or kwargs
            or mode != "exec"
            or type(source) is not str
            or type(filename) is not str
            or not filename.startswith(_ATTRS_FILE_PREFIX)
        ):
            return compile_for_real(source, filename, mode, *args, **kwargs)
        # compile() inherits the caller's `from __future__` flags; the cached code must have the same.
        flags = sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
        digest = _digest(source, flags)
        entry = cached.get(filename)
        if entry is None or entry[0] != digest:
            entry = (digest, compile_for_real(source, filename, mode, flags, True))
            compiled += 1
        used[filename] = entry
        return entry[1]

    builtins.compile = compile_reusing_cache
    try:
        import lsprotocol.types  # noqa: F401
    finally:
        builtins.compile = compile_for_real
    if compiled or used.keys() != cached.keys():
        _save(path, used)
    return len(used) - compiled, compiled
