"""Claims about network and process I/O: streams, servers, protocols and transports, sockets,
pipes, signals, name resolution, sendfile and subprocesses, run.

TLS checks use the self-signed localhost certificate in tests/data (made for these tests only).
The mechanism (how sentences are found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pytest

from async_patterns.docs.facts import facts_for
from conftest import interruptible
from docs_claims import claim, pythons, run

DATA = Path(__file__).resolve().parent / "data"
NON_BLOCKING_NAMES = tuple(
    f"asyncio.AbstractEventLoop.{name}"
    for name in ("sock_recv", "sock_recv_into", "sock_recvfrom", "sock_recvfrom_into", "sock_sendall", "sock_sendto", "sock_connect", "sock_accept")
)
CHILD = [sys.executable, "-c"]


def server_tls() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(DATA / "localhost-cert.pem", DATA / "localhost-key.pem")
    return context


def client_tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(DATA / "localhost-cert.pem"))


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


@contextlib.asynccontextmanager
async def serving(handler, **options):
    """A stream server on a free local port; yields the port and closes the server after."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0, **options)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        if sys.version_info < (3, 12):
            await server.wait_closed()


async def echo_lines(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


# --- streams: connections and servers --------------------------------------------------------------------


@claim("asyncio.open_connection", "Opens a TCP (optionally TLS) connection and returns a `(StreamReader, StreamWriter)` pair")
@claim("asyncio.start_server", "Starts a TCP server that calls `client_connected_cb(reader, writer)` for each connection (a coroutine callback runs as its own task) and returns a Server.")
@claim("asyncio.StreamReader", "Obtain it from `open_connection()` or a server callback.")
@claim("asyncio.StreamReader", "The read side of a stream connection: `read()`, `readline()`, `readexactly()`, `readuntil()`, and `async for line in reader`.")
@claim("asyncio.StreamWriter", "The write side of a stream connection.")
@claim("asyncio.Server", "The listening server returned by `loop.create_server()` and `asyncio.start_server()`.")
@claim("production-patterns.md", "`asyncio.start_server()` gives each connection a `StreamReader` and `StreamWriter`.")
def test_a_stream_client_and_server_talk_plainly_and_over_tls() -> None:
    handlers: list[object] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append((asyncio.current_task(), type(reader), type(writer)))
        await echo_lines(reader, writer)

    async def main() -> None:
        for tls in (None, server_tls()):
            server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=tls)
            assert isinstance(server, asyncio.Server)
            port = server.sockets[0].getsockname()[1]
            client = {"ssl": client_tls(), "server_hostname": "localhost"} if tls else {}
            reader, writer = await asyncio.open_connection("127.0.0.1", port, **client)
            assert isinstance(reader, asyncio.StreamReader) and isinstance(writer, asyncio.StreamWriter)
            writer.write(b"one\ntwo\n")
            writer.write_eof() if not tls else None
            lines = [await reader.readline(), await reader.readexactly(4)]
            if tls:
                writer.close()
            else:
                lines += [line async for line in reader]
            assert lines[:2] == [b"one\n", b"two\n"]
            await close(writer)
            server.close()
            await server.wait_closed()

    run(main)
    assert len(handlers) == 2
    assert all(isinstance(task, asyncio.Task) and r is asyncio.StreamReader and w is asyncio.StreamWriter for task, r, w in handlers)
    assert handlers[0][0] is not handlers[1][0]


@claim("asyncio.open_connection", "No timeout by default: wrap connect and reads in `asyncio.timeout()`.")
@claim("asyncio.StreamReader", "Reads have no timeout: wrap them in `asyncio.timeout()`.")
@claim("asyncio.AbstractEventLoop.create_connection", "No timeout of its own: wrap it in `asyncio.timeout()`.")
def test_connects_and_reads_take_no_timeout_and_wait_for_a_silent_peer() -> None:
    for name in ("asyncio.open_connection", "asyncio.AbstractEventLoop.create_connection"):
        names = facts_for(name).newest.parameter_names
        assert "timeout" not in names, name

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    async def main() -> None:
        async with serving(silent) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(reader.readline(), timeout=0.05)
            await close(writer)

    run(main)


@claim("asyncio.open_connection", "Close the writer and `await writer.wait_closed()`, or the socket leaks.")
@claim("asyncio.StreamWriter", "Not awaiting `wait_closed()` can leave the socket open and hides close errors.")
@claim("asyncio.StreamWriter.close", "Starts closing the stream and its socket.")
@claim("asyncio.StreamWriter.close", "Not a coroutine; the close completes later.")
@claim("asyncio.StreamWriter.wait_closed", "Waits until the stream is really closed")
@claim("asyncio.StreamWriter.is_closing", "True if the stream is closed or being closed.")
def test_a_writer_closes_its_socket_only_after_wait_closed_and_leaks_without_close() -> None:
    async def main() -> None:
        async with serving(echo_lines) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            sock = writer.get_extra_info("socket")
            assert not writer.is_closing()
            assert writer.close() is None
            assert writer.is_closing() and sock.fileno() != -1  # still open after close()
            await writer.wait_closed()
            assert sock.fileno() == -1
            _, leaked = await asyncio.open_connection("127.0.0.1", port)
            del leaked, _

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        run(main)
        gc.collect()
    assert any("unclosed" in str(warning.message) for warning in caught)


@claim("asyncio.start_server", "An exception in the handler is only logged")
@claim("asyncio.Server.is_serving", "A serving socket says nothing about the health of the handlers.")
def test_a_failing_handler_is_only_logged_and_the_server_serves_on() -> None:
    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise ValueError("handler failed")

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        reported: list[str] = []
        loop.set_exception_handler(lambda loop, context: reported.append(repr(context.get("exception"))))
        server = await asyncio.start_server(broken, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0.05)
        assert server.is_serving()
        await close(writer)
        server.close()
        await asyncio.sleep(0.05)
        gc.collect()  # before 3.12 the failed handler task is only reported when collected
        await settle()
        return reported

    assert "ValueError('handler failed')" in run(main)


@claim("asyncio.start_server", "Handlers must close their writer; the server does not")
def test_a_handler_that_returns_without_closing_leaves_the_connection_open() -> None:
    async def forgetful(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"hello\n")

    async def main() -> bool:
        async with serving(forgetful) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert await reader.readline() == b"hello\n"
            try:
                await asyncio.wait_for(reader.read(), timeout=0.1)
                closed = True
            except asyncio.TimeoutError:
                closed = False
            await close(writer)
            return closed

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        closed = run(main)
    unclosed = any("unclosed <StreamWriter" in str(warning.message) for warning in caught)
    # Since 3.13 the handler's writer is garbage-collected when it returns, and closed then.
    assert closed == unclosed == (sys.version_info >= (3, 13))


@claim("asyncio.open_unix_connection", "Like `open_connection()`, over a Unix domain socket path.")
@claim("asyncio.start_unix_server", "Like `start_server()`, listening on a Unix domain socket path.")
@claim("asyncio.AbstractEventLoop.create_unix_connection", "Like `create_connection()` over a Unix socket path.")
@claim("asyncio.AbstractEventLoop.create_unix_server", "Like `create_server()` on a Unix socket path.")
@claim("asyncio.start_unix_server", "Before 3.13 the socket file stays on disk after the server closes (a stale one is replaced at the next start)")
@claim("asyncio.AbstractEventLoop.create_unix_server", "Before 3.13 the socket file stays on disk after the server closes.")
@claim("asyncio.AbstractEventLoop.create_unix_server", "the socket file is removed when the server closes, unless `cleanup_socket=False`.")
def test_unix_socket_servers_and_their_socket_file() -> None:
    async def main() -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "app.sock")
            stale = socket.socket(socket.AF_UNIX)
            stale.bind(path)
            stale.close()  # what a crash leaves behind
            server = await asyncio.start_unix_server(echo_lines, path)
            reader, writer = await asyncio.open_unix_connection(path)
            writer.write(b"ping\n")
            assert await reader.readline() == b"ping\n"
            await close(writer)
            server.close()
            await server.wait_closed()
            assert os.path.exists(path) == (sys.version_info < (3, 13))
            loop = asyncio.get_running_loop()
            low_level = await loop.create_unix_server(asyncio.Protocol, path)
            transport, _ = await loop.create_unix_connection(asyncio.Protocol, path)
            transport.close()
            low_level.close()
            await low_level.wait_closed()
            if sys.version_info >= (3, 13):
                assert not os.path.exists(path)
                kept = await loop.create_unix_server(asyncio.Protocol, path, cleanup_socket=False)
                kept.close()
                await kept.wait_closed()
                assert os.path.exists(path)

    run(main)


