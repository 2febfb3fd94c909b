"""ASYNC251: `time.sleep()` inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, Report, is_constant, keyword_value


class BlockingSleep(BlockingCallRule):
    code = "ASYNC251"
    name = "blocking-sleep"
    message = "{call} freezes the event loop and every other task for the whole delay; use `await asyncio.sleep(...)`"
    explanation = """\
`time.sleep()` suspends the whole thread. Inside `async def` that thread is the event loop's, so no
other task, timer or network callback runs until the sleep ends: timeouts fire late, heartbeats are
missed and servers stop answering. `await asyncio.sleep(delay)` suspends only the current task and
lets the loop run everything else in the meantime.

`time.sleep(0)` (or `0.0`) does not block and is not reported as a problem. It does not yield to
the event loop either, so where the intent was to let other tasks run, the editor shows a hint-level
suggestion (faint dots, not in the Problems panel; never counted by the command line) with a fix to
`await asyncio.sleep(0)` that "fix all" leaves alone."""
    peers = """\
Same meaning as flake8-async's and ruff's, except `time.sleep(0)`: it blocks nothing, so it is only
a hint-level suggestion here, where both peers report it. As for every blocking-call rule here
(not in the peers), a coroutine a thread runner runs on its own thread's loop (textual's
`@work(thread=True)`, the `thread-decorators` setting) is not on the caller's loop and is not
checked, and default values (evaluated once, at definition) are not either."""
    calls = frozenset({"time.sleep"})
    instead = "use `await asyncio.sleep(...)`"
    fix = "asyncio.sleep"
    zero_message = (
        "{call} with a zero delay does not block, but it does not let other tasks run either; "
        "`await asyncio.sleep(0)` does, if that is what is meant"
    )

    def report(self, site: CallSite) -> Report:
        if is_constant(keyword_value(site.node, "secs", 0), 0):
            # No wait: a suggestion, shown as a hint and never counted as a problem.
            data = {"call": "time.sleep", "fix": "yield_to_loop", "suggestion": True}
            return Report(site.node, self.zero_message.format(call=site.display), data, severity="hint")
        return super().report(site)

    VALID = (
        "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n",
        "import time\ndef sync_pause():\n    time.sleep(1)\n",
        "import time\nasync def main():\n    def pause():\n        time.sleep(1)\n    await asyncio.to_thread(pause)\n",
        "import time\nasync def main(loop):\n    await loop.run_in_executor(None, lambda: time.sleep(1))\n",
        "import asyncio, time\nasync def main():\n    await asyncio.to_thread(time.sleep, 1)\n",
        "from trio import sleep\nasync def main():\n    await sleep(1)\n",
        "import time\nasync def main(sleep=time.sleep(0)):\n    pass\n",
        "import time\nasync def main():\n    time.sleep(1)  # noqa: ASYNC251\n",
        "import time\nasync def main():\n    time.sleep(1)  # noqa\n",
        "def sleep(seconds):\n    pass\nasync def main():\n    sleep(1)\n",
        "import time\nasync def main():\n    time.sleep(0)\n    time.sleep(0.0)\n",
        "import time\nfrom textual import work\nclass Loader:\n    @work(thread=True, exclusive=True)\n    async def load(self):\n"
        "        time.sleep(1)\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nimport time\n\n\nasync def main():\n    time.sleep(1)\n",
            fixed="import asyncio\nimport time\n\n\nasync def main():\n    await asyncio.sleep(1)\n",
        ),
        Invalid("from time import sleep\nasync def main():\n    sleep(0.5)\n"),
        Invalid("import time as t\nasync def main():\n    t.sleep(2)\n"),
        Invalid("import time\nclass Worker:\n    async def run(self):\n        time.sleep(1)\n"),
        Invalid("import time\nasync def main():\n    results = [time.sleep(1) for _ in range(3)]\n"),
        Invalid("import time\nasync def main():\n    time.sleep(1)  # noqa: ASYNC210\n"),
        Invalid("import time\nfrom textual import work\nclass Loader:\n    @work(exclusive=True)\n    async def load(self):\n"
                "        time.sleep(1)\n"),
    )
    # A cell may block at its top level (a plain cell does); inside `async def` the loop stalls.
    NOTEBOOK_VALID = ("import time\n# %%\ntime.sleep(1)\n",)
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio, time\n# %%\nasync def tick():\n    time.sleep(1)\n# %%\nawait tick()\n",
            fixed="import asyncio, time\n# %%\nasync def tick():\n    await asyncio.sleep(1)\n# %%\nawait tick()\n",
        ),
    )
