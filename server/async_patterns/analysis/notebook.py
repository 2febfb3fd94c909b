"""A Jupyter notebook's code cells as one module, and positions back to the cells.

A kernel runs every cell in one namespace, so what one cell defines is known in the next: the code
cells are analysed as one module, in the order the notebook shows them, with the kernel's semantics
(`analyze(..., kernel=True)`: top-level `await` is legal and the top level runs on the kernel's
event loop). Each cell starts on a line of its own in that module, so a finding maps back to one
cell by its line alone, and its columns stay those of the cell's text.

IPython syntax (`%magic`, `!shell`, `x = !ls`, `?obj`, `obj?`, a `%%bash` cell) is masked line for
line, so that line numbers stay the same: such a line becomes a comment or `pass` (`x = ...` for an
assignment), a cell magic
whose body is not Python blanks its whole cell, and `%time code` / `%timeit code` keep `code` in its
columns so that it is still checked. Only lines that start a logical line are masked; a `%` that
continues an expression is Python's modulo. A cell that does not parse even so is analysed as if it
were empty and its problem is reported for it alone: it never stops the other cells.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

from async_patterns.analysis import AnalysisResult, Finding, ParseProblem, Settings, analyze, parse
from async_patterns.analysis.incremental import IncrementalAnalysis
from async_patterns.analysis.positions import split_lines

# Cell magics whose body is Python run in the kernel's namespace; any other (`%%bash`, `%%html`,
# `%%writefile`, `%%python` in a subprocess, ...) holds text that is not this kernel's Python.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_CELL_MAGIC = re.compile(r"%%(\w*)")
# `%time code` and `%timeit code` (without options) run `code`: `if 1:` takes the magic's place, in
# the same columns, so that the code is analysed where it stands.
_TIMED_CODE = re.compile(r"%(?:time|timeit)[ \t]+(?=[^\s\-])")
_IN_PLACE_OF_TIMER = "if 1:"
# What a masked line becomes: at the top level a comment, which a fix's new import can go after as
# if the line were not there; in an indented block `pass`, which keeps the block a block.
_MASKED = "#"
# IPython's escapes at the start of a logical line: shell, help, magic and the autocall forms.
_ESCAPES = ("!", "?", "%", "/", ",", ";")
# Lines that may hold IPython syntax (looked for first: most cells have none, and the scan that
# tells logical lines apart runs in Python).
_MAYBE_IPYTHON = re.compile(r"^[ \t]*[!?%/,;]|\?[ \t]*(?:#.*)?$|=[ \t]*[!%]", re.MULTILINE)
# `files = !ls`, `names = %who_ls`: the target keeps its line, the command becomes `...`.
_ASSIGNED_COMMAND = re.compile(r"[ \t]*[A-Za-z_][\w.\[\]'\", \t()*]*?[ \t]*=[ \t]*(?=[!%])")


@dataclass(frozen=True)
class MaskedCell:
    """A cell's text as analysed: the same number of lines, IPython syntax replaced."""

    text: str
    masked_lines: frozenset[int]  # 1-based lines that are not the cell's own text
    is_python: bool = True  # False for a cell magic whose body is not Python


def _logical_line_info(lines: list[str]) -> list[tuple[bool, int, bool]]:
    """Per line: whether it starts a logical line (not inside brackets, a string or after a
    backslash), where its comment starts (its length when it has none), and whether it ends
    outside brackets and strings."""
    info = []
    depth, quote, continued = 0, "", False
    for line in lines:
        starts = depth == 0 and not quote and not continued
        continued = False
        comment_at = len(line)
        position = 0
        while position < len(line):
            char = line[position]
            if quote:
                if char == "\\":
                    position += 2
                    continue
                if line.startswith(quote, position):
                    position += len(quote)
                    quote = ""
                    continue
            elif char == "#":
                comment_at = position
                break
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                depth = max(0, depth - 1)
            elif char in "'\"":
                quote = line[position : position + 3] if line[position : position + 3] in ('"""', "'''") else char
                position += len(quote)
                continue
            elif char == "\\" and not line[position + 1 :].strip():
                continued = True
            position += 1
        # A one-quote string ends with its line, unless a backslash continues it.
        if len(quote) == 1 and not line.endswith("\\"):
            quote = ""
        info.append((starts, comment_at, depth == 0 and not quote))
    return info


