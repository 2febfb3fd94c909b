"""Incremental analysis answers exactly as a full analysis of the same text, edit after edit."""

from __future__ import annotations

import ast
import dataclasses
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from async_patterns.analysis import Settings, analyze
from async_patterns.analysis import incremental
from async_patterns.analysis.engine import RuleSet
from async_patterns.analysis.incremental import IncrementalAnalysis
from async_patterns.analysis.rules import rule_classes


def _whole(source: str, settings: Settings | None = None):
    """The full analysis an IncrementalAnalysis without a project must equal: one where no project
    function is known (so AP109, which needs them, reports nothing)."""
    settings = settings or Settings()
    return analyze(source, dataclasses.replace(settings, extend_ignore=(*settings.extend_ignore, "AP109")))

ROOT = Path(__file__).resolve().parent.parent
REAL_FILES = sorted(
    path
    for folder in (ROOT / "examples", ROOT / "server" / "async_patterns")
    for path in folder.rglob("*.py")
    if path.stat().st_size < 25_000
)


def _functions_as_one_class(in_blocks: bool = False) -> str:
    """Every function of the examples and the analysis package as methods of one large class: real
    code in the shape that makes a unit of each method; `in_blocks` puts some of them in an
    `if TYPE_CHECKING:` or a `try:` block of the class body, as typed libraries do."""
    imports, methods = [], []
    for path in [*(ROOT / "examples").rglob("*.py"), *(ROOT / "server" / "async_patterns" / "analysis").glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            segment = ast.get_source_segment(source, node, padded=True) or ""
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(segment)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = "".join(f"@{ast.get_source_segment(source, d)}\n" for d in node.decorator_list)
                method = decorators + segment
                if in_blocks and len(methods) % 5 == 1:
                    method = "if TYPE_CHECKING:\n" + textwrap.indent(method, "    ")
                elif in_blocks and len(methods) % 5 == 3:
                    method = "try:\n" + textwrap.indent(method, "    ") + "\nexcept ImportError:\n    pass"
                methods.append(textwrap.indent(method, "    "))
    return "\n".join(dict.fromkeys(imports)) + "\n\n\nclass Everything:\n" + "\n\n".join(methods) + "\n"


LARGE_CLASS = _functions_as_one_class()
LARGE_CLASS_WITH_BLOCKS = _functions_as_one_class(in_blocks=True)
SOURCES = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in REAL_FILES}
SOURCES["<large class>"] = LARGE_CLASS
SOURCES["<large class with blocks>"] = LARGE_CLASS_WITH_BLOCKS

# Lines that make rules fire, change module facts, break the syntax or attach to the statement before.
SNIPPETS = (
    "    time.sleep(1)",
    "        await asyncio.sleep(0)",
    "        open('data.txt').read()  # noqa: ASYNC230",
    "async def extra(self):",
    "    async def extra(self):",
    "    def helper(self):",
    "import time",
    "import asyncio",
    "from pathlib import Path",
    "        self.path = Path('x')",
    "        self.path.read_text()",
    "        self.close()",
    "        asyncio.create_task(self.extra())",
    "        asyncio.ensure_future(self.extra())",
    "    global path",
    "path = open('x')",
    "    async def _extra(self):",
    "            yield self",
    "        await rows.aclose()",
    "        rows = self._extra()",
    "        self._task.cancel()",
    "        await self._task",
    "        try:",
    "        except asyncio.CancelledError:",
    "            pass",
    "else:",
    "    )",
    "(",
    '"""',
    "@staticmethod",
    "    @property",
    "class Extra:",
    "value = 1 + \\",
    "# a comment",
    "print(path)",
    "impor",
    "import urllib3",
    "import os",
    "        self.pool.request('GET', '/')",
    "        os.stat(path)",
    "path: Path = Path('x')",
    "def path(): pass",
    "_extra()",
    "assert path",
    "",
)
CHARACTERS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz_ ()[]{}:.,'\"#\\=\n\t") + ["    ", "async ", "await ", "日本😀"])

