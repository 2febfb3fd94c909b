"""A content-hash cache: a file whose bytes and settings are unchanged is not analysed again."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from async_patterns import __version__

CACHE_FOLDER = ".async-patterns-cache"
_CACHE_FILE = "results-v1.json"


def content_key(data: bytes, settings_fingerprint: str) -> str:
    digest = hashlib.blake2b(data, digest_size=20)
    digest.update(settings_fingerprint.encode())
    digest.update(__version__.encode())
    return digest.hexdigest()


class ResultCache:
    """Results by content key, loaded once and written back once, atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            loaded = json.loads((folder / _CACHE_FILE).read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self, keep: set[str]) -> None:
        """Write the entries still in use; a cache that cannot be written is silently skipped."""
        if not self.changed and keep == set(self.entries):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            kept = {key: value for key, value in self.entries.items() if key in keep}
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".results-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(kept, stream)
            os.replace(temporary, self.folder / _CACHE_FILE)
        except OSError:
            pass
