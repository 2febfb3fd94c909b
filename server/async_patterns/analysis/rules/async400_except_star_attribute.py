"""ASYNC400: an attribute an exception group does not have, read off an `except*` target."""

import ast
from typing import Iterator

from async_patterns.analysis import exception_groups
from async_patterns.analysis.async_code import walk_in_order
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

# What `BaseExceptionGroup` has besides dunders (and `_is_protocol` of the `exceptiongroup` backport).
_GROUP_ATTRIBUTES = frozenset(
    {"add_note", "args", "derive", "exceptions", "message", "split", "subgroup", "with_traceback", "_is_protocol"}
)


class ExceptStarAttribute(NodeRule):
    code = "ASYNC400"
    name = "except-star-attribute"
    message = (
        "{attribute} raises `AttributeError`: `except*` binds an exception group, not one exception, and the "
        "group has no such attribute; read it off each of the group's `exceptions`"
    )
    explanation = """\
In `except* SomeError as error:` the name is bound to an exception group holding the matching
exceptions (even when there is only one), never to a `SomeError`. Reading `error.errno`,
`error.status` or any other attribute of the exception type fails with `AttributeError` inside the
handler, replacing the error being handled. Iterate `error.exceptions` and read the attribute from
each. Only the group's own attributes (`exceptions`, `message`, `split`, `subgroup`, `derive`,
`args`, `add_note`, `with_traceback` and dunders) are accepted; a name rebound in the handler is
no longer followed."""
    peers = """\
Same meaning as flake8-async's; ruff has no ASYNC400."""

    node_types = (getattr(ast, "TryStar", ast.Try),)
    only_in_async = False
    sync_code_words = frozenset({"except*"})

    def check(self, node: ast.AST, context: Context) -> Iterator[Report]:
        if type(node).__name__ != "TryStar":
            return
        for handler in node.handlers:  # type: ignore[attr-defined]
            if handler.name:
                yield from self._foreign_attributes(handler.name, handler.body)

    def _foreign_attributes(self, name: str, body: list[ast.stmt]) -> Iterator[Report]:
        for inner in walk_in_order(body):
            if isinstance(inner, ast.Name) and inner.id == name and not isinstance(inner.ctx, ast.Load):
                return  # rebound: from here on it holds something else
            if (
                isinstance(inner, ast.Attribute)
                and isinstance(inner.value, ast.Name)
                and inner.value.id == name
                and inner.attr not in _GROUP_ATTRIBUTES
                and not (inner.attr.startswith("__") and inner.attr.endswith("__"))
            ):
                yield Report(inner, self.message.format(attribute=expression_span(inner)))

    VALID = (
        "def main():\n    try:\n        run()\n    except* OSError as group:\n        for error in group.exceptions:\n"
        "            log(error.errno)\n",
        "def main():\n    try:\n        run()\n    except OSError as error:\n        log(error.errno)\n",
        "def main():\n    try:\n        run()\n    except* OSError as group:\n        group = group.exceptions[0]\n        log(group.errno)\n",
        "def main():\n    try:\n        run()\n    except* OSError as group:\n        log(group.message, group.__notes__)\n",
    )
    INVALID = (
        Invalid("def main():\n    try:\n        run()\n    except* OSError as error:\n        log(error.errno)\n"),
        Invalid("async def main(client):\n    try:\n        await client.fetch()\n    except* HTTPError as failure:\n"
                "        if failure.status == 404:\n            return None\n"),
    )
