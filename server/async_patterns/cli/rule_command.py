"""`async-patterns rule CODE`: a rule's explanation and examples; `rule --all`: every rule with its
default state. The text is docs/rules.md's, from the same rule files."""

from __future__ import annotations

import argparse
import json
import sys

from async_patterns import RULE_DOCUMENTATION_URL
from async_patterns.analysis.rule import Rule
from async_patterns.analysis.rules import rule_by_code, rule_classes
from async_patterns.rule_docs import rule_markdown, rule_summary


def _record(rule: type[Rule]) -> dict:
    example = rule.INVALID[0] if rule.INVALID else None
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule_summary(rule),
        "enabled_by_default": rule.enabled_by_default,
        "explanation": rule.explanation,
        "reported": example.source if example else None,
        "fixed": example.fixed if example else None,
        "not_reported": rule.VALID[0] if rule.VALID else None,
        "url": RULE_DOCUMENTATION_URL.format(code=rule.code.lower()),
    }


def _listing(rules: tuple[type[Rule], ...]) -> str:
    name_width = max(len(rule.name) for rule in rules)
    code_width = max(len(rule.code) for rule in rules)
    return "".join(
        f"{rule.code:<{code_width}}  {'on ' if rule.enabled_by_default else 'off'}  {rule.name:<{name_width}}  {rule_summary(rule)}\n"
        for rule in rules
    )


def run_rule(arguments: argparse.Namespace) -> int:
    if arguments.all == (arguments.code is not None):
        arguments.usage_error("give one rule CODE, or --all to list every rule")
    if arguments.all:
        rules = rule_classes()
        text = json.dumps([_record(rule) for rule in rules], indent=2) + "\n" if arguments.format == "json" else _listing(rules)
        sys.stdout.write(text)
        return 0
    rule = rule_by_code(arguments.code.strip().upper())
    if rule is None:
        print(
            f"async-patterns: error: no rule {arguments.code!r}; `async-patterns rule --all` lists them",
            file=sys.stderr,
        )
        return 2
    if arguments.format == "json":
        sys.stdout.write(json.dumps(_record(rule), indent=2) + "\n")
    else:
        sys.stdout.write(f"{rule_markdown(rule)}\nDocumentation: {RULE_DOCUMENTATION_URL.format(code=rule.code.lower())}\n")
    return 0
