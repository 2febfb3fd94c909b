"""Incremental analysis: one object per open document, fed each new text, answering as `analyze` does.

Parsing a 5,000-line module takes 15-70 ms, longer than ruff's server needs to answer an edit, and an
edit usually touches one function. So the document is kept as its top-level statements ("units",
statements that share a line are one unit) with their findings, each counted from the unit's first
line so that a unit that merely moved keeps them as they are. A new text is compared line by line
with the last one that parsed; only the lines between the last unit before the first changed line
and the first unit after the last changed line are parsed again, on their own, and only their units
are checked again. Inside a large top-level class, the unit re-checked is the edited method.

Why a slice parses to the same statements as the whole text: a unit begins at column 0 after a
complete statement, where the tokenizer is in the same state as at the start of a file. That holds
unless the unit before ends with a backslash (that unit is then parsed again too) or the slice
starts with a clause of the statement before it (`else:`, `except ...:`), which cannot parse alone.

The whole text is analysed instead when:
- a module-level fact may have changed: an import or any other statement that is not a `def` or
  `class` was edited, a `def`/`class` was added, removed or renamed, or its decorators changed.
  ModuleFacts is the one thing every unit sees of the rest of the module;
- the slice does not parse and the error might depend on the text around it (an unclosed bracket or
  string, an error at the slice's end or at its first line): the whole text is parsed to tell
  exactly. An error inside a slice that stands on its own is the whole text's error.

A method of a large class is checked again on its own when what the rest of the class sees of it is
unchanged: its kind, name, decorators, parameters and the assignments to attributes in its body
(the rules look up other methods' `self.x = ...` and which of them are coroutine functions). The
class's syntax tree is kept for that while the document is edited (`release_syntax_trees` drops it;
the server keeps them only for the documents edited last).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

from async_patterns.analysis import TOO_DEEP, parse
from async_patterns.analysis.async_code import cancelled_expressions
from async_patterns.analysis.context import ModuleFacts
from async_patterns.analysis.engine import RuleSet, check_class_member, check_unit, rule_set_for
from async_patterns.analysis.findings import AnalysisResult, Finding, ParseProblem
from async_patterns.analysis.generator_consumers import consumption_key, private_async_generators
from async_patterns.analysis.names import _statements, functions_rebinding_globals
from async_patterns.analysis.noqa import is_suppressed
from async_patterns.analysis.outside_async import top_level_async_problem
from async_patterns.analysis.positions import LineIndex, split_lines
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.settings import Settings

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Below this size a class is cheap enough to parse and check again as a whole.
_LARGE_CLASS_LINES = 150
# A slice starting with one of these belongs to the statement before it.
_CLAUSE = re.compile(r"(else|elif|except|finally)\b")
# Parse errors whose cause may lie after the slice: the text that follows could close it.
_OPEN_ENDED_ERRORS = ("never closed", "unterminated triple-quoted", "EOF")


@dataclass(frozen=True, slots=True)
class _Unit:
    """Lines [start, end) of the document (0-based) and what was found there."""

    start: int
    end: int
    facts_key: tuple
    findings: tuple[Finding, ...]  # line 1 is the unit's first line
    is_large_class: bool

    def moved(self, lines: int) -> _Unit:
        return replace(self, start=self.start + lines, end=self.end + lines) if lines else self


@dataclass(slots=True)
class _Method:
    """A method of a large class from line `start` (the class's first line is 0) up to `limit`, the
    next statement of the class or its end: the lines after the method's own are blank or comments."""

    start: int
    limit: int
    indent: str
    class_facts_key: tuple
    position: int  # in the class body


@dataclass(slots=True)
class _OpenClass:
    """A large class's syntax tree, kept while the document is edited.

    Its line numbers are those of the text it was parsed from, where the class began at
    `line_offset` (0-based); methods after an edited one keep their old line numbers, which no
    check reads (only the edited method is walked).
    """

    node: ast.ClassDef
    line_offset: int
    methods: list[_Method]


class IncrementalAnalysis:
    """The analysis of one document across its versions (`kernel` as for `analyze`)."""

    def __init__(self, kernel: bool = False) -> None:
        self._kernel = kernel
        self._fingerprint: str | None = None
        self._settings = Settings()
        self._rules: RuleSet = rule_set_for(self._settings)
        self._lines: list[str] = []  # the last text that parsed
        self._units: list[_Unit] = []
        self._module: ModuleFacts | None = None
        self._open_classes: dict[int, _OpenClass] = {}  # by the class unit's start line
        self.standing_findings: list[Finding] = []
        self.index = LineIndex([""])  # of the text last given, parsed or not
        self._project: ProjectView | None = None
        self._project_generation = -1

    def update(self, source: str, settings: Settings, project: ProjectView | None = None) -> AnalysisResult:
        """The same result as `analyze(source, settings, kernel=..., project=...)`, except that
        without a `project` no project functions are known (not even this module's own: the caller
        that wants them keeps this module's text in a project index).

        After a text that does not parse, `standing_findings` are the findings of the units whose
        lines are unchanged since the last text that parsed, moved to where they are now.
        """
        lines = split_lines(source)
        self.index = LineIndex(lines)
        fingerprint = settings.fingerprint()
        generation = project.index.generation if project is not None else -1
        if fingerprint != self._fingerprint or project is not self._project or generation != self._project_generation:
            # What units found may rest on the project's facts: a change there re-checks them all.
            self._fingerprint, self._settings, self._rules = fingerprint, settings, rule_set_for(settings)
            self._project, self._project_generation = project, generation
            self._module, self._units, self._open_classes = None, [], {}
        try:
            if self._module is None:
                return self._analyse_all(source, lines)
            edit = _Edit.between(self._lines, lines)
            if edit is None:
                self._lines = lines
                return AnalysisResult(self._findings())
            result = self._update_method(lines, edit)
            return result if result is not None else self._update_units(source, lines, edit)
        except RecursionError:  # as `analyze` says when a walk cannot follow the nesting
            self.release_syntax_trees()
            return self._failed(TOO_DEEP, lines)
        except Exception:
            # A failing rule may have left a class tree half updated: analyse the next text afresh.
            self._module, self._units, self._open_classes = None, [], {}
            raise

    def release_syntax_trees(self) -> None:
        """Forget the kept class trees (memory); the next edit in such a class re-parses it once."""
        self._open_classes.clear()

    # -- whole text ------------------------------------------------------------------------------

    def _analyse_all(self, source: str, lines: list[str], tree: ast.Module | ParseProblem | None = None) -> AnalysisResult:
        tree = parse(source) if tree is None else tree
        if isinstance(tree, ParseProblem):
            return self._failed(tree, lines)
        index = LineIndex(lines)
        problem = None if self._kernel else top_level_async_problem(tree.body, index)
        if problem is not None:
            return self._failed(problem, lines)
        module = ModuleFacts.of(tree, source, top_level_on_loop=self._kernel, project=self._project)
        groups = _units_of(tree.body)
        units = [self._check(statements, module, index, 0) for statements in groups]
        self._open_classes = {
            unit.start: _open_class(statements[0], unit.start, self._lines_of(lines, unit), module)
            for unit, statements in zip(units, groups)
            if unit.is_large_class
        }
        # Units are checked later against these facts alone, never against the whole tree.
        module.scope.node = ast.Module(body=[], type_ignores=[])
        self._module, self._units, self._lines = module, units, lines
        return AnalysisResult(self._findings())

    def _failed(self, problem: ParseProblem, lines: list[str], edit: _Edit | None = None) -> AnalysisResult:
        if edit is None:
            edit = _Edit.between(self._lines, lines) or _Edit(len(lines), len(lines), 0)
        standing = []
        for unit in self._units:
            if unit.end <= edit.first:
                standing.extend(_placed(unit))
            elif unit.start >= edit.end:
                standing.extend(_placed(unit.moved(edit.delta)))
        self.standing_findings = standing
        return AnalysisResult([], problem)

    # -- a slice of top-level units --------------------------------------------------------------

    def _update_units(self, source: str, lines: list[str], edit: _Edit) -> AnalysisResult:
        units = self._units
        before = [unit for unit in units if unit.end <= edit.first]
        in_gap = len(before) == len(units) or units[len(before)].start > edit.first
        # Lines typed after a unit may continue it (more of a function's body).
        if before and (in_gap or self._lines[before[-1].end - 1].endswith("\\")):
            before.pop()
        after = [unit.moved(edit.delta) for unit in units if unit.start >= edit.end]
        replaced = units[len(before) : len(units) - len(after)]
        start = before[-1].end if before else 0
        end = after[0].start if after else len(lines)
        tree = parse("\n".join(lines[start:end]))
        if isinstance(tree, ParseProblem):
            problem = _problem_within(lines, start, end, followed=bool(after))
            return self._analyse_all(source, lines) if problem is None else self._failed(problem, lines, edit)
        index = LineIndex(lines[start:end])
        # The units around the slice were free of it, so the slice holds the text's first one.
        problem = None if self._kernel else top_level_async_problem(tree.body, index)
        if problem is not None:
            return self._failed(replace(problem, line=start + (problem.line or 1)), lines, edit)
        groups = _units_of(tree.body)
        assert self._module is not None
        keys = [_module_facts_key(statements, self._module, index) for statements in groups]
        if keys != [unit.facts_key for unit in replaced]:
            return self._analyse_all(source, lines)
        checked = [self._check(statements, self._module, index, start) for statements in groups]
        old_classes = self._open_classes
        self._open_classes = {
            **{unit.start: old_classes[unit.start] for unit in before if unit.start in old_classes},
            **{
                unit.start + edit.delta: old_classes[unit.start]
                for unit in units[len(units) - len(after) :]
                if unit.start in old_classes
            },
        }
        self._units, self._lines = [*before, *checked, *after], lines
        return AnalysisResult(self._findings())

    def _check(self, statements: list[ast.stmt], module: ModuleFacts, index: LineIndex, offset: int) -> _Unit:
        """A unit from statements whose line numbers count from document line `offset` (0-based)."""
        first = _first_line(statements[0])
        findings = [
            finding.shifted(1 - first)
            for statement in statements
            for finding in check_unit(statement, module, self._rules, self._settings, index)
            if not is_suppressed(finding, index)
        ]
        findings.sort(key=_position)
        end = statements[-1].end_lineno or first
        is_large_class = (
            len(statements) == 1 and isinstance(statements[0], ast.ClassDef) and end - first >= _LARGE_CLASS_LINES
        )
        facts_key = _module_facts_key(statements, module, index)
        return _Unit(offset + first - 1, offset + end, facts_key, tuple(findings), is_large_class)

    # -- one method of a large class -------------------------------------------------------------

    def _update_method(self, lines: list[str], edit: _Edit) -> AnalysisResult | None:
        """The result when the edit lies inside one method of a large class and leaves what the
        rest of the class sees of it unchanged; None when the units around it must be re-parsed."""
        found = next((position for position, unit in enumerate(self._units) if unit.end > edit.first), None)
        if found is None:
            return None
        unit = self._units[found]
        if not unit.is_large_class or unit.start > edit.first or edit.end > unit.end:
            return None
        open_class = self._open_classes.get(unit.start)
        if open_class is None:
            tree = parse("\n".join(self._lines_of(self._lines, unit)))
            if isinstance(tree, ParseProblem) or len(tree.body) != 1 or not isinstance(tree.body[0], ast.ClassDef):
                return None
            assert self._module is not None
            open_class = self._open_classes[unit.start] = _open_class(
                tree.body[0], 0, self._lines_of(self._lines, unit), self._module
            )
        first, end = edit.first - unit.start, edit.end - unit.start
        method = next((method for method in open_class.methods if method.start <= first and end <= method.limit), None)
        if method is None:
            return None
        new_lines = lines[unit.start + method.start : unit.start + method.limit + edit.delta]
        if not new_lines or _indent_of(new_lines[0]) != method.indent or new_lines[-1].endswith("\\"):
            return None
        node_first_line = open_class.line_offset + method.start + 1
        padding = "\n" * (node_first_line - 2) + "class _:\n"
        tree = parse(padding + "\n".join(new_lines) + "\n")
        if isinstance(tree, ParseProblem):
            return self._failed_in_method(lines, edit, found, method, new_lines)
        if len(tree.body) != 1:
            return None
        wrapper = tree.body[0]
        if not isinstance(wrapper, ast.ClassDef) or len(wrapper.body) != 1:
            return None
        node = wrapper.body[0]
        if not isinstance(node, _FUNCTIONS) or _first_line(node) != node_first_line:
            return None
        assert self._module is not None
        if _class_facts_key(node, self._module) != method.class_facts_key:
            return None
        open_class.node.body[method.position] = node
        class_lines = lines[unit.start : unit.end + edit.delta]
        module = self._module
        if self._rules.worth_walking("\n".join(class_lines), lambda: self._rules.module_words(module)):
            index = LineIndex([""] * open_class.line_offset + class_lines)
            checked = check_class_member(open_class.node, node, self._module, self._rules, self._settings, index)
            method_findings = sorted(
                (finding.shifted(-open_class.line_offset) for finding in checked if not is_suppressed(finding, index)),
                key=_position,
            )
        else:
            method_findings = []
        findings = [
            *(finding for finding in unit.findings if finding.line <= method.start),
            *method_findings,
            *(finding.shifted(edit.delta) for finding in unit.findings if finding.line > method.limit),
        ]
        for later in open_class.methods:
            if later.start > method.start:
                later.start += edit.delta
                later.limit += edit.delta
        method.limit += edit.delta
        self._units[found] = replace(unit, end=unit.end + edit.delta, findings=tuple(findings))
        for position in range(found + 1, len(self._units)):
            self._units[position] = self._units[position].moved(edit.delta)
        if edit.delta:
            self._open_classes = {
                start + edit.delta if start > unit.start else start: kept for start, kept in self._open_classes.items()
            }
        self._lines = lines
        return AnalysisResult(self._findings())

    def _failed_in_method(
        self, lines: list[str], edit: _Edit, found: int, method: _Method, new_lines: list[str]
    ) -> AnalysisResult | None:
        """The whole text's parse problem when the edited method alone shows it (as `_problem_within`
        does for top-level units); None when the class must be parsed to tell."""
        if _CLAUSE.match(new_lines[0].lstrip()):
            return None
        unit = self._units[found]
        # `pass` stands in for the statement after the method, at its indentation, if there is one.
        if method.limit < unit.end - unit.start:
            follower = method.indent + "pass\n"
        elif found + 1 < len(self._units):
            follower = "pass\n"
        else:  # the end of the file: the lines after the class decide where the parser stops
            return None
        # Padded to the method's line in the document (the kept tree may count lines differently).
        padding = "\n" * (unit.start + method.start - 1) + "class _:\n"
        problem = parse(padding + "\n".join(new_lines) + "\n" + follower)
        if not isinstance(problem, ParseProblem) or problem.line is None:
            return None
        if any(marker in problem.message for marker in _OPEN_ENDED_ERRORS):
            return None
        region_end = unit.start + method.limit + edit.delta
        if problem.line > region_end and not problem.message.startswith("syntax error: expected an indented block"):
            return None
        around = _Edit(unit.start + method.start, unit.start + method.limit, edit.delta)
        self._failed(problem, lines, around)
        kept_in_class = [
            *(finding for finding in unit.findings if finding.line <= method.start),
            *(finding.shifted(edit.delta) for finding in unit.findings if finding.line > method.limit),
        ]
        self.standing_findings.extend(finding.shifted(unit.start) for finding in kept_in_class)
        self.standing_findings.sort(key=_position)
        return AnalysisResult([], problem)

    # -- helpers ---------------------------------------------------------------------------------

    def _findings(self) -> list[Finding]:
        return [finding for unit in self._units for finding in _placed(unit)]

    @staticmethod
    def _lines_of(lines: list[str], unit: _Unit) -> list[str]:
        return lines[unit.start : unit.end]


@dataclass(frozen=True, slots=True)
class _Edit:
    """Lines [first, end) of the last text that parsed were replaced by `delta` more lines."""

    first: int
    end: int
    delta: int

    @classmethod
    def between(cls, old: list[str], new: list[str]) -> _Edit | None:
        """The one edit that turns `old` into `new` (None when they are equal), found by their
        common first and last lines: one pass of string comparisons, no diff algorithm."""
        shortest = min(len(old), len(new))
        prefix = next((line for line in range(shortest) if old[line] != new[line]), shortest)
        if prefix == len(old) == len(new):
            return None
        suffix = next(
            (count for count in range(shortest - prefix) if old[-1 - count] != new[-1 - count]), shortest - prefix
        )
        return cls(prefix, len(old) - suffix, len(new) - len(old))


def _problem_within(lines: list[str], start: int, end: int, followed: bool) -> ParseProblem | None:
    """Why the whole text does not parse, when lines [start, end) alone show it; None when the
    cause may lie around them (the whole text must be parsed to tell)."""
    first_code = next((line for line in lines[start:end] if line.strip() and not line.lstrip().startswith("#")), None)
    if first_code is None or first_code[0].isspace() or _CLAUSE.match(first_code):
        return None
    # `pass` stands in for the statement after the slice, so that an error found at the slice's end
    # is reported where the whole text's parser reports it: at the next statement.
    problem = parse("\n" * start + "\n".join(lines[start:end]) + ("\npass\n" if followed else ""))
    if not isinstance(problem, ParseProblem) or problem.line is None:
        return None
    if any(marker in problem.message for marker in _OPEN_ENDED_ERRORS):
        return None
    if problem.line > end and not problem.message.startswith("syntax error: expected an indented block"):
        return None
    return problem


def _placed(unit: _Unit) -> list[Finding]:
    return [finding.shifted(unit.start) for finding in unit.findings]


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.code


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None)
    return min(statement.lineno, *(decorator.lineno for decorator in decorators)) if decorators else statement.lineno


