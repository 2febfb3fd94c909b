"""Parsing the analysed code: the tree, or why there is none, for any text."""

from __future__ import annotations

import ast
import re
import warnings

from async_patterns.analysis.findings import ParseProblem
from async_patterns.analysis.newer_syntax import newer_syntax_problem

# The parser warns about the analysed code (e.g. "invalid decimal literal") on every parse, without
# the once-per-place filtering a module import gets: that would flood the server's log on each
# keystroke. Those warnings concern the user's code, not the analysis, so they are silenced.
_SOURCE_NAME = "<async-patterns source>"
warnings.filterwarnings("ignore", module=re.escape(_SOURCE_NAME))
TOO_DEEP = ParseProblem("cannot analyse: the code is nested too deeply")


def parse(source: str) -> ast.Module | ParseProblem:
    """The syntax tree, or why there is none (never raises for any text)."""
    try:
        return ast.parse(source, filename=_SOURCE_NAME)
    except SyntaxError as error:
        return newer_syntax_problem(source, error) or ParseProblem(
            f"syntax error: {error.msg}", error.lineno, error.offset
        )
    except ValueError as error:  # NUL bytes on Python < 3.12, lone surrogates
        return ParseProblem(f"cannot parse: {error}")
    except (RecursionError, MemoryError):
        return TOO_DEEP
