"""Python Async Patterns: find what stalls or breaks asyncio code, in the editor and in CI."""

__version__ = "0.1.0"

# Where each rule's documentation lives; `{code}` is the lower-case rule code (the anchor in rules.md).
RULE_DOCUMENTATION_URL = "https://github.com/python-async-patterns/python-async-patterns/blob/main/docs/rules.md#{code}"
