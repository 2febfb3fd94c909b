"""ASYNC251: `time.sleep()` inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingSleep(BlockingCallRule):
    code = "ASYNC251"
    name = "blocking-sleep"
    message = "{call} freezes the event loop and every other task for the whole delay; use `await asyncio.sleep(...)`"
    explanation = """\
`time.sleep()` suspends the whole thread. Inside `async def` that thread is the event loop's, so no
other task, timer or network callback runs until the sleep ends: timeouts fire late, heartbeats are
missed and servers stop answering. `await asyncio.sleep(delay)` suspends only the current task and
lets the loop run everything else in the meantime."""
    calls = frozenset({"time.sleep"})
    instead = "use `await asyncio.sleep(...)`"
    fix = "asyncio.sleep"

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
    )
