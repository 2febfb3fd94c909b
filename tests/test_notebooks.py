"""Notebooks, pure: code cells analysed as one module with a kernel's semantics, IPython syntax masked
line for line, findings mapped back to their cells, and fixes mapped to the cells they edit."""

import ast

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.notebook import NotebookModule, analyze_notebook, mask_ipython
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import parse_settings
from async_patterns.fixes import apply_edits, compute_fix, offered_fixes
from async_patterns.fixes.notebook import (
    CellEdit,
    apply_cell_edits,
    cell_edits,
    fix_all_in_notebook,
    fix_in_notebook,
    suppression_in_notebook,
)
from async_patterns.fixes.text import TextEdit
from conftest import assert_message_names_its_code

CELL_MARKER = "# %%"
DEFINITIONS = "import asyncio\nasync def main():\n    await asyncio.sleep(1)"


def cells_of(script: str) -> list[str]:
    """The cells of a notebook written in the percent format (`# %%` lines between cells)."""
    cells, current = [], []
    for line in script.split("\n"):
        if line == CELL_MARKER:
            cells.append("\n".join(current))
            current = []
        else:
            current.append(line)
    return [*cells, "\n".join(current)]


def script_of(cells: list[str]) -> str:
    return f"\n{CELL_MARKER}\n".join(cells)


def _settings(rule):
    settings, _, problems = parse_settings(getattr(rule, "EXAMPLE_SETTINGS", None), rule.code)
    assert not problems
    return settings


def _codes(cell_findings):
    return [[(finding.code, finding.line, finding.column, finding.end_line, finding.end_column) for finding in cell] for cell in cell_findings]


def _assert_inside_cells(cells, result):
    for text, findings, problem in zip(cells, result.findings, result.notebook.problems):
        lines = text.split("\n")
        for finding in findings:
            assert 1 <= finding.line <= finding.end_line <= len(lines), (finding, text)
            assert 0 <= finding.column <= len(lines[finding.line - 1]), (finding, text)
            assert 0 <= finding.end_column <= len(lines[finding.end_line - 1]), (finding, text)
        if problem is not None and problem.line is not None:
            assert 1 <= problem.line <= len(lines), (problem, text)


# -- every rule's notebook examples -------------------------------------------------------------


def _notebook_examples(kind):
    for rule in rule_classes():
        examples = rule.NOTEBOOK_VALID if kind == "valid" else rule.NOTEBOOK_INVALID
        for number, example in enumerate(examples):
            yield pytest.param(rule, example, id=f"{rule.code}-notebook-{kind}-{number}")


@pytest.mark.parametrize("rule, script", list(_notebook_examples("valid")))
def test_notebook_valid_example_is_not_reported(rule, script):
    result = analyze_notebook(cells_of(script), _settings(rule))
    assert result.error is None and not any(result.notebook.problems)
    assert [finding for cell in result.findings for finding in cell if finding.code == rule.code] == []


@pytest.mark.parametrize("rule, example", list(_notebook_examples("invalid")))
def test_notebook_invalid_example_is_reported_in_its_cell_and_fixed_there(rule, example):
    cells = cells_of(example.source)
    result = analyze_notebook(cells, _settings(rule))
    assert result.error is None and not any(result.notebook.problems)
    reported = [(number, finding) for number, cell in enumerate(result.findings) for finding in cell if finding.code == rule.code]
    assert reported, f"{rule.code} not reported"
    _assert_inside_cells(cells, result)
    for number, finding in reported:
        assert_message_names_its_code(finding, cells[number])
    if example.fixed is not None:
        number, finding = reported[0]
        [preferred, *_] = offered_fixes(finding)
        edits = fix_in_notebook(result.notebook, number, finding, preferred.recipe)
        assert edits is not None, f"{preferred.recipe} declined"
        assert script_of(apply_cell_edits(cells, edits)) == example.fixed


