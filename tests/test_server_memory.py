"""What the server keeps of documents once they are closed: nothing."""

import subprocess
import sys

from conftest import IN_PROCESS_SERVER

# Drives the server in-process (its handlers, its protocol) with open/change/close notifications
# and prints how many futures the protocol still files as pending, after each of two rounds.
PROBE = IN_PROCESS_SERVER + r"""
async def main():
    server.protocol.set_writer(Discard())
    feed({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    feed({"method": "initialized", "params": {}})
    for round in range(2):
        for number in range(200):
            uri = f"file:///tmp/doc{number}.py"
            feed({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "import time\nasync def f():\n    time.sleep(1)\n"}}})
            feed({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "x = 1\n"}]}})
            feed({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
            await asyncio.sleep(0)
        await asyncio.sleep(0.5)
        print(len(server.protocol._request_futures), len(server.published), len(server.analyses), len(server.workspace.text_documents))

asyncio.run(main())
"""


def test_closed_documents_and_handled_notifications_leave_nothing_behind():
    output = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True, timeout=120)
    assert output.stdout.split("\n")[:2] == ["0 0 0 0", "0 0 0 0"], output.stderr[-2000:]
