"""The HTTP sender under the processor: receipts, redeliveries, crashes and deadlines."""

from __future__ import annotations

from pathlib import Path

import pytest
from http_support import Receiver, Sleeps, make_sender
from support import FakePublisher, fixed_clock, record, request_value

from notifier.processor import Outcome, Processor
from notifier.store import DedupStore


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
