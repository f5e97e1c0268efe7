"""One record at a time: dedup, crash windows, malformed records (no Kafka)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from support import Crash, FakePublisher, fixed_clock, outbox_ids, record, request_value

from notifier.payload import Notification, SendResult, parse_request
from notifier.processor import Outcome, Processor
from notifier.senders import OutboxSender
from notifier.store import DedupStore

RECEIPTS = "notification-receipts"
DLQ = "notification-requests.dlq"
FIXED_AT = "2024-05-01T12:00:00.123Z"


class Node:
    """One run of the notifier: a store, an outbox sender and a processor (restartable)."""

    def __init__(self, tmp_path: Path, publisher: FakePublisher | None = None) -> None:
        self.outbox = tmp_path / "outbox.jsonl"
        self.store = DedupStore(tmp_path / "state.sqlite3")
        self.sender = OutboxSender(self.outbox, clock=fixed_clock)
        self.publisher = publisher or FakePublisher()
        self.stop = threading.Event()
        self.processor = Processor(
            self.store,
            self.sender,
            self.publisher,
            RECEIPTS,
            dlq_topic=DLQ,
            group="baedal-notifier",
            stop=self.stop,
            clock=fixed_clock,
            publish_retry_s=0.0,
        )

    def restart(self, tmp_path: Path) -> "Node":
        """A new run on the same files (the old one just died)."""
        self.store.close()
        return Node(tmp_path, self.publisher)


def test_a_request_is_delivered_recorded_and_receipted(tmp_path: Path) -> None:
    node = Node(tmp_path)

    outcome = node.processor.handle_batch([record(request_value("n-1", "o-1"))])[0]

    assert outcome is Outcome.DELIVERED
    lines = [json.loads(line) for line in node.outbox.read_text().splitlines()]
    assert lines == [
        {**json.loads(request_value("n-1", "o-1"))["data"], "deliveredAt": lines[0]["deliveredAt"]}
    ]
    assert lines[0]["deliveredAt"] == "2024-05-01T12:00:00.123Z"
    [(topic, key, _value, _headers)] = node.publisher.records
    assert (topic, key) == (RECEIPTS, "o-1")
    [receipt] = node.publisher.on(RECEIPTS)
    assert receipt["type"] == "notification.sent"
    assert receipt["data"]["status"] == "sent"
    entry = node.store.get("n-1")
    assert (entry.status, entry.published) == ("sent", True)


def test_a_duplicate_notification_is_neither_sent_nor_receipted_again(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.processor.handle_batch([record(request_value("n-1"), offset=0)])[0]

    outcome = node.processor.handle_batch([record(request_value("n-1"), offset=1)])[0]

    assert outcome is Outcome.DUPLICATE
    assert outbox_ids(node.outbox) == ["n-1"]
    assert len(node.publisher.on(RECEIPTS)) == 1


def test_a_redelivery_after_a_restart_is_not_sent_again(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.processor.handle_batch([record(request_value("n-1"))])[0]

    node = node.restart(tmp_path)
    outcome = node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.DUPLICATE
    assert outbox_ids(node.outbox) == ["n-1"]


def test_a_crash_between_outbox_write_and_record_does_not_duplicate(tmp_path: Path) -> None:
    node = Node(tmp_path)
    real_send = node.sender.send_many

    def send_then_die(notifications: list[Notification]) -> list[SendResult]:
        real_send(notifications)
        raise Crash()

    node.sender.send_many = send_then_die
    with pytest.raises(Crash):
        node.processor.handle_batch([record(request_value("n-1"))])[0]
    assert node.store.get("n-1").status == "sending"

    node = node.restart(tmp_path)
    outcome = node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.DELIVERED
    assert outbox_ids(node.outbox) == ["n-1"]
    [receipt] = node.publisher.on(RECEIPTS)
    assert receipt["data"]["status"] == "sent"
    assert receipt["data"]["at"] == "2024-05-01T12:00:00.123Z"


def test_a_crash_before_the_outbox_write_sends_on_redelivery(tmp_path: Path) -> None:
    node = Node(tmp_path)

    def die(_notifications: list[Notification]) -> list[SendResult]:
        raise Crash()

    node.sender.send_many = die
    with pytest.raises(Crash):
        node.processor.handle_batch([record(request_value("n-1"))])[0]

    node = node.restart(tmp_path)
    node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outbox_ids(node.outbox) == ["n-1"]
    assert node.store.get("n-1").status == "sent"


def test_a_receipt_lost_in_a_crash_is_republished_identically(tmp_path: Path) -> None:
    publisher = FakePublisher()
    node = Node(tmp_path, publisher)
    publisher.failures = 1
    node.stop.set()  # shutting down: the receipt is not retried

    outcome = node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.INCOMPLETE
    assert not outcome.handled
    assert node.store.get("n-1").status == "sent"
    expected = node.store.get("n-1").receipt

    node = node.restart(tmp_path)
    outcome = node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.REPUBLISHED
    assert outbox_ids(node.outbox) == ["n-1"]
    [(_topic, key, value, _headers)] = publisher.records
    assert (key, value.decode()) == ("o-1", expected)


def test_a_failing_receipt_publish_is_retried_while_running(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.publisher.failures = 2

    outcome = node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.DELIVERED
    assert len(node.publisher.on(RECEIPTS)) == 1
    assert node.store.get("n-1").published


@pytest.mark.parametrize(
    "value",
    [b"not json", None, b'{"specversion":"1.0"}', b'{"specversion":"1.0","id":"x"}'],
)
def test_a_malformed_record_is_skipped_and_dead_lettered(tmp_path: Path, value) -> None:
    node = Node(tmp_path)

    outcome = node.processor.handle_batch([record(value, offset=7)])[0]
    after = node.processor.handle_batch([record(request_value("n-2"), offset=8)])[0]

    assert outcome is Outcome.MALFORMED
    assert outcome.handled
    assert after is Outcome.DELIVERED
    assert outbox_ids(node.outbox) == ["n-2"]
    [(topic, key, dead, headers)] = [r for r in node.publisher.records if r[0] == DLQ]
    assert (topic, key, dead) == (DLQ, "o-1", value or b"")
    header = dict(headers)
    assert header["baedal.reason"]
    assert header["baedal.topic"] == b"notification-requests"
    assert header["baedal.offset"] == b"7"


def test_a_record_without_text_is_skipped(tmp_path: Path) -> None:
    node = Node(tmp_path)

    outcome = node.processor.handle_batch([record(request_value("n-1", text=None))])[0]

    assert outcome is Outcome.MALFORMED
    assert outbox_ids(node.outbox) == []
    assert node.store.get("n-1") is None


def test_a_dead_letter_that_cannot_be_published_is_still_skipped(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.publisher.failures = 1

    assert node.processor.handle_batch([record(b"not json")])[0] is Outcome.MALFORMED
    assert node.publisher.records == []


def test_without_a_dlq_topic_malformed_records_are_only_logged(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.processor.dlq_topic = ""

    assert node.processor.handle_batch([record(b"not json")])[0] is Outcome.MALFORMED
    assert node.publisher.records == []


def test_a_torn_last_outbox_line_does_not_swallow_the_next_one(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.outbox.write_text('{"notificationId": "n-0", "te')

    node.processor.handle_batch([record(request_value("n-1"))])[0]

    assert outbox_ids(node.outbox) == ["n-1"]
    n0, n1 = (parse_request(request_value(n)) for n in ("n-0", "n-1"))
    assert node.sender.recover_many([n0, n1]) == [None, SendResult("sent", 1, FIXED_AT)]


class UnknownOutcomeSender:
    """A sender like HTTP: an interrupted send's outcome is unknown, so it is reported failed."""

    name = "http"
    exact_recovery = False

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_many(self, notifications: list[Notification]) -> list[SendResult]:
        self.sent.extend(n.notification_id for n in notifications)
        return [SendResult("sent", 1, "t") for _ in notifications]

    def recover_many(self, notifications: list[Notification]) -> list[SendResult | None]:
        return [SendResult("failed", 1, "t", "outcome unknown") for _ in notifications]


def test_an_interrupted_send_with_unknown_outcome_is_not_resent(tmp_path: Path) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    store.claim(["n-1"], "t0")  # a previous run crashed while sending
    sender = UnknownOutcomeSender()
    publisher = FakePublisher()
    processor = Processor(store, sender, publisher, RECEIPTS, clock=fixed_clock)

    outcome = processor.handle_batch([record(request_value("n-1"))])[0]

    assert outcome is Outcome.DELIVERED
    assert sender.sent == []
    [receipt] = publisher.on(RECEIPTS)
    assert receipt["type"] == "notification.failed"
    assert receipt["data"]["error"] == "outcome unknown"
