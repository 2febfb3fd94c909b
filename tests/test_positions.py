"""The one column converter: UTF-8 bytes, code points and UTF-16 units agree on every kind of text."""

import ast

import pytest

from async_patterns.analysis.positions import LineIndex, split_lines

LINES = [
    ("x = 1; call()", "call()"),
    ("s = '日本語'; call()", "call()"),
    ("s = '😀😀'; call()", "call()"),
    ("if 1:\n\ts = 'é'; call()", "call()"),
    ("s = 'a😀日'  ;call()", "call()"),
]


@pytest.mark.parametrize("line, target", LINES)
def test_ast_bytes_to_code_points_to_utf16(line, target):
    calls = [node for node in ast.walk(ast.parse(line)) if isinstance(node, ast.Call)]
    [node] = calls
    index = LineIndex.of(line)
    text = index.line_text(node.lineno)
    column = index.codepoint_from_utf8(node.lineno, node.col_offset)
    assert text[column:].startswith(target)
    utf16 = index.utf16_from_codepoint(node.lineno, column)
    assert utf16 == len(text[:column].encode("utf-16-le")) // 2
    assert index.codepoint_from_utf16(node.lineno, utf16) == column


@pytest.mark.parametrize("source, expected", [
    ("a\r\nb\rc\nd", ["a", "b", "c", "d"]),
    ("a\x0cb\n", ["a\x0cb", ""]),
    ("a\u2028b", ["a\u2028b"]),
])
def test_lines_split_only_on_python_and_lsp_line_ends(source, expected):
    assert split_lines(source) == expected


def test_crlf_document_positions_match_ast():
    source = "import time\r\nasync def f():\r\n    s = '😀'; time.sleep(1)\r\n"
    call = ast.parse(source).body[1].body[1].value
    index = LineIndex.of(source)
    assert index.codepoint_from_utf8(call.lineno, call.col_offset) == 13
    assert index.utf16_from_codepoint(call.lineno, 13) == 14


def test_clamp_keeps_positions_inside_the_document():
    index = LineIndex.of("ab\ncd")
    assert index.clamp(9, 9) == (2, 2)
    assert index.clamp(0, -3) == (1, 0)
    assert index.codepoint_from_utf16(1, 99) == 2
