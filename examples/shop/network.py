"""Low-level connections to the warehouse controller."""

import asyncio
import socket
import ssl


async def warehouse_address(host: str) -> str:
    return socket.gethostbyname(host)


async def warehouse_address_without_blocking(host: str) -> str:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, 9000)
    return infos[0][4][0]


async def send_command(command: bytes) -> bytes:
    controller = socket.create_connection(("warehouse.local", 9000))
    controller.sendall(command)
    return controller.recv(1024)


async def secure_context() -> ssl.SSLContext:
    return ssl.create_default_context()
