"""The `junit` format: JUnit XML, the test-report format that Jenkins, GitLab, Azure Pipelines
and most other CI services read. Each checked file with findings is a test suite and each finding
a failed test case; a file that could not be checked is a test case in error."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from async_patterns.cli.formats import FileResult, ReportContext, position, repository_path

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _suite(parent: ElementTree.Element, path: str, tests: int, failures: int, errors: int) -> ElementTree.Element:
    return ElementTree.SubElement(
        parent,
        "testsuite",
        name=_xml_text(path),
        tests=str(tests),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )


def render(results: list[FileResult], context: ReportContext) -> str:
    root = ElementTree.Element("testsuites", name="async-patterns")
    tests = failures = errors = 0
    for result in results:
        if not result.findings and not result.problem:
            continue
        path = repository_path(result.path)
        failed = len(result.findings)
        erred = 1 if result.problem else 0
        suite = _suite(root, path, failed + erred, failed, erred)
        tests, failures, errors = tests + failed + erred, failures + failed, errors + erred
        if result.problem:
            case = ElementTree.SubElement(suite, "testcase", classname=_xml_text(path), name="checked", file=_xml_text(path))
            ElementTree.SubElement(case, "error", message=_xml_text(result.problem), type="not-checked").text = _xml_text(
                f"{path}: {result.problem}"
            )
        for finding in result.findings:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=_xml_text(path),
                name=f"{finding.code} at {position(finding)}",
                file=_xml_text(path),
                **({"line": str(finding.line)} if finding.cell is None else {}),
            )
            ElementTree.SubElement(case, "failure", message=_xml_text(finding.message), type=finding.code).text = _xml_text(
                f"{path}:{position(finding)}: {finding.code} {finding.message}"
            )
    if tests == 0:
        # A report with no test at all reads as "nothing ran" in several CI services.
        suite = _suite(root, "async-patterns", 1, 0, 0)
        ElementTree.SubElement(suite, "testcase", classname="async-patterns", name="no findings")
        tests = 1
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
