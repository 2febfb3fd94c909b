"""ASYNC126: a subclass of `ExceptionGroup` that does not override `derive`."""

import ast
from typing import Iterator

from async_patterns.analysis import exception_groups
from async_patterns.analysis.async_code import FUNCTIONS, keyword_span
from async_patterns.analysis.code_spans import code_span, written
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class ExceptionGroupWithoutDerive(NodeRule):
    code = "ASYNC126"
    name = "exception-group-without-derive"
    message = (
        "{group_class} does not override `derive()`, so `split()` and `subgroup()` (which `except*` and task groups "
        "use) make its parts plain `ExceptionGroup`s; define `derive` to keep the subclass"
    )
    explanation = """\
`BaseExceptionGroup.split()` and `subgroup()` make the new, smaller groups by calling `derive()` on
the original, and the inherited `derive()` returns a plain `ExceptionGroup` (or
`BaseExceptionGroup`). So as soon as an `except*` clause or a task group splits an instance of a
custom subclass, the parts are no longer of that class: `except* MyGroup` stops matching, and the
subclass's attributes and methods are gone from them. Override it, e.g.
`def derive(self, excs): return MyGroup(self.message, excs)`, copying whatever extra state the
class keeps."""
    peers = """\
Same meaning as flake8-async's; ruff has no ASYNC126."""

    node_types = (ast.ClassDef,)
    only_in_async = False
    sync_code_words = exception_groups.GROUP_CLASS_NAMES

    def check(self, node: ast.ClassDef, context: Context) -> Iterator[Report]:
        group = next((base for base in node.bases if exception_groups.names_exception_group(base, context.scope)), None)
        if group is None or any(isinstance(member, FUNCTIONS) and member.name == "derive" for member in node.body):
            return
        # The base by its own name: `exceptiongroup.BaseExceptionGroup[OSError]` is `BaseExceptionGroup`.
        base = group.value if isinstance(group, ast.Subscript) else group
        message = self.message.format(group_class=code_span(f"class {node.name}({written(base).rpartition('.')[2]})"))
        yield Report(keyword_span(node, len("class ") + len(node.name)), message)

    VALID = (
        "class Failures(ExceptionGroup):\n    def derive(self, excs):\n        return Failures(self.message, excs)\n",
        "class Failure(Exception):\n    pass\n",
        "from exceptiongroup import ExceptionGroup\nclass Failures(ExceptionGroup):\n    def derive(self, excs):\n"
        "        return Failures(self.message, excs)\n",
    )
    INVALID = (
        Invalid("class Failures(ExceptionGroup):\n    pass\n"),
        Invalid("import exceptiongroup\nclass Failures(exceptiongroup.BaseExceptionGroup[OSError]):\n    code = 3\n"),
    )
