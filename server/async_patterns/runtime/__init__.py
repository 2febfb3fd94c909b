"""Runtime stalls: what the event loop did while a program ran, recorded where the editor can show it.

`monitor` runs inside the user's program (started by `launcher` through `bootstrap/`, or by
`pytest_plugin`): a watchdog thread notices when an asyncio event loop has not come back for longer
than a threshold and samples the loop thread's stack meanwhile. `records` is the stalls.json format:
written by the monitor, read (through its pure parser) by the language server.

Everything here that runs inside the user's program imports only the standard library and this
package's own modules, relatively, so that it works under any interpreter from Python 3.10 on,
whether this package is installed there or loaded from its folder by the bootstrap.
"""
