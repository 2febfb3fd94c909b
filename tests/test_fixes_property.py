"""Every offered fix, applied to every finding of the rule examples, examples/ and (a sample of) the
downloaded corpus, keeps its promises: see `async_patterns.fixes.verify`."""

import itertools
import random

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import parse_settings, settings_for_path
from async_patterns.fixes import compute_fix, compute_suppression, offered_fixes
from async_patterns.fixes.verify import problems_with_fix

from conftest import EXAMPLES, ROOT

CORPUS = ROOT / "benchmarks" / ".corpus"
_CORPUS_SAMPLE = 8


def _rule_example_sources():
    for rule in rule_classes():
        settings, _, _ = parse_settings(getattr(rule, "EXAMPLE_SETTINGS", None), rule.code)
        for number, example in enumerate(rule.INVALID):
            yield pytest.param(example.source, settings, id=f"{rule.code}-invalid-{number}")


def _file_sources(paths, prefix):
    for path in paths:
        settings, _ = settings_for_path(path.resolve())
        source = path.read_text(encoding="utf-8", errors="replace")
        yield pytest.param(source, settings, id=f"{prefix}:{path.name}")


def _corpus_sample():
    files = sorted(CORPUS.rglob("*.py")) if CORPUS.is_dir() else []
    with_async = [path for path in files if "async def" in path.read_text(encoding="utf-8", errors="replace")]
    return random.Random(3).sample(with_async, min(_CORPUS_SAMPLE, len(with_async)))


SOURCES = list(
    itertools.chain(
        _rule_example_sources(),
        _file_sources(sorted(EXAMPLES.rglob("*.py")), "examples"),
        _file_sources(_corpus_sample(), "corpus"),
    )
)


@pytest.mark.parametrize("source, settings", SOURCES)
def test_every_offered_fix_keeps_its_promises(source, settings):
    for finding in analyze(source, settings).findings:
        for offer in offered_fixes(finding):
            edits = compute_fix(source, finding, offer.recipe)
            if edits is not None:
                assert problems_with_fix(source, finding, edits, settings) == [], (finding, offer.recipe)
        suppression = compute_suppression(source, finding)
        if suppression is not None:
            assert problems_with_fix(source, finding, suppression, settings, suppression=True) == [], finding
