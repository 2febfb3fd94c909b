"""pygls' protocol, made to answer every request, as JSON-RPC and LSP require.

pygls 2.1 drops two kinds of request without a response, which leaves the client waiting forever:
a request whose params do not fit the method's type (it fails while the JSON is decoded, before any
handler runs), and any request after `shutdown` (LSP wants an InvalidRequest error for those).
"""

from __future__ import annotations

from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCRequest


class _AnsweredRequest:
    """What decoding yields for a request that was already answered with an error."""


ANSWERED = _AnsweredRequest()


class AnsweringProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if not ("method" in data and isinstance(data.get("id"), (int, str))):
                raise
            self._send_response(data["id"], None, error.to_response_error())
            return ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is ANSWERED:
            return
        if self._shutdown and isinstance(message, RPCRequest):
            self._send_response(
                message.id, None, JsonRpcInvalidRequest("the server is shutting down").to_response_error()
            )
            return
        super().handle_message(message)
