"""ASYNC200: calls the project configured as blocking (`extraBlockingCalls`)."""

from fnmatch import fnmatchcase

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, Report


class ConfiguredBlockingCall(BlockingCallRule):
    code = "ASYNC200"
    name = "configured-blocking-call"
    message = "{call} is configured as blocking and would stall the event loop; {instead}"
    explanation = """\
Calls listed in the `extraBlockingCalls` setting (VS Code `asyncPatterns.extraBlockingCalls`, or
`extra-blocking-calls` in `[tool.async-patterns]`) are reported inside `async def`. Entries are
dotted names matched against the call's resolved name (`mylib.db.query`) and as written
(`self.db.query`), with shell wildcards (`mylib.sync_*`), optionally followed by `-> replacement`
to name what to use instead."""
    peers = """\
Same meaning as flake8-async's ASYNC200 (its `--async200-blocking-calls` option is the
`extra-blocking-calls` setting here); ruff has no ASYNC200."""
    instead = "run it with `await asyncio.to_thread(...)`"

    def matches_beyond_tables(self, site: CallSite) -> bool:
        return bool(self.settings.extra_blocking_calls) and self._matching_entry(site) is not None

    def _matching_entry(self, site: CallSite):
        names = [name for name in (site.qualname, site.written) if name]
        return next(
            (
                entry
                for entry in self.settings.extra_blocking_calls
                if any(fnmatchcase(name, entry.pattern) for name in names)
            ),
            None,
        )

    def report(self, site: CallSite) -> Report:
        entry = self._matching_entry(site)
        instead = f"use `{entry.replacement}`" if entry and entry.replacement else self.instead
        data = {"call": site.qualname or site.name, "fix": "to_thread"}
        return Report(site.node, self.message.format(call=site.display, instead=instead), data)

    # Examples run with extraBlockingCalls = ["mylib.sync_*", "self.db.query -> self.db.query_async"].
    EXAMPLE_SETTINGS = {"extraBlockingCalls": ["mylib.sync_*", "self.db.query -> self.db.query_async"]}
    VALID = (
        "import mylib\nasync def main():\n    await mylib.fetch()\n",
        "import mylib\ndef main():\n    mylib.sync_fetch()\n",
    )
    INVALID = (
        Invalid("import mylib\nasync def main():\n    mylib.sync_fetch()\n"),
        Invalid("class Repo:\n    async def load(self):\n        return self.db.query('select 1')\n"),
    )
