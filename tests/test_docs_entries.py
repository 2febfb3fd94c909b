"""Hover entries: coverage of asyncio's public API, name resolution, versions and the markdown."""

from __future__ import annotations

import ast
import asyncio
import asyncio.subprocess
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.outside_async import top_level_async_problem
from async_patterns.analysis.positions import LineIndex
from async_patterns.docs import entry_count, hover_markdown, known_names, parse_requires_python
from async_patterns.docs.facts import facts_for
from async_patterns.docs.hover import find_entry
from async_patterns.docs.links import document_path
from async_patterns.docs.signatures import deprecated_in, signature_text, user_python
from async_patterns.docs.reference import reference_documents, section_heading

ENTRIES = sorted(known_names())

# asyncio.__all__ misses TaskGroup on 3.11, so public module attributes count too.
ASYNCIO_PUBLIC_NAMES = sorted(
    set(asyncio.__all__)
    | {name for name, value in vars(asyncio).items() if not name.startswith("_") and not inspect.ismodule(value)}
)

# Classes whose methods users call; every public member the running Python has must resolve.
DOCUMENTED_CLASSES = [
    "Queue", "PriorityQueue", "LifoQueue", "Lock", "Event", "Condition", "Semaphore",
    "BoundedSemaphore", "Barrier", "Task", "Future", "TaskGroup", "Timeout", "Runner",
    "AbstractEventLoop", "StreamReader", "StreamWriter", "Server", "Handle", "TimerHandle",
]

# Added after 3.11: (name, first Python that has it).
NEWER_NAMES = [
    ("asyncio.eager_task_factory", (3, 12)),
    ("asyncio.create_eager_task_factory", (3, 12)),
    ("asyncio.Task.get_context", (3, 12)),
    ("asyncio.Handle.get_context", (3, 12)),
    ("asyncio.QueueShutDown", (3, 13)),
    ("asyncio.Queue.shutdown", (3, 13)),
    ("asyncio.EventLoop", (3, 13)),
    ("asyncio.Server.close_clients", (3, 13)),
    ("asyncio.Server.abort_clients", (3, 13)),
]

# Deprecated names and a word of what to use instead that the hover must mention.
DEPRECATED_NAMES = [
    ("asyncio.get_event_loop", "get_running_loop"),
    ("asyncio.iscoroutinefunction", "inspect.iscoroutinefunction"),
    ("asyncio.set_event_loop_policy", "loop_factory"),
    ("asyncio.get_event_loop_policy", "loop_factory"),
    ("asyncio.AbstractEventLoopPolicy", "loop_factory"),
    ("asyncio.DefaultEventLoopPolicy", "loop_factory"),
    ("asyncio.WindowsSelectorEventLoopPolicy", "loop_factory"),
    ("asyncio.WindowsProactorEventLoopPolicy", "loop_factory"),
    ("asyncio.AbstractChildWatcher", "create_subprocess_exec"),
    ("asyncio.SafeChildWatcher", "create_subprocess_exec"),
    ("asyncio.FastChildWatcher", "create_subprocess_exec"),
    ("asyncio.MultiLoopChildWatcher", "create_subprocess_exec"),
    ("asyncio.ThreadedChildWatcher", "create_subprocess_exec"),
    ("asyncio.PidfdChildWatcher", "create_subprocess_exec"),
    ("asyncio.get_child_watcher", "create_subprocess_exec"),
    ("asyncio.set_child_watcher", "create_subprocess_exec"),
]

