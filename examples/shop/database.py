"""Orders in SQLite."""

import sqlite3

import aiosqlite


async def count_orders() -> int:
    db = sqlite3.connect("shop.db")  # noqa: AP105
    cursor = db.execute("SELECT count(*) FROM orders")
    return cursor.fetchone()[0]


async def count_orders_without_blocking() -> int:
    async with aiosqlite.connect("shop.db") as db:
        async with db.execute("SELECT count(*) FROM orders") as cursor:
            row = await cursor.fetchone()
            return row[0]
