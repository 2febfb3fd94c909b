"""Fix recipes on their edge cases, the import placement, suppression comments and `check --fix`."""

import pytest

from async_patterns.analysis import analyze
from async_patterns.cli import main
from async_patterns.fixes import apply_edits, compute_fix, compute_suppression, fix_all, offered_fixes


def _fixed(source):
    finding = analyze(source).findings[0]
    [offer, *_] = offered_fixes(finding)
    edits = compute_fix(source, finding, offer.recipe)
    return apply_edits(source, edits) if edits is not None else None


@pytest.mark.parametrize(
    "source, expected",
    [
        (  # after the docstring and __future__ imports, sorted into the first import group
            '"""Doc."""\nfrom __future__ import annotations\n\nimport json\nimport time\n\nasync def f():\n    time.sleep(1)\n',
            '"""Doc."""\nfrom __future__ import annotations\n\nimport asyncio\nimport json\nimport time\n\nasync def f():\n    await asyncio.sleep(1)\n',
        ),
        (  # an alias is used, never a second import
            "import asyncio as aio\nimport time\nasync def f():\n    time.sleep(1)\n",
            "import asyncio as aio\nimport time\nasync def f():\n    await aio.sleep(1)\n",
        ),
        (  # the call's layout and comments are kept
            "import asyncio, requests\nasync def f(url):\n    response = requests.post(\n        url,  # where\n        json={},\n    )\n",
            "import asyncio, requests\nasync def f(url):\n    response = await asyncio.to_thread(\n        requests.post,\n        url,  # where\n        json={},\n    )\n",
        ),
        (  # parenthesised where the grammar needs it; CRLF kept
            "import asyncio, os\r\nasync def f(p):\r\n    return os.stat(p).st_size\r\n",
            "import asyncio, os\r\nasync def f(p):\r\n    return (await asyncio.to_thread(os.stat, p)).st_size\r\n",
        ),
        (  # a with block that is provably equivalent in a worker thread
            "import asyncio\nasync def f(path):\n    with open(path) as f:\n        data = f.read()\n    return data\n",
            "import asyncio\nasync def f(path):\n    def blocking_read():\n        with open(path) as f:\n            return f.read()\n"
            "    data = await asyncio.to_thread(blocking_read)\n    return data\n",
        ),
        (  # a process run whose result is dropped: asyncio's own subprocess
            "import asyncio, subprocess\nasync def f():\n    subprocess.run(['ls', '-l'])\n",
            "import asyncio, subprocess\nasync def f():\n    await (await asyncio.create_subprocess_exec('ls', '-l')).wait()\n",
        ),
    ],
)
def test_fix(source, expected):
    assert _fixed(source) == expected


OPEN_READ_CLOSE = "import asyncio\nasync def f(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n"


@pytest.mark.parametrize(
    "source, expected",
    [
        (  # one file object opened, read and closed: one thread hop, the names used later come back
            OPEN_READ_CLOSE,
            "import asyncio\nasync def f(path):\n    def blocking_read():\n        f = open(path)\n        data = f.read()\n"
            "        f.close()\n        return data\n    data = await asyncio.to_thread(blocking_read)\n    return data\n",
        ),
        (  # several names, comments kept, a return ends the run
            "import asyncio\nasync def f(p, text):\n    # log file\n    out = open(p, 'a')\n    n = out.write(text)  # one line\n"
            "    where = out.tell()\n    return out.close()\n",
            "import asyncio\nasync def f(p, text):\n    # log file\n    def blocking_write():\n        out = open(p, 'a')\n"
            "        n = out.write(text)  # one line\n        where = out.tell()\n        return out.close()\n"
            "    return await asyncio.to_thread(blocking_write)\n",
        ),
        (  # a name used before the run keeps its own meaning: only the call moves
            "import asyncio\nasync def f(path, data):\n    print(data)\n    f = open(path)\n    data = f.read()\n    f.close()\n",
            "import asyncio\nasync def f(path, data):\n    print(data)\n    f = await asyncio.to_thread(open, path)\n"
            "    data = f.read()\n    f.close()\n",
        ),
        (  # the file object used after the run: only the call moves
            "import asyncio\nasync def f(path):\n    f = open(path)\n    f.read()\n    print(f)\n",
            "import asyncio\nasync def f(path):\n    f = await asyncio.to_thread(open, path)\n    f.read()\n    print(f)\n",
        ),
        (  # a plain name where no code of the function uses it, whatever other functions call theirs
            "import asyncio\nasync def g():\n    task = 1\nasync def f():\n    asyncio.create_task(g())\n",
            "import asyncio\n\nbackground_tasks = set()\n\nasync def g():\n    task = 1\nasync def f():\n    task = asyncio.create_task(g())\n"
            "    background_tasks.add(task)\n    task.add_done_callback(background_tasks.discard)\n",
        ),
        (  # numbered only when the function itself uses the plain name
            "import asyncio\nasync def f(task):\n    asyncio.create_task(g(task))\nasync def g(x):\n    pass\n",
            "import asyncio\n\nbackground_tasks = set()\n\nasync def f(task):\n    task_2 = asyncio.create_task(g(task))\n"
            "    background_tasks.add(task_2)\n    task_2.add_done_callback(background_tasks.discard)\nasync def g(x):\n    pass\n",
        ),
    ],
)
def test_fix_of_the_first_finding(source, expected):
    assert _fixed(source) == expected


