"""ASYNC401: `pytest.raises(ExceptionGroup)`."""

import ast
from typing import Iterator

from async_patterns.analysis import exception_groups
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report, keyword_value


class PytestRaisesExceptionGroup(NodeRule):
    code = "ASYNC401"
    name = "pytest-raises-exception-group"
    message = (
        "{call} with {group} passes whatever the group holds; use `pytest.RaisesGroup(...)` "
        "(pytest 8.4+) to say which exceptions must be in it"
    )
    explanation = """\
Code that runs tasks in a `TaskGroup` raises an `ExceptionGroup`, and a test written as
`with pytest.raises(ExceptionGroup):` passes for any group at all: the exception the test is about
may be missing, or be another one, and the test still passes. Since pytest 8.4,
`with pytest.RaisesGroup(ValueError):` matches a group by what it holds (nested groups and
`match=` included), and `pytest.RaisesExc` describes each member. There is no safe automatic
rewrite: only the test's author knows which exceptions the group must hold."""
    peers = """\
Same meaning as flake8-async's and ruff's (in preview)."""

    node_types = (ast.Call,)
    only_in_async = False
    sync_code_words = exception_groups.GROUP_CLASS_NAMES

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        expected = keyword_value(node, "expected_exception", 0)
        if expected is None or context.scope.qualname_of(node.func) != "pytest.raises":
            return
        members = expected.elts if isinstance(expected, ast.Tuple) else [expected]
        groups = [member for member in members if exception_groups.names_exception_group(member, context.scope)]
        if groups:
            yield Report(node, self.message.format(call=expression_span(node), group=expression_span(groups[0])))

    VALID = (
        "import pytest\ndef test_fails():\n    with pytest.RaisesGroup(ValueError):\n        run()\n",
        "import pytest\ndef test_fails():\n    with pytest.raises(ValueError):\n        run()\n",
    )
    INVALID = (
        Invalid("import pytest\ndef test_fails():\n    with pytest.raises(ExceptionGroup):\n        run()\n"),
        Invalid("import pytest\nfrom exceptiongroup import BaseExceptionGroup as Group\nasync def test_fails():\n"
                "    with pytest.raises((ValueError, Group), match='x'):\n        await run()\n"),
        Invalid("from pytest import raises\ndef test_fails():\n    raises(expected_exception=ExceptionGroup, func=run)\n"),
    )
