"""A bare JSON-RPC session with the server process, for what pytest-lsp's client will not do:
send out-of-order shutdown/exit, watch the exit status, start the server in a chosen folder."""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

TIMEOUT = 60


class StdioSession:
    def __init__(self, command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.log_file = tempfile.TemporaryFile()  # a pipe could fill up and stall the server
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log_file
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._next_id = 0

    def _read(self) -> None:
        stdout = self.process.stdout
        while True:
            length = None
            while (header := stdout.readline()) not in (b"\r\n", b""):
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            if not header or length is None:
                return
            self.messages.put(json.loads(stdout.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None) -> dict[str, Any]:
        """The response (with "result" or "error"); notifications on the way are kept."""
        self._next_id += 1
        self.send({"id": self._next_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if message.get("id") == self._next_id and "method" not in message:
                return message
            self.notifications.append(message)

    def initialize(self, process_id: int | None = None, options: Any = None) -> None:
        self.request("initialize", {"processId": process_id, "capabilities": {}, "initializationOptions": options})
        self.notify("initialized", {})

    def open(self, uri: str, text: str) -> None:
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}
        )

    def wait_for_diagnostics(self, uri: str) -> list[dict[str, Any]]:
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            self.notifications.append(message)
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    def exit_status(self, timeout: float = TIMEOUT) -> int:
        return self.process.wait(timeout=timeout)

    def log(self) -> str:
        self.log_file.seek(0)
        return self.log_file.read().decode("utf-8", "replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        self.log_file.close()
