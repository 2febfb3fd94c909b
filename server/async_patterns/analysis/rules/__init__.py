"""Every rule, one per module in this package; adding a module adds the rule and its tests."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from async_patterns.analysis.rule import BlockingCallRule, NodeRule, Rule, RuntimeRule


@cache
def rule_classes() -> tuple[type[Rule], ...]:
    found: list[type[Rule]] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        defined_here = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Rule)
            and value not in (Rule, BlockingCallRule, NodeRule, RuntimeRule)
            and value.__module__ == module.__name__
        ]
        if len(defined_here) != 1:
            raise RuntimeError(f"{module.__name__} must define exactly one rule, found {len(defined_here)}")
        found.append(defined_here[0])
    return tuple(sorted(found, key=lambda rule: rule.code))


def rule_by_code(code: str) -> type[Rule] | None:
    return next((rule for rule in rule_classes() if rule.code == code), None)


def static_rule_classes() -> tuple[type[Rule], ...]:
    """The rules a walk of the code reports (all but those found at run time)."""
    return tuple(rule for rule in rule_classes() if not issubclass(rule, RuntimeRule))
