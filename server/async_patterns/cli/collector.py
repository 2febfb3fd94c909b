"""How often the cyclic garbage collector runs in `check`'s worker processes.

An analysis allocates a syntax node per token or so, hundreds of thousands for a large file, and
frees nearly all of them by reference counting. With CPython's default thresholds the collector
still runs after every 700 allocations, and each of its full passes walks every object the process
keeps (the project indexes, the rule tables). Collecting after 20,000 allocations took a fifth off a
cold `check` of the benchmark corpus, for 5 MB more at the peak (benchmarks/cli_bench.py). The
server keeps the defaults: there it made no difference to open or keystroke latency in
benchmarks/lsp_bench.py, and a long-running process is better off collecting its cycles early.
"""

from __future__ import annotations

import gc

# Allocations between collections of the youngest objects; how many of those between collections
# of the middle generation; how many of those between full collections.
THRESHOLDS = (20_000, 50, 100)


def collect_less_often() -> None:
    gc.set_threshold(*THRESHOLDS)
