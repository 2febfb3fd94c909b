"""The VS Code snippets (snippets/python.code-snippets) as data, for LSP completions in any editor.

The same file is contributed by the VS Code extension and shipped inside this package, so both
editors offer identical snippets. Pure: no pygls or lsprotocol import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

SNIPPETS_FILE = "python.code-snippets"


@dataclass(frozen=True)
class Snippet:
    name: str
    prefixes: tuple[str, ...]
    description: str
    body: str
    """VS Code / LSP snippet syntax: lines joined with newlines, indentation as tabs."""

    @property
    def prefix(self) -> str:
        return self.prefixes[0]


def load_snippets() -> list[Snippet]:
    text = resources.files("async_patterns").joinpath("snippets", SNIPPETS_FILE).read_text(encoding="utf-8")
    return parse_snippets(text)


def parse_snippets(text: str) -> list[Snippet]:
    snippets = []
    for name, entry in json.loads(text).items():
        prefix = entry["prefix"]
        body = entry["body"]
        snippets.append(
            Snippet(
                name=name,
                prefixes=(prefix,) if isinstance(prefix, str) else tuple(prefix),
                description=entry.get("description", ""),
                body=body if isinstance(body, str) else "\n".join(body),
            )
        )
    return snippets


def expand_defaults(body: str) -> str:
    """The text a user gets by accepting every placeholder's default.

    `${1:default}` becomes its (possibly nested) default, `${1|a,b|}` its first choice, `$1` and
    `${1}` the default given to tab stop 1 elsewhere (a mirror), `$0` nothing, and variables such as
    `$TM_FILENAME` their default or nothing.
    """
    nodes = _SnippetParser(body).parse()
    defaults: dict[str, list[_Node]] = {}
    _collect_defaults(nodes, defaults)
    return _render(nodes, defaults, frozenset())


# A parsed snippet is a list of nodes: literal text (str) or a tab stop/variable with its default.
@dataclass(frozen=True)
class _Placeholder:
    key: str
    default: list[_Node] | None


_Node = str | _Placeholder


def _collect_defaults(nodes: list[_Node], defaults: dict[str, list[_Node]]) -> None:
    for node in nodes:
        if isinstance(node, _Placeholder) and node.default is not None:
            defaults.setdefault(node.key, node.default)
            _collect_defaults(node.default, defaults)


def _render(nodes: list[_Node], defaults: dict[str, list[_Node]], expanding: frozenset[str]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        default = node.default if node.default is not None else defaults.get(node.key)
        if default is None or node.key in expanding:
            continue
        parts.append(_render(default, defaults, expanding | {node.key}))
    return "".join(parts)


class _SnippetParser:
    """Recursive descent over the TextMate snippet grammar that VS Code and LSP use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def parse(self) -> list[_Node]:
        return self._sequence(stop_at_brace=False)

    def _sequence(self, stop_at_brace: bool) -> list[_Node]:
        nodes: list[_Node] = []
        literal: list[str] = []
        while self.position < len(self.text):
            char = self.text[self.position]
            if char == "\\" and self.position + 1 < len(self.text) and self.text[self.position + 1] in "$}\\":
                literal.append(self.text[self.position + 1])
                self.position += 2
            elif char == "}" and stop_at_brace:
                break
            elif char == "$":
                placeholder = self._placeholder()
                if placeholder is None:
                    literal.append("$")
                    self.position += 1
                else:
                    if literal:
                        nodes.append("".join(literal))
                        literal = []
                    nodes.append(placeholder)
            else:
                literal.append(char)
                self.position += 1
        if literal:
            nodes.append("".join(literal))
        return nodes

    def _placeholder(self) -> _Placeholder | None:
        start = self.position
        self.position += 1
        if self._peek() == "{":
            self.position += 1
            key = self._name()
            if key is None:
                self.position = start
                return None
            if self._peek() == "}":
                self.position += 1
                return _Placeholder(key, None)
            if self._peek() == ":":
                self.position += 1
                default = self._sequence(stop_at_brace=True)
                self._expect("}")
                return _Placeholder(key, default)
            if self._peek() == "|":
                self.position += 1
                return _Placeholder(key, [self._choices()[0]])
            raise ValueError(f"unsupported snippet syntax at offset {start}: {self.text[start:start + 20]!r}")
        key = self._name()
        if key is None:
            self.position = start
            return None
        return _Placeholder(key, None)

    def _name(self) -> str | None:
        start = self.position
        if self._peek().isdigit():
            while self._peek().isdigit():
                self.position += 1
        elif self._peek().isalpha() or self._peek() == "_":
            while self._peek().isalnum() or self._peek() == "_":
                self.position += 1
        return self.text[start : self.position] or None

    def _choices(self) -> list[str]:
        choices: list[str] = []
        current: list[str] = []
        while self.position < len(self.text):
            char = self.text[self.position]
            if char == "\\" and self.position + 1 < len(self.text) and self.text[self.position + 1] in ",|\\":
                current.append(self.text[self.position + 1])
                self.position += 2
            elif char == ",":
                choices.append("".join(current))
                current = []
                self.position += 1
            elif char == "|":
                choices.append("".join(current))
                self.position += 1
                self._expect("}")
                return choices
            else:
                current.append(char)
                self.position += 1
        raise ValueError("unterminated choice in snippet body")

    def _peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise ValueError(f"expected {char!r} at offset {self.position} in snippet body")
        self.position += 1
