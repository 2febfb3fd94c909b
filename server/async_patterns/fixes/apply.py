"""Computing fixes: a finding and its source in, text edits out, with libcst. Every edit is checked
to compile before it is returned."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from async_patterns.analysis import Settings, analyze
from async_patterns.analysis.findings import Finding
from async_patterns.fixes.header import Header, with_header
from async_patterns.fixes.recipes import FixSite, Recipe, Rewrite, recipes_for
from async_patterns.fixes.suppress import suppression_edit
from async_patterns.fixes.syntax import ParsedModule, walk
from async_patterns.fixes.text import TextEdit, edits_between

# Each pass fixes findings in different statements; a fix nested in another's statement waits for
# the next pass. Real code rarely nests blocking calls more than two deep.
_MAX_PASSES = 6


def compute_suppression(source: str, finding: Finding) -> list[TextEdit] | None:
    edit = suppression_edit(source, finding)
    return [edit] if edit is not None else None


def compute_fix(source: str, finding: Finding, recipe_name: str, *, kernel: bool = False) -> list[TextEdit] | None:
    """Edits for one finding with the named recipe, or None when the recipe declines here.

    With `kernel`, the source is a notebook's code run in a Jupyter kernel (as `analyze` takes it).
    """
    recipe = next((recipe for recipe in recipes_for(finding) if recipe.name == recipe_name), None)
    parsed = ParsedModule.parse(source, top_level_await=kernel) if recipe is not None else None
    if recipe is None or parsed is None:
        return None
    rewrite = recipe.rewrite(FixSite(parsed, finding, Header.of(parsed)))
    fixed = _rewritten(parsed, [rewrite]) if rewrite is not None else None
    return edits_between(source, fixed) if fixed is not None else None


@dataclass
class FixAllResult:
    source: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def fix_all(source: str, settings: Settings | None = None, *, kernel: bool = False) -> FixAllResult:
    """Every fix that keeps the code's meaning, applied pass after pass until none is left."""
    result = FixAllResult(source)
    findings = analyze(source, settings, kernel=kernel).findings
    for _ in range(_MAX_PASSES):
        parsed = ParsedModule.parse(result.source, top_level_await=kernel)
        if parsed is None:
            break
        header = Header.of(parsed)
        planned = _plan(parsed, header, findings)
        fixed = _rewritten(parsed, [rewrite for _, rewrite in planned]) if planned else None
        if fixed is None and len(planned) > 1:
            planned = planned[:1]
            fixed = _rewritten(parsed, [planned[0][1]])
        if fixed is None:
            break
        result.source = fixed
        result.fixed.extend(finding for finding, _ in planned)
        findings = analyze(fixed, settings, kernel=kernel).findings
    result.remaining = findings
    return result


def _plan(parsed: ParsedModule, header: Header | None, findings: list[Finding]) -> list[tuple[Finding, Rewrite]]:
    """One rewrite per statement, outermost statements first, none inside another."""
    candidates = []
    for finding in findings:
        recipe = _fix_all_recipe(finding)
        rewrite = recipe.rewrite(FixSite(parsed, finding, header)) if recipe else None
        if rewrite is not None:
            rewritten = (rewrite.statement, *rewrite.consumed)
            candidates.append((finding, rewrite, {id(node) for statement in rewritten for node in walk(statement)}))
    candidates.sort(key=lambda candidate: -len(candidate[2]))
    planned, taken = [], set()
    for finding, rewrite, nodes in candidates:
        if not nodes & taken:
            planned.append((finding, rewrite))
            taken |= nodes
    return planned


def _fix_all_recipe(finding: Finding) -> Recipe | None:
    return next((recipe for recipe in recipes_for(finding) if recipe.in_fix_all), None)


class _ReplaceStatements(cst.CSTTransformer):
    def __init__(self, rewrites: list[Rewrite]) -> None:
        super().__init__()
        self.replacements: dict[int, cst.BaseStatement | cst.FlattenSentinel | cst.RemovalSentinel] = {
            id(rewrite.statement): rewrite.replacement for rewrite in rewrites
        }
        for rewrite in rewrites:
            self.replacements.update(dict.fromkeys(map(id, rewrite.consumed), cst.RemoveFromParent()))

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def, override]
        return self.replacements.get(id(original_node), updated_node)


def _rewritten(parsed: ParsedModule, rewrites: list[Rewrite]) -> str | None:
    """The module's text after the rewrites, or None if it would not compile."""
    header = Header.of(parsed)
    module = parsed.module.visit(_ReplaceStatements(rewrites))
    if header is not None:
        module = with_header(
            module,
            header,
            needs_import=any(rewrite.needs_import for rewrite in rewrites),
            needs_set=any(rewrite.needs_background_set for rewrite in rewrites),
        )
    code = module.code
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if parsed.top_level_await else 0
    return code if _compiles(code, flags) or (not _compiles(parsed.source, flags) and _parses(code)) else None


def _compiles(code: str, flags: int) -> bool:
    try:
        compile(code, "<fix>", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
