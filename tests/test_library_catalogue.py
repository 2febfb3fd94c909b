"""The catalogue of blocking library APIs (analysis/libraries/): every entry's examples, the bundle,
the names each entry uses against the libraries' current releases (recorded offline), the format's
errors."""

from __future__ import annotations

import json
import textwrap

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.libraries import (
    BUNDLE,
    CatalogueError,
    bundle_text,
    catalogue_from_reviewed_files,
    parse_library,
    read_library_file,
    reviewed_files,
    tomllib,
)
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import Settings
from conftest import ROOT, assert_message_names_its_code

EVERY_RULE = Settings(select=tuple(rule.code for rule in rule_classes()))
RECORDED = ROOT / "tests" / "data" / "library_names.json"


def _entries():
    for path in reviewed_files():
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        library = document["library"]["name"]
        for number, entry in enumerate(document.get("blocking", []), 1):
            yield path.stem, library, number, entry


def _examples(kind):
    return [
        pytest.param(library, entry, textwrap.dedent(source).lstrip("\n"), id=f"{stem}-{number}-{kind}{index}")
        for stem, library, number, entry in _entries()
        for index, source in enumerate(entry.get(kind, []))
    ]


@pytest.mark.parametrize("stem, number, entry", [pytest.param(s, n, e, id=f"{s}-{n}") for s, _, n, e in _entries()])
def test_every_entry_has_valid_and_invalid_examples(stem, number, entry):
    assert entry.get("valid") and entry.get("invalid"), f"{stem}.toml [[blocking]] #{number} needs both"


@pytest.mark.parametrize("library, entry, source", _examples("invalid"))
def test_invalid_example_is_reported_by_its_entry(library, entry, source):
    """Reported under the entry's code; an AP110 message names the library, says what the entry
    says the call does, and offers the quick fix exactly when the entry does."""
    result = analyze(source, EVERY_RULE)
    assert result.error is None
    code = entry.get("code", "AP110")
    reported = [finding for finding in result.findings if finding.code == code]
    assert reported, f"{code} not reported"
    for finding in reported:
        assert_message_names_its_code(finding, source)
    if code == "AP110":
        doing = " ".join(entry["why"].split()) if "why" in entry else None
        matching = [
            finding
            for finding in reported
            if f"({library})" in finding.message
            and (doing is None or doing in finding.message)
            and ("fix" in finding.data) == entry.get("fix", True)
        ]
        assert matching, [(finding.message, finding.data) for finding in reported]


@pytest.mark.parametrize("library, entry, source", _examples("valid"))
def test_valid_example_is_not_reported(library, entry, source):
    result = analyze(source, EVERY_RULE)
    assert result.error is None
    code = entry.get("code", "AP110")
    assert [finding.message for finding in result.findings if finding.code == code] == []


def test_bundle_is_up_to_date():
    assert BUNDLE.read_text(encoding="utf-8") == bundle_text(catalogue_from_reviewed_files()), (
        "run: .venv/bin/python -m async_patterns.analysis.libraries"
    )


def _recorded():
    return json.loads(RECORDED.read_text(encoding="utf-8"))["libraries"]


@pytest.mark.parametrize("library", catalogue_from_reviewed_files().libraries, ids=lambda library: library.name)
def test_every_name_exists_in_the_current_release(library):
    """Checked against names recorded from PyPI's releases by scripts/record_library_names.py."""
    recorded = _recorded().get(library.name)
    assert recorded is not None, f"{library.name} not recorded: run scripts/record_library_names.py {library.name}"
    unrecorded = library.qualified_names() - set(recorded["names"])
    assert not unrecorded, f"not recorded yet, run scripts/record_library_names.py {library.name}: {unrecorded}"
    missing = sorted(name for name in library.qualified_names() if recorded["names"][name] is None)
    assert missing == [], f"{library.name} {recorded['version']} has no {missing}"
    for runtime_class, named in library.member_names().items():
        members = recorded["members"].get(runtime_class)
        assert members is not None, f"{runtime_class} is not a class in {library.name} {recorded['version']}"
        assert sorted(named - set(members)) == [], f"{runtime_class} in {library.name} {recorded['version']}"


def test_recorded_names_cover_exactly_the_catalogue_s_libraries():
    assert set(_recorded()) == {library.name for library in catalogue_from_reviewed_files().libraries}


def _library(**overrides):
    document = {
        "library": {"name": "acme", "modules": ["acme"], "alternative": "`acme.aio`", "about": "x", "verified": "y"},
        "types": [{"name": "acme.Client", "constructors": ["acme.Client"]}],
        "blocking": [{"type": "acme.Client", "methods": ["fetch"], "io": "network"}],
    }
    for key, value in overrides.items():
        document[key] = value
    return document


def test_a_valid_document_parses():
    library = parse_library(_library(), "acme.toml")
    assert library.blocking[0].receiver == "acme.Client"
    assert library.types[0].constructors[0].call == "acme.Client"


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"blocking": [{"type": "acme.Client", "methods": ["fetch"], "io": "carrier pigeon"}]}, "'io' must be one of"),
        ({"blocking": [{"type": "acme.Other", "methods": ["fetch"], "io": "network"}]}, "not declared in [[types]]"),
        ({"blocking": [{"calls": ["acme.fetch"], "type": "acme.Client", "io": "network"}]}, "either 'calls'"),
        ({"blocking": [{"calls": ["acme fetch"], "io": "network"}]}, "not dotted names"),
        ({"blocking": [{"calls": ["acme.fetch"], "io": "network", "code": "ASYNC999"}]}, "'code' must be one of"),
        ({"blocking": [{"calls": ["acme.fetch"], "io": "network", "when": {"position": 0}}]}, "a condition needs"),
        ({"blocking": [{"calls": ["acme.fetch"], "io": "network", "colour": "red"}]}, "unknown key 'colour'"),
        ({"blocking": []}, "at least one [[blocking]]"),
        ({"types": [{"name": "acme.Client", "returns": {"connect": "acme.Nothing"}}]}, "refers to type 'acme.Nothing'"),
        (
            {"blocking": [{"type": "acme.Client", "properties": ["body"], "io": "network"}]},
            "has no quick fix",
        ),
    ],
)
def test_format_errors_name_the_file_and_the_entry(overrides, problem):
    with pytest.raises(CatalogueError) as raised:
        parse_library(_library(**overrides), "acme.toml")
    assert str(raised.value).startswith("acme.toml: ")
    assert problem in str(raised.value)


def test_a_file_that_is_not_toml_is_a_clear_error(tmp_path):
    broken = tmp_path / "acme.toml"
    broken.write_text("[library\nname = 'acme'", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot read"):
        read_library_file(broken)