def _file_examples_that_only_define():
    """Rule examples whose top level only imports and defines: nothing in them runs on the kernel's
    loop at a cell's top level, so a notebook of them reports what the file reports."""
    for rule in rule_classes():
        for number, source in enumerate([*rule.VALID, *(example.source for example in rule.INVALID)]):
            body = ast.parse(source).body
            if all(isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for statement in body):
                yield pytest.param(rule, source, id=f"{rule.code}-{number}")


@pytest.mark.parametrize("rule, source", list(_file_examples_that_only_define()))
def test_inside_async_def_a_cell_reports_what_a_file_reports(rule, source):
    settings = _settings(rule)
    in_file = analyze(source, settings).findings
    [in_cell] = analyze_notebook([source], settings).findings
    assert [(f.code, f.line, f.column, f.end_line, f.end_column, f.message) for f in in_cell] == [
        (f.code, f.line, f.column, f.end_line, f.end_column, f.message) for f in in_file
    ]


# -- kernel semantics ---------------------------------------------------------------------------

TOP_LEVEL_ASYNC = [
    "await asyncio.sleep(1)",
    "async for item in stream():\n    print(item)",
    "async with asyncio.timeout(1):\n    await asyncio.sleep(0)",
    "results = [await fetch(n) for n in range(3)]",
    "results = [item async for item in stream()]",
]


@pytest.mark.parametrize("code", TOP_LEVEL_ASYNC)
def test_top_level_await_is_legal_in_a_cell_and_a_syntax_error_in_a_file(code):
    result = analyze_notebook(["import asyncio", code])
    assert result.error is None and result.notebook.problems == (None, None)
    in_file = analyze(f"import asyncio\n{code}\n")
    assert in_file.findings == [] and in_file.error is not None
    assert in_file.error.line == 2 and "outside" in in_file.error.message


def test_a_file_reports_the_first_top_level_await_where_the_compiler_does():
    source = "import asyncio\nclass Job:\n    value = await compute()\nasync def ok():\n    await x\n"
    error = analyze(source).error
    with pytest.raises(SyntaxError) as raised:
        compile(source, "<file>", "exec")
    assert (error.line, error.column) == (raised.value.lineno, raised.value.offset)
    assert error.message == f"syntax error: {raised.value.msg}"


def test_await_inside_functions_and_async_generator_expressions_stays_legal_in_a_file():
    source = "import asyncio\nasync def main():\n    await asyncio.sleep(1)\nlazy = (await x for x in y)\n"
    assert analyze(source).error is None
    compile(source, "<file>", "exec")


def test_a_coroutine_function_defined_in_one_cell_is_known_in_the_next():
    result = analyze_notebook([DEFINITIONS, "x = 1", "main()\nif main():\n    pass"])
    assert _codes(result.findings) == [[], [], [("AP201", 1, 0, 1, 6), ("AP201", 2, 3, 2, 9)]]


BLOCKING_AT_TOP_LEVEL = [
    "import time\ntime.sleep(1)",
    "import requests\nrequests.get('https://example.com')",
    "data = open('data.csv').read()",
    "import subprocess\nsubprocess.run(['ls'])",
    "name = input()",
    "import pathlib\npathlib.Path('x').read_text()",
]


@pytest.mark.parametrize("code", BLOCKING_AT_TOP_LEVEL)
def test_a_cell_may_block_at_its_top_level_but_not_inside_async_def(code):
    assert analyze_notebook([code]).findings == [[]]
    indented = "\n".join(f"    {line}" for line in code.split("\n"))
    [inside] = analyze_notebook([f"async def main():\n{indented}"]).findings
    assert inside, "blocking call inside async def not reported"


def test_a_dropped_task_and_a_nested_loop_at_top_level_are_reported_in_cells():
    result = analyze_notebook([DEFINITIONS, "asyncio.create_task(main())", "asyncio.get_event_loop().run_until_complete(main())"])
    assert [[finding.code for finding in cell] for cell in result.findings] == [[], ["ASYNC300"], ["AP202"]]


def test_get_event_loop_at_a_cells_top_level_is_the_running_loop_and_not_reported():
    result = analyze_notebook(["import asyncio\nloop = asyncio.get_event_loop()\nasync def f():\n    return asyncio.get_event_loop()"])
    assert _codes(result.findings) == [[("AP203", 4, 11, 4, 35)]]


