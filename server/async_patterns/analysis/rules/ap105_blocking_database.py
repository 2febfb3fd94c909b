"""AP105: synchronous database drivers (`sqlite3`, `psycopg2`, psycopg 3, `pymysql`, mysqlclient, pymssql, ...)."""

from __future__ import annotations

from async_patterns.analysis import catalogue
from async_patterns.analysis.libraries import builtin_catalogue
from async_patterns.analysis.libraries.index import BlockingIndex, matches_own_tables, merged_methods
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid
from async_patterns.analysis.settings import Settings

_CONNECT = "sqlite3.connect psycopg2.connect pymysql.connect mysql.connector.connect MySQLdb.connect"
_QUERY_METHODS = "execute executemany executescript fetchone fetchmany fetchall callproc commit rollback"


class BlockingDatabase(BlockingCallRule):
    code = "AP105"
    name = "blocking-database"
    message = "{call} talks to the database synchronously and blocks the event loop until it answers; {instead}"
    explanation = """\
DB-API drivers such as `sqlite3`, `psycopg2`, psycopg 3, `pymysql`, `mysql.connector`, mysqlclient
(`MySQLdb`) and pymssql block the calling
thread while they connect, run a statement, fetch rows or commit. A slow query inside `async def`
stalls every request the process serves. Use an async driver (`aiosqlite`, `asyncpg`, psycopg 3's
`AsyncConnection`, `aiomysql`) or run the whole transaction in a worker thread with
`await asyncio.to_thread(...)`. Connections and cursors are recognised when the same function (or
module) creates them or annotates them. The drivers' own extras (psycopg's `transaction()`,
mysqlclient's `query()`, ...) come from the library catalogue (`analysis/libraries/*.toml`)."""
    peers = """\
Neither flake8-async nor ruff has this rule."""
    calls = frozenset(_CONNECT.split())
    methods = {
        catalogue.DB_CONNECTION: frozenset(_QUERY_METHODS.split()),
        catalogue.DB_CURSOR: frozenset(_QUERY_METHODS.split()),
    }
    instead = "use an async driver (aiosqlite, asyncpg, psycopg's AsyncConnection) or `await asyncio.to_thread(...)`"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.catalogued = BlockingIndex(builtin_catalogue(), self.code)
        self.calls = type(self).calls | self.catalogued.calls  # type: ignore[misc]
        self.methods = merged_methods(type(self).methods, self.catalogued.methods)  # type: ignore[misc]

    def accepts(self, site: CallSite) -> bool:
        own = type(self)
        if matches_own_tables(site.qualname, site.receiver_type, site.method, own.calls, own.methods):
            return True
        return (
            self.catalogued.entry_for_call(site.node, site.scope, site.qualname, site.receiver_type, site.method)
            is not None
        )

    VALID = (
        "import aiosqlite\nasync def main():\n    async with aiosqlite.connect('db') as db:\n        await db.execute('select 1')\n",
        "import sqlite3\ndef load():\n    with sqlite3.connect('db') as db:\n        return db.execute('select 1').fetchall()\n",
        "async def main(db):\n    await db.execute('select 1')\n",
        "async def main(cursor):\n    cursor.execute('select 1')\n",
    )
    INVALID = (
        Invalid("import sqlite3\nasync def main():\n    db = sqlite3.connect('app.db')\n"),
        Invalid(
            "import sqlite3\nasync def main():\n    db = sqlite3.connect('app.db')  # noqa: AP105\n"
            "    cursor = db.cursor()\n    cursor.execute('select 1')\n"
        ),
        Invalid("import sqlite3\nasync def main(db: sqlite3.Connection):\n    db.commit()\n"),
        Invalid("import psycopg2\nconn = psycopg2.connect('dbname=app')\nasync def main():\n    conn.execute('select 1')\n"),
    )
