"""Telling "this is a typo" from "this Python is too old for this file".

`ast` parses with the grammar of the Python that runs the analysis, so a file written for a newer
Python fails as a syntax error. That would read like the user's mistake, and it would stay that way
however long they stared at the line. The syntax errors this Python gives for newer constructs are
recognised here, from the error's message and the line it points at, so the user is told instead
which Python the file needs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from async_patterns.analysis.findings import ParseProblem
from async_patterns.analysis.positions import split_lines


@dataclass(frozen=True)
class _NewerConstruct:
    needs: tuple[int, int]
    description: str
    # The start of the message this Python's parser gives for the construct.
    message_prefixes: tuple[str, ...]
    line_pattern: re.Pattern[str]


_NEWER_CONSTRUCTS = (
    _NewerConstruct((3, 11), "`except*` clauses", ("invalid syntax",), re.compile(r"^\s*except\s*\*")),
    _NewerConstruct(
        (3, 11),
        "star expressions in subscripts and `*args` annotations (`tuple[*Ts]`, `*args: *Ts`)",
        ("invalid syntax",),
        # `*` opening a subscript or following one of its commas; a `*name:` annotation that is starred.
        re.compile(r"[\w\])]\s*\[(?:[^\[\]]*,)?\s*\*\s*[^\W\d]|\*\s*[^\W\d]\w*\s*:\s*\*"),
    ),
    _NewerConstruct(
        (3, 12), "`type` alias statements", ("invalid syntax",), re.compile(r"^\s*type\s+[^\W\d]\w*\s*[\[=]")
    ),
    _NewerConstruct(
        (3, 12),
        "type parameter lists such as `def f[T]` and `class C[T]`",
        ("expected '('", "invalid syntax"),
        re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+[^\W\d]\w*\s*\["),
    ),
    _NewerConstruct(
        (3, 12),
        "quotes, backslashes and comments inside f-string replacement fields",
        ("f-string",),
        re.compile(r"""[fF][rR]?(["']).*\{[^}]*(?:\1|\\|#)"""),
    ),
    _NewerConstruct(
        (3, 14),
        "unparenthesised `except A, B:` clauses",
        ("multiple exception types must be parenthesized",),
        # With `as` the parentheses are still required, so that is a real mistake.
        re.compile(r"^\s*except\b(?!.*\bas\b)"),
    ),
    _NewerConstruct(
        (3, 14), 'template strings (`t"..."`)', ("invalid syntax",), re.compile(r"""(?<![\w.])(?:[tT][rR]?|[rR][tT])["']""")
    ),
)

RUNNING_PYTHON = sys.version_info[:2]


def newer_syntax_problem(source: str, error: SyntaxError) -> ParseProblem | None:
    """A problem naming the Python a file needs, when its syntax error is a newer construct."""
    if not error.lineno or not error.msg:
        return None
    lines = split_lines(source)
    line = lines[error.lineno - 1] if error.lineno <= len(lines) else ""
    for construct in _NEWER_CONSTRUCTS:
        if (
            RUNNING_PYTHON < construct.needs
            and error.msg.startswith(construct.message_prefixes)
            and construct.line_pattern.search(line)
        ):
            needs = "{}.{}".format(*construct.needs)
            running = "{}.{}".format(*RUNNING_PYTHON)
            return ParseProblem(
                f"{construct.description} need Python {needs} or newer, but async-patterns runs on Python {running}: "
                "run it with a newer Python (in VS Code, the asyncPatterns.interpreter setting)",
                error.lineno,
                error.offset,
                needs_python=construct.needs,
            )
    return None
