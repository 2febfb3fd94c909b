"""The project index on each corpus project: build time and memory next to plain `ast.parse`, how many
functions block when called, re-answering after one module is edited, and keystroke latency with and
without the project view.

    python benchmarks/corpus.py && python benchmarks/project_index_bench.py [--projects aiohttp ...] [--quick]

Each project is measured in two fresh processes, so that each one's peak resident memory is its own:
one parses every file and keeps nothing (the baseline), the other builds the index as the server
does ahead of need (every module set, every module's declarations), then forces every function's
summary (what the server works out only for the modules an analysis reaches). Both read
all texts first and import the same modules, so the difference in memory is the index's. The index's
root is the unpacked sdist (files without a module name are left out); `--quick` keeps the first 200 files
of each project.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from async_patterns.analysis.incremental import IncrementalAnalysis  # noqa: E402
from async_patterns.analysis.project.index import ProjectIndex  # noqa: E402
from async_patterns.analysis.project.layout import is_package, module_name  # noqa: E402
from async_patterns.analysis.project.view import ProjectView  # noqa: E402
from async_patterns.analysis.settings import Settings  # noqa: E402
from async_patterns.files import read_source  # noqa: E402
from corpus import CORPUS  # noqa: E402

QUICK_FILES = 200
TYPED_FILES = 4
TYPED_LINE = "total = len(items) + 1"
ADDED_FUNCTION = "\n\ndef _benchmark_added():\n    import time\n    time.sleep(1)\n"


def project_modules(name: str, quick: bool) -> dict[str, tuple[Path, bool]]:
    """Module name -> (path, is a package) in the unpacked sdist; of two files claiming one name the first
    is kept, as in `check`."""
    archive = max((CORPUS / name).glob("*.tar.gz"))
    root = archive.parent / archive.name.removesuffix(".tar.gz")
    files = sorted(path for path in root.rglob("*.py") if path.is_file())
    modules: dict[str, tuple[Path, bool]] = {}
    for path in files[:QUICK_FILES] if quick else files:
        module = module_name(path, root)
        if module is not None and module not in modules:
            modules[module] = (path, is_package(path))
    return modules


def timed(action, *arguments, **keywords) -> float:
    started = time.perf_counter()
    action(*arguments, **keywords)
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_only(texts: dict[str, str]) -> dict:
    def parse(text: str) -> None:
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            pass

    return {"parse": sum(timed(parse, text) for text in texts.values()), "rss_parse": peak_rss_mb()}


# An exception from the index on real code is a bug: kept with the module or function it came from,
# printed at the end, while the rest is still measured.
FAILURES: list[str] = []


def guarded(where: str, question, *arguments):
    try:
        return question(*arguments)
    except Exception:
        FAILURES.append(f"{where}:\n{traceback.format_exc()}")
        return None


def all_chains(index: ProjectIndex) -> tuple[int, int]:
    """(functions summarised, functions that block when called)."""
    modules = list(index.module_names())
    functions = [f"{module}.{key}" for module in modules for key in guarded(module, index.summaries, module) or {}]
    return len(functions), sum(guarded(name, index.blocking_chain, name) is not None for name in functions)


def dependents(index: ProjectIndex) -> dict[str, int]:
    """How many modules' summaries read each module (the index keeps this privately, for forgetting)."""
    counts = dict.fromkeys(index.module_names(), 0)
    for name, entry in index._modules.items():
        for consulted in entry.summaries_consulted - {name}:
            counts[consulted] = counts.get(consulted, 0) + 1
    return counts