@claim("asyncio.StreamReaderProtocol", "The Protocol adapter that feeds a StreamReader from a transport.")
@claim("asyncio.StreamReaderProtocol", "Used internally by `open_connection()`/`start_server()`")
@claim("asyncio.Protocol", "Streams are built on it")
def test_streams_are_a_protocol_adapter_feeding_a_reader() -> None:
    assert issubclass(asyncio.StreamReaderProtocol, asyncio.Protocol)

    async def main() -> None:
        async with serving(echo_lines) as port:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            assert type(writer.transport.get_protocol()) is asyncio.StreamReaderProtocol
            await close(writer)

    run(main)


# --- StreamReader ---------------------------------------------------------------------------------------


def fed(data: bytes, *, eof: bool = True, limit: int = 2**16) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=limit)
    reader.feed_data(data)
    if eof:
        reader.feed_eof()
    return reader


@claim("asyncio.StreamReader.read", "Reads up to `n` bytes (default -1: until EOF).")
@claim("asyncio.StreamReader.read", "Returns b\"\" at EOF.")
@claim("asyncio.StreamReader.read", "`read()` with no argument buffers the whole stream in memory.")
@claim("asyncio.StreamReader.read", "Returns fewer bytes than asked; use `readexactly()` for fixed-size fields.")
@claim("asyncio.StreamReader.readline", "Reads one line ending in b\"\\n\"; returns what is left (maybe b\"\") at EOF.")
@claim("asyncio.StreamReader.readexactly", "Reads exactly `n` bytes or raises IncompleteReadError at EOF.")
@claim("asyncio.StreamReader.readuntil", "Reads until `separator` (included) is found.")
@claim("asyncio.StreamReader.feed_data", "Appends bytes to the reader's buffer; how protocols (and tests) feed a StreamReader.")
@claim("asyncio.StreamReader.feed_eof", "Marks the end of the stream; pending and later reads return what is buffered.")
@claim("asyncio.IncompleteReadError", "Raised by `StreamReader.readexactly()` and `readuntil()` when the stream ends first; `.partial` holds the bytes read before EOF.")
@claim("asyncio.IncompleteReadError", "A clean disconnect between frames also raises it (with empty `partial`)")
def test_stream_reader_reads() -> None:
    async def main() -> None:
        assert await fed(b"abcdef").read(4) == b"abcd"
        assert await fed(b"ab").read(10) == b"ab"
        whole = fed(b"x" * 300_000)
        assert len(await whole.read()) == 300_000 and await whole.read() == b""
        lines = fed(b"one\ntwo")
        assert [await lines.readline(), await lines.readline(), await lines.readline()] == [b"one\n", b"two", b""]
        exact = fed(b"12345")
        assert await exact.readexactly(3) == b"123"
        with pytest.raises(asyncio.IncompleteReadError) as short:
            await exact.readexactly(3)
        assert short.value.partial == b"45"
        with pytest.raises(asyncio.IncompleteReadError) as clean:
            await fed(b"").readexactly(4)
        assert clean.value.partial == b""
        until = fed(b"key=value;rest")
        assert await until.readuntil(b";") == b"key=value;"
        with pytest.raises(asyncio.IncompleteReadError) as unterminated:
            await until.readuntil(b";")
        assert unterminated.value.partial == b"rest"
        pending = asyncio.StreamReader()
        waiting = asyncio.ensure_future(pending.read())
        await settle()
        pending.feed_data(b"buffered")
        pending.feed_eof()
        assert await waiting == b"buffered"

    run(main)


@claim("asyncio.StreamReader", "Lines longer than the buffer limit (64 KiB) raise; set `limit=` when opening.")
@claim("asyncio.StreamReader.readline", "Lines over the buffer limit raise ValueError; raise `limit=` when opening.")
@claim("asyncio.StreamReader.readuntil", "Raises LimitOverrunError past the buffer limit, IncompleteReadError at EOF.")
@claim("asyncio.LimitOverrunError", "Raised by `StreamReader.readuntil()` when the separator is not found within the reader's buffer limit (64 KiB by default); `readline()` turns it into ValueError.")
@claim("asyncio.LimitOverrunError", "Raising the limit without bounds lets a peer make you buffer unlimited data.")
@claim("performance.md", "`StreamReader`'s `limit` (64 KiB default) caps how much `readline()`/`readuntil()` buffer while looking for a separator; longer lines raise `LimitOverrunError`/`ValueError`.")
def test_the_reader_limit_bounds_lines() -> None:
    async def main() -> None:
        assert asyncio.StreamReader()._limit == 2**16
        with pytest.raises(ValueError):
            await fed(b"x" * (2**16 + 10) + b"\n").readline()
        with pytest.raises(asyncio.LimitOverrunError):
            await fed(b"x" * (2**16 + 10) + b";").readuntil(b";")
        roomy = fed(b"x" * 3_000_000 + b"\n", limit=2**30)
        assert len(await roomy.readline()) == 3_000_001

    run(main)


@claim("asyncio.StreamReader.readexactly", "It buffers up to `n` bytes whatever the stream's limit")
def test_readexactly_buffers_past_the_limit() -> None:
    async def main() -> int:
        reader = asyncio.StreamReader(limit=1024)
        reading = asyncio.ensure_future(reader.readexactly(1_000_000))
        for _ in range(100):
            reader.feed_data(b"x" * 10_000)
            await asyncio.sleep(0)
        return len(await reading)

    assert run(main) == 1_000_000


@claim("asyncio.StreamReader.readuntil", "`separator` may be a tuple of separators.")
@pythons((3, 13))
def test_readuntil_takes_several_separators() -> None:
    async def main() -> bytes:
        return await fed(b"a\r\nb").readuntil((b"\n", b"\r\n"))

    assert run(main) == b"a\r\n"


@claim("asyncio.StreamReader.at_eof", "True when the buffer is empty and the peer has closed its side.")
@claim("asyncio.StreamReader.at_eof", "False while data is still buffered, even after the peer has closed.")
@claim("asyncio.StreamReader.feed_eof", "Without it, readers wait forever for more data.")
def test_at_eof_needs_eof_and_an_empty_buffer() -> None:
    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(fed(b"more to come", eof=False).readline(), timeout=0.02)
        reader = fed(b"left", eof=False)
        reader.feed_eof()
        assert not reader.at_eof()
        assert await reader.read() == b"left" and reader.at_eof()

    run(main)


@claim("asyncio.StreamReader.exception", "Returns the exception set on the reader by its protocol, if any.")
@claim("asyncio.StreamReader.exception", "Reads raise it anyway; this is for inspection only.")
@claim("asyncio.StreamReader.set_exception", "Makes pending and later reads raise the given exception.")
def test_an_exception_set_on_the_reader_is_raised_by_reads() -> None:
    async def main() -> None:
        reader = asyncio.StreamReader()
        assert reader.exception() is None
        pending = asyncio.ensure_future(reader.read())
        await settle()
        reader.set_exception(ConnectionResetError("peer vanished"))
        assert isinstance(reader.exception(), ConnectionResetError)
        for read in (pending, reader.readline()):
            with pytest.raises(ConnectionResetError):
                await read

    run(main)


@claim("asyncio.StreamReader.feed_data", "Data fed after `feed_eof()` trips an internal assertion")
@claim("asyncio.StreamReader.set_transport", "Attaches the transport the reader pauses and resumes for flow control.")
@claim("asyncio.StreamReader.set_transport", "Set once by the protocol; a second call raises.")
def test_the_protocol_side_of_a_reader_guards_its_state() -> None:
    class FakeTransport(asyncio.ReadTransport):
        def __init__(self) -> None:
            super().__init__()
            self.paused = 0

        def pause_reading(self) -> None:
            self.paused += 1

        def resume_reading(self) -> None:
            self.paused -= 1

    async def main() -> None:
        reader = asyncio.StreamReader(limit=10)
        transport = FakeTransport()
        reader.set_transport(transport)
        with pytest.raises(AssertionError):
            reader.set_transport(transport)
        reader.feed_data(b"x" * 100)
        assert transport.paused == 1  # past twice the limit: the reader paused its transport
        await reader.read(100)
        assert transport.paused == 0
        reader.feed_eof()
        with pytest.raises(AssertionError):
            reader.feed_data(b"late")

    run(main)


