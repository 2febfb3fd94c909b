import re
import sys
from pathlib import Path

import pytest

def _accept_registrations() -> None:
    """Test clients accept `client/registerCapability` as VS Code does (pytest-lsp's do not answer
    it), and keep what was registered in `client.registrations`."""
    from lsprotocol import types
    from pytest_lsp.client import LanguageClient, default_feature

    @default_feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(client: LanguageClient, params: types.RegistrationParams) -> None:
        client.registrations = [*getattr(client, "registrations", []), *params.registrations]


_accept_registrations()

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SERVER_COMMAND = [sys.executable, "-m", "async_patterns", "server"]


# The start of a script that drives the server in-process, its handlers and its protocol: `feed`
# hands it one message, and what it writes (after `server.protocol.set_writer(Discard())`) is dropped.
IN_PROCESS_SERVER = r"""
import asyncio
from async_patterns.lsp.server import server

class Discard:
    def write(self, data): pass
    def close(self): pass

def feed(message):
    server.protocol.handle_message(server.protocol.structure_message({"jsonrpc": "2.0", **message}))
"""


def interruptible() -> None:
    """`preexec_fn` for a child process a test interrupts with SIGINT: a shell that starts the
    tests in the background without job control leaves SIGINT ignored, and children inherit that."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Publishes:
    """Every publishDiagnostics a test client receives, in order, recorded as it is handled.

    pytest-lsp's `wait_for_notification` misses a publish read in the same batch as another, and
    when a wait on it times out, the next publish meets the cancelled future and is dropped before
    any handler sees it; waiting here never loses one.
    """

    def __init__(self, client) -> None:
        import asyncio

        from lsprotocol import types

        self.history: list = []
        self._arrived = asyncio.Event()
        features = client.protocol.fm.features
        method = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        original = features[method]

        def record(params):
            self.history.append(params)
            self._arrived.set()
            return original(params)

        features[method] = record

    def mark(self) -> int:
        return len(self.history)

    def latest(self, uri: str, since: int = 0, version: object = ...):
        """The newest publish for `uri` after `since` (of `version`, if given), or None."""
        return next(
            (
                params
                for params in reversed(self.history[since:])
                if params.uri == uri and (version is ... or params.version == version)
            ),
            None,
        )

    async def until(self, condition, timeout: float = 60) -> None:
        """Wait until `condition()` holds, checking it again after each publish."""
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met; last publishes: {self.history[-5:]}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            # asyncio's own TimeoutError: on Python 3.10 it is not yet the built-in one.
            except asyncio.TimeoutError:
                pass

    async def for_version(self, uri: str, version: int, timeout: float = 60) -> list:
        """The diagnostics of the newest publish of that version of `uri`, once there is one."""
        await self.until(lambda: self.latest(uri, version=version) is not None, timeout)
        return list(self.latest(uri, version=version).diagnostics)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty working folder for a command-line run, with no colour asked for or refused."""
    monkeypatch.chdir(tmp_path)
    for variable in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def run_cli(capsys, *arguments):
    """Exit status, stdout and stderr of one `async-patterns` command run in this process, whether
    it returns or exits (argparse exits on usage errors)."""
    from async_patterns.cli import main

    try:
        status = main(list(arguments))
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# Editors show a finding's message as plain text, backticks and all: a code span longer than this
# (backticks included) buries the sentence around it.
LONGEST_CODE_SPAN = 40
_CODE_SPAN = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z_]\w*")
# Words of a leading span that say what kind of code it names, not which: `except BaseException`
# names `BaseException`; only a span made of nothing else (`except:`, `yield`) names its keyword.
_KIND_WORDS = frozenset({"except", "async", "def", "with", "while", "for", "in", "class", "yield", "from", "await", "raise", "parameter"})


def assert_message_names_its_code(finding, source: str) -> None:
    """The finding's message begins with a short code span that names something written on the
    finding's lines of `source` and goes on in lower case; no span in the message is long."""
    message = finding.message
    assert re.match(r"`[^`]+` [a-z(]", message), f"not `code` then lower case: {message}"
    spans = _CODE_SPAN.findall(message)
    assert [span for span in spans if len(span) > LONGEST_CODE_SPAN] == [], message
    reported = "\n".join(source.split("\n")[finding.line - 1 : finding.end_line])
    words = _WORD.findall(spans[0])
    named = [word for word in words if word not in _KIND_WORDS] or words
    assert set(named) & set(_WORD.findall(reported)), f"{spans[0]} names nothing in {reported!r}"
