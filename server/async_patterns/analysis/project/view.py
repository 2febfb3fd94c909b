"""The project as one module's resolver sees it: names this module imports or defines, looked up in
the index, with a record of which modules' declarations the answers depended on."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, TypeVar

from async_patterns.analysis.project.index import Link, ProjectIndex, blocks_when_called

if TYPE_CHECKING:
    from async_patterns.analysis.names import Scope

_Answer = TypeVar("_Answer")


@dataclass
class ProjectView:
    index: ProjectIndex
    module: str
    package: bool = False
    # The modules whose declarations some answer used: when one changes, so may the answers.
    consulted: set[str] = field(default_factory=set)

    def _asking(self, question: Callable[[], _Answer]) -> _Answer:
        # Asked while the index answers another question (a chain being searched summarises this
        # module), what the answer read is both this view's and that question's.
        index = self.index
        outer, index.consulted_by = index.consulted_by, set()
        try:
            return question()
        finally:
            used, index.consulted_by = index.consulted_by, outer
            self.consulted |= used
            if outer is not None:
                outer |= used

    def class_type(self, qualname: str) -> str | None:
        return self._asking(lambda: self.index.class_type(qualname))

    def call_type(self, qualname: str) -> str | None:
        return self._asking(lambda: self.index.call_type(qualname))

    def global_type(self, qualname: str) -> str | None:
        return self._asking(lambda: self.index.global_type(qualname))

    def attribute_type(self, class_type: str, attribute: str) -> str | None:
        return self._asking(lambda: self.index.attribute_type(class_type, attribute))

    def blocking_chain(self, callee: str) -> tuple[Link, ...] | None:
        return self._asking(lambda: self.index.blocking_chain(callee))

    def helper_called(self, func: ast.expr, scope: Scope, receiver_type: str | None) -> str | None:
        """The project function, method or class (its `__init__`) that calling `func` runs, when the
        call runs its body right here (a sync, non-generator function that is not a stub), as a
        canonical qualname ("app.db.Database.downloaded": the class that defines the method)."""
        return self._asking(lambda: self._helper_called(func, scope, receiver_type))

    def _helper_called(self, func: ast.expr, scope: Scope, receiver_type: str | None) -> str | None:
        index = self.index
        qualname = scope.project_qualname_of(func)
        symbol = index.resolve(qualname) if qualname else None
        if symbol is None and receiver_type is not None and isinstance(func, ast.Attribute):
            owner = index.resolve(receiver_type)
            if owner is not None and owner[0] == "class":
                symbol = index.find_method(owner[1], owner[2], func.attr)
        if symbol is not None and symbol[0] == "class":
            symbol = index.find_method(symbol[1], symbol[2], "__init__")
        if symbol is None or symbol[0] not in ("function", "method"):
            return None
        declared = index.function_declaration(symbol)
        if declared is None or declared.is_property or not blocks_when_called(declared):
            return None
        return ".".join(symbol[1:])
