"""What analysis produces: findings with positions in code points, ready for the CLI and the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "information", "hint"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "information", "hint")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one place. Lines are 1-based, columns 0-based code points.

    `data` carries what a fix needs (the matched call, the suggested replacement), so that
    listing fixes never re-runs the analysis.
    """

    code: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity = "warning"
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # In a notebook, the cell (counted from 1 as the notebook shows its cells) whose lines these are.
    cell: int | None = None

    @property
    def is_suggestion(self) -> bool:
        """A hint about code that is not wrong (shown by editors, not counted as a problem)."""
        return self.data.get("suggestion") is True

    def shifted(self, lines: int) -> Finding:
        return Finding(
            self.code,
            self.message,
            self.line + lines,
            self.column,
            self.end_line + lines,
            self.end_column,
            self.severity,
            self.data,
            self.cell,
        )

    def to_dict(self) -> dict[str, Any]:
        raw = {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "data": self.data,
        }
        if self.cell is not None:
            raw["cell"] = self.cell
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Finding:
        return cls(**raw)


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a text could not be analysed; line/column are where the parser stopped, when known."""

    message: str
    line: int | None = None
    column: int | None = None
    # Set when the text is fine for a newer Python than the one analysing it (not the user's typo).
    needs_python: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    findings: list[Finding]
    error: ParseProblem | None = None
