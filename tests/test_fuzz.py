"""Bounded fuzzing of the analysis entry point: any text gives findings or a clean ParseProblem.

Every finding must lie inside the document, in code points and in the UTF-16 units the server
publishes, and a reported call must cover exactly a call expression. The strategies here are
shared with `benchmarks/fuzz_long.py`, which runs them far longer.
"""

from __future__ import annotations

import ast

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from async_patterns.analysis import AnalysisResult, ParseProblem, analyze
from async_patterns.analysis.notebook import NotebookResult, analyze_notebook
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import parse_settings
from async_patterns.fixes import offered_fixes
from async_patterns.fixes.notebook import apply_cell_edits, fix_in_notebook
from async_patterns.lsp.convert import to_diagnostic

# Characters that have broken position arithmetic elsewhere: multi-byte UTF-8, surrogate pairs in
# UTF-16, line ends Python and LSP both honour, a form feed (a line end only for str.splitlines),
# NUL, and a lone surrogate (which a client can send as "\ud800" in JSON).
AWKWARD_PIECES = ("日本", "😀", "é", "\t", "\r\n", "\r", "\n", "\x0c", "\x00", "\ud800", "\\\n", " ", "\u2028")

PYTHON_PIECES = (
    "async def main():\n",
    "    ",
    "await ",
    "import time\n",
    "import asyncio\n",
    "from pathlib import Path\n",
    "import requests\n",
    "time.sleep(1)",
    "Path('x').read_text()",
    "open('f')",
    "input()",
    "requests.get(url)",
    "asyncio.create_task(work())",
    "asyncio.sleep(0)",
    "try:\n",
    "except asyncio.CancelledError:\n",
    "except BaseException:\n",
    "except A, B:\n",
    "type Alias = int\n",
    "def generic[T](x: T) -> T:\n",
    "lambda: ",
    "with ",
    "async with ",
    " as f",
    "def inner():\n",
    "class C:\n",
    "# noqa",
    "  # noqa: ASYNC251",
    '"""',
    "f'{",
    "}'",
    "(",
    ")",
    ":",
    ",",
    "=",
    "pass\n",
)

_ALL_CHARACTERS = st.characters(codec=None, categories=None, exclude_categories=())
any_text = st.text(_ALL_CHARACTERS, max_size=200)
python_like_text = st.lists(
    st.sampled_from(PYTHON_PIECES) | st.sampled_from(AWKWARD_PIECES) | st.text(_ALL_CHARACTERS, max_size=3),
    max_size=40,
).map("".join)

RULE_EXAMPLES = tuple(
    sorted(
        {
            example if isinstance(example, str) else example.source
            for rule in rule_classes()
            for example in (*rule.VALID, *rule.INVALID)
        }
    )
)

# Every rule on, including those off by default, with the settings their examples assume.
EVERY_RULE, _, _ = parse_settings(
    {
        "select": [rule.code for rule in rule_classes()],
        "extraBlockingCalls": [
            call
            for rule in rule_classes()
            for call in getattr(rule, "EXAMPLE_SETTINGS", {}).get("extraBlockingCalls", ())
        ],
    },
    "fuzzing",
)


@st.composite
def edited_rule_examples(draw: st.DrawFn) -> str:
    """A rule's example after random insertions and deletions: mostly still Python, often with findings."""
    text = draw(st.sampled_from(RULE_EXAMPLES))
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 3)))
        inserted = draw(st.sampled_from(AWKWARD_PIECES) | st.sampled_from(PYTHON_PIECES) | st.just(""))
        text = text[:start] + inserted + text[end:]
    return text


@st.composite
def rule_examples_in_awkward_spelling(draw: st.DrawFn) -> str:
    """A rule's example that stays valid Python but puts non-ASCII text, tabs or CRLF around its calls."""
    text = draw(st.sampled_from(RULE_EXAMPLES))
    if draw(st.booleans()):
        text = text.replace("(", '("日本😀", ', draw(st.integers(1, 3))).replace(", )", ")")
    if draw(st.booleans()):
        text = text.replace("    ", "\t")
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(("\r\n", "\r"))))
    if draw(st.booleans()):
        text = "# 注釈 😀\n" + text
    return text


def _segment(index: LineIndex, line: int, column: int, end_line: int, end_column: int) -> str:
    if line == end_line:
        return index.line_text(line)[column:end_column]
    middle = [index.line_text(number) for number in range(line + 1, end_line)]
    return "\n".join([index.line_text(line)[column:], *middle, index.line_text(end_line)[:end_column]])


def check_analysis(source: str) -> AnalysisResult:
    """Analyse and verify everything a caller relies on; returns the result for the long run's tally."""
    result = analyze(source, EVERY_RULE)
    index = LineIndex.of(source)
    assert isinstance(result, AnalysisResult)
    if result.error is not None:
        assert isinstance(result.error, ParseProblem) and result.error.message
        assert result.findings == []
        if result.error.line is not None:
            assert 1 <= result.error.line <= len(index.lines), result.error
    for finding in result.findings:
        assert 1 <= finding.line <= finding.end_line <= len(index.lines), finding
        assert 0 <= finding.column <= len(index.line_text(finding.line)), finding
        assert 0 <= finding.end_column <= len(index.line_text(finding.end_line)), finding
        assert (finding.line, finding.column) < (finding.end_line, finding.end_column), finding
        diagnostic = to_diagnostic(finding, index)
        for position in (diagnostic.range.start, diagnostic.range.end):
            line_text = index.lines[position.line]
            assert position.character <= len(line_text.encode("utf-16-le", "surrogatepass")) // 2, finding
        if "call" in finding.data:
            reported = _segment(index, finding.line, finding.column, finding.end_line, finding.end_column)
            assert isinstance(ast.parse(f"({reported})", mode="eval").body, ast.Call), (finding, reported)
    return result


