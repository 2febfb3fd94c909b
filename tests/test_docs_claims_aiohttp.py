"""Claims about aiohttp's client and server, run against the release the test extras pin.

Every check talks to a local aiohttp server, so it runs offline. The mechanism (how sentences are
found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import json
import os
import signal
import subprocess
import sys
import warnings

import pytest

from async_patterns.docs.facts import facts_for
from docs_claims import claim, run

aiohttp = pytest.importorskip("aiohttp")
from aiohttp import web  # noqa: E402 (only once aiohttp is known to be there)

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
REQUEST_NAMES = (*(f"aiohttp.ClientSession.{verb}" for verb in VERBS), "aiohttp.ClientSession.request")
VERB_NAMES = REQUEST_NAMES[:-1]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


@contextlib.asynccontextmanager
async def serving(app: web.Application, **runner_options):
    """The app on a free local port; yields its base URL and cleans the runner up after."""
    runner = web.AppRunner(app, **runner_options)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def app_with(*routes: tuple[str, str, object]) -> web.Application:
    app = web.Application()
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    return app


async def echo_method(request: web.Request) -> web.Response:
    return web.Response(text=request.method, headers={"X-Method": request.method})


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


# --- ClientSession and its requests ---------------------------------------------------------------------


@claim("aiohttp.ClientSession", "The HTTP client: it owns a connection pool, cookies and default headers.")
@claim("aiohttp-patterns.md", "A `ClientSession` owns a connection pool, a DNS cache and cookies.")
@claim("aiohttp-patterns.md", "The `TCPConnector` is the pool behind the session.")
@claim("aiohttp.TCPConnector", "The connection pool behind a ClientSession: total and per-host connection limits, keep-alive, DNS caching and TLS settings.")
def test_a_session_owns_a_pool_cookies_and_default_headers() -> None:
    async def main() -> None:
        async with aiohttp.ClientSession(headers={"X-Default": "1"}) as session:
            assert isinstance(session.connector, aiohttp.TCPConnector)
            assert isinstance(session.cookie_jar, aiohttp.abc.AbstractCookieJar)
            assert session.headers["X-Default"] == "1"
        parameters = inspect.signature(aiohttp.TCPConnector).parameters
        assert {"limit", "limit_per_host", "keepalive_timeout", "use_dns_cache", "ttl_dns_cache", "ssl"} <= set(parameters)

    run(main)


@claim(VERB_NAMES, "and returns an async context manager yielding a ClientResponse.")
@claim("aiohttp.ClientSession.request", "Returns an async context manager yielding a ClientResponse.")
def test_each_verb_sends_its_method() -> None:
    async def main() -> None:
        async with serving(app_with(("*", "/", echo_method))) as base, aiohttp.ClientSession(base) as session:
            for verb in VERBS:
                async with getattr(session, verb)("/") as response:
                    assert isinstance(response, aiohttp.ClientResponse)
                    assert response.headers["X-Method"] == verb.upper()
            async with session.request("PROPFIND", "/") as response:
                assert await response.text() == "PROPFIND"

    run(main)


@claim(VERB_NAMES, "hand their keyword arguments (params, json, data, headers, timeout, ...) to the session's internal `_request()`")
@claim("aiohttp.ClientSession.request", "it and the verb shortcuts (`get`, `post`, ...) all call the session's internal `_request()`.")
def test_verb_shortcuts_call_the_internal_request() -> None:
    for verb in VERBS:
        source = inspect.getsource(getattr(aiohttp.ClientSession, verb))
        assert "self._request(" in source and "self.request(" not in source, verb
    assert "self._request(" in inspect.getsource(aiohttp.ClientSession.request)


@claim(REQUEST_NAMES, "Use it as `async with session.get(...) as response:` so the connection goes back to the pool")
@claim("aiohttp-patterns.md", "Read the body inside the `async with` block; leaving it releases the connection back to the pool.")
@claim("aiohttp.ClientResponse", "Read the body inside the `async with`; after it the connection is released.")
def test_an_unreleased_response_holds_its_connection() -> None:
    async def main() -> None:
        async with serving(app_with(("GET", "/", hello), ("GET", "/slow", slow_body))) as base:
            connector = aiohttp.TCPConnector(limit=1)
            async with aiohttp.ClientSession(base, connector=connector) as session:
                async with session.get("/") as response:
                    pass
                with pytest.raises(aiohttp.ClientConnectionError):
                    await response.text()  # too late: released
                held = await session.get("/slow")  # its body is never read nor released
                with pytest.raises(aiohttp.ServerTimeoutError):
                    await session.get("/", timeout=aiohttp.ClientTimeout(connect=0.1))
                held.release()
                async with session.get("/") as response:
                    assert await response.text() == "hello"

    run(main)


@claim(REQUEST_NAMES, "Non-2xx statuses do not raise by default")
@claim("aiohttp-patterns.md", "Non-2xx responses do not raise on their own: call `raise_for_status()` or create the session with `raise_for_status=True`.")
@claim("aiohttp.ClientResponse.raise_for_status", "Raises ClientResponseError if the status is 400 or above.")
@claim("aiohttp.ClientResponse.raise_for_status", "Not a coroutine: no `await`.")
@claim("aiohttp.ClientResponse.raise_for_status", "The error does not include the body")
@claim("aiohttp.ClientResponseError", "Raised by `raise_for_status()`; carries `status`, `message`, `headers`, `request_info`.")
@claim("aiohttp-patterns.md", "`ClientResponseError` (from `raise_for_status()`) carries `status`, `headers` and the request info.")
def test_error_statuses_raise_only_when_asked() -> None:
    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="the body")

    async def main() -> None:
        async with serving(app_with(("GET", "/{code}", status))) as base:
            async with aiohttp.ClientSession(base) as session:
                async with session.get("/399") as response:
                    assert response.raise_for_status() is None
                async with session.get("/404") as response:
                    assert response.status == 404
                    with pytest.raises(aiohttp.ClientResponseError) as caught:
                        response.raise_for_status()
                    error = caught.value
                    assert error.status == 404 and error.headers is not None and error.request_info.url.path == "/404"
                    assert "the body" not in str(error) and not hasattr(error, "body")
                    assert await response.text() == "the body"
            assert not inspect.iscoroutinefunction(aiohttp.ClientResponse.raise_for_status)
            async with aiohttp.ClientSession(base, raise_for_status=True) as strict:
                with pytest.raises(aiohttp.ClientResponseError):
                    async with strict.get("/500"):
                        pass

    run(main)


@claim(REQUEST_NAMES, "a new session per call loses connection reuse and leaks sockets when not closed.")
@claim("aiohttp.ClientSession", "A session per request throws away keep-alive and DNS caching; reuse one.")
@claim("aiohttp.ClientSession", "Not closing it logs \"Unclosed client session\" and leaks connections")
@claim("aiohttp-patterns.md", "Creating one per request throws all of that away: every request pays a new TCP (and TLS) handshake, and sessions that are not closed leak sockets and log \"Unclosed client session\".")
@claim("performance.md", "Each call creates a new pool, resolves DNS again, opens a new connection (and TLS session), and tears it all down.")
@claim("performance.md", "A pool keeps connections open and reuses them")
def test_a_shared_session_reuses_one_connection_and_an_unclosed_one_is_reported() -> None:
    peers: set = set()

    async def remember(request: web.Request) -> web.Response:
        peers.add(request.transport.get_extra_info("peername"))
        return web.Response(text="ok")

    async def main(loop_errors: list[str]) -> tuple[int, int]:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: loop_errors.append(context["message"]))
        async with serving(app_with(("GET", "/", remember))) as base:
            async with aiohttp.ClientSession(base) as shared:
                for _ in range(5):
                    async with shared.get("/") as response:
                        await response.read()
            reused = len(peers)
            peers.clear()
            for _ in range(5):
                async with aiohttp.ClientSession(base) as one_off, one_off.get("/") as response:
                    await response.read()
            fresh = len(peers)
            leaked = aiohttp.ClientSession(base)
            async with leaked.get("/") as response:
                await response.read()
            del leaked, response
            gc.collect()
            await asyncio.sleep(0)
        return reused, fresh

    errors: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        assert asyncio.run(main(errors)) == (1, 5)
    assert "Unclosed client session" in errors


@claim("aiohttp.ClientSession", "Creating it outside a running loop (at import time) raises RuntimeError")
@claim("aiohttp.TCPConnector", "Create it inside a running loop, like the session.")
@claim("aiohttp-patterns.md", "Create the session inside a coroutine (or a cleanup context, below), never at import time: it binds to the running loop.")
def test_a_session_or_connector_needs_a_running_loop() -> None:
    for make in (aiohttp.ClientSession, aiohttp.TCPConnector):
        with pytest.raises(RuntimeError, match="no running event loop"):
            make()

    async def main() -> bool:
        async with aiohttp.ClientSession() as session:
            return session._loop is asyncio.get_running_loop()

    assert run(main) is True


@claim("aiohttp.ClientSession.close", "Closes the session and its connector, releasing every pooled connection.")
@claim("aiohttp.ClientSession.close", "It is a coroutine: `session.close()` without `await` closes nothing.")
@claim("aiohttp.ClientSession.close", "Sessions shared with a connector created elsewhere close that connector too unless `connector_owner=False`.")
def test_closing_a_session_closes_its_connector_unless_told_otherwise() -> None:
    async def main() -> None:
        session = aiohttp.ClientSession()
        pending = session.close()
        assert inspect.iscoroutine(pending) and not session.closed
        await pending
        assert session.closed and session.connector is None
        shared = aiohttp.TCPConnector()
        async with aiohttp.ClientSession(connector=shared):
            pass
        assert shared.closed
        kept = aiohttp.TCPConnector()
        async with aiohttp.ClientSession(connector=kept, connector_owner=False):
            pass
        assert not kept.closed
        await kept.close()

    run(main)


# --- timeouts and the connector -------------------------------------------------------------------------


async def slow_body(request: web.Request) -> web.StreamResponse:
    """Headers at once, then a body in pieces `gap` seconds apart."""
    gap, pieces = float(request.query.get("gap", "0.05")), int(request.query.get("pieces", "4"))
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(pieces):
        await asyncio.sleep(gap)
        await response.write(b"x" * 1000)
    return response


@claim("aiohttp.ClientTimeout", "Timeout settings for a session or a single request")
@claim("aiohttp.ClientTimeout", "The session default is `total=300` seconds")
@claim("aiohttp.ClientTimeout", "`total` covers reading the body too; streaming downloads need `total=None` with `sock_read` set instead.")
@claim("aiohttp.ClientResponse", "Headers arrive before the body: reading the body can still fail or time out.")
@claim("aiohttp.ClientResponse.content", "The session's `total` timeout covers the whole download; use `sock_read` instead.")
@claim("aiohttp.ClientError", "A `total` timeout raises `asyncio.TimeoutError` (the built-in TimeoutError since Python 3.11), which is not a ClientError")
@claim("aiohttp.ClientError", "Catch it (and `asyncio.TimeoutError`) around a request to handle every network failure.")
@claim("aiohttp-patterns.md", "The session's default timeout is 5 minutes in total")
@claim("aiohttp-patterns.md", "Set a `ClientTimeout` on the session and override it per request where needed.")
@claim("aiohttp-patterns.md", "`total`: the whole operation, including connecting, sending and reading the body.")
@claim("aiohttp-patterns.md", "`sock_read`: the longest pause between two reads from the socket.")
@claim("aiohttp-patterns.md", "Streaming downloads use `total=None` with a `sock_read` limit, so a large but healthy download is not cut off while a stalled one is.")
@claim("aiohttp-patterns.md", "A `total` timeout raises `asyncio.TimeoutError` (the built-in `TimeoutError` since Python 3.11), which is not a `ClientError` (the other timeouts raise subclasses of both)")
def test_total_covers_the_body_and_sock_read_the_gaps() -> None:
    async def main() -> None:
        async with serving(app_with(("GET", "/", slow_body))) as base:
            async with aiohttp.ClientSession(base) as default:
                assert default.timeout.total == 300
            async with aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=0.1)) as session:
                async with session.get("/?gap=0.05&pieces=6") as response:
                    assert response.status == 200  # the headers came in time
                    with pytest.raises(asyncio.TimeoutError) as caught:
                        await response.read()
                assert not isinstance(caught.value, aiohttp.ClientError)
                streaming = aiohttp.ClientTimeout(total=None, sock_read=0.5)
                async with session.get("/?gap=0.05&pieces=6", timeout=streaming) as response:
                    assert len(await response.read()) == 6000  # longer than 0.1 s, never a long gap
                stalled = aiohttp.ClientTimeout(total=None, sock_read=0.05)
                async with session.get("/?gap=0.3&pieces=1", timeout=stalled) as response:
                    with pytest.raises(aiohttp.ServerTimeoutError) as caught:
                        await response.read()
                assert isinstance(caught.value, aiohttp.ClientError) and isinstance(caught.value, asyncio.TimeoutError)

    run(main)


@claim("aiohttp.ClientTimeout", "`connect` for getting a connection (including waiting for the pool)")
@claim("aiohttp.TCPConnector", "`limit=100` total by default: requests beyond it wait for a free connection, and that wait counts against the `connect` timeout.")
@claim("aiohttp-patterns.md", "`limit` caps connections in total (default 100), `limit_per_host` caps them per host (default 0: no per-host cap), `ttl_dns_cache` keeps DNS answers (default 10 s)")
@claim("aiohttp-patterns.md", "Requests beyond the limit wait for a free connection, and that wait counts against the `connect` timeout.")
@claim("aiohttp-patterns.md", "`connect`: getting a connection, including waiting for a free one in the pool.")
@claim("aiohttp-patterns.md", "That makes the connector a natural concurrency limit for one upstream")
def test_the_pool_limit_and_the_connect_timeout() -> None:
    parameters = inspect.signature(aiohttp.TCPConnector).parameters
    assert parameters["limit"].default == 100 and parameters["limit_per_host"].default == 0
    assert parameters["ttl_dns_cache"].default == 10

    async def main() -> None:
        async with serving(app_with(("GET", "/", slow_body))) as base:
            connector = aiohttp.TCPConnector(limit=1)
            async with aiohttp.ClientSession(base, connector=connector) as session:
                busy = asyncio.ensure_future(session.get("/?gap=0.5&pieces=1"))
                await asyncio.sleep(0.05)
                with pytest.raises(aiohttp.ConnectionTimeoutError) as caught:
                    await session.get("/", timeout=aiohttp.ClientTimeout(connect=0.05))
                assert isinstance(caught.value, aiohttp.ClientError) and isinstance(caught.value, asyncio.TimeoutError)
                (await busy).release()

    run(main)


@claim("aiohttp.ClientTimeout", "A session refuses a plain number as `timeout` (ValueError); a single request takes one as `total`.")
def test_a_number_as_timeout() -> None:
    async def main() -> None:
        with pytest.raises(ValueError):
            aiohttp.ClientSession(timeout=5)
        async with serving(app_with(("GET", "/", slow_body))) as base, aiohttp.ClientSession(base) as session:
            with pytest.raises(asyncio.TimeoutError):
                async with session.get("/?gap=0.3&pieces=1", timeout=0.05) as response:
                    await response.read()

    run(main)


@claim("aiohttp.TCPConnector", "`ssl=False` disables certificate checks; pass an `ssl.SSLContext` to customise instead.")
def test_certificate_checks_and_ssl_false() -> None:
    import ssl

    async def main() -> None:
        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_tls.load_cert_chain(os.path.join(DATA, "localhost-cert.pem"), os.path.join(DATA, "localhost-key.pem"))
        runner = web.AppRunner(app_with(("GET", "/", hello)))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_tls).start()
        url = f"https://localhost:{runner.addresses[0][1]}/"
        try:
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.ClientConnectorCertificateError):
                    await session.get(url)
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as unchecked:
                async with unchecked.get(url) as response:
                    assert await response.text() == "hello"
            trusted = ssl.create_default_context(cafile=os.path.join(DATA, "localhost-cert.pem"))
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trusted)) as custom:
                async with custom.get(url) as response:
                    assert await response.text() == "hello"
        finally:
            await runner.cleanup()

    run(main)


# --- responses --------------------------------------------------------------------------------------------


@claim("aiohttp.ClientResponse", "The response of a client request: `status`, `headers`, `url`, and coroutines to read the body")
@claim("aiohttp.ClientResponse.json", "Reads the body and decodes it as JSON.")
@claim("aiohttp.ClientResponse.json", "Raises ContentTypeError when the server does not send `application/json`; pass `content_type=None` to skip the check for sloppy servers.")
@claim("aiohttp.ClientResponse.json", "It is a coroutine: without `await` you get a coroutine, not data.")
@claim("aiohttp.ClientResponse.read", "Reads the whole body as bytes.")
@claim("aiohttp.ClientResponse.read", "Unbounded memory for large bodies")
@claim("aiohttp.ClientResponse.text", "Loads the whole body in memory; stream big downloads through `response.content`.")
@claim("aiohttp.ClientResponse.content", "The body as a stream: `iter_chunked(n)`, `iter_any()`, `readline()`, `read(n)`.")
@claim("aiohttp.ClientResponse.content", "Use it for downloads too large for memory.")
@claim("aiohttp-patterns.md", "`response.json()` checks the content type and raises `ContentTypeError` when the server does not send `application/json`; `content_type=None` skips the check.")
@claim("aiohttp-patterns.md", "`response.read()`, `text()` and `json()` load the whole body into memory.")
@claim("aiohttp-patterns.md", "For large downloads read the `content` stream in chunks")
def test_reading_a_response() -> None:
    async def sloppy_json(request: web.Request) -> web.Response:
        return web.Response(text=json.dumps({"a": 1}), content_type="text/plain")

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"line\n" * 200_000)

    async def main() -> None:
        app = app_with(("GET", "/sloppy", sloppy_json), ("GET", "/json", lambda request: _json({"a": 1})), ("GET", "/big", big))
        async with serving(app) as base, aiohttp.ClientSession(base) as session:
            async with session.get("/json") as response:
                assert response.status == 200 and response.url.path == "/json" and "Content-Type" in response.headers
                pending = response.json()
                assert inspect.iscoroutine(pending)
                assert await pending == {"a": 1}
            async with session.get("/sloppy") as response:
                with pytest.raises(aiohttp.ContentTypeError):
                    await response.json()
                assert await response.json(content_type=None) == {"a": 1}
            async with session.get("/big") as response:
                body = await response.read()
                assert isinstance(body, bytes) and len(body) == 1_000_000
            for reader in ("text", "read"):
                async with session.get("/big") as response:
                    assert len(await getattr(response, reader)()) == 1_000_000
            async with session.get("/big") as response:
                sizes = [len(chunk) async for chunk in response.content.iter_chunked(64 * 1024)]
                assert max(sizes) <= 64 * 1024 and sum(sizes) == 1_000_000
            async with session.get("/big") as response:
                assert await response.content.readline() == b"line\n" and len(await response.content.read(10)) == 10
                assert [chunk async for chunk in response.content.iter_any()]

    run(main)


async def _json(data) -> web.Response:
    return web.json_response(data)


@claim("aiohttp.ClientResponse.text", "Reads the body and decodes it with the charset the response declares; without one, with what the session's `fallback_charset_resolver` returns (UTF-8 by default).")
@claim("aiohttp.ClientResponse.text", "Since aiohttp 3.9 nothing guesses the charset from the bytes")
def test_text_without_a_declared_charset_decodes_as_utf8() -> None:
    async def latin(request: web.Request) -> web.Response:
        return web.Response(body="café".encode("latin-1"), content_type="text/plain", charset=None)

    async def declared(request: web.Request) -> web.Response:
        return web.Response(body="café".encode("latin-1"), headers={"Content-Type": "text/plain; charset=latin-1"})

    async def utf8(request: web.Request) -> web.Response:
        return web.Response(body="café".encode(), headers={"Content-Type": "text/plain"})

    async def main() -> None:
        app = app_with(("GET", "/latin", latin), ("GET", "/declared", declared), ("GET", "/utf8", utf8))
        async with serving(app) as base, aiohttp.ClientSession(base) as session:
            async with session.get("/utf8") as response:
                assert await response.text() == "café"
            async with session.get("/declared") as response:
                assert await response.text() == "café"
            async with session.get("/latin") as response:
                with pytest.raises(UnicodeDecodeError):
                    await response.text()
                assert await response.text(encoding="latin-1") == "café"
        guessing = aiohttp.ClientSession
        assert "fallback_charset_resolver" in inspect.signature(guessing).parameters

    run(main)
    assert "fallback_charset_resolver" in facts_for("aiohttp.ClientSession").record_at((3, 9, 5)).parameter_names


@claim("aiohttp.ClientResponse.content", "Writing chunks with blocking file I/O stalls the loop")
@claim("aiohttp-patterns.md", "hand each chunk to something that does not block the loop")
def test_a_blocking_write_of_a_chunk_holds_the_loop() -> None:
    import tempfile
    import time

    async def main() -> list[str]:
        ran: list[str] = []
        asyncio.get_running_loop().call_soon(ran.append, "callback")
        with tempfile.TemporaryFile() as sink:
            sink.write(b"x" * 1000)
            time.sleep(0.02)  # a slow disk
        return list(ran)

    assert run(main) == []


@claim("aiohttp.ClientResponse.status", "The HTTP status code of the response.")
@claim("aiohttp.ClientResponse.status", "Redirects are followed by default: this is the final status.")
def test_the_status_is_the_one_after_redirects() -> None:
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/final")

    async def final(request: web.Request) -> web.Response:
        return web.Response(status=202)

    async def main() -> None:
        async with serving(app_with(("GET", "/moved", moved), ("GET", "/final", final))) as base:
            async with aiohttp.ClientSession(base) as session:
                async with session.get("/moved") as response:
                    assert response.status == 202 and len(response.history) == 1
                async with session.get("/moved", allow_redirects=False) as response:
                    assert response.status == 302

    run(main)


@claim("aiohttp.ClientError", "Base class of client errors: connection failures, bad responses, payload errors.")
def test_client_error_is_the_base_of_the_client_errors() -> None:
    for error in (aiohttp.ClientConnectionError, aiohttp.ClientConnectorError, aiohttp.ClientResponseError, aiohttp.ClientPayloadError):
        assert issubclass(error, aiohttp.ClientError)

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectorError):
                await session.get("http://127.0.0.1:9/")

    run(main)


# --- client websockets ------------------------------------------------------------------------------------


async def ws_echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type is aiohttp.WSMsgType.TEXT:
            if message.data == "close":
                await ws.close()
            elif message.data == "big":
                await ws.send_str("x" * 100)
            else:
                await ws.send_str(message.data)
    return ws


@claim("aiohttp.ClientSession.ws_connect", "Opens a client WebSocket connection; use it as an async context manager yielding a ClientWebSocketResponse, and iterate over it for messages.")
@claim("aiohttp.ClientWebSocketResponse", "A client WebSocket from `session.ws_connect()`")
@claim("aiohttp.ClientWebSocketResponse.send_str", "Sends a text message to the server over the open WebSocket.")
@claim("aiohttp.ClientWebSocketResponse.send_json", "Serialises `data` to JSON and sends it as a text message.")
@claim("aiohttp.ClientWebSocketResponse.send_json", "Non-JSON-serialisable values raise TypeError before anything is sent.")
@claim("aiohttp.ClientWebSocketResponse.receive", "Waits for the next message (text, binary, close, error...).")
@claim("aiohttp.ClientWebSocketResponse.receive", "Check `message.type`; CLOSE and ERROR messages arrive through it too.")
@claim("aiohttp.ClientWebSocketResponse.close", "Performs the closing handshake and closes the connection.")
@claim("aiohttp.ClientWebSocketResponse.close", "`async with session.ws_connect(...)` closes it for you.")
@claim("aiohttp.ClientWebSocketResponse", "Only one task may receive at a time; concurrent `receive()` calls raise.")
@claim("aiohttp.ClientSession.ws_connect", "The loop ends quietly on CLOSE, and after yielding an ERROR message (its `data` is the exception)")
@claim("aiohttp.WSMsgType", "The kinds of WebSocket message: TEXT, BINARY, PING, PONG, CLOSE, CLOSING, CLOSED, ERROR.")
@claim("aiohttp-patterns.md", "On the client, `session.ws_connect()` returns a connection you iterate over.")
def test_client_websockets() -> None:
    assert {"TEXT", "BINARY", "PING", "PONG", "CLOSE", "CLOSING", "CLOSED", "ERROR"} <= set(aiohttp.WSMsgType.__members__)

    async def main() -> None:
        async with serving(app_with(("GET", "/ws", ws_echo))) as base, aiohttp.ClientSession(base) as session:
            async with session.ws_connect("/ws") as ws:
                assert isinstance(ws, aiohttp.ClientWebSocketResponse)
                await ws.send_str("hi")
                assert (await ws.receive()).data == "hi"
                with pytest.raises(TypeError):
                    await ws.send_json({"when": object()})
                await ws.send_json({"n": 1})
                message = await ws.receive()
                assert message.type is aiohttp.WSMsgType.TEXT and message.json() == {"n": 1}
                first = asyncio.ensure_future(ws.receive())
                await asyncio.sleep(0)
                with pytest.raises(RuntimeError):
                    await ws.receive()
                await ws.send_str("close")
                assert (await first).type is aiohttp.WSMsgType.CLOSE
            assert ws.closed
            async with session.ws_connect("/ws") as ws:
                await ws.send_str("one")
                await ws.send_str("close")
                assert [message.data async for message in ws] == ["one"]  # CLOSE ends the loop quietly
            async with session.ws_connect("/ws", max_msg_size=10) as ws:
                await ws.send_str("big")
                messages = [message async for message in ws]
                assert [message.type for message in messages] == [aiohttp.WSMsgType.ERROR]
                assert isinstance(messages[0].data, Exception)
            ws = await session.ws_connect("/ws")
            await ws.close()
            assert ws.closed

    run(main)


@claim("aiohttp.ClientWebSocketResponse.send_str", "A coroutine since aiohttp 3.0: forgetting `await` sends nothing.")
def test_send_str_is_a_coroutine_since_3_0() -> None:
    kinds = {first: record.kind for first, _, record in facts_for("aiohttp.ClientWebSocketResponse.send_str").runs}
    assert kinds[(2, 3, 10)] == "method" and kinds[(3, 0, 9)] == "coroutine method"
    assert inspect.iscoroutinefunction(aiohttp.ClientWebSocketResponse.send_str)


# --- the server: application, signals, runners ------------------------------------------------------------


@claim("aiohttp.web.Application", "The web application: routes, middlewares, shared state (`app[key]`) and lifecycle signals")
@claim("aiohttp.web.Application", "Store shared resources in `app[...]` (with `web.AppKey` since 3.9), not globals.")
@claim("aiohttp.web.AppKey", "A typed key for storing shared state in `app[...]` without string-key warnings.")
@claim("aiohttp.web.AppKey", "String keys in `app[...]` warn since aiohttp 3.9; switch to AppKey.")
@claim("aiohttp.web.Request", "Reach shared resources through `request.app[...]`, not module globals.")
@claim("aiohttp-patterns.md", "Use `web.AppKey` (3.9+) for typed, warning-free application state.")
@claim("aiohttp-patterns.md", "Reach shared resources (sessions, pools) through `request.app[...]`.")
def test_application_state_under_app_keys() -> None:
    counter = web.AppKey("counter", int)

    async def count(request: web.Request) -> web.Response:
        request.app[counter] += 1
        return web.Response(text=str(request.app[counter]))

    async def main() -> None:
        app = web.Application(middlewares=[])
        for attribute in ("router", "middlewares", "cleanup_ctx", "on_startup", "on_shutdown", "on_cleanup"):
            assert hasattr(app, attribute)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            app[counter] = 0
        with pytest.warns(web.NotAppKeyWarning):
            app["counter"] = 0
        app.router.add_get("/", count)
        async with serving(app) as base, aiohttp.ClientSession(base) as session:
            for expected in ("1", "2"):
                async with session.get("/") as response:
                    assert await response.text() == expected

    run(main)
    assert facts_for("aiohttp.web.AppKey").added[:2] == (3, 9)


@claim("aiohttp.web.Application", "The app freezes on start: adding routes or signals afterwards raises.")
@claim("aiohttp.web.Application.add_routes", "Registers route definitions (a RouteTableDef or a list of `web.get(...)` etc.).")
@claim("aiohttp.web.Application.add_routes", "Must be called before the app starts; the router is frozen afterwards.")
@claim("aiohttp.web.Application.router", "The URL dispatcher: `add_get`, `add_post`, `add_static`, named resources for URL building.")
@claim("aiohttp.web.RouteTableDef", "Collects routes declared with decorators (`@routes.get(path)`); register them all with `app.add_routes(routes)`.")
@claim("aiohttp.web.RouteTableDef", "Declaring routes does nothing until `app.add_routes(routes)`.")
@claim("aiohttp.web.RouteTableDef.get", "Decorator registering a GET handler (HEAD is added too unless `allow_head=False`).")
@claim("aiohttp-patterns.md", "Declare routes with a `RouteTableDef` (decorators) or a list of `web.get(...)`/`web.post(...)` definitions.")
@claim("aiohttp-patterns.md", "Handlers are coroutines that take a `web.Request` and return a response.")
def test_routes_are_declared_then_registered_before_the_app_freezes() -> None:
    routes = web.RouteTableDef()

    @routes.get("/item/{name}", name="item")
    async def item(request: web.Request) -> web.Response:
        assert isinstance(request, web.Request)
        return web.Response(text=request.match_info["name"])

    @routes.get("/no-head", allow_head=False)
    async def no_head(request: web.Request) -> web.Response:
        return web.Response(text="get only")

    async def main() -> None:
        app = web.Application()
        assert len(app.router.routes()) == 0  # declared, not registered
        app.add_routes(routes)
        app.add_routes([web.post("/posted", item)])
        assert str(app.router["item"].url_for(name="x")) == "/item/x"
        for method in ("add_get", "add_post", "add_static"):
            assert hasattr(app.router, method)
        async with serving(app) as base, aiohttp.ClientSession(base) as session:
            async with session.head("/item/a") as response:
                assert response.status == 200
            async with session.head("/no-head") as response:
                assert response.status == 405
            with pytest.raises(RuntimeError):
                app.router.add_get("/late", item)
            with pytest.raises(RuntimeError):
                app.add_routes([web.get("/later", item)])
            with pytest.raises(RuntimeError):
                app.on_startup.append(item)

    run(main)


@claim("aiohttp.web.Application.cleanup_ctx", "A list of async generators: code before `yield` runs at startup, code after it at cleanup, in reverse order.")
@claim("aiohttp.web.Application.on_startup", "Coroutines called with the app when it starts, in order.")
@claim("aiohttp.web.Application.on_shutdown", "Coroutines called when the server starts shutting down, before cleanup")
@claim("aiohttp.web.Application.on_cleanup", "Coroutines called last on shutdown, after handlers finished.")
@claim("aiohttp.web.AppRunner.setup", "Starts the application: runs startup signals and cleanup contexts up to their `yield`.")
@claim("aiohttp.web.AppRunner.cleanup", "Stops the sites, runs shutdown and cleanup signals, and finishes the cleanup contexts.")
@claim("aiohttp.web.AppRunner", "Runs an application inside your own event loop: `await runner.setup()`, start one or more sites, and `await runner.cleanup()` on shutdown.")
@claim("aiohttp.web.AppRunner", "Use it to serve HTTP alongside other services.")
@claim("aiohttp.web.TCPSite", "A TCP listener for an AppRunner; start several sites for several addresses.")
@claim("aiohttp.web.TCPSite", "Port 0 picks a free port; read it back from `runner.addresses`.")
@claim("aiohttp.web.TCPSite.start", "Binds the socket and starts accepting connections.")
@claim("aiohttp-patterns.md", "an async generator whose code before `yield` runs at startup and after `yield` at cleanup")
@claim("aiohttp-patterns.md", "Set-up and tear-down sit side by side, run in order, and are undone in reverse.")
@claim("aiohttp-patterns.md", "The signals, in the order they fire: the cleanup contexts up to `yield`, then `on_startup`; on stop, `on_shutdown`")
def test_the_lifecycle_order() -> None:
    events: list[str] = []

    def context(name: str):
        async def generator(app: web.Application):
            events.append(f"{name} up")
            yield
            events.append(f"{name} down")

        return generator

    def signal(name: str):
        async def handler(app: web.Application) -> None:
            assert isinstance(app, web.Application)
            events.append(name)

        return handler

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/", hello)
        app.cleanup_ctx.extend([context("first"), context("second")])
        app.on_startup.extend([signal("startup 1"), signal("startup 2")])
        app.on_shutdown.append(signal("shutdown"))
        app.on_cleanup.append(signal("cleanup"))
        runner = web.AppRunner(app)
        await runner.setup()
        assert events == ["first up", "second up", "startup 1", "startup 2"]
        sites = [web.TCPSite(runner, "127.0.0.1", 0), web.TCPSite(runner, "127.0.0.1", 0)]
        for site in sites:
            await site.start()
        ports = [address[1] for address in runner.addresses]
        assert len(set(ports)) == 2 and all(port > 0 for port in ports)
        async with aiohttp.ClientSession() as session:
            for port in ports:
                async with session.get(f"http://127.0.0.1:{port}/") as response:
                    assert await response.text() == "hello"
        await runner.cleanup()
        assert events[4:] == ["shutdown", "second down", "first down", "cleanup"]
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectorError):
                await session.get(f"http://127.0.0.1:{ports[0]}/")

    run(main)


@claim("aiohttp.web.Application.cleanup_ctx", "Exactly one `yield`: a generator that yields twice or never breaks startup.")
def test_a_cleanup_context_must_yield_exactly_once() -> None:
    async def never(app: web.Application):
        if False:
            yield

    async def twice(app: web.Application):
        yield
        yield

    async def main() -> None:
        for generator, phase in ((never, "setup"), (twice, "cleanup")):
            app = web.Application()
            app.cleanup_ctx.append(generator)
            runner = web.AppRunner(app)
            if phase == "setup":
                with pytest.raises(RuntimeError):
                    await runner.setup()
            else:
                await runner.setup()
                with pytest.raises(RuntimeError):
                    await runner.cleanup()

    run(main)


@claim("aiohttp.web.Application.cleanup_ctx", "If startup fails after it yielded, its cleanup still runs; if it fails before the yield, it does not")
@claim("aiohttp.web.Application.on_cleanup", "Not run when startup fails: only the cleanup contexts that reached their `yield` are finished")
@claim("aiohttp.web.AppRunner.setup", "Startup errors raise here; call `cleanup()` in a `finally` anyway.")
def test_a_failed_startup_still_cleans_up_what_started() -> None:
    events: list[str] = []

    async def started(app: web.Application):
        events.append("started up")
        yield
        events.append("started down")

    async def fails(app: web.Application):
        raise ValueError("startup failed")
        yield  # an async generator

    async def on_cleanup(app: web.Application) -> None:
        events.append("on_cleanup")

    async def main() -> None:
        app = web.Application()
        app.cleanup_ctx.extend([started, fails])
        app.on_cleanup.append(on_cleanup)
        runner = web.AppRunner(app)
        try:
            with pytest.raises(ValueError):
                await runner.setup()
        finally:
            await runner.cleanup()

    run(main)
    assert events == ["started up", "started down"]


@claim("aiohttp.web.AppRunner", "`runner.cleanup()` must run or cleanup contexts never close their resources.")
@claim("aiohttp.web.AppRunner.cleanup", "Skipping it leaks sockets, sessions and background tasks.")
@claim("aiohttp-patterns.md", "and always call `runner.cleanup()`")
def test_without_cleanup_the_contexts_never_close() -> None:
    events: list[str] = []

    async def resource(app: web.Application):
        events.append("opened")
        yield
        events.append("closed")

    async def main() -> None:
        app = web.Application()
        app.cleanup_ctx.append(resource)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        assert runner.addresses  # still listening: nothing stops it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run(main)
    assert events == ["opened"]


@claim("aiohttp.web.AppRunner", "No signal handling by default: wire SIGTERM to your stop event yourself.")
@claim("aiohttp.web.TCPSite.start", "Raises OSError when the address is in use; call after `runner.setup()`.")
def test_runner_defaults_and_a_busy_port() -> None:
    assert inspect.signature(web.AppRunner).parameters["handle_signals"].default is False

    async def main() -> None:
        async with serving(app_with(("GET", "/", hello))) as base:
            port = int(base.rsplit(":", 1)[1])
            runner = web.AppRunner(app_with(("GET", "/", hello)))
            await runner.setup()
            try:
                with pytest.raises(OSError):
                    await web.TCPSite(runner, "127.0.0.1", port).start()
            finally:
                await runner.cleanup()

    run(main)


RUN_APP = """
import asyncio, sys
from aiohttp import web

