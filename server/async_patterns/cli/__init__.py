"""The `async-patterns` command: `check` for CI and pre-commit, `server` for editors."""

from __future__ import annotations

import argparse
import io
import os
import sys
import tokenize
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from async_patterns import __version__
from async_patterns.analysis import Settings, analyze
from async_patterns.analysis.settings import find_pyproject, parse_settings, settings_for_path
from async_patterns.cli.cache import CACHE_FOLDER, ResultCache, content_key
from async_patterns.cli.files import discover, read_source
from async_patterns.cli.formats import RENDERERS, FileResult
from async_patterns.analysis.findings import Finding
from async_patterns.lsp.safeguards import DEFAULT_MAX_FILE_BYTES
from async_patterns.fixes import is_fixable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 24


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="async-patterns", description="Find blocking calls and asyncio mistakes in async Python code."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check files and folders; exit 0 clean, 1 findings, 2 errors")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    check.add_argument("--format", choices=sorted(RENDERERS), default="text")
    check.add_argument("--select", help="comma-separated codes or prefixes to check (replaces the configured list)")
    check.add_argument("--ignore", help="comma-separated codes or prefixes to skip (replaces the configured list)")
    check.add_argument("--no-cache", action="store_true", help=f"analyse every file again, ignore {CACHE_FOLDER}/")
    check.add_argument("--fix", action="store_true", help="apply every safe fix in place, then report what is left")
    server = commands.add_parser("server", help="run the language server on stdio")
    server.add_argument("--stdio", action="store_true", help="accepted for editors that pass it; stdio is the default")
    server.add_argument(
        "--max-file-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_FILE_BYTES,
        metavar="N",
        help=f"leave larger documents unanalysed, saying so once in the log (default {DEFAULT_MAX_FILE_BYTES})",
    )
    return parser


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number of bytes, got {text!r}")
    return int(text)


def _command_line_settings(arguments: argparse.Namespace) -> tuple[dict, list[str]]:
    raw = {key: getattr(arguments, key) for key in ("select", "ignore") if getattr(arguments, key) is not None}
    _, explicitly_set, problems = parse_settings(raw, "command line")
    return {key: raw[key] for key in explicitly_set}, problems


class _SettingsByFolder:
    """Each file gets the pyproject settings nearest to it, under the command line's."""

    def __init__(self, overrides: dict) -> None:
        self.override_settings, self.overridden, _ = parse_settings(overrides, "command line")
        self.by_pyproject: dict[Path | None, Settings] = {}
        self.problems: list[str] = []

    def for_file(self, path: Path) -> Settings:
        pyproject = find_pyproject(path.resolve())
        if pyproject not in self.by_pyproject:
            base, problems = settings_for_path(path.resolve())
            self.problems.extend(problems)
            self.by_pyproject[pyproject] = self.override_settings.merged_over(base, self.overridden)
        return self.by_pyproject[pyproject]


def _analyse(path: str, data: bytes, settings: Settings) -> FileResult:
    try:
        source = read_source(data)
    except ValueError as error:
        return FileResult(path, [], str(error))
    result = analyze(source, settings)
    if result.error is not None:
        where = f"{result.error.line}:{result.error.column}: " if result.error.line else ""
        return FileResult(path, [], f"{where}{result.error.message}")
    return FileResult(path, result.findings)


def _analyse_job(job: tuple[str, bytes, Settings]) -> FileResult:
    return _analyse(*job)


def _to_cache(result: FileResult) -> dict:
    return {"findings": [finding.to_dict() for finding in result.findings], "problem": result.problem}


def _from_cache(path: str, cached: dict) -> FileResult:
    return FileResult(path, [Finding.from_dict(raw) for raw in cached["findings"]], cached["problem"])


def run_check(arguments: argparse.Namespace) -> int:
    overrides, problems = _command_line_settings(arguments)
    for problem in problems:
        print(f"async-patterns: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_ERROR
    files, missing = discover(arguments.paths)
    for path in missing:
        print(f"{path}: error: no such file or folder", file=sys.stderr)
    settings = _SettingsByFolder(overrides)
    cache = None if arguments.no_cache else ResultCache(Path.cwd() / CACHE_FOLDER)
    results: dict[str, FileResult] = {}
    jobs: list[tuple[str, bytes, Settings]] = []
    keys: dict[str, str] = {}
    for path in files:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            results[name] = FileResult(name, [], f"cannot read: {error.strerror or error}")
            continue
        file_settings = settings.for_file(path)
        keys[name] = key = content_key(data, file_settings.fingerprint())
        cached = cache.get(key) if cache else None
        if cached is not None:
            results[name] = _from_cache(name, cached)
        else:
            jobs.append((name, data, file_settings))
    for problem in settings.problems:
        print(f"async-patterns: warning: {problem}; using the defaults for it", file=sys.stderr)
    if len(jobs) >= _PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor() as pool:
            analysed = list(pool.map(_analyse_job, jobs, chunksize=max(1, len(jobs) // (8 * (os.cpu_count() or 1)))))
    else:
        analysed = [_analyse_job(job) for job in jobs]
    for result in analysed:
        results[result.path] = result
        if cache:
            cache.put(keys[result.path], _to_cache(result))
    if cache:
        cache.save(set(keys.values()))
    ordered = [results[str(path)] for path in files]
    if arguments.fix:
        ordered = [_fixed(result, settings.for_file(Path(result.path))) for result in ordered]
    sys.stdout.write(RENDERERS[arguments.format](ordered))
    failed = [result for result in ordered if result.problem]
    for result in failed:
        print(f"{result.path}: error: {result.problem}", file=sys.stderr)
    count = sum(len(result.findings) for result in ordered)
    if arguments.format == "text":
        fixable = sum(1 for result in ordered for finding in result.findings if is_fixable(finding))
        print(
            f"{count} finding{'s' * (count != 1)} ({fixable} fixable) in {len(ordered)} file{'s' * (len(ordered) != 1)}"
            + (f"; {len(failed)} could not be checked" if failed else ""),
            file=sys.stderr,
        )
    if failed or missing:
        return EXIT_ERROR
    return EXIT_FINDINGS if count else EXIT_CLEAN


def _fixed(result: FileResult, settings: Settings) -> FileResult:
    """The file rewritten with all safe fixes (reported on stderr), and the findings left in it."""
    if result.problem or not any(is_fixable(finding) for finding in result.findings):
        return result
    path = Path(result.path)
    try:
        data = path.read_bytes()
        source = read_source(data)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except (OSError, ValueError, SyntaxError):
        return result
    from async_patterns.fixes import fix_all  # libcst loads only when fixing

    fixed = fix_all(source, settings)
    if not fixed.changed:
        return result
    try:
        path.write_bytes(fixed.source.encode(encoding))
    except (OSError, UnicodeEncodeError) as error:
        print(f"{result.path}: error: cannot write the fixes: {error}", file=sys.stderr)
        return result
    counts = Counter(finding.code for finding in fixed.fixed)
    summary = ", ".join(f"{code} x{count}" if count > 1 else code for code, count in sorted(counts.items()))
    print(f"{result.path}: fixed {len(fixed.fixed)} ({summary})", file=sys.stderr)
    return FileResult(result.path, fixed.remaining)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "server":
        from async_patterns.lsp.server import serve_stdio

        return serve_stdio(arguments.max_file_bytes)
    return run_check(arguments)