# --- StreamWriter -----------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def stalled_peer():
    """A connection whose peer reads nothing until released: yields (writer, release)."""
    release = asyncio.Event()

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()
        while await reader.read(1 << 20):
            pass
        writer.close()

    async with serving(slow) as port:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            yield writer, release
        finally:
            release.set()
            await close(writer)


@claim("asyncio.StreamWriter", "`write()` buffers data; `await drain()` waits until the buffer is below the high-water mark")
@claim("asyncio.StreamWriter", "`write()` without `drain()` lets a slow peer make you buffer unbounded data.")
@claim("asyncio.StreamWriter.write", "Buffers bytes for sending; never blocks.")
@claim("asyncio.StreamWriter.write", "Without `drain()` the buffer grows without limit when the peer is slow.")
@claim("asyncio.StreamWriter.drain", "Waits until the write buffer is below its high-water mark: the stream's back-pressure.")
@claim("asyncio.StreamWriter.transport", "the buffer limits set here decide when `drain()` waits.")
@claim("asyncio.Transport", "`write()` never blocks; the protocol must honour `pause_writing()`.")
@claim("asyncio.WriteTransport", "Check `get_write_buffer_size()` or use flow control; writes queue in memory.")
@claim("performance.md", "`writer.write()` never blocks, it only appends to the transport's buffer.")
@claim("performance.md", "`await writer.drain()` waits while the buffer is above the high-water mark (64 KiB by default), which throttles you to the peer's pace.")
@claim("performance.md", "`transport.set_write_buffer_limits(high=...)` trades memory for fewer pauses.")
def test_write_buffers_without_blocking_and_drain_waits_for_a_slow_peer() -> None:
    async def main() -> None:
        async with stalled_peer() as (writer, release):
            assert writer.transport.get_write_buffer_limits()[1] == 64 * 1024
            started = time.monotonic()
            for _ in range(50):
                writer.write(b"x" * 1_000_000)  # 50 MB into a peer that reads nothing
            assert time.monotonic() - started < 5
            assert writer.transport.get_write_buffer_size() > 40_000_000
            draining = asyncio.ensure_future(writer.drain())
            await asyncio.sleep(0.02)
            assert not draining.done()
            release.set()
            await asyncio.wait_for(draining, timeout=30)
            assert writer.transport.get_write_buffer_size() <= 64 * 1024
            writer.transport.set_write_buffer_limits(high=100 * 1024 * 1024)
            writer.write(b"x" * 1_000_000)
            drained_at_once = asyncio.ensure_future(writer.drain())
            await asyncio.sleep(0)
            assert drained_at_once.done()

    run(main)


@claim("asyncio.StreamWriter.writelines", "Buffers a sequence of byte strings; like several `write()` calls.")
@claim("asyncio.StreamWriter.writelines", "Items must be bytes; there is no newline added.")
@claim("asyncio.StreamWriter.get_extra_info", "Returns transport details: \"peername\", \"sockname\", \"socket\", \"ssl_object\", ...")
@claim("asyncio.StreamWriter.get_extra_info", "Returns the default (None) for keys the transport does not know.")
@claim("asyncio.StreamWriter.write_eof", "Closes the write half after flushing, leaving the read half open.")
@claim("asyncio.StreamWriter.can_write_eof", "True if the transport supports `write_eof()`.")
@claim("asyncio.StreamWriter.transport", "The underlying transport, for flow-control tuning and low-level details.")
def test_writelines_extra_info_and_half_close() -> None:
    async def main() -> None:
        async with serving(echo_lines) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            with pytest.raises(TypeError):
                writer.writelines(["text"])
            writer.writelines([b"a", b"b\n", b"c\n"])
            assert writer.get_extra_info("peername")[1] == port and writer.get_extra_info("socket") is not None
            assert writer.get_extra_info("ssl_object") is None and writer.get_extra_info("no such key") is None
            assert writer.can_write_eof() and isinstance(writer.transport, asyncio.Transport)
            writer.write_eof()
            assert await reader.read() == b"ab\nc\n"  # the read half still works after our EOF

    run(main)


@claim("asyncio.StreamWriter.write_eof", "TLS streams cannot half-close; check `can_write_eof()`.")
@claim("asyncio.StreamWriter.can_write_eof", "False for TLS connections.")
def test_a_tls_stream_cannot_write_eof() -> None:
    async def main() -> None:
        async with serving(echo_lines, ssl=server_tls()) as port:
            _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_tls(), server_hostname="localhost")
            assert writer.get_extra_info("ssl_object") is not None and not writer.can_write_eof()
            with pytest.raises(NotImplementedError):
                writer.write_eof()
            await close(writer)

    run(main)


@claim("asyncio.StreamWriter.drain", "Raises the connection's error (e.g. ConnectionResetError) if the peer went away.")
@claim("asyncio.StreamWriter.wait_closed", "Can raise the connection's error; suppress ConnectionError where that is expected.")
@claim("asyncio.StreamWriter.is_closing", "Writing to a closing stream is silently ignored or raises later.")
def test_a_vanished_peer_surfaces_in_drain_and_wait_closed() -> None:
    async def resets(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        writer.transport.abort()  # a reset, not an orderly close

    async def main() -> None:
        async with serving(resets) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"hello\n")
            await writer.drain()
            with pytest.raises(ConnectionError):
                for _ in range(100):
                    await asyncio.sleep(0.01)
                    writer.write(b"more\n")
                    await writer.drain()
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            writer.write(b"ignored\n")  # closing: no error here
            with pytest.raises(ConnectionError):
                await writer.drain()

    run(main)


@claim("asyncio.StreamWriter.start_tls", "Upgrades an open connection to TLS in place (STARTTLS-style protocols).")
@claim("asyncio.StreamWriter.start_tls", "It awaits `drain()` itself first")
@claim("asyncio.AbstractEventLoop.start_tls", "Upgrades an existing transport to TLS and returns the new transport.")
@claim("asyncio.AbstractEventLoop.start_tls", "Use only the returned transport afterwards; the old one is unusable.")
@pythons((3, 11))
def test_start_tls_upgrades_a_plain_connection() -> None:
    import inspect

    assert "await self.drain()" in inspect.getsource(asyncio.StreamWriter.start_tls)

    async def starttls_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert await reader.readline() == b"STARTTLS\n"
        writer.write(b"GO\n")
        await writer.drain()
        await writer.start_tls(server_tls())
        await echo_lines(reader, writer)

    async def main() -> None:
        async with serving(starttls_server) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"STARTTLS\n")
            assert await reader.readline() == b"GO\n"
            plain = writer.transport
            await writer.start_tls(client_tls(), server_hostname="localhost")
            assert writer.transport is not plain and writer.get_extra_info("ssl_object") is not None
            assert not isinstance(plain.get_protocol(), asyncio.StreamReaderProtocol)  # it feeds the TLS layer now
            writer.write(b"secret\n")
            assert await reader.readline() == b"secret\n"
            await close(writer)

    run(main)


# --- Server -----------------------------------------------------------------------------------------------


