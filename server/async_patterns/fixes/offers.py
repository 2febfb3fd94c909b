"""What can be fixed, decided from a finding's data alone: cheap enough for listing code actions
on every cursor move, and free of libcst so the command line starts fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from async_patterns.analysis.findings import Finding


@dataclass(frozen=True)
class Offer:
    """A fix recipe as offered: `offered` looks only at the finding; the rewrite lives in `recipes`.

    `in_fix_all` is False for fixes that are right but change behaviour a reader must agree to.
    """

    name: str
    title: Callable[[Finding], str]
    offered: Callable[[Finding], bool] = lambda finding: True
    in_fix_all: bool = True


@dataclass(frozen=True)
class FixOffer:
    recipe: str
    title: str
    preferred: bool


def _call_name(finding: Finding) -> str:
    return str(finding.data.get("call") or "the call").removeprefix("builtins.")


# Calls whose result is a lazy iterator: in a worker thread only the iterator would be made, and
# iterating it would still block the event loop, so a `to_thread` fix would only hide the finding.
_LAZY_RESULT_CALLS = frozenset({"os.walk", "os.fwalk", "os.scandir", "concurrent.futures.as_completed"})
_LAZY_RESULT_PATH_METHODS = frozenset({"iterdir", "glob", "rglob", "walk"})
# Objects tied to the thread that uses them: sqlite3 connections refuse other threads, an RLock or
# a Condition must be released or waited on by the thread that holds it.
_THREAD_BOUND_CODES = frozenset({"AP105"})
_THREAD_BOUND_METHODS = frozenset({"acquire", "wait", "wait_for"})


def _to_thread_keeps_meaning(finding: Finding) -> bool:
    call = _call_name(finding)
    method = call.rpartition(".")[2]
    if call in _LAZY_RESULT_CALLS or (finding.code == "AP101" and method in _LAZY_RESULT_PATH_METHODS):
        return False
    if finding.code in _THREAD_BOUND_CODES:
        return False
    return not (finding.code == "AP106" and method in _THREAD_BOUND_METHODS)



def _keep_task_reference() -> Offer:
    return Offer("keep_task_reference", lambda f: "Keep a reference to the task in a set of background tasks")


# By the finding's `data["fix"]`, the recipes to offer, the preferred first.
OFFERS: dict[str, tuple[Offer, ...]] = {
    "to_thread": (
        Offer("to_thread", lambda f: f"Run `{_call_name(f)}` in a worker thread (asyncio.to_thread)", _to_thread_keeps_meaning),
    ),
    "asyncio.sleep": (Offer("asyncio.sleep", lambda f: "Replace with `await asyncio.sleep(...)`"),),
    # `time.sleep(0)` blocks nothing: letting other tasks run instead changes behaviour on request only.
    "yield_to_loop": (
        Offer("asyncio.sleep", lambda f: "Let other tasks run: `await asyncio.sleep(0)`", in_fix_all=False),
    ),
    "subprocess": (
        Offer("subprocess", lambda f: f"Run `{_call_name(f)}` without blocking the event loop", _to_thread_keeps_meaning),
    ),
    "add_await": (Offer("add_await", lambda f: "Add `await`"),),
    # Right wherever a loop is already running, but code may rely on the RuntimeError (a fallback in
    # `except RuntimeError:`): a reader agrees to each one.
    "await_argument": (Offer("await_argument", lambda f: "Await the coroutine instead", in_fix_all=False),),
    "replace_call": (Offer("replace_call", lambda f: f"Call `{f.data.get('replacement')}()` instead"),),
    "rename_callee": (
        Offer("rename_callee", lambda f: f"Give a delay to `{f.data.get('replacement')}()` instead", in_fix_all=False),
    ),
    "remove_with": (Offer("remove_with", lambda f: "Remove the timeout block that can never fire"),),
    "async_with": (Offer("async_with", lambda f: "Enter the timeout with `async with`"),),
    "keep_task_reference": (_keep_task_reference(),),
    "use_task_group": (
        Offer(
            "use_task_group",
            lambda f: f"Create the task in the enclosing TaskGroup `{f.data.get('task_group')}` (it will be awaited)",
            in_fix_all=False,
        ),
        _keep_task_reference(),
    ),
}


def offers_for(finding: Finding) -> tuple[Offer, ...]:
    return tuple(offer for offer in OFFERS.get(str(finding.data.get("fix")), ()) if offer.offered(finding))


def offered_fixes(finding: Finding) -> list[FixOffer]:
    """The fixes a finding's data promises, without parsing anything; the first is preferred."""
    return [
        FixOffer(offer.name, offer.title(finding), preferred=number == 0)
        for number, offer in enumerate(offers_for(finding))
    ]


def is_fixable(finding: Finding) -> bool:
    return bool(offers_for(finding))


def is_fixed_by_fix_all(finding: Finding) -> bool:
    """Whether fix-all would fix it (some fixes are offered one by one only)."""
    return any(offer.in_fix_all for offer in offers_for(finding))


def suppression_title(finding: Finding) -> str:
    return f"Suppress {finding.code} on this line"
