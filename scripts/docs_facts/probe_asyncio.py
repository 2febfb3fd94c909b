"""Describe the asyncio of the Python running this script, as JSON on stdout.

Run by regenerate.py under every CPython pyenv holds (3.6 and newer), so it must stay valid
Python 3.6: no walrus, no `from __future__ import annotations`, no positional-only syntax.
For each public name of asyncio (module level, asyncio.subprocess, and the public members of
its classes) plus the names given on stdin (one per line): its kind, its parameters as
`inspect.signature` gives them, and the DeprecationWarnings it is written to raise.
"""

import asyncio
import asyncio.subprocess
import inspect
import io
import json
import re
import sys
import textwrap
import tokenize
import warnings

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# The abstract loop's methods are stubs; the concrete loop says which are coroutines and what
# the real parameters are.
_IMPLEMENTED_BY = {"AbstractEventLoop": "SelectorEventLoop"}
_MISSING = object()


def public_names():
    names = set()
    for module_name, module in (("asyncio", asyncio), ("asyncio.subprocess", asyncio.subprocess)):
        exported = getattr(module, "__all__", ())
        for name in set(exported) | set(vars(module)):
            if name.startswith("_"):
                continue
            value = getattr(module, name, _MISSING)
            if value is _MISSING or inspect.ismodule(value):
                continue
            if module is asyncio.subprocess and name not in exported:
                continue
            names.add(module_name + "." + name)
            if inspect.isclass(value):
                for member in dir(value):
                    if not member.startswith("_") and not hasattr(object, member):
                        names.add(module_name + "." + name + "." + member)
    return names


def resolve(name):
    parts = name.split(".")
    target = asyncio
    for part in parts[1:]:
        target = getattr(target, part, _MISSING)
        if target is _MISSING:
            return _MISSING
    return target


def raw_attribute(name):
    """The class attribute itself (a property, a function), not what the class returns for it."""
    owner_name, _, attribute = name.rpartition(".")
    implementation = _IMPLEMENTED_BY.get(owner_name.rpartition(".")[2])
    owner = resolve("asyncio." + implementation if implementation else owner_name)
    if inspect.isclass(owner):
        for klass in inspect.getmro(owner):
            if attribute in vars(klass):
                return vars(klass)[attribute]
    return resolve(name)


def kind_of(name, value, raw):
    if isinstance(raw, property) or type(raw).__name__ == "getset_descriptor":
        return "property"
    if inspect.isclass(value):
        return "exception" if issubclass(value, BaseException) else "class"
    if inspect.iscoroutinefunction(value):
        return "coroutine function"
    if callable(value):
        owner = resolve(name.rpartition(".")[0])
        return "method" if inspect.isclass(owner) else "function"
    return "attribute"


def parameters_of(name, value):
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return None
    parameters = []
    for parameter in signature.parameters.values():
        default = None
        if parameter.default is not inspect.Parameter.empty:
            default = _ADDRESS.sub("", repr(parameter.default))
        parameters.append([parameter.name, parameter.kind.name, default])
    owner = resolve(name.rpartition(".")[0])
    if inspect.isclass(owner) and not inspect.isclass(value) and parameters and parameters[0][0] == "self":
        parameters = parameters[1:]
    return parameters


def source_of(value):
    """The source of a callable, or of what runs when a class is instantiated or subclassed."""
    if not inspect.isclass(value):
        return _source(value)
    # The C accelerators (_asyncio.Task/Future) keep a pure-Python twin for reading.
    module = sys.modules.get(value.__module__.lstrip("_")) or asyncio
    twin = getattr(module, "_Py" + value.__name__, None)
    constructor = _source(getattr(twin, "__init__", None)) or _source(value.__init__)
    subclassing = _source(vars(value)["__init_subclass__"]) if "__init_subclass__" in vars(value) else ""
    return constructor + "\n" + subclassing


def _source(candidate):
    if candidate is None:
        return ""
    try:
        return textwrap.dedent(inspect.getsource(candidate))
    except (OSError, TypeError):
        return ""