@claim("asyncio.Server", "Use it as an async context manager and call `serve_forever()`; `close()` stops accepting connections.")
@claim("asyncio.Server.serve_forever", "Accepts connections until cancelled, then closes the server.")
@claim("asyncio.Server.serve_forever", "Only one `serve_forever()` per server; a second raises RuntimeError.")
@claim("asyncio.Server.close", "Stops listening.")
@claim("asyncio.Server.close", "Not a coroutine; follow it with `await server.wait_closed()`.")
@claim("asyncio.Server.start_serving", "Starts accepting connections without blocking (when created with `start_serving=False`).")
@claim("asyncio.Server.start_serving", "Servers start serving on creation by default; this is rarely needed.")
@claim("asyncio.Server.is_serving", "True while the server accepts connections.")
@claim("asyncio.Server.sockets", "The listening sockets; read the real port after binding port 0.")
@claim("asyncio.Server.get_loop", "Returns the loop the server runs on.")
@claim("asyncio.AbstractServer", "the concrete object you get is an `asyncio.Server`.")
def test_a_server_serves_until_closed_or_cancelled() -> None:
    async def main() -> None:
        server = await asyncio.start_server(echo_lines, "127.0.0.1", 0)
        assert isinstance(server, asyncio.AbstractServer) and server.is_serving()
        assert server.get_loop() is asyncio.get_running_loop() and server.sockets[0].getsockname()[1] > 0
        async with server:
            forever = asyncio.ensure_future(server.serve_forever())
            await settle()
            with pytest.raises(RuntimeError):
                await server.serve_forever()
            forever.cancel()
            with pytest.raises(asyncio.CancelledError):
                await forever
            assert not server.is_serving()
        lazy = await asyncio.start_server(echo_lines, "127.0.0.1", 0, start_serving=False)
        lazy_port = lazy.sockets[0].getsockname()[1]
        assert not lazy.is_serving()
        await lazy.start_serving()
        assert lazy.is_serving()
        _, writer = await asyncio.open_connection("127.0.0.1", lazy_port)
        await close(writer)
        assert lazy.close() is None
        await lazy.wait_closed()
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", lazy_port)

    run(main)


@claim("asyncio.Server", "`close()` does not close connections already accepted")
@claim("asyncio.Server.close", "Existing connections stay open (until 3.13's `close_clients`).")
@claim("asyncio.Server.wait_closed", "Waits until the server is closed and (since 3.12) its connections are gone.")
@claim("asyncio.Server.wait_closed", "Since 3.12 it waits for open connections: close them, or it can hang.")
@claim("asyncio.Server.wait_closed", "waits for all active connections to close.")
@claim("production-patterns.md", "For an `asyncio.Server`, call `close()` then `await wait_closed()`")
def test_closing_a_server_leaves_accepted_connections_open() -> None:
    async def main() -> None:
        server = await asyncio.start_server(echo_lines, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await settle()
        server.close()
        writer.write(b"still here\n")
        assert await reader.readline() == b"still here\n"
        waiting = asyncio.ensure_future(server.wait_closed())
        await asyncio.sleep(0.05)
        assert waiting.done() == (sys.version_info < (3, 12))
        await close(writer)
        await asyncio.wait_for(waiting, timeout=5)

    run(main)


@claim("asyncio.Server.close_clients", "Closes every connection the server accepted (gracefully, after buffered writes).")
@claim("asyncio.Server.close_clients", "Before 3.13, track writers in a set and close them yourself.")
@claim("asyncio.Server.abort_clients", "Aborts every accepted connection at once, dropping unsent data.")
@claim("asyncio.Server.abort_clients", "Data still buffered is lost")
@claim("asyncio.Server", "before 3.13 there is no `close_clients()`")
@claim("production-patterns.md", "since 3.13 `close_clients()` closes the accepted connections too")
@claim("production-patterns.md", "Python 3.13's `Server.close_clients()` does it for you")
def test_close_clients_and_abort_clients() -> None:
    assert facts_for("asyncio.Server.close_clients").added == (3, 13)
    if sys.version_info < (3, 13):
        assert not hasattr(asyncio.Server, "close_clients")
        return

    big = b"x" * 20_000_000

    async def talker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(big)
        await asyncio.Event().wait()

    async def received(close_how: str) -> int:
        server = await asyncio.start_server(talker, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0.05)
        server.close()
        getattr(server, close_how)()
        total = 0
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(1 << 20):
                total += len(chunk)
        await close(writer)
        return total

    async def main() -> tuple[int, int]:
        return await received("close_clients"), await received("abort_clients")

    graceful, aborted = run(main)
    assert graceful == len(big) and aborted < len(big)


@claim("asyncio.Server.sockets", "Do not read from or close these sockets yourself.")
@claim("asyncio.Server.get_loop", "Servers cannot be used from another loop.")
@pythons((3, 11))
def test_server_sockets_are_wrappers_and_the_server_belongs_to_its_loop() -> None:
    async def start() -> asyncio.Server:
        return await asyncio.start_server(echo_lines, "127.0.0.1", 0)

    with asyncio.Runner() as first:
        server = first.run(start())
        sock = server.sockets[0]
        assert type(sock).__name__ == "TransportSocket" and not hasattr(sock, "close") and not hasattr(sock, "recv")

        async def from_another_loop() -> None:
            await server.serve_forever()

        with pytest.raises(RuntimeError):
            asyncio.run(from_another_loop())
        server.close()
        first.run(server.wait_closed())


@claim("asyncio.AbstractEventLoop.create_server", "Listens on a host/port with a Protocol factory; returns a Server.")
@claim("asyncio.AbstractEventLoop.create_server", "`host=None` listens on all interfaces; be explicit in production.")
@claim("asyncio.AbstractEventLoop.create_connection", "Opens a TCP/TLS connection with a Protocol; returns `(transport, protocol)`.")
def test_create_server_on_all_interfaces_and_create_connection() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        everywhere = await loop.create_server(asyncio.Protocol, None, 0)
        assert isinstance(everywhere, asyncio.Server)
        assert {sock.getsockname()[0] for sock in everywhere.sockets} <= {"0.0.0.0", "::"}
        port = next(sock.getsockname()[1] for sock in everywhere.sockets if sock.family == socket.AF_INET)
        transport, protocol = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
        assert isinstance(transport, asyncio.Transport) and type(protocol) is asyncio.Protocol
        transport.close()
        everywhere.close()
        await settle()

    run(main)


# --- protocols and transports ---------------------------------------------------------------------------


class Recorder(asyncio.Protocol):
    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.events: list[str] = []
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.events.append("made")

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def eof_received(self):
        self.events.append("eof")

    def pause_writing(self) -> None:
        self.events.append("pause")

    def resume_writing(self) -> None:
        self.events.append("resume")

    def connection_lost(self, exc) -> None:
        self.events.append("lost")
        if not self.done.done():
            self.done.set_result(None)


@contextlib.asynccontextmanager
async def protocol_pair():
    """A server-side and a client-side Recorder connected over TCP."""
    loop = asyncio.get_running_loop()
    accepted = loop.create_future()

    def factory() -> Recorder:
        recorder = Recorder()
        accepted.set_result(recorder)
        return recorder

    server = await loop.create_server(factory, "127.0.0.1", 0)
    _, client = await loop.create_connection(Recorder, "127.0.0.1", server.sockets[0].getsockname()[1])
    peer = await accepted
    await settle()
    try:
        yield peer, client
    finally:
        client.transport.close()
        peer.transport.close()
        server.close()
        await settle()


@claim("asyncio.BaseProtocol", "Base of all protocols: `connection_made`, `connection_lost`, and the flow-control hooks `pause_writing`/`resume_writing`.")
@claim("asyncio.BaseProtocol", "Protocol callbacks are synchronous: never block in them.")
@claim("asyncio.Protocol", "Callback interface for stream transports (TCP, TLS, pipes): `data_received(data)` and `eof_received()`.")
@claim("asyncio.Protocol", "`data_received` gets arbitrary chunks, not messages: buffer and frame yourself.")
@claim("asyncio.BaseTransport", "Base of all transports: `close()`, `is_closing()`, `get_extra_info()`.")
@claim("asyncio.Transport", "A bidirectional stream transport (TCP, TLS, pipes): `write()`, `write_eof()`, `pause_reading()`, `set_write_buffer_limits()`.")
@claim("asyncio.WriteTransport", "The write half of a transport: `write()`, `writelines()`, `write_eof()`, buffer size and limits.")
@claim("asyncio.ReadTransport", "The read half of a transport: `pause_reading()`, `resume_reading()`, `is_reading()`.")
@claim("asyncio.ReadTransport", "Pausing without resuming stalls the connection silently.")
@claim("performance.md", "`pause_reading()` stops incoming data")
def test_protocol_callbacks_and_transport_methods() -> None:
    import inspect

    for hook in ("connection_made", "connection_lost", "pause_writing", "resume_writing"):
        assert hasattr(asyncio.BaseProtocol, hook) and not inspect.iscoroutinefunction(getattr(asyncio.BaseProtocol, hook))
    assert issubclass(asyncio.Protocol, asyncio.BaseProtocol) and issubclass(asyncio.DatagramProtocol, asyncio.BaseProtocol)
    for transport_class, methods in (
        (asyncio.BaseTransport, ("close", "is_closing", "get_extra_info")),
        (asyncio.ReadTransport, ("pause_reading", "resume_reading", "is_reading")),
        (asyncio.WriteTransport, ("write", "writelines", "write_eof", "get_write_buffer_size", "set_write_buffer_limits")),
    ):
        assert all(hasattr(transport_class, method) for method in methods)
    assert issubclass(asyncio.Transport, asyncio.ReadTransport) and issubclass(asyncio.Transport, asyncio.WriteTransport)

    async def main() -> None:
        async with protocol_pair() as (peer, client):
            client.transport.write(b"first message\n")
            client.transport.write(b"second message\n")
            await asyncio.sleep(0.02)
            assert peer.chunks == [b"first message\nsecond message\n"]  # two messages, one chunk
            peer.transport.pause_reading()
            assert not peer.transport.is_reading()
            client.transport.write(b"held back")
            await asyncio.sleep(0.02)
            assert len(peer.chunks) == 1  # nothing arrives while paused
            peer.transport.resume_reading()
            await asyncio.sleep(0.02)
            assert peer.chunks[-1] == b"held back"
            client.transport.write_eof()
            await asyncio.sleep(0.02)
            assert "eof" in peer.events and peer.events[0] == "made"

    run(main)


@claim("asyncio.Protocol", "Respect `pause_writing()` or a slow peer makes you buffer without bound.")
@claim("performance.md", "flow control is manual (`pause_writing()`/`resume_writing()` tell you when the peer is slow")
def test_a_protocol_is_told_to_pause_and_resume_writing() -> None:
    async def main() -> None:
        async with protocol_pair() as (peer, client):
            peer.transport.pause_reading()
            for _ in range(20):
                client.transport.write(b"x" * 1_000_000)
            assert client.events.count("pause") == 1
            assert client.transport.get_write_buffer_size() > 10_000_000  # the writes went on anyway
            peer.transport.resume_reading()
            for _ in range(500):
                if "resume" in client.events:
                    break
                await asyncio.sleep(0.01)
            assert "resume" in client.events

    run(main)


@claim("asyncio.BufferedProtocol", "A protocol that supplies its own receive buffer (`get_buffer`, `buffer_updated`), so the loop reads straight into it and avoids copies.")
@claim("asyncio.BufferedProtocol", "The buffer is overwritten on the next read: consume it in `buffer_updated`.")
@claim("performance.md", "`BufferedProtocol` goes further and lets the loop read straight into your buffer.")
def test_a_buffered_protocol_receives_into_its_own_buffer() -> None:
    class IntoOneBuffer(asyncio.BufferedProtocol):
        def __init__(self) -> None:
            self.buffer = bytearray(16)
            self.seen: list[bytes] = []

        def get_buffer(self, sizehint: int) -> bytearray:
            return self.buffer

        def buffer_updated(self, nbytes: int) -> None:
            self.seen.append(bytes(self.buffer[:nbytes]))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        receiver = IntoOneBuffer()
        server = await loop.create_server(lambda: receiver, "127.0.0.1", 0)
        transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", server.sockets[0].getsockname()[1])
        transport.write(b"first")
        await asyncio.sleep(0.02)
        transport.write(b"2nd")
        await asyncio.sleep(0.02)
        assert receiver.seen == [b"first", b"2nd"] and bytes(receiver.buffer[:5]) == b"2ndst"
        transport.close()
        server.close()
        await settle()

    run(main)


@claim("asyncio.DatagramProtocol", "Callback interface for UDP endpoints: `datagram_received(data, addr)` and `error_received(exc)`.")
@claim("asyncio.DatagramTransport", "A UDP transport: `sendto(data, addr)` and `abort()`.")
@claim("asyncio.DatagramTransport", "Send errors arrive later through `error_received`, not as exceptions here.")
@claim("asyncio.AbstractEventLoop.create_datagram_endpoint", "Creates a UDP endpoint; returns `(transport, protocol)`.")
@claim("performance.md", "UDP uses `DatagramProtocol` with `loop.create_datagram_endpoint()`")
def test_datagram_endpoints() -> None:
    class Datagrams(asyncio.DatagramProtocol):
        def __init__(self) -> None:
            self.received: list[tuple[bytes, tuple]] = []
            self.errors: list[BaseException] = []

        def datagram_received(self, data: bytes, addr) -> None:
            self.received.append((data, addr))

        def error_received(self, exc: Exception) -> None:
            self.errors.append(exc)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server_transport, server = await loop.create_datagram_endpoint(Datagrams, local_addr=("127.0.0.1", 0))
        assert all(hasattr(server_transport, method) for method in ("sendto", "abort"))
        client_transport, _ = await loop.create_datagram_endpoint(Datagrams, local_addr=("127.0.0.1", 0))
        client_transport.sendto(b"ping", server_transport.get_extra_info("sockname"))
        await asyncio.sleep(0.02)
        assert server.received[0][0] == b"ping"
        nobody = _closed_udp_port()
        lonely_transport, lonely = await loop.create_datagram_endpoint(Datagrams, remote_addr=("127.0.0.1", nobody))
        lonely_transport.sendto(b"anyone?")  # no exception here
        for _ in range(100):
            if lonely.errors:
                break
            await asyncio.sleep(0.01)
        assert isinstance(lonely.errors[0], ConnectionRefusedError)
        lonely_transport.abort()
        for transport in (server_transport, client_transport):
            transport.close()
        await settle()

    run(main)


def _closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@claim("asyncio.AbstractEventLoop.create_datagram_endpoint", "`reuse_address=True` is refused for security reasons")
def test_reuse_address_is_refused() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        error = ValueError if sys.version_info < (3, 11) else TypeError
        with pytest.raises(error):
            await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0), reuse_address=True)
        transport, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0), reuse_port=True)
        transport.close()

    run(main)


