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

The whole text is analysed instead when a module-level fact may have changed: an import or any
other statement that is not a `def` or `class` was edited, a `def`/`class` was added, removed or
renamed, or its decorators changed. ModuleFacts is the one thing every unit sees of the rest of the
module. Its syntax tree is then put together from the slice's and a parse of the lines around it.

An edit that leaves the rest of the text parseable parses only the slice; otherwise the text is
read once more at most. The slice is parsed once, at its place in the document (blank lines before
it) and followed by a stand-in for the statement after it (`pass`), which tells both its statements
and, when it does not parse, the whole text's error, unless the text after the slice may decide
that error (an unclosed bracket or string, an error at the slice's end). Then the text from the
slice's first line to the end is parsed: the lines before it are complete statements that parsed
before, so it fails exactly as the whole text does, and a parser stops a few lines after an
unclosed bracket, only tokenizing the rest. When it parses after all (a string opened in the slice
and closed in a comment after it), the lines before it are parsed to complete the whole text's tree.
A slice that cannot parse alone (its first line indented, or a clause) has the whole text parsed.
Between two texts, the lines around the last edit are compared one by one and the rest of the
document as two list slices, at the speed of comparing memory.

A method of a large class is checked again on its own when what the rest of the class sees of it is
unchanged: its kind, name, decorators, parameters and the assignments to attributes in its body
(the rules look up other methods' `self.x = ...` and which of them are coroutine functions). The
class's syntax tree is kept for that while the document is edited (`release_syntax_trees` drops it;
the server keeps them only for the documents edited last), with whether the class's lines around the
method last edited are worth walking: only the method's own lines are searched for words again.
When the method does not parse, it is parsed from its first line to the end of the text inside a
stand-in class as the slice is above; when that parses after all, the whole text is parsed again.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from contextlib import nullcontext
from dataclasses import dataclass, replace
from itertools import compress, count
from operator import ne

from async_patterns.analysis import TOO_DEEP, parse
from async_patterns.analysis.async_code import cancelled_expressions
from async_patterns.analysis.context import ModuleFacts
from async_patterns.analysis.engine import RuleSet, check_class_member, check_unit, class_scope_of, rule_set_for
from async_patterns.analysis.findings import AnalysisResult, Finding, ParseProblem
from async_patterns.analysis.generator_consumers import consumption_key, private_async_generators
from async_patterns.analysis.names import _COMPOUND_STATEMENTS, Scope, _statements, functions_rebinding_globals
from async_patterns.analysis.noqa import is_suppressed
from async_patterns.analysis.outside_async import top_level_async_problem
from async_patterns.analysis.positions import LineIndex, split_lines
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.settings import Settings
from async_patterns.analysis.word_lines import WordSearch, first_line, lines_may_name

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Module-level statements that bind no name of the module (an assignment expression binds none in
# the module's facts either).
_BINDING_NOTHING = (ast.Expr, ast.Pass, ast.Assert, ast.Raise)
_BINDS_NOTHING = "binds nothing"
_GIVES_NOTHING = (_BINDS_NOTHING, ())  # nor uses a private async generator
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_CANCEL_WORD = WordSearch.of(["cancel"])
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
    """A statement of a large class's body, a method or a block holding some (`if TYPE_CHECKING:`),
    from line `start` (the class's first line is 0) up to `limit`, the next statement of the class
    or its end: the lines after the statement's own are blank or comments."""

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
    check reads (only the edited method is walked). Its `methods` are worked out when one is first
    edited: what each shows the rest of the class costs about as much to find as parsing the class.
    `around` is the method whose surrounding lines of the class `worth_walking_around` answers for.
    """

    node: ast.ClassDef
    line_offset: int
    methods: list[_Method] | None = None
    around: _Method | None = None
    worth_walking_around: bool = False
    # The names the class binds, for the module's facts it was worked out in (an edit that leaves
    # a method's class facts key alone changes none of them).
    scope: Scope | None = None


class IncrementalAnalysis:
    """The analysis of one document across its versions (`kernel` as for `analyze`)."""

    def __init__(self, kernel: bool = False) -> None:
        self._kernel = kernel
        self._fingerprint: str | None = None
        self._settings = Settings()
        self._rules: RuleSet = rule_set_for(self._settings)
        self._lines: list[str] = []  # the last text that parsed
        self._last_change: tuple[int, int] | None = None  # lines of `_lines` the last edit touched
        self._units: list[_Unit] = []
        self._module: ModuleFacts | None = None
        self._open_classes: dict[int, _OpenClass] = {}  # by the class unit's start line
        # The top-level statements of `_lines` while the document is being edited, those that begin
        # on its first `_body_placed` lines at their places (an edit moved the others): a keystroke
        # that changes the module's facts parses its own lines and those the body cannot give.
        self._body: list[ast.stmt] | None = None
        self._body_placed = 0
        self.standing_findings: list[Finding] = []
        self.index = LineIndex([""])  # of the text last given, parsed or not
        self._project: ProjectView | None = None
        self._project_generation = -1

    def update(
        self, source: str, settings: Settings, project: ProjectView | None = None, lines: list[str] | None = None
    ) -> AnalysisResult:
        """The same result as `analyze(source, settings, kernel=..., project=...)`, except that
        without a `project` no project functions are known (not even this module's own: the caller
        that wants them keeps this module's text in a project index).

        After a text that does not parse, `standing_findings` are the findings of the units whose
        lines are unchanged since the last text that parsed, moved to where they are now.

        `lines`, when the caller has them, are `split_lines(source)` (a list never changed after).
        """
        if lines is None:
            lines = split_lines(source)
        self.index = LineIndex(lines)
        fingerprint = settings.fingerprint()
        settings_changed = fingerprint != self._fingerprint
        # Stale when a module its answers read changed (or modules came or went) since the last run.
        stale = project is not None and project.index.changed_since(self._project_generation, project.consulted)
        if settings_changed or project is not self._project or stale:
            # What units found may rest on the project's facts: a change there re-checks them all.
            # Until the text parses again, what they found stands (the project changes while the
            # user types), unless the settings that found it changed.
            self._fingerprint, self._settings, self._rules = fingerprint, settings, rule_set_for(settings)
            self._project = project
            self._module, self._open_classes = None, {}
            if settings_changed:
                self._units = []
        self._project_generation = project.index.generation if project is not None else -1
        try:
            if self._module is None:
                return self._analyse_all(source, lines)
            edit = _Edit.between(self._lines, lines, self._last_change)
            if edit is None:
                self._lines = lines
                return AnalysisResult(self._findings())
            result = self._update_method(source, lines, edit)
            if result is None:
                result = self._update_units(source, lines, edit)
            # Typing goes on where it was: the next comparison looks there first.
            self._last_change = (edit.first, edit.end + edit.delta if self._lines is lines else edit.end)
            return result
        except RecursionError:  # as `analyze` says when a walk cannot follow the nesting
            self.release_syntax_trees()
            return self._failed(TOO_DEEP, lines)
        except Exception:
            # A failing rule may have left a class tree half updated: analyse the next text afresh.
            self._module, self._units, self._open_classes, self._body = None, [], {}, None
            raise

    def release_syntax_trees(self) -> None:
        """Forget the kept class trees and top-level statements (memory); the next edit in such a
        class re-parses it once, the next change of the module's facts the whole text."""
        self._open_classes.clear()
        self._body = None

    # -- whole text ------------------------------------------------------------------------------

    def _analyse_all(
        self,
        source: str,
        lines: list[str],
        edit: _Edit | None = None,
        tree: ast.Module | None = None,
        kept: dict[int, _Unit] | None = None,
    ) -> AnalysisResult:
        """The whole text analysed, from its syntax `tree` when one was put together already. Units
        of the last analysis that the edit left alone (`kept`, by where they start now) are not
        checked again when the module's facts changed only for names they do not mention."""
        parsed = parse(source) if tree is None else tree
        if isinstance(parsed, ParseProblem):
            return self._failed(parsed, lines, edit)
        problem = None if self._kernel else top_level_async_problem(parsed.body, self.index)
        if problem is not None:
            return self._failed(problem, lines, edit)
        project = self._project
        # The index's first look at this module (its declarations, its functions' summaries) is
        # often asked for by this analysis: it takes this tree rather than parsing the text again.
        with project.index.tree_at_hand(project.module, source, parsed) if project is not None else nullcontext():
            module = ModuleFacts.of(parsed, source, top_level_on_loop=self._kernel, project=project)
            groups = _units_of(parsed.body)
            changed = _changed_names(self._module, module, self._rules.imports_read) if kept and self._module else None
            words = WordSearch.of(changed) if changed else None
            units = []
            for statements in groups:
                old = kept.get(first_line(statements[0]) - 1) if changed is not None and kept else None
                if old is not None and (words is None or not lines_may_name(self.index, old.start + 1, old.end, words)):
                    units.append(old)
                else:
                    units.append(self._check(statements, module))
        self._open_classes = {
            unit.start: _OpenClass(statements[0], unit.start)
            for unit, statements in zip(units, groups)
            if unit.is_large_class
        }
        # Units are checked later against these facts alone, never against the whole tree.
        module.scope.node = ast.Module(body=[], type_ignores=[])
        self._module, self._units, self._lines = module, units, lines
        self._body = parsed.body if edit is not None else None
        self._body_placed = len(lines)
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
        if after and lines[end - 1].endswith("\\"):  # the slice goes on into the unit after it
            return self._analyse_all(source, lines, edit)
        # `pass` stands in for the statement after the slice, so that an error found at the slice's
        # end is reported where the whole text's parser reports it: at the next statement.
        tree = parse("\n" * start + "\n".join(lines[start:end]) + ("\npass\n" if after else ""))
        if isinstance(tree, ParseProblem):
            # Without a line, the message may say where in the text parsed (a lone surrogate's index).
            if tree.line is None or not _begins_statement(lines, start, end):
                return self._analyse_all(source, lines, edit)
            if not after or _shown_within(tree, end):
                return self._failed(tree, lines, edit)
            # The text after the slice may decide the error: parsed from the slice on, the text fails
            # as the whole does, for the units before the slice parsed as they are.
            rest = parse("\n" * start + "\n".join(lines[start:]))
            if isinstance(rest, ParseProblem):
                return self._failed(rest, lines, edit)
            # What the edit opened is closed after the slice: the whole text may parse.
            whole = self._whole_tree_with(lines, start, len(lines), rest.body, edit)
            return self._analyse_all(source, lines, edit, whole)
        statements = tree.body[:-1] if after else tree.body
        # The units around the slice were free of it, so the slice holds the text's first one.
        problem = None if self._kernel else top_level_async_problem(statements, self.index)
        if problem is not None:
            return self._failed(problem, lines, edit)
        groups = _units_of(statements)
        assert self._module is not None
        keys = [_module_facts_key(group, self._module, self.index) for group in groups]
        # A statement that gives the module's facts nothing may come or go (a word typed on a
        # line of its own) without changing them.
        if _giving_facts(keys) != _giving_facts([unit.facts_key for unit in replaced]):
            kept = {unit.start: unit for unit in [*before, *after]}
            whole = self._whole_tree_with(lines, start, end, statements, edit)
            return self._analyse_all(source, lines, edit, whole, kept)
        checked = [self._check(group, self._module, key) for group, key in zip(groups, keys)]
        old_classes = self._open_classes
        self._open_classes = {
            **{unit.start: old_classes[unit.start] for unit in before if unit.start in old_classes},
            **{
                unit.start: _OpenClass(group[0], unit.start)
                for unit, group in zip(checked, groups)
                if unit.is_large_class
            },
            **{
                unit.start + edit.delta: old_classes[unit.start]
                for unit in units[len(units) - len(after) :]
                if unit.start in old_classes
            },
        }
        self._units, self._lines = [*before, *checked, *after], lines
        self._keep_body(start, end, statements, edit)
        return AnalysisResult(self._findings())

    def _whole_tree_with(
        self, lines: list[str], start: int, end: int, statements: list[ast.stmt], edit: _Edit
    ) -> ast.Module | None:
        """The whole text's syntax tree from the statements of lines [start, end), parsed at their
        place: with the kept statements before them and, after them, the kept ones if the edit left
        them in place or else a parse of the lines after; without kept ones, `_whole_tree`'s."""
        before = self._kept_before(start)
        if before is None:
            return _whole_tree(lines, start, end, statements)
        if edit.delta == 0 and self._body_placed >= len(self._lines):
            after = self._kept_after(end)
        else:
            # The lines after the slice begin between units: they parse on their own as in the text.
            moved = parse("\n" * end + "\n".join(lines[end:]))
            if isinstance(moved, ParseProblem):
                return _whole_tree(lines, start, end, statements)
            after = moved.body
        return ast.Module(body=[*before, *statements, *after], type_ignores=[])

    def _keep_body(self, start: int, end: int, statements: list[ast.stmt], edit: _Edit) -> None:
        """The kept statements after an edit that replaced those of lines [start, end) by `statements`."""
        before = self._kept_before(start)
        if before is None:
            self._body = None
            return
        self._body = [*before, *statements, *self._kept_after(end - edit.delta)]
        # Those after the slice stand where they were only if the edit kept the number of lines.
        self._body_placed = max(self._body_placed, end) if edit.delta == 0 else end

    def _kept_before(self, line: int) -> list[ast.stmt] | None:
        """The kept statements that begin on the first `line` lines; None when some of those may have moved."""
        if self._body is None or line > self._body_placed:
            return None
        return self._body[: bisect_right(self._body, line, key=first_line)]

    def _kept_after(self, line: int) -> list[ast.stmt]:
        """The kept statements that begin after the first `line` lines of `_lines`."""
        assert self._body is not None
        return self._body[bisect_right(self._body, line, key=first_line) :]

    def _check(self, statements: list[ast.stmt], module: ModuleFacts, facts_key: tuple | None = None) -> _Unit:
        """A unit from statements numbered in the document's lines (and their facts key, if known)."""
        index = self.index
        first = first_line(statements[0])
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
        if facts_key is None:
            facts_key = _module_facts_key(statements, module, index)
        return _Unit(first - 1, end, facts_key, tuple(findings), is_large_class)

    # -- one method of a large class -------------------------------------------------------------

    def _update_method(self, source: str, lines: list[str], edit: _Edit) -> AnalysisResult | None:
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
            tree = parse("\n" * unit.start + "\n".join(self._lines_of(self._lines, unit)))
            if isinstance(tree, ParseProblem) or len(tree.body) != 1 or not isinstance(tree.body[0], ast.ClassDef):
                return None
            open_class = self._open_classes[unit.start] = _OpenClass(tree.body[0], unit.start)
        assert self._module is not None
        if open_class.methods is None:
            class_lines = self._lines_of(self._lines, unit)
            open_class.methods = _methods_of(open_class.node, class_lines, open_class.line_offset, self._module)
        methods = open_class.methods
        first, end = edit.first - unit.start, edit.end - unit.start
        method = next((method for method in methods if method.start <= first and end <= method.limit), None)
        if method is None:
            return None
        new_lines = lines[unit.start + method.start : unit.start + method.limit + edit.delta]
        # The stand-in class takes its body's indentation from the method's first code line.
        if not _begins_statement(new_lines, 0, len(new_lines), method.indent) or new_lines[-1].endswith("\\"):
            return None
        node_first_line = open_class.line_offset + method.start + 1
        padding = "\n" * (node_first_line - 2) + "class _:\n"
        tree = parse(padding + "\n".join(new_lines) + "\n")
        if isinstance(tree, ParseProblem):
            return self._failed_in_method(source, lines, edit, found, method, new_lines, tree)
        if len(tree.body) != 1:
            return None
        wrapper = tree.body[0]
        if not isinstance(wrapper, ast.ClassDef) or len(wrapper.body) != 1:
            return None
        node = wrapper.body[0]
        if first_line(node) != node_first_line:
            return None
        node_index = LineIndex([""] * (node_first_line - 1) + new_lines)
        if _member_facts_key(node, self._module, node_index) != method.class_facts_key:
            return None
        open_class.node.body[method.position] = node
        if self._class_worth_walking(open_class, unit, method, lines, edit, new_lines):
            # The tree counts lines as the text it was parsed from: the document's, until the class moved.
            index = self.index
            if open_class.line_offset != unit.start:
                index = LineIndex([""] * open_class.line_offset + lines[unit.start : unit.end + edit.delta])
            if open_class.scope is None or open_class.scope.parent is not self._module.scope:
                open_class.scope = class_scope_of(open_class.node, self._module.scope)
            checked = check_class_member(
                open_class.node, node, self._module, self._rules, self._settings, index, open_class.scope
            )
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
        for later in methods:
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
        # The kept class tree took the method; the kept top-level statements may hold another tree of the class.
        self._lines, self._body = lines, None
        return AnalysisResult(self._findings())

    def _class_worth_walking(
        self, open_class: _OpenClass, unit: _Unit, method: _Method, lines: list[str], edit: _Edit, new_lines: list[str]
    ) -> bool:
        """What `check_unit` asks of the whole class's text, from the method's new lines and the
        class's lines around it, searched once while the same method is edited (the words asked
        for never span lines)."""
        module = self._module
        assert module is not None

        def words() -> frozenset[str]:
            return self._rules.module_words(module)

        if self._rules.worth_walking("\n".join(new_lines), words):
            return True
        if open_class.around is not method:
            around = [
                *lines[unit.start : unit.start + method.start],
                *lines[unit.start + method.limit + edit.delta : unit.end + edit.delta],
            ]
            open_class.around = method
            open_class.worth_walking_around = self._rules.worth_walking("\n".join(around), words)
        return open_class.worth_walking_around

    def _failed_in_method(
        self,
        source: str,
        lines: list[str],
        edit: _Edit,
        found: int,
        method: _Method,
        new_lines: list[str],
        problem: ParseProblem,
    ) -> AnalysisResult | None:
        """The whole text's parse problem when the edited method does not parse (as `_update_units`
        finds it for top-level units); None when the error has no line (its message may say where in
        the text parsed: a lone surrogate's index)."""
        if problem.line is None:
            return None
        unit = self._units[found]
        first = unit.start + method.start  # the method's first line in the document (0-based)
        # Padded to the method's line in the document (the kept tree may count lines differently).
        padding = "\n" * (first - 1) + "class _:\n"
        # `pass` stands in for the statement after the method, at its indentation, if there is one.
        if method.limit < unit.end - unit.start:
            follower: str | None = method.indent + "pass\n"
        else:
            follower = "pass\n" if found + 1 < len(self._units) else None
        shown = None
        if follower is not None and not _is_open_ended(problem):
            alone = parse(padding + "\n".join(new_lines) + "\n" + follower)
            if isinstance(alone, ParseProblem) and _shown_within(alone, first + len(new_lines)):
                shown = alone
        if shown is None:
            # The text after the method may decide the error: parsed from the method on, it fails as
            # the whole does (exactly to its end: an error at the end of the text is placed there).
            rest = parse(padding + "\n".join(lines[first:]))
            if not isinstance(rest, ParseProblem):
                return self._analyse_all(source, lines, edit)  # what the edit opened is closed after it
            shown = rest
        self._failed(shown, lines, _Edit(first, unit.start + method.limit, edit.delta))
        kept_in_class = [
            *(finding for finding in unit.findings if finding.line <= method.start),
            *(finding.shifted(edit.delta) for finding in unit.findings if finding.line > method.limit),
        ]
        self.standing_findings.extend(finding.shifted(unit.start) for finding in kept_in_class)
        self.standing_findings.sort(key=_position)
        return AnalysisResult([], shown)

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
    def between(cls, old: list[str], new: list[str], near: tuple[int, int] | None = None) -> _Edit | None:
        """The one edit that turns `old` into `new` (None when they are equal), found by their
        common first and last lines: no diff algorithm. When the lines of `old` outside `near`
        (where the last edit was) read the same in `new`, as two list comparisons tell at the speed
        of comparing memory, only the lines inside it are compared one by one."""
        first, end = 0, len(old)  # the lines of `old` that may differ
        if near is not None and near[1] <= len(old) and near[0] + len(old) - near[1] <= len(new):
            if old[: near[0]] == new[: near[0]] and old[near[1] :] == new[len(new) - len(old) + near[1] :]:
                first, end = near
        old_part, new_part = old[first:end], new[first : len(new) - (len(old) - end)]
        shortest = min(len(old_part), len(new_part))
        prefix = next(compress(count(), map(ne, old_part, new_part)), shortest)
        if prefix == len(old_part) == len(new_part):
            return None
        suffix = next(compress(count(), map(ne, reversed(old_part), reversed(new_part))), shortest)
        return cls(first + prefix, end - min(suffix, shortest - prefix), len(new) - len(old))


def _is_open_ended(problem: ParseProblem) -> bool:
    """Whether the text after the lines parsed could close what the error says is open."""
    return any(marker in problem.message for marker in _OPEN_ENDED_ERRORS)


def _shown_within(problem: ParseProblem, end: int) -> bool:
    """Whether lines up to `end` (followed by a stand-in statement) show the whole text's error: one
    that what follows them can neither close nor move."""
    if problem.line is None or _is_open_ended(problem):
        return False
    return problem.line <= end or problem.message.startswith("syntax error: expected an indented block")


def _begins_statement(lines: list[str], start: int, end: int, indent: str = "") -> bool:
    """Whether the first code among lines [start, end) begins a statement of its own at `indent`:
    indented just so and not a clause of the statement before it (the tokenizer skips blank lines
    and comments)."""
    first_code = next(
        (lines[line] for line in range(start, end) if lines[line].strip() and not lines[line].lstrip().startswith("#")),
        None,
    )
    return first_code is not None and _indent_of(first_code) == indent and not _CLAUSE.match(first_code, len(indent))


def _whole_tree(lines: list[str], start: int, end: int, statements: list[ast.stmt]) -> ast.Module | None:
    """The whole text's syntax tree from the statements of lines [start, end), parsed at their place
    in the document, and a parse of the lines around them, which begin and end between units; None
    when those do not parse on their own."""
    around = parse("\n".join([*lines[:start], *[""] * (end - start), *lines[end:]]))
    if isinstance(around, ParseProblem):
        return None
    body = around.body
    split = next((position for position, statement in enumerate(body) if statement.lineno > start), len(body))
    return ast.Module(body=[*body[:split], *statements, *body[split:]], type_ignores=[])


def _placed(unit: _Unit) -> list[Finding]:
    return [finding.shifted(unit.start) for finding in unit.findings]


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.code


def _units_of(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Top-level statements grouped so that no two groups share a line."""
    groups: list[list[ast.stmt]] = []
    last_line = 0
    for statement in body:
        if groups and first_line(statement) <= last_line:
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
    consumer closes them); of statements that bind nothing (an expression, `assert`, `raise`:
    typing a word at the top level is one), only those uses; any other statement may bind
    anything, so all of it."""
    if all(isinstance(statement, _BINDING_NOTHING) for statement in statements):
        return (_BINDS_NOTHING, consumption_key(statements, module.private_async_generators, index))
    if all(isinstance(statement, _DEFINITIONS) for statement in statements):
        return (
            *(
                (type(statement).__name__, statement.name, *map(ast.dump, statement.decorator_list))  # type: ignore[attr-defined]
                for statement in statements
            ),
            *map(ast.dump, functions_rebinding_globals(statements, index)),
            private_async_generators(statements, index),
            consumption_key(statements, module.private_async_generators, index),
        )
    return ("statements", *map(ast.dump, statements))


def _changed_names(old: ModuleFacts, new: ModuleFacts, imports_read: frozenset[str]) -> set[str] | None:
    """The names whose facts differ between two versions of a module's facts, when nothing else
    that a unit may read does (the imports rules read, the private async generators); None when
    something else does. A unit that mentions none of the names finds what it found before."""
    if (old.imported_modules & imports_read, old.private_async_generators, old.closed_private_generators) != (
        new.imported_modules & imports_read,
        new.private_async_generators,
        new.closed_private_generators,
    ):
        return None
    before, after = old.scope, new.scope
    names = {name for name in before.bindings.keys() | after.bindings.keys() if before.bindings.get(name) != after.bindings.get(name)}
    # Where an annotation takes effect moves with the lines: a declared name whose places moved counts.
    names.update(
        name
        for name in before.declarations.keys() | after.declarations.keys()
        if before.declarations.get(name) != after.declarations.get(name)
    )
    return names | (old.async_function_names ^ new.async_function_names) | (old.coroutine_functions ^ new.coroutine_functions)


def _giving_facts(keys: list[tuple]) -> list[tuple]:
    return [key for key in keys if key != _GIVES_NOTHING]


def _class_facts_key(method: ast.FunctionDef | ast.AsyncFunctionDef, module: ModuleFacts, index: LineIndex) -> tuple:
    """What checking the other methods of a class may read from this one (and the module's facts);
    `index` holds the text the method's tree counts lines in."""
    last = method.end_lineno or method.lineno
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
        tuple(cancelled_expressions([method])) if lines_may_name(index, first_line(method), last, _CANCEL_WORD) else (),
        # and what the module's facts read from it: the names it rebinds through `global`, whether
        # it is a private async generator, and its uses of the module's private async generators
        tuple(map(ast.dump, functions_rebinding_globals([method], index))),
        private_async_generators([method], index),
        consumption_key([method], module.private_async_generators, index),
    )


def _member_facts_key(member: ast.stmt, module: ModuleFacts, index: LineIndex) -> tuple:
    """What checking the other statements of a class may read from this one: of a method, see
    `_class_facts_key`; of a block (`if TYPE_CHECKING:`, `try:`), its own parts and the same of each
    statement in it; of any other statement, all of it."""
    if isinstance(member, _FUNCTIONS):
        return _class_facts_key(member, module, index)
    if type(member) not in _COMPOUND_STATEMENTS:
        return ("statement", ast.dump(member))
    parts: list = [type(member).__name__]
    for name, value in ast.iter_fields(member):
        if name in ("body", "orelse", "finalbody"):
            parts.append(tuple(_member_facts_key(statement, module, index) for statement in value))
        elif name in ("handlers", "cases"):
            parts.append(tuple(_clause_facts_key(clause, module, index) for clause in value))
        elif isinstance(value, list):
            parts.append(tuple(ast.dump(item) if isinstance(item, ast.AST) else repr(item) for item in value))
        else:
            parts.append(ast.dump(value) if isinstance(value, ast.AST) else repr(value))
    return tuple(parts)


def _clause_facts_key(clause: ast.ExceptHandler | ast.match_case, module: ModuleFacts, index: LineIndex) -> tuple:
    """Of an `except` clause or a `case`: what it matches and binds, then its statements' keys."""
    heads = (getattr(clause, field, None) for field in ("type", "name", "pattern", "guard"))
    return (
        *(ast.dump(head) if isinstance(head, ast.AST) else head for head in heads),
        *(_member_facts_key(statement, module, index) for statement in clause.body),
    )


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _methods_of(node: ast.ClassDef, class_lines: list[str], line_offset: int, module: ModuleFacts) -> list[_Method]:
    """The statements of a class's body that own their lines (not on the `class` line itself), of a
    tree that counts lines from `line_offset`."""
    index = LineIndex([""] * line_offset + class_lines)
    class_first_line = first_line(node)
    starts = [first_line(statement) - class_first_line for statement in node.body] + [len(class_lines)]
    methods = []
    for position, statement in enumerate(node.body):
        if starts[position] < 1:
            continue
        start, limit = starts[position], starts[position + 1]
        methods.append(_Method(start, limit, _indent_of(class_lines[start]), _member_facts_key(statement, module, index), position))
    return methods
