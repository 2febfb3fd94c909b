"""Currency rates for the shop."""

import asyncio

from shop import legacy


async def current_rates() -> bytes:
    return legacy.fetch_rates()  # ASYNC200: configured as blocking in pyproject.toml


async def current_rates_uncached() -> bytes:
    return legacy.fetch_rates_fresh()  # AP109: the helper in legacy.py blocks on urlopen()


async def current_rates_without_blocking() -> bytes:
    return await asyncio.to_thread(legacy.fetch_rates)