def _units_of(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Top-level statements grouped so that no two groups share a line."""
    groups: list[list[ast.stmt]] = []
    last_line = 0
    for statement in body:
        if groups and _first_line(statement) <= last_line:
            groups[-1].append(statement)
        else:
            groups.append([statement])
        last_line = max(last_line, statement.end_lineno or statement.lineno)
    return groups


def _module_facts_key(statements: list[ast.stmt], module: ModuleFacts, index: LineIndex) -> tuple:
    """What ModuleFacts may read from these statements: for definitions, their kind, name and
    decorators (a `def` or `class` binds its name; decorators decide what an `async def` stays),
    the whole of any function in them that declares a name `global` (it rebinds the module's
    name), the private async generators they define and how they use the module's (whether every
    consumer closes them); any other statement may bind anything, so all of it."""
    if all(isinstance(statement, _DEFINITIONS) for statement in statements):
        return (
            *(
                (type(statement).__name__, statement.name, *map(ast.dump, statement.decorator_list))  # type: ignore[attr-defined]
                for statement in statements
            ),
            *map(ast.dump, functions_rebinding_globals(statements) if _mentions_global(statements, index) else ()),
            private_async_generators(statements),
            consumption_key(statements, module.private_async_generators),
        )
    return ("statements", *map(ast.dump, statements))


def _mentions_global(statements: list[ast.stmt], index: LineIndex) -> bool:
    """Whether the statements' text says `global` (only then can they rebind a module's name)."""
    first, last = _first_line(statements[0]), statements[-1].end_lineno or statements[-1].lineno
    return any("global" in index.line_text(line) for line in range(first, last + 1))


def _class_facts_key(method: ast.FunctionDef | ast.AsyncFunctionDef, module: ModuleFacts) -> tuple:
    """What checking the other methods of a class may read from this one (and the module's facts)."""
    attribute_assignments = tuple(
        ast.dump(statement)
        for statement in _statements(method.body)
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        and any(isinstance(target, ast.Attribute) for target in getattr(statement, "targets", [getattr(statement, "target", None)]))
    )
    return (
        type(method).__name__,
        method.name,
        *map(ast.dump, method.decorator_list),
        ast.dump(method.args),
        ast.dump(method.returns) if method.returns else None,
        attribute_assignments,
        # what it cancels (`self._task.cancel()`): another method awaiting that task may rely on it
        tuple(cancelled_expressions([method])),
        # and what the module's facts read from it: the names it rebinds through `global`, whether
        # it is a private async generator, and its uses of the module's private async generators
        tuple(map(ast.dump, functions_rebinding_globals([method]))),
        private_async_generators([method]),
        consumption_key([method], module.private_async_generators),
    )


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _open_class(node: ast.ClassDef, line_offset: int, class_lines: list[str], module: ModuleFacts) -> _OpenClass:
    """The methods of a class that own their lines (not on the `class` line itself)."""
    class_first_line = _first_line(node)
    starts = [_first_line(statement) - class_first_line for statement in node.body] + [len(class_lines)]
    methods = []
    for position, statement in enumerate(node.body):
        if not isinstance(statement, _FUNCTIONS) or starts[position] < 1:
            continue
        start, limit = starts[position], starts[position + 1]
        methods.append(_Method(start, limit, _indent_of(class_lines[start]), _class_facts_key(statement, module), position))
    return _OpenClass(node, line_offset, methods)