_line = st.floats(min_value=0, max_value=1, exclude_max=True)
EDITS = st.one_of(
    st.tuples(st.just("insert"), _line, st.sampled_from(SNIPPETS)),
    st.tuples(st.just("type"), _line, st.sampled_from(SNIPPETS)),
    st.tuples(st.just("delete"), _line, st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("indent"), _line, st.sampled_from(["    ", ""])),
    st.tuples(st.just("dedent"), _line, st.just(4)),
    st.tuples(st.just("characters"), _line, st.lists(CHARACTERS, min_size=1, max_size=4)),
    st.tuples(st.just("truncate"), _line, st.floats(min_value=0, max_value=1)),
)


def _texts_after(text: str, edit: tuple) -> list[str]:
    """The texts an editor would send while making the edit (typing sends one per character)."""
    kind, where, payload = edit
    lines = text.split("\n")
    line = int(where * len(lines))
    if kind == "insert":
        return ["\n".join([*lines[:line], payload, *lines[line:]])]
    if kind == "type":
        return ["\n".join([*lines[:line], payload[:typed], *lines[line:]]) for typed in range(1, len(payload) + 1)]
    if kind == "delete":
        return ["\n".join([*lines[:line], *lines[line + payload :]])]
    if kind == "indent":
        return ["\n".join([*lines[:line], payload + lines[line], *lines[line + 1 :]])]
    if kind == "dedent":
        return ["\n".join([*lines[:line], lines[line][payload:], *lines[line + 1 :]])]
    if kind == "characters":
        column = len(lines[line]) // 2
        typed = lines[line][:column] + "".join(payload) + lines[line][column:]
        return ["\n".join([*lines[:line], typed, *lines[line + 1 :]])]
    column = int(payload * len(lines[line]))
    return ["\n".join([*lines[:line], lines[line][:column], *lines[line + 1 :]])]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(sorted(SOURCES)), edits=st.lists(EDITS, min_size=1, max_size=8))
def test_every_edit_sequence_gives_the_full_analysis(name: str, edits: list[tuple]):
    analysis = IncrementalAnalysis()
    text = SOURCES[name]
    configured = Settings()
    assert analysis.update(text, configured) == _whole(text, configured)
    for edit in edits:
        for text in _texts_after(text, edit):
            assert analysis.update(text, configured) == _whole(text, configured), (name, edit)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    large_class=st.sampled_from([LARGE_CLASS, LARGE_CLASS_WITH_BLOCKS]),
    edits=st.lists(st.tuples(st.just("type"), _line, st.sampled_from(SNIPPETS)), min_size=1, max_size=6),
)
# A method header typed as the class's (and the text's) last line: the error is at the text's end.
@example(large_class=LARGE_CLASS, edits=[("type", 0.9999999999999999, "    async def extra(self):")])
def test_typing_in_a_large_class_gives_the_full_analysis(large_class: str, edits: list[tuple]):
    analysis = IncrementalAnalysis()
    text = large_class
    assert analysis.update(text, Settings()) == _whole(text)
    for edit in edits:
        for text in _texts_after(text, edit):
            assert analysis.update(text, Settings()) == _whole(text)


