"""`check --fix`: each file rewritten with every safe fix; with `--diff` the rewrites are shown
instead of written, and text read from standard input is fixed in memory for standard output."""

from __future__ import annotations

import io
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from async_patterns.analysis import Settings
from async_patterns.files import read_source
from async_patterns.analysis.findings import Finding
from async_patterns.cli.formats import FileResult, reported
from async_patterns.cli.notebooks import NOTEBOOK_SUFFIX, fix_notebook
from async_patterns.fixes import is_fixable


@dataclass
class Rewrites:
    """Where fixed texts go. `in_memory` holds the texts that are not files (standard input), by
    path; a fixed one replaces its entry. Without `show_diff`, files are written in place."""

    show_diff: bool = False
    in_memory: dict[str, bytes] = field(default_factory=dict)
    diffs: list[str] = field(default_factory=list)

    def original(self, path: str) -> bytes:
        return self.in_memory[path] if path in self.in_memory else Path(path).read_bytes()

    def store(self, path: str, before: str, after: str, encoding: str) -> bool:
        """Put a fixed text where it goes; False when it could not be (the reason is on stderr)."""
        if self.show_diff:
            from async_patterns.cli.diff import unified_diff

            self.diffs.append(unified_diff(path, before, after))
            return True
        try:
            encoded = after.encode(encoding)
            if path in self.in_memory:
                self.in_memory[path] = encoded
            else:
                Path(path).write_bytes(encoded)
        except (OSError, UnicodeEncodeError) as error:
            print(f"{path}: error: cannot write the fixes: {error}", file=sys.stderr)
            return False
        return True


def fixed(result: FileResult, settings: Settings, rewrites: Rewrites) -> FileResult:
    """The file rewritten with all safe fixes (reported on stderr), and the findings left in it."""
    if result.problem or not any(is_fixable(finding) for finding in result.findings):
        return result
    try:
        data = rewrites.original(result.path)
        if result.path.endswith(NOTEBOOK_SUFFIX):
            return _fixed_notebook(result, data, settings, rewrites)
        source = read_source(data)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except (OSError, ValueError, SyntaxError):
        return result
    from async_patterns.fixes import fix_all  # libcst loads only when fixing

    outcome = fix_all(source, settings)
    if not outcome.changed or not rewrites.store(result.path, source, outcome.source, encoding):
        return result
    _say_fixed(result.path, outcome.fixed, rewrites)
    return FileResult(result.path, reported(outcome.remaining))


def _fixed_notebook(result: FileResult, data: bytes, settings: Settings, rewrites: Rewrites) -> FileResult:
    outcome = fix_notebook(result, data, settings)
    if isinstance(outcome, str):
        print(f"{result.path}: {outcome}", file=sys.stderr)
        return result
    if outcome is None or not rewrites.store(result.path, data.decode("utf-8"), outcome.data.decode("utf-8"), "utf-8"):
        return result
    _say_fixed(result.path, outcome.fixed, rewrites)
    return outcome.result


def _say_fixed(path: str, fixed_findings: list[Finding], rewrites: Rewrites) -> None:
    """`app.py: fixed 3 (AP201, ASYNC300 x2)` on stderr."""
    counts = Counter(finding.code for finding in fixed_findings)
    summary = ", ".join(f"{code} x{count}" if count > 1 else code for code, count in sorted(counts.items()))
    verb = "would fix" if rewrites.show_diff else "fixed"
    print(f"{path}: {verb} {len(fixed_findings)} ({summary})", file=sys.stderr)
