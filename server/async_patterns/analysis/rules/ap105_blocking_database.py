"""AP105: synchronous database drivers (`sqlite3`, `psycopg2`, `pymysql`, `mysql.connector`)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid

_CONNECT = "sqlite3.connect psycopg2.connect pymysql.connect mysql.connector.connect MySQLdb.connect"
_QUERY_METHODS = "execute executemany executescript fetchone fetchmany fetchall callproc commit rollback"


class BlockingDatabase(BlockingCallRule):
    code = "AP105"
    name = "blocking-database"
    message = "{call} talks to the database synchronously and blocks the event loop until it answers; {instead}"
    explanation = """\
DB-API drivers such as `sqlite3`, `psycopg2`, `pymysql` and `mysql.connector` block the calling
thread while they connect, run a statement, fetch rows or commit. A slow query inside `async def`
stalls every request the process serves. Use an async driver (`aiosqlite`, `asyncpg`, psycopg 3's
`AsyncConnection`, `aiomysql`) or run the whole transaction in a worker thread with
`await asyncio.to_thread(...)`. Connections and cursors are recognised when the same function (or
module) creates them or annotates them."""
    calls = frozenset(_CONNECT.split())
    methods = {
        catalogue.DB_CONNECTION: frozenset(_QUERY_METHODS.split()),
        catalogue.DB_CURSOR: frozenset(_QUERY_METHODS.split()),
    }
    instead = "use an async driver (aiosqlite, asyncpg, psycopg's AsyncConnection) or `await asyncio.to_thread(...)`"

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
