"""`async-patterns run`: run a command with the loop-stall monitor in its Python processes.

The command is run exactly as given, by replacing this process with it (`exec`): its standard
streams, its exit status (a signal included) and Ctrl+C are its own, with nothing in between. Two
things differ: PYTHONPATH starts with `bootstrap/` (whose `sitecustomize` installs the monitor in
every Python process that starts, the command's children included), and two variables tell the
monitor the threshold and where to write. Interpreters started with `-I`, `-E` or `-S` skip
`sitecustomize` and run unwatched.

Before the command starts, the record of the previous run is replaced by an empty one, so what the
editor shows is always this run's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from async_patterns.runtime import monitor, records

BOOTSTRAP = Path(__file__).resolve().parent / "bootstrap"
EXIT_CANNOT_EXECUTE, EXIT_NOT_FOUND = 126, 127


def monitored_environment(environment: dict[str, str], output: Path, threshold_ms: float) -> dict[str, str]:
    """`environment` with the monitor switched on for every Python process started with it."""
    python_path = [str(BOOTSTRAP), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    return {
        **environment,
        "PYTHONPATH": os.pathsep.join(python_path),
        monitor.OUTPUT_VARIABLE: str(output),
        monitor.THRESHOLD_VARIABLE: repr(float(threshold_ms)),
    }


def run(command: Sequence[str], threshold_ms: float, output: Path) -> int | NoReturn:
    """Run `command` monitored; on POSIX this process becomes the command and never returns."""
    output = output.resolve()
    try:
        records.start_record(str(output))
    except OSError as error:
        print(f"async-patterns run: cannot write {output}: {error}", file=sys.stderr)
        return 2
    environment = monitored_environment(dict(os.environ), output, threshold_ms)
    if os.name != "posix":
        try:
            return subprocess.call(list(command), env=environment)
        except OSError as error:
            return _cannot_start(command[0], error)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvpe(command[0], list(command), environment)
    except OSError as error:
        return _cannot_start(command[0], error)


def _cannot_start(program: str, error: OSError) -> int:
    reason = "command not found" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
    print(f"async-patterns run: cannot run {program}: {reason}", file=sys.stderr)
    return EXIT_NOT_FOUND if isinstance(error, FileNotFoundError) else EXIT_CANNOT_EXECUTE
