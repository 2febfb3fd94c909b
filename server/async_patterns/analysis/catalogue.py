"""What the code can tell us about types: which calls make which objects, and what methods return.

Types are plain strings. A receiver gets a type only from what the code says (a constructor call,
an annotation, a `with ... as` target, a pytest fixture name); everything else stays unknown and
the rules stay quiet about it. The tables below are written here for the standard library and a
few HTTP clients, and filled from the library catalogue (`analysis/libraries/*.toml`) for the rest.
"""

from __future__ import annotations

from async_patterns.analysis.libraries import Catalogue, Made, builtin_catalogue

PATH = "pathlib.Path"
FILE = "file"
SOCKET = "socket.socket"
SSL_CONTEXT = "ssl.SSLContext"
DB_CONNECTION = "dbapi.Connection"
DB_CURSOR = "dbapi.Cursor"
HTTPX_CLIENT = "httpx.Client"
URLLIB3_POOL = "urllib3.PoolManager"
REQUESTS_SESSION = "requests.Session"
POPEN = "subprocess.Popen"
THREAD_LOCK = "threading.Lock"
THREAD_CONDITION = "threading.Condition"
THREAD_EVENT = "threading.Event"
THREAD_BARRIER = "threading.Barrier"
THREAD = "threading.Thread"
SYNC_QUEUE = "queue.Queue"
CONCURRENT_FUTURE = "concurrent.futures.Future"
EXECUTOR = "concurrent.futures.Executor"
PROCESS = "multiprocessing.Process"
PROCESS_POOL = "multiprocessing.Pool"
TMP_PATH_FACTORY = "pytest.TempPathFactory"
EVENT_LOOP = "asyncio.AbstractEventLoop"
ASYNC_QUEUE = "asyncio.Queue"
ASYNC_LOCK = "asyncio.Lock"
ASYNC_EVENT = "asyncio.Event"
ASYNC_CONDITION = "asyncio.Condition"
ASYNC_BARRIER = "asyncio.Barrier"
STREAM_READER = "asyncio.StreamReader"
STREAM_WRITER = "asyncio.StreamWriter"
ASYNC_PROCESS = "asyncio.subprocess.Process"
IN_MEMORY_BUFFER = "io.BytesIO"
ASYNC_TIMEOUT = "asyncio.Timeout"


def _each(names: str, result: str) -> dict[str, str]:
    return {name: result for name in names.split()}


# urllib3's pools and managers under every name they are importable by: every method does network I/O.
# (`RequestMethods` moved to `urllib3._request_methods` in urllib3 2.)
_URLLIB3_POOL_CLASSES = (
    "urllib3.PoolManager urllib3.ProxyManager urllib3.HTTPConnectionPool urllib3.HTTPSConnectionPool "
    "urllib3.connectionpool.ConnectionPool urllib3.connectionpool.HTTPConnectionPool "
    "urllib3.connectionpool.HTTPSConnectionPool urllib3.poolmanager.PoolManager urllib3.poolmanager.ProxyManager "
    "urllib3.request.RequestMethods urllib3._request_methods.RequestMethods"
)


