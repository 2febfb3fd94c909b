"""Per-document safeguards: a size limit, and problems told once per document, not per keystroke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from async_patterns.analysis import ParseProblem
from async_patterns.files import DEFAULT_MAX_FILE_BYTES
from async_patterns.lsp.documents import path_of


def utf8_size_exceeds(source: str, limit: int) -> bool:
    # A code point takes one to four bytes, so most texts are decided without encoding them.
    if len(source) > limit:
        return True
    if 4 * len(source) <= limit:
        return False
    return len(source.encode("utf-8", "surrogatepass")) > limit


@dataclass
class DocumentSafeguards:
    log: Callable[[str], None]
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    _told: dict[str, set[str]] = field(default_factory=dict)

    def too_large(self, uri: str, source: str) -> bool:
        """Whether to leave a document unanalysed; the first time, the log says why and what to do."""
        if not utf8_size_exceeds(source, self.max_file_bytes):
            return False
        self._tell_once(
            uri,
            "size",
            f"{_name(uri)}: not analysed: it is larger than {self.max_file_bytes:,} bytes "
            "(start the server with `async-patterns server --max-file-bytes N` to raise the limit)",
        )
        return True

    def parse_problem(self, uri: str, problem: ParseProblem | None) -> None:
        """Log a problem the user cannot fix by editing (newer syntax), once; typos while typing are not news."""
        if problem is not None and problem.needs_python is not None:
            self._tell_once(uri, "newer syntax", f"{_name(uri)}:{problem.line}: not analysed: {problem.message}")

    def forget(self, uri: str) -> None:
        self._told.pop(uri, None)

    def _tell_once(self, uri: str, topic: str, message: str) -> None:
        told = self._told.setdefault(uri, set())
        if topic not in told:
            told.add(topic)
            self.log(message)


def _name(uri: str) -> str:
    path = path_of(uri)
    return str(path) if path is not None else uri
