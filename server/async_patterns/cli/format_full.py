"""The `full` format, for people at a terminal: each finding with its source lines, carets under
its range, and the title of its fix when it has one."""

from __future__ import annotations

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import split_lines, terminal_cells
from async_patterns.cli.formats import FileResult, ReportContext, position
from async_patterns.cli.terminal import Style
from async_patterns.fixes import offered_fixes

# A finding spanning more lines shows its first and last ones around an elision mark.
_MOST_LINES_SHOWN = 5
_LINES_AT_EACH_END = 2
# A longer line (minified or generated code) is cut to this many code points around the range.
_LONGEST_SHOWN_LINE = 200
_CONTEXT_BEFORE_RANGE = 40


def render(results: list[FileResult], context: ReportContext) -> str:
    style = Style(context.colour)
    blocks = []
    for result in results:
        if not result.findings:
            continue
        lines_by_cell: dict[int | None, list[str]] = {}
        for finding in result.findings:
            if finding.cell not in lines_by_cell:
                source = context.source_of(result.path, finding.cell)
                lines_by_cell[finding.cell] = split_lines(source) if source is not None else []
            blocks.append(_finding_block(result.path, finding, lines_by_cell[finding.cell], style))
    return "".join(blocks)


def _finding_block(path: str, finding: Finding, lines: list[str], style: Style) -> str:
    header = (
        f"{style.bold(f'{path}:{position(finding)}:')} "
        f"{style.severity(finding.severity, finding.code)} {finding.message}\n"
    )
    shown = _shown_lines(finding, len(lines))
    fixes = offered_fixes(finding)
    if not shown and not fixes:
        return header + "\n"
    width = len(str(shown[-1])) if shown else 1
    blank_gutter = style.gutter(" " * width + " |")
    body = [blank_gutter + "\n"] if shown else []
    previous = None
    for number in shown:
        if previous is not None and number != previous + 1:
            body.append(style.gutter("." * width + " |") + "\n")
        previous = number
        first, last = _range_on_line(finding, number, lines[number - 1])
        text, first, last = _cut_around(lines[number - 1], first, last)
        text, starts = terminal_cells(text)
        body.append(f"{style.gutter(f'{number:>{width}} |')} {text}".rstrip() + "\n")
        if first == last and finding.line < number < finding.end_line:
            continue  # a blank line inside the range
        carets = "^" * max(1, starts[last] - starts[first])
        body.append(f"{blank_gutter} {' ' * starts[first]}{style.severity(finding.severity, carets)}\n")
    if fixes:
        indent = " " * width if shown else ""
        body.append(f"{indent} {style.gutter('=')} {style.fix('fix:')} {fixes[0].title}\n")
    return header + "".join(body) + "\n"


def _shown_lines(finding: Finding, line_count: int) -> list[int]:
    """The 1-based lines to show: the finding's, without an end line it only touches at column 0."""
    first = finding.line
    last = finding.end_line
    if last > first and finding.end_column == 0:
        last -= 1
    last = min(last, line_count)
    if first < 1 or first > last:
        return []
    numbers = list(range(first, last + 1))
    if len(numbers) > _MOST_LINES_SHOWN:
        numbers = numbers[:_LINES_AT_EACH_END] + numbers[-_LINES_AT_EACH_END:]
    return numbers


def _range_on_line(finding: Finding, number: int, text: str) -> tuple[int, int]:
    """The code-point columns of the finding on one of its lines, within the line's text.

    Lines after the first are marked from their first non-blank character, so the carets follow
    the code rather than its indentation.
    """
    length = len(text)
    first = finding.column if number == finding.line else length - len(text.lstrip())
    last = finding.end_column if number == finding.end_line else length
    first = min(max(first, 0), length)
    last = min(max(last, first), length)
    return first, last


def _cut_around(text: str, first: int, last: int) -> tuple[str, int, int]:
    """A long line cut around the range, with `...` where it was cut, and the range's columns in it."""
    if len(text) <= _LONGEST_SHOWN_LINE:
        return text, first, last
    start = max(0, min(first - _CONTEXT_BEFORE_RANGE, len(text) - _LONGEST_SHOWN_LINE))
    end = start + _LONGEST_SHOWN_LINE
    prefix = "..." if start else ""
    suffix = "..." if end < len(text) else ""
    shift = len(prefix) - start
    return prefix + text[start:end] + suffix, first + shift, min(last, end) + shift
