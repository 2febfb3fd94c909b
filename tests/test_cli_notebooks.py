"""`async-patterns check` on Jupyter notebooks: findings by cell, folders, bad notebooks, `--fix`."""

import json

import pytest

from async_patterns.cli import main

DEFINITIONS = "import asyncio\nasync def main():\n    await asyncio.sleep(1)"


def _cell(kind: str, source: str) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook(*cells, language="python") -> dict:
    return {
        "cells": [_cell(*cell) if isinstance(cell, tuple) else _cell("code", cell) for cell in cells],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"}, "language_info": {"name": language}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _write(path, notebook, indent=1, ensure_ascii=False) -> bytes:
    data = (json.dumps(notebook, indent=indent, ensure_ascii=ensure_ascii) + "\n").encode("utf-8")
    path.write_bytes(data)
    return data


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(capsys, *arguments):
    status = main(["check", "--no-cache", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


DEMO = _notebook(("markdown", "# Demo"), "!pip install aiohttp\n" + DEFINITIONS, "x = '😀'; asyncio.run(main())", "%%bash\nmain()", "main()")


def test_findings_are_named_by_cell_with_the_cells_lines_and_columns(project, capsys):
    _write(project / "demo.ipynb", DEMO)
    status, out, _ = _check(capsys, "demo.ipynb")
    assert status == 1
    assert out.splitlines() == [
        f"demo.ipynb:cell 3:1:10: AP202 {out.split('AP202 ')[1].splitlines()[0]}",
        f"demo.ipynb:cell 5:1:1: AP201 {out.split('AP201 ')[1].splitlines()[0]}",
    ]
    status, out, _ = _check(capsys, "demo.ipynb", "--format", "json")
    first, second = json.loads(out)
    assert (first["cell"], first["line"], first["column"], first["end_column"], first["code"]) == (3, 1, 10, 21, "AP202")
    assert (second["cell"], second["code"]) == (5, "AP201")
    status, out, _ = _check(capsys, "demo.ipynb", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert [result["properties"]["notebookCell"] for result in results] == [3, 5]


def test_folders_include_notebooks_but_not_jupyter_checkpoints(project, capsys):
    _write(project / "analysis.ipynb", DEMO)
    (project / ".ipynb_checkpoints").mkdir()
    _write(project / ".ipynb_checkpoints" / "analysis-checkpoint.ipynb", DEMO)
    (project / "script.py").write_text("import time\nasync def f():\n    time.sleep(1)\n")
    status, out, err = _check(capsys, ".")
    assert status == 1
    assert sorted({line.split(":")[0] for line in out.splitlines()}) == ["analysis.ipynb", "script.py"]
    assert "in 2 files" in err


def test_a_broken_cell_is_named_and_the_other_cells_are_checked(project, capsys):
    _write(project / "broken.ipynb", _notebook(DEFINITIONS, "def broken(:\n    pass", "main()"))
    status, out, err = _check(capsys, "broken.ipynb")
    assert status == 2
    assert out.startswith("broken.ipynb:cell 3:1:1: AP201")
    assert "broken.ipynb: error: cell 2: 1:12: syntax error" in err


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{not json", "invalid JSON"),
        (b'{"cells": "nope"}', "no list of cells"),
        (b"\xff\xfe", "not valid UTF-8"),
        (json.dumps({"cells": [{"cell_type": "code", "source": 7}]}).encode(), "cell 1: its source"),
    ],
)
def test_files_that_are_not_notebooks_are_named_with_why(project, capsys, content, problem):
    (project / "bad.ipynb").write_bytes(content)
    status, _, err = _check(capsys, "bad.ipynb")
    assert status == 2 and problem in err


def test_empty_markdown_only_and_other_language_notebooks_are_clean(project, capsys):
    _write(project / "empty.ipynb", _notebook())
    _write(project / "words.ipynb", _notebook(("markdown", "# Words")))
    _write(project / "r.ipynb", _notebook("library(asyncio)\nasyncio.run(main())", language="R"))
    status, out, err = _check(capsys, "empty.ipynb", "words.ipynb", "r.ipynb")
    assert (status, out) == (0, "") and "in 3 files" in err


@pytest.mark.parametrize("indent, ensure_ascii", [(1, False), (2, True), (4, False)])
def test_fix_rewrites_only_the_fixed_cells_and_keeps_every_other_byte(project, capsys, indent, ensure_ascii):
    notebook = _notebook(("markdown", "# Démo 😀"), "!pip install aiohttp\n" + DEFINITIONS, "asyncio.create_task(main())\nmain()", "%%bash\nmain()")
    notebook["cells"][1]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}]
    before = _write(project / "fix.ipynb", notebook, indent, ensure_ascii)
    status, out, err = _check(capsys, "fix.ipynb", "--fix")
    assert "fix.ipynb: fixed 2 (AP201, ASYNC300)" in err and status == 0 and out == ""
    after = json.loads((project / "fix.ipynb").read_bytes())
    sources = ["".join(cell["source"]) for cell in after["cells"]]
    assert "import asyncio\n\nbackground_tasks = set()\n" in sources[1]
    assert sources[2] == "task = asyncio.create_task(main())\nbackground_tasks.add(task)\ntask.add_done_callback(background_tasks.discard)\nawait main()"
    # Everything else, the outputs and the other cells included, is as it was, byte for byte.
    expected = json.loads(before)
    for number in (1, 2):
        expected["cells"][number]["source"] = after["cells"][number]["source"]
    assert (project / "fix.ipynb").read_bytes() == (json.dumps(expected, indent=indent, ensure_ascii=ensure_ascii) + "\n").encode()
    assert _check(capsys, "fix.ipynb", "--fix")[0] == 0


def test_fix_leaves_a_notebook_alone_when_its_layout_cannot_be_written_back(project, capsys):
    data = json.dumps(_notebook(DEFINITIONS, "main()"), separators=(",", ":")).encode()
    (project / "compact.ipynb").write_bytes(data)
    status, out, err = _check(capsys, "compact.ipynb", "--fix")
    assert status == 1 and "compact.ipynb: not fixed: its JSON layout cannot be written back unchanged" in err
    assert (project / "compact.ipynb").read_bytes() == data


def test_cached_results_keep_their_cells(project, capsys):
    _write(project / "demo.ipynb", DEMO)
    first = main(["check", "demo.ipynb"]), capsys.readouterr().out
    assert (project / ".async-patterns-cache").is_dir()
    assert (main(["check", "demo.ipynb"]), capsys.readouterr().out) == first
    assert "cell 5:1:1: AP201" in first[1]
