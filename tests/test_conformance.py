"""Decisions where two rules meet, suggestions, and module-wide facts kept exact by incremental analysis."""

import pytest

from async_patterns.analysis import Settings, analyze
from async_patterns.analysis.incremental import IncrementalAnalysis
from async_patterns.analysis.settings import parse_settings
from async_patterns.fixes import apply_edits, compute_fix, fix_all, offered_fixes

POOL_REQUEST = "import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.request('GET', '/'){comment}\n"


def _codes(source: str, settings: Settings | None = None) -> list[str]:
    return [finding.code for finding in analyze(source, settings).findings if not finding.is_suggestion]


def test_a_literal_method_request_on_a_known_pool_is_one_finding_asyncio211_either_code_silences():
    assert _codes(POOL_REQUEST.format(comment="")) == ["ASYNC211"]
    assert _codes(POOL_REQUEST.format(comment="  # noqa: ASYNC211")) == []
    assert _codes(POOL_REQUEST.format(comment="  # noqa: ASYNC212")) == []
    ignoring, _, _ = parse_settings({"ignore": ["ASYNC211"]}, "test")
    assert _codes(POOL_REQUEST.format(comment=""), ignoring) == ["ASYNC212"]
    other_method = "import urllib3\nasync def main():\n    pool = urllib3.PoolManager()\n    pool.urlopen('GET', '/')\n"
    assert _codes(other_method) == ["ASYNC212"]


def test_sleep_zero_is_a_hint_whose_fix_only_runs_on_request():
    source = "import asyncio\nimport time\nasync def main():\n    time.sleep(0)\n"
    configured, _, _ = parse_settings({"severity": {"ASYNC251": "error"}}, "test")
    [finding] = analyze(source, configured).findings
    assert finding.is_suggestion and finding.severity == "hint" and finding.code == "ASYNC251"
    [offer] = offered_fixes(finding)
    assert apply_edits(source, compute_fix(source, finding, offer.recipe)).endswith("    await asyncio.sleep(0)\n")
    assert not fix_all(source, configured).changed


def _incremental_matches_full(texts: list[str]) -> None:
    analysis = IncrementalAnalysis()
    for text in texts:
        assert analysis.update(text, Settings()) == analyze(text), text


def test_a_global_rebinding_in_another_function_changes_a_type():
    base = "import httpx\nclient = httpx.Client()\n\ndef reset():\n    pass\n\nasync def main():\n    client.get('/')\n"
    rebound = base.replace("    pass\n", "    global client\n    client = make()\n")
    assert _codes(base) == ["ASYNC212"] and _codes(rebound) == []
    _incremental_matches_full([base, rebound, base])


# Methods enough to make a class large: incremental analysis then checks an edited method alone.
_PADDING = "".join(f"    async def step_{number}(self):\n        await asyncio.sleep({number})\n\n" for number in range(80))


def _large_class(consumer: str) -> str:
    return (
        "import asyncio\n\n\nclass Feed:\n"
        "    async def _rows(self):\n        async with self.pool.acquire() as connection:\n            yield connection\n\n"
        f"{_PADDING}    async def consume(self):\n{consumer}"
    )


def test_a_consumer_that_stops_closing_a_private_generator_makes_it_reported_in_a_large_class():
    closing = "        rows = self._rows()\n        try:\n            await rows.__anext__()\n        finally:\n            await rows.aclose()\n"
    leaking = "        rows = self._rows()\n        try:\n            await rows.__anext__()\n        finally:\n            pass\n"
    assert "ASYNC119" not in _codes(_large_class(closing))
    assert "ASYNC119" in _codes(_large_class(leaking))
    _incremental_matches_full([_large_class(closing), _large_class(leaking), _large_class(closing)])


def test_cancelling_the_awaited_task_in_another_method_is_seen_by_incremental_analysis():
    text = (
        "import asyncio\n\n\nclass Pump:\n    def stop(self):\n        self._task.cancel()\n\n"
        f"{_PADDING}    async def wait_stopped(self):\n        try:\n            await self._task\n        except BaseException:\n            pass\n"
    )
    assert "ASYNC103" not in _codes(text)
    without_cancel = text.replace("self._task.cancel()", "self._task = None")
    assert "ASYNC103" in _codes(without_cancel)
    _incremental_matches_full([text, without_cancel, text])


@pytest.mark.parametrize("body", ["    loop.create_task(work())\n", "    schedule(work())\n", "    work()\n"])
def test_sync_code_is_walked_where_it_names_what_a_sync_rule_reports(body):
    module = "from asyncio import ensure_future as schedule\n\nasync def work():\n    pass\n\ndef callback(loop):\n{}"
    text, edited = module.format("    pass\n"), module.format(body)
    assert _codes(text) == [] and len(_codes(edited)) == 1
    _incremental_matches_full([text, edited, text])
