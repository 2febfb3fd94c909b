"""ASYNC211: `<anything>.request("GET", ...)` in a module that imports urllib3."""

import ast

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, Report

_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
# Receivers whose `request` method ASYNC212 would also report: the finding says it is both.
_KNOWN_SYNC_CLIENTS = frozenset({catalogue.URLLIB3_POOL, catalogue.HTTPX_CLIENT})


def is_literal_method_request(site: CallSite) -> bool:
    """`x.request("get", ...)`: a literal HTTP method name first, in a module that imports urllib3."""
    if site.method != "request" or "urllib3" not in site.module_imports:
        return False
    first = site.node.args[0] if site.node.args else None
    return isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.upper() in _HTTP_METHODS


class LikelyBlockingHttpRequest(BlockingCallRule):
    code = "ASYNC211"
    imports_read = frozenset({"urllib3"})
    name = "likely-blocking-http-request"
    message = (
        "{call} looks like a synchronous HTTP request (this module imports urllib3) that blocks the event loop "
        "for the whole round trip; {instead}"
    )
    explanation = """\
In a module that imports `urllib3`, a call `x.request("GET", url)` (any HTTP method name, in any
letter case, as the first argument) is almost always a urllib3 pool or connection doing synchronous
network I/O, whatever `x` is. Inside `async def` it blocks the event loop until the response
arrives. Use an async HTTP client (`httpx.AsyncClient`, `httpx2.AsyncClient`, aiohttp), or move the
call to a worker thread with `await asyncio.to_thread(x.request, "GET", url)`.

When the receiver is known to be a urllib3 pool or an `httpx.Client`, ASYNC212 applies too; this
shape is reported once, as ASYNC211 (as flake8-async names it), so `# noqa: ASYNC211` keeps
working, and `# noqa: ASYNC212` silences it as well. With ASYNC211 switched off such a call is
reported as ASYNC212. The pool's other methods (`urlopen`, `request_encode_url`, ...) stay ASYNC212."""
    peers = """\
Same meaning as flake8-async's. Where the receiver is also known to be a sync client (ASYNC212),
flake8-async reports both codes; here one finding, ASYNC211, that either code silences. ruff has no
ASYNC211."""
    instead = "use an async HTTP client or `await asyncio.to_thread(...)`"

    def matches_beyond_tables(self, site: CallSite) -> bool:
        return is_literal_method_request(site)

    def report(self, site: CallSite) -> Report:
        report = super().report(site)
        if site.receiver_type in _KNOWN_SYNC_CLIENTS:
            report.data["also"] = ["ASYNC212"]
        return report

    VALID = (
        "import urllib3\nasync def main(pool):\n    await pool.request('GET', '/')\n",
        "async def main(pool):\n    pool.request('GET', '/')\n",
        "import urllib3\nasync def main(client):\n    client.request(method)\n",
        "import urllib3\nasync def main(client):\n    client.request('FETCH', '/')\n",
        "import urllib3\ndef main(pool):\n    pool.request('GET', '/')\n",
        "import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.request('DELETE', '/')  # noqa: ASYNC212\n",
    )
    INVALID = (
        Invalid("import urllib3\nasync def main(pool):\n    pool.request('GET', 'https://example.org')\n"),
        Invalid("import urllib3\nasync def main(conn):\n    response = conn.request('post', '/items', body=b'')\n"),
        Invalid("import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.request('Get', '/')\n"),
        Invalid("import urllib3.poolmanager\nasync def main(session):\n    session.http.request('TRACE', '/')\n"),
        Invalid("import urllib3\nasync def main(make):\n    make().request('CONNECT', 'proxy:80')\n"),
        Invalid("import httpx, urllib3\nasync def main(client: httpx.Client):\n    client.request('PUT', '/')\n"),
    )
