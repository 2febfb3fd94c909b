"""What one keystroke costs the incremental analysis on the largest corpus files and on the large
class of tests/test_incremental.py, in every state of typing, next to `ast.parse` of the whole file.

    python benchmarks/corpus.py && python benchmarks/incremental_bench.py [--files N] [--repeat N]

At two places of each file (the function nearest the middle, a method when that is inside a class,
and the module level after the imports) new lines are typed one character at a time, as an editor
without auto-closing sends them: plain code, a call whose `(` stays open while its arguments are
typed and is then closed, a triple-quoted string opened and closed, and a line indented two columns
off its block (a stray dedent; at module level, a stray indent). Per state of typing: milliseconds
of `IncrementalAnalysis().update(text, Settings())` (median and 95th percentile, the fastest of
`--repeat` runs per keystroke), the most calls of the module's `parse` in one keystroke, the most
full-size parses (reading more than half of the document's lines) and the median of the lines
parsed per keystroke (non-blank lines, as tests/test_incremental.py counts them). The large class
is imported from the tests, so the venv needs the `test` extra (scripts/setup.sh installs it).
The garbage collector runs as often as in the server (`async_patterns.collector`).
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from async_patterns.analysis import analyze, incremental  # noqa: E402
from async_patterns.analysis.incremental import IncrementalAnalysis  # noqa: E402
from async_patterns.analysis.settings import Settings  # noqa: E402
from async_patterns.collector import collect_less_often  # noqa: E402
from corpus import CORPUS, largest  # noqa: E402
from test_incremental import LARGE_CLASS  # noqa: E402

# Each line: whether it is indented off its block, then its pieces with the state typing them is in.
TYPED_LINES = (
    (False, (("plain", "total = len(items) + 1"),)),
    (False, (("plain", "result = compute"), ("unclosed (", "(first, second"), ("closing )", ")"))),
    (False, (("plain", "text = "), ('unclosed """', '"""about it'), ('closing """', '"""'))),
    (True, (("stray dedent", "value = 1"),)),
)
NEWLINE = "\n"
STATES = tuple(dict.fromkeys(state for _, pieces in TYPED_LINES for state, _ in pieces))


def non_blank_lines(source: str) -> int:
    return sum(1 for line in source.split("\n") if line.strip())


def places(text: str) -> list[tuple[str, int, str]]:
    """(what, line after which to type, the indentation there): inside the function nearest the
    middle of the file, after its first statement, and at module level after the last import."""
    tree = ast.parse(text)
    lines = text.split("\n")
    middle = len(lines) / 2
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body[0].lineno > node.lineno
    ]
    function = min(functions, key=lambda node: abs(node.lineno - middle))
    first = function.body[0]
    kind = "async def" if isinstance(function, ast.AsyncFunctionDef) else "def"
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    after_imports = imports[-1].end_lineno if imports else 0
    return [
        (f"in `{kind} {function.name}` (line {function.lineno:,})", first.end_lineno, lines[first.lineno - 1][: first.col_offset]),
        (f"at module level (line {after_imports + 1:,})", after_imports, ""),
    ]


def keystrokes(text: str, after_line: int, indent: str) -> list[tuple[str, str]]:
    """(state, text) after each key; Enter begins each typed line at its indentation and counts in the
    state of the line's first piece."""
    lines = text.split("\n")
    before, after = lines[:after_line], lines[after_line:]
    typed: list[str] = []
    found = []
    for stray, pieces in TYPED_LINES:
        # Two columns short of the block's (at module level, where none are, two too many).
        line = (indent[:-2] if indent else "  ") if stray else indent
        found.append((pieces[0][0], "\n".join([*before, *typed, line, *after])))
        for state, piece in pieces:
            for character in piece:
                line += character
                found.append((state, "\n".join([*before, *typed, line, *after])))
        typed.append(line)
    return found


def counting_parses(record: list[int]) -> Callable[[], None]:
    """Makes the incremental module's `parse` append the lines it reads to `record`; returns the undo."""
    real_parse = incremental.parse

    def counting_parse(source: str):
        record.append(non_blank_lines(source))
        return real_parse(source)

    incremental.parse = counting_parse
    return lambda: setattr(incremental, "parse", real_parse)


def measure(text: str, typing: list[tuple[str, str]], repeat: int) -> dict[str, list[tuple[float, list[int]]]]:
    """Per state: (milliseconds, lines read by each parse) of each keystroke."""
    settings = Settings()
    fastest = [float("inf")] * len(typing)
    for _ in range(repeat):
        analysis = IncrementalAnalysis()
        analysis.update(text, settings)  # the document as opened: analysed whole, not measured
        for number, (_, source) in enumerate(typing):
            started = time.perf_counter()
            analysis.update(source, settings)
            fastest[number] = min(fastest[number], 1000 * (time.perf_counter() - started))
    parses: list[list[int]] = []
    analysis = IncrementalAnalysis()
    analysis.update(text, settings)
    for _, source in typing:
        record: list[int] = []
        undo = counting_parses(record)
        try:
            analysis.update(source, settings)
        finally:
            undo()
        parses.append(record)
    by_state: dict[str, list[tuple[float, list[int]]]] = {state: [] for state in STATES}
    for (state, _), ms, parsed in zip(typing, fastest, parses):
        by_state[state].append((ms, parsed))
    return by_state


def whole_file_ms(action: Callable[[], object], repeat: int) -> float:
    return min(timed_ms(action) for _ in range(max(repeat, 3)))


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - started)


def report(name: str, text: str, repeat: int) -> None:
    document_lines = non_blank_lines(text)
    parse_ms = whole_file_ms(lambda: ast.parse(text), repeat)
    analyze_ms = whole_file_ms(lambda: analyze(text), repeat)
    print(
        f"\n{name}: {text.count(NEWLINE) + 1:,} lines ({document_lines:,} not blank);"
        f" whole file: ast.parse {parse_ms:.1f} ms, analyze {analyze_ms:.1f} ms"
    )
    for where, after_line, indent in places(text):
        print(f"  {where}")
        print(f"    {'state':<14} {'keys':>4} {'median ms':>9} {'p95 ms':>7} {'parses':>6} {'full-size':>9} {'lines parsed':>12}")
        for state, keys in measure(text, keystrokes(text, after_line, indent), repeat).items():
            ms = [elapsed for elapsed, _ in keys]
            p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) > 1 else ms[0]
            most_parses = max(len(parsed) for _, parsed in keys)
            full_size = max(sum(1 for lines in parsed if 2 * lines > document_lines) for _, parsed in keys)
            lines_parsed = statistics.median(sum(parsed) for _, parsed in keys)
            print(
                f"    {state:<14} {len(keys):>4} {statistics.median(ms):>9.2f} {p95:>7.2f} {most_parses:>6}"
                f" {full_size:>9} {lines_parsed:>12,.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=4, help="how many of the largest corpus files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per keystroke; the fastest counts")
    arguments = parser.parse_args()
    collect_less_often()
    files = largest(arguments.files)
    if arguments.files and not files:
        raise SystemExit("no corpus: run `python benchmarks/corpus.py` first")
    print("ms per keystroke of IncrementalAnalysis().update(text, Settings()); parses, full-size: the most in one")
    print("keystroke (full-size: reading more than half of the document); lines parsed: median per keystroke")
    for path in files:
        report(str(path.relative_to(CORPUS)), path.read_text(encoding="utf-8"), arguments.repeat)
    report("<large class> of tests/test_incremental.py", LARGE_CLASS, arguments.repeat)


if __name__ == "__main__":
    main()
