"""Hand-written hover entries for the main aiohttp client and server APIs (aiohttp 3.x).

aiohttp is not a dependency of the language server, so every signature here is written by hand
from aiohttp's current 3.x release.
"""

from __future__ import annotations

from .model import ApiEntry, Source

_SESSION = "aiohttp-patterns.md#one-clientsession-per-application"
_CONNECTORS = "aiohttp-patterns.md#connectors-and-limits"
_TIMEOUTS = "aiohttp-patterns.md#timeouts"
_RESPONSES = "aiohttp-patterns.md#responses-and-errors"
_STREAMING = "aiohttp-patterns.md#streaming-request-and-response-bodies"
_WEBSOCKETS = "aiohttp-patterns.md#websockets"
_ROUTES = "aiohttp-patterns.md#server-routes-and-handlers"
_LIFECYCLE = "aiohttp-patterns.md#server-lifecycle-and-cleanup-contexts"
_RUNNING = "aiohttp-patterns.md#running-the-server-with-run_app-or-apprunner"

_REQUEST_PITFALLS = (
    "Use it as `async with session.get(...) as response:` so the connection goes back to the "
    "pool; a response whose body is never read or released holds its connection.",
    "Non-2xx statuses do not raise by default: call `response.raise_for_status()` or create the "
    "session with `raise_for_status=True`.",
    "One ClientSession per application, not per request: a new session per call loses "
    "connection reuse and leaks sockets when not closed.",
)


def _request_method(verb: str, example: str) -> ApiEntry:
    """The seven HTTP-verb shortcuts of ClientSession share everything but the verb and example."""
    return ApiEntry(
        f"aiohttp.ClientSession.{verb}",
        reference=_SESSION,
        summary=f"""
            Sends an HTTP {verb.upper()} request and returns an async context manager yielding a
            ClientResponse. It and `ClientSession.request()` both hand their keyword arguments
            (params, json, data, headers, timeout, ...) to the session's internal `_request()`.
        """,
        pattern=example,
        pitfalls=_REQUEST_PITFALLS,
    )