def mask_ipython(cell: str, keep_timed_code: bool = True) -> MaskedCell:
    """The cell with IPython syntax replaced line for line (see the module's docstring)."""
    lines = split_lines(cell)
    if not _MAYBE_IPYTHON.search(cell):
        return MaskedCell("\n".join(lines), frozenset())
    # IPython drops leading blank lines before it looks for a cell magic on the first line.
    first = next((number for number, line in enumerate(lines) if line.strip()), 0)
    cell_magic = _CELL_MAGIC.match(lines[first])
    if cell_magic is not None and cell_magic.group(1) not in _PYTHON_CELL_MAGICS:
        return MaskedCell("\n" * (len(lines) - 1), frozenset(range(1, len(lines) + 1)), is_python=False)
    masked: dict[int, str] = {first: _MASKED} if cell_magic is not None else {}
    continuation = False
    for number, (line, (starts, comment_at, ends_outside)) in enumerate(zip(lines, _logical_line_info(lines))):
        if continuation:
            masked[number] = ""  # blank lines may have any indentation
        elif starts and number not in masked:
            replacement = _masked_line(line, comment_at, ends_outside, keep_timed_code)
            if replacement is not None:
                masked[number] = replacement
        continuation = number in masked and line.endswith("\\")
    text = "\n".join(masked.get(number, line) for number, line in enumerate(lines))
    return MaskedCell(text, frozenset(number + 1 for number in masked))


def _masked_line(line: str, comment_at: int, ends_outside: bool, keep_timed_code: bool) -> str | None:
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(_ESCAPES):
        timed = _TIMED_CODE.match(stripped) if keep_timed_code else None
        if timed is not None and timed.end() > len(_IN_PLACE_OF_TIMER):
            return indent + _IN_PLACE_OF_TIMER.ljust(timed.end()) + stripped[timed.end() :]
        return indent + "pass" if indent else _MASKED
    assigned = _ASSIGNED_COMMAND.match(line)
    if assigned is not None:
        return assigned.group() + "..."
    if ends_outside and line[:comment_at].rstrip().endswith("?"):
        return indent + "pass" if indent else _MASKED
    return None


@dataclass(frozen=True)
class NotebookModule:
    """The module a notebook's code cells make, and where each cell lies in it."""

    cells: tuple[str, ...]  # the code cells as written
    versions: tuple[MaskedCell, ...]  # the cells as analysed
    problems: tuple[ParseProblem | None, ...]  # per cell, why it was set aside (positions in the cell)

    @classmethod
    def of(cls, cells: Sequence[str]) -> NotebookModule:
        """The cells with IPython syntax masked and those that do not parse set aside."""
        masked = cls.masked(cells)
        return masked if not isinstance(parse(masked.source), ParseProblem) else masked.with_broken_cells_set_aside()

    @classmethod
    def masked(cls, cells: Sequence[str]) -> NotebookModule:
        """The cells with IPython syntax masked, all taken as Python (nothing is parsed)."""
        return cls(tuple(cells), tuple(mask_ipython(cell) for cell in cells), (None,) * len(cells))

    def with_broken_cells_set_aside(self) -> NotebookModule:
        """The module without the cells that do not parse, each with its problem."""
        versions, problems = [], []
        for cell, masked in zip(self.cells, self.versions):
            version, problem = _parsing_version(cell, masked)
            versions.append(version)
            problems.append(problem)
        # Cells that parse alone almost always parse together; when not, the cell the whole
        # text's error points into is set aside too, one at a time.
        for _ in range(len(self.cells)):
            problem = parse(_joined(versions))
            if not isinstance(problem, ParseProblem):
                break
            starts = _starts(versions)
            blamed = _cell_at(starts, (problem.line or 1) - 1)
            problems[blamed] = replace(problem, line=problem.line - starts[blamed] if problem.line else None)
            versions[blamed] = _set_aside(versions[blamed])
        return NotebookModule(self.cells, tuple(versions), tuple(problems))

    @cached_property
    def source(self) -> str:
        return _joined(self.versions)

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """The 0-based module line of each cell's first line."""
        return tuple(_starts(self.versions))

    @cached_property
    def line_counts(self) -> tuple[int, ...]:
        return tuple(version.text.count("\n") + 1 for version in self.versions)

    @cached_property
    def lines(self) -> list[str]:
        return self.source.split("\n")

    def cell_at(self, line: int) -> int:
        """The cell holding a 1-based module line."""
        return _cell_at(list(self.starts), line - 1)

    def to_cell(self, finding: Finding) -> tuple[int, Finding]:
        """A finding of the module as (cell, the finding in the cell's own lines), kept inside the cell."""
        cell = self.cell_at(finding.line)
        local = finding.shifted(-self.starts[cell])
        if local.end_line > self.line_counts[cell]:
            local = replace(local, end_line=self.line_counts[cell], end_column=len(self.line_text(cell, self.line_counts[cell])))
        return cell, local

    def to_module(self, cell: int, finding: Finding) -> Finding:
        return finding.shifted(self.starts[cell])

    def line_text(self, cell: int, line: int) -> str:
        """A 1-based line of a cell as analysed."""
        return self.lines[self.starts[cell] + line - 1] if 0 < line <= self.line_counts[cell] else ""

    def is_own_text(self, cell: int, line: int) -> bool:
        """Whether a 1-based line of a cell is the cell's own Python text (which a fix may edit)."""
        return 0 < line <= self.line_counts[cell] and line not in self.versions[cell].masked_lines and self.problems[cell] is None


