"""AP190: a line where the event loop stalled while the program ran (`async-patterns run`)."""

from async_patterns.analysis.rule import Invalid, RuntimeRule


class LoopStall(RuntimeRule):
    code = "AP190"
    name = "loop-stall"
    # Each finding says how long, how often and where the time went (see `lsp.stalls`).
    message = "{code} blocked the event loop for {duration}{where}"
    explanation = """\
Not found by reading the code: this line was running when the event loop stopped serving every
other task for longer than the threshold (100 ms by default), in a run recorded by
`async-patterns run -- COMMAND` or `pytest --async-stalls`. A watchdog thread noticed that the loop
had not come back to its selector and sampled the loop thread's stack, so the cause can be anything
that keeps the thread busy: CPU work (parsing, hashing, image processing), a blocking call in a
library no table lists, a slow `__del__`. The related locations are the sampled stack, innermost
first. Move the work off the loop: `await asyncio.to_thread(...)` for blocking calls and for CPU
work that releases the GIL, a process pool (`loop.run_in_executor(ProcessPoolExecutor(), ...)`) for
pure-Python CPU work, or an async library. The entry disappears when the line changes or the record
is cleared ("Async Patterns: Clear Recorded Stalls"), and the next run writes a new record."""
    peers = """\
Neither flake8-async nor ruff can see this: it comes from running the program, not from reading it.
At run time, asyncio's debug mode logs callbacks slower than `slow_callback_duration` without the
line that was slow, and BlockBuster raises on a fixed list of blocking functions."""

    VALID = (
        """\
import asyncio
import hashlib
import os


async def register(password: str) -> bytes:
    salt = os.urandom(16)
    digest = await asyncio.to_thread(hashlib.pbkdf2_hmac, "sha256", password.encode(), salt, 600_000)
    return salt + digest


asyncio.run(register("correct horse battery staple"))
""",
    )
    INVALID = (
        Invalid(
            """\
import asyncio
import hashlib
import os


async def register(password: str) -> bytes:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt + digest


asyncio.run(register("correct horse battery staple"))
""",
            fixed="""\
import asyncio
import hashlib
import os


async def register(password: str) -> bytes:
    salt = os.urandom(16)
    digest = await asyncio.to_thread(hashlib.pbkdf2_hmac, "sha256", password.encode(), salt, 600_000)
    return salt + digest


asyncio.run(register("correct horse battery staple"))
""",
        ),
    )
