"""The `github` format: GitHub Actions workflow commands, which the runner turns into annotations
on the pull request's changed lines and in the job summary."""

from __future__ import annotations

from async_patterns.cli.formats import FileResult, ReportContext, position, repository_path

_COMMAND = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict[str, object], message: str) -> str:
    listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {listed}::{_escape_data(message)}\n"


def render(results: list[FileResult], context: ReportContext) -> str:
    commands = []
    for result in results:
        path = repository_path(result.path)
        if result.problem:
            commands.append(_command("error", {"file": path, "title": "async-patterns"}, f"not checked: {result.problem}"))
        for finding in result.findings:
            if finding.cell is None:
                properties: dict[str, object] = {
                    "file": path,
                    "line": finding.line,
                    "endLine": finding.end_line,
                    "col": finding.column + 1,
                    "endColumn": finding.end_column + 1,
                    "title": finding.code,
                }
                message = finding.message
            else:  # a notebook's lines are its cells', not the file's: the message says where
                properties = {"file": path, "title": finding.code}
                message = f"{position(finding)}: {finding.message}"
            commands.append(_command(_COMMAND[finding.severity], properties, message))
    return "".join(commands)
