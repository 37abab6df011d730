"""A real HTTP server on loopback whose answers each test scripts (no mocks of requests)."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel


@dataclass
class Reply:
    """One scripted answer: a status and JSON body, or a delay, or a dropped connection."""

    status: int = 200
    body: Any = None  # JSON-serializable, a pydantic model, or bytes sent as they are
    headers: Dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without answering

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, default=_model_as_json).encode()


def _model_as_json(value: Any) -> Any:
    """Pydantic models (also inside lists) as the API sends them: their own `.json()`."""
    if isinstance(value, BaseModel):
        return json.loads(value.json())
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


@dataclass
class SeenRequest:
    """A request as the server received it (header names lower-case)."""

    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def error(
    status: int,
    code: str,
    message: str,
    details: Optional[list] = None,
    headers: Optional[Dict[str, str]] = None,
) -> Reply:
    """A reply shaped like the service's `ErrorOut`."""
    body: Dict[str, Any] = {"error": code, "message": message}
    if details is not None:
        body["details"] = details
    return Reply(status, body, headers=headers or {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) breaks the pipe: expected here, not worth a trace."""


class ScriptedServer:
    """Answers with queued replies (the last one repeats) or with a routing function."""

    def __init__(self) -> None:
        self.requests: List[SeenRequest] = []
        self._replies: List[Reply] = [Reply(404, {"error": "not_found", "message": "unscripted"})]
        self._route: Optional[Callable[[SeenRequest], Reply]] = None
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, *replies: Reply) -> None:
        """Answers the next requests with `replies` in order, then keeps repeating the last."""
        with self._lock:
            self._replies = list(replies)
            self._route = None

    def route(self, route: Callable[[SeenRequest], Reply]) -> None:
        """Answers every request with `route(request)`."""
        with self._lock:
            self._route = route

    def start(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, seen: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if self._route is not None:
                return self._route(seen)
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]

    def _handler_class(self) -> type:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like uvicorn

            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                headers = {name.lower(): value for name, value in self.headers.items()}
                seen = SeenRequest(self.command, url.path, parse_qs(url.query), headers, body)
                reply = server._next_reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                payload = reply.payload()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PUT = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests assert on `server.requests` instead."""

        return Handler


def refusing_port() -> socket.socket:
    """A bound socket that does not listen: connecting to its port is refused. Close it after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock
