"""Fixes in a notebook: computed on the module its code cells make, then mapped back to the cells.

A fix may need a line in another cell than its finding's (`import asyncio`, the set of background
tasks go with the notebook's imports). Every edit must land on a cell's own Python text: never on a
masked IPython line, in a `%%bash` cell or a cell that does not parse. A line inserted before such
text (a header line before `!pip install ...` at the top) moves down past it to the next line of the
user's Python, which keeps its meaning at the top level; any other edit there declines the fix.
Lines a fix adds to the module (see `fixes.header`) go before its first statement that is not an
import, so also before the code it fixes: a cell's top level runs when the cell runs, and finds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from async_patterns.analysis import Settings
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.notebook import NotebookModule
from async_patterns.fixes.apply import compute_fix, compute_suppression, fix_all
from async_patterns.fixes.text import TextEdit, apply_edits, edits_between


@dataclass(frozen=True, slots=True)
class CellEdit:
    """An edit in one cell's own lines and columns."""

    cell: int
    edit: TextEdit


def cell_edits(notebook: NotebookModule, edits: list[TextEdit]) -> list[CellEdit] | None:
    """Module edits as edits of the cells, or None when one would touch what is not a cell's own text."""
    mapped = []
    for edit in edits:
        if (edit.line, edit.column) == (edit.end_line, edit.end_column):
            placed = _placed_insertion(notebook, edit)
        else:
            placed = _placed_replacement(notebook, edit)
        if placed is None:
            return None
        mapped.append(placed)
    return mapped


def _placed_replacement(notebook: NotebookModule, edit: TextEdit) -> CellEdit | None:
    cell = notebook.cell_at(edit.line)
    if notebook.cell_at(edit.end_line) != cell:
        return None
    start = notebook.starts[cell]
    if not all(notebook.is_own_text(cell, line - start) for line in range(edit.line, edit.end_line + 1)):
        return None
    local = edit.line - start
    return CellEdit(cell, TextEdit(local, edit.column, edit.end_line - start, edit.end_column, _text_at(local, edit)))


def _placed_insertion(notebook: NotebookModule, edit: TextEdit) -> CellEdit | None:
    lines_added = edit.new_text.lstrip("\n")
    adds_top_level_lines = edit.column == 0 and lines_added.endswith("\n") and not lines_added[:1].isspace()
    line = edit.line
    while line <= len(notebook.lines):
        cell = notebook.cell_at(line)
        local = line - notebook.starts[cell]
        if notebook.is_own_text(cell, local):
            return CellEdit(cell, TextEdit(local, edit.column, local, edit.column, _text_at(local, edit)))
        # Only whole top-level lines may move, and only past blank or unindented lines (never past
        # the code being fixed, which is the cell's own text).
        if not adds_top_level_lines or notebook.line_text(cell, local)[:1].isspace():
            return None
        line += 1
    return None


def _text_at(line: int, edit: TextEdit) -> str:
    """The edit's text, without the blank lines that would separate it from what is above it when
    it goes at the very top of a cell, where nothing is."""
    return edit.new_text.lstrip("\n") if (line, edit.column) == (1, 0) else edit.new_text


def fix_in_notebook(notebook: NotebookModule, cell: int, finding: Finding, recipe: str) -> list[CellEdit] | None:
    """A quick fix for a finding of a cell (in the cell's own lines), as cell edits."""
    edits = compute_fix(notebook.source, notebook.to_module(cell, finding), recipe, kernel=True)
    return cell_edits(notebook, edits) if edits is not None else None


def suppression_in_notebook(notebook: NotebookModule, cell: int, finding: Finding) -> list[CellEdit] | None:
    edits = compute_suppression(notebook.source, notebook.to_module(cell, finding))
    return cell_edits(notebook, edits) if edits is not None else None


@dataclass(frozen=True)
class NotebookFixAll:
    edits: list[CellEdit]
    fixed: list[Finding]  # in positions of the module before the fixes


def fix_all_in_notebook(notebook: NotebookModule, settings: Settings | None = None) -> NotebookFixAll | None:
    """Every safe fix of the notebook as cell edits; None when there is nothing to fix or when
    fixing would touch what is not a cell's own text (then nothing is fixed: the fixes may need
    each other, an import for the code that uses it)."""
    result = fix_all(notebook.source, settings, kernel=True)
    if not result.changed:
        return None
    edits = cell_edits(notebook, edits_between(notebook.source, result.source))
    return NotebookFixAll(edits, result.fixed) if edits is not None else None


def apply_cell_edits(cells: list[str], edits: list[CellEdit]) -> list[str]:
    """The cells' texts after the edits."""
    by_cell: dict[int, list[TextEdit]] = {}
    for cell_edit in edits:
        by_cell.setdefault(cell_edit.cell, []).append(cell_edit.edit)
    return [apply_edits(text, by_cell[number]) if number in by_cell else text for number, text in enumerate(cells)]

