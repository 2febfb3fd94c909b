"""Errors of a batch of orders: exception groups from a TaskGroup, and deadlines (exception-group
and deadline rules). Each mistake sits next to the way to write it. The `except*` handler is in
carrier_failures.py: that syntax needs Python 3.11, and this module still parses on 3.10."""

import asyncio


class OrderFailures(ExceptionGroup):  # ASYNC126: split() and except* turn parts into plain groups
    pass


class PaymentFailures(ExceptionGroup):
    def derive(self, excs):
        return PaymentFailures(self.message, excs)


async def ship(order_id: int) -> None:
    await asyncio.sleep(0.01)


async def ship_first_error(order_ids: list[int]) -> None:
    try:
        async with asyncio.TaskGroup() as tg:
            for order_id in order_ids:
                tg.create_task(ship(order_id))
    except ExceptionGroup as group:
        raise group.exceptions[0]  # ASYNC123: the error loses its own context


async def ship_before_closing(order_ids: list[int]) -> None:
    async with asyncio.timeout_at(30):  # ASYNC125: a point on the loop's clock, long passed
        await ship_first_error(order_ids)
    loop = asyncio.get_running_loop()
    async with asyncio.timeout_at(loop.time() + 30):
        await ship_first_error(order_ids)
