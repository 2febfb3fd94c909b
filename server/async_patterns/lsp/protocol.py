"""pygls' protocol, made to answer every request, as JSON-RPC and LSP require, and to forget
every notification once it is handled.

pygls 2.1 drops two kinds of request without a response, which leaves the client waiting forever:
a request whose params do not fit the method's type (it fails while the JSON is decoded, before any
handler runs), and any request after `shutdown` (LSP wants an InvalidRequest error for those).
Input it cannot decode (a body that is not JSON, params of the wrong shape) is reported as one line
naming what was wrong, the method and the document, instead of pygls' tracebacks; a notification
that cannot be decoded is dropped. It also files the future of each notification handled by a generator or coroutine (didOpen,
didChange, didClose ...) under a fresh id among the pending requests and never removes it: about
1 KB for every notification, kept for the server's life.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from cattrs import transform_error
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCRequest


class _AnsweredRequest:
    """What decoding yields for a request that was already answered with an error."""


ANSWERED = _AnsweredRequest()


# What pygls' reader raises for a body it cannot decode at all.
UNDECODABLE_BODY = (json.JSONDecodeError, UnicodeDecodeError)


class AnsweringProtocol(LanguageServerProtocol):
    report_malformed: Callable[[str], None] = staticmethod(lambda line: None)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            self.report_malformed(_malformed_line(data, error))
            if "method" in data and isinstance(data.get("id"), (int, str)):
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

    def _handle_notification(self, method_name: str, params: Any) -> None:
        pending = set(self._request_futures)
        super()._handle_notification(method_name, params)
        for filed_id in self._request_futures.keys() - pending:
            self._request_futures[filed_id].add_done_callback(
                lambda _, filed_id=filed_id: self._request_futures.pop(filed_id, None)
            )


def _malformed_line(data: dict[str, Any], error: JsonRpcException) -> str:
    method = data.get("method")
    what = f"{method} message" if isinstance(method, str) else "message"
    params = data.get("params")
    document = params.get("textDocument") if isinstance(params, dict) else None
    uri = document.get("uri") if isinstance(document, dict) else None
    where = f" for {uri}" if isinstance(uri, str) else ""
    cause = error.__cause__
    try:
        reasons = transform_error(cause) if cause is not None else [str(error)]
    except Exception:  # not a cattrs error: its own text says enough
        reasons = [f"{type(cause).__name__}: {cause}"]
    return f"ignored a malformed {what}{where}: {'; '.join(reasons)}"


class DecodingTracebacks(logging.Filter):
    """Drops pygls' tracebacks about input it could not decode; the server logs one line for each."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Unable to deserialize message"):
            return False
        failure = record.exc_info[1] if record.exc_info else None
        return not (record.msg == "Unable to handle message" and isinstance(failure, UNDECODABLE_BODY))
