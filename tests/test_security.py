"""The server never runs workspace code, never touches the network, never runs a command.

The server runs as editors run it, `python -m async_patterns server` with the workspace as its
working folder, under a guard: a `sitecustomize` (found through PYTHONPATH) installs an audit hook
that records and refuses network connections, name lookups and process starts, and records every
file it opens in the workspace other than those it reads as text (settings, recorded stalls, and
the Python and .gitignore files the project index reads), and any workspace code it would run. The workspace is hostile: modules named like ones the server
imports, and documents, settings and URIs that would act if anything executed them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from async_patterns.runtime.records import line_fingerprint
from conftest import SERVER_COMMAND
from stdio_session import StdioSession

GUARD = '''
import os, sys

_log = os.open(os.environ["GUARD_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
_workspace = os.environ["GUARD_WORKSPACE"]
_refused = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "subprocess.Popen",
            "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.startfile")

def _guard(event, args):
    if event in _refused:
        os.write(_log, f"{event} {args!r}\\n".encode())
        raise PermissionError(f"guard: {event} refused")
    if event in ("open", "compile", "exec") and args:
        subject = args[0]
        name = getattr(subject, "co_filename", subject)
        if isinstance(name, (str, bytes)) and os.fsdecode(name).startswith(_workspace):
            # It may read the settings, the recorded loop stalls, and, as text for the project
            # index, Python files and the .gitignore files that say which to skip: never run them.
            readable = ("pyproject.toml", "/.async-patterns/stalls.json", ".py", ".gitignore")
            reading = event == "open" and len(args) > 1 and args[1] in ("r", "rb", None)
            if not (os.fsdecode(name).endswith(readable[:2]) or (reading and os.fsdecode(name).endswith(readable[2:]))):
                os.write(_log, f"{event} {name!r}\\n".encode())

sys.addaudithook(_guard)
'''

# Each would leave a marker file (or reach the network) if the server imported or ran it.
HOSTILE_CODE = """
import os, socket
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "MARKER-{name}"), "w").close()
socket.create_connection(("192.0.2.1", 80), timeout=1)
"""
SHADOWING_MODULES = ("json", "argparse", "tomllib", "typing_extensions", "libcst", "cattrs", "attrs", "pathspec")


@pytest.fixture
def hostile_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for name in SHADOWING_MODULES:
        (workspace / f"{name}.py").write_text(HOSTILE_CODE.format(name=name))
    for name in ("sitecustomize", "usercustomize", "conftest", "setup", "app", "async_patterns_plugin"):
        (workspace / f"{name}.py").write_text(HOSTILE_CODE.format(name=name))
    # Recorded loop stalls naming the hostile modules: read, compared with open documents, never run.
    (workspace / ".async-patterns").mkdir()
    (workspace / ".async-patterns" / "stalls.json").write_text(
        json.dumps(
            [
                {"path": str(workspace / f"{name}.py"), "line": 2, "line_hash": line_fingerprint(HOSTILE_CODE.splitlines()[1]),
                 "duration_ms": 500, "count": 1, "coroutine": True, "function": "$(touch MARKER-function)",
                 "frames": [{"path": "$(touch MARKER-frame)", "line": 1, "function": "`touch MARKER-tick`"}]}
                for name in (*SHADOWING_MODULES, "app", "sitecustomize")
            ]
        )
    )
    (workspace / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "app"\nbackend-path = ["."]\n'
        '[tool.async-patterns]\nextraBlockingCalls = ["$(touch MARKER-pyproject)", "app.run -> `touch MARKER-tick`"]\n'
    )
    return workspace


def _guarded_environment(tmp_path: Path, workspace: Path) -> tuple[dict[str, str], Path]:
    guard_folder = tmp_path / "guard"
    guard_folder.mkdir()
    (guard_folder / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "guard.log"
    log.touch()
    environment = {
        **os.environ,
        "PYTHONPATH": str(guard_folder),
        "GUARD_LOG": str(log),
        "GUARD_WORKSPACE": str(workspace),
    }
    return environment, log


def _stall_shown(session: StdioSession, uri: str) -> bool:
    return any(
        diagnostic["code"] == "AP190"
        for message in session.notifications
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
        for diagnostic in message["params"]["diagnostics"]
    )


def test_the_guard_catches_what_it_is_meant_to(tmp_path: Path, hostile_workspace: Path):
    """Without this, a silent guard log would prove nothing."""
    environment, log = _guarded_environment(tmp_path, hostile_workspace)
    subprocess.run([sys.executable, "-c", "import json"], cwd=hostile_workspace, env=environment, check=False)
    assert (hostile_workspace / "MARKER-json").exists()
    recorded = log.read_text()
    assert "json.py" in recorded and "socket.getaddrinfo" in recorded


def test_the_server_runs_no_workspace_code_and_opens_no_connection(tmp_path: Path, hostile_workspace: Path):
    environment, log = _guarded_environment(tmp_path, hostile_workspace)
    session = StdioSession(SERVER_COMMAND, cwd=hostile_workspace, env=environment)
    try:
        session.send(
            {
                "id": 0,
                "method": "initialize",
                "params": {
                    "processId": None,
                    "rootUri": hostile_workspace.as_uri(),
                    "capabilities": {},
                    "initializationOptions": {
                        "extraBlockingCalls": ["$(touch MARKER-setting)", "x -> ; touch MARKER-setting2"],
                        "select": ["`touch MARKER-select`"],
                    },
                },
            }
        )
        session.notify("initialized", {})
        documents = {
            (hostile_workspace / "app.py").as_uri(): (hostile_workspace / "app.py").read_text(),
            (hostile_workspace / "$(touch MARKER-uri).py").as_uri(): "import os\nos.system('touch MARKER-doc')\n",
            hostile_workspace.as_uri() + "/a;touch%20MARKER-semicolon.py": "async def main():\n    input()\n",
            hostile_workspace.as_uri() + "/../../../../etc/passwd": "root:x:0:0\n",
        }
        for uri, text in documents.items():
            session.open(uri, text)
            session.wait_for_diagnostics(uri)
            position = {"line": 1, "character": 4}
            session.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
            session.request(
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": uri},
                    "range": {"start": position, "end": position},
                    "context": {"diagnostics": []},
                },
            )
            session.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})
        # The record was read and shown: the guard's silence below covers reading it.
        while not _stall_shown(session, (hostile_workspace / "app.py").as_uri()):
            session.wait_for_diagnostics((hostile_workspace / "app.py").as_uri())
        session.notify("workspace/didChangeConfiguration", {"settings": {"asyncPatterns": {"extraBlockingCalls": ["$(id)"]}}})
        assert "result" in session.request("shutdown")
        session.notify("exit")
        assert session.exit_status() == 0
    finally:
        session.close()
    assert log.read_text() == ""
    assert sorted(path.name for path in hostile_workspace.iterdir() if path.name.startswith("MARKER")) == []
