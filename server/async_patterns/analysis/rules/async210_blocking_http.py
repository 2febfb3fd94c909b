"""ASYNC210: a synchronous HTTP request (`requests`, `httpx`, `urllib`) inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid

_VERBS = ("get", "options", "head", "post", "put", "patch", "delete", "request")


class BlockingHttpCall(BlockingCallRule):
    code = "ASYNC210"
    name = "blocking-http-call"
    message = "{call} waits for the network with the event loop blocked, stalling every other task; {instead}"
    explanation = """\
`requests`, the module-level functions of `httpx` and of `httpx2` (its maintained continuation),
`urllib3.request` and `urllib`'s `urlopen` do their network I/O synchronously: the thread waits for
DNS, the connection, and the whole response. Inside `async def` that thread runs the event loop, so
nothing else progresses for the full round trip (seconds on a slow server). Use an async client
(`aiohttp.ClientSession`, `httpx.AsyncClient`, `httpx2.AsyncClient`) or, for a one-off call, move
it off the loop with `await asyncio.to_thread(requests.get, url)`."""
    peers = """\
Same calls as flake8-async (`requests`, `httpx`, `httpx2`, `urllib3.request`, `urlopen` also imported
bare); `urllib.request.urlretrieve` besides. ruff misses `httpx2` and a bare `urlopen`."""
    calls = frozenset(
        {f"{module}.{verb}" for module in ("requests", "httpx", "httpx2") for verb in _VERBS}
        | {"urllib3.request", "urllib.request.urlopen", "urllib.request.urlretrieve"}
    )
    instead = "use an async client (aiohttp, `httpx.AsyncClient`, `httpx2.AsyncClient`) or `await asyncio.to_thread(...)`"

    VALID = (
        "import httpx\nasync def main():\n    async with httpx.AsyncClient() as client:\n        await client.get('https://example.org')\n",
        "import requests\ndef fetch():\n    return requests.get('https://example.org')\n",
        "import asyncio, requests\nasync def main():\n    await asyncio.to_thread(requests.get, 'https://example.org')\n",
        "import aiohttp\nasync def main(session: aiohttp.ClientSession):\n    async with session.get('https://example.org') as response:\n        return await response.text()\n",
        "async def main(client):\n    return await client.get('/')\n",
        "import httpx2\nasync def main():\n    async with httpx2.AsyncClient() as client:\n        await client.get('https://example.org')\n",
    )
    INVALID = (
        Invalid(
            "import requests\nasync def main():\n    requests.get('https://example.org')\n",
            fixed="import asyncio\nimport requests\nasync def main():\n"
            "    await asyncio.to_thread(requests.get, 'https://example.org')\n",
        ),
        Invalid("import httpx\nasync def main():\n    response = httpx.post('https://example.org', json={})\n"),
        Invalid("from urllib.request import urlopen\nasync def main():\n    return urlopen('https://example.org').read()\n"),
        Invalid("from urllib import request\nasync def main():\n    request.urlopen('https://example.org')\n"),
        Invalid("import urllib.request\nasync def main():\n    urllib.request.urlopen('https://example.org')\n"),
        Invalid(
            "import httpx2\nasync def main():\n    httpx2.get('https://example.org')\n",
            fixed="import asyncio\nimport httpx2\nasync def main():\n    await asyncio.to_thread(httpx2.get, 'https://example.org')\n",
        ),
        Invalid("from httpx2 import request\nasync def main():\n    request('GET', 'https://example.org')\n"),
    )
