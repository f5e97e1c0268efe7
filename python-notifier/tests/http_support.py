"""Test helpers for the HTTP sender: a scripted local receiver, a recording sleep."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support import fixed_clock

from notifier.http_sender import HttpSender, RetryPolicy

TOKEN = "test-token"


class Receiver:
    """A local "send to me" endpoint answering from a script: ``plan(request_no, text)``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.delivered: list[dict] = []
        self.plan: Callable[[int, str], int] = lambda _n, _text: 200
        self.location = ""  # where a 3xx answer points
        self.release = threading.Event()  # a "hang" answer waits for this
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v2/api/talk/memo/send"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                form = urllib.parse.parse_qs(body)
                template = json.loads(form["template_object"][0])
                seen = {"headers": dict(self.headers), "template": template}
                with receiver.lock:
                    receiver.requests.append(seen)
                    status = receiver.plan(len(receiver.requests), template["text"])
                if status == 0:
                    receiver.release.wait(10)
                    status = 200
                elif status == 200:
                    with receiver.lock:
                        receiver.delivered.append(template)
                self.send_response(status)
                if 300 <= status <= 399:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"result_code":0}' if status == 200 else b'{"msg":"nope"}')

            def log_message(self, *_args: object) -> None:
                pass

        return Handler

    def start(self) -> "Receiver":
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Sleeps:
    """An injected sleep that only records how long it was asked to wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_sender(url: str, sleeps: Sleeps, attempts: int = 4, timeout: float = 5.0) -> HttpSender:
    return HttpSender(
        url,
        TOKEN,
        timeout,
        RetryPolicy(max_attempts=attempts, base=0.5, cap=8.0),
        sleep=sleeps,
        clock=fixed_clock,
        handlers=[urllib.request.ProxyHandler({})],
        allow_http=True,  # the local receiver speaks plain http
    )