# What the engine may report -> the entry that answers it.
ALIASES = [
    ("asyncio.tasks.gather", "asyncio.gather"),
    ("asyncio.locks.Lock", "asyncio.Lock"),
    ("asyncio.queues.Queue.get", "asyncio.Queue.get"),
    ("asyncio.PriorityQueue.get", "asyncio.Queue.get"),
    ("asyncio.queues.LifoQueue.put", "asyncio.Queue.put"),
    ("asyncio.BoundedSemaphore.acquire", "asyncio.Semaphore.acquire"),
    ("asyncio.Condition.acquire", "asyncio.Lock.acquire"),
    ("asyncio.Task.result", "asyncio.Future.result"),
    ("_asyncio.Task.cancel", "asyncio.Task.cancel"),
    ("asyncio.timeouts.Timeout.reschedule", "asyncio.Timeout.reschedule"),
    ("asyncio.taskgroups.TaskGroup.create_task", "asyncio.TaskGroup.create_task"),
    ("asyncio.events.get_event_loop", "asyncio.get_event_loop"),
    ("asyncio.exceptions.CancelledError", "asyncio.CancelledError"),
    ("asyncio.subprocess.create_subprocess_exec", "asyncio.create_subprocess_exec"),
    ("asyncio.base_events.BaseEventLoop.run_in_executor", "asyncio.AbstractEventLoop.run_in_executor"),
    ("asyncio.unix_events._UnixSelectorEventLoop.create_task", "asyncio.AbstractEventLoop.create_task"),
    ("asyncio.EventLoop.call_soon_threadsafe", "asyncio.AbstractEventLoop.call_soon_threadsafe"),
    ("asyncio.base_events.Server.serve_forever", "asyncio.Server.serve_forever"),
    ("asyncio.TimerHandle.cancel", "asyncio.Handle.cancel"),
    ("aiohttp.client.ClientSession.get", "aiohttp.ClientSession.get"),
    ("aiohttp.client_reqrep.ClientResponse.json", "aiohttp.ClientResponse.json"),
    ("aiohttp.connector.TCPConnector", "aiohttp.TCPConnector"),
    ("aiohttp.client_ws.ClientWebSocketResponse.receive", "aiohttp.ClientWebSocketResponse.receive"),
    ("aiohttp.web_app.Application", "aiohttp.web.Application"),
    ("aiohttp.web_app.Application.cleanup_ctx", "aiohttp.web.Application.cleanup_ctx"),
    ("aiohttp.web_runner.AppRunner", "aiohttp.web.AppRunner"),
    ("aiohttp.web_runner.TCPSite.start", "aiohttp.web.TCPSite.start"),
    ("aiohttp.web_routedef.RouteTableDef", "aiohttp.web.RouteTableDef"),
    ("aiohttp.web_response.json_response", "aiohttp.web.json_response"),
    ("aiohttp.web_ws.WebSocketResponse.prepare", "aiohttp.web.WebSocketResponse.prepare"),
    ("aiohttp.web_request.BaseRequest.json", "aiohttp.web.Request.json"),
    ("aiohttp.web.run_app", "aiohttp.web.run_app"),
]

AIOHTTP_REQUIRED = [
    "aiohttp.ClientSession", *(f"aiohttp.ClientSession.{method}" for method in (
        "get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect", "close")),
    "aiohttp.ClientTimeout", "aiohttp.TCPConnector", "aiohttp.ClientResponse",
    *(f"aiohttp.ClientResponse.{member}" for member in ("json", "text", "read", "raise_for_status", "content")),
    "aiohttp.web.Application", "aiohttp.web.Application.cleanup_ctx", "aiohttp.web.Application.on_startup",
    "aiohttp.web.Application.on_shutdown", "aiohttp.web.run_app", "aiohttp.web.AppRunner", "aiohttp.web.TCPSite",
    "aiohttp.web.RouteTableDef", "aiohttp.web.Response", "aiohttp.web.json_response", "aiohttp.web.Request",
    "aiohttp.web.WebSocketResponse", "aiohttp.ClientWebSocketResponse",
]


def assert_substantive(markdown: str | None, name: str) -> None:
    assert markdown is not None, name
    heading, _, body = markdown.partition("\n")
    assert heading == f"### {name}"
    assert "#### Pattern\n\n```python\n" in body
    assert "\n\n**Pitfall:** " in body, f"{name}: no pitfall"
    summary = body.partition("\n\n**Pitfall:** ")[0].rsplit("\n\n", 1)[-1]
    assert len(summary.split()) >= 5 and summary.rstrip().endswith((".", ")")), f"{name}: summary {summary!r}"
    assert "**Since Python 3." in body or "**Since aiohttp" in body or facts_for(name) is None
    assert "**Reference:**" in body


def member_names(class_name: str) -> list[str]:
    """The public members the running Python's class has (none where it lacks the class: 3.10)."""
    cls = getattr(asyncio, class_name, None)
    return [f"asyncio.{class_name}.{member}" for member in dir(cls) if not member.startswith("_")] if cls else []


@pytest.mark.parametrize("name", ASYNCIO_PUBLIC_NAMES)
def test_every_public_asyncio_name_has_a_substantive_hover(name: str) -> None:
    assert_substantive(hover_markdown(f"asyncio.{name}"), f"asyncio.{name}")


