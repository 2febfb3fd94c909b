"""The long fuzz run: the strategies of tests/test_fuzz.py with many more examples.

    .venv/bin/python benchmarks/fuzz_long.py [--scale 20]

Prints, per strategy, how many texts it analysed, how many parsed, how many findings it checked
and how long it took, then the smallest failing text of any strategy that found a problem.
Exit status 1 when something failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import hypothesmith  # noqa: E402
import test_fuzz  # noqa: E402

def _checked_text(source: str) -> tuple[bool, int]:
    """Whether the text parsed, and how many findings were checked."""
    result = test_fuzz.check_analysis(source)
    return result.error is None, len(result.findings)


def _checked_notebook(cells: list[str]) -> tuple[bool, int]:
    result = test_fuzz.check_notebook_analysis(cells)
    return not any(result.notebook.problems), sum(map(len, result.findings))


# (name, strategy, examples in the test suite's run, check)
CAMPAIGNS = (
    ("any text", test_fuzz.any_text, 300, _checked_text),
    ("python-like fragments", test_fuzz.python_like_text, 400, _checked_text),
    ("edited rule examples", test_fuzz.edited_rule_examples(), 400, _checked_text),
    ("rule examples, awkward spelling", test_fuzz.rule_examples_in_awkward_spelling(), 300, _checked_text),
    ("hypothesmith grammar", hypothesmith.from_grammar(), 25, _checked_text),
    ("hypothesmith syntax trees", hypothesmith.from_node(), 10, _checked_text),
    ("notebooks (a text is a notebook)", test_fuzz.notebooks(), 200, _checked_notebook),
)


def run(name: str, strategy: st.SearchStrategy, examples: int, check: Callable[[Any], tuple[bool, int]]) -> bool:
    tally: Counter[str] = Counter()

    def analyse_and_count(example: Any) -> None:
        tally["texts"] += 1
        parsed, findings = check(example)
        tally["parsed" if parsed else "parse problems"] += 1
        tally["findings"] += findings

    started = time.perf_counter()
    failure = None
    try:
        test_fuzz.bounded(examples)(given(strategy)(analyse_and_count))()
    except Exception as error:  # a Hypothesis failure, already shrunk to its smallest example
        failure = error
    elapsed = time.perf_counter() - started
    print(
        f"{name:34} {tally['texts']:7} texts {tally['parsed']:7} parsed {tally['parse problems']:7} not "
        f"{tally['findings']:7} findings {elapsed:7.1f} s  {'FAILED' if failure else 'ok'}",
        flush=True,
    )
    if failure is not None:
        print(f"  {type(failure).__name__}: {failure}", flush=True)
        for note in getattr(failure, "__notes__", ()):
            print(f"  {note}", flush=True)
    return failure is None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="examples per strategy, as a multiple of the suite's")
    arguments = parser.parse_args()
    print(f"fuzzing analysis at {arguments.scale}x the test suite's examples", flush=True)
    results = [run(name, strategy, examples * arguments.scale, check) for name, strategy, examples, check in CAMPAIGNS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
