"""Signatures read from the running Python, so the hover shows what this interpreter really has."""

from __future__ import annotations

import asyncio
import inspect
from functools import cache

# The abstract loop's methods are stubs (plain `def`, no defaults worth showing); the concrete
# loop says which of them are coroutines and what the real parameters are.
_IMPLEMENTED_BY = {"asyncio.AbstractEventLoop": "asyncio.SelectorEventLoop"}

_MISSING = object()


@cache
def runtime_signature(name: str) -> str | None:
    """A one-line signature for an asyncio name as the running Python defines it.

    None for names outside asyncio (aiohttp is not a dependency of the server, so its signatures
    are written by hand), names this Python does not have, and objects `inspect` cannot describe
    (properties, some C methods).
    """
    owner_name, _, attribute = name.rpartition(".")
    implementation = _IMPLEMENTED_BY.get(owner_name)
    if implementation is not None:
        concrete = _resolve(f"{implementation}.{attribute}")
        if concrete is not _MISSING:
            return _describe(name, concrete, is_method=True)
    target = _resolve(name)
    if target is _MISSING:
        return None
    owner = _resolve(owner_name)
    return _describe(name, target, is_method=inspect.isclass(owner))


def _resolve(name: str) -> object:
    head, *path = name.split(".")
    if head != "asyncio":
        return _MISSING
    target: object = asyncio
    for part in path:
        target = getattr(target, part, _MISSING)
        if target is _MISSING:
            return _MISSING
    return target


def _describe(name: str, target: object, *, is_method: bool) -> str | None:
    if isinstance(target, (str, int, float)):
        return f"{name} = {target!r}"
    if inspect.isclass(target):
        try:
            signature = inspect.signature(target).replace(return_annotation=inspect.Signature.empty)
        except (TypeError, ValueError):
            bases = ", ".join(base.__name__ for base in target.__bases__ if base is not object)
            return f"class {name}({bases})" if bases else f"class {name}"
        return f"class {name}{signature}"
    if not callable(target):
        return None
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    parameters = list(signature.parameters.values())
    if is_method and parameters and parameters[0].name == "self":
        signature = signature.replace(parameters=parameters[1:])
    keyword = "async def" if inspect.iscoroutinefunction(target) else "def"
    return f"{keyword} {name}{signature}"
