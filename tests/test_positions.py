"""The one column converter: UTF-8 bytes, code points and UTF-16 units agree on every kind of text."""

import ast

import pytest

from async_patterns.analysis.positions import LineIndex, split_lines, terminal_cells

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


@pytest.mark.parametrize("line, shown, starts", [
    ("x = 1", "x = 1", [0, 1, 2, 3, 4, 5]),
    ("日本x", "日本x", [0, 2, 4, 5]),  # CJK takes two cells
    ("😀x", "😀x", [0, 2, 3]),  # so does an emoji outside the BMP, one code point
    ("e\u0301x", "e\u0301x", [0, 1, 1, 2]),  # a combining accent takes none
    ("\tx", " " * 8 + "x", [0, 8, 9]),  # tabs stop every 8 cells, as in a terminal
    ("ab\tx", "ab" + " " * 6 + "x", [0, 1, 2, 8, 9]),
    ("a\x1b[2Jb", "a\\x1b[2Jb", [0, 1, 5, 6, 7, 8, 9]),  # an escape sequence is shown, not obeyed
    ("a\u202eb", "a\\u202eb", [0, 1, 7, 8]),  # so is a bidi override
])
def test_terminal_cells_of_code_point_columns(line, shown, starts):
    assert terminal_cells(line) == (shown, starts)