def _parsed_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records how many non-blank lines each parse of the incremental analysis reads."""
    counts: list[int] = []
    real_parse = incremental.parse

    def counting_parse(source: str):
        counts.append(sum(1 for line in source.split("\n") if line.strip()))
        return real_parse(source)

    monkeypatch.setattr(incremental, "parse", counting_parse)
    return counts


def _edit_sleep_parsing_at_most(
    monkeypatch: pytest.MonkeyPatch, analysis: IncrementalAnalysis, text: str, number: int = 150, most_lines: int = 3
) -> str:
    """Turns `await asyncio.sleep(<number>)` into `time.sleep(<number>)`: the result must equal the
    full analysis, report exactly that call, and parse no more than the edited unit (`most_lines`
    lines: 3 for a function alone)."""
    analysis.update(text, Settings())
    parsed = _parsed_lines(monkeypatch)
    edited = text.replace(f"await asyncio.sleep({number})", f"time.sleep({number})")
    result = analysis.update(edited, Settings())
    assert result == _whole(edited)
    assert [(finding.code, finding.data["call"]) for finding in result.findings] == [("ASYNC251", "time.sleep")]
    assert parsed and max(parsed) <= most_lines
    return edited


def test_an_edit_in_a_function_parses_only_that_function(monkeypatch: pytest.MonkeyPatch):
    functions = [f"async def job_{number}():\n    await asyncio.sleep({number})\n" for number in range(300)]
    text = "import asyncio\nimport time\n\n\n" + "\n\n".join(functions)
    _edit_sleep_parsing_at_most(monkeypatch, IncrementalAnalysis(), text)


def test_an_edit_in_a_method_of_a_large_class_parses_only_that_method(monkeypatch: pytest.MonkeyPatch):
    methods = [f"    async def job_{number}(self):\n        await asyncio.sleep({number})\n" for number in range(200)]
    text = "import asyncio\nimport time\n\n\nclass Jobs:\n" + "\n".join(methods)
    analysis = IncrementalAnalysis()
    edited = _edit_sleep_parsing_at_most(monkeypatch, analysis, text)
    # The kept tree may be dropped to save memory: the next edit parses the class once more.
    analysis.release_syntax_trees()
    edited_again = edited.replace("await asyncio.sleep(10)", "time.sleep(10)")
    assert analysis.update(edited_again, Settings()) == _whole(edited_again)


def test_keystrokes_in_a_method_of_a_large_class_work_out_the_names_the_class_binds_once(monkeypatch: pytest.MonkeyPatch):
    attributes = [f"    limit_{number}: int = {number}\n" for number in range(100)]
    methods = [f"    async def job_{number}(self):\n        await asyncio.sleep({number})\n" for number in range(100)]
    text = "import asyncio\nimport time\n\n\nclass Jobs:\n" + "".join(attributes) + "\n".join(methods)
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    worked_out: list[str] = []
    real_class_scope_of = incremental.class_scope_of
    monkeypatch.setattr(incremental, "class_scope_of", lambda node, outer: worked_out.append(node.name) or real_class_scope_of(node, outer))
    typed = "time.sleep(1)"
    for end in range(1, len(typed) + 1):
        edited = text.replace("await asyncio.sleep(50)", typed[:end])
        assert analysis.update(edited, Settings()) == _whole(edited)
    assert worked_out == ["Jobs"]


def test_a_word_typed_at_the_top_level_parses_only_its_line(monkeypatch: pytest.MonkeyPatch):
    functions = [f"async def job_{number}():\n    time.sleep({number})\n" for number in range(300)]
    text = "import asyncio\nimport time\n\n\n" + "\n\n".join(functions)
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    parsed = _parsed_lines(monkeypatch)
    for typed in ("i", "im", "impor", "print(job_1)"):  # statements that bind no name
        edited = text.replace("import time\n", f"import time\n{typed}\n")
        assert analysis.update(edited, Settings()) == _whole(edited)
    # The line, the statement before it (typing may continue that one) and a stand-in for the next.
    assert parsed and max(parsed) <= 3
    # A name bound at the top level may change what every function finds: all is checked again.
    edited = text.replace("import time\n", "import time\nimport os\n")
    assert analysis.update(edited, Settings()) == _whole(edited)
    assert max(parsed) > 300


def test_a_name_bound_at_the_top_level_checks_again_only_the_units_that_mention_it(monkeypatch: pytest.MonkeyPatch):
    functions = [f"async def job_{number}():\n    time.sleep({number})\n" for number in range(100)]
    text = "import asyncio\nimport time\n\n\n" + "\n\n".join([*functions, "async def uses():\n    os.stat('x')\n"])
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    checked: list[int] = []
    real_check = incremental.check_unit
    monkeypatch.setattr(incremental, "check_unit", lambda unit, *rest: checked.append(unit.lineno) or real_check(unit, *rest))
    edited = text.replace("import time\n", "import time\nimport os\n")
    result = analysis.update(edited, Settings())
    assert result == _whole(edited)
    assert "AP102" in [finding.code for finding in result.findings]  # os.stat, found now that os is imported
    # The lines typed (with the import before them, which typing may continue) and the one function
    # that names `os`.
    assert checked == [2, 3, edited.split("\n").index("async def uses():") + 1]


@pytest.mark.parametrize("place", ["top", "end"])
def test_typing_a_top_level_name_parses_the_whole_text_once_not_per_keystroke(monkeypatch: pytest.MonkeyPatch, place: str):
    functions = [f"async def job_{number}():\n    time.sleep({number})\n" for number in range(300)]
    text = "import asyncio\nimport time\n\n\n" + "\n\n".join(functions)
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    parsed = _parsed_lines(monkeypatch)
    typed = "from os import stat as path_of"  # each keystroke binds another name
    line = 2 if place == "top" else len(text.split("\n"))
    lines = text.split("\n")
    for end in range(1, len(typed) + 1):
        edited = "\n".join([*lines[:line], typed[:end], *lines[line:]])
        assert analysis.update(edited, Settings()) == _whole(edited), typed[:end]
    whole_text_parses = [count for count in parsed if count > 300]
    # The first keystroke adds a line (the statements after it move): that parse keeps the
    # statements around; later keystrokes replace only their own line among them.
    assert len(whole_text_parses) == 1


def test_a_new_top_level_line_parses_the_lines_after_it_not_those_before(monkeypatch: pytest.MonkeyPatch):
    functions = [f"async def job_{number}():\n    time.sleep({number})\n" for number in range(300)]
    text = "import asyncio\nimport time\n\n\n" + "\n\n".join(functions)
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    first = text.replace("import time\n", "import time\nimport os\n")
    assert analysis.update(first, Settings()) == _whole(first)
    parsed = _parsed_lines(monkeypatch)
    lines = first.split("\n")
    middle = lines.index("async def job_200():")
    # Lines the new statement moves: what follows it is parsed again, what precedes it is not.
    after = sum(1 for line in lines[middle:] if line.strip())
    for typed in ("p", "pa", "path = 1"):
        edited = "\n".join([*lines[:middle], typed, *lines[middle:]])
        assert analysis.update(edited, Settings()) == _whole(edited), typed
    assert parsed and max(parsed) <= after + 1


def test_every_import_a_rule_reads_is_declared_by_the_rules():
    rules_folder = ROOT / "server" / "async_patterns" / "analysis" / "rules"
    read = {
        module
        for path in rules_folder.glob("*.py")
        for module in re.findall(r'"(\w+)" (?:not )?in (?:site\.module_imports|context\.module\.imported_modules)', path.read_text())
    }
    assert read and read <= RuleSet.build(rule(Settings()) for rule in rule_classes()).imports_read


@pytest.mark.parametrize("block", ["if TYPE_CHECKING:", "try:"])
def test_an_edit_in_a_block_of_a_large_class_parses_only_that_block(monkeypatch: pytest.MonkeyPatch, block: str):
    after = "\n    except ImportError:\n        pass\n" if block == "try:" else "\n"
    members = [
        f"    {block}\n        async def job_{number}(self):\n            await asyncio.sleep({number}){after}"
        for number in range(100)
    ]
    text = "import asyncio\nimport time\n\n\nclass Jobs:\n" + "\n".join(members)
    # The stand-in class line and the block's own lines.
    block_lines = 1 + len(members[0].strip().split("\n"))
    _edit_sleep_parsing_at_most(monkeypatch, IncrementalAnalysis(), text, number=50, most_lines=block_lines)


@pytest.mark.parametrize(
    ("typed", "opened"), [("result = compute(first, second", "result = compute("), ('text = """about it', 'text = """')]
)
def test_an_unclosed_bracket_in_a_large_class_parses_the_whole_text_at_most_once_per_keystroke(
    monkeypatch: pytest.MonkeyPatch, typed: str, opened: str
):
    """Left open in a method near the large class's start, a bracket or string leaves the text after
    it to decide the error: each keystroke reads the text once at most (no two parses of more than
    half of its lines, no more lines than it has), not the class and then the whole text as well."""
    lines = LARGE_CLASS.split("\n")
    method = next(
        node
        for node in ast.parse(LARGE_CLASS).body[-1].body  # type: ignore[attr-defined]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body[0].lineno > node.lineno
    )
    indent = " " * method.body[0].col_offset
    before, after = lines[: method.body[0].end_lineno], lines[method.body[0].end_lineno :]
    text_lines = sum(1 for line in lines if line.strip())
    analysis = IncrementalAnalysis()
    analysis.update(LARGE_CLASS, Settings())
    parsed = _parsed_lines(monkeypatch)
    for length in range(len(opened), len(typed) + 1):
        text = "\n".join([*before, indent + typed[:length], *after])
        parsed.clear()
        result = analysis.update(text, Settings())
        assert result == _whole(text) and result.error is not None
        assert sum(1 for count in parsed if 2 * count > text_lines) <= 1, (typed[:length], parsed)
        assert sum(parsed) <= text_lines, (typed[:length], parsed)


def test_a_string_left_open_and_closed_in_a_later_comment_gives_the_full_analysis():
    """From the edited function on, the text parses with the next function inside a string: the
    whole text's tree is put together from that parse and one of the lines before it."""
    text = "import time\n\ndef a():\n    pass\n\nasync def b():\n    time.sleep(1)  # '''\n\nasync def c():\n    time.sleep(2)\n"
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    for typed in ("t = '", "t = ''", "t = '''"):
        edited = text.replace("    pass\n", f"    pass\n    {typed}\n")
        result = analysis.update(edited, Settings())
        assert result == _whole(edited)
    assert [finding.line for finding in result.findings] == [11]


