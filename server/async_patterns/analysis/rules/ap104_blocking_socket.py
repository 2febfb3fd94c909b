"""AP104: blocking sockets, DNS look-ups and TLS set-up."""

import ast
import ipaddress

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, is_constant, keyword_value

_MODULE_CALLS = """
socket.create_connection socket.create_server socket.getaddrinfo socket.gethostbyname socket.gethostbyname_ex
socket.gethostbyaddr socket.getnameinfo socket.getfqdn ssl.create_default_context ssl.get_server_certificate
"""
_SOCKET_METHODS = """
connect connect_ex accept recv recv_into recvfrom recvfrom_into recvmsg recvmsg_into send sendall sendto
sendmsg sendfile bind
"""
# Calls that only wait when they must resolve a host name: the host is the first element of the
# address (`create_server`, `bind`) or the first argument (the look-ups).
_ADDRESS_CALLS = frozenset({"socket.create_server"})
_ADDRESS_METHODS = frozenset({"bind"})
_HOST_LOOKUPS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"})


def _needs_no_lookup(host: ast.expr | None) -> bool:
    """A literal host that is resolved without asking the network: an IP address, `""` (any
    address), or `localhost` (answered locally, RFC 6761)."""
    if not (isinstance(host, ast.Constant) and isinstance(host.value, str)):
        return False
    name = host.value.strip().strip("[]").lower()
    if name in ("", "localhost") or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    return True


def _address_host(site: CallSite) -> ast.expr | None:
    address = keyword_value(site.node, "address", 0)
    return address.elts[0] if isinstance(address, ast.Tuple) and address.elts else None


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
reported. Creating a socket, `bind` and `listen` wait for nothing: `socket.create_server()` and
`bind()` are reported only when their address names a host that must be looked up (a literal host
name; not an IP address, `""` or `localhost`), and a look-up of a literal IP address is not
reported either."""
    peers = """\
Neither flake8-async nor ruff has this rule."""
    calls = frozenset(_MODULE_CALLS.split())
    methods = {
        catalogue.SOCKET: frozenset(_SOCKET_METHODS.split()),
        catalogue.SSL_CONTEXT: frozenset(
            {"load_verify_locations", "load_cert_chain", "load_default_certs", "set_default_verify_paths"}
        ),
    }
    instead = "use asyncio streams, `loop.sock_*`, `await loop.getaddrinfo(...)`, or build SSL contexts at start-up"

    def accepts(self, site: CallSite) -> bool:
        if site.qualname in _ADDRESS_CALLS or (site.receiver_type == catalogue.SOCKET and site.method in _ADDRESS_METHODS):
            # Creating, binding and listening wait for nothing; only resolving a host name can.
            host = _address_host(site)
            return isinstance(host, ast.Constant) and not _needs_no_lookup(host)
        if site.qualname in _HOST_LOOKUPS:
            return not _needs_no_lookup(keyword_value(site.node, "host", 0))
        return site.receiver_type != catalogue.SOCKET or not _made_non_blocking(site)

    VALID = (
        "import asyncio\nasync def main():\n    reader, writer = await asyncio.open_connection('example.org', 80)\n",
        "import asyncio\nasync def main(host):\n    loop = asyncio.get_running_loop()\n    return await loop.getaddrinfo(host, 443)\n",
        "import socket\nasync def main(loop):\n    sock = socket.socket()\n    sock.setblocking(False)\n    await loop.sock_connect(sock, ('example.org', 80))\n    sock.send(b'x')\n",
        "import socket\ndef resolve(host):\n    return socket.gethostbyname(host)\n",
        "async def main(sock):\n    sock.recv(1024)\n",
        "import socket\nasync def main():\n    server = socket.create_server(('127.0.0.1', 0))\n    server.listen()\n",
        "import socket\nasync def main(port):\n    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n    sock.bind(('::1', port))\n"
        "    sock.listen(5)\n",
        "import socket\nasync def main():\n    sock = socket.socket()\n    sock.bind(('localhost', 0))\n",
        "import socket\nasync def main():\n    return socket.getaddrinfo('10.0.0.1', 80)\n",
    )
    INVALID = (
        Invalid("import socket\nasync def main(host):\n    return socket.gethostbyname(host)\n"),
        Invalid("import socket\nasync def main():\n    sock = socket.create_connection(('example.org', 80))\n"),
        Invalid("import socket\nasync def main():\n    sock = socket.socket()\n    sock.connect(('example.org', 80))  # noqa: AP999\n"),
        Invalid("import ssl\nasync def main():\n    context = ssl.create_default_context()\n"),
        Invalid("import ssl\nasync def main(context: ssl.SSLContext):\n    context.load_verify_locations('ca.pem')\n"),
        Invalid("import socket\nasync def main():\n    server = socket.create_server(('api.example.org', 8080))\n"),
        Invalid("import socket\nasync def main():\n    sock = socket.socket()\n    sock.bind(('gateway.internal', 0))\n"),
        Invalid("import socket\nCONTROL = socket.create_connection(('control.example.org', 7000))\nasync def ping():\n"
                "    CONTROL.sendall(b'ping')\n"),
    )
