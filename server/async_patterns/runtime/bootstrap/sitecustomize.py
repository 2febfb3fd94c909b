"""Loads the loop-stall monitor into a program started by `async-patterns run`.

`run` puts this folder first on PYTHONPATH, so every Python process of the run (and its Python
children) imports this module at start-up. It loads the `runtime` package from its folder under a
private name (the program's interpreter need not have async_patterns installed, and a module of the
program's own cannot be shadowed), installs the monitor, takes this folder off `sys.path` again, and
runs the `sitecustomize` it shadowed, if there is one, as Python would have.
"""

import os
import sys


def _load_monitor() -> None:
    import importlib.util

    runtime = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    name = "_async_patterns_runtime"
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(runtime, "__init__.py"), submodule_search_locations=[runtime]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    from _async_patterns_runtime import monitor

    monitor.install_from_environment()


def _run_shadowed_sitecustomize() -> None:
    here = sys.modules[__name__]
    folder = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if not entry or os.path.abspath(entry) != folder]
    del sys.modules[__name__]
    try:
        import sitecustomize  # noqa: F401  (the next one on sys.path)
    except ImportError as error:
        if error.name != "sitecustomize":
            raise
        # None to run: leave this module in its place, as the import system expects.
        sys.modules[__name__] = here


try:
    _load_monitor()
except Exception as error:  # the program must run even when the monitor cannot
    print(f"async-patterns: the loop-stall monitor could not start: {error!r}", file=sys.stderr)
_run_shadowed_sitecustomize()
