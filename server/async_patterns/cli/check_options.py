"""How `check`'s options combine: the combinations that make no sense (a usage error, exit 2),
the format a report gets when none is chosen, and reading the text to check from standard input."""

from __future__ import annotations

import argparse
import io
import os
import stat
import sys
from typing import TextIO

from async_patterns.cli.formats import FORMAT_ALIASES
from async_patterns.cli.terminal import is_terminal

STDIN_PATH = "-"
# Formats made for programs: a table of counts is not one of them, JSON is.
_NO_STATISTICS_FORMATS = frozenset({"sarif", "github", "gitlab", "junit"})


def reads_stdin(arguments: argparse.Namespace) -> bool:
    return arguments.stdin_filename is not None or STDIN_PATH in arguments.paths


def usage_problem(arguments: argparse.Namespace) -> str | None:
    """Why these options cannot run together, or None."""
    if STDIN_PATH in arguments.paths and len(arguments.paths) > 1:
        return "`-` (read standard input) cannot be combined with other paths"
    if arguments.stdin_filename is not None:
        if arguments.paths not in ([], [STDIN_PATH]):
            return "--stdin-filename names the text read from standard input: give `-` as the only path"
        if not arguments.stdin_filename.strip():
            return "--stdin-filename needs a file name"
    if arguments.diff and not arguments.fix:
        return "--diff shows what --fix would change: use them together"
    if arguments.diff and arguments.statistics:
        return "--diff and --statistics each replace the report: choose one"
    if arguments.diff and arguments.format is not None:
        return "--diff prints a diff instead of a report, so --format does not apply: leave it out"
    if arguments.statistics and arguments.format in _NO_STATISTICS_FORMATS:
        return f"--statistics prints a table, or JSON with --format json; it cannot be {arguments.format}"
    if (arguments.show_files or arguments.show_settings) and (arguments.fix or arguments.statistics):
        return "--show-files and --show-settings only print what a check would use: drop --fix and --statistics"
    return None


def read_stdin() -> bytes | None:
    """The bytes piped to standard input; None when nothing can be: it is closed, a terminal, or
    the null device (what CI jobs and services get), where a `-` is a mistake, not an empty file."""
    stream = sys.stdin
    if stream is None or is_terminal(stream):
        return None
    try:
        if stat.S_ISCHR(os.fstat(stream.fileno()).st_mode):
            return None
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass  # not a file descriptor (an embedding program's stream): read what it holds
    try:
        return stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    except (OSError, ValueError):
        return None


def default_format(arguments: argparse.Namespace, stream: TextIO) -> str:
    """The chosen format by its one name; when none is chosen, `full` for a person at a terminal
    and `concise` for pipes, files and CI logs (today's one-line text, which scripts may read)."""
    if arguments.format is not None:
        return FORMAT_ALIASES.get(arguments.format, arguments.format)
    return "full" if arguments.output_file is None and is_terminal(stream) else "concise"
