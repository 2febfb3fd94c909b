import os
import sys

# `python -m` puts the working folder first on sys.path, and editors start the server in the
# user's workspace: a workspace file named like a module imported from here on (json.py,
# tomllib.py, libcst/) would run inside the server. Only this package itself is found that way.
# `sys.flags.safe_path` (PYTHONSAFEPATH, -P) is new in 3.11; on 3.10 the entry is always there.
if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from async_patterns.cli import main  # noqa: E402

raise SystemExit(main())