@claim("asyncio.AbstractEventLoop.connect_accepted_socket", "Wraps a socket accepted elsewhere (e.g. by another framework) into a transport/protocol pair.")
@claim("asyncio.AbstractEventLoop.connect_accepted_socket", "The loop takes ownership of the socket; do not use it afterwards.")
def test_connect_accepted_socket_takes_the_socket_over() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        transport, protocol = await loop.connect_accepted_socket(Recorder, left)
        assert isinstance(protocol, Recorder)
        right.sendall(b"hi")
        await asyncio.sleep(0.02)
        assert protocol.chunks == [b"hi"]
        transport.close()
        await settle()
        assert left.fileno() == -1  # closing the transport closed our socket too
        right.close()

    run(main)


# --- sockets, pipes, DNS, sendfile ------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.sock_recv", "Receives up to `nbytes` from a non-blocking socket.")
@claim("asyncio.AbstractEventLoop.sock_recv_into", "Receives into a caller-supplied buffer; returns the byte count.")
@claim("asyncio.AbstractEventLoop.sock_sendall", "Sends all the data on a non-blocking socket.")
@claim("asyncio.AbstractEventLoop.sock_accept", "Accepts a connection on a listening non-blocking socket.")
@claim("asyncio.AbstractEventLoop.sock_connect", "Connects a non-blocking socket to an address without blocking the loop.")
@claim("asyncio.AbstractEventLoop.sock_connect", "A host name is first resolved with `loop.getaddrinfo()` (in the executor)")
@claim("performance.md", "The `loop.sock_*` methods (`sock_recv`, `sock_sendall`, ...) are the raw-socket alternative for code that manages its own non-blocking sockets.")
def test_the_raw_stream_socket_methods() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        client = socket.socket()
        client.setblocking(False)
        resolved: list[str] = []
        original = loop.getaddrinfo

        async def recording_getaddrinfo(host, *args, **kwargs):
            resolved.append(host)
            return await original(host, *args, **kwargs)

        loop.getaddrinfo = recording_getaddrinfo
        accepting = asyncio.ensure_future(loop.sock_accept(listener))
        await loop.sock_connect(client, ("localhost", listener.getsockname()[1]))
        connection, _ = await accepting
        connection.setblocking(False)
        assert resolved == ["localhost"]
        await loop.sock_sendall(client, b"x" * 100_000)
        received = b""
        while len(received) < 100_000:
            received += await loop.sock_recv(connection, 65536)
        buffer = bytearray(10)
        await loop.sock_sendall(client, b"into")
        assert await loop.sock_recv_into(connection, buffer) == 4 and buffer[:4] == b"into"
        for sock in (client, connection, listener):
            sock.close()

    run(main)


