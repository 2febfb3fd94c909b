"""Exit when the editor that started the server is gone.

An editor that crashes or is killed never sends `exit`, and the server's stdin can stay open when
another process inherited the pipe, so the server would live on as an orphan. LSP's answer is the
`processId` in `initialize`: the server watches that process. pygls 2.1 records it but does not
watch it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Callable

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0


def is_running(pid: int) -> bool:
    if sys.platform == "win32":
        return _is_running_on_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0 only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _is_running_on_windows(pid: int) -> bool:
    # On Windows os.kill(pid, 0) would terminate the process, so ask the kernel instead.
    import ctypes

    synchronize, wait_timeout, error_access_denied = 0x00100000, 0x102, 5
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return kernel32.GetLastError() == error_access_denied
    try:
        return kernel32.WaitForSingleObject(handle, 0) == wait_timeout
    finally:
        kernel32.CloseHandle(handle)


def _exit_now(pid: int) -> None:
    logger.warning("the editor process %s is gone; exiting", pid)
    # Nothing to save (the server never writes files), and a clean shutdown would wait for the
    # thread blocked reading stdin, which may never return.
    os._exit(1)


def watch_editor_process(
    pid: int | None, on_gone: Callable[[int], None] = _exit_now, poll_seconds: float = POLL_SECONDS
) -> threading.Thread | None:
    """Call `on_gone` once the process `pid` has ended; the watching thread, or None when not watching."""
    if pid is None or pid == os.getpid():
        return None
    if not is_running(pid):
        # A client in another container or VM sends a process id that means nothing here.
        logger.info("the editor process %s is not visible from here; not watching it", pid)
        return None
    # If the editor is our parent, a dead but unreaped parent still "exists": a change of parent tells.
    is_parent = pid == os.getppid()

    def watch() -> None:
        while is_running(pid) and not (is_parent and os.getppid() != pid):
            time.sleep(poll_seconds)
        on_gone(pid)

    thread = threading.Thread(target=watch, name="editor-watchdog", daemon=True)
    thread.start()
    return thread
