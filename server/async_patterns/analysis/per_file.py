"""`per-file-ignores`: rule codes switched off for the files a glob pattern matches, as ruff has them.

A pattern matches a file when it matches the file's name, or when, joined to the folder it is
relative to (the folder of the pyproject.toml that says it; for the editor's setting the workspace
folder; for the command line the current folder), it matches the file's absolute path. A pattern
starting with `!` applies to the files it does not match. Globs as ruff reads them: `*` matches any
run of characters, `/` included; `**/` any folders (or none); `?` one character; `[abc]`, `[!abc]`
and `{a,b}` as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath


@dataclass(frozen=True, slots=True)
class PerFileIgnore:
    """Codes ignored in the files `pattern` matches; `root` is the folder it is relative to (None:
    the folder the file's editor workspace or command line provides)."""

    pattern: str
    codes: tuple[str, ...]
    root: str | None = None

    def applies_to(self, path: PurePath, default_root: PurePath | None) -> bool:
        negated = self.pattern.startswith("!")
        pattern = self.pattern[1:] if negated else self.pattern
        root = PurePath(self.root) if self.root is not None else default_root
        matched = _glob(pattern).fullmatch(path.name) is not None
        if not matched and root is not None:
            matched = _glob((root / pattern).as_posix()).fullmatch(path.as_posix()) is not None
        return matched != negated


def is_valid_pattern(pattern: str) -> bool:
    body = pattern[1:] if pattern.startswith("!") else pattern
    if not body.strip():
        return False
    try:
        _glob(body)
    except re.error:
        return False
    return True


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(_translate(pattern))


def _translate(pattern: str) -> str:
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        else:
            character = pattern[index]
            index += 1
            if character == "*":
                parts.append(".*")
            elif character == "?":
                parts.append(".")
            elif character == "[":
                end = pattern.find("]", index + 1)
                if end == -1:
                    parts.append(re.escape(character))
                    continue
                members = pattern[index:end]
                index = end + 1
                if members.startswith("!"):
                    members = "^" + members[1:]
                parts.append(f"[{members.replace(chr(92), chr(92) * 2)}]")
            elif character == "{":
                end = pattern.find("}", index)
                if end == -1:
                    parts.append(re.escape(character))
                    continue
                choices = pattern[index:end].split(",")
                index = end + 1
                parts.append("(?:" + "|".join(_translate(choice) for choice in choices) + ")")
            else:
                parts.append(re.escape(character))
    return "".join(parts)
