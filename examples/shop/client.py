"""Currency rates for the shop."""

from shop import legacy


async def current_rates() -> bytes:
    return legacy.fetch_rates()