async def hello(request):
    return web.Response(text="hello")

async def make_app():
    await asyncio.sleep(0)
    app = web.Application()
    app.router.add_get("/", hello)
    async def bye(app):
        print("cleaned up", flush=True)
    app.on_cleanup.append(bye)
    return app

web.run_app(make_app(), host="127.0.0.1", port=int(sys.argv[1]), print=lambda text: print("up", flush=True))
"""


@claim("aiohttp.web.run_app", "Runs an application until interrupted: creates the loop, serves, handles SIGINT and SIGTERM, then shuts down gracefully.")
@claim("aiohttp.web.run_app", "Pass a coroutine returning the app (`run_app(make_app())`) if building the app needs awaits.")
@claim("aiohttp-patterns.md", "`web.run_app(app)` runs the application in its own loop, handles SIGINT and SIGTERM, and shuts down gracefully")
@claim("production-patterns.md", "`aiohttp.web.run_app` installs SIGINT/SIGTERM handling for you.")
def test_run_app_serves_until_sigterm_and_cleans_up() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", RUN_APP, str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "up\n"
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0 and out == "cleaned up\n"


@claim("aiohttp.web.run_app", "It runs its own loop: never call it from inside a coroutine; use AppRunner there.")
def test_run_app_refuses_a_running_loop() -> None:
    async def main() -> None:
        with pytest.raises(RuntimeError):
            web.run_app(web.Application(), print=None, handle_signals=False)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        run(main)


# --- requests and responses on the server ------------------------------------------------------------------


@claim("aiohttp.web.RouteTableDef.post", "Decorator registering a POST handler for a path; the handler reads the body with `await request.json()` or `await request.post()`.")
@claim("aiohttp.web.RouteTableDef.post", "Request bodies over `client_max_size` (1 MiB default) are rejected with 413.")
@claim("aiohttp.web.Request", "The incoming request: `match_info`, `query`, `headers`, `app`, and coroutines for the body")
@claim("aiohttp.web.Request.json", "Reads the request body and decodes it as JSON.")
@claim("aiohttp.web.Request.json", "Invalid JSON raises ValueError: answer 400 instead of a 500.")
def test_request_bodies() -> None:
    routes = web.RouteTableDef()

    @routes.post("/json")
    async def take_json(request: web.Request) -> web.Response:
        for attribute in ("match_info", "query", "headers", "app", "content"):
            assert hasattr(request, attribute)
        return web.json_response(await request.json())

    @routes.post("/form")
    async def take_form(request: web.Request) -> web.Response:
        return web.Response(text=(await request.post())["field"])

    @routes.post("/strict")
    async def strict(request: web.Request) -> web.Response:
        try:
            return web.json_response(await request.json())
        except ValueError:
            raise web.HTTPBadRequest(text="body must be JSON")

    async def main() -> None:
        app = web.Application()
        app.add_routes(routes)
        assert app._client_max_size == 1024**2
        async with serving(app) as base, aiohttp.ClientSession(base) as session:
            async with session.post("/json", json={"a": 1}) as response:
                assert await response.json() == {"a": 1}
            async with session.post("/form", data={"field": "value"}) as response:
                assert await response.text() == "value"
            async with session.post("/json", data=b"not json") as response:
                assert response.status == 500
            async with session.post("/strict", data=b"not json") as response:
                assert response.status == 400
            async with session.post("/json", data=b"x" * (1024**2 + 1)) as response:
                assert response.status == 413

    run(main)


@claim("aiohttp.web.RouteTableDef.get", "Handlers should be `async def` (a plain function is deprecated and warns); blocking work inside stalls every request.")
@claim("aiohttp-patterns.md", "Everything a handler does runs on the loop: a blocking call inside one stalls every other request.")
def test_handlers_run_on_the_loop_and_plain_functions_are_deprecated() -> None:
    import threading
    import time

    def plain(request: web.Request) -> web.Response:
        return web.Response(text="plain")

    threads: list[threading.Thread] = []

    async def blocking(request: web.Request) -> web.Response:
        threads.append(threading.current_thread())
        time.sleep(0.1)
        return web.Response(text="slow")

    async def main() -> list[str]:
        app = web.Application()
        with pytest.warns(DeprecationWarning, match="Bare functions are deprecated"):
            app.router.add_get("/plain", plain)
        app.router.add_get("/blocking", blocking)
        app.router.add_get("/fast", hello)
        finished: list[str] = []
        async with serving(app) as base, aiohttp.ClientSession(base) as session:

            async def fetch(path: str) -> None:
                async with session.get(path) as response:
                    await response.read()
                finished.append(path)

            slow = asyncio.ensure_future(fetch("/blocking"))
            await asyncio.sleep(0.02)
            await asyncio.gather(slow, fetch("/fast"))
        return finished

    assert run(main) == ["/blocking", "/fast"]  # the fast request waited for the blocked loop
    assert threads == [threading.main_thread()]


@claim("aiohttp.web.Response", "A complete HTTP response with a body known up front (`text=` or `body=`).")
@claim("aiohttp.web.StreamResponse", "A response whose body is written in chunks after `await response.prepare(request)`.")
@claim("aiohttp.web.StreamResponse", "Headers changed after `prepare()` are silently not sent.")
@claim("aiohttp.web.json_response", "Builds a Response with `data` serialised as JSON.")
@claim("aiohttp.web.json_response", "Datetimes and Decimals are not JSON-serialisable: pass `dumps=` with a custom encoder.")
@claim("aiohttp-patterns.md", "On the server side, `web.StreamResponse` writes a body piece by piece")
def test_server_responses() -> None:
    import datetime
    import decimal
    import functools

    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"X-Early": "1"})
        await response.prepare(request)
        response.headers["X-Late"] = "1"
        for number in range(3):
            await response.write(f"{number}\n".encode())
        await response.write_eof()
        return response

    async def main() -> None:
        assert web.Response(text="t").text == "t" and web.Response(body=b"b").body == b"b"
        data = {"when": datetime.date(2026, 1, 2), "amount": decimal.Decimal("1.5")}
        with pytest.raises(TypeError):
            web.json_response(data)
        encoded = web.json_response(data, dumps=functools.partial(json.dumps, default=str))
        assert json.loads(encoded.text) == {"when": "2026-01-02", "amount": "1.5"} and encoded.content_type == "application/json"
        async with serving(app_with(("GET", "/", streamed))) as base, aiohttp.ClientSession(base) as session:
            async with session.get("/") as response:
                assert await response.text() == "0\n1\n2\n"
                assert "X-Early" in response.headers and "X-Late" not in response.headers

    run(main)


@claim("aiohttp-patterns.md", "Uploads stream too: pass an async generator as `data=`, and aiohttp sends it with chunked encoding.")
def test_an_async_generator_upload_is_sent_chunked() -> None:
    async def receive(request: web.Request) -> web.Response:
        return web.Response(text=f"{request.headers.get('Transfer-Encoding')} {len(await request.read())}")

    async def pieces():
        for _ in range(3):
            yield b"x" * 1000

    async def main() -> str:
        async with serving(app_with(("POST", "/", receive))) as base, aiohttp.ClientSession(base) as session:
            async with session.post("/", data=pieces()) as response:
                return await response.text()

    assert run(main) == "chunked 3000"


# --- server websockets --------------------------------------------------------------------------------------


@claim("aiohttp.web.WebSocketResponse", "The server side of a WebSocket: `await ws.prepare(request)` in a handler, then send and receive until the client leaves.")
@claim("aiohttp.web.WebSocketResponse.prepare", "Performs the WebSocket handshake for the request.")
@claim("aiohttp.web.WebSocketResponse.prepare", "Check `ws.can_prepare(request)` to answer plain HTTP requests gracefully.")
@claim("aiohttp.web.WebSocketResponse.send_str", "Sends a text message to the client.")
@claim("aiohttp.web.WebSocketResponse.send_str", "Raises once the connection is closing; check `ws.closed` in broadcast loops.")
@claim("aiohttp.web.WebSocketResponse.send_json", "Sends `data` as a JSON text message.")
@claim("aiohttp.web.WebSocketResponse.receive", "Waits for the next message from the client.")
@claim("aiohttp.web.WebSocketResponse.receive", "Prefer `async for message in ws`, which stops on close.")
@claim("aiohttp.web.WebSocketResponse.close", "Closes the WebSocket with a close code.")
@claim("aiohttp-patterns.md", "On the server, a handler prepares a `WebSocketResponse` and loops until the client leaves.")
def test_server_websockets() -> None:
    seen: dict[str, object] = {}

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        if not ws.can_prepare(request).ok:
            return web.Response(text="plain HTTP here")
        await ws.prepare(request)
        first = await ws.receive()
        await ws.send_str(first.data.upper())
        await ws.send_json({"got": first.data})
        seen["messages"] = [message.data async for message in ws]
        await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY)
        seen["closed"] = ws.closed
        try:
            await ws.send_str("too late")
        except ConnectionError as error:
            seen["late"] = type(error).__name__
        return ws

    async def main() -> None:
        async with serving(app_with(("GET", "/ws", handler))) as base, aiohttp.ClientSession(base) as session:
            async with session.get("/ws") as response:
                assert await response.text() == "plain HTTP here"
            async with session.ws_connect("/ws") as ws:
                await ws.send_str("hi")
                assert (await ws.receive()).data == "HI"
                assert (await ws.receive()).json() == {"got": "hi"}
                await ws.send_str("more")
            assert seen["messages"] == ["more"] and seen["closed"] is True and "late" in seen

    run(main)


@claim("aiohttp.web.WebSocketResponse", "Sends from several tasks arrive whole, one frame each, but a slow client makes every sender wait.")
@claim("aiohttp.web.WebSocketResponse.send_json", "A slow client makes every send wait; broadcast through per-client queues.")
def test_concurrent_sends_arrive_whole_and_a_slow_client_holds_the_senders() -> None:
    blocked: list[bool] = []

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await asyncio.gather(*(ws.send_str(str(number) * 200_000) for number in range(10)))

        async def flood() -> None:
            for _ in range(500):
                await ws.send_json({"filler": "x" * 100_000})

        sending = asyncio.ensure_future(flood())
        _, pending = await asyncio.wait({sending}, timeout=0.2)
        blocked.append(bool(pending))
        sending.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await sending
        await ws.close()
        return ws

    async def main() -> list[str]:
        async with serving(app_with(("GET", "/ws", handler))) as base, aiohttp.ClientSession(base) as session:
            async with session.ws_connect("/ws", max_msg_size=0) as ws:
                messages = [(await ws.receive()).data for _ in range(10)]
                while not blocked:
                    await asyncio.sleep(0.05)  # reading nothing more: a slow client
        return messages

    messages = run(main)
    assert all(len(set(message)) == 1 and len(message) == 200_000 for message in messages)
    assert blocked == [True]


@claim("aiohttp.web.WebSocketResponse", "Track open websockets and close them in `on_shutdown`, or shutdown waits for them.")
@claim("aiohttp.web.Application.on_shutdown", "the place to close long-lived connections such as websockets.")
@claim("aiohttp.web.Application.on_shutdown", "Open websockets keep shutdown waiting until its timeout unless closed here.")
@claim("aiohttp-patterns.md", "Keep the open sockets on the application so `on_shutdown` can close them; otherwise shutdown waits for every client.")
def test_open_websockets_hold_shutdown_until_on_shutdown_closes_them() -> None:
    sockets = web.AppKey("sockets", set)

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        request.app[sockets].add(ws)
        try:
            async for _ in ws:
                pass
            request.app["events"].append("handler ended")
        except asyncio.CancelledError:
            request.app["events"].append("handler cancelled at the timeout")
            raise
        return ws

    async def close_all(app: web.Application) -> None:
        for ws in set(app[sockets]):
            await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY)

    async def scenario(close_on_shutdown: bool) -> list[str]:
        app = web.Application()
        app[sockets] = set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            app["events"] = events = []
        app.router.add_get("/ws", handler)
        if close_on_shutdown:
            app.on_shutdown.append(close_all)
        runner = web.AppRunner(app, shutdown_timeout=0.3)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(f"http://{host}:{port}/ws")
            await asyncio.sleep(0.02)
            await runner.cleanup()
            events.append("cleanup returned")
            await ws.close()
        return events

    async def main() -> None:
        assert await scenario(close_on_shutdown=True) == ["handler ended", "cleanup returned"]
        assert await scenario(close_on_shutdown=False) == ["handler cancelled at the timeout", "cleanup returned"]

    run(main)


@claim("aiohttp.web.WebSocketResponse.close", "Waits for the client's close reply up to the `timeout` given to the constructor.")
def test_close_waits_for_the_clients_reply() -> None:
    import time

    waited: list[float] = []

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(timeout=0.3)
        await ws.prepare(request)
        started = time.monotonic()
        await ws.close()
        waited.append(time.monotonic() - started)
        return ws

    async def main() -> None:
        async with serving(app_with(("GET", "/ws", handler))) as base, aiohttp.ClientSession(base) as session:
            async with session.ws_connect("/ws", autoclose=False) as ws:
                while not waited:
                    await asyncio.sleep(0.05)  # never answers the close
                assert ws is not None

    run(main)
    assert waited[0] >= 0.29


@claim("aiohttp.web.Application.cleanup_ctx", "An `async with` around the `yield` works too: aiohttp resumes the generator at cleanup, which leaves the block then.")
@claim("aiohttp-patterns.md", "An `async with` block around the `yield` works as well: aiohttp resumes the generator at cleanup, which leaves the block then.")
@claim("aiohttp-patterns.md", "The generator must yield exactly once.")
def test_a_cleanup_context_may_hold_a_context_manager_across_its_yield() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def resource():
        events.append("entered")
        yield
        events.append("exited")

    async def holds(app: web.Application):
        async with resource():
            yield

    async def main() -> None:
        app = web.Application()
        app.cleanup_ctx.append(holds)
        runner = web.AppRunner(app)
        await runner.setup()
        events.append("serving")
        await runner.cleanup()
        events.append("cleaned up")

    run(main)
    assert events == ["entered", "serving", "exited", "cleaned up"]
