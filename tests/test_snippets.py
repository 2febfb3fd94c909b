"""Every snippet, expanded with its default placeholders, is valid Python that our checker leaves clean."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from async_patterns.snippets_catalog import Snippet, expand_defaults, load_snippets, parse_snippets

REPOSITORY = Path(__file__).resolve().parents[1]
SNIPPETS_FILE = REPOSITORY / "snippets" / "python.code-snippets"

# Snippets leave imports to the file they land in; the checker resolves names through imports,
# so without these lines it would not recognise asyncio.sleep, time.sleep, ... at all.
IMPORTS = """\
import asyncio
import concurrent.futures
import contextlib
import random
import signal

import aiohttp
"""

SNIPPETS = load_snippets()


def as_module(snippet: Snippet) -> str:
    """The expanded snippet as a module; a fragment meant for a coroutine body goes inside one."""
    expanded = expand_defaults(snippet.body).expandtabs(4)
    try:
        compile(expanded, snippet.name, "exec", dont_inherit=True)
    except SyntaxError:
        # `await` / `async with` outside a function: the snippet is inserted into an async def.
        return IMPORTS + "\n\nasync def snippet_host():\n" + textwrap.indent(expanded, "    ") + "\n"
    return IMPORTS + "\n" + expanded


def test_the_package_ships_the_same_file_the_extension_contributes() -> None:
    assert [snippet.name for snippet in SNIPPETS] == list(json.loads(SNIPPETS_FILE.read_text(encoding="utf-8")))
    manifest = json.loads((REPOSITORY / "package.json").read_text(encoding="utf-8"))
    contributed = [entry["path"] for entry in manifest["contributes"]["snippets"]]
    assert contributed == ["./snippets/python.code-snippets"]


def test_tg_inserts_a_task_group() -> None:
    task_group = [snippet for snippet in SNIPPETS if "tg" in snippet.prefixes]
    assert len(task_group) == 1
    assert expand_defaults(task_group[0].body).startswith("async with asyncio.TaskGroup() as tg:")


def test_prefixes_are_unique() -> None:
    prefixes = [prefix for snippet in SNIPPETS for prefix in snippet.prefixes]
    assert len(prefixes) == len(set(prefixes))


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[snippet.prefix for snippet in SNIPPETS])
def test_snippet_expands_to_python_that_compiles(snippet: Snippet) -> None:
    compile(as_module(snippet), snippet.name, "exec", dont_inherit=True)
    assert "$" not in expand_defaults(snippet.body)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[snippet.prefix for snippet in SNIPPETS])
def test_snippet_is_clean_under_our_checker(snippet: Snippet) -> None:
    from async_patterns.analysis import analyze

    source = as_module(snippet)
    ast.parse(source)
    result = analyze(source)
    assert result.error is None
    assert result.findings == [], "\n".join(f"{f.line}:{f.column} {f.code} {f.message}" for f in result.findings)


@pytest.mark.parametrize(
    ("body", "expanded"),
    [
        ("${1:results} = await f()\nprint($1)$0", "results = await f()\nprint(results)"),
        ("$1 = ${1:name}", "name = name"),
        ("${1:outer ${2:inner}} and $2", "outer inner and inner"),
        ("${4:$1 = None} / ${1:value}", "value = None / value"),
        ("${1|first,second|} $1", "first first"),
        ("${1|a\\,b,c|}", "a,b"),
        ("cost: \\$5 and ${1:brace \\} kept}", "cost: $5 and brace } kept"),
        ("$TM_FILENAME ${TM_SELECTED_TEXT:default} ${2}", " default "),
        ("price $ 3 }", "price $ 3 }"),
    ],
)
def test_expand_defaults(body: str, expanded: str) -> None:
    assert expand_defaults(body) == expanded


@pytest.mark.parametrize("body", ["${1:unclosed", "${1|a,b}", "${1/(.*)/$1/}"])
def test_expand_defaults_rejects_malformed_bodies(body: str) -> None:
    with pytest.raises(ValueError):
        expand_defaults(body)


def test_parse_snippets_accepts_a_single_prefix_and_a_string_body() -> None:
    [snippet] = parse_snippets('{"Sleep": {"prefix": "sl", "body": "await asyncio.sleep($1)"}}')
    assert snippet.prefixes == ("sl",)
    assert snippet.prefix == "sl"
    assert snippet.description == ""
    assert snippet.body == "await asyncio.sleep($1)"