def bounded(max_examples: int) -> settings:
    """A run short enough for the test suite; `benchmarks/fuzz_long.py` raises `max_examples`."""
    return settings(
        max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )


@bounded(300)
@given(any_text)
def test_any_text_gives_findings_or_a_parse_problem(source: str):
    check_analysis(source)


@bounded(400)
@given(python_like_text)
def test_python_like_fragments_give_findings_inside_the_document(source: str):
    check_analysis(source)


@bounded(400)
@given(edited_rule_examples())
def test_edited_rule_examples_never_report_outside_the_document(source: str):
    check_analysis(source)


@bounded(300)
@given(rule_examples_in_awkward_spelling())
def test_findings_cover_their_call_whatever_surrounds_it(source: str):
    check_analysis(source)


@bounded(25)
@given(hypothesmith.from_grammar())
def test_random_valid_programs_analyse(source: str):
    result = check_analysis(source)
    # hypothesmith writes syntax this Python accepts, so the only excuse for not parsing is depth.
    assert result.error is None or "nested too deeply" in result.error.message, result.error


# The parser accepts nesting a few thousand levels deep; a recursive walk gives up far sooner.
DEEP_NESTING = {
    "operator chain": lambda depth: "import time\nasync def main():\n    x = " + " + ".join(["time.sleep(1)"] * depth),
    "elif chain": lambda depth: "import time\nasync def main():\n    if a: pass\n" + "    elif a: time.sleep(1)\n" * depth,
    "attribute chain": lambda depth: "async def main():\n    x = a" + ".b" * depth + ".read_text()",
    "call chain": lambda depth: "async def main():\n    f" + "()" * depth,
    "brackets": lambda depth: "x = " + "[" * depth + "]" * depth,
    "blocks": lambda depth: "".join("    " * level + "async def f():\n" for level in range(depth)) + "    " * depth + "input()",
}


@bounded(40)
@given(st.sampled_from(sorted(DEEP_NESTING)), st.integers(1, 4000))
def test_deep_nesting_gives_findings_or_a_parse_problem(shape: str, depth: int):
    check_analysis(DEEP_NESTING[shape](depth))


# -- notebooks -----------------------------------------------------------------------------------

IPYTHON_PIECES = (
    "%time ", "%timeit -n 2 ", "%%bash\n", "%%time\n", "%%capture out\n", "!pip install x\n", "!!ls", "x = !ls\n",
    "names = %who_ls\n", "?", "??", "obj?\n", "%matplotlib inline\n", "%autoawait asyncio\n", "\\\n", "\ufeff",
)


@st.composite
def notebooks(draw: st.DrawFn) -> list[str]:
    """Code cells: rule examples and Python-like text, with IPython syntax at line starts and mid-line."""
    ipython_text = st.lists(st.sampled_from(IPYTHON_PIECES) | st.sampled_from(PYTHON_PIECES), max_size=10).map("".join)
    cells = draw(st.lists(edited_rule_examples() | python_like_text | ipython_text, max_size=6))
    for _ in range(draw(st.integers(0, 3))):
        if cells:
            number = draw(st.integers(0, len(cells) - 1))
            lines = cells[number].split("\n")
            at = draw(st.integers(0, len(lines)))
            lines.insert(at, draw(st.sampled_from(IPYTHON_PIECES)) + draw(st.sampled_from(("main()", "x", ""))))
            cells[number] = "\n".join(lines)
    return cells


def check_notebook_analysis(cells: list[str]) -> NotebookResult:
    """Analyse a notebook and verify that nothing lies outside its cell, and that every offered fix
    edits only the cells' own lines."""
    result = analyze_notebook(cells, EVERY_RULE)
    assert len(result.findings) == len(result.notebook.problems) == len(cells)
    for number, (text, findings, problem) in enumerate(zip(cells, result.findings, result.notebook.problems)):
        index = LineIndex.of(text)
        assert result.notebook.line_counts[number] == len(index.lines)
        if problem is not None:
            assert problem.message and findings == []
            assert problem.line is None or 1 <= problem.line <= len(index.lines), (problem, text)
        for finding in findings:
            assert 1 <= finding.line <= finding.end_line <= len(index.lines), (finding, text)
            assert 0 <= finding.column <= len(index.line_text(finding.line)), (finding, text)
            assert 0 <= finding.end_column <= len(index.line_text(finding.end_line)), (finding, text)
            diagnostic = to_diagnostic(finding, index)
            for position in (diagnostic.range.start, diagnostic.range.end):
                line_text = index.lines[position.line]
                assert position.character <= len(line_text.encode("utf-16-le", "surrogatepass")) // 2, finding
        for finding in findings[:1]:
            for offer in offered_fixes(finding):
                edits = fix_in_notebook(result.notebook, number, finding, offer.recipe)
                for cell_edit in edits or []:
                    assert result.notebook.is_own_text(cell_edit.cell, cell_edit.edit.line), (cell_edit, cells)
                apply_cell_edits(cells, edits or [])
    return result


@bounded(200)
@given(notebooks())
def test_notebooks_never_report_or_fix_outside_a_cell(cells: list[str]):
    check_notebook_analysis(cells)


def test_awkward_spelling_still_reports_the_examples():
    """The awkward spellings would prove nothing if they stopped the rules from firing."""
    invalid = [example.source for rule in rule_classes() for example in rule.INVALID]
    spelled = [source.replace("    ", "\t").replace("\n", "\r\n") for source in invalid]
    assert sum(bool(analyze(source, EVERY_RULE).findings) for source in spelled) == len(invalid)
