"""AP104: blocking sockets, DNS look-ups and TLS set-up."""

import ast

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, is_constant

_MODULE_CALLS = """
socket.create_connection socket.create_server socket.getaddrinfo socket.gethostbyname socket.gethostbyname_ex
socket.gethostbyaddr socket.getnameinfo socket.getfqdn ssl.create_default_context ssl.get_server_certificate
"""
_SOCKET_METHODS = """
connect connect_ex accept recv recv_into recvfrom recvfrom_into recvmsg recvmsg_into send sendall sendto
sendmsg sendfile
"""


def _made_non_blocking(site: CallSite) -> bool:
    """`sock.setblocking(False)` or `sock.settimeout(0)` anywhere in the function."""
    receiver = site.node.func.value if isinstance(site.node.func, ast.Attribute) else None
    if not isinstance(receiver, ast.Name):
        return False
    for node in ast.walk(site.scope.node):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == receiver.id
            and node.args
            and (
                (node.func.attr == "setblocking" and is_constant(node.args[0], False, 0))
                or (node.func.attr == "settimeout" and is_constant(node.args[0], 0, 0.0))
            )
        ):
            return True
    return False


class BlockingSocket(BlockingCallRule):
    code = "AP104"
    name = "blocking-socket"
    message = "{call} blocks the event loop on network, DNS or certificate-file I/O; {instead}"
    explanation = """\
Blocking sockets wait in `connect`, `accept`, `recv` and `send*`; `socket.getaddrinfo` and
`gethostbyname` wait for DNS (seconds when a resolver is slow); `ssl.create_default_context()` and
`load_verify_locations()` read and parse the CA bundle from disk (tens of milliseconds). asyncio has
async versions of each: `asyncio.open_connection` / `start_server` streams, `loop.sock_*` methods
for raw non-blocking sockets, `await loop.getaddrinfo(...)`; build SSL contexts once at start-up or
in `asyncio.to_thread`. A socket the function sets non-blocking (`setblocking(False)`) is not
reported."""
    calls = frozenset(_MODULE_CALLS.split())
    methods = {
        catalogue.SOCKET: frozenset(_SOCKET_METHODS.split()),
        catalogue.SSL_CONTEXT: frozenset(
            {"load_verify_locations", "load_cert_chain", "load_default_certs", "set_default_verify_paths"}
        ),
    }
    instead = "use asyncio streams, `loop.sock_*`, `await loop.getaddrinfo(...)`, or build SSL contexts at start-up"

    def accepts(self, site: CallSite) -> bool:
        return site.receiver_type != catalogue.SOCKET or not _made_non_blocking(site)

    VALID = (
        "import asyncio\nasync def main():\n    reader, writer = await asyncio.open_connection('example.org', 80)\n",
        "import asyncio\nasync def main(host):\n    loop = asyncio.get_running_loop()\n    return await loop.getaddrinfo(host, 443)\n",
        "import socket\nasync def main(loop):\n    sock = socket.socket()\n    sock.setblocking(False)\n    await loop.sock_connect(sock, ('example.org', 80))\n    sock.send(b'x')\n",
        "import socket\ndef resolve(host):\n    return socket.gethostbyname(host)\n",
        "async def main(sock):\n    sock.recv(1024)\n",
    )
    INVALID = (
        Invalid("import socket\nasync def main(host):\n    return socket.gethostbyname(host)\n"),
        Invalid("import socket\nasync def main():\n    sock = socket.create_connection(('example.org', 80))\n"),
        Invalid("import socket\nasync def main():\n    sock = socket.socket()\n    sock.connect(('example.org', 80))  # noqa: AP999\n"),
        Invalid("import ssl\nasync def main():\n    context = ssl.create_default_context()\n"),
        Invalid("import ssl\nasync def main(context: ssl.SSLContext):\n    context.load_verify_locations('ca.pem')\n"),
    )
