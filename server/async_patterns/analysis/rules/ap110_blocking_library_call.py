"""AP110: a blocking call into a third-party library (LLM clients, ORMs, cloud SDKs, ...), from the catalogue."""

from __future__ import annotations

import ast
from typing import Any

from async_patterns.analysis import catalogue
from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.libraries import BlockingEntry, Catalogue, builtin_catalogue
from async_patterns.analysis.libraries.index import BlockingIndex
from async_patterns.analysis.names import Scope, dotted_name
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, Report
from async_patterns.analysis.settings import Settings


class BlockingLibraryCall(BlockingCallRule):
    code = "AP110"
    name = "blocking-library-call"
    message = "{call} is a blocking library call that stalls the event loop; {instead}"
    # What a finding says: the call, the library, what it waits for, the library's async alternative.
    detailed_message = "{call} ({library}) {doing} with the event loop blocked; use {instead}"
    explanation = """\
Synchronous clients of popular libraries hold the calling thread for a whole round trip: the LLM
SDKs' sync clients (`openai.OpenAI`, `anthropic.Anthropic`, google-genai, Mistral, Cohere) for
seconds per call, SQLAlchemy's sync `Engine`/`Connection`/`Session`, redis-py, pymongo, psycopg 3,
mysqlclient and pymssql, boto3, paramiko, pika's `BlockingConnection`, kafka-python, Elasticsearch,
the Docker SDK, slack_sdk's `WebClient`, the standard library's smtplib/imaplib/poplib/ftplib, and
tools that shell out or hit the disk (pydub, yt-dlp, gTTS, Pillow on paths, a streamed `requests`
response). Inside `async def` that thread runs the event loop. Each library's async counterpart is
named in the message (`openai.AsyncOpenAI`, `sqlalchemy.ext.asyncio`, `redis.asyncio`, aioboto3, ...);
otherwise run the call with `await asyncio.to_thread(...)`. Only receivers whose type the code
proves are reported: made by the library's constructor or factory in view (`OpenAI()`,
`engine.connect()`, `Session(engine)`, `sessionmaker(...)()`), annotated, or bound by `with`.
Constructors that do no I/O (`OpenAI()`, `create_engine()`, `redis.Redis()`) are never reported.
The entries live in a reviewed catalogue (`analysis/libraries/*.toml`); add your own SDK's with
the `library-catalogues` setting."""
    peers = """\
Neither flake8-async nor ruff has this rule: flake8-async's and ruff's blocking-call rules cover the
standard library, `requests`, `httpx` and `urllib3` only."""

    VALID = (
        "import openai\nasync def main():\n    client = openai.AsyncOpenAI()\n"
        "    return await client.chat.completions.create(model='m', messages=[])\n",
        "import openai\nclient = openai.OpenAI()\nasync def main():\n    return client.api_key\n",
        "from sqlalchemy import create_engine\nengine = create_engine('sqlite://')\nasync def main():\n    return engine.url\n",
        "async def main(client):\n    return client.chat.completions.create(model='m', messages=[])\n",
        "import openai\ndef main():\n    return openai.OpenAI().chat.completions.create(model='m', messages=[])\n",
    )
    INVALID = (
        Invalid(
            "import openai\nclient = openai.OpenAI()\nasync def main():\n"
            "    return client.chat.completions.create(model='m', messages=[])\n",
            fixed="import asyncio\nimport openai\nclient = openai.OpenAI()\nasync def main():\n"
            "    return await asyncio.to_thread(client.chat.completions.create, model='m', messages=[])\n",
        ),
        Invalid(
            "from sqlalchemy import create_engine, text\nengine = create_engine('sqlite://')\nasync def main():\n"
            "    with engine.connect() as connection:\n        return connection.execute(text('select 1'))\n"
        ),
        Invalid(
            "from sqlalchemy.orm import Session\nasync def handler(db: Session):\n    db.commit()\n"
        ),
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        extra = Catalogue(settings.library_catalogues)
        catalogue.add_library_types(extra)
        self.index = BlockingIndex(builtin_catalogue() + extra, self.code)
        self.calls = self.index.calls  # type: ignore[misc]
        self.methods = self.index.methods  # type: ignore[misc]
        self.properties = self.index.properties  # type: ignore[misc]

    def _entry(self, site: CallSite) -> BlockingEntry | None:
        return self.index.entry_for_call(site.node, site.scope, site.qualname, site.receiver_type, site.method)

    def accepts(self, site: CallSite) -> bool:
        return self._entry(site) is not None

    def report(self, site: CallSite) -> Report:
        entry = self._entry(site)
        assert entry is not None  # the engine reports only what `accepts`
        data: dict[str, Any] = {"call": site.qualname or site.name, "library": entry.library}
        if entry.fix:
            data["fix"] = "to_thread"
        return Report(site.node, self._message(site.display, entry), data)

    def report_property(self, node: ast.Attribute, receiver_type: str, scope: Scope) -> Report | None:
        entry = self.index.by_property.get((receiver_type, node.attr))
        if entry is None:
            return None
        written = dotted_name(node) or f"{receiver_type.rpartition('.')[2]}.{node.attr}"
        return Report(node, self._message(code_span(written), entry), {"call": written, "library": entry.library})

    def _message(self, call: str, entry: BlockingEntry) -> str:
        instead = self.index.alternative_for(entry)
        if entry.fix and "to_thread" not in instead:
            instead += " or run it with `await asyncio.to_thread(...)`"
        return self.detailed_message.format(call=call, library=entry.library, doing=entry.doing, instead=instead)
