"""The check's cache, one JSON file: a file whose size and modification time are unchanged (and
whose settings are the same) is not even read; one whose stamp changed is read and hashed, and
analysed again only when its bytes changed. The project modules that findings depend on are
hashed the same way, stamp first.

A result's "depends" lists [module, file, content hash] for each project module its findings read.
Many results read the same few modules: the file stores each distinct one once, in a table, and
the results their places in it (most of the file, and of the time to load it, were those lists).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from async_patterns import __version__

CACHE_FOLDER = ".async-patterns-cache"
_CACHE_FILE = "results-v3.json"
# A file written this recently can be written again within the same timestamp tick (coarse on
# some file systems) without changing its size: its stamp is not trusted, its bytes are hashed.
_RACY_SECONDS = 2.0

Stamp = list[int]


def stamp_of(path: str | Path) -> Stamp | None:
    """[size, modification time in ns] of a file, None when it cannot be read or is too fresh to trust."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - status.st_mtime_ns < _RACY_SECONDS * 1e9:
        return None
    return [status.st_size, status.st_mtime_ns]


def content_hash(data: bytes) -> str:
    # hashlib's own blake2b, without hashlib: importing it loads OpenSSL, a few ms of a warm run.
    try:
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b

    return blake2b(data, digest_size=20).hexdigest()


class ResultCache:
    """Results by file path, with the stamp, content hash and settings they were made with;
    loaded once and written back once, atomically. An analyser of another version starts empty."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, dict[str, Any]] = {}
        self.modules: dict[str, list[Any]] = {}
        self.changed = False
        # This run's answers: a module many results depend on is looked at once.
        self._hashed: dict[str, str] = {}
        try:
            loaded = json.loads((folder / _CACHE_FILE).read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("version") == __version__:
                files, table = loaded.get("files") or {}, loaded.get("depends") or []
                for entry in files.values():
                    result = entry["result"]
                    result["depends"] = [table[place] for place in result["depends"]]
                self.files, self.modules = files, loaded.get("modules") or {}
        except (OSError, ValueError, LookupError, TypeError, AttributeError):  # a damaged cache starts empty
            return

    def unchanged(self, path: str, stamp: Stamp | None, settings: str) -> Any:
        """The stored result when the file's stamp and settings are those it was made with."""
        entry = self.files.get(path)
        if stamp is not None and entry is not None and entry["stamp"] == stamp and entry["settings"] == settings:
            return entry["result"]
        return None

    def same_content(self, path: str, digest: str, settings: str, stamp: Stamp | None) -> Any:
        """The stored result when the file's bytes and settings are the same (its new stamp is kept)."""
        entry = self.files.get(path)
        if entry is None or entry["hash"] != digest or entry["settings"] != settings:
            return None
        if entry["stamp"] != stamp:
            entry["stamp"] = stamp
            self.changed = True
        return entry["result"]

    def put(self, path: str, stamp: Stamp | None, digest: str, settings: str, result: Any) -> None:
        self.files[path] = {"stamp": stamp, "hash": digest, "settings": settings, "result": result}
        self.changed = True

    def module_hash(self, path: str) -> str:
        """The content hash of a project module's file, '' when it cannot be read."""
        if path not in self._hashed:
            self._hashed[path] = self._module_hash(path)
        return self._hashed[path]

    def _module_hash(self, path: str) -> str:
        stamp = stamp_of(path)
        known = self.modules.get(path)
        if stamp is not None and known is not None and known[0] == stamp:
            return known[1]
        try:
            digest = content_hash(Path(path).read_bytes())
        except OSError:
            digest = ""
        self.modules[path] = [stamp, digest]
        self.changed = True
        return digest

    def save(self, checked: set[str]) -> None:
        """Write the entries of this run's files and of the modules their results depend on; a
        cache that cannot be written is skipped."""
        files = {path: entry for path, entry in self.files.items() if path in checked}
        depended_on = {module_path for entry in files.values() for _, module_path, _ in entry["result"]["depends"]}
        modules = {path: entry for path, entry in self.modules.items() if path in depended_on}
        if not self.changed and len(files) == len(self.files) and len(modules) == len(self.modules):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            places: dict[tuple[str, str, str], int] = {}
            stored_files = {
                path: {
                    **entry,
                    "result": {
                        **entry["result"],
                        "depends": [places.setdefault(tuple(read), len(places)) for read in entry["result"]["depends"]],
                    },
                }
                for path, entry in files.items()
            }
            kept = {"version": __version__, "files": stored_files, "modules": modules, "depends": list(places)}
            import tempfile  # only a run that changed something writes

            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".results-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(kept, stream)
            os.replace(temporary, self.folder / _CACHE_FILE)
            for earlier in self.folder.glob("results-v*.json"):  # an earlier format's, never read again
                if earlier.name != _CACHE_FILE:
                    earlier.unlink(missing_ok=True)
        except OSError:
            pass
