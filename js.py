import asyncio
import json

async def handle(payload):
    document = json.loads(payload)

async def main():
    payload = "[" + ",".join(['{"id": 12345, "tags": ["a", "b", "c"], "price": 1.5}'] * 100_000) + "]"
    await asyncio.sleep(0.05)
    await handle(payload)

asyncio.run(main())