@claim("asyncio.AbstractEventLoop.sock_recvfrom", "Receives a datagram and its sender address from a non-blocking socket.")
@claim("asyncio.AbstractEventLoop.sock_recvfrom_into", "Receives a datagram into a buffer; returns `(nbytes, address)`.")
@claim("asyncio.AbstractEventLoop.sock_sendto", "Sends a datagram to an address on a non-blocking socket.")
@pythons((3, 11))
def test_the_raw_datagram_socket_methods() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        receiver, sender = (socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2))
        for sock in (receiver, sender):
            sock.bind(("127.0.0.1", 0))
            sock.setblocking(False)
        await loop.sock_sendto(sender, b"one", receiver.getsockname())
        data, address = await loop.sock_recvfrom(receiver, 100)
        assert (data, address) == (b"one", sender.getsockname())
        await loop.sock_sendto(sender, b"two", receiver.getsockname())
        buffer = bytearray(10)
        assert await loop.sock_recvfrom_into(receiver, buffer) == (3, sender.getsockname())
        receiver.close()
        sender.close()

    run(main)


@claim(NON_BLOCKING_NAMES, "The socket must be non-blocking (`sock.setblocking(False)`); streams are simpler for most code.")
def test_debug_mode_refuses_blocking_sockets() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        with pytest.raises(ValueError, match="non-blocking"):
            await loop.sock_recv(left, 10)
        left.close()
        right.close()

    asyncio.run(main(), debug=True)


@claim("asyncio.AbstractEventLoop.sock_sendall", "`sock.sendall()` called directly blocks the loop.")
def test_a_direct_sendall_holds_the_loop() -> None:
    async def main() -> list[str]:
        ran: list[str] = []
        left, right = socket.socketpair()
        left.settimeout(0.05)  # a blocking socket, bounded so the test ends
        asyncio.get_running_loop().call_soon(ran.append, "callback")
        with pytest.raises(TimeoutError if sys.version_info >= (3, 10) else socket.timeout):
            left.sendall(b"x" * 50_000_000)  # nobody reads the other end
        snapshot = list(ran)
        left.close()
        right.close()
        return snapshot

    assert run(main) == []


@claim("asyncio.AbstractEventLoop.getaddrinfo", "Resolves a host name without blocking the loop (runs `socket.getaddrinfo` in the executor).")
@claim("asyncio.AbstractEventLoop.getaddrinfo", "`socket.getaddrinfo()` called directly blocks the loop during DNS lookups.")
@claim("asyncio.AbstractEventLoop.getnameinfo", "Reverse-resolves an address without blocking the loop.")
@claim("asyncio.AbstractEventLoop.getnameinfo", "It runs `socket.getnameinfo` in the default executor")
@claim("mixing-sync-async.md", "DNS lookups go through it too")
def test_name_resolution_runs_in_the_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: dict[str, str] = {}
    real_getaddrinfo, real_getnameinfo = socket.getaddrinfo, socket.getnameinfo

    def slow_getaddrinfo(*args, **kwargs):
        threads.setdefault("getaddrinfo", threading.current_thread().name)
        time.sleep(0.02)  # a slow DNS server
        return real_getaddrinfo(*args, **kwargs)

    def recording_getnameinfo(*args, **kwargs):
        threads["getnameinfo"] = threading.current_thread().name
        return real_getnameinfo(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    monkeypatch.setattr(socket, "getnameinfo", recording_getnameinfo)

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        ran: list[str] = []
        loop.call_soon(ran.append, "during the lookup")
        infos = await loop.getaddrinfo("localhost", 80)
        assert infos and ran == ["during the lookup"]
        host, _ = await loop.getnameinfo(("127.0.0.1", 80))
        assert host
        blocked: list[str] = []
        loop.call_soon(blocked.append, "callback")
        socket.getaddrinfo("localhost", 80)
        return list(blocked)

    assert run(main) == []
    assert threads["getaddrinfo"] != threading.main_thread().name
    assert threads["getnameinfo"] != threading.main_thread().name


@claim("asyncio.AbstractEventLoop.sendfile", "Sends a file over a transport, zero-copy where the OS allows.")
@claim("asyncio.AbstractEventLoop.sendfile", "TLS transports have no zero-copy path; keep `fallback=True` so it still works there.")
@claim("asyncio.AbstractEventLoop.sock_sendfile", "Sends a file over a socket with `os.sendfile` where possible.")
@claim("asyncio.AbstractEventLoop.sock_sendfile", "Raises SendfileNotAvailableError only when `fallback=False`.")
@claim("asyncio.SendfileNotAvailableError", "Raised by `loop.sendfile()`/`sock_sendfile()` when the zero-copy path is not available and `fallback=False` was given.")
@claim("asyncio.SendfileNotAvailableError", "TLS transports and some platforms never support native sendfile; keep `fallback=True`.")
@claim("performance.md", "`loop.sendfile()` sends a file with the kernel's zero-copy path when it can.")
def test_sendfile_uses_the_kernel_where_it_can_and_falls_back_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    payload = os.urandom(300_000)
    used_os_sendfile: list[int] = []
    real_sendfile = os.sendfile

    def recording_sendfile(*args):
        used_os_sendfile.append(1)
        return real_sendfile(*args)

    monkeypatch.setattr(os, "sendfile", recording_sendfile)

    async def collect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, into: asyncio.Future) -> None:
        into.set_result(await reader.read())
        writer.close()

    async def send_over(tls: bool, fallback: bool) -> bytes:
        loop = asyncio.get_running_loop()
        got = loop.create_future()
        async with serving(lambda r, w: collect(r, w, got), ssl=server_tls() if tls else None) as port:
            options = {"ssl": client_tls(), "server_hostname": "localhost"} if tls else {}
            _, writer = await asyncio.open_connection("127.0.0.1", port, **options)
            with tempfile.TemporaryFile() as file:
                file.write(payload)
                file.seek(0)
                try:
                    await loop.sendfile(writer.transport, file, fallback=fallback)
                finally:
                    await close(writer)
            return await got

    async def main() -> None:
        assert await send_over(tls=False, fallback=False) == payload and used_os_sendfile
        used_os_sendfile.clear()
        assert await send_over(tls=True, fallback=True) == payload and not used_os_sendfile
        with pytest.raises((asyncio.SendfileNotAvailableError, RuntimeError)):
            await send_over(tls=True, fallback=False)
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        left.setblocking(False)
        with tempfile.TemporaryFile() as file:
            file.write(b"data")
            file.seek(0)
            assert await loop.sock_sendfile(left, file) == 4
        with pytest.raises(asyncio.SendfileNotAvailableError):
            await loop.sock_sendfile(left, io.BytesIO(b"not a regular file"), fallback=False)
        assert await loop.sock_sendfile(left, io.BytesIO(b"fallback"), fallback=True) == 8
        left.close()
        right.close()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run(main)


