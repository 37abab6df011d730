"""A tiny HTTP server on a free loopback port that records JSON posts, for fakes of other services.

Tests stand in for Slack's Web API, a customer's callback inbox and the data service with it:
each passes a `respond(path, body, headers)` that returns the status and JSON answer.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from tests.ports import free_port

Respond = Callable[[str, Any, Mapping[str, str]], Tuple[int, Optional[Dict[str, Any]]]]


class LoopbackJsonServer:
    """Serves POSTs with `respond` on a daemon thread until `stop()`."""

    def __init__(self, respond: Respond) -> None:
        """Starts listening at once on 127.0.0.1 and a free port."""

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                status, answer = respond(self.path, body, self.headers)
                payload = json.dumps(answer).encode() if answer is not None else b""
                self.send_response(status)
                if answer is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self._server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stops serving."""
        self._server.shutdown()