AIOHTTP_ENTRIES: tuple[ApiEntry, ...] = (
    # --- Client ---------------------------------------------------------------------------------
    ApiEntry(
        "aiohttp.ClientSession",
        sources=(
            Source(
                "Create one per application (or per distinct configuration)",
                "https://docs.aiohttp.org/en/stable/client_quickstart.html#make-a-request",
            ),
        ),
        reference=_SESSION,
        summary="""
            The HTTP client: it owns a connection pool, cookies and default headers. Create one per
            application (or per distinct configuration), share it across requests, and close it
            when the application stops.
        """,
        pattern="""
            async def main() -> None:
                async with aiohttp.ClientSession(
                    base_url="https://api.example.org", timeout=aiohttp.ClientTimeout(total=30)
                ) as session:
                    await sync_users(session)
        """,
        pitfalls=(
            "A session per request throws away keep-alive and DNS caching; reuse one.",
            "Creating it outside a running loop (at import time) raises RuntimeError (\"no running "
            "event loop\"); create it inside a coroutine or a cleanup context.",
            "Not closing it logs \"Unclosed client session\" and leaks connections: use "
            "`async with` or `await session.close()`.",
        ),
    ),
    _request_method(
        "get",
        """
            async with session.get("/users", params={"page": 1}) as response:
                response.raise_for_status()
                users = await response.json()
        """,
    ),
    _request_method(
        "post",
        """
            async with session.post("/users", json={"name": "Ada"}) as response:
                response.raise_for_status()
                created = await response.json()
        """,
    ),
    _request_method(
        "put",
        """
            async with session.put(f"/users/{user_id}", json=user) as response:
                response.raise_for_status()
        """,
    ),
    _request_method(
        "patch",
        """
            async with session.patch(f"/users/{user_id}", json={"active": False}) as response:
                response.raise_for_status()
        """,
    ),
    _request_method(
        "delete",
        """
            async with session.delete(f"/users/{user_id}") as response:
                response.raise_for_status()
        """,
    ),
    _request_method(
        "head",
        """
            async with session.head(url, allow_redirects=True) as response:
                size = int(response.headers.get("Content-Length", 0))
        """,
    ),
    _request_method(
        "options",
        """
            async with session.options("/users") as response:
                allowed = response.headers.get("Allow", "")
        """,
    ),
    ApiEntry(
        "aiohttp.ClientSession.request",
        reference=_SESSION,
        summary="""
            Sends a request with any method; it and the verb shortcuts (`get`, `post`, ...) all
            call the session's internal `_request()`. Returns an async context manager yielding a
            ClientResponse.
        """,
        pattern="""
            async with session.request("PROPFIND", url, headers={"Depth": "1"}) as response:
                listing = await response.text()
        """,
        pitfalls=_REQUEST_PITFALLS,
    ),
    ApiEntry(
        "aiohttp.ClientSession.ws_connect",
        sources=(
            Source(
                "Without `heartbeat=` a silently dead connection",
                "https://docs.aiohttp.org/en/stable/client_reference.html#aiohttp.ClientSession.ws_connect",
            ),
        ),
        reference=_WEBSOCKETS,
        summary="""
            Opens a client WebSocket connection; use it as an async context manager yielding a
            ClientWebSocketResponse, and iterate over it for messages.
        """,
        pattern="""
            async with session.ws_connect("wss://stream.example.org/feed", heartbeat=30) as ws:
                async for message in ws:
                    if message.type is aiohttp.WSMsgType.TEXT:
                        await handle(message.json())
        """,
        pitfalls=(
            "Without `heartbeat=` a silently dead connection is only noticed when you send.",
            "The loop ends quietly on CLOSE, and after yielding an ERROR message (its `data` is the "
            "exception): check `message.type`.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientSession.close",
        reference=_SESSION,
        summary="Closes the session and its connector, releasing every pooled connection.",
        pattern="""
            async def close_http_client(app: web.Application) -> None:
                await app[HTTP_CLIENT].close()
        """,
        pitfalls=(
            "It is a coroutine: `session.close()` without `await` closes nothing.",
            "Sessions shared with a connector created elsewhere close that connector too unless "
            "`connector_owner=False`.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientTimeout",
        reference=_TIMEOUTS,
        summary="""
            Timeout settings for a session or a single request: `total` for the whole operation,
            `connect` for getting a connection (including waiting for the pool), `sock_connect`
            for the TCP connect, `sock_read` for the gap between reads.
        """,
        pattern="""
            timeout = aiohttp.ClientTimeout(total=30, connect=5, sock_read=10)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                await sync_users(session)
        """,
        pitfalls=(
            "The session default is `total=300` seconds: far too long for most APIs.",
            "`total` covers reading the body too; streaming downloads need `total=None` with "
            "`sock_read` set instead.",
            "A session refuses a plain number as `timeout` (ValueError); a single request takes one "
            "as `total`.",
        ),
    ),
    ApiEntry(
        "aiohttp.TCPConnector",
        reference=_CONNECTORS,
        summary="""
            The connection pool behind a ClientSession: total and per-host connection limits,
            keep-alive, DNS caching and TLS settings.
        """,
        pattern="""
            connector = aiohttp.TCPConnector(limit=200, limit_per_host=20, ttl_dns_cache=300)
            async with aiohttp.ClientSession(connector=connector) as session:
                await crawl(session)
        """,
        pitfalls=(
            "`limit=100` total by default: requests beyond it wait for a free connection, and that "
            "wait counts against the `connect` timeout.",
            "`ssl=False` disables certificate checks; pass an `ssl.SSLContext` to customise instead.",
            "Create it inside a running loop, like the session.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse",
        reference=_RESPONSES,
        summary="""
            The response of a client request: `status`, `headers`, `url`, and coroutines to read
            the body (`read()`, `text()`, `json()`) or the `content` stream.
        """,
        pattern="""
            async with session.get(url) as response:
                if response.status == 404:
                    return None
                response.raise_for_status()
                return await response.json()
        """,
        pitfalls=(
            "Read the body inside the `async with`; after it the connection is released.",
            "Headers arrive before the body: reading the body can still fail or time out.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.json",
        reference=_RESPONSES,
        summary="Reads the body and decodes it as JSON.",
        pattern="""
            async with session.get("/users/1") as response:
                response.raise_for_status()
                user = await response.json()
        """,
        pitfalls=(
            "Raises ContentTypeError when the server does not send `application/json`; pass "
            "`content_type=None` to skip the check for sloppy servers.",
            "It is a coroutine: without `await` you get a coroutine, not data.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.text",
        reference=_RESPONSES,
        summary="""
            Reads the body and decodes it with the charset the response declares; without one,
            with what the session's `fallback_charset_resolver` returns (UTF-8 by default).
        """,
        pattern="""
            async with session.get(url) as response:
                html = await response.text()
        """,
        pitfalls=(
            "Since aiohttp 3.9 nothing guesses the charset from the bytes: a server that sends "
            "Latin-1 without declaring it fails with UnicodeDecodeError; pass `encoding=`.",
            "Loads the whole body in memory; stream big downloads through `response.content`.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.read",
        reference=_RESPONSES,
        summary="Reads the whole body as bytes.",
        pattern="""
            async with session.get(image_url) as response:
                data = await response.read()
        """,
        pitfalls=("Unbounded memory for large bodies: stream with `response.content.iter_chunked()`.",),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.raise_for_status",
        reference=_RESPONSES,
        summary="Raises ClientResponseError if the status is 400 or above.",
        pattern="""
            async with session.post("/orders", json=order) as response:
                response.raise_for_status()
                return await response.json()
        """,
        pitfalls=(
            "The error does not include the body: read it from the response (inside the `async "
            "with`) if you want to log it.",
            "Not a coroutine: no `await`.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.content",
        signature="aiohttp.ClientResponse.content: aiohttp.StreamReader",
        reference=_STREAMING,
        summary="""
            The body as a stream: `iter_chunked(n)`, `iter_any()`, `readline()`, `read(n)`. Use it
            for downloads too large for memory.
        """,
        pattern="""
            async with session.get(url) as response:
                async for chunk in response.content.iter_chunked(64 * 1024):
                    await sink.write(chunk)
        """,
        pitfalls=(
            "Writing chunks with blocking file I/O stalls the loop; use a thread or an async file "
            "library for the sink.",
            "The session's `total` timeout covers the whole download; use `sock_read` instead.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponse.status",
        signature="aiohttp.ClientResponse.status: int",
        reference=_RESPONSES,
        summary="The HTTP status code of the response.",
        pattern="""
            async with session.get(url) as response:
                if response.status == 304:
                    return cached
        """,
        pitfalls=("Redirects are followed by default: this is the final status.",),
    ),
    ApiEntry(
        "aiohttp.ClientError",
        reference=_RESPONSES,
        summary="""
            Base class of client errors: connection failures, bad responses, payload errors.
            Catch it (and `asyncio.TimeoutError`) around a request to handle every network failure.
        """,
        pattern="""
            try:
                async with session.get(url) as response:
                    response.raise_for_status()
                    return await response.json()
            except (aiohttp.ClientError, TimeoutError):
                return None
        """,
        pitfalls=(
            "A `total` timeout raises `asyncio.TimeoutError` (the built-in TimeoutError since Python "
            "3.11), which is not a ClientError (the `connect`, `sock_connect` and `sock_read` ones "
            "raise ServerTimeoutError, which is both): catch both.",
        ),
    ),
    ApiEntry(
        "aiohttp.ClientResponseError",
        sources=(
            Source(
                "Retry only statuses that are worth retrying",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.6",
            ),
        ),
        reference=_RESPONSES,
        summary="Raised by `raise_for_status()`; carries `status`, `message`, `headers`, `request_info`.",
        pattern="""
            try:
                async with session.get(url, raise_for_status=True) as response:
                    return await response.json()
            except aiohttp.ClientResponseError as error:
                if error.status == 404:
                    return None
                raise
        """,
        pitfalls=("Retry only statuses that are worth retrying (429, 502-504), not every error.",),
    ),
    ApiEntry(
        "aiohttp.ClientWebSocketResponse",
        reference=_WEBSOCKETS,
        summary="""
            A client WebSocket from `session.ws_connect()`: send with `send_str`/`send_json`/
            `send_bytes`, receive with `async for` or `receive()`.
        """,
        pattern="""
            async with session.ws_connect(url) as ws:
                await ws.send_json({"subscribe": "prices"})
                async for message in ws:
                    await handle(message)
        """,
        pitfalls=("Only one task may receive at a time; concurrent `receive()` calls raise.",),
    ),
    ApiEntry(
        "aiohttp.ClientWebSocketResponse.send_str",
        reference=_WEBSOCKETS,
        summary="Sends a text message to the server over the open WebSocket.",
        pattern="""
            await ws.send_str("ping")
        """,
        pitfalls=("A coroutine since aiohttp 3.0: forgetting `await` sends nothing.",),
    ),
    ApiEntry(
        "aiohttp.ClientWebSocketResponse.send_json",
        reference=_WEBSOCKETS,
        summary="Serialises `data` to JSON and sends it as a text message.",
        pattern="""
            await ws.send_json({"type": "subscribe", "channel": "orders"})
        """,
        pitfalls=("Non-JSON-serialisable values raise TypeError before anything is sent.",),
    ),
    ApiEntry(
        "aiohttp.ClientWebSocketResponse.receive",
        reference=_WEBSOCKETS,
        summary="Waits for the next message (text, binary, close, error...).",
        pattern="""
            message = await ws.receive(timeout=60)
            if message.type is aiohttp.WSMsgType.CLOSED:
                return
        """,
        pitfalls=("Check `message.type`; CLOSE and ERROR messages arrive through it too.",),
    ),
    ApiEntry(
        "aiohttp.ClientWebSocketResponse.close",
        reference=_WEBSOCKETS,
        summary="Performs the closing handshake and closes the connection.",
        pattern="""
            await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"shutting down")
        """,
        pitfalls=("`async with session.ws_connect(...)` closes it for you.",),
    ),
    ApiEntry(
        "aiohttp.WSMsgType",
        sources=(
            Source(
                "Ignoring ERROR messages hides why a connection ended.",
                "aiohttp/client_ws.py: ClientWebSocketResponse.receive",
            ),
        ),
        reference=_WEBSOCKETS,
        summary="The kinds of WebSocket message: TEXT, BINARY, PING, PONG, CLOSE, CLOSING, CLOSED, ERROR.",
        pattern="""
            async for message in ws:
                if message.type is aiohttp.WSMsgType.ERROR:
                    logger.warning("websocket error: %s", ws.exception())
        """,
        pitfalls=("Ignoring ERROR messages hides why a connection ended.",),
    ),
    # --- Server ---------------------------------------------------------------------------------
    ApiEntry(
        "aiohttp.web.Application",
        sources=(
            Source(
                "Create resources in `cleanup_ctx`, not at import",
                "https://docs.aiohttp.org/en/stable/web_advanced.html#aiohttp-web-cleanup-ctx",
            ),
        ),
        reference=_LIFECYCLE,
        summary="""
            The web application: routes, middlewares, shared state (`app[key]`) and lifecycle
            signals (`cleanup_ctx`, `on_startup`, `on_shutdown`, `on_cleanup`).
        """,
        pattern="""
            def create_app() -> web.Application:
                app = web.Application(client_max_size=10 * 1024**2)
                app.add_routes(routes)
                app.cleanup_ctx.append(http_client)
                return app
        """,
        pitfalls=(
            "Store shared resources in `app[...]` (with `web.AppKey` since 3.9), not globals.",
            "Create resources in `cleanup_ctx`, not at import or in `create_app`, so they bind to "
            "the running loop and are closed on shutdown.",
            "The app freezes on start: adding routes or signals afterwards raises.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.Application.cleanup_ctx",
        sources=(
            Source(
                "The best place to create and close sessions",
                "https://docs.aiohttp.org/en/stable/web_advanced.html#aiohttp-web-cleanup-ctx",
            ),
        ),
        signature="aiohttp.web.Application.cleanup_ctx: list[Callable[[Application], AsyncIterator[None]]]",
        reference=_LIFECYCLE,
        summary="""
            A list of async generators: code before `yield` runs at startup, code after it at
            cleanup, in reverse order. The best place to create and close sessions, pools and
            background tasks.
        """,
        pattern="""
            async def http_client(app: web.Application):
                app[HTTP_CLIENT] = aiohttp.ClientSession()
                yield
                await app[HTTP_CLIENT].close()
        """,
        pitfalls=(
            "Exactly one `yield`: a generator that yields twice or never breaks startup.",
            "An `async with` around the `yield` works too: aiohttp resumes the generator at "
            "cleanup, which leaves the block then.",
            "If startup fails after it yielded, its cleanup still runs; if it fails before the "
            "yield, it does not, so guard partial set-up.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.Application.on_startup",
        sources=(
            Source(
                "For resources that need cleanup, prefer `cleanup_ctx`",
                "https://docs.aiohttp.org/en/stable/web_advanced.html#aiohttp-web-cleanup-ctx",
            ),
        ),
        signature="aiohttp.web.Application.on_startup: Signal[Callable[[Application], Awaitable[None]]]",
        reference=_LIFECYCLE,
        summary="Coroutines called with the app when it starts, in order.",
        pattern="""
            async def warm_cache(app: web.Application) -> None:
                app[CACHE] = await load_cache()

            app.on_startup.append(warm_cache)
        """,
        pitfalls=("For resources that need cleanup, prefer `cleanup_ctx`: it pairs set-up with tear-down.",),
    ),
    ApiEntry(
        "aiohttp.web.Application.on_shutdown",
        signature="aiohttp.web.Application.on_shutdown: Signal[Callable[[Application], Awaitable[None]]]",
        reference=_LIFECYCLE,
        summary="""
            Coroutines called when the server starts shutting down, before cleanup: the place to
            close long-lived connections such as websockets.
        """,
        pattern="""
            async def close_websockets(app: web.Application) -> None:
                for ws in set(app[WEBSOCKETS]):
                    await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY)

            app.on_shutdown.append(close_websockets)
        """,
        pitfalls=("Open websockets keep shutdown waiting until its timeout unless closed here.",),
    ),
    ApiEntry(
        "aiohttp.web.Application.on_cleanup",
        signature="aiohttp.web.Application.on_cleanup: Signal[Callable[[Application], Awaitable[None]]]",
        reference=_LIFECYCLE,
        summary="Coroutines called last on shutdown, after handlers finished.",
        pattern="""
            async def close_pool(app: web.Application) -> None:
                await app[DB_POOL].close()

            app.on_cleanup.append(close_pool)
        """,
        pitfalls=("Not run when startup fails: only the cleanup contexts that reached their `yield` are "
            "finished, so tear-down that must follow a failed start belongs in `cleanup_ctx`.",),
    ),
    ApiEntry(
        "aiohttp.web.Application.add_routes",
        reference=_ROUTES,
        summary="Registers route definitions (a RouteTableDef or a list of `web.get(...)` etc.).",
        pattern="""
            app.add_routes([web.get("/health", health), web.post("/orders", create_order)])
        """,
        pitfalls=("Must be called before the app starts; the router is frozen afterwards.",),
    ),
    ApiEntry(
        "aiohttp.web.Application.router",
        sources=(
            Source(
                "`add_static` is for development",
                "https://docs.aiohttp.org/en/stable/web_advanced.html#aiohttp-web-static-file-handling",
            ),
        ),
        signature="aiohttp.web.Application.router: UrlDispatcher",
        reference=_ROUTES,
        summary="The URL dispatcher: `add_get`, `add_post`, `add_static`, named resources for URL building.",
        pattern="""
            app.router.add_get("/users/{user_id}", get_user, name="user")
            url = app.router["user"].url_for(user_id="42")
        """,
        pitfalls=("`add_static` is for development; serve static files from a proxy in production.",),
    ),
    ApiEntry(
        "aiohttp.web.AppKey",
        reference=_LIFECYCLE,
        summary="A typed key for storing shared state in `app[...]` without string-key warnings.",
        pattern="""
            HTTP_CLIENT = web.AppKey("http_client", aiohttp.ClientSession)
        """,
        pitfalls=("String keys in `app[...]` warn since aiohttp 3.9; switch to AppKey.",),
    ),
    ApiEntry(
        "aiohttp.web.run_app",
        sources=(
            Source(
                "The simplest production entry point.",
                "https://docs.aiohttp.org/en/stable/web_advanced.html#aiohttp-web-complex-applications",
            ),
        ),
        reference=_RUNNING,
        summary="""
            Runs an application until interrupted: creates the loop, serves, handles SIGINT and
            SIGTERM, then shuts down gracefully. The simplest production entry point.
        """,
        pattern="""
            if __name__ == "__main__":
                web.run_app(create_app(), host="0.0.0.0", port=8080)
        """,
        pitfalls=(
            "It runs its own loop: never call it from inside a coroutine; use AppRunner there.",
            "Pass a coroutine returning the app (`run_app(make_app())`) if building the app needs "
            "awaits.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.AppRunner",
        reference=_RUNNING,
        summary="""
            Runs an application inside your own event loop: `await runner.setup()`, start one or
            more sites, and `await runner.cleanup()` on shutdown. Use it to serve HTTP alongside
            other services.
        """,
        pattern="""
            runner = web.AppRunner(create_app())
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 8080)
            await site.start()
            try:
                await stop_event.wait()
            finally:
                await runner.cleanup()
        """,
        pitfalls=(
            "`runner.cleanup()` must run or cleanup contexts never close their resources.",
            "No signal handling by default: wire SIGTERM to your stop event yourself.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.AppRunner.setup",
        reference=_RUNNING,
        summary="Starts the application: runs startup signals and cleanup contexts up to their `yield`.",
        pattern="""
            await runner.setup()
        """,
        pitfalls=("Startup errors raise here; call `cleanup()` in a `finally` anyway.",),
    ),
    ApiEntry(
        "aiohttp.web.AppRunner.cleanup",
        reference=_RUNNING,
        summary="Stops the sites, runs shutdown and cleanup signals, and finishes the cleanup contexts.",
        pattern="""
            try:
                await stop_event.wait()
            finally:
                await runner.cleanup()
        """,
        pitfalls=("Skipping it leaks sockets, sessions and background tasks.",),
    ),
    ApiEntry(
        "aiohttp.web.TCPSite",
        reference=_RUNNING,
        summary="A TCP listener for an AppRunner; start several sites for several addresses.",
        pattern="""
            site = web.TCPSite(runner, "0.0.0.0", 8080, reuse_port=True)
            await site.start()
        """,
        pitfalls=("Port 0 picks a free port; read it back from `runner.addresses`.",),
    ),
    ApiEntry(
        "aiohttp.web.TCPSite.start",
        reference=_RUNNING,
        summary="Binds the socket and starts accepting connections.",
        pattern="""
            await site.start()
        """,
        pitfalls=("Raises OSError when the address is in use; call after `runner.setup()`.",),
    ),
    ApiEntry(
        "aiohttp.web.RouteTableDef",
        reference=_ROUTES,
        summary="""
            Collects routes declared with decorators (`@routes.get(path)`); register them all with
            `app.add_routes(routes)`.
        """,
        pattern="""
            routes = web.RouteTableDef()

            @routes.get("/users/{user_id}")
            async def get_user(request: web.Request) -> web.Response:
                return web.json_response(await load_user(request.match_info["user_id"]))
        """,
        pitfalls=("Declaring routes does nothing until `app.add_routes(routes)`.",),
    ),
    ApiEntry(
        "aiohttp.web.RouteTableDef.get",
        reference=_ROUTES,
        summary="Decorator registering a GET handler (HEAD is added too unless `allow_head=False`).",
        pattern="""
            @routes.get("/health")
            async def health(request: web.Request) -> web.Response:
                return web.json_response({"status": "ok"})
        """,
        pitfalls=(
            "Handlers should be `async def` (a plain function is deprecated and warns); blocking "
            "work inside stalls every request.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.RouteTableDef.post",
        reference=_ROUTES,
        summary="""
            Decorator registering a POST handler for a path; the handler reads the body with
            `await request.json()` or `await request.post()`.
        """,
        pattern="""
            @routes.post("/orders")
            async def create_order(request: web.Request) -> web.Response:
                order = await request.json()
                return web.json_response(await save(order), status=201)
        """,
        pitfalls=("Request bodies over `client_max_size` (1 MiB default) are rejected with 413.",),
    ),
    ApiEntry(
        "aiohttp.web.Request",
        reference=_ROUTES,
        summary="""
            The incoming request: `match_info`, `query`, `headers`, `app`, and coroutines for the
            body (`json()`, `text()`, `post()`, `read()`) or the `content` stream.
        """,
        pattern="""
            async def search(request: web.Request) -> web.Response:
                term = request.query.get("q", "")
                return web.json_response(await run_search(term))
        """,
        pitfalls=("Reach shared resources through `request.app[...]`, not module globals.",),
    ),
    ApiEntry(
        "aiohttp.web.Request.json",
        reference=_ROUTES,
        summary="Reads the request body and decodes it as JSON.",
        pattern="""
            try:
                payload = await request.json()
            except ValueError:
                raise web.HTTPBadRequest(text="invalid JSON")
        """,
        pitfalls=("Invalid JSON raises ValueError: answer 400 instead of a 500.",),
    ),
    ApiEntry(
        "aiohttp.web.Response",
        sources=(
            Source(
                "For large or generated bodies use StreamResponse",
                "https://docs.aiohttp.org/en/stable/web_reference.html#aiohttp.web.StreamResponse",
            ),
        ),
        reference=_ROUTES,
        summary="A complete HTTP response with a body known up front (`text=` or `body=`).",
        pattern="""
            async def hello(request: web.Request) -> web.Response:
                return web.Response(text="hello", content_type="text/plain")
        """,
        pitfalls=("For large or generated bodies use StreamResponse and write chunks.",),
    ),
    ApiEntry(
        "aiohttp.web.StreamResponse",
        reference=_STREAMING,
        summary="A response whose body is written in chunks after `await response.prepare(request)`.",
        pattern="""
            async def export(request: web.Request) -> web.StreamResponse:
                response = web.StreamResponse(headers={"Content-Type": "text/csv"})
                await response.prepare(request)
                async for row in fetch_rows():
                    await response.write(row)
                await response.write_eof()
                return response
        """,
        pitfalls=("Headers changed after `prepare()` are silently not sent.",),
    ),
    ApiEntry(
        "aiohttp.web.json_response",
        reference=_ROUTES,
        summary="Builds a Response with `data` serialised as JSON.",
        pattern="""
            async def get_order(request: web.Request) -> web.Response:
                order = await load_order(request.match_info["order_id"])
                return web.json_response(order)
        """,
        pitfalls=(
            "Datetimes and Decimals are not JSON-serialisable: pass `dumps=` with a custom encoder.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse",
        reference=_WEBSOCKETS,
        summary="""
            The server side of a WebSocket: `await ws.prepare(request)` in a handler, then send
            and receive until the client leaves.
        """,
        pattern="""
            async def feed(request: web.Request) -> web.WebSocketResponse:
                ws = web.WebSocketResponse(heartbeat=30)
                await ws.prepare(request)
                request.app[WEBSOCKETS].add(ws)
                try:
                    async for message in ws:
                        await handle(message)
                finally:
                    request.app[WEBSOCKETS].discard(ws)
                return ws
        """,
        pitfalls=(
            "Track open websockets and close them in `on_shutdown`, or shutdown waits for them.",
            "Sends from several tasks arrive whole, one frame each, but a slow client makes every "
            "sender wait.",
        ),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse.prepare",
        reference=_WEBSOCKETS,
        summary="Performs the WebSocket handshake for the request.",
        pattern="""
            ws = web.WebSocketResponse()
            await ws.prepare(request)
        """,
        pitfalls=("Check `ws.can_prepare(request)` to answer plain HTTP requests gracefully.",),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse.send_str",
        reference=_WEBSOCKETS,
        summary="Sends a text message to the client.",
        pattern="""
            await ws.send_str("welcome")
        """,
        pitfalls=("Raises once the connection is closing; check `ws.closed` in broadcast loops.",),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse.send_json",
        reference=_WEBSOCKETS,
        summary="Sends `data` as a JSON text message.",
        pattern="""
            await ws.send_json({"event": "price", "value": price})
        """,
        pitfalls=("A slow client makes every send wait; broadcast through per-client queues.",),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse.receive",
        reference=_WEBSOCKETS,
        summary="Waits for the next message from the client.",
        pattern="""
            message = await ws.receive(timeout=60)
        """,
        pitfalls=("Prefer `async for message in ws`, which stops on close.",),
    ),
    ApiEntry(
        "aiohttp.web.WebSocketResponse.close",
        reference=_WEBSOCKETS,
        summary="Closes the WebSocket with a close code.",
        pattern="""
            await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"server shutdown")
        """,
        pitfalls=("Waits for the client's close reply up to the `timeout` given to the constructor.",),
    ),
)
