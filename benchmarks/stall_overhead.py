"""What the loop-stall monitor costs a loop-heavy program: the same workload run plainly and under
`async-patterns run`, alternately, printed side by side.

The workload is many short tasks: 100 workers passing 300,000 items through an asyncio.Queue, and
60 rounds of `gather` over 2,000 `sleep(0)` tasks, so the loop turns over as often as it can. Each run
times itself (wall clock and CPU time of the whole process, the monitor's thread included) around
`asyncio.run`, so interpreter start-up is left out. On a shared machine other work only ever adds
time: the medians, the least CPU time, and the median ratio of each monitored run to the plain run
just before it (which cancels load that drifts during the benchmark) are printed side by side.

    python benchmarks/stall_overhead.py [--runs N] [--loop asyncio|uvloop]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORKLOAD = """\
import asyncio, sys, time


async def worker(queue, results):
    while True:
        item = await queue.get()
        await asyncio.sleep(0)
        results.append(item)
        queue.task_done()


async def main():
    queue, results = asyncio.Queue(), []
    workers = [asyncio.create_task(worker(queue, results)) for _ in range(100)]
    for _ in range(60):
        for item in range(5_000):
            queue.put_nowait(item)
        await queue.join()
        await asyncio.gather(*(asyncio.sleep(0) for _ in range(2_000)))
    for task in workers:
        task.cancel()


if sys.argv[1] == "uvloop":
    import uvloop
    run = uvloop.run
else:
    run = asyncio.run
wall, cpu = time.perf_counter(), time.process_time()
run(main())
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


# As installed: bytecode cached (a first, uncounted run of each command writes what is missing).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _timed(command: list[str]) -> tuple[float, float]:
    completed = subprocess.run(command, capture_output=True, text=True, check=True, env=ENVIRONMENT)
    wall, cpu = completed.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        program = Path(folder) / "workload.py"
        program.write_text(WORKLOAD, encoding="utf-8")
        plain_command = [sys.executable, str(program), arguments.loop]
        monitored_command = [
            sys.executable, "-m", "async_patterns", "run", "--output", str(Path(folder) / "stalls.json"), "--", *plain_command
        ]
        plain, monitored = [], []
        _timed(plain_command), _timed(monitored_command)
        for _ in range(arguments.runs):
            plain.append(_timed(plain_command))
            monitored.append(_timed(monitored_command))
    print(f"{arguments.runs} runs each, {arguments.loop}, Python {sys.version.split()[0]}")
    print(f"{'':<22}{'median wall s':>15}{'median CPU s':>15}{'least CPU s':>15}")
    figures = {}
    for name, runs in (("plain", plain), ("async-patterns run", monitored)):
        figures[name] = (statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs), min(cpu for _, cpu in runs))
        print(f"{name:<22}" + "".join(f"{value:>15.3f}" for value in figures[name]))
    overheads = [(monitored / plain - 1) * 100 for plain, monitored in zip(figures["plain"], figures["async-patterns run"])]
    print(f"{'overhead':<22}" + "".join(f"{value:>14.1f}%" for value in overheads))
    # Each monitored run against the plain run just before it: load that drifts over the minutes
    # of the benchmark cancels out of these ratios.
    paired = [(statistics.median(m[i] / p[i] for p, m in zip(plain, monitored)) - 1) * 100 for i in (0, 1)]
    print(f"{'overhead, paired runs':<22}{paired[0]:>14.1f}%{paired[1]:>14.1f}%")

if __name__ == "__main__":
    main()
