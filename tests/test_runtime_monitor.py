"""The stall monitor's own machinery, in this process: what the programs in test_runtime_run.py
rely on but hit only by timing."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from async_patterns.runtime import monitor as monitor_module
from async_patterns.runtime.monitor import Monitor, SampledFrame, Stall


def test_a_flush_at_exit_waits_for_the_watchdogs_write_in_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A stall in a program's last moments is written by the watchdog while the program exits: the
    # exit's flush must not find "nothing new" and let the process end before the file is written.
    output = tmp_path / "stalls.json"
    monitor = Monitor(100, str(output))
    stalled_at = SampledFrame(str(tmp_path / "app.py"), 7, "handle", True)
    monitor._pending.append(Stall(150.0, (stalled_at,), 0, None))
    records = monitor_module._records()
    write = records.write_atomically
    writing = threading.Event()

    def slow_write(path: str, document: object) -> None:
        writing.set()
        time.sleep(0.3)
        write(path, document)

    monkeypatch.setattr(records, "write_atomically", slow_write)
    watchdog = threading.Thread(target=monitor.flush)
    watchdog.start()
    assert writing.wait(10)
    monitor.flush()  # what atexit calls
    assert [(entry["line"], entry["duration_ms"]) for entry in json.loads(output.read_text(encoding="utf-8"))] == [(7, 150.0)]
    watchdog.join()
