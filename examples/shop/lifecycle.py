"""Order processing: task lifecycles, awaits, cancellation and the event loop (tasks, awaits,
cancellation rules). Each mistake sits next to the way to write it."""

import asyncio
import contextlib
import threading

background_tasks: set[asyncio.Task] = set()
stats_lock = threading.Lock()


async def notify(order_id: int) -> None:
    await asyncio.sleep(0.01)


async def start_notification(order_id: int) -> None:
    asyncio.create_task(notify(order_id))  # ASYNC300: nothing keeps the task alive

    task = asyncio.create_task(notify(order_id))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)


async def confirm(order_id: int) -> None:
    notify(order_id)  # AP201: the coroutine never runs
    await notify(order_id)


async def pick(queue: asyncio.Queue[int]) -> int | None:
    try:
        return await queue.get()
    except asyncio.CancelledError:  # ASYNC103: the cancellation is dropped
        pass
    try:
        return await queue.get()
    except asyncio.CancelledError:
        return None  # ASYNC104: the cancellation becomes a normal return


async def pick_cleanly(queue: asyncio.Queue[int]) -> int:
    try:
        return await queue.get()
    except asyncio.CancelledError:
        print("picking cancelled")
        raise


async def charge(amount: int) -> None:
    async with asyncio.timeout(5):  # ASYNC100: nothing in the block can be timed out
        print("charging", amount)
    async with asyncio.timeout(5):
        await notify(amount)


async def fetch_rates(source, timeout: float = 5.0) -> dict:  # ASYNC109: its own deadline
    return await asyncio.wait_for(source.rates(), timeout)


class Packer:
    def __init__(self) -> None:
        self.ready = False
        self.ready_event = asyncio.Event()

    async def wait_ready(self) -> None:
        while not self.ready:  # ASYNC110: polls a flag another task sets
            await asyncio.sleep(0.1)
        await self.ready_event.wait()


async def order_updates(orders):
    async with asyncio.timeout(60):
        async for order in orders:
            yield order  # ASYNC101: the consumer runs inside the timeout


async def receipts(pool):
    async with pool.acquire() as connection:
        async for row in connection.cursor("select * from receipts"):
            yield row  # ASYNC119: the connection stays open if the consumer stops early


@contextlib.asynccontextmanager
async def packing_session(pool):
    async with pool.acquire() as connection:
        yield connection


async def ship_all(pool, orders) -> None:
    async with asyncio.TaskGroup() as tg:
        async with pool.acquire() as connection:
            for order in orders:
                tg.create_task(ship(connection, order))  # ASYNC111: connection closes first
    async with pool.acquire() as connection, asyncio.TaskGroup() as tg:
        for order in orders:
            tg.create_task(ship(connection, order))


async def ship(connection, order) -> None:
    await connection.execute("update orders set shipped = true where id = $1", order)


async def ship_one(connection, order) -> None:
    async with asyncio.TaskGroup() as tg:  # ASYNC112: a group for a single task
        tg.create_task(ship(connection, order))
    await ship(connection, order)


async def first_shipped(connection, orders) -> int | None:
    async with asyncio.TaskGroup() as tg:
        for order in orders:
            tg.create_task(ship(connection, order))
            if order.express:
                return order.id  # ASYNC121: waits for every task before returning
    return None


async def restart() -> None:
    asyncio.run(notify(0))  # AP202: a loop is already running
    await notify(0)


async def schedule_report() -> None:
    loop = asyncio.get_event_loop()  # AP203
    loop = asyncio.get_running_loop()
    loop.call_later(60, print, "report")


async def count_shipped(connection) -> None:
    with stats_lock:  # AP204: held while suspended
        await connection.execute("update stats set shipped = shipped + 1")
    async with asyncio.Lock():
        await connection.execute("update stats set shipped = shipped + 1")
