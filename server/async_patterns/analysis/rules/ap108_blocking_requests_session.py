"""AP108: requests made through a `requests.Session`."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingRequestsSession(BlockingCallRule):
    code = "AP108"
    name = "blocking-requests-session"
    message = "{call} on a `requests.Session` waits for the network with the event loop blocked; {instead}"
    explanation = """\
A `requests.Session` keeps connections alive, but every request through it is still synchronous:
the event loop waits for DNS, the connection and the whole response. ASYNC210 catches the
module-level `requests.get(...)`; this rule catches the same mistake through a session, whether it
is bound to a variable, created in a `with` block, or written inline as `requests.Session().get()`.
Use `aiohttp.ClientSession` or `httpx.AsyncClient`, or `await asyncio.to_thread(session.get, url)`."""
    peers = """\
Neither flake8-async nor ruff has this rule. (their ASYNC210 covers the module-level `requests` functions only.)"""
    methods = {
        catalogue.REQUESTS_SESSION: frozenset(
            {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"}
        )
    }
    instead = "use `aiohttp.ClientSession`/`httpx.AsyncClient` or `await asyncio.to_thread(...)`"

    VALID = (
        "import requests\ndef fetch():\n    with requests.Session() as session:\n        return session.get('https://example.org')\n",
        "import aiohttp\nasync def main():\n    async with aiohttp.ClientSession() as session:\n        async with session.get('https://example.org') as response:\n            return await response.text()\n",
        "async def main(session):\n    session.get('/')\n",
    )
    INVALID = (
        Invalid("import requests\nasync def main():\n    requests.Session().get('https://example.org')\n"),
        Invalid("import requests\nasync def main():\n    with requests.Session() as session:\n        session.post('https://example.org', json={})\n"),
        Invalid("import requests\nhttp = requests.Session()\nasync def main():\n    return http.get('https://example.org')\n"),
    )
