"""ASYNC250: `input()` inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingInput(BlockingCallRule):
    code = "ASYNC250"
    name = "blocking-input"
    message = "{call} blocks the event loop until the user presses Enter; {instead}"
    explanation = """\
`input()` waits for a line on standard input. Inside `async def` the event loop waits with it, for
as long as the user takes, and every other task is frozen. Read it in a worker thread with
`await asyncio.to_thread(input, prompt)`, or read `sys.stdin` through an asyncio stream."""
    peers = """\
Same meaning as flake8-async's and ruff's."""
    calls = frozenset({"builtins.input"})
    instead = "use `await asyncio.to_thread(input, ...)`"

    VALID = (
        "import asyncio\nasync def main():\n    return await asyncio.to_thread(lambda: input('name? '))\n",
        "import asyncio\nasync def main():\n    return await asyncio.to_thread(input, 'name? ')\n",
        "def ask():\n    return input('name? ')\n",
    )
    INVALID = (
        Invalid(
            "async def main():\n    name = input('name? ')\n",
            fixed="import asyncio\n\nasync def main():\n    name = await asyncio.to_thread(input, 'name? ')\n",
        ),
    )
