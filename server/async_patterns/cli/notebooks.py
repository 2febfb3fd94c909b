"""`async-patterns check` on Jupyter notebooks (`.ipynb`): their code cells, checked as a kernel runs them.

Findings carry the cell they are in, counted from 1 as the notebook shows its cells (Markdown cells
included), with lines and columns of that cell. `--fix` writes the fixed cells back into the file
only when everything else stays byte for byte as it was: the file is re-serialised in the layout it
was found in (indentation, key order, escaping, final newline), and a layout this cannot reproduce
leaves the notebook unfixed, with a message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from async_patterns.analysis import Settings
from async_patterns.analysis.notebook import NotebookModule, analyze_notebook
from async_patterns.analysis.findings import Finding
from async_patterns.cli.formats import FileResult, reported

NOTEBOOK_SUFFIX = ".ipynb"
# Kernels whose cells are Python; a notebook that names another language is not checked.
_PYTHON_LANGUAGES = frozenset({"python", "python3", "ipython", "ipython3"})
_LAYOUTS = tuple(
    (indent, ensure_ascii, final_newline)
    for indent in (1, 2, 4, "\t")
    for ensure_ascii in (False, True)
    for final_newline in ("\n", "")
)


@dataclass
class Notebook:
    """A notebook file's JSON and its code cells: (cell number counted from 1, the cell's text)."""

    content: dict[str, Any]
    code_cells: list[tuple[int, str]]

    @classmethod
    def read(cls, data: bytes) -> Notebook:
        """The notebook in a file's bytes, or raises ValueError saying why it is not one."""
        try:
            content = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValueError(f"not valid UTF-8: {error.reason} at byte {error.start}") from None
        except ValueError as error:
            raise ValueError(f"not a notebook: invalid JSON: {error}") from None
        cells = content.get("cells") if isinstance(content, dict) else None
        if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
            raise ValueError("not a notebook in nbformat 4: no list of cells")
        code_cells = []
        if _language(content) in _PYTHON_LANGUAGES:
            for number, cell in enumerate(cells, start=1):
                if cell.get("cell_type") == "code":
                    source = cell.get("source", "")
                    if isinstance(source, list) and all(isinstance(line, str) for line in source):
                        source = "".join(source)
                    if not isinstance(source, str):
                        raise ValueError(f"cell {number}: its source is neither text nor a list of lines")
                    code_cells.append((number, source))
        return cls(content, code_cells)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.code_cells]

    def cell_text(self, number: int) -> str | None:
        return next((text for cell, text in self.code_cells if cell == number), None)


def _language(content: dict[str, Any]) -> str:
    """The notebook's language as its metadata names it; Python when it names none."""
    metadata = content.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    for section, key in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(section, {}).get(key) if isinstance(metadata.get(section), dict) else None
        if isinstance(value, str):
            return value.lower()
    return "python"


def check_notebook(path: str, data: bytes, settings: Settings) -> FileResult:
    try:
        notebook = Notebook.read(data)
    except ValueError as error:
        return FileResult(path, [], str(error))
    return _result(path, notebook, settings)


def _result(path: str, notebook: Notebook, settings: Settings) -> FileResult:
    result = analyze_notebook(notebook.texts, settings)
    findings = [
        replace(finding, cell=number)
        for (number, _), cell_findings in zip(notebook.code_cells, result.findings)
        for finding in reported(cell_findings)
    ]
    problems = [
        f"cell {number}: {_where(problem.line, problem.column)}{problem.message}"
        for (number, _), problem in zip(notebook.code_cells, result.notebook.problems)
        if problem is not None
    ]
    if result.error is not None:
        problems.append(result.error.message)
    return FileResult(path, findings, "; ".join(problems) or None)


def _where(line: int | None, column: int | None) -> str:
    return f"{line}:{column}: " if line else ""


@dataclass
class NotebookFix:
    """A notebook's file rewritten with every safe fix, what was fixed, and what is left."""

    data: bytes
    fixed: list[Finding]
    result: FileResult


def fix_notebook(result: FileResult, data: bytes, settings: Settings) -> NotebookFix | str | None:
    """The notebook rewritten with every safe fix; None when there is nothing to fix, or why the
    file cannot be rewritten without changing more than the fixed cells."""
    from async_patterns.fixes.notebook import apply_cell_edits, fix_all_in_notebook  # libcst loads only when fixing

    try:
        notebook = Notebook.read(data)
    except ValueError:
        return None
    layout = _layout_of(notebook.content, data)
    if layout is None:
        return "not fixed: its JSON layout cannot be written back unchanged"
    fixed = fix_all_in_notebook(NotebookModule.of(notebook.texts), settings)
    if fixed is None:
        return None
    new_texts = apply_cell_edits(notebook.texts, fixed.edits)
    cells = notebook.content["cells"]
    for (number, old_text), new_text in zip(notebook.code_cells, new_texts):
        if new_text != old_text:
            cell = cells[number - 1]
            cell["source"] = new_text.splitlines(keepends=True) if isinstance(cell["source"], list) else new_text
    notebook.code_cells = [(number, text) for (number, _), text in zip(notebook.code_cells, new_texts)]
    return NotebookFix(_serialised(notebook.content, layout), fixed.fixed, _result(result.path, notebook, settings))


def _layout_of(content: dict[str, Any], data: bytes) -> tuple | None:
    """The serialisation options that reproduce the file's bytes exactly, if any does."""
    return next((layout for layout in _LAYOUTS if _serialised(content, layout) == data), None)


def _serialised(content: dict[str, Any], layout: tuple) -> bytes:
    indent, ensure_ascii, final_newline = layout
    return (json.dumps(content, indent=indent, ensure_ascii=ensure_ascii) + final_newline).encode("utf-8")