@pytest.mark.parametrize(
    "qualified_name", [name for class_name in DOCUMENTED_CLASSES for name in member_names(class_name)]
)
def test_every_public_member_of_the_documented_classes_resolves(qualified_name: str) -> None:
    entry = find_entry(qualified_name)
    assert entry is not None, qualified_name
    assert_substantive(hover_markdown(qualified_name), entry.name)


@pytest.mark.parametrize(
    "qualified_name",
    [f"asyncio.subprocess.Process.{member}" for member in ("wait", "communicate", "send_signal", "terminate",
                                                          "kill", "returncode", "pid")],
)
def test_subprocess_process_members_resolve(qualified_name: str) -> None:
    assert_substantive(hover_markdown(qualified_name), qualified_name)


@pytest.mark.parametrize("name", AIOHTTP_REQUIRED)
def test_main_aiohttp_apis_have_entries(name: str) -> None:
    assert_substantive(hover_markdown(name), name)


@pytest.mark.parametrize(("name", "since"), NEWER_NAMES)
def test_names_newer_than_3_11_are_marked_with_their_version(name: str, since: tuple[int, int]) -> None:
    entry = find_entry(name)
    assert entry is not None and facts_for(name).added == since
    version = f"{since[0]}.{since[1]}"
    markdown = hover_markdown(name, requires_python=(3, 11))
    assert f"**Since Python {version}**" in markdown
    assert f"**Needs Python {version}**" in markdown
    # The signature comes from the release that added the name, never just the bare name.
    assert signature_text(entry, (3, 11)) != name


@pytest.mark.parametrize(("name", "replacement"), DEPRECATED_NAMES)
def test_deprecated_names_say_so_and_name_the_replacement(name: str, replacement: str) -> None:
    markdown = hover_markdown(name)
    assert "**Deprecated since Python 3." in markdown
    warning = next(line for line in markdown.splitlines() if "Deprecated since" in line)
    assert replacement in warning


def test_child_watchers_say_when_they_are_removed() -> None:
    assert "removed in Python 3.14" in hover_markdown("asyncio.SafeChildWatcher")


def test_current_apis_are_not_marked_deprecated() -> None:
    for name in ("asyncio.run", "asyncio.gather", "asyncio.TaskGroup", "asyncio.get_running_loop"):
        assert "Deprecated" not in hover_markdown(name)


@pytest.mark.parametrize(("reported", "documented"), ALIASES)
def test_defining_module_and_subclass_spellings_resolve(reported: str, documented: str) -> None:
    entry = find_entry(reported)
    assert entry is not None and entry.name == documented
    assert hover_markdown(reported).startswith(f"### {documented}\n")


@pytest.mark.parametrize(
    "name", ["", "asyncio", "asyncio.not_a_thing", "asyncio.Queue.no_such_method", "os.path.join", "aiohttp.nothing"]
)
def test_unknown_names_have_no_hover(name: str) -> None:
    assert hover_markdown(name) is None


def test_requires_python_below_the_minimum_warns_with_both_versions() -> None:
    markdown = hover_markdown("asyncio.TaskGroup", requires_python=(3, 10))
    warning = next(line for line in markdown.splitlines() if "Needs Python" in line)
    assert "3.11" in warning and "3.10" in warning and "requires-python" in warning


@pytest.mark.parametrize("requires_python", [None, (3, 11), (3, 13)])
def test_no_version_warning_when_the_workspace_minimum_is_high_enough(requires_python) -> None:
    assert "Needs Python" not in hover_markdown("asyncio.TaskGroup", requires_python=requires_python, python=(3, 13))


def test_later_behaviour_changes_are_flagged_against_the_workspace_minimum() -> None:
    flagged = "newer than your Python"
    assert flagged in hover_markdown("asyncio.as_completed", requires_python=(3, 11))
    assert flagged not in hover_markdown("asyncio.as_completed", requires_python=(3, 13), python=(3, 13))


def test_library_entries_never_warn_about_the_python_version() -> None:
    assert "Needs Python" not in hover_markdown("aiohttp.ClientTimeout", requires_python=(3, 8))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (">=3.10", (3, 10)),
        ("~=3.11", (3, 11)),
        (">=3.9,<4", (3, 9)),
        (">= 3.9 , < 4", (3, 9)),
        ("~=3.11.2", (3, 11)),
        (">=3.10.1", (3, 10)),
        (">3.9", (3, 9)),  # 3.9.1 is greater than 3.9
        ("==3.12.*", (3, 12)),
        ("==3.12", (3, 12)),
        (">=3.8,!=3.8.*,!=3.9.*", (3, 10)),
        (">=3.8,!=3.8.5", (3, 8)),
        ("<3.12", None),
        (">=3.13,<3.12", None),
        ("^3.10", None),
        ("", None),
        ("python>=3.10", None),
    ],
)
def test_parse_requires_python_gives_the_lowest_allowed_minor(spec: str, expected) -> None:
    assert parse_requires_python(spec) == expected


