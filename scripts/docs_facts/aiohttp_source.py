"""Describe one aiohttp release from its wheel's source, without importing or installing it.

Old releases do not build or import on current Pythons, so the facts come from the syntax tree:
the names `aiohttp` and `aiohttp.web` export (`__all__`), where each is defined (following the
package's own re-exports), each class's public members (including those it inherits from other
aiohttp classes), every callable's parameters with their defaults as written, the
DeprecationWarnings a body raises, and which `self.` methods a method calls. Code under
`if TYPE_CHECKING` is skipped: it is what type checkers see, not what runs.
"""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

_PACKAGES = {"aiohttp": "aiohttp/__init__.py", "aiohttp.web": "aiohttp/web.py"}


def describe_release(wheel: Path, documented: set[str]) -> dict[str, dict]:
    """Every exported name, and the members of the classes `documented` names."""
    with zipfile.ZipFile(wheel) as archive:
        sources = {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("aiohttp/") and name.endswith(".py")
        }
    release = _Release({path: ast.parse(text) for path, text in sources.items()})
    records: dict[str, dict] = {}
    for package, path in _PACKAGES.items():
        for name in release.exported(path):
            found = release.definition(path, name)
            if found is None:
                continue
            module, node = found
            records[f"{package}.{name}"] = release.record(node)
            if isinstance(node, ast.ClassDef) and f"{package}.{name}" in documented:
                for member, member_node in release.members(module, node).items():
                    records[f"{package}.{name}.{member}"] = release.record(member_node)
    return records


class _Release:
    def __init__(self, trees: dict[str, ast.Module]) -> None:
        self.trees = trees

    def exported(self, path: str) -> list[str]:
        names: list[str] = []
        found = False
        if path not in self.trees:
            return names
        for node in self.trees[path].body:
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                targets = [node.target]
            else:
                continue
            if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
                found = True
                names.extend(self._names_in(path, node.value))
        return names if found else []

    def _names_in(self, path: str, expression: ast.expr) -> list[str]:
        """The names an `__all__` expression lists: literals, and other modules' `__all__` added."""
        if isinstance(expression, (ast.Tuple, ast.List)):
            return [item.value for item in expression.elts if isinstance(item, ast.Constant)]
        if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.Add):
            return self._names_in(path, expression.left) + self._names_in(path, expression.right)
        if isinstance(expression, ast.Attribute) and expression.attr == "__all__":
            module = ast.unparse(expression.value)
            for node in self.trees[path].body:  # `from . import connector as connector_mod`
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
                    module = next((a.name for a in node.names if (a.asname or a.name) == module), module)
            return self.exported(self._module_path(path, module))
        return []

    def _module_path(self, importer: str, module: str) -> str:
        folder = importer.rpartition("/")[0]
        candidate = f"{folder}/{module.replace('.', '/')}.py"
        return candidate if candidate in self.trees else f"{folder}/{module.replace('.', '/')}/__init__.py"

    def definition(self, path: str, name: str, depth: int = 0) -> tuple[str, ast.AST] | None:
        if depth > 8 or path not in self.trees:
            return None
        for node in _runtime_statements(self.trees[path].body):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                return path, node
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == name for target in node.targets
            ):
                return path, node
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                return path, node
        for node in _runtime_statements(self.trees[path].body):
            if isinstance(node, ast.ImportFrom) and node.level >= 1 and node.module:
                source = self._module_path(path, node.module)
                for alias in node.names:
                    if alias.name == "*" and name in self.exported(source):
                        return self.definition(source, name, depth + 1)
                    if (alias.asname or alias.name) == name and alias.name != "*":
                        return self.definition(source, alias.name, depth + 1)
        return None

    def members(self, path: str, node: ast.ClassDef) -> dict[str, ast.AST]:
        found: dict[str, ast.AST] = {}
        for base in node.bases:
            base_name = base.id if isinstance(base, ast.Name) else None
            definition = self.definition(path, base_name) if base_name else None
            if definition is not None and isinstance(definition[1], ast.ClassDef):
                found.update(self.members(definition[0], definition[1]))
        for statement in _runtime_statements(node.body):
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _is_overload(statement) or statement.name.startswith("_"):
                    continue
                if any(_decorator_name(d).endswith(".setter") for d in statement.decorator_list):
                    continue
                found[statement.name] = statement
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if not statement.target.id.startswith("_"):
                    found[statement.target.id] = statement
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name) and not target.id.startswith("_"):
                        found[target.id] = statement
        return found

    def record(self, node: ast.AST) -> dict:
        if isinstance(node, ast.ClassDef):
            init = next(
                (
                    statement
                    for statement in _runtime_statements(node.body)
                    if isinstance(statement, ast.FunctionDef) and statement.name == "__init__"
                    and not _is_overload(statement)
                ),
                None,
            )
            is_exception = any(
                (base.id if isinstance(base, ast.Name) else "").endswith(("Error", "Exception", "Warning"))
                for base in node.bases
            ) or node.name.endswith("Error")
            record: dict = {"kind": "exception" if is_exception else "class"}
            bases = [ast.unparse(base) for base in node.bases if ast.unparse(base) != "object"]
            if bases:
                record["bases"] = bases
            if init is not None:
                record["parameters"] = _parameters(init.args)[1:]
            elif _fields_class(node):
                record["parameters"] = _fields(node)
            messages = _deprecations(init) if init is not None else []
            if messages:
                record["deprecation_warnings"] = messages
            return record
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = {_decorator_name(d) for d in node.decorator_list}
            if decorators & {"property", "reify", "functools.cached_property", "cached_property"}:
                return {"kind": "property"}
            kind = "coroutine function" if isinstance(node, ast.AsyncFunctionDef) else "function"
            parameters = _parameters(node.args)
            if parameters and parameters[0][0] in ("self", "cls"):
                parameters = parameters[1:]
                kind = "coroutine method" if kind == "coroutine function" else "method"
            record = {"kind": kind, "parameters": parameters}
            calls = sorted(
                {
                    call.func.attr
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == "self"
                }
            )
            if calls:
                record["calls_self"] = calls
            messages = _deprecations(node)
            if messages:
                record["deprecation_warnings"] = messages
            return record
        return {"kind": "attribute"}


