"""ASYNC212: a method of a synchronous HTTP client object (`httpx.Client`, urllib3 pools)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingHttpClientMethod(BlockingCallRule):
    code = "ASYNC212"
    name = "blocking-http-client-method"
    message = "{call} on a synchronous HTTP client blocks the event loop until the response arrives; {instead}"
    explanation = """\
`httpx.Client` and urllib3's `PoolManager`/`HTTPConnectionPool` are synchronous: each request holds
the calling thread until the server answers. Inside `async def` that thread is the event loop.
Switch to `httpx.AsyncClient` (same API, awaited), or keep the sync client and run the call with
`await asyncio.to_thread(client.get, url)`. The receiver is known from an assignment, a `with`
target or an annotation in the same scope; unknown receivers are never reported."""
    methods = {
        catalogue.HTTPX_CLIENT: frozenset(
            {"close", "delete", "get", "head", "options", "patch", "post", "put", "request", "send", "stream"}
        ),
        catalogue.URLLIB3_POOL: frozenset({"*"}),
    }
    instead = "use `httpx.AsyncClient` or `await asyncio.to_thread(...)`"

    VALID = (
        "import httpx\nasync def main():\n    async with httpx.AsyncClient() as client:\n        await client.get('/')\n",
        "import httpx\ndef main():\n    with httpx.Client() as client:\n        client.get('/')\n",
        "async def main(client):\n    client.get('/')\n",
        "import httpx\nasync def main(client: httpx.AsyncClient):\n    await client.post('/')\n",
    )
    INVALID = (
        Invalid("import httpx\nasync def main():\n    with httpx.Client() as client:\n        client.get('/')\n"),
        Invalid("import httpx\nasync def main(client: httpx.Client):\n    return client.post('/', json={})\n"),
        Invalid("import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.urlopen('GET', '/')\n"),
        Invalid("import httpx\nasync def main():\n    httpx.Client().get('https://example.org')\n"),
    )
