"""Every run-time rule's examples, run: each INVALID program is recorded at the line its `fixed` text
rewrites, and the fix the editor offers there gives `fixed`; a VALID program records nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_patterns.analysis import Settings
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.rule import RuntimeRule
from async_patterns.analysis.rules import rule_classes
from async_patterns.fixes import apply_edits, compute_fix, offered_fixes
from async_patterns.lsp.stalls import stall_findings
from async_patterns.runtime.records import parse_records
from runtime_programs import run_program

RUNTIME_RULES = [rule for rule in rule_classes() if issubclass(rule, RuntimeRule)]


def _examples(kind: str):
    for rule in RUNTIME_RULES:
        for number, example in enumerate(rule.VALID if kind == "valid" else rule.INVALID):
            yield pytest.param(example, id=f"{rule.code}-{kind}-{number}")


@pytest.mark.parametrize("example", list(_examples("invalid")))
def test_invalid_program_is_recorded_where_its_fix_applies(tmp_path: Path, example):
    run = run_program(tmp_path, {"example.py": example.source})
    assert run.completed.returncode == 0, run.completed.stderr
    entries = [entry for entry in parse_records((tmp_path / "stalls.json").read_bytes()).entries if entry.path == str(tmp_path / "example.py")]
    assert entries, run.record
    [finding] = stall_findings(tuple(entries), LineIndex.of(example.source), Settings())
    changed = [number for number, (old, new) in enumerate(zip(example.source.splitlines(), example.fixed.splitlines()), 1) if old != new]
    assert changed == [finding.line]
    [preferred, *_] = offered_fixes(finding)
    assert apply_edits(example.source, compute_fix(example.source, finding, preferred.recipe)) == example.fixed


@pytest.mark.parametrize("example", list(_examples("valid")))
def test_valid_program_records_nothing(tmp_path: Path, example):
    run = run_program(tmp_path, {"example.py": example})
    assert run.completed.returncode == 0, run.completed.stderr
    assert run.record == []