def build(modules: dict[str, tuple[Path, bool]], texts: dict[str, str], typed: list[str]) -> dict:
    settings = Settings()
    index = ProjectIndex(settings)

    def set_all() -> None:
        for module, (path, package) in modules.items():
            index.set_module(module, str(path), package, lambda module=module: texts[module])

    def each_module(question) -> None:
        for module, (path, _) in modules.items():
            guarded(f"{path} ({question.__name__})", question, module)

    figures = {"set": timed(set_all), "declarations": timed(each_module, index.declarations)}
    figures["summaries"] = timed(each_module, index.summaries)
    figures["rss"] = peak_rss_mb()
    started = time.perf_counter()
    figures["functions"], figures["blocking"] = all_chains(index)
    figures["chains"] = time.perf_counter() - started

    counts = dependents(index)
    edited = max(counts, key=counts.get)
    path, package = modules[edited]
    index.set_module(edited, str(path), package, lambda: texts[edited] + ADDED_FUNCTION)
    figures["edited"], figures["dependents"] = edited, counts[edited]
    figures["resummaries"] = timed(each_module, index.summaries)
    figures["rechains"] = timed(all_chains, index)
    # Back to the text on disk, answers warm again, as the server's index is while a document is typed in.
    index.set_module(edited, str(path), package, lambda: texts[edited])
    all_chains(index)

    by_path = {str(path): (module, package) for module, (path, package) in modules.items()}
    figures["typing"] = {file: type_in(texts[by_path[file][0]], settings, ProjectView(index, *by_path[file])) for file in typed}
    figures["failures"] = FAILURES
    return figures


def keystrokes(text: str) -> list[str]:
    """Texts as a line is typed on a new line at the end of an `async def` and then deleted again."""
    functions = [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.AsyncFunctionDef)]
    functions = [node for node in functions if node.body[0].lineno > node.lineno]  # a body on lines of its own
    function = functions[len(functions) // 2]
    lines = text.split("\n")
    indent = lines[function.body[0].lineno - 1][: function.body[0].col_offset]
    before, after = "\n".join(lines[: function.end_lineno]), "\n".join(lines[function.end_lineno :])
    typing = [f"{before}\n{indent}{TYPED_LINE[:length]}\n{after}" for length in range(len(TYPED_LINE) + 1)]
    return [*typing, *reversed(typing[:-1]), text]


def type_in(text: str, settings: Settings, view: ProjectView) -> dict[str, list[float]]:
    """Milliseconds per keystroke, without and with the project view."""
    found = {}
    for variant, project in (("without", None), ("with", view)):
        analyse = functools.partial(IncrementalAnalysis().update, settings=settings, project=project)
        analyse(text)  # the document as opened: analysed whole, not measured
        found[variant] = [1000 * timed(analyse, source) for source in keystrokes(text)]
    return found


def child(command: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, *command], stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout)


def ruff_seconds(files: list[Path]) -> float | None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        return None
    with tempfile.TemporaryDirectory() as folder:  # away from this repository's settings and .gitignore
        command = [ruff, "check", "--no-cache", "--select", "ASYNC", "--exit-zero", "--quiet", *map(str, files)]
        return timed(subprocess.run, command, cwd=folder, stdout=subprocess.DEVNULL, check=False)


def measure(arguments: argparse.Namespace) -> tuple[dict[str, dict], dict[str, int]]:
    """Each project's figures, from its two processes, and each file's lines."""
    quick = ["--quick"] if arguments.quick else []
    modules = {name: project_modules(name, arguments.quick) for name in arguments.projects}
    lines = {str(path): len(path.read_bytes().splitlines()) for found in modules.values() for path, _ in found.values()}
    with_coroutines = [path for path in lines if "async def" in Path(path).read_text(errors="replace")]
    typed = sorted(with_coroutines, key=lambda path: -lines[path])[:TYPED_FILES]
    rows = {}
    for name, found in modules.items():
        files = [str(path) for path, _ in found.values()]
        rows[name] = {"files": len(files), "lines": sum(lines[path] for path in files)}
        rows[name] |= child(["--child", "parse", name, *quick])
        rows[name] |= child(["--child", "build", name, *quick, "--typed", *(path for path in typed if path in files)])
    added = ("files", "lines", "parse", "set", "declarations", "summaries", "functions", "blocking", "chains")
    whole = {key: sum(row[key] for row in rows.values()) for key in added}
    rows["whole corpus"] = whole | {key: max(row[key] for row in rows.values()) for key in ("rss_parse", "rss")}
    return rows, lines


