"""Running the label printer and other helper programs."""

import asyncio
import os
import subprocess


async def print_label(order_id: int) -> None:
    subprocess.run(["lp", f"labels/{order_id}.pdf"], check=True)


async def print_label_without_blocking(order_id: int) -> None:
    process = await asyncio.create_subprocess_exec("lp", f"labels/{order_id}.pdf")
    await process.wait()


async def start_scanner() -> subprocess.Popen:
    return subprocess.Popen(["scanner-daemon"])


async def notify_ops(message: str) -> None:
    os.system(f"logger {message!r}")


async def reap_scanner(pid: int) -> None:
    os.waitpid(pid, 0)


async def rebuild_catalogue() -> bytes:
    build = subprocess.Popen(["make", "catalogue"], stdout=subprocess.PIPE)  # noqa: ASYNC220
    output, _ = build.communicate()
    return output
