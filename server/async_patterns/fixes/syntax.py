"""One libcst parse of a module and what the fix recipes ask of it.

Metadata (positions, parents) is resolved per top-level statement, only for statements that hold a
finding: on a large module that is a small share of the cost of resolving it for the whole tree.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import libcst as cst
import libcst.helpers
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from async_patterns.analysis.findings import Finding
from async_patterns.fixes.text import _LINE_END

# Anything between the blocking call and its `async def` that makes `await` invalid there or
# changes what it means: another scope, or a comprehension (a generator expression with `await`
# becomes an async generator; nested comprehensions with `await` do not compile before 3.11).
_SCOPE_BOUNDARIES = (cst.Lambda, cst.FunctionDef, cst.ClassDef, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass
class _UnitMetadata:
    positions: Mapping[cst.CSTNode, CodeRange]
    parents: Mapping[cst.CSTNode, cst.CSTNode]
    line_offset: int


@dataclass
class ParsedModule:
    source: str
    module: cst.Module
    unit_first_lines: list[int]
    # The module runs in a Jupyter kernel, whose top level may `await`.
    top_level_await: bool = False
    _units: dict[int, _UnitMetadata] = field(default_factory=dict)
    _names: frozenset[str] | None = None

    @classmethod
    def parse(cls, source: str, top_level_await: bool = False) -> ParsedModule | None:
        """None when libcst cannot parse the text or would not give it back unchanged."""
        try:
            module = cst.parse_module(source)
        except (cst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
            return None
        if module.code != source:
            return None
        first_lines, line = [], 1 + len(module.header)
        for statement in module.body:
            code = module.code_for_node(statement)
            first_lines.append(line)
            line += _line_count(code)
        return cls(source, module, first_lines, top_level_await)

    def _unit(self, number: int) -> _UnitMetadata:
        unit = self._units.get(number)
        if unit is None:
            statement = self.module.body[number]
            # The module's own indent and newline, so columns come out as in the whole text.
            alone = self.module.with_changes(header=[], body=[statement], footer=[])
            wrapper = MetadataWrapper(alone, unsafe_skip_copy=True)
            positions = wrapper.resolve(PositionProvider)
            unit = self._units[number] = _UnitMetadata(
                positions, wrapper.resolve(ParentNodeProvider), self.unit_first_lines[number] - 1
            )
        return unit

    def _unit_at(self, line: int) -> int | None:
        number = bisect.bisect_right(self.unit_first_lines, line) - 1
        return number if number >= 0 else None

    def range_of(self, node: cst.CSTNode, unit: int) -> tuple[int, int, int, int]:
        metadata = self._unit(unit)
        code_range = metadata.positions[node]
        return (
            code_range.start.line + metadata.line_offset,
            code_range.start.column,
            code_range.end.line + metadata.line_offset,
            code_range.end.column,
        )

    def node_at(
        self, finding: Finding, kind: type[cst.CSTNode] | tuple[type[cst.CSTNode], ...] = cst.Call
    ) -> Located | None:
        """The node of a kind whose range is exactly the finding's, with its ancestors."""
        unit = self._unit_at(finding.line)
        if unit is None:
            return None
        metadata = self._unit(unit)
        wanted = (finding.line, finding.column, finding.end_line, finding.end_column)
        for node in metadata.positions:
            if isinstance(node, kind) and self.range_of(node, unit) == wanted:
                return Located(self, unit, node)
        return None

    @property
    def names(self) -> frozenset[str]:
        """Every identifier used in the module, for choosing names that cannot collide."""
        if self._names is None:
            self._names = frozenset(node.value for node in walk(self.module) if isinstance(node, cst.Name))
        return self._names

    def fresh_name(self, base: str, taken: frozenset[str] = frozenset()) -> str:
        """A name no code of the module uses (for a new module-level name)."""
        return _fresh(base, self.names | taken)

    def only_used_as_module(self, name: str) -> bool:
        """`name` is bound only by `import asyncio[ as name]` and used only as `name.attribute`."""
        stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(self.module, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, cst.Import):
                if any(_bound_name(alias) == name and not _imports_asyncio(alias) for alias in node.names):
                    return False
                continue
            if isinstance(node, cst.ImportFrom):
                if not isinstance(node.names, cst.ImportStar) and any(
                    _bound_name(alias) == name for alias in node.names
                ):
                    return False
                continue
            if isinstance(node, cst.Name) and node.value == name:
                if not (isinstance(parent, cst.Attribute) and parent.value is node):
                    return False
            stack.extend((child, node) for child in node.children)
        return True


@dataclass
class Located:
    """A node found by position, and the way up from it to the module."""

    parsed: ParsedModule
    unit: int
    node: cst.CSTNode

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parsed._unit(self.unit).parents.get(node)

    def ancestors(self) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
        """(child, parent) pairs from the node up to the top-level statement."""
        child = self.node
        parent = self.parent(child)
        while parent is not None and not isinstance(parent, cst.Module):
            yield child, parent
            child, parent = parent, self.parent(parent)

    def statement(self) -> cst.BaseStatement | None:
        """The innermost statement (a simple line or a compound statement) holding the node."""
        return next((parent for _, parent in self.ancestors() if isinstance(parent, cst.BaseStatement)), None)

    def awaitable_here(self) -> bool:
        """`await` in place of the node is valid and means the same: directly in an async def's body,
        or in the module's own top level when that may await (a notebook cell)."""
        holder = self._body_holding_it()
        if isinstance(holder, cst.Module):
            return self.parsed.top_level_await
        return holder is not None and holder.asynchronous is not None

    def at_statement_level(self) -> bool:
        """The node is in a statement of a function's own body (sync or async) or of the module's
        top level, not in a lambda, a comprehension or a class body."""
        return self._body_holding_it() is not None

    def _body_holding_it(self) -> cst.FunctionDef | cst.Module | None:
        """The function whose own body holds the node, the module when its top level does, or None
        when a lambda, a comprehension or a class body is in between."""
        for child, parent in self.ancestors():
            if isinstance(parent, cst.FunctionDef):
                return parent if child is parent.body else None
            if isinstance(parent, _SCOPE_BOUNDARIES):
                return None
        return self.parsed.module

    def enclosing_function(self) -> cst.FunctionDef | None:
        return next((parent for _, parent in self.ancestors() if isinstance(parent, cst.FunctionDef)), None)

    def fresh_local_name(self, base: str, taken: frozenset[str] = frozenset()) -> str:
        """A name for a new local of the enclosing function that none of its code (nested scopes
        included) mentions: it then shadows nothing that function reads, whatever other functions
        call their own locals."""
        function = self.enclosing_function()
        if function is None:
            return self.parsed.fresh_name(base, taken)
        code = (node for part in (function.params, function.body) for node in walk(part))
        used = frozenset(node.value for node in code if isinstance(node, cst.Name))
        return _fresh(base, used | taken)

    def range_of(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        return self.parsed.range_of(node, self.unit)


def _fresh(base: str, used: frozenset[str]) -> str:
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base}_{number}"
    return name


def _bound_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    root = alias.name
    while isinstance(root, cst.Attribute):
        root = root.value
    return root.value if isinstance(root, cst.Name) else None


def _imports_asyncio(alias: cst.ImportAlias) -> bool:
    dotted = cst.helpers.get_full_name_for_node(alias.name) or ""
    return dotted == "asyncio" or (alias.asname is None and dotted.startswith("asyncio."))


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _line_count(code: str) -> int:
    return len(_LINE_END.findall(code))
