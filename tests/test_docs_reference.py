"""The reference documents: the seven topics, their sections, and every Python example in them."""

from __future__ import annotations

import ast
import re
import sys

import pytest

from async_patterns.analysis import analyze
from async_patterns.docs import reference_documents
from async_patterns.docs.reference import slugify

EXPECTED_DOCUMENTS = {
    "concurrency-patterns.md",
    "aiohttp-patterns.md",
    "mixing-sync-async.md",
    "debugging.md",
    "production-patterns.md",
    "error-handling.md",
    "performance.md",
}

PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[pytest.param]:
    """Every example; one that asks for a newer Python (`# Requires Python 3.11`: `except*`) is
    skipped on older ones, whose parser cannot read it."""
    params = []
    for document, text in sorted(reference_documents().items()):
        for number, block in enumerate(PYTHON_BLOCK.findall(text), start=1):
            required = re.match(r"# Requires Python (\d+)\.(\d+)", block)
            newer = required is not None and sys.version_info[:2] < (int(required[1]), int(required[2]))
            marks = [pytest.mark.skipif(newer, reason="the example needs a newer Python")]
            params.append(pytest.param(block, id=f"{document}-{number}", marks=marks))
    return params


def imported_top_level_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.partition(".")[0])
    return modules


def test_the_seven_reference_documents_ship_with_the_package() -> None:
    assert set(reference_documents()) == EXPECTED_DOCUMENTS


@pytest.mark.parametrize("document", sorted(EXPECTED_DOCUMENTS))
def test_each_document_has_a_title_unique_section_anchors_and_examples(document: str) -> None:
    text = reference_documents()[document]
    assert text.startswith("# ")
    outside_code = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    anchors = [slugify(heading) for heading in re.findall(r"^## +(.+?) *$", outside_code, re.MULTILINE)]
    assert len(anchors) >= 4
    assert len(anchors) == len(set(anchors))
    assert len(PYTHON_BLOCK.findall(text)) >= len(anchors) - 1


def test_relative_links_between_documents_point_at_existing_sections() -> None:
    documents = reference_documents()
    link = re.compile(r"\]\(([\w-]+\.md)?(?:#([\w-]+))?\)")
    for name, text in documents.items():
        for target_document, anchor in link.findall(text):
            target = target_document or name
            assert target in documents, (name, target)
            if anchor:
                headings = re.findall(r"^## +(.+?) *$", documents[target], re.MULTILINE)
                assert anchor in {slugify(heading) for heading in headings}, (name, target, anchor)


@pytest.mark.parametrize("source", python_blocks())
def test_every_example_parses_and_is_clean_under_our_checker(source: str) -> None:
    ast.parse(source)
    result = analyze(source)
    assert result.error is None
    assert result.findings == []
