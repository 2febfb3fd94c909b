"""Talking to suppliers over HTTP."""

import aiohttp
import httpx
import requests
import urllib3

SUPPLIER = "https://supplier.example/api"


async def stock_level(item: str) -> int:
    response = requests.get(f"{SUPPLIER}/stock/{item}", timeout=5)
    return response.json()["level"]


async def stock_level_async(session: aiohttp.ClientSession, item: str) -> int:
    async with session.get(f"{SUPPLIER}/stock/{item}") as response:
        return (await response.json())["level"]


async def place_order(client: httpx.Client, item: str) -> None:
    client.post(f"{SUPPLIER}/orders", json={"item": item})


async def legacy_ping(pool) -> int:
    return pool.request("GET", f"{SUPPLIER}/ping").status


async def catalogue_page(page: int) -> dict:
    with requests.Session() as session:
        return session.get(f"{SUPPLIER}/catalogue", params={"page": page}).json()


async def supplier_health() -> int:
    pool = urllib3.PoolManager()
    return pool.request("GET", f"{SUPPLIER}/health").status