@claim("asyncio.AbstractEventLoop.add_reader", "Calls a callback whenever a file descriptor is readable.")
@claim("asyncio.AbstractEventLoop.remove_reader", "Stops watching a file descriptor for readability.")
@claim("asyncio.AbstractEventLoop.add_writer", "Calls a callback whenever a file descriptor is writable.")
@claim("asyncio.AbstractEventLoop.add_writer", "A socket is almost always writable: remove the writer once drained, or it spins.")
@claim("asyncio.AbstractEventLoop.remove_writer", "Stops watching a file descriptor for writability.")
@claim("asyncio.AbstractEventLoop.remove_writer", "Forgetting it keeps the callback firing every iteration.")
def test_watching_file_descriptors() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        readable: list[bytes] = []
        loop.add_reader(left.fileno(), lambda: readable.append(left.recv(100)))
        right.sendall(b"ready")
        await asyncio.sleep(0.01)
        assert readable == [b"ready"]
        assert loop.remove_reader(left.fileno()) is True
        right.sendall(b"unwatched")
        await asyncio.sleep(0.01)
        assert readable == [b"ready"]
        writable = 0

        def on_writable() -> None:
            nonlocal writable
            writable += 1

        loop.add_writer(left.fileno(), on_writable)
        for _ in range(10):
            await asyncio.sleep(0)
        assert writable >= 9  # once per iteration: it spins
        assert loop.remove_writer(left.fileno()) is True
        after = writable
        await settle()
        assert writable == after
        left.close()
        right.close()

    run(main)


@claim("asyncio.AbstractEventLoop.add_reader", "Remove it with `remove_reader()` before closing the descriptor.")
@claim("asyncio.AbstractEventLoop.remove_reader", "Closing the descriptor first leaves a stale registration.")
def test_closing_a_watched_descriptor_leaves_it_registered() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        number = left.fileno()
        loop.add_reader(number, lambda: None)
        left.close()
        assert number in loop._selector.get_map()  # the selector still holds the dead descriptor
        loop.remove_reader(number)
        right.close()

    run(main)


@claim("asyncio.AbstractEventLoop.connect_read_pipe", "Wraps the read end of a pipe (or other file-like object) in a transport.")
@claim("asyncio.AbstractEventLoop.connect_read_pipe", "Regular files are not supported; only pipes, sockets and character devices.")
@claim("asyncio.AbstractEventLoop.connect_write_pipe", "Wraps the write end of a pipe in a transport.")
@claim("asyncio.AbstractEventLoop.connect_write_pipe", "Respect flow control; a full pipe buffers writes in memory.")
def test_pipes_become_transports() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        read_fd, write_fd = os.pipe()
        reading, reader = await loop.connect_read_pipe(Recorder, os.fdopen(read_fd, "rb", 0))
        writing, writer = await loop.connect_write_pipe(Recorder, os.fdopen(write_fd, "wb", 0))
        writing.write(b"through the pipe")
        await asyncio.sleep(0.02)
        assert reader.chunks == [b"through the pipe"]
        reading.pause_reading()
        for _ in range(20):
            writing.write(b"x" * 100_000)
        assert writing.get_write_buffer_size() > 1_000_000 and "pause" in writer.events
        writing.abort()
        reading.close()
        with tempfile.TemporaryFile() as regular, pytest.raises(ValueError):
            await loop.connect_read_pipe(asyncio.Protocol, regular)
        await settle()

    run(main)


# --- signals ---------------------------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.add_signal_handler", "Runs a callback in the loop when a Unix signal arrives")
@claim("asyncio.AbstractEventLoop.remove_signal_handler", "Removes a handler set with `add_signal_handler()`; returns True if one was set.")
@claim("asyncio.AbstractEventLoop.remove_signal_handler", "Restores the default action, not a handler set with `signal.signal` before.")
@claim("production-patterns.md", "On Unix, `loop.add_signal_handler()` runs a callback in the loop when a signal arrives.")
def test_signal_handlers_run_in_the_loop() -> None:
    previous = signal.signal(signal.SIGUSR1, lambda number, frame: None)
    try:

        async def main() -> None:
            loop = asyncio.get_running_loop()
            arrived = loop.create_future()
            loop.add_signal_handler(signal.SIGUSR1, lambda: arrived.set_result(threading.current_thread()))
            os.kill(os.getpid(), signal.SIGUSR1)
            assert await asyncio.wait_for(arrived, timeout=5) is threading.current_thread()
            assert loop.remove_signal_handler(signal.SIGUSR1) is True
            assert loop.remove_signal_handler(signal.SIGUSR1) is False
            assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL

        run(main)
    finally:
        signal.signal(signal.SIGUSR1, previous)


@claim("asyncio.AbstractEventLoop.add_signal_handler", "Must be called from the main thread.")
def test_signal_handlers_only_from_the_main_thread() -> None:
    errors: list[BaseException] = []

    def other_thread() -> None:
        async def main() -> None:
            asyncio.get_running_loop().add_signal_handler(signal.SIGUSR2, print)

        try:
            asyncio.run(main())
        except (RuntimeError, ValueError) as error:
            errors.append(error)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert len(errors) == 1


# --- subprocesses ----------------------------------------------------------------------------------------


@claim("asyncio.create_subprocess_exec", "Starts a program (argument list, no shell) and returns an `asyncio.subprocess.Process` whose pipes are streams")
@claim("asyncio.subprocess.Process", "A child process started by `create_subprocess_exec`/`_shell`, with stream pipes and awaitable `wait()` and `communicate()`.")
@claim("asyncio.subprocess.Process.communicate", "Sends `input`, reads stdout and stderr to EOF and waits for exit; returns `(stdout, stderr)`.")
@claim("asyncio.subprocess.Process.communicate", "Buffers all output in memory")
@claim("asyncio.subprocess.Process.communicate", "Needs `stdin=PIPE` to send input and `stdout=PIPE` to capture output.")
@claim("asyncio.subprocess.Process.wait", "Waits for the process to exit and returns its return code.")
@claim("asyncio.subprocess.Process.pid", "The operating-system process id of the child, for logs and external tools.")
@claim("asyncio.subprocess.PIPE", "Pass as stdin/stdout/stderr to get a stream for that pipe on the Process.")
@claim("asyncio.subprocess.STDOUT", "Pass as `stderr=` to merge the child's stderr into its stdout.")
@claim("asyncio.subprocess.STDOUT", "Once merged you cannot tell errors from output.")
@claim("asyncio.subprocess.DEVNULL", "Pass as stdin/stdout/stderr to connect that stream to the null device.")
@claim("asyncio.subprocess.DEVNULL", "Discarded output is gone when you need to debug a failure.")
@claim("mixing-sync-async.md", "starts the child and gives you awaitable `communicate()` and `wait()`")
def test_subprocess_pipes_and_communicate() -> None:
    from asyncio.subprocess import DEVNULL, PIPE, STDOUT

    code = "import sys; data = sys.stdin.read(); print(data.upper()); print('oops', file=sys.stderr); sys.exit(3)"

    async def main() -> None:
        process = await asyncio.create_subprocess_exec(*CHILD, code, stdin=PIPE, stdout=PIPE, stderr=PIPE)
        assert isinstance(process, asyncio.subprocess.Process) and isinstance(process.stdout, asyncio.StreamReader)
        os.kill(process.pid, 0)  # a real process id
        assert await process.communicate(b"hello") == (b"HELLO\n", b"oops\n") and process.returncode == 3
        merged = await asyncio.create_subprocess_exec(*CHILD, code, stdin=PIPE, stdout=PIPE, stderr=STDOUT)
        out, err = await merged.communicate(b"x")
        assert err is None and out == b"X\noops\n"
        quiet = await asyncio.create_subprocess_exec(*CHILD, code, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
        assert await quiet.communicate() == (None, None) and await quiet.wait() == 3
        ignored = await asyncio.create_subprocess_exec(*CHILD, code, stdout=PIPE, stderr=DEVNULL, stdin=DEVNULL)
        if sys.version_info >= (3, 12):
            assert await ignored.communicate(b"never sent") == (b"\n", None)  # the input is dropped
        else:
            with pytest.raises(AttributeError):
                await ignored.communicate(b"never sent")
            await ignored.wait()

    run(main)


@claim("asyncio.create_subprocess_exec", "Reading only stdout while stderr is also a PIPE can deadlock once stderr fills; use `communicate()`.")
@claim("asyncio.subprocess.Process.wait", "Deadlocks with `stdout=PIPE` if the output fills the pipe: use `communicate()`.")
@claim("asyncio.subprocess.PIPE", "An unread PIPE fills up and stalls the child.")
@claim("mixing-sync-async.md", "Use `communicate()` rather than reading `stdout` while `stderr` is also a pipe: a child that fills the unread pipe stops, and so does your await.")
def test_an_unread_pipe_stalls_the_child_and_communicate_does_not() -> None:
    from asyncio.subprocess import PIPE

    noisy = "import sys; sys.stderr.write('e' * 1_000_000); sys.stderr.flush(); print('done')"
    chatty = "print('x' * 1_000_000)"

    async def main() -> None:
        process = await asyncio.create_subprocess_exec(*CHILD, noisy, stdout=PIPE, stderr=PIPE)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(process.stdout.read(), timeout=0.3)
        process.kill()
        await process.communicate()
        process = await asyncio.create_subprocess_exec(*CHILD, chatty, stdout=PIPE)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(process.wait()), timeout=0.3)
        out, _ = await process.communicate()
        assert len(out) == 1_000_001
        process = await asyncio.create_subprocess_exec(*CHILD, noisy, stdout=PIPE, stderr=PIPE)
        out, err = await process.communicate()
        assert out == b"done\n" and len(err) == 1_000_000

    run(main)