def deprecation_messages(source):
    """The string text of every warnings.warn(..., DeprecationWarning) / warnings._deprecated call."""
    messages = []
    for match in re.finditer(r"warnings\.(warn|_deprecated)\(", source):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(source)):
            if source[end] == "(":
                depth += 1
            elif source[end] == ")":
                depth -= 1
                if depth == 0:
                    break
        call = source[match.start():end + 1]
        if match.group(1) == "warn" and "DeprecationWarning" not in call:
            continue
        pieces = []
        try:
            for token in tokenize.generate_tokens(io.StringIO(call).readline):
                if token.type == tokenize.STRING:
                    literal = token.string.lstrip("rbuRBUfF")
                    pieces.append(literal[3:-3] if literal[:3] in ('"""', "'''") else literal[1:-1])
        except (tokenize.TokenError, IndentationError):
            pass
        messages.append(" ".join("".join(pieces).split()))
    return messages


def access_warnings(name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolve(name)
    return [str(warning.message) for warning in caught if issubclass(warning.category, DeprecationWarning)]


# Calls that are safe to make in the probe and warn when the API itself is deprecated, although
# the function's own code does not (the warning comes from what it calls).
_SAFE_CALLS = {
    "asyncio.get_child_watcher": (),
    "asyncio.set_child_watcher": (None,),
    "asyncio.ThreadedChildWatcher": (),
    "asyncio.PidfdChildWatcher": (),
    "asyncio.SafeChildWatcher": (),
    "asyncio.FastChildWatcher": (),
    "asyncio.MultiLoopChildWatcher": (),
    "asyncio.get_event_loop_policy": (),
    "asyncio.DefaultEventLoopPolicy": (),
    "asyncio.iscoroutinefunction": (len,),
}


def call_warnings(name, value):
    arguments = _SAFE_CALLS.get(name)
    if arguments is None:
        return []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value(*arguments)
        except Exception:  # not available on this platform or Python: no warning to record
            pass
    return [str(warning.message) for warning in caught if issubclass(warning.category, DeprecationWarning)]


def describe(name):
    value = resolve(name)
    owner_name, _, attribute = name.rpartition(".")
    owner_short = owner_name.rpartition(".")[2]
    implementation = _IMPLEMENTED_BY.get(owner_short)
    if implementation is not None:
        # Users call these on a concrete loop, which had some of them before the abstract class.
        concrete = getattr(getattr(asyncio, implementation, None), attribute, _MISSING)
        if concrete is not _MISSING:
            value = concrete
    if value is _MISSING:
        return None
    raw = raw_attribute(name)
    kind = kind_of(name, value, raw)
    record = {"kind": kind}
    if kind in ("class", "exception", "function", "method", "coroutine function"):
        record["parameters"] = parameters_of(name, value)
    if kind in ("class", "exception"):
        record["bases"] = [base.__name__ for base in value.__bases__ if base is not object]
    elif kind == "attribute" and isinstance(value, (int, str, float)):
        record["value"] = repr(value)
    messages = access_warnings(name)
    if kind != "attribute" and kind != "property":
        messages += deprecation_messages(source_of(value))
    messages += call_warnings(name, value)
    if messages:
        record["deprecation_warnings"] = sorted(set(messages))
    return record


def behaviour():
    """Facts no signature shows, observed by running the call."""
    facts = {}

    def warns(call):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                call()
            except Exception as error:  # the outcome itself is the fact
                return "raises " + type(error).__name__
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        return "DeprecationWarning" if deprecations else "silent"

    # get_event_loop() outside a coroutine, when the policy would have to create the loop.
    asyncio.set_event_loop_policy(None)
    facts["get_event_loop creating a loop"] = warns(asyncio.get_event_loop)
    asyncio.get_event_loop().close()
    asyncio.set_event_loop_policy(None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    facts["get_event_loop with a loop set"] = warns(asyncio.get_event_loop)
    asyncio.set_event_loop(None)
    loop.close()
    return facts


def main():
    names = public_names() | {line.strip() for line in sys.stdin if line.strip()}
    records = {}
    for name in sorted(names):
        record = describe(name)
        if record is not None:
            records[name] = record
    json.dump(
        {"python": "%d.%d" % sys.version_info[:2], "names": records, "behaviour": behaviour()},
        sys.stdout, indent=None, sort_keys=True,
    )


if __name__ == "__main__":
    main()
