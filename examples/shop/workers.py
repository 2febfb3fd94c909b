"""Background workers: pacing, prompts and waiting on other threads."""

import asyncio
import queue
import threading
import time


async def fetch_price(item: str) -> float:
    await asyncio.sleep(0.1)
    return float(len(item))


async def price_all(items: list[str]) -> list[float]:
    return await asyncio.gather(*(fetch_price(item) for item in items))


async def poll_inventory() -> None:
    while True:
        time.sleep(1)
        await asyncio.sleep(0)


async def confirm_order() -> bool:
    answer = input("Ship the order? [y/N] ")
    return answer.lower() == "y"


async def confirm_order_without_blocking() -> bool:
    answer = await asyncio.to_thread(input, "Ship the order? [y/N] ")
    return answer.lower() == "y"


async def drain_legacy_queue() -> list[str]:
    jobs: queue.Queue[str] = queue.Queue()
    worker = threading.Thread(target=jobs.put, args=("restock",))
    worker.start()
    worker.join()
    return [jobs.get()]


async def restock(items: list[str]) -> None:
    async with asyncio.TaskGroup() as group:
        for item in items:
            group.create_task(fetch_price(item))
