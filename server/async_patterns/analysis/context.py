"""What a rule sees of the code around a node: the module's facts and the walk's current place.

Kept apart from the engine so that rules, the helpers they share (`async_code`) and the engine can
all name these types without importing each other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from async_patterns.analysis.async_code import coroutine_function_names
from async_patterns.analysis.generator_consumers import closed_generators, private_async_generators
from async_patterns.analysis.names import Scope, collect_bindings, collect_global_rebindings
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.project.layout import make_imports_absolute
from async_patterns.analysis.settings import Settings

if TYPE_CHECKING:
    from async_patterns.analysis.project.view import ProjectView


@dataclass
class ModuleFacts:
    """What every unit may need from the whole module."""

    scope: Scope
    async_function_names: frozenset[str]
    imported_modules: frozenset[str]
    coroutine_functions: frozenset[str] = frozenset()
    # Private async generators, and those of them whose every consumer in the module closes them.
    private_async_generators: frozenset[str] = frozenset()
    closed_private_generators: frozenset[str] = frozenset()
    # Per rule set, the words whose presence makes the walk look at sync code (see engine).
    sync_code_words: dict[int, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    # The module's top level runs while an event loop is running in its thread and may await, yet
    # is allowed to block: a notebook's cells in a Jupyter kernel.
    top_level_on_loop: bool = False

    @classmethod
    def of(
        cls,
        tree: ast.Module,
        source: str | None = None,
        top_level_on_loop: bool = False,
        project: ProjectView | None = None,
    ) -> ModuleFacts:
        """The facts of a module; with its `source`, what the text rules out is not looked for;
        with a `project`, names are resolved across the project's modules too."""
        scope = Scope(tree, is_async=False, parent=None, project=project)
        collect_bindings(scope, tree.body)
        if project is not None:
            make_imports_absolute(scope, project.module, project.package)
        index = LineIndex.of(source) if source is not None else None
        if source is None or "global" in source:
            collect_global_rebindings(scope, tree.body, index)
        async_names = frozenset(node.name for node in tree.body if isinstance(node, ast.AsyncFunctionDef))
        imported = frozenset(
            binding.qualname.partition(".")[0] for binding in scope.bindings.values() if binding.qualname
        )
        private = private_async_generators(tree.body, index)
        return cls(
            scope,
            async_names,
            imported,
            coroutine_function_names(tree.body, scope),
            private,
            closed_generators(tree.body, private, index),
            top_level_on_loop=top_level_on_loop,
        )


@dataclass
class Context:
    """What a rule sees while the walk is at a node."""

    module: ModuleFacts
    settings: Settings
    scope: Scope
    parents: list[ast.AST] = field(default_factory=list)
    definition_time: int = 0
    # How many functions around the node a thread runner runs on a worker thread.
    worker_thread: int = 0

    @property
    def in_async(self) -> bool:
        """Code here runs on the event loop: the innermost function is `async def`."""
        return self.scope.is_async and not self.definition_time

    @property
    def at_top_level_on_loop(self) -> bool:
        """Code here is the module's own top level (a class body there included) and that top level
        runs on a running event loop (`ModuleFacts.top_level_on_loop`)."""
        if not self.module.top_level_on_loop:
            return False
        scope = self.scope
        while isinstance(scope.node, ast.ClassDef) and scope.parent is not None:
            scope = scope.parent
        return scope is self.module.scope

    @property
    def can_await(self) -> bool:
        """`await` is valid here and runs on the event loop: in a coroutine, or at a notebook's top level."""
        return self.in_async or self.at_top_level_on_loop

    @property
    def on_callers_loop(self) -> bool:
        """Code here runs on the event loop of the code that calls it, so blocking stalls that loop's
        other tasks (not so in a coroutine a thread runner runs on its worker thread's own loop)."""
        return self.in_async and not self.worker_thread

    @property
    def function(self) -> ast.AST:
        return self.scope.node
