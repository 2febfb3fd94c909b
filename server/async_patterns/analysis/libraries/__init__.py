"""The catalogue of blocking third-party APIs: data, not code.

Each library has one reviewed TOML file in this folder (`openai.toml`, `sqlalchemy.toml`, ...) that
says which calls make which receiver types (constructors, factory functions, annotations, methods
and attributes that return another type), which calls and methods block and how (network,
database, disk, a subprocess), what to use instead, and how the entries were checked against the
library's source. Users add their own SDKs with files in the same format (the
`library-catalogues` setting).

Parsing TOML on every start-up would cost tens of milliseconds, so the reviewed files are bundled
into `catalogue.json` (`python -m async_patterns.analysis.libraries` rewrites it; a test fails
while it is stale) and the server reads only that (the TOML files only while it is missing). Nothing here imports the rest of the analysis:
the resolver's tables (`analysis.catalogue`) take their types from this module, not the reverse.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Protocol

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

FOLDER = Path(__file__).resolve().parent
BUNDLE = FOLDER / "catalogue.json"

# What the message says a blocking call does, by the kind of I/O it waits for.
IO_PHRASES = {
    "network": "waits for the network",
    "database": "waits for the database",
    "disk": "reads or writes files",
    "subprocess": "runs a subprocess and waits for it",
}
# Rules that take entries from the catalogue: AP110 for library calls, AP105 for DB-API drivers
# (psycopg 3, mysqlclient, pymssql: the code that already means them), ASYNC232 for functions whose
# I/O goes through a synchronous file object the code passes them (`json.dump(data, f)`).
CODES = ("AP110", "AP105", "ASYNC232")
DEFAULT_CODE = "AP110"

_WILDCARD = frozenset("*?[")
_DOTTED = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*")
_PATTERN = re.compile(r"[\w*?\[\]!-]+")


# How a condition on an argument's type reads in a hover.
_TYPE_WORDS = {"file": "a synchronous file object", "pathlib.Path": "a `Path`"}


class TypedScope(Protocol):
    def type_of(self, expr: ast.expr) -> str | None: ...


@dataclass(frozen=True)
class Condition:
    """A condition on one argument of a call: which argument (by position and/or keyword) and what
    it must be: a constant (`equals`), a value of one of the resolver's `types` ("file",
    "pathlib.Path"), or a string literal or f-string written in the code (`strings`)."""

    position: int | None = None
    keyword: str | None = None
    types: tuple[str, ...] = ()
    strings: bool = False
    equals: bool | int | str | None = None
    prefix: str | None = None
    given: bool = False

    def argument(self, call: ast.Call) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg is not None and keyword.arg == self.keyword:
                return keyword.value
        position = self.position
        if position is None or len(call.args) <= position:
            return None
        if any(isinstance(argument, ast.Starred) for argument in call.args[: position + 1]):
            return None
        return call.args[position]

    def holds(self, call: ast.Call, scope: TypedScope) -> bool:
        value = self.argument(call)
        if value is None:
            return False
        if self.equals is not None:
            return (
                isinstance(value, ast.Constant)
                and type(value.value) is type(self.equals)
                and value.value == self.equals
            )
        if self.given:
            # Present and not written as a false constant (`SMTP("")`, `FTP(host=None)` connect to nothing).
            return not (isinstance(value, ast.Constant) and not value.value)
        if self.prefix is not None:
            written = value.values[0] if isinstance(value, ast.JoinedStr) and value.values else value
            return (
                isinstance(written, ast.Constant)
                and isinstance(written.value, str)
                and written.value.startswith(self.prefix)
            )
        if self.strings and (
            isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str))
        ):
            return True
        return bool(self.types) and scope.type_of(value) in self.types

    def describe(self) -> str:
        where = f"`{self.keyword}`" if self.keyword else f"argument {self.position}"
        if self.equals is not None:
            return f"{where} is `{self.equals!r}`"
        if self.prefix is not None:
            return f"{where} starts with `{self.prefix}`"
        if self.given:
            return f"{where} is given"
        kinds = [*(_TYPE_WORDS.get(kind, f"a `{kind}`") for kind in self.types), *(["a string"] if self.strings else [])]
        return f"{where} is " + " or ".join(kinds)


@dataclass(frozen=True)
class Made:
    """`call` (a qualified name, or a method of the type being described) makes the type, when
    `when` holds for the call's arguments (or always)."""

    call: str
    type: str
    when: Condition | None = None