def test_a_blank_line_typed_above_a_method_does_not_set_its_indentation():
    """Lines typed where a method began belong to it: its first line of code, not a blank line's
    spaces, must sit at the class body's indentation for the method to be parsed on its own."""
    methods = [
        f"    @staticmethod\n    async def job_{number}():\n        await asyncio.sleep({number})\n" for number in range(200)
    ]
    text = "import asyncio\n\n\nclass Jobs:\n" + "\n".join(methods)
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    dedented = text.replace("    @staticmethod\n    async def job_100", "  @staticmethod\n    async def job_100")
    assert analysis.update(dedented, Settings()) == _whole(dedented)
    typed = dedented.replace("  @staticmethod\n    async def job_100", "    \n  @staticmethod\n    async def job_100")
    result = analysis.update(typed, Settings())
    assert result == _whole(typed) and result.error is not None and "unindent" in result.error.message


@pytest.mark.parametrize(
    ("text", "added", "code"),
    [
        ("async def main():\n    sleep(1)\n", "from time import sleep\n", "ASYNC251"),
        # A module a rule reads the import of: every unit is checked again, named there or not.
        ("import asyncio\n\n\nasync def get(pool):\n    return pool.request('GET', '/')\n", "import urllib3\n", "ASYNC211"),
    ],
)
def test_a_new_import_changes_what_other_functions_find(text: str, added: str, code: str):
    analysis = IncrementalAnalysis()
    assert analysis.update(text, Settings()).findings == []
    imported = added + text
    result = analysis.update(imported, Settings())
    assert [finding.code for finding in result.findings] == [code] and result == _whole(imported)


def test_a_syntax_error_keeps_the_findings_of_the_units_it_does_not_touch():
    text = "import time\n\nasync def a():\n    time.sleep(1)\n\nasync def b():\n    pass\n\nasync def c():\n    time.sleep(2)\n"
    analysis = IncrementalAnalysis()
    analysis.update(text, Settings())
    broken = text.replace("async def b():\n    pass", "async def b(:\n    pass\n    pass")
    result = analysis.update(broken, Settings())
    assert result == _whole(broken) and result.error is not None
    assert [(finding.code, finding.line) for finding in analysis.standing_findings] == [("ASYNC251", 4), ("ASYNC251", 11)]


def test_line_ends_and_settings_count_like_a_full_analysis():
    text = "import time\r\nasync def main():\r\n    time.sleep(1)  # noqa: ASYNC230\r\n"
    analysis = IncrementalAnalysis()
    assert analysis.update(text, Settings()) == _whole(text)
    as_lf = text.replace("\r\n", "\n")
    assert analysis.update(as_lf, Settings()) == _whole(as_lf)
    ignoring = Settings(ignore=("ASYNC251",))
    assert analysis.update(as_lf, ignoring) == _whole(as_lf, ignoring) and _whole(as_lf, ignoring).findings == []
