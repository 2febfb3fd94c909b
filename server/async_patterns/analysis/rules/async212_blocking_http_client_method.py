"""ASYNC212: a method of a synchronous HTTP client object (`httpx.Client`, urllib3 pools)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid
from async_patterns.analysis.rules.async211_blocking_http_request_method import is_literal_method_request


class BlockingHttpClientMethod(BlockingCallRule):
    code = "ASYNC212"
    # Leaves `x.request("GET", ...)` to ASYNC211 in a module that imports urllib3.
    imports_read = frozenset({"urllib3"})
    name = "blocking-http-client-method"
    message = "{call} on a synchronous HTTP client blocks the event loop until the response arrives; {instead}"
    explanation = """\
`httpx.Client` (and `httpx2.Client`, its maintained continuation) and urllib3's pools and managers
(`PoolManager`, `ProxyManager`, `HTTPConnectionPool`, `HTTPSConnectionPool`, `RequestMethods`, under
any of their module paths) are synchronous: each request holds the calling thread until the server
answers. Inside `async def` that thread is the event loop. Switch to `httpx.AsyncClient` (or
`httpx2.AsyncClient`: same API, awaited), or keep the sync client and run the call with
`await asyncio.to_thread(client.get, url)`. The receiver is known from an assignment (also at
module level), a `with` target or an annotation (`Optional[...]` and quoted ones too);
unknown receivers are never reported. `client.request("GET", ...)` in a module that imports
urllib3 is reported as ASYNC211 (see there)."""
    peers = """\
Same clients and methods as flake8-async (httpx/httpx2 clients, urllib3 pools and managers under
all their module paths); receivers are also known from module-level assignments and
`Optional[...]`/quoted annotations. ruff covers httpx only."""
    methods = {
        catalogue.HTTPX_CLIENT: frozenset(
            {"close", "delete", "get", "head", "options", "patch", "post", "put", "request", "send", "stream"}
        ),
        catalogue.URLLIB3_POOL: frozenset({"*"}),
    }
    instead = "use `httpx.AsyncClient` (or `httpx2.AsyncClient`) or `await asyncio.to_thread(...)`"

    def accepts(self, site: CallSite) -> bool:
        # `client.request("GET", ...)` in a module importing urllib3 is ASYNC211's, while it is on.
        return not (is_literal_method_request(site) and self.settings.is_enabled("ASYNC211"))

    VALID = (
        "import httpx\nasync def main():\n    async with httpx.AsyncClient() as client:\n        await client.get('/')\n",
        "import httpx\ndef main():\n    with httpx.Client() as client:\n        client.get('/')\n",
        "async def main(client):\n    client.get('/')\n",
        "import httpx\nasync def main(client: httpx.AsyncClient):\n    await client.post('/')\n",
        "import httpx\nclient = httpx.Client()\nclient = httpx.AsyncClient()\nasync def main():\n    await client.post('/')\n",
        "import httpx\nasync def main():\n    client: httpx.Client = httpx.Client()\n    client: Wrapped = wrap(client)\n"
        "    await client.post('/')\n",
    )
    INVALID = (
        Invalid("import httpx\nasync def main():\n    with httpx.Client() as client:\n        client.get('/')\n"),
        Invalid("import httpx\nasync def main(client: httpx.Client):\n    return client.post('/', json={})\n"),
        Invalid("import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.urlopen('GET', '/')\n"),
        Invalid("import httpx\nasync def main():\n    httpx.Client().get('https://example.org')\n"),
        Invalid("import httpx2\nasync def main(client: 'httpx2.Client | None'):\n    client.stream('GET', '/')\n"),
        Invalid("import httpx\nclient = httpx.Client()\nasync def main():\n    client.post('/')\n"),
        Invalid("from typing import Optional\nimport urllib3\nasync def main(pool: Optional[urllib3.connectionpool.HTTPSConnectionPool]):\n"
                "    pool.urlopen('GET', '/')\n"),
        Invalid("import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.request('GET', '/')\n",),
    )
    EXAMPLE_SETTINGS = {"ignore": ["ASYNC211"]}