def test_every_finding_of_a_file_run_gets_the_same_single_rewrite():
    findings = analyze(OPEN_READ_CLOSE).findings
    assert [finding.code for finding in findings] == ["ASYNC230", "ASYNC232", "ASYNC232"]
    rewritten = {
        apply_edits(OPEN_READ_CLOSE, compute_fix(OPEN_READ_CLOSE, finding, offered_fixes(finding)[0].recipe))
        for finding in findings
    }
    assert rewritten == {_fixed(OPEN_READ_CLOSE)}
    result = fix_all(OPEN_READ_CLOSE)
    assert result.source == _fixed(OPEN_READ_CLOSE) and result.remaining == []
    assert result.source.count("to_thread") == 1


@pytest.mark.parametrize(
    "source",
    [
        "import time\nasync def f():\n    return [time.sleep(1) for _ in range(3)]\n",  # comprehension
        "import time\nasync def f():\n    return (time.sleep(1) for _ in range(3))\n",  # generator expression
        "import os\nasync def f():\n    g = lambda p: os.stat(p)\n",  # lambda: not even reported
        "import asyncio\nasync def f(path):\n    with open(path) as f:\n        data = f.read()\n    print(f.closed)\n",  # f used later
        "import asyncio\nasync def f(path):\n    with open(path) as f:\n        await g(f)\n",  # await inside
        "from urllib.request import urlopen\nasync def f(u):\n    return urlopen(u).read()\n",  # receiver of a method call
        "import os\nasync def f(p):\n    for entry in os.walk(p):\n        pass\n",  # lazy iterator
        "import sqlite3\nasync def f():\n    db = sqlite3.connect('x')\n",  # thread-bound object
        "import time\nasyncio = None\nasync def f():\n    time.sleep(1)\n",  # `asyncio` means something else
    ],
)
def test_no_fix_where_it_could_change_meaning(source):
    for finding in analyze(source).findings[:1]:
        assert all(compute_fix(source, finding, offer.recipe) is None for offer in offered_fixes(finding))


@pytest.mark.parametrize(
    "line, expected",
    [
        ("    time.sleep(1)", "    time.sleep(1)  # noqa: ASYNC251"),
        ("    time.sleep(1)  # wait for it", "    time.sleep(1)  # wait for it  # noqa: ASYNC251"),
        ("    time.sleep(1)  # noqa: AP101", "    time.sleep(1)  # noqa: AP101, ASYNC251"),
    ],
)
def test_suppression_adds_or_extends_noqa(line, expected):
    source = f"import time\nasync def f():\n{line}\n"
    [finding] = analyze(source).findings
    fixed = apply_edits(source, compute_suppression(source, finding))
    assert fixed == f"import time\nasync def f():\n{expected}\n"
    assert analyze(fixed).findings == []


def test_no_suppression_where_the_line_ends_inside_a_string():
    source = 'import requests\nasync def f():\n    requests.post("u", data="""a\nb""")\n'
    [finding] = analyze(source).findings
    assert compute_suppression(source, finding) is None


def test_fix_all_reaches_a_fixed_point_in_one_call():
    source = "import os, time, shutil\nasync def f(a, b):\n    time.sleep(1)\n    shutil.copy(a, os.path.join(b, 'x'))\n    if os.path.exists(a):\n        os.remove(a)\n"
    result = fix_all(source)
    assert len(result.fixed) == 4 and result.remaining == []
    assert result.source.count("import asyncio") == 1
    assert not fix_all(result.source).changed


def test_check_fix_rewrites_files_and_is_idempotent(tmp_path, capsys):
    path = tmp_path / "app.py"
    path.write_text("import time\n\n\nasync def main():\n    time.sleep(1)  # pause\n", encoding="utf-8")
    assert main(["check", "--no-cache", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "import asyncio\nimport time\n\n\nasync def main():\n    await asyncio.sleep(1)  # pause\n"
    assert "fixed 1 (ASYNC251)" in capsys.readouterr().err
    assert main(["check", "--no-cache", "--fix", str(path)]) == 0
    assert "fixed" not in capsys.readouterr().err