# Calls (by qualified name) whose result has a known type.
CONSTRUCTOR_TYPES: dict[str, str] = {
    **_each(
        "pathlib.Path pathlib.PosixPath pathlib.WindowsPath pathlib.Path.home pathlib.Path.cwd",
        PATH,
    ),
    **_each(
        "builtins.open io.open io.open_code os.fdopen tempfile.TemporaryFile tempfile.NamedTemporaryFile "
        "io.FileIO gzip.open bz2.open lzma.open",
        FILE,
    ),
    **_each("socket.socket socket.create_connection socket.create_server socket.fromfd", SOCKET),
    **_each("ssl.create_default_context ssl.SSLContext", SSL_CONTEXT),
    **_each(
        "sqlite3.connect psycopg2.connect pymysql.connect mysql.connector.connect MySQLdb.connect "
        "pyodbc.connect cx_Oracle.connect oracledb.connect",
        DB_CONNECTION,
    ),
    **_each("httpx.Client httpx2.Client", HTTPX_CLIENT),
    **_each(_URLLIB3_POOL_CLASSES, URLLIB3_POOL),
    **_each("requests.Session requests.session requests.sessions.Session", REQUESTS_SESSION),
    "subprocess.Popen": POPEN,
    **_each(
        "threading.Lock threading.RLock threading.Semaphore threading.BoundedSemaphore "
        "multiprocessing.Lock multiprocessing.RLock multiprocessing.Semaphore",
        THREAD_LOCK,
    ),
    **_each("threading.Condition multiprocessing.Condition", THREAD_CONDITION),
    **_each("threading.Event multiprocessing.Event", THREAD_EVENT),
    **_each("threading.Barrier multiprocessing.Barrier", THREAD_BARRIER),
    **_each("threading.Thread threading.Timer", THREAD),
    **_each(
        "queue.Queue queue.LifoQueue queue.PriorityQueue queue.SimpleQueue multiprocessing.Queue "
        "multiprocessing.JoinableQueue multiprocessing.SimpleQueue",
        SYNC_QUEUE,
    ),
    "concurrent.futures.Future": CONCURRENT_FUTURE,
    **_each(
        "concurrent.futures.ThreadPoolExecutor concurrent.futures.ProcessPoolExecutor "
        "concurrent.futures.thread.ThreadPoolExecutor concurrent.futures.process.ProcessPoolExecutor",
        EXECUTOR,
    ),
    **_each("multiprocessing.Process multiprocessing.context.Process", PROCESS),
    **_each("multiprocessing.Pool multiprocessing.pool.Pool multiprocessing.pool.ThreadPool", PROCESS_POOL),
    **_each("asyncio.get_running_loop asyncio.get_event_loop asyncio.new_event_loop", EVENT_LOOP),
    **_each("asyncio.Queue asyncio.LifoQueue asyncio.PriorityQueue", ASYNC_QUEUE),
    **_each("asyncio.Lock asyncio.Semaphore asyncio.BoundedSemaphore", ASYNC_LOCK),
    "asyncio.Event": ASYNC_EVENT,
    "asyncio.Condition": ASYNC_CONDITION,
    "asyncio.Barrier": ASYNC_BARRIER,
    **_each("io.BytesIO io.StringIO", IN_MEMORY_BUFFER),
    **_each(
        "asyncio.timeout asyncio.timeout_at asyncio.Timeout asyncio.timeouts.timeout asyncio.timeouts.timeout_at "
        "asyncio.timeouts.Timeout",
        ASYNC_TIMEOUT,
    ),
}

# Calls that open their first argument: a file on disk for a path, the same object's data for an
# in-memory buffer (`gzip.open(io.BytesIO(data))` reads no disk).
OPENS_FIRST_ARGUMENT = frozenset({"gzip.open", "bz2.open", "lzma.open", "zipfile.ZipFile"})

# Annotations (by qualified name) that give a parameter or variable a type.
ANNOTATION_TYPES: dict[str, str] = {
    **_each("pathlib.Path pathlib.PosixPath pathlib.WindowsPath", PATH),
    **_each(
        "io.TextIOWrapper io.BufferedReader io.BufferedWriter io.BufferedRandom io.FileIO typing.TextIO "
        "typing.BinaryIO typing.IO",
        FILE,
    ),
    "socket.socket": SOCKET,
    "ssl.SSLContext": SSL_CONTEXT,
    **_each("sqlite3.Connection psycopg2.extensions.connection", DB_CONNECTION),
    **_each("sqlite3.Cursor psycopg2.extensions.cursor", DB_CURSOR),
    **_each("httpx.Client httpx2.Client", HTTPX_CLIENT),
    **_each(_URLLIB3_POOL_CLASSES, URLLIB3_POOL),
    "requests.Session": REQUESTS_SESSION,
    "subprocess.Popen": POPEN,
    **_each("threading.Lock threading.RLock threading.Semaphore threading.BoundedSemaphore", THREAD_LOCK),
    "threading.Condition": THREAD_CONDITION,
    "threading.Event": THREAD_EVENT,
    "threading.Barrier": THREAD_BARRIER,
    "threading.Thread": THREAD,
    **_each("queue.Queue queue.LifoQueue queue.PriorityQueue queue.SimpleQueue", SYNC_QUEUE),
    "concurrent.futures.Future": CONCURRENT_FUTURE,
    **_each(
        "concurrent.futures.Executor concurrent.futures.ThreadPoolExecutor concurrent.futures.ProcessPoolExecutor",
        EXECUTOR,
    ),
    "multiprocessing.Process": PROCESS,
    "multiprocessing.pool.Pool": PROCESS_POOL,
    "pytest.TempPathFactory": TMP_PATH_FACTORY,
    **_each("asyncio.AbstractEventLoop asyncio.BaseEventLoop asyncio.events.AbstractEventLoop", EVENT_LOOP),
    **_each("asyncio.Queue asyncio.LifoQueue asyncio.PriorityQueue", ASYNC_QUEUE),
    **_each("asyncio.Lock asyncio.Semaphore asyncio.BoundedSemaphore", ASYNC_LOCK),
    "asyncio.Event": ASYNC_EVENT,
    "asyncio.Condition": ASYNC_CONDITION,
    "asyncio.Barrier": ASYNC_BARRIER,
    **_each("asyncio.StreamReader asyncio.streams.StreamReader", STREAM_READER),
    **_each("asyncio.StreamWriter asyncio.streams.StreamWriter", STREAM_WRITER),
    "asyncio.subprocess.Process": ASYNC_PROCESS,
    **_each("io.BytesIO io.StringIO", IN_MEMORY_BUFFER),
    **_each("asyncio.Timeout asyncio.timeouts.Timeout", ASYNC_TIMEOUT),
}

