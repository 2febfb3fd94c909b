"""How often the cyclic garbage collector runs in the server and in `check`'s worker processes.

An analysis allocates a syntax node per token or so, hundreds of thousands for a large file, and
frees nearly all of them by reference counting. With CPython's default thresholds the collector
still runs after every 700 allocations, and each of its full passes walks every object the process
keeps (the project indexes, the open documents, the rule tables). Collecting after 20,000
allocations took a fifth off a cold `check` of the benchmark corpus, for 5 MB more at the peak
(benchmarks/cli_bench.py), and a fifth off opening a 7,000-line file in the server, keystrokes
unchanged (benchmarks/lsp_bench.py); the server's memory over a long session is soak_bench.py's.
"""

from __future__ import annotations

import gc

# Allocations between collections of the youngest objects; how many of those between collections
# of the middle generation; how many of those between full collections.
THRESHOLDS = (20_000, 50, 100)


def collect_less_often() -> None:
    gc.set_threshold(*THRESHOLDS)
