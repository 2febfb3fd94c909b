"""Carrier failures handled per kind with `except*` (Python 3.11 syntax), next to the way to read
each failure's attributes."""

import asyncio


async def ship(order_id: int) -> None:
    await asyncio.sleep(0.01)


async def ship_all(order_ids: list[int]) -> None:
    try:
        async with asyncio.TaskGroup() as tg:
            for order_id in order_ids:
                tg.create_task(ship(order_id))
    except* OSError as failures:
        print("carrier down:", failures.errno)  # ASYNC400: the group has no errno
        for failure in failures.exceptions:
            print("carrier down:", failure.errno)
        raise