# -- IPython syntax -----------------------------------------------------------------------------

IPYTHON_LINES = [
    "%time x = 1",
    "%timeit -n 3 sum(range(10))",
    "%matplotlib inline",
    "%autoawait asyncio",
    "%load_ext autoreload",
    "!pip install aiohttp",
    "!!ls",
    "files = !ls",
    "names = %who_ls",
    "?asyncio.gather",
    "??asyncio.gather",
    "asyncio.gather?",
    "asyncio.gather??  # help",
    "/print 1 2",
    "!ls \\\n    -la",
]


@pytest.mark.parametrize("line", IPYTHON_LINES)
def test_ipython_syntax_keeps_the_lines_and_the_other_cells(line):
    ipython_lines = line.count("\n") + 1
    cells = [DEFINITIONS, f"{line}\nasyncio.run(main())", "for n in range(3):\n    " + line.replace("\n", "\n    ") + "\nmain()"]
    result = analyze_notebook(cells)
    assert result.notebook.problems == (None, None, None)
    assert _codes(result.findings) == [
        [],
        [("AP202", ipython_lines + 1, 0, ipython_lines + 1, 11)],
        [("AP201", ipython_lines + 2, 0, ipython_lines + 2, 6)],
    ]


def test_timed_code_is_analysed_in_its_columns():
    [_, cell] = analyze_notebook([DEFINITIONS, "%time asyncio.run(main())"]).findings
    assert _codes([cell]) == [[("AP202", 1, 6, 1, 17)]]


@pytest.mark.parametrize("magic, analysed", [("%%time", True), ("%%capture output", True), ("%%bash", False), ("%%writefile x.py", False), ("%%html", False)])
def test_cell_magics_keep_a_python_body_and_blank_any_other(magic, analysed):
    result = analyze_notebook([DEFINITIONS, f"{magic}\nasyncio.run(main())", "main()"])
    assert result.notebook.problems == (None, None, None)
    expected_in_magic_cell = [("AP202", 2, 0, 2, 11)] if analysed else []
    assert _codes(result.findings) == [[], expected_in_magic_cell, [("AP201", 1, 0, 1, 6)]]


def test_python_that_looks_like_ipython_is_left_alone():
    cell = 's = """\n!not a command\n%not a magic\n"""\nx = (10\n% 3)\nok = x != 1'
    assert mask_ipython(cell).text == cell
    assert analyze_notebook([cell]).notebook.problems == (None,)


def test_masking_keeps_every_line_and_marks_what_it_replaced():
    cell = "!pip install x\nimport asyncio\nfiles = !ls\nfor f in files:\n    %time print(f)"
    masked = mask_ipython(cell)
    assert masked.text.split("\n") == ["#", "import asyncio", "files = ...", "for f in files:", "    if 1: print(f)"]
    assert masked.masked_lines == {1, 3, 5}


# -- cells that do not parse ---------------------------------------------------------------------


def test_a_broken_cell_is_reported_alone_and_the_others_are_analysed():
    cells = [DEFINITIONS, "def broken(:\n    pass", "main()"]
    result = analyze_notebook(cells)
    problem = result.notebook.problems[1]
    assert result.notebook.problems[0] is None and result.notebook.problems[2] is None
    assert (problem.line, problem.column) == (1, 12) and problem.message.startswith("syntax error")
    assert _codes(result.findings) == [[], [], [("AP201", 1, 0, 1, 6)]]


def test_a_broken_cell_defines_nothing_for_the_others():
    result = analyze_notebook(["import asyncio\nasync def main():\n    pass\nx = (", "main()"])
    assert result.notebook.problems[0] is not None
    assert result.findings == [[], []]


def test_a_cell_that_parses_alone_but_not_among_the_others_is_set_aside():
    # A byte-order mark is dropped at the start of a text, and is an error anywhere else.
    cells = [DEFINITIONS, "\ufeffmain()", "main()"]
    result = analyze_notebook(cells)
    assert result.notebook.problems[0] is None and result.notebook.problems[2] is None
    assert result.notebook.problems[1].line == 1
    assert _codes(result.findings) == [[], [], [("AP201", 1, 0, 1, 6)]]


