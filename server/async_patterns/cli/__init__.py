"""The `async-patterns` command: `check` for CI, pre-commit and terminals, `server` for editors,
`rule` to explain a rule, `run` to find where a program stalls its event loop."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, Sequence, TextIO

from async_patterns import __version__
from async_patterns.analysis import Settings
from async_patterns.analysis.settings import find_pyproject, parse_settings, settings_for_path
from async_patterns.cli.cache import CACHE_FOLDER, ResultCache, Stamp, content_hash, stamp_of
from async_patterns.cli.check_options import STDIN_PATH, default_format, read_stdin, reads_stdin, usage_problem
from async_patterns.files import DEFAULT_MAX_FILE_BYTES, PathResolver, discover, read_source
from async_patterns.cli.projects import Project, ProjectIndexes, Projects
from async_patterns.cli import run
from async_patterns.collector import collect_less_often
from async_patterns.cli.formats import FORMAT_ALIASES, FORMATS, HUMAN_FORMATS, FileResult, ReportContext, render, reported
from async_patterns.cli.terminal import wants_colour
from async_patterns.analysis.findings import Finding
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
    check.add_argument(
        "paths", nargs="*", default=[], metavar="PATH",
        help="files and folders to check (default: the working folder); `-` checks the text on standard input",
    )
    check.add_argument(
        "--format", choices=[*FORMATS, *FORMAT_ALIASES], metavar="FORMAT",
        help="full (the default at a terminal), concise (the default otherwise; `text` is another name for it), "
        "json, sarif, github, gitlab or junit",
    )
    check.add_argument("--select", help="comma-separated codes or prefixes to check (replaces the configured list)")
    check.add_argument("--ignore", help="comma-separated codes or prefixes to skip (replaces the configured list)")
    check.add_argument("--extend-select", help="comma-separated codes or prefixes to check besides the selected ones")
    check.add_argument("--extend-ignore", help="comma-separated codes or prefixes to skip besides the ignored ones")
    check.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="PATTERN:CODES",
        help="skip CODES (comma-separated) in the files PATTERN matches (relative to the current folder); repeatable",
    )
    check.add_argument(
        "--thread-decorators",
        help="comma-separated dotted names (wildcards allowed) of decorators that run a function on a worker thread",
    )
    check.add_argument("--no-cache", action="store_true", help=f"analyse every file again, ignore {CACHE_FOLDER}/")
    check.add_argument("--fix", action="store_true", help="apply every safe fix in place, then report what is left")
    check.add_argument(
        "--diff", action="store_true",
        help="with --fix: print the fixes as a unified diff and write nothing; exit 1 when there is something to fix",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 still means errors)")
    check.add_argument(
        "--statistics", action="store_true",
        help="instead of the findings, print how many there are of each rule and how many are fixable",
    )
    check.add_argument("--output-file", type=Path, metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument(
        "--config", type=Path, metavar="FILE",
        help="take the settings for every file from FILE (a pyproject.toml, or a TOML file with the same keys at the top) "
        "instead of the nearest pyproject.toml",
    )
    check.add_argument(
        "--stdin-filename", metavar="NAME",
        help="check standard input as the file NAME: its name in the report, its pyproject.toml for settings",
    )
    shown = check.add_mutually_exclusive_group()
    shown.add_argument("--show-files", action="store_true", help="list the files a check would cover, and stop")
    shown.add_argument("--show-settings", action="store_true", help="print the settings each file would get, and stop")
    check.set_defaults(usage_error=check.error)
    server = commands.add_parser("server", help="run the language server on stdio")
    server.add_argument("--stdio", action="store_true", help="accepted for editors that pass it; stdio is the default")
    server.add_argument(
        "--max-file-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_FILE_BYTES,
        metavar="N",
        help=f"leave larger documents unanalysed, saying so once in the log (default {DEFAULT_MAX_FILE_BYTES})",
    )
    rule = commands.add_parser("rule", help="explain a rule (with its examples), or list every rule with --all")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as ASYNC251 (any case)")
    rule.add_argument("--all", action="store_true", help="list every rule with its default state")
    rule.add_argument("--format", choices=("text", "json"), default="text")
    rule.set_defaults(usage_error=rule.error)
    run.add_parser(commands)
    return parser


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number of bytes, got {text!r}")
    return int(text)


_SETTING_OPTIONS = ("select", "ignore", "extend_select", "extend_ignore", "per_file_ignores", "thread_decorators")


def _command_line_settings(arguments: argparse.Namespace) -> tuple[Settings, set[str], list[str]]:
    raw = {key: getattr(arguments, key) for key in _SETTING_OPTIONS if getattr(arguments, key) is not None}
    return parse_settings(raw, "command line", Path.cwd())


class _SettingsByFolder:
    """Each file gets the pyproject settings nearest to it (or the --config file's), under the command line's."""

    def __init__(
        self, override_settings: Settings, overridden: set[str], config: tuple[Path, Settings] | None = None
    ) -> None:
        self.override_settings, self.overridden = override_settings, overridden
        self.config = config
        self.by_pyproject: dict[Path | None, Settings] = {}
        self.by_folder: dict[str, Settings] = {}
        self.pyproject_of_folder: dict[str, Path | None] = {}
        self.problems: list[str] = []
        self.resolved_path = PathResolver()
        self.working_folder = Path.cwd()

    def source_of(self, path: Path) -> Path | None:
        """The file the settings come from (the nearest pyproject.toml); None for the defaults."""
        if self.config:
            return self.config[0]
        # Thousands of files ask about the same few folders.
        folder = os.path.dirname(path)
        if folder not in self.pyproject_of_folder:
            self.pyproject_of_folder[folder] = find_pyproject(Path(folder or ".").resolve())
        return self.pyproject_of_folder[folder]

    def for_file(self, path: Path) -> Settings:
        folder_settings = self.for_folder_of(path)
        if not folder_settings.per_file_ignores:
            return folder_settings
        return folder_settings.for_file(self.resolved_path(path), self.working_folder)

    def for_folder_of(self, path: Path) -> Settings:
        """The settings where `path` is, before any per-file ignores (looked up once per folder)."""
        folder = os.path.dirname(path)
        if folder in self.by_folder:
            return self.by_folder[folder]
        pyproject = self.source_of(path)
        if pyproject not in self.by_pyproject:
            if self.config:
                base = self.config[1]
            else:
                base, problems = settings_for_path(path.resolve())
                self.problems.extend(problems)
            self.by_pyproject[pyproject] = self.override_settings.merged_over(base, self.overridden)
        self.by_folder[folder] = self.by_pyproject[pyproject]
        return self.by_pyproject[pyproject]


# The project indexes of this process (set before analysing, and in each worker process by its initializer).
_indexes = ProjectIndexes({})


def _use_indexes(indexes: ProjectIndexes) -> None:
    global _indexes
    _indexes = indexes


def _start_worker(indexes: ProjectIndexes) -> None:
    """A worker process of a parallel `check` (the process that runs `check` keeps its collector's
    settings: it may be a test runner or an editor's)."""
    collect_less_often()
    _use_indexes(indexes)


def _analyse(path: str, data: bytes, settings: Settings, project: tuple[str, Settings] | None = None) -> FileResult:
    # Loaded here, by the first file that is analysed: a run answered from the cache never needs the rules.
    from async_patterns.analysis import analyze
    from async_patterns.cli.notebooks import NOTEBOOK_SUFFIX, check_notebook

    if path.endswith(NOTEBOOK_SUFFIX):
        return check_notebook(path, data, settings)
    try:
        source = read_source(data)
    except ValueError as error:
        return FileResult(path, [], str(error))
    view = _indexes.view_for(project[0], Path(path), project[1]) if project else None
    result = analyze(source, settings, project=view)
    if result.error is not None:
        where = f"{result.error.line}:{result.error.column}: " if result.error.line else ""
        return FileResult(path, [], f"{where}{result.error.message}")
    depends = frozenset(view.consulted - {view.module}) if view else frozenset()
    return FileResult(path, reported(result.findings), depends=depends)


def _analyse_job(job: tuple[str, bytes, Settings, tuple[str, Settings] | None]) -> FileResult:
    return _analyse(*job)


def _to_cache(result: FileResult, depends: list[list[str]]) -> dict:
    findings = [finding.to_dict() for finding in result.findings]
    return {"findings": findings, "problem": result.problem, "depends": depends}


def _from_cache(path: str, cached: dict) -> FileResult:
    return FileResult(path, [Finding.from_dict(raw) for raw in cached["findings"]], cached["problem"])


def _still_valid(cached: dict, project_of_file: Callable[[], Project | None], cache: ResultCache) -> bool:
    """A cached result holds while the project modules its findings read are unchanged: each one's
    file has the same bytes, and a module that was missing is still missing (only that asks which
    modules the file's project has now)."""
    for module, path, digest in cached["depends"]:
        if not path:
            project = project_of_file()
            if project is None or module in project.modules:
                return False
        elif cache.module_hash(path) != digest:
            return False
    return True


def _dependencies(project: Project, modules: frozenset[str], cache: ResultCache) -> list[list[str]]:
    """[module, its file, the file's content hash] for each module ('' and '' for a module the project lacks)."""
    dependencies = []
    for module in sorted(modules):
        path = project.modules.get(module, ("", False))[0]
        dependencies.append([module, path, cache.module_hash(path) if path else ""])
    return dependencies


def run_check(arguments: argparse.Namespace) -> int:
    problem = usage_problem(arguments)
    if problem:
        arguments.usage_error(problem)
    overrides, overridden, problems = _command_line_settings(arguments)
    config = None
    if arguments.config is not None:
        from async_patterns.cli.config_file import load_config

        config_settings, config_problems = load_config(arguments.config)
        problems += config_problems
        config = (arguments.config, config_settings)
    for problem in problems:
        print(f"async-patterns: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_ERROR
    files, missing, in_memory = _checked_files(arguments)
    for path in missing:
        print(f"{path}: error: no such file or folder", file=sys.stderr)
    settings = _SettingsByFolder(overrides, overridden, config)
    if arguments.show_files or arguments.show_settings:
        return _show(arguments, files, settings, failed=bool(missing))
    cache = None if arguments.no_cache or in_memory else ResultCache(Path.cwd() / CACHE_FOLDER)
    results: dict[str, FileResult] = {}
    jobs: list[tuple[str, bytes, Settings, tuple[str, Settings] | None]] = []
    # path -> (stamp, content hash, settings key) for the cache entry of a file analysed now
    cache_keys: dict[str, tuple[Stamp | None, str, str]] = {}
    projects = Projects(Path.cwd())
    overrides = {str(Path(name).resolve()): read_source(data) for name, data in in_memory.items() if _decodes(data)}
    _use_indexes(ProjectIndexes(projects, overrides))
    # By the settings object (kept alive here, so its id is not reused): most files share a few.
    settings_keys: dict[int, tuple[Settings, str]] = {}
    for path in files:
        name = str(path)
        file_settings = settings.for_file(path)
        known = settings_keys.get(id(file_settings))
        if known is None:
            known = settings_keys[id(file_settings)] = (file_settings, content_hash(file_settings.fingerprint().encode()))
        settings_key = known[1]
        stamp = stamp_of(path) if cache else None
        cached = cache.unchanged(name, stamp, settings_key) if cache else None
        if cached is not None and _still_valid(cached, lambda path=path: projects.get(projects.root_of(path)), cache):
            results[name] = _from_cache(name, cached)
            continue
        try:
            data = in_memory[name] if name in in_memory else path.read_bytes()
        except OSError as error:
            results[name] = FileResult(name, [], f"cannot read: {error.strerror or error}")
            continue
        root = projects.root_of(path)
        if cache:
            digest = content_hash(data)
            cached = cache.same_content(name, digest, settings_key, stamp)
            if cached is not None and _still_valid(cached, lambda root=root: projects.get(root), cache):
                results[name] = _from_cache(name, cached)
                continue
            cache_keys[name] = (stamp, digest, settings_key)
        folder_settings = settings.for_folder_of(Path(root) / "pyproject.toml") if root else None
        jobs.append((name, data, file_settings, (root, folder_settings) if root else None))
    for problem in settings.problems:
        print(f"async-patterns: warning: {problem}; using the defaults for it", file=sys.stderr)
    if len(jobs) >= _PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs start-up time; load it only here

        # Listed here once rather than by each worker process.
        for root in {job[3][0] for job in jobs if job[3]}:
            _ = projects.get(root).modules

        with ProcessPoolExecutor(initializer=_start_worker, initargs=(_indexes,)) as pool:
            analysed = list(pool.map(_analyse_job, jobs, chunksize=max(1, len(jobs) // (8 * (os.cpu_count() or 1)))))
    else:
        analysed = [_analyse_job(job) for job in jobs]
    for result in analysed:
        results[result.path] = result
        if cache:
            project = projects.get(projects.root_of(Path(result.path)))
            depends = _dependencies(project, result.depends, cache) if project and result.depends else []
            cache.put(result.path, *cache_keys[result.path], _to_cache(result, depends))
    if cache:
        cache.save({str(path) for path in files})
    ordered = [results[str(path)] for path in files]
    diffs: list[str] = []
    if arguments.fix:
        from async_patterns.cli.fixing import Rewrites, fixed

        rewrites = Rewrites(show_diff=arguments.diff, in_memory=in_memory, diffs=diffs)
        ordered = [fixed(result, settings.for_file(Path(result.path)), rewrites) for result in ordered]
    # `--fix` on standard input prints the fixed text, as editors expect; the report moves to stderr.
    fixed_text_to_stdout = arguments.fix and not arguments.diff and bool(in_memory)
    stream = sys.stderr if fixed_text_to_stdout else sys.stdout
    report_format = default_format(arguments, stream)
    if arguments.diff:
        report = "".join(diffs)
    else:
        report = _report(arguments, report_format, ordered, in_memory, stream)
    if fixed_text_to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(next(iter(in_memory.values())))
        sys.stdout.buffer.flush()
    delivered = _deliver(report, arguments.output_file, stream)
    failed = [result for result in ordered if result.problem]
    for result in failed:
        print(f"{result.path}: error: {result.problem}", file=sys.stderr)
    count = sum(len(result.findings) for result in ordered)
    if report_format in HUMAN_FORMATS and not arguments.diff:
        fixable = sum(1 for result in ordered for finding in result.findings if is_fixable(finding))
        print(
            f"{count} finding{'s' * (count != 1)} ({fixable} fixable) in {len(ordered)} file{'s' * (len(ordered) != 1)}"
            + (f"; {len(failed)} could not be checked" if failed else ""),
            file=sys.stderr,
        )
    if failed or missing or not delivered:
        return EXIT_ERROR
    if arguments.exit_zero:
        return EXIT_CLEAN
    if arguments.diff:
        return EXIT_FINDINGS if diffs else EXIT_CLEAN
    return EXIT_FINDINGS if count else EXIT_CLEAN


def _decodes(data: bytes) -> bool:
    try:
        read_source(data)
    except ValueError:
        return False
    return True


def _checked_files(arguments: argparse.Namespace) -> tuple[list[Path], list[str], dict[str, bytes]]:
    """The files to check, the paths that do not exist, and the texts that are not on disk (stdin)."""
    if not reads_stdin(arguments):
        files, missing = discover([Path(path) for path in arguments.paths or ["."]])
        return files, missing, {}
    data = read_stdin()
    if data is None:
        arguments.usage_error("`-` checks the text piped to standard input, but nothing is piped to it")
    path = Path(arguments.stdin_filename or STDIN_PATH)
    return [path], [], {str(path): data}


def _report(
    arguments: argparse.Namespace, report_format: str, results: list[FileResult], in_memory: dict[str, bytes], stream: TextIO
) -> str:
    if arguments.statistics:
        from async_patterns.cli.statistics import render_statistics

        return render_statistics(results, as_json=report_format == "json")
    colour = arguments.output_file is None and wants_colour(stream)
    return render(report_format, results, ReportContext(colour, _source_reader(in_memory)))


def _source_reader(in_memory: dict[str, bytes]) -> Callable[[str, int | None], str | None]:
    """The text a finding points into, for the formats that show or fingerprint it."""

    def source_of(path: str, cell: int | None) -> str | None:
        try:
            data = in_memory[path] if path in in_memory else Path(path).read_bytes()
            if cell is None:
                return read_source(data)
            from async_patterns.cli.notebooks import Notebook

            return Notebook.read(data).cell_text(cell)
        except (OSError, ValueError):
            return None

    return source_of


def _deliver(report: str, output_file: Path | None, stream: TextIO) -> bool:
    """The report on the stream, or in --output-file (made with its folders); False if it cannot be."""
    if output_file is None:
        stream.write(report)
        stream.flush()
        return True
    try:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(report, encoding="utf-8", newline="")
    except OSError as error:
        print(f"async-patterns: error: cannot write {output_file}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _show(arguments: argparse.Namespace, files: list[Path], settings: _SettingsByFolder, failed: bool) -> int:
    from async_patterns.cli.show import SettingsGroup, show_files, show_settings

    if arguments.show_files:
        text = show_files([str(path) for path in files])
    else:
        # With no file to check, the settings of the named folders (or the working folder).
        targets = files or [Path(path) for path in arguments.paths or ["."]]
        by_source: dict[Path | None, list[str]] = {}
        for path in targets:
            by_source.setdefault(settings.source_of(path), []).append(str(path))
        groups = [
            SettingsGroup(
                str(source) if source else "defaults (no pyproject.toml above these files)",
                settings.for_file(Path(paths[0])),
                frozenset(settings.overridden),
                tuple(paths),
            )
            for source, paths in by_source.items()
        ]
        text = show_settings(groups)
        for problem in settings.problems:
            print(f"async-patterns: warning: {problem}; using the defaults for it", file=sys.stderr)
    delivered = _deliver(text, arguments.output_file, sys.stdout)
    return EXIT_ERROR if failed or not delivered else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command == "run":
        return run.run_command(parser, arguments)
    if arguments.command == "server":
        from async_patterns.lsp.generated_code_cache import import_lsprotocol_types

        reused, compiled = import_lsprotocol_types()
        from async_patterns.lsp.server import serve_stdio

        note = f"protocol types loaded with {reused} of {reused + compiled} generated methods from the start-up cache"
        return serve_stdio(arguments.max_file_bytes, note)
    if arguments.command == "rule":
        from async_patterns.cli.rule_command import run_rule

        return run_rule(arguments)
    return run_check(arguments)
