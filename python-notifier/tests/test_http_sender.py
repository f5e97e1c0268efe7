"""The HTTP sender against a real local HTTP receiver."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import FakePublisher, fixed_clock, free_port, record, request_value

from notifier.payload import kakao_template, parse_request
from notifier.processor import Outcome, Processor
from notifier.http_sender import RetryPolicy
from notifier.senders import HttpSender
from notifier.store import DedupStore

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


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


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


def test_two_server_errors_then_success_is_one_delivery(receiver: Receiver) -> None:
    receiver.plan = lambda n, _text: 500 if n <= 2 else 200
    sleeps = Sleeps()
    notification = parse_request(request_value("n-1", "o-1"))

    result = make_sender(receiver.url, sleeps).send(notification)

    assert (result.status, result.attempts, result.error) == ("sent", 3, "")
    assert receiver.delivered == [kakao_template(notification)]
    assert len(receiver.requests) == 3
    assert len(sleeps.delays) == 2
    assert 0 <= sleeps.delays[0] <= 0.5 and 0 <= sleeps.delays[1] <= 1.0


def test_the_request_is_a_kakao_send_to_me_form_with_the_token(receiver: Receiver) -> None:
    notification = parse_request(request_value("n-1", "o-1"))

    make_sender(receiver.url, Sleeps()).send(notification)

    [seen] = receiver.requests
    assert seen["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert seen["headers"]["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert seen["headers"]["Idempotency-Key"] == "n-1"
    assert seen["template"]["object_type"] == "text"
    assert seen["template"]["button_title"] == "주문 확인 Track order"
    assert seen["template"]["link"]["web_url"] == "http://127.0.0.1:8080/#/orders/o-1"


def test_a_client_error_is_not_retried(receiver: Receiver) -> None:
    receiver.plan = lambda _n, _text: 401
    sleeps = Sleeps()

    result = make_sender(receiver.url, sleeps).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 1)
    assert result.error.startswith("HTTP 401")
    assert sleeps.delays == []


def test_throttling_is_retried(receiver: Receiver) -> None:
    receiver.plan = lambda n, _text: 429 if n == 1 else 200

    result = make_sender(receiver.url, Sleeps()).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("sent", 2)


def test_a_hanging_server_times_out_and_is_retried(receiver: Receiver) -> None:
    receiver.plan = lambda _n, _text: 0  # hang until released
    sleeps = Sleeps()
    sender = make_sender(receiver.url, sleeps, attempts=2, timeout=0.3)

    result = sender.send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 2)
    assert "timed out" in result.error
    assert len(sleeps.delays) == 1


def test_a_refused_connection_is_retried_then_failed() -> None:
    url = f"http://127.0.0.1:{free_port()}/send"
    sleeps = Sleeps()

    result = make_sender(url, sleeps, attempts=3).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 3)
    assert "refused" in result.error.lower()
    assert len(sleeps.delays) == 2


def test_an_always_failing_send_is_receipted_failed_and_the_next_one_goes_out(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.plan = lambda _n, text: 503 if "first" in text else 200
    sleeps = Sleeps()
    publisher = FakePublisher()
    store = DedupStore(tmp_path / "state.sqlite3")
    processor = Processor(
        store, make_sender(receiver.url, sleeps), publisher, "receipts", clock=fixed_clock
    )

    first = processor.handle_batch([record(request_value("n-1", "o-1", text="first message"), 0)])[
        0
    ]
    second = processor.handle_batch(
        [record(request_value("n-2", "o-2", text="second message"), 1)]
    )[0]

    assert (first, second) == (Outcome.DELIVERED, Outcome.DELIVERED)
    failed, sent = publisher.on("receipts")
    assert failed["type"] == "notification.failed"
    assert failed["data"]["status"] == "failed"
    assert failed["data"]["attempts"] == 4
    assert failed["data"]["error"].startswith("HTTP 503")
    assert failed["data"]["channel"] == "kakao"
    assert sent["type"] == "notification.sent"
    assert sent["data"]["attempts"] == 1
    assert [t["text"] for t in receiver.delivered] == ["second message"]
    assert len(sleeps.delays) == 3
    assert all(0 <= d <= c for d, c in zip(sleeps.delays, (0.5, 1.0, 2.0)))
    assert store.get("n-1").status == "failed"


def test_a_failed_notification_is_not_retried_on_redelivery(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.plan = lambda _n, _text: 500
    store = DedupStore(tmp_path / "state.sqlite3")
    processor = Processor(
        store, make_sender(receiver.url, Sleeps(), attempts=2), FakePublisher(), "receipts"
    )
    processor.handle_batch([record(request_value("n-1"))])[0]

    assert processor.handle_batch([record(request_value("n-1"))])[0] is Outcome.DUPLICATE
    assert len(receiver.requests) == 2


def test_an_interrupted_http_send_is_reported_failed_without_a_request(
    receiver: Receiver, tmp_path: Path
) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    store.claim(["n-1"], "t0")  # the previous run died mid-send
    publisher = FakePublisher()
    processor = Processor(store, make_sender(receiver.url, Sleeps()), publisher, "receipts")

    processor.handle_batch([record(request_value("n-1"))])[0]

    assert receiver.requests == []
    [receipt] = publisher.on("receipts")
    assert receipt["type"] == "notification.failed"
    assert "outcome unknown" in receipt["data"]["error"]


def test_a_batch_with_one_failing_http_send_receipts_each_with_its_own_retries(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.plan = lambda _n, text: 503 if "second" in text else 200
    sleeps = Sleeps()
    publisher = FakePublisher()
    store = DedupStore(tmp_path / "state.sqlite3")
    processor = Processor(
        store, make_sender(receiver.url, sleeps), publisher, "receipts", clock=fixed_clock
    )
    texts = ["first message", "second message", "third message"]
    records = [
        record(request_value(f"n-{i}", f"o-{i}", text=text), i) for i, text in enumerate(texts)
    ]

    outcomes = processor.handle_batch(records)

    assert outcomes == [Outcome.DELIVERED] * 3
    assert [t["text"] for t in receiver.delivered] == ["first message", "third message"]
    assert len(receiver.requests) == 1 + 4 + 1
    assert len(sleeps.delays) == 3  # only the failing one backed off
    assert all(0 <= d <= c for d, c in zip(sleeps.delays, (0.5, 1.0, 2.0)))
    receipts = publisher.on("receipts")
    assert [(r["data"]["notificationId"], r["type"]) for r in receipts] == [
        ("n-0", "notification.sent"),
        ("n-1", "notification.failed"),
        ("n-2", "notification.sent"),
    ]
    assert receipts[1]["data"]["attempts"] == 4
    assert receipts[1]["data"]["error"].startswith("HTTP 503")


def test_a_crash_in_an_http_batch_leaves_only_the_call_in_flight_unknown(
    receiver: Receiver, tmp_path: Path
) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    sender = make_sender(receiver.url, Sleeps())
    processor = Processor(store, sender, FakePublisher(), "receipts", clock=fixed_clock)
    real_send = sender.send

    def die_on_n1(notification):
        if notification.notification_id == "n-1":
            raise RuntimeError("killed during the call (test)")
        return real_send(notification)

    sender.send = die_on_n1
    records = [record(request_value(f"n-{i}", f"o-{i}"), i) for i in range(3)]
    with pytest.raises(RuntimeError):
        processor.handle_batch(records)
    # Claimed one by one: n-0 recorded, n-1 in flight, n-2 not even claimed.
    assert [store.get(f"n-{i}") and store.get(f"n-{i}").status for i in range(3)] == [
        "sent",
        "sending",
        None,
    ]

    store.close()
    store = DedupStore(tmp_path / "state.sqlite3")
    publisher = FakePublisher()
    processor = Processor(
        store, make_sender(receiver.url, Sleeps()), publisher, "receipts", clock=fixed_clock
    )
    outcomes = processor.handle_batch(records)  # redelivered after the restart

    assert outcomes == [Outcome.REPUBLISHED, Outcome.DELIVERED, Outcome.DELIVERED]
    assert len(receiver.delivered) == 2  # n-0 before the crash, n-2 now; n-1 never resent
    assert [(r["data"]["notificationId"], r["type"]) for r in publisher.on("receipts")] == [
        ("n-0", "notification.sent"),
        ("n-1", "notification.failed"),
        ("n-2", "notification.sent"),
    ]


def test_an_http_batch_out_of_time_leaves_the_rest_unclaimed(
    receiver: Receiver, tmp_path: Path
) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    publisher = FakePublisher()
    processor = Processor(
        store, make_sender(receiver.url, Sleeps()), publisher, "receipts", clock=fixed_clock
    )
    records = [record(request_value(f"n-{i}", f"o-{i}"), i) for i in range(3)]

    outcomes = processor.handle_batch(records, deadline=0.0)  # long past

    assert outcomes == [Outcome.DELIVERED, Outcome.DEFERRED, Outcome.DEFERRED]
    assert not outcomes[1].handled
    assert len(receiver.delivered) == 1
    assert store.get("n-1") is None and store.get("n-2") is None
    assert len(publisher.on("receipts")) == 1

    assert processor.handle_batch(records[1:]) == [Outcome.DELIVERED] * 2  # consumed again
    assert len(receiver.delivered) == 3


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failure_and_the_token_never_reaches_the_other_host(
    receiver: Receiver, status: int
) -> None:
    elsewhere = Receiver().start()
    try:
        receiver.plan = lambda _n, _text: status
        receiver.location = elsewhere.url
        sleeps = Sleeps()

        result = make_sender(receiver.url, sleeps).send(parse_request(request_value("n-1")))

        assert result.status == "failed" and result.attempts == 1, "a 3xx is not retried"
        assert f"HTTP {status}" in result.error and "refused" in result.error
        assert len(receiver.requests) == 1
        assert elsewhere.requests == [], "the redirect was not followed"
        assert sleeps.delays == []
    finally:
        elsewhere.stop()


def test_a_plain_http_url_is_refused_unless_allowed() -> None:
    policy = RetryPolicy(max_attempts=1, base=0.5, cap=8.0)
    with pytest.raises(ValueError, match="https"):
        HttpSender("http://127.0.0.1:1/send", TOKEN, 1.0, policy)
    with pytest.raises(ValueError, match="https"):
        HttpSender("ftp://127.0.0.1/send", TOKEN, 1.0, policy, allow_http=True)
    assert HttpSender("https://kapi.example/send", TOKEN, 1.0, policy).url.startswith("https")