@pytest.mark.parametrize("cells", [[], [""], ["", "   \n"], ["# only a comment"]])
def test_empty_notebooks_and_cells_give_nothing(cells):
    result = analyze_notebook(cells)
    assert result.findings == [[] for _ in cells] and result.error is None


def test_findings_of_a_cell_never_leave_it():
    cells = [DEFINITIONS, "main()", "日本語 = '😀'; asyncio.run(main())\r\nmain()", "x = (\n", "%%bash\nmain()"]
    result = analyze_notebook(cells)
    _assert_inside_cells(cells, result)
    assert _codes(result.findings)[2] == [("AP202", 1, 11, 1, 22), ("AP201", 2, 0, 2, 6)]


# -- fixes in cells ------------------------------------------------------------------------------


def _fix(cells, cell, code, recipe=None):
    result = analyze_notebook(cells)
    finding = next(finding for finding in result.findings[cell] if finding.code == code)
    recipe = recipe or offered_fixes(finding)[0].recipe
    edits = fix_in_notebook(result.notebook, cell, finding, recipe)
    return apply_cell_edits(cells, edits) if edits is not None else None


def test_a_line_a_fix_adds_to_the_module_goes_after_the_imports_before_the_code():
    cells = ["!pip install aiohttp\nimport aiohttp\nimport asyncio", "async def main():\n    pass", "asyncio.create_task(main())"]
    assert _fix(cells, 2, "ASYNC300") == [
        cells[0],
        "background_tasks = set()\n\nasync def main():\n    pass",
        "task = asyncio.create_task(main())\nbackground_tasks.add(task)\ntask.add_done_callback(background_tasks.discard)",
    ]


def test_a_new_line_at_the_top_goes_below_a_leading_magic_never_above_it():
    cells = ["%%time\nx = 1", "import asyncio\nasync def main():\n    asyncio.create_task(main())"]
    fixed = _fix(cells, 1, "ASYNC300")
    assert fixed[0] == "%%time\nbackground_tasks = set()\n\nx = 1"


def test_edits_land_only_on_a_cells_own_text():
    notebook = NotebookModule.of(["!pip install x\nimport asyncio", "for n in range(3):\n    !echo $n\n    print(n)", "%%bash\nls"])
    # Module lines: 1 `#`, 2 import, 3 for, 4 `    pass`, 5 print, 6-7 the bash cell.
    top_insertion = TextEdit(1, 0, 1, 0, "import time\n")
    assert cell_edits(notebook, [top_insertion]) == [CellEdit(0, TextEdit(2, 0, 2, 0, "import time\n"))]
    assert cell_edits(notebook, [TextEdit(5, 4, 5, 9, "print")]) == [CellEdit(1, TextEdit(3, 4, 3, 9, "print"))]
    refused = [
        TextEdit(4, 4, 4, 4, "x = 1\n"),  # an indented line may not move past a masked line
        TextEdit(1, 0, 1, 0, "await x"),  # only whole lines move
        TextEdit(4, 0, 5, 0, ""),  # a replacement over a masked line
        TextEdit(2, 0, 3, 3, "x"),  # a replacement across two cells
        TextEdit(6, 0, 6, 0, "import time\n"),  # nothing of the user's Python follows
    ]
    for edit in refused:
        assert cell_edits(notebook, [top_insertion, edit]) is None, edit


def test_a_fix_never_edits_a_masked_line():
    cells = [DEFINITIONS, "%time asyncio.run(main())"]
    assert _fix(cells, 1, "AP202") is None


def test_a_suppression_goes_on_the_findings_line_in_its_cell():
    cells = [DEFINITIONS, "x = 1\nasyncio.run(main())"]
    result = analyze_notebook(cells)
    [finding] = result.findings[1]
    edits = suppression_in_notebook(result.notebook, 1, finding)
    assert apply_cell_edits(cells, edits)[1] == "x = 1\nasyncio.run(main())  # noqa: AP202"
    assert analyze_notebook(apply_cell_edits(cells, edits)).findings == [[], []]


