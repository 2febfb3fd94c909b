"""The `run` command's arguments: `async-patterns run [--threshold-ms N] [--output FILE] -- COMMAND...`."""

from __future__ import annotations

import argparse
from pathlib import Path

from async_patterns.runtime import monitor, records


def add_parser(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="run a command with the event-loop stall monitor; stalls go to .async-patterns/stalls.json",
        description="Run COMMAND (exactly as given) with a monitor in its Python processes that records where "
        "an asyncio event loop stalled for longer than the threshold.",
    )
    run.add_argument(
        "--threshold-ms",
        type=_milliseconds,
        default=monitor.DEFAULT_THRESHOLD_MS,
        metavar="N",
        help=f"record stalls longer than N milliseconds (default {monitor.DEFAULT_THRESHOLD_MS:g})",
    )
    run.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help=f"where to write the record (default {records.FOLDER}/{records.FILE_NAME} in the current folder)",
    )
    run.add_argument("program", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS...]")


def _milliseconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 3_600_000:
        raise argparse.ArgumentTypeError(f"expected a positive number of milliseconds, got {text!r}")
    return value


def run_command(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> int:
    command = list(arguments.program)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        parser.error("run: give the command to run after --, e.g. async-patterns run -- python app.py")
    output = arguments.output or Path(records.default_output("."))
    from async_patterns.runtime import launcher  # only the `run` command starts programs

    return launcher.run(command, arguments.threshold_ms, output)