def _joined(cells: Sequence[MaskedCell]) -> str:
    return "\n".join(cell.text for cell in cells)


def _starts(cells: Sequence[MaskedCell]) -> list[int]:
    starts, line = [], 0
    for cell in cells:
        starts.append(line)
        line += cell.text.count("\n") + 1
    return starts


def _cell_at(starts: list[int], line: int) -> int:
    return max(0, bisect.bisect_right(starts, line) - 1)


def _set_aside(cell: MaskedCell) -> MaskedCell:
    count = cell.text.count("\n") + 1
    return MaskedCell("\n" * (count - 1), frozenset(range(1, count + 1)), cell.is_python)


def _parsing_version(cell: str, masked: MaskedCell) -> tuple[MaskedCell, ParseProblem | None]:
    """The first reading of a cell that parses: with `%time` code kept, with every IPython line
    masked, as written (a false mask inside an unusual string); else the cell set aside, with why."""
    if not masked.is_python:
        return masked, None
    candidates = [masked, mask_ipython(cell, keep_timed_code=False), MaskedCell("\n".join(split_lines(cell)), frozenset())]
    first_problem = None
    for candidate in candidates:
        tree = parse(candidate.text)
        if not isinstance(tree, ParseProblem):
            return candidate, None
        first_problem = first_problem or tree
    return _set_aside(masked), first_problem


@dataclass(frozen=True)
class NotebookResult:
    notebook: NotebookModule
    findings: list[list[Finding]]  # per cell, in the cell's own lines and columns
    error: ParseProblem | None = None  # when the module as a whole could not be analysed


def analyze_notebook(cells: Sequence[str], settings: Settings | None = None) -> NotebookResult:
    """Findings per code cell (given in the notebook's order) and, in `notebook.problems`, the
    cells that could not be analysed."""
    notebook = NotebookModule.of(cells)
    return _by_cell(notebook, analyze(notebook.source, settings, kernel=True))


class IncrementalNotebookAnalysis:
    """One open notebook's analysis across its versions: what `analyze_notebook` gives, with only
    the statements around an edit analysed again (`IncrementalAnalysis` of the cells' module)."""

    def __init__(self) -> None:
        self._module = IncrementalAnalysis(kernel=True)

    def update(self, cells: Sequence[str], settings: Settings) -> NotebookResult:
        notebook = NotebookModule.masked(cells)
        result = self._module.update(notebook.source, settings)
        if result.error is not None:
            notebook = notebook.with_broken_cells_set_aside()
            result = self._module.update(notebook.source, settings)
        return _by_cell(notebook, result)


def _by_cell(notebook: NotebookModule, result: AnalysisResult) -> NotebookResult:
    per_cell: list[list[Finding]] = [[] for _ in notebook.cells]
    for finding in result.findings:
        cell, local = notebook.to_cell(finding)
        per_cell[cell].append(local)
    return NotebookResult(notebook, per_cell, result.error)