@claim("asyncio.create_subprocess_exec", "`subprocess.run()` in async code blocks the loop for the whole run.")
@claim("mixing-sync-async.md", "`subprocess.run()` blocks the loop for as long as the child runs.")
def test_subprocess_run_holds_the_loop() -> None:
    import subprocess

    async def main() -> list[str]:
        ran: list[str] = []
        asyncio.get_running_loop().call_soon(ran.append, "callback")
        subprocess.run([*CHILD, "import time; time.sleep(0.05)"], check=True)
        return list(ran)

    assert run(main) == []


@claim("asyncio.create_subprocess_exec", "A timeout around `communicate()` leaves the child running")
@claim("asyncio.subprocess.Process.kill", "Kills the process (SIGKILL on Unix).")
@claim("asyncio.subprocess.Process", "After `kill()`, `await process.wait()` before reading `returncode`")
@claim("asyncio.subprocess.Process.terminate", "Asks the process to stop (SIGTERM on Unix, TerminateProcess on Windows).")
@claim("asyncio.subprocess.Process.terminate", "Not a coroutine and does not wait: follow with `await process.wait()`.")
@claim("asyncio.subprocess.Process.returncode", "Negative values mean \"killed by signal -N\" on Unix.")
@claim("asyncio.subprocess.Process.send_signal", "Sends a signal to the child process.")
@claim("asyncio.subprocess.Process.send_signal", "Raises ProcessLookupError if the process already exited.")
@claim("mixing-sync-async.md", "kill and reap the child when the wait is cancelled, so a timeout never leaves a stray process behind")
def test_stopping_a_child() -> None:
    sleeper = "import time; time.sleep(30)"

    async def main() -> None:
        process = await asyncio.create_subprocess_exec(*CHILD, sleeper)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(process.communicate(), timeout=0.05)
        assert process.returncode is None
        os.kill(process.pid, 0)  # still running
        assert process.kill() is None and process.returncode is None
        assert await process.wait() == -signal.SIGKILL
        with pytest.raises(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        process = await asyncio.create_subprocess_exec(*CHILD, sleeper)
        assert process.terminate() is None
        assert await process.wait() == -signal.SIGTERM
        process = await asyncio.create_subprocess_exec(*CHILD, sleeper, preexec_fn=interruptible)
        process.send_signal(signal.SIGINT)
        assert await process.wait() != 0

    run(main)


@claim("asyncio.subprocess.Process.returncode", "The exit code once the loop has noticed the child exit (it reaps children itself, no `wait()` needed); None while it runs.")
def test_returncode_is_set_without_wait() -> None:
    async def main() -> int | None:
        process = await asyncio.create_subprocess_exec(*CHILD, "raise SystemExit(3)")
        assert process.returncode is None
        for _ in range(500):
            if process.returncode is not None:
                break
            await asyncio.sleep(0.01)
        return process.returncode

    assert run(main) == 3


@claim("asyncio.create_subprocess_shell", "Runs a command line through the shell and returns an `asyncio.subprocess.Process`.")
@claim("asyncio.create_subprocess_shell", "Shell injection: quote every interpolated value with `shlex.quote`")
@claim("asyncio.AbstractEventLoop.subprocess_shell", "Starts a shell command with a SubprocessProtocol.")
@claim("asyncio.AbstractEventLoop.subprocess_shell", "Shell injection: quote interpolated values with `shlex.quote`.")
@claim("asyncio.subprocess.Process.pid", "For a shell command it is the shell's pid.")
def test_shell_commands_and_quoting() -> None:
    import shlex

    from asyncio.subprocess import PIPE

    hostile = "world; echo injected"

    async def shell(command: str) -> bytes:
        process = await asyncio.create_subprocess_shell(command, stdout=PIPE)
        out, _ = await process.communicate()
        return out

    async def main() -> None:
        assert await shell(f"echo hello {hostile}") == b"hello world\ninjected\n"
        assert await shell(f"echo hello {shlex.quote(hostile)}") == b"hello world; echo injected\n"
        process = await asyncio.create_subprocess_shell("echo $$", stdout=PIPE)
        out, _ = await process.communicate()
        assert int(out) == process.pid
        loop = asyncio.get_running_loop()
        exited = loop.create_future()

        class Exits(asyncio.SubprocessProtocol):
            def process_exited(self) -> None:
                exited.set_result(None)

        transport, _ = await loop.subprocess_shell(Exits, "exit 5")
        await exited
        assert transport.get_returncode() == 5
        transport.close()

    run(main)


@claim("asyncio.create_subprocess_shell", "`kill()` kills the shell, not necessarily its children.")
@claim("asyncio.subprocess.Process.kill", "Kills only this process, not its children (e.g. under a shell).")
def test_killing_the_shell_leaves_its_child_alive() -> None:
    from asyncio.subprocess import PIPE

    async def main() -> None:
        # The grandchild's output goes elsewhere, so only the shell holds the pipe.
        process = await asyncio.create_subprocess_shell("sleep 30 >/dev/null & echo $!; wait", stdout=PIPE)
        child = int(await process.stdout.readline())
        process.kill()
        await process.wait()
        try:
            os.kill(child, 0)  # the grandchild is still alive
        finally:
            os.kill(child, signal.SIGKILL)

    run(main)


@claim("asyncio.AbstractEventLoop.subprocess_exec", "Starts a program with a SubprocessProtocol; the low-level form of `create_subprocess_exec`.")
@claim("asyncio.SubprocessProtocol", "Callback interface for `loop.subprocess_exec()`: `pipe_data_received`, `pipe_connection_lost`, `process_exited`.")
@claim("asyncio.SubprocessTransport", "The transport of a child process: `get_pid()`, `get_returncode()`, `get_pipe_transport(fd)`, `kill()`.")
@claim("asyncio.SubprocessTransport", "Close it after the process exits, or the pipes leak.")
@claim("performance.md", "subprocesses use `SubprocessProtocol`")
def test_subprocess_exec_with_a_protocol() -> None:
    from asyncio.subprocess import PIPE

    class Collect(asyncio.SubprocessProtocol):
        def __init__(self, done: asyncio.Future) -> None:
            self.done, self.events, self.output = done, [], b""

        def pipe_data_received(self, fd: int, data: bytes) -> None:
            self.output += data

        def pipe_connection_lost(self, fd: int, exc) -> None:
            self.events.append(f"pipe {fd} lost")

        def process_exited(self) -> None:
            self.events.append("exited")
            self.done.set_result(None)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        transport, protocol = await loop.subprocess_exec(lambda: Collect(done), *CHILD, "print('out')", stdout=PIPE, stdin=None, stderr=None)
        assert transport.get_pid() > 0 and transport.get_pipe_transport(1) is not None and hasattr(transport, "kill")
        await done
        await settle()
        assert protocol.output == b"out\n" and transport.get_returncode() == 0
        assert "pipe 1 lost" in protocol.events and "exited" in protocol.events
        transport.close()
        leaked = loop.create_future()
        forgotten, _ = await loop.subprocess_exec(lambda: Collect(leaked), *CHILD, "pass", stdout=PIPE, stdin=None, stderr=None)
        await leaked

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        run(main)
        gc.collect()
    assert any("unclosed transport" in str(warning.message) for warning in caught)