@dataclass(frozen=True)
class TypeEntry:
    """A receiver type and the ways the code gets one.

    `name` is the type as the resolver and the messages know it; `runtime_class` the class whose
    members the recorded-names test checks methods and attributes against (defaults to `name`).
    The code gets one from `constructors` (calls, maybe with a condition on an argument),
    `annotations`, module-level `values`, another type's `returns` (methods) and `attributes`
    ("*": any attribute), `entered` (what `with value as x` binds; the type itself for "self"),
    `called` (calling a value of this type) and `item` (`value[key]`).
    """

    name: str
    runtime_class: str
    constructors: tuple[Made, ...] = ()
    annotations: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    returns: tuple[Made, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    entered: str | None = None
    called: str | None = None
    item: str | None = None


@dataclass(frozen=True)
class BlockingEntry:
    """Calls that block: functions by qualified name (`calls`), or methods of a receiver type
    (`methods`, fnmatch patterns, minus `except_methods`); `properties` are attribute reads that
    block. `when` limits the entry to calls whose argument satisfies it, `unless` excludes them."""

    library: str
    io: str
    calls: tuple[str, ...] = ()
    receiver: str | None = None
    methods: tuple[str, ...] = ()
    except_methods: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    when: Condition | None = None
    unless: Condition | None = None
    why: str | None = None
    alternative: str | None = None
    fix: bool = True
    code: str = DEFAULT_CODE

    @property
    def doing(self) -> str:
        return self.why or IO_PHRASES[self.io]

    def applies_to(self, call: ast.Call, scope: TypedScope) -> bool:
        """Whether the entry's argument conditions let it cover this call."""
        if self.when is not None and not self.when.holds(call, scope):
            return False
        return self.unless is None or not self.unless.holds(call, scope)


@dataclass(frozen=True)
class Library:
    name: str
    modules: tuple[str, ...]
    alternative: str
    about: str
    verified: str
    types: tuple[TypeEntry, ...] = ()
    blocking: tuple[BlockingEntry, ...] = ()
    source: str = ""
    # Standard-library modules are checked against the running Python, not installed from PyPI.
    standard_library: bool = False


    def qualified_names(self) -> set[str]:
        """Every importable name the entries use: constructors, annotations, module-level
        objects, blocking functions and the classes behind the types."""
        names: set[str] = set()
        for entry in self.types:
            names.add(entry.runtime_class)
            names.update(made.call for made in entry.constructors)
            names.update(entry.annotations)
            names.update(entry.values)
        for blocking in self.blocking:
            names.update(blocking.calls)
        return names

    def member_names(self) -> dict[str, set[str]]:
        """By runtime class, the methods and attributes the entries name (patterns left out)."""
        classes = {entry.name: entry.runtime_class for entry in self.types}
        members: dict[str, set[str]] = {}
        for entry in self.types:
            named = members.setdefault(entry.runtime_class, set())
            named.update(made.call for made in entry.returns)
            named.update(attribute for attribute, _ in entry.attributes if attribute != "*")
        for blocking in self.blocking:
            if blocking.receiver is not None:
                named = members.setdefault(classes.get(blocking.receiver, blocking.receiver), set())
                named.update(
                    name
                    for name in (*blocking.methods, *blocking.except_methods, *blocking.properties)
                    if not _WILDCARD & set(name)
                )
        return {runtime_class: named for runtime_class, named in members.items() if named}


@dataclass(frozen=True)
class Catalogue:
    libraries: tuple[Library, ...] = ()

    def types(self) -> Iterator[TypeEntry]:
        for library in self.libraries:
            yield from library.types

    def blocking(self) -> Iterator[BlockingEntry]:
        for library in self.libraries:
            yield from library.blocking

    def library(self, name: str) -> Library | None:
        return next((library for library in self.libraries if library.name == name), None)

    def __add__(self, other: Catalogue) -> Catalogue:
        return Catalogue(self.libraries + other.libraries)


class CatalogueError(ValueError):
    """A catalogue file that does not follow the format; the message names the file and the entry."""


# -- reading the format ------------------------------------------------------------------------------

_LIBRARY_KEYS = {"name", "modules", "alternative", "about", "verified", "standard-library"}
_TYPE_KEYS = {
    "name", "class", "constructors", "annotations", "values", "returns", "attributes", "context-manager", "called",
    "item",
}
_BLOCKING_KEYS = {
    "calls", "type", "methods", "except", "properties", "io", "when", "unless", "why", "alternative", "fix", "code",
    "valid", "invalid",  # examples, run by the tests (not bundled)
}
_CONDITION_KEYS = {"position", "keyword", "types", "strings", "equals", "prefix", "given"}


class _Reader:
    """Validates one file's parsed content, collecting every problem before failing."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def keys(self, table: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
        if not isinstance(table, Mapping):
            self.fail(where, f"expected a table, got {type(table).__name__}")
            return {}
        for key in table:
            if key not in allowed:
                self.fail(where, f"unknown key {key!r} (known: {', '.join(sorted(allowed))})")
        return table

    def text(self, table: Mapping[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(where, f"{key!r} is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"{key!r} must be a non-empty string")
            return None
        return " ".join(value.split()) if key in ("about", "verified", "why") else value.strip()

    def names(self, table: Mapping[str, Any], key: str, where: str, pattern: re.Pattern[str] = _DOTTED) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(where, f"{key!r} must be a list of strings")
            return ()
        bad = [item for item in value if not pattern.fullmatch(item)]
        if bad:
            self.fail(where, f"{key!r} has entries that are not {'dotted names' if pattern is _DOTTED else 'name patterns'}: {bad}")
        return tuple(item for item in value if item not in bad)

    def condition(self, value: Any, where: str) -> Condition | None:
        if value is None:
            return None
        table = self.keys(value, _CONDITION_KEYS, where)
        position, keyword = table.get("position"), table.get("keyword")
        if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 0):
            self.fail(where, "'position' must be a whole number >= 0")
            position = None
        if keyword is not None and (not isinstance(keyword, str) or not keyword.isidentifier()):
            self.fail(where, "'keyword' must be a parameter name")
            keyword = None
        if position is None and keyword is None:
            self.fail(where, "a condition needs 'position' or 'keyword'")
        equals = table.get("equals")
        if equals is not None and not isinstance(equals, (bool, int, str)):
            self.fail(where, "'equals' must be a boolean, a number or a string")
            equals = None
        types = self.names(table, "types", where, re.compile(r"[\w.]+"))
        strings = table.get("strings", False)
        if not isinstance(strings, bool):
            self.fail(where, "'strings' must be true or false")
            strings = False
        prefix = table.get("prefix")
        if prefix is not None and (not isinstance(prefix, str) or not prefix):
            self.fail(where, "'prefix' must be a non-empty string")
            prefix = None
        given = table.get("given", False)
        if not isinstance(given, bool):
            self.fail(where, "'given' must be true or false")
            given = False
        if equals is None and prefix is None and not types and not strings and not given:
            self.fail(where, "a condition needs 'equals', 'prefix', 'types', 'strings' or 'given'")
        return Condition(position, keyword, types, strings, equals, prefix, given)

    def made(self, value: Any, where: str) -> tuple[Made, ...]:
        """Calls that make a type: names, or `{call = ..., when = {...}}` tables."""
        items = value if isinstance(value, list) else [value]
        made = []
        for item in items:
            if isinstance(item, str):
                if _DOTTED.fullmatch(item):
                    made.append(Made(item, ""))
                else:
                    self.fail(where, f"{item!r} is not a dotted name")
            elif isinstance(item, Mapping):
                table = self.keys(item, {"call", "when"}, where)
                call = self.text(table, "call", where)
                if call is not None:
                    made.append(Made(call, "", self.condition(table.get("when"), f"{where} {call}")))
            else:
                self.fail(where, f"expected a name or a {{call, when}} table, got {item!r}")
        return tuple(made)

    def member_types(self, value: Any, where: str) -> tuple[Made, ...]:
        """`{member = "type"}` or `{member = {type = ..., when = {...}}}`."""
        if value is None:
            return ()
        if not isinstance(value, Mapping):
            self.fail(where, "expected a table of member = type")
            return ()
        found = []
        for member, target in value.items():
            if not str(member).isidentifier() and member != "*":
                self.fail(where, f"{member!r} is not a member name")
            elif isinstance(target, str):
                found.append(Made(member, target))
            elif isinstance(target, Mapping):
                table = self.keys(target, {"type", "when"}, f"{where}.{member}")
                type_name = self.text(table, "type", f"{where}.{member}")
                if type_name is not None:
                    found.append(Made(member, type_name, self.condition(table.get("when"), f"{where}.{member}")))
            else:
                self.fail(where, f"{member}: expected a type name or a {{type, when}} table")
        return tuple(found)

    def type_entry(self, value: Any, where: str) -> TypeEntry | None:
        table = self.keys(value, _TYPE_KEYS, where)
        name = self.text(table, "name", where)
        if name is None:
            return None
        where = f"{where} {name}"
        entered = table.get("context-manager")
        if entered is not None and not isinstance(entered, str):
            self.fail(where, "'context-manager' must be \"self\" or a type name")
            entered = None
        attributes = self.member_types(table.get("attributes"), f"{where} attributes")
        if any(item.when for item in attributes):
            self.fail(where, "attributes cannot have conditions")
        return TypeEntry(
            name=name,
            runtime_class=self.text(table, "class", where, required=False) or name,
            constructors=tuple(Made(item.call, name, item.when) for item in self.made(table.get("constructors", []), f"{where} constructors")),
            annotations=self.names(table, "annotations", where),
            values=self.names(table, "values", where),
            returns=self.member_types(table.get("returns"), f"{where} returns"),
            attributes=tuple((item.call, item.type) for item in attributes),
            entered=name if entered == "self" else entered,
            called=self.text(table, "called", where, required=False),
            item=self.text(table, "item", where, required=False),
        )

    def blocking_entry(self, value: Any, where: str, library: str) -> BlockingEntry | None:
        table = self.keys(value, _BLOCKING_KEYS, where)
        calls = self.names(table, "calls", where)
        receiver = self.text(table, "type", where, required=False)
        methods = self.names(table, "methods", where, _PATTERN)
        properties = self.names(table, "properties", where, re.compile(r"\w+"))
        where = f"{where} {', '.join(calls) or receiver or '?'}"
        if bool(calls) == bool(receiver):
            self.fail(where, "give either 'calls' (functions) or 'type' with 'methods'/'properties'")
        if receiver and not (methods or properties):
            self.fail(where, "a 'type' entry needs 'methods' or 'properties'")
        if calls and (methods or properties or table.get("except")):
            self.fail(where, "'methods', 'properties' and 'except' belong to a 'type' entry")
        io = table.get("io")
        if io not in IO_PHRASES:
            self.fail(where, f"'io' must be one of {', '.join(IO_PHRASES)}")
        code = table.get("code", DEFAULT_CODE)
        if code not in CODES:
            self.fail(where, f"'code' must be one of {', '.join(CODES)}")
        fix = table.get("fix", True)
        if not isinstance(fix, bool):
            self.fail(where, "'fix' must be true or false")
        when = self.condition(table.get("when"), f"{where} when")
        unless = self.condition(table.get("unless"), f"{where} unless")
        if properties and (when is not None or unless is not None):
            self.fail(where, "reading a property has no arguments to put a condition on")
        if properties and (methods or fix is not False):
            self.fail(where, "a 'properties' entry has no quick fix: give it its own entry with fix = false")
        if io not in IO_PHRASES or code not in CODES or not isinstance(fix, bool):
            return None
        return BlockingEntry(
            library=library,
            io=io,
            calls=calls,
            receiver=receiver,
            methods=methods,
            except_methods=self.names(table, "except", where, _PATTERN),
            properties=properties,
            when=when,
            unless=unless,
            why=self.text(table, "why", where, required=False),
            alternative=self.text(table, "alternative", where, required=False),
            fix=fix,
            code=code,
        )

    def library(self, document: Any) -> Library:
        root = self.keys(document, {"library", "types", "blocking"}, self.origin)
        header = self.keys(root.get("library"), _LIBRARY_KEYS, f"{self.origin} [library]")
        name = self.text(header, "name", "[library]") or "?"
        standard_library = header.get("standard-library", False)
        if not isinstance(standard_library, bool):
            self.fail("[library]", "'standard-library' must be true or false")
            standard_library = False
        types = tuple(
            entry
            for number, value in enumerate(_list(root.get("types")), 1)
            if (entry := self.type_entry(value, f"[[types]] #{number}")) is not None
        )
        blocking = tuple(
            entry
            for number, value in enumerate(_list(root.get("blocking")), 1)
            if (entry := self.blocking_entry(value, f"[[blocking]] #{number}", name)) is not None
        )
        if not blocking:
            self.fail("[library]", "a library needs at least one [[blocking]] entry")
        library = Library(
            name=name,
            modules=self.names(header, "modules", "[library]"),
            alternative=self.text(header, "alternative", "[library]") or "",
            about=self.text(header, "about", "[library]") or "",
            verified=self.text(header, "verified", "[library]") or "",
            types=types,
            blocking=blocking,
            source=self.origin,
            standard_library=standard_library,
        )
        self.check_references(library)
        return library

    def check_references(self, library: Library) -> None:
        declared = {entry.name for entry in library.types}
        for entry in library.types:
            referenced = [made.type for made in entry.returns] + [target for _, target in entry.attributes]
            referenced += [name for name in (entry.entered, entry.called, entry.item) if name]
            for name in referenced:
                if name not in declared:
                    self.fail(f"[[types]] {entry.name}", f"refers to type {name!r}, which no [[types]] entry declares")
        for blocking in library.blocking:
            if blocking.receiver and blocking.receiver not in declared:
                self.fail(f"[[blocking]] {blocking.receiver}", "its type is not declared in [[types]]")


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_library(document: Any, origin: str) -> Library:
    """A library from a parsed TOML/JSON document; raises CatalogueError listing every problem."""
    reader = _Reader(origin)
    library = reader.library(document)
    if reader.problems:
        raise CatalogueError(f"{origin}: " + "; ".join(reader.problems))
    return library


def read_library_file(path: Path) -> Library:
    """A catalogue file in the TOML (or JSON) format of this folder's files."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CatalogueError(f"{path}: cannot read: {error}") from error
    return parse_library(document, path.name)


def reviewed_files() -> list[Path]:
    return sorted(FOLDER.glob("*.toml"))


def catalogue_from_reviewed_files() -> Catalogue:
    catalogue = Catalogue(tuple(read_library_file(path) for path in reviewed_files()))
    check_consistent(catalogue)
    return catalogue


def check_consistent(catalogue: Catalogue, known: Mapping[str, str] | None = None) -> None:
    """Two libraries may not give one call or annotation two different types."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for library in catalogue.libraries:
        for entry in library.types:
            unconditional = [made.call for made in entry.constructors if made.when is None]
            for name in [*unconditional, *entry.annotations, *entry.values]:
                previous = seen.get(name)
                if previous is not None and previous[0] != entry.name:
                    problems.append(f"{name} makes {previous[0]} in {previous[1]} and {entry.name} in {library.source}")
                seen.setdefault(name, (entry.name, library.source))
    if problems:
        raise CatalogueError("; ".join(problems))


# -- the bundle ------------------------------------------------------------------------------------


def bundle_text(catalogue: Catalogue) -> str:
    return json.dumps([asdict(library) for library in catalogue.libraries], indent=1, sort_keys=True) + "\n"


def _condition(value: Mapping[str, Any] | None) -> Condition | None:
    return None if value is None else Condition(**{**value, "types": tuple(value["types"])})


def _made(value: Mapping[str, Any]) -> Made:
    return Made(value["call"], value["type"], _condition(value["when"]))


def _library_from_bundle(value: Mapping[str, Any]) -> Library:
    types = tuple(
        TypeEntry(
            name=entry["name"],
            runtime_class=entry["runtime_class"],
            constructors=tuple(map(_made, entry["constructors"])),
            annotations=tuple(entry["annotations"]),
            values=tuple(entry["values"]),
            returns=tuple(map(_made, entry["returns"])),
            attributes=tuple((member, target) for member, target in entry["attributes"]),
            entered=entry["entered"],
            called=entry["called"],
            item=entry["item"],
        )
        for entry in value["types"]
    )
    blocking = tuple(
        BlockingEntry(
            **{
                **entry,
                "calls": tuple(entry["calls"]),
                "methods": tuple(entry["methods"]),
                "except_methods": tuple(entry["except_methods"]),
                "properties": tuple(entry["properties"]),
                "when": _condition(entry["when"]),
                "unless": _condition(entry["unless"]),
            }
        )
        for entry in value["blocking"]
    )
    return Library(**{**value, "modules": tuple(value["modules"]), "types": types, "blocking": blocking})


@cache
def builtin_catalogue() -> Catalogue:
    """The reviewed catalogue, from its bundle (from the TOML files themselves when it is unusable)."""
    try:
        with BUNDLE.open(encoding="utf-8") as bundle:
            return Catalogue(tuple(map(_library_from_bundle, json.load(bundle))))
    except (OSError, ValueError, KeyError, TypeError):
        # Missing, or written by an older version of this module: `main()` rewrites it.
        return catalogue_from_reviewed_files()


def main(arguments: Iterable[str] = ()) -> int:
    """Rewrite catalogue.json from the reviewed TOML files (or, with --check, say whether it is stale)."""
    try:
        text = bundle_text(catalogue_from_reviewed_files())
    except CatalogueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if "--check" in arguments:
        stale = not BUNDLE.is_file() or BUNDLE.read_text(encoding="utf-8") != text
        print(f"{BUNDLE.name} is {'stale' if stale else 'up to date'}")
        return int(stale)
    BUNDLE.write_text(text, encoding="utf-8")
    print(f"wrote {BUNDLE} ({len(reviewed_files())} libraries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