@pytest.mark.parametrize("name", ENTRIES)
def test_every_entry_is_complete_and_points_at_an_existing_section(name: str) -> None:
    entry = find_entry(name)
    assert entry.pitfalls and all(pitfall.strip() for pitfall in entry.pitfalls)
    assert (deprecated_in(entry) is None) == (entry.deprecation is None)
    assert entry.document in reference_documents(), entry.reference
    assert section_heading(entry.document, entry.anchor) is not None, entry.reference
    assert signature_text(entry, user_python(None)) != name, f"{name} has no signature"


@pytest.mark.parametrize("name", ENTRIES)
def test_every_entry_pattern_parses_and_is_clean_under_our_checker(name: str) -> None:
    pattern = textwrap.dedent(find_entry(name).pattern).strip()
    # Patterns are snippets: a bare `await` stands for "inside your coroutine". Those are checked as
    # a notebook cell is, where that is legal; the others (sync scripts among them) as a file.
    tree = compile(pattern, name, "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = analyze(pattern, kernel=top_level_async_problem(tree.body, LineIndex.of(pattern)) is not None)
    assert result.error is None
    assert result.findings == []


def test_reference_line_names_the_document_and_the_section_heading() -> None:
    markdown = hover_markdown("asyncio.Semaphore")
    path = document_path("concurrency-patterns.md")
    assert markdown.endswith(
        "**Reference:** [Concurrency patterns › Bounded concurrency with Semaphore]"
        f"({path.as_uri()}#bounded-concurrency-with-semaphore)"
    )
    assert path.is_file()


def test_with_the_editors_open_command_the_reference_opens_the_bundled_document_at_its_heading() -> None:
    markdown = hover_markdown("asyncio.Semaphore", open_command="asyncPatterns.openDocument")
    link = markdown.rpartition("](")[2].removesuffix(")")
    command, _, arguments = link.partition("?")
    assert command == "command:asyncPatterns.openDocument"
    (target,) = json.loads(unquote(arguments))
    lines = Path(target["path"]).read_text(encoding="utf-8").splitlines()
    assert lines[target["line"]] == "## Bounded concurrency with Semaphore"


def test_the_top_of_a_hover_is_signature_summary_and_the_main_pitfall() -> None:
    markdown = hover_markdown("asyncio.create_task", python=(3, 13))
    top, rule, rest = markdown.partition("\n\n---\n\n")
    assert rule and top.startswith("### asyncio.create_task\n\n```python\ndef asyncio.create_task(")
    assert "**Pitfall:** The loop keeps only a weak reference to tasks" in top
    assert rest.startswith("#### Pattern") and "#### More pitfalls" in rest and "**Reference:**" in rest


def test_a_brief_hover_has_no_pitfalls_pattern_or_history() -> None:
    markdown = hover_markdown("asyncio.create_task", brief=True)
    assert "Pitfall" not in markdown and "Pattern" not in markdown and "Changed in" not in markdown
    assert "def asyncio.create_task(" in markdown and "**Reference:**" in markdown


def test_signature_matches_the_running_python_when_the_workspace_allows_it() -> None:
    parameters = ", ".join(str(parameter) for parameter in inspect.signature(asyncio.gather).parameters.values())
    assert f"def asyncio.gather({parameters})" in hover_markdown("asyncio.gather")
    # The abstract loop's methods are described by the concrete loop, which knows they are coroutines.
    assert "async def asyncio.AbstractEventLoop.create_connection(" in hover_markdown(
        "asyncio.AbstractEventLoop.create_connection"
    )


def test_entry_count_matches_the_known_names() -> None:
    asyncio_count = sum(name.startswith("asyncio.") for name in known_names())
    aiohttp_count = sum(name.startswith("aiohttp.") for name in known_names())
    assert entry_count() == len(known_names()) == asyncio_count + aiohttp_count
    assert asyncio_count > len(ASYNCIO_PUBLIC_NAMES)


def test_the_docs_package_never_loads_the_lsp_libraries() -> None:
    probe = (
        "import sys, async_patterns.docs as docs; docs.hover_markdown('asyncio.gather');"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pygls', 'lsprotocol'}))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
