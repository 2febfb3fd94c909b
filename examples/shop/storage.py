"""Keeping invoices and exports on disk."""

import asyncio
import os
import os.path
import shutil
from pathlib import Path

EXPORTS = Path("exports")


async def load_invoice(number: int) -> str:
    with open(f"invoices/{number}.txt") as invoice:  # noqa: ASYNC230
        return invoice.read()


async def save_invoice(number: int, text: str) -> None:
    invoice = open(f"invoices/{number}.txt", "w")
    invoice.write(text)  # noqa: ASYNC232
    invoice.close()  # noqa: ASYNC232


async def save_invoice_without_blocking(number: int, text: str) -> None:
    await asyncio.to_thread((EXPORTS / f"{number}.txt").write_text, text)


async def attach_log(descriptor: int) -> None:
    log = os.fdopen(descriptor, "a")
    log.write("attached\n")  # noqa: ASYNC232


async def has_export(name: str) -> bool:
    return os.path.exists(os.path.join("exports", name))


async def export_summary() -> str:
    return (EXPORTS / "summary.csv").read_text()


async def list_exports() -> list[str]:
    return os.listdir(EXPORTS)


async def archive_exports() -> None:
    shutil.make_archive("exports-backup", "zip", EXPORTS)
