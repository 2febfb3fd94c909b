"""Which statements' text may name a word: the cheap test that lets a module-wide search skip the
statements (and class members) that cannot hold what it looks for.

The test is on the statement's lines, so it never misses: a name in the syntax tree is on one of
its statement's lines. Text that is not ASCII is searched in its NFKC form, as the parser reads
identifiers (`ﬁ` is read as `fi`).
"""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

from async_patterns.analysis.positions import LineIndex

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class WordSearch:
    """Words to find: text holds one when it contains a literal and the pattern matches there."""

    literals: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> WordSearch:
        literals = tuple(sorted(words))
        return cls(literals, re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, literals))))

    def found_in(self, text: str) -> bool:
        # A substring search (in C, no regular expression) rules out most text first.
        return any(literal in text for literal in self.literals) and self.pattern.search(text) is not None


def lines_may_name(index: LineIndex, first: int, last: int, words: WordSearch) -> bool:
    """Whether lines `first`..`last` (1-based, inclusive) may name one of the words."""
    lines = index.lines[max(0, first - 1) : last]
    text = "\n".join(lines)  # one search in C beats one per line
    if words.found_in(text):
        return True
    # No word spans lines: only the lines that are not ASCII can spell one otherwise.
    return not text.isascii() and any(
        words.found_in(unicodedata.normalize("NFKC", line)) for line in lines if not line.isascii()
    )


def first_line(statement: ast.stmt) -> int:
    """The statement's first line, its decorators' included."""
    decorators = getattr(statement, "decorator_list", None)
    return min(statement.lineno, *(decorator.lineno for decorator in decorators)) if decorators else statement.lineno


def statements_naming(
    statements: Iterable[ast.stmt], index: LineIndex, words: WordSearch, *, function_headers: bool = False
) -> Iterator[ast.AST]:
    """The statements whose lines may name a word; of a class that may, its own parts (decorators,
    bases, keywords) and, the same way, its members, so that one mention does not bring in the
    whole class. With `function_headers`, only a function's lines up to its body's first count."""
    for statement in statements:
        last = statement.end_lineno or statement.lineno
        if function_headers and isinstance(statement, _FUNCTIONS):
            last = max(statement.lineno, statement.body[0].lineno - 1)
        if not lines_may_name(index, first_line(statement), last, words):
            continue
        if isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            yield from statement.bases
            yield from statement.keywords
            yield from getattr(statement, "type_params", ())
            yield from statements_naming(statement.body, index, words, function_headers=function_headers)
        else:
            yield statement
