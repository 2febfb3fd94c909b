"""From the qualified name the analysis engine resolved to the name an entry is filed under.

The engine reports where a name is defined ("asyncio.tasks.gather", "aiohttp.web_app.Application")
or the class a value was made from ("asyncio.PriorityQueue.get"); entries are filed under the
public spelling users write ("asyncio.gather", "aiohttp.web.Application", "asyncio.Queue.get").
"""

from __future__ import annotations

from collections.abc import Container

# Classes whose members are documented on another class: their base class, or the class whose
# object supplies the members (a Condition hands out its Lock's acquire/release/locked).
_MEMBERS_DOCUMENTED_ON = {
    "asyncio.PriorityQueue": "asyncio.Queue",
    "asyncio.LifoQueue": "asyncio.Queue",
    "asyncio.BoundedSemaphore": "asyncio.Semaphore",
    "asyncio.Condition": "asyncio.Lock",
    "asyncio.Task": "asyncio.Future",
    "asyncio.AbstractServer": "asyncio.Server",
    "asyncio.BaseEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.BaseSelectorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.BaseProactorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.SelectorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.ProactorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.EventLoop": "asyncio.AbstractEventLoop",
    "asyncio._UnixSelectorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio._WindowsSelectorEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.TimerHandle": "asyncio.Handle",
    "aiohttp.web.BaseRequest": "aiohttp.web.Request",
    "aiohttp.web.StreamResponse": "aiohttp.web.Response",
}


def canonical_name(name: str, known: Container[str]) -> str | None:
    """The entry name that documents `name`, or None when no entry does."""
    for spelling in _public_spellings(name.strip()):
        if spelling in known:
            return spelling
        owner, _, member = spelling.rpartition(".")
        while owner in _MEMBERS_DOCUMENTED_ON:
            owner = _MEMBERS_DOCUMENTED_ON[owner]
            if f"{owner}.{member}" in known:
                return f"{owner}.{member}"
    return None


def _public_spellings(name: str) -> list[str]:
    """`name` first, then the same name with the defining module replaced by the public one."""
    parts = name.split(".")
    if parts[0] == "_asyncio":  # the C accelerator module behind Task, Future and friends
        parts[0] = "asyncio"
    spellings = [".".join(parts)]
    if len(parts) < 3 or not parts[1].islower():
        return spellings
    head, module, rest = parts[0], parts[1], ".".join(parts[2:])
    if head == "asyncio":
        spellings.append(f"asyncio.{rest}")
    elif head == "aiohttp" and module != "web":
        # aiohttp.web_app, web_request, web_ws, ... are re-exported by aiohttp.web; client,
        # client_reqrep, connector, ... by aiohttp itself.
        preferred = ("aiohttp.web", "aiohttp") if module.startswith("web_") else ("aiohttp", "aiohttp.web")
        spellings.extend(f"{package}.{rest}" for package in preferred)
    return spellings