def _runtime_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run, with `if TYPE_CHECKING` bodies swapped for their else branch."""
    statements: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            statements.extend(_runtime_statements(node.orelse))
        elif isinstance(node, ast.If) and "sys.version_info" in ast.unparse(node.test):
            # Runs on some Pythons: both branches define names users can reach.
            statements.extend(_runtime_statements(node.orelse))
            statements.extend(_runtime_statements(node.body))
        elif isinstance(node, ast.Try):
            statements.extend(_runtime_statements(node.body))
        else:
            statements.append(node)
    return statements


def _is_overload(node: ast.AST) -> bool:
    return any(_decorator_name(d) in ("overload", "typing.overload") for d in getattr(node, "decorator_list", ()))


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target)


def _parameters(arguments: ast.arguments) -> list[list]:
    parameters: list[list] = []
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    for index, (argument, default) in enumerate(zip(positional, defaults)):
        kind = "POSITIONAL_ONLY" if index < len(arguments.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        parameters.append([argument.arg, kind, _written(default)])
    if arguments.vararg:
        parameters.append([arguments.vararg.arg, "VAR_POSITIONAL", None])
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        parameters.append([argument.arg, "KEYWORD_ONLY", _written(default)])
    if arguments.kwarg:
        parameters.append([arguments.kwarg.arg, "VAR_KEYWORD", None])
    return parameters


def _written(default: ast.expr | None) -> str | None:
    return None if default is None else " ".join(ast.unparse(default).split())


def _fields_class(node: ast.ClassDef) -> bool:
    return any(re.search(r"(attr\.s|attr\.define|frozen|dataclass)", ast.unparse(d)) for d in node.decorator_list)


def _fields(node: ast.ClassDef) -> list[list]:
    """The __init__ parameters attrs or dataclasses make from the class's fields."""
    fields = []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if "ClassVar" in ast.unparse(statement.annotation):
                continue
            fields.append([statement.target.id, "POSITIONAL_OR_KEYWORD", _field_default(statement.value)])
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            if ast.unparse(statement.value.func) in ("attr.ib", "attr.attrib", "attrib"):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        fields.append([target.id, "POSITIONAL_OR_KEYWORD", _field_default(statement.value)])
    return fields


def _field_default(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.Call) and ast.unparse(value.func) in ("attr.ib", "attr.attrib", "attrib", "field"):
        for keyword in value.keywords:
            if keyword.arg == "default":
                return _written(keyword.value)
        return None
    return _written(value)


def _deprecations(node: ast.AST) -> list[str]:
    messages = []
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and ast.unparse(call.func) in ("warnings.warn", "warn")):
            continue
        if "DeprecationWarning" not in ast.unparse(call):
            continue
        text = "".join(
            piece.value
            for piece in ast.walk(call.args[0]) if call.args
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str)
        )
        messages.append(" ".join(text.split()))
    return sorted(set(messages))
