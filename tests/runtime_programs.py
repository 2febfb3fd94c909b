"""Running programs under `async-patterns run` for the runtime tests, and reading what they left."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from async_patterns.runtime.records import line_fingerprint

RUN = [sys.executable, "-m", "async_patterns", "run"]
TIMEOUT = 120
# Where the programs mark the line a stall must be recorded at.
MARK = "# stall here"


@dataclass
class Run:
    completed: subprocess.CompletedProcess
    record: list[dict]
    folder: Path

    def entry_at(self, name: str, text: str) -> dict:
        """The one entry recorded at the line of file `name` marked in `text`."""
        path, line = str(self.folder / name), marked_line(text)
        found = [entry for entry in self.record if (entry["path"], entry["line"]) == (path, line)]
        assert len(found) == 1, (path, line, self.record, self.completed.stderr)
        return found[0]


def marked_line(text: str) -> int:
    [line] = [number for number, code in enumerate(text.splitlines(), 1) if code.rstrip().endswith(MARK)]
    return line


def run_program(
    folder: Path,
    files: dict[str, str],
    *,
    threshold_ms: float = 100,
    interpreter: str = sys.executable,
    arguments: tuple[str, ...] = (),
    stdin: bytes | None = None,
) -> Run:
    """Write `files` into `folder` and run the first one, monitored, with its own record."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    output = folder / "stalls.json"
    command = [*RUN, "--threshold-ms", str(threshold_ms), "--output", str(output), "--", interpreter, next(iter(files)), *arguments]
    completed = subprocess.run(command, cwd=folder, input=stdin, capture_output=True, timeout=TIMEOUT)
    record = json.loads(output.read_text(encoding="utf-8")) if output.exists() else []
    return Run(completed, record, folder)


def measured_seconds(completed: subprocess.CompletedProcess) -> float:
    """What a program printed as `measured <seconds>`: its own timing of the stall."""
    [line] = [line for line in completed.stdout.decode().splitlines() if line.startswith("measured ")]
    return float(line.split()[1])


def assert_close(recorded_ms: float, real_seconds: float) -> None:
    """Recorded within 20 % of the stall the program measured itself."""
    assert abs(recorded_ms / 1000 - real_seconds) <= 0.2 * real_seconds, (recorded_ms, real_seconds)


def assert_hash_matches(entry: dict, folder: Path) -> None:
    source_line = (folder / Path(entry["path"]).name).read_text(encoding="utf-8").splitlines()[entry["line"] - 1]
    assert entry["line_hash"] == line_fingerprint(source_line)