# Coroutine functions (by qualified name) whose awaited result has a known type.
AWAITED_TYPES: dict[str, str] = _each("asyncio.create_subprocess_exec asyncio.create_subprocess_shell", ASYNC_PROCESS)

# Coroutine functions that return a tuple of values of known types: `reader, writer = await ...`.
AWAITED_TUPLE_TYPES: dict[str, tuple[str, ...]] = {
    name: (STREAM_READER, STREAM_WRITER) for name in ("asyncio.open_connection", "asyncio.open_unix_connection")
}

# asyncio's coroutine functions: calling one only creates a coroutine, which does nothing until awaited.
ASYNCIO_COROUTINE_FUNCTIONS = frozenset(
    f"asyncio.{name}"
    for name in (
        "sleep wait_for wait open_connection open_unix_connection start_server start_unix_server "
        "create_subprocess_exec create_subprocess_shell to_thread"
    ).split()
)

# Coroutine methods of asyncio's objects, by receiver type.
COROUTINE_METHODS: dict[str, frozenset[str]] = {
    ASYNC_QUEUE: frozenset({"get", "put", "join"}),
    ASYNC_LOCK: frozenset({"acquire"}),
    ASYNC_EVENT: frozenset({"wait"}),
    ASYNC_CONDITION: frozenset({"acquire", "wait", "wait_for"}),
    ASYNC_BARRIER: frozenset({"wait", "reset", "abort"}),
    STREAM_READER: frozenset({"read", "readline", "readexactly", "readuntil"}),
    STREAM_WRITER: frozenset({"drain", "wait_closed", "start_tls"}),
    ASYNC_PROCESS: frozenset({"wait", "communicate"}),
    EVENT_LOOP: frozenset(
        (
            "sock_recv sock_recv_into sock_recvfrom sock_sendall sock_sendto sock_connect sock_accept "
            "sock_sendfile getaddrinfo getnameinfo create_connection create_server create_unix_connection "
            "create_unix_server create_datagram_endpoint connect_read_pipe connect_write_pipe subprocess_exec "
            "subprocess_shell sendfile start_tls shutdown_asyncgens shutdown_default_executor"
        ).split()
    ),
}

# pytest fixtures whose parameter name alone says the type.
FIXTURE_TYPES: dict[str, str] = {"tmp_path": PATH, "tmp_path_factory": TMP_PATH_FACTORY}

_PATH_RETURNING = (
    "with_name with_stem with_suffix joinpath absolute expanduser resolve relative_to with_segments readlink"
)

# (receiver type, method) -> type of the call's result.
METHOD_RETURN_TYPES: dict[tuple[str, str], str] = {
    **{(PATH, method): PATH for method in _PATH_RETURNING.split()},
    (PATH, "open"): FILE,
    (DB_CONNECTION, "cursor"): DB_CURSOR,
    (DB_CONNECTION, "execute"): DB_CURSOR,
    (DB_CONNECTION, "executemany"): DB_CURSOR,
    (DB_CURSOR, "execute"): DB_CURSOR,
    (EXECUTOR, "submit"): CONCURRENT_FUTURE,
    (TMP_PATH_FACTORY, "mktemp"): PATH,
    (TMP_PATH_FACTORY, "getbasetemp"): PATH,
    (SOCKET, "makefile"): FILE,
}

