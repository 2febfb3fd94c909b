"""ASYNC211: `<pool>.request("GET", ...)` in a module that imports urllib3."""

import ast

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid

_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


class LikelyBlockingHttpRequest(BlockingCallRule):
    code = "ASYNC211"
    name = "likely-blocking-http-request"
    message = "{call} looks like a synchronous urllib3 request that blocks the event loop for the whole round trip; {instead}"
    explanation = """\
In a module that imports `urllib3`, a call `x.request("GET", url)` is almost always a urllib3 pool
or connection doing synchronous network I/O, even when the code does not say where `x` came from.
Inside `async def` it blocks the event loop until the response arrives. Use an async HTTP client,
or move the call to a worker thread with `await asyncio.to_thread(x.request, "GET", url)`."""
    instead = "use an async HTTP client or `await asyncio.to_thread(...)`"

    def matches_beyond_tables(self, site: CallSite) -> bool:
        if site.method != "request" or site.receiver_type is not None or "urllib3" not in site.module_imports:
            return False
        first = site.node.args[0] if site.node.args else None
        return isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.upper() in _HTTP_METHODS

    VALID = (
        "import urllib3\nasync def main(pool):\n    await pool.request('GET', '/')\n",
        "async def main(pool):\n    pool.request('GET', '/')\n",
        "import urllib3\nasync def main(client):\n    client.request(method)\n",
    )
    INVALID = (
        Invalid("import urllib3\nasync def main(pool):\n    pool.request('GET', 'https://example.org')\n"),
        Invalid("import urllib3\nasync def main(conn):\n    response = conn.request('post', '/items', body=b'')\n"),
    )