def test_fix_all_fixes_every_cell_and_a_second_run_finds_nothing():
    cells = [
        "!pip install aiohttp",
        DEFINITIONS,
        "asyncio.create_task(main())\nmain()",
        "%%bash\necho main()",
        "async def job():\n    import time\n    time.sleep(1)",
    ]
    fixed = fix_all_in_notebook(NotebookModule.of(cells))
    new_cells = apply_cell_edits(cells, fixed.edits)
    assert sorted(finding.code for finding in fixed.fixed) == ["AP201", "ASYNC251", "ASYNC300"]
    assert new_cells[0] == cells[0] and new_cells[3] == cells[3]
    assert "await main()" in new_cells[2] and "await asyncio.sleep(1)" in new_cells[4]
    assert fix_all_in_notebook(NotebookModule.of(new_cells)) is None
    assert all(not cell for cell in analyze_notebook(new_cells).findings)


def _offered_fix_cases():
    for rule in rule_classes():
        for number, example in enumerate(rule.NOTEBOOK_INVALID):
            yield pytest.param(example.source, id=f"{rule.code}-notebook-invalid-{number}")
    yield pytest.param(script_of(["!pip install x\nimport asyncio", "async def main():\n    pass", "asyncio.create_task(main())\nmain()"]), id="mixed")


@pytest.mark.parametrize("script", list(_offered_fix_cases()))
def test_every_offered_fix_in_a_notebook_edits_the_cells_as_the_module(script):
    """What a fix does to the cells is what it does to the module they make, and it keeps the
    promises of every fix (`fixes.verify`) with the kernel's semantics."""
    from async_patterns.fixes.verify import problems_with_fix

    cells = cells_of(script)
    result = analyze_notebook(cells)
    for number, cell_findings in enumerate(result.findings):
        for finding in cell_findings:
            in_module = result.notebook.to_module(number, finding)
            for offer in offered_fixes(finding):
                module_edits = compute_fix(result.notebook.source, in_module, offer.recipe, kernel=True)
                cell_edits = fix_in_notebook(result.notebook, number, finding, offer.recipe)
                if module_edits is None or cell_edits is None:
                    continue
                assert problems_with_fix(result.notebook.source, in_module, module_edits, kernel=True) == []
                fixed_cells = apply_cell_edits(cells, cell_edits)
                # The same lines, but for the blank line a new line at the top of a cell does without.
                assert _non_blank_lines(NotebookModule.of(fixed_cells).source) == _non_blank_lines(
                    apply_edits(result.notebook.source, module_edits)
                )


def _non_blank_lines(text):
    return [line for line in text.split("\n") if line.strip()]


def test_incremental_notebook_analysis_gives_what_the_whole_analysis_gives():
    import random

    from async_patterns.analysis import Settings
    from async_patterns.analysis.notebook import IncrementalNotebookAnalysis

    pieces = ["main()\n", "asyncio.run(main())\n", "!pip install x\n", "%%bash\n", "def broken(:\n", "    ", "(", "x = 1\n", ""]
    rng, settings = random.Random(5), Settings()
    cells = [DEFINITIONS, "main()", "asyncio.create_task(main())", "%time asyncio.run(main())"]
    analysis = IncrementalNotebookAnalysis()
    for _ in range(300):
        number = rng.randrange(len(cells))
        action = rng.random()
        if action < 0.7:
            text = cells[number]
            at = rng.randrange(len(text) + 1)
            cells[number] = text[:at] + rng.choice(pieces) + text[at + rng.randrange(3) :]
        elif action < 0.85:
            cells.insert(number, rng.choice(pieces))
        elif len(cells) > 1:
            cells.insert(rng.randrange(len(cells)), cells.pop(number))
        incremental, whole = analysis.update(cells, settings), analyze_notebook(cells, settings)
        assert (incremental.findings, incremental.notebook.problems, incremental.error) == (
            whole.findings,
            whole.notebook.problems,
            whole.error,
        ), cells