# (receiver type, attribute) -> type of the attribute.
ATTRIBUTE_TYPES: dict[tuple[str, str], str] = {(PATH, "parent"): PATH}

# Objects that are their own context manager: `with X(...) as x` binds x to the same type.
CONTEXT_MANAGER_SELF = frozenset(
    {
        PATH,
        FILE,
        SOCKET,
        DB_CONNECTION,
        HTTPX_CLIENT,
        URLLIB3_POOL,
        REQUESTS_SESSION,
        POPEN,
        EXECUTOR,
        PROCESS_POOL,
        IN_MEMORY_BUFFER,
    }
)
# The same for asynchronous context managers: `async with asyncio.timeout(5) as cm` binds a Timeout.
ASYNC_CONTEXT_MANAGER_SELF = frozenset({ASYNC_TIMEOUT})

# Module aliases that name the same functions.
MODULE_ALIASES = {"posixpath": "os.path", "ntpath": "os.path"}

# Calls that return an iterator and touch the file system only when it is iterated (measured on
# CPython 3.10-3.13; see worker_threads.creates_lazy_listing).
LAZY_LISTING_CALLS = frozenset({"os.walk", "os.fwalk", "glob.iglob"})
LAZY_LISTING_PATH_METHODS = frozenset({"glob", "rglob", "walk"})


# -- types from the catalogue of blocking libraries (analysis/libraries/) ------------------------------

# Calls whose result type depends on an argument: `requests.get(url, stream=True)`.
CONDITIONAL_CONSTRUCTOR_TYPES: dict[str, tuple[Made, ...]] = {}
CONDITIONAL_METHOD_RETURN_TYPES: dict[tuple[str, str], tuple[Made, ...]] = {}
# Module-level objects of a known type: `openai.chat` (the module's default client's resource).
VALUE_TYPES: dict[str, str] = {}
# What calling a value of a type returns: a `sessionmaker()` made `Session()` factory.
CALL_RESULT_TYPES: dict[str, str] = {}
# What `with value as x` binds x to when that is another type than the value's own.
CONTEXT_MANAGER_ENTER_TYPES: dict[str, str] = {}
# What `value[key]` is: `client["db"]` of a pymongo client is a Database.
SUBSCRIPT_TYPES: dict[str, str] = {}


def add_library_types(catalogue: Catalogue) -> None:
    """Load a catalogue's types into the tables above. What the tables already know wins, so a
    user's catalogue can add names but never change what a known call makes."""
    for entry in catalogue.types():
        for made in entry.constructors:
            if made.when is None:
                CONSTRUCTOR_TYPES.setdefault(made.call, entry.name)
            elif made not in CONDITIONAL_CONSTRUCTOR_TYPES.get(made.call, ()):
                CONDITIONAL_CONSTRUCTOR_TYPES[made.call] = (*CONDITIONAL_CONSTRUCTOR_TYPES.get(made.call, ()), made)
        for annotation in entry.annotations:
            ANNOTATION_TYPES.setdefault(annotation, entry.name)
        for value in entry.values:
            VALUE_TYPES.setdefault(value, entry.name)
        for made in entry.returns:
            key = (entry.name, made.call)
            if made.when is None:
                METHOD_RETURN_TYPES.setdefault(key, made.type)
            elif made not in CONDITIONAL_METHOD_RETURN_TYPES.get(key, ()):
                CONDITIONAL_METHOD_RETURN_TYPES[key] = (*CONDITIONAL_METHOD_RETURN_TYPES.get(key, ()), made)
        for attribute, attribute_type in entry.attributes:
            ATTRIBUTE_TYPES.setdefault((entry.name, attribute), attribute_type)
        if entry.entered is not None and entry.name not in CONTEXT_MANAGER_SELF:
            CONTEXT_MANAGER_ENTER_TYPES.setdefault(entry.name, entry.entered)
        if entry.called is not None:
            CALL_RESULT_TYPES.setdefault(entry.name, entry.called)
        if entry.item is not None:
            SUBSCRIPT_TYPES.setdefault(entry.name, entry.item)


add_library_types(builtin_catalogue())
