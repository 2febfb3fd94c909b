"""The stalls.json format: parts of several processes merge into one record; what a reader accepts."""

from __future__ import annotations

import json
from pathlib import Path

from async_patterns.runtime.records import (
    MAX_ENTRIES,
    MAX_FRAMES,
    Frame,
    line_fingerprint,
    merge_parts,
    parse_records,
    start_record,
    write_atomically,
)


def part_entry(path: str, line: int, durations: list[float], tests: list[str] = [], frames: int = 2) -> dict:
    return {
        "path": path,
        "line": line,
        "function": "f",
        "line_hash": "h",
        "coroutine": True,
        "count": len(durations),
        "duration_ms": max(durations),
        "total_ms": sum(durations),
        "durations_ms": durations,
        "frames": [{"path": path, "line": number, "function": "f"} for number in range(1, frames + 1)],
        "tests": tests,
    }


def test_parts_of_several_processes_merge_per_place_with_exact_medians():
    merged = merge_parts(
        [
            [part_entry("/a.py", 3, [100.0, 300.0], ["t1"]), part_entry("/b.py", 1, [150.0])],
            [part_entry("/a.py", 3, [200.0, 400.0], ["t1", "t2"], frames=5)],
        ]
    )
    assert [(entry["path"], entry["line"]) for entry in merged] == [("/a.py", 3), ("/b.py", 1)]
    first = merged[0]
    assert (first["count"], first["duration_ms"], first["median_ms"], first["total_ms"]) == (4, 400.0, 250.0, 1000.0)
    assert first["tests"] == ["t1", "t2"]
    assert len(first["frames"]) == 5  # the longest stall's stack
    assert "durations_ms" not in first and "tests" not in merged[1]


def test_a_record_is_capped_to_the_costliest_places_and_their_innermost_frames():
    parts = [[part_entry(f"/m{number}.py", 1, [float(number)], frames=MAX_FRAMES + 10) for number in range(MAX_ENTRIES + 50)]]
    merged = merge_parts(parts)
    assert len(merged) == MAX_ENTRIES
    assert merged[0]["path"] == f"/m{MAX_ENTRIES + 49}.py"
    assert [frame["line"] for frame in merged[0]["frames"]] == list(range(11, MAX_FRAMES + 11))


def test_relative_paths_are_read_from_the_folder_of_the_run():
    record = json.dumps([{**part_entry("src/app.py", 2, [120.0]), "frames": [{"path": "src/app.py", "line": 2, "function": "f"}]}])
    [entry] = parse_records(record.encode(), base="/project").entries
    assert entry.path == "/project/src/app.py" and entry.frames == (Frame("/project/src/app.py", 2, "f"),)
    assert parse_records(record.encode()).problem == "1 malformed entry ignored"


def test_the_line_fingerprint_ignores_surrounding_whitespace_only():
    assert line_fingerprint("    x = f(1)\r") == line_fingerprint("x = f(1)")
    assert line_fingerprint("x = f(1)") != line_fingerprint("x = f(2)")


def test_a_new_record_replaces_the_old_one_and_its_parts(tmp_path: Path):
    output = tmp_path / ".async-patterns" / "stalls.json"
    parts = tmp_path / ".async-patterns" / "stalls.json.parts"
    parts.mkdir(parents=True)
    (parts / "1.json").write_text("[]")
    output.write_text("[1]")
    start_record(str(output))
    assert json.loads(output.read_text()) == [] and not parts.exists()
    assert (tmp_path / ".async-patterns" / ".gitignore").read_text().endswith("*\n")
    write_atomically(str(output), [{"a": "日本"}])
    assert sorted(path.name for path in output.parent.iterdir()) == [".gitignore", "stalls.json"]
    assert json.loads(output.read_text(encoding="utf-8")) == [{"a": "日本"}]