def report(rows: dict[str, dict], lines: dict[str, int], quick: bool) -> None:
    chosen = f"the first {QUICK_FILES} files of each project" if quick else "all files"
    print(f"Project index over {chosen}: seconds, one process each (whole corpus: sums; memory: the largest)")
    print(
        f"  {'project':<13} {'files':>6} {'lines':>8} {'parse':>6} {'index':>6} {'÷parse':>6} {'+summ.':>6} {'÷parse':>6}"
        f" {'RSS parse':>10} {'RSS all':>10}  {'blocking/functions':>18} {'chains':>6}"
    )
    for name, row in rows.items():
        index = row["set"] + row["declarations"]
        everything = index + row["summaries"]
        print(
            f"  {name:<13} {row['files']:>6,} {row['lines']:>8,} {row['parse']:>6.2f} {index:>6.2f} {index / row['parse']:>5.1f}x"
            f" {row['summaries']:>6.2f} {everything / row['parse']:>5.1f}x {row['rss_parse']:>7.0f} MB"
            f" {row['rss']:>7.0f} MB  {row['blocking']:>8,}/{row['functions']:<9,} {row['chains']:>6.2f}"
        )
    print("  index: every module set and its declarations computed, as the server does ahead of need;")
    print("  +summ.: then every function's summary forced (÷parse: both together); RSS all: after both")
    ruff = ruff_seconds([Path(path) for path in lines])
    build = sum(rows["whole corpus"][key] for key in ("set", "declarations"))
    if ruff is None:
        print("  peer: ruff is neither on PATH nor in the venv, skipped")
    else:
        print(f"  peer, same files: ruff check --no-cache --select ASYNC {ruff:.2f} s (index build: {build / ruff:.0f}x that)")

    print("\nAfter appending a function that calls time.sleep to the module most read by others: re-answering everything")
    for name, row in rows.items():
        if "edited" in row:
            full = row["set"] + row["declarations"] + row["summaries"] + row["chains"]
            print(
                f"  {name:<13} {row['edited']:<28} read by {row['dependents']:>4}: summaries {row['resummaries']:.2f} s"
                f" + chains {row['rechains']:.2f} s = {row['resummaries'] + row['rechains']:.2f} s (first time: {full:.2f} s)"
            )

    measured = "IncrementalAnalysis().update"
    print(f"\nms per keystroke, `{TYPED_LINE}` typed and deleted in an `async def`, measured: {measured}(text, settings)")
    print("  with view: also project=ProjectView(index, module, package) on the project's built index")
    typed = {path: found for row in rows.values() for path, found in row.get("typing", {}).items()}
    width = max((len(str(Path(path).relative_to(CORPUS))) for path in typed), default=0)
    for path, found in typed.items():
        figures = "   ".join(
            f"{variant} view: median {statistics.median(ms):6.2f} p95 {statistics.quantiles(ms, n=20)[-1]:6.2f}"
            for variant, ms in found.items()
        )
        print(f"  {str(Path(path).relative_to(CORPUS)):<{width}} {lines[path]:>6,} lines  {figures}")

    failures = [failure for row in rows.values() for failure in row.get("failures", [])]
    print(f"\n{len(failures)} exceptions from the index" + "".join(f"\n--- {failure}" for failure in failures))


def main() -> None:
    parser = argparse.ArgumentParser()
    projects = sorted(path.name for path in CORPUS.glob("*") if any(path.glob("*.tar.gz")))
    parser.add_argument("--projects", nargs="+", default=projects)
    parser.add_argument("--quick", action="store_true", help=f"only the first {QUICK_FILES} files of each project")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    parser.add_argument("--typed", nargs="*", default=[], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        kind, name = arguments.child
        modules = project_modules(name, arguments.quick)
        texts = {module: read_source(path.read_bytes()) for module, (path, _) in modules.items()}
        print(json.dumps(parse_only(texts) if kind == "parse" else build(modules, texts, arguments.typed)))
    elif not arguments.projects:
        raise SystemExit("no corpus: run `python benchmarks/corpus.py` first")
    else:
        report(*measure(arguments), arguments.quick)


if __name__ == "__main__":
    main()
