"""The server's start-up cache of attrs-generated code: same classes with it as without it."""

import subprocess
import sys

# Prints what the cache returns, then a fingerprint of the generated methods of a sample of
# lsprotocol's classes and a round trip through pygls' converter.
PROBE = r"""
import sys
from pathlib import Path
from async_patterns.lsp.generated_code_cache import import_lsprotocol_types
if sys.argv[1] != "no-cache":
    print(import_lsprotocol_types(Path(sys.argv[1])))
else:
    print(None)
from lsprotocol import types
from pygls.protocol import default_converter
for cls in (types.Position, types.Diagnostic, types.InitializeParams, types.CodeAction, types.Hover):
    for name in ("__init__", "__repr__", "__eq__"):
        code = getattr(cls, name).__code__
        print(cls.__name__, name, code.co_filename, code.co_code.hex(), code.co_consts, code.co_names)
    print(cls.__name__, sorted(map(str, cls.__init__.__annotations__.items())))
diagnostic = types.Diagnostic(range=types.Range(start=types.Position(0, 1), end=types.Position(0, 2)), message="m")
converter = default_converter()
print(repr(diagnostic), converter.structure(converter.unstructure(diagnostic), types.Diagnostic) == diagnostic)
"""


def _probe(argument: str) -> tuple[str, str]:
    output = subprocess.run(
        [sys.executable, "-c", PROBE, argument], check=True, capture_output=True, text=True
    ).stdout
    counts, _, fingerprint = output.partition("\n")
    return counts, fingerprint


def test_a_warm_start_reuses_the_code_and_builds_the_same_classes(tmp_path):
    cold_counts, cold = _probe(str(tmp_path))
    (cache_file,) = tmp_path.iterdir()
    written = cache_file.stat()
    warm_counts, warm = _probe(str(tmp_path))
    _, uncached = _probe("no-cache")
    reused_cold, compiled_cold = eval(cold_counts)
    assert reused_cold == 0 and compiled_cold > 500
    assert eval(warm_counts) == (compiled_cold, 0)
    assert (cache_file.stat().st_ino, cache_file.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert cold == warm == uncached
    assert cold.rstrip().endswith("True")


def test_a_damaged_cache_is_rebuilt(tmp_path):
    _, uncached = _probe("no-cache")
    _probe(str(tmp_path))
    (cache_file,) = tmp_path.iterdir()
    for damage in (cache_file.read_bytes()[:1000], b"\x00garbage", b""):
        cache_file.write_bytes(damage)
        counts, fingerprint = _probe(str(tmp_path))
        assert eval(counts)[1] > 500 and fingerprint == uncached
