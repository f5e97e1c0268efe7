"""Batches of records: one fsync, one flush, few transactions, and every guarantee (no Kafka)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from support import (
    Crash,
    PublishError,
    FakePublisher,
    fixed_clock,
    outbox_ids,
    record,
    request_value,
)

from notifier.payload import Notification, SendResult
from notifier.payload import Outgoing
from notifier.processor import Outcome, Processor
from notifier.senders import OutboxSender
from notifier.store import DedupStore, Finished

RECEIPTS = "notification-receipts"
DLQ = "notification-requests.dlq"


class RefusingSender(OutboxSender):
    """An outbox sender for which the notifications in ``refused`` fail (no line written)."""

    def __init__(self, path: Path, refused: set[str]) -> None:
        super().__init__(path, clock=fixed_clock)
        self.refused = refused

    def send_many(self, notifications: Sequence[Notification]) -> list[SendResult]:
        accepted = [n for n in notifications if n.notification_id not in self.refused]
        results = iter(super().send_many(accepted))
        return [
            (
                SendResult("failed", 1, "2024-05-01T12:00:00.123Z", "recipient blocked (test)")
                if n.notification_id in self.refused
                else next(results)
            )
            for n in notifications
        ]


class Node:
    """One run of the notifier: a store, an outbox sender and a processor (restartable)."""

    def __init__(self, tmp_path: Path, publisher: FakePublisher | None = None) -> None:
        self.tmp_path = tmp_path
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

    def restart(self) -> Node:
        """A new run on the same files (the old one just died)."""
        self.store.close()
        return Node(self.tmp_path, self.publisher)

    def receipt_ids(self) -> list[str]:
        """The notificationIds of the receipts published so far, in order."""
        return [r["data"]["notificationId"] for r in self.publisher.on(RECEIPTS)]


def batch(*ids: str) -> list:
    """Records of one partition at offsets 0, 1, ... requesting ``ids``."""
    return [record(request_value(nid, f"o-{nid}"), offset) for offset, nid in enumerate(ids)]


def test_a_batch_pays_one_fsync_one_flush_and_three_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = Node(tmp_path)
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    transactions: list[str] = []
    for name in ("claim", "finish", "mark_published"):
        real = getattr(node.store, name)
        monkeypatch.setattr(
            node.store,
            name,
            lambda *args, name=name, real=real: (transactions.append(name), real(*args))[1],
        )

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3", "n-4", "n-5"))

    assert outcomes == [Outcome.DELIVERED] * 5
    assert outbox_ids(node.outbox) == ["n-1", "n-2", "n-3", "n-4", "n-5"]
    assert len(fsyncs) == 1
    assert node.publisher.flushes == 1
    assert transactions == ["claim", "finish", "mark_published"]
    assert node.receipt_ids() == ["n-1", "n-2", "n-3", "n-4", "n-5"]
    assert all(node.store.get(f"n-{i}").published for i in range(1, 6))


def test_the_same_notification_twice_in_a_batch_is_sent_once(tmp_path: Path) -> None:
    node = Node(tmp_path)

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-1", "n-2", "n-1"))

    assert outcomes == [Outcome.DELIVERED] * 2 + [Outcome.DUPLICATE] * 3
    assert outbox_ids(node.outbox) == ["n-1", "n-2"]
    assert node.receipt_ids() == ["n-1", "n-2"]


def test_a_batch_repeating_an_earlier_notification_sends_only_the_new_one(
    tmp_path: Path,
) -> None:
    node = Node(tmp_path)
    node.processor.handle_batch(batch("n-1"))

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-1"))

    assert outcomes == [Outcome.DUPLICATE, Outcome.DELIVERED, Outcome.DUPLICATE]
    assert outbox_ids(node.outbox) == ["n-1", "n-2"]
    assert node.receipt_ids() == ["n-1", "n-2"]


def test_a_send_failing_for_one_notification_fails_only_that_one(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.sender = node.processor.sender = RefusingSender(node.outbox, refused={"n-2"})

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3"))

    assert outcomes == [Outcome.DELIVERED] * 3
    assert outbox_ids(node.outbox) == ["n-1", "n-3"]
    receipts = {r["data"]["notificationId"]: r for r in node.publisher.on(RECEIPTS)}
    assert sorted(receipts) == ["n-1", "n-2", "n-3"]
    assert receipts["n-2"]["type"] == "notification.failed"
    assert receipts["n-2"]["data"]["error"] == "recipient blocked (test)"
    assert receipts["n-1"]["type"] == receipts["n-3"]["type"] == "notification.sent"
    statuses = [(node.store.get(n).status, node.store.get(n).published) for n in receipts]
    assert statuses == [("sent", True), ("failed", True), ("sent", True)]


def test_a_receipt_kafka_refuses_is_retried_alone(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.publisher.failures = 1  # the first receipt of the batch

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3"))

    assert outcomes == [Outcome.DELIVERED] * 3
    assert node.receipt_ids() == ["n-2", "n-3", "n-1"]
    assert node.publisher.flushes == 2
    assert all(node.store.get(n).published for n in ("n-1", "n-2", "n-3"))


def test_receipts_not_published_when_a_stop_comes_leave_their_records_unhandled(
    tmp_path: Path,
) -> None:
    node = Node(tmp_path)

    def refuse_n2(topic: str, key, value: bytes, headers) -> None:
        if b'"n-2"' in value:
            node.stop.set()  # SIGTERM while Kafka refuses this receipt
            raise PublishError("broker unavailable (test)")
        node.publisher.records.append((topic, key, value, headers))

    node.publisher.publish = refuse_n2

    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3", "n-2"))

    assert outcomes == [Outcome.DELIVERED, Outcome.INCOMPLETE, Outcome.DELIVERED] + [
        Outcome.INCOMPLETE  # the repeat shares the fate of its first record
    ]
    assert node.receipt_ids() == ["n-1", "n-3"]
    assert (node.store.get("n-2").status, node.store.get("n-2").published) == ("sent", False)


def test_malformed_records_are_dead_lettered_with_the_receipts(tmp_path: Path) -> None:
    node = Node(tmp_path)
    without_text = request_value("n-2", text=None)
    records = [record(b"not json", 0), record(request_value("n-1"), 1), record(without_text, 2)]

    outcomes = node.processor.handle_batch(records)

    assert outcomes == [Outcome.MALFORMED, Outcome.DELIVERED, Outcome.MALFORMED]
    assert node.publisher.flushes == 1
    dead = [
        (value, dict(h)["baedal.offset"]) for t, _k, value, h in node.publisher.records if t == DLQ
    ]
    assert dead == [(b"not json", b"0"), (without_text, b"2")]
    assert node.receipt_ids() == ["n-1"]


def test_a_crash_between_send_and_receipts_republishes_them_at_restart(tmp_path: Path) -> None:
    node = Node(tmp_path)

    def die(_records: Sequence[Outgoing]) -> list[str | None]:
        raise Crash()

    node.publisher.publish_many = die
    with pytest.raises(Crash):
        node.processor.handle_batch(batch("n-1", "n-2", "n-3"))
    stored = {n: node.store.get(n).receipt for n in ("n-1", "n-2", "n-3")}
    assert all(node.store.get(n).status == "sent" for n in stored)
    del node.publisher.publish_many

    node = node.restart()
    assert node.processor.republish_unpublished(batch_size=2)
    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3"))  # redelivered

    assert outcomes == [Outcome.DUPLICATE] * 3
    assert outbox_ids(node.outbox) == ["n-1", "n-2", "n-3"]
    assert [value.decode() for _t, _k, value, _h in node.publisher.records] == list(stored.values())
    assert all(node.store.get(n).published for n in stored)
    assert node.processor.republish_unpublished(batch_size=2)  # nothing left
    assert len(node.publisher.records) == 3


def test_a_crash_before_receipts_is_also_repaired_by_the_redelivery(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.publisher.publish_many = lambda _records: (_ for _ in ()).throw(Crash())
    with pytest.raises(Crash):
        node.processor.handle_batch(batch("n-1", "n-2"))
    del node.publisher.publish_many

    node = node.restart()
    outcomes = node.processor.handle_batch(batch("n-1", "n-2"))

    assert outcomes == [Outcome.REPUBLISHED] * 2
    assert outbox_ids(node.outbox) == ["n-1", "n-2"]
    assert node.receipt_ids() == ["n-1", "n-2"]


def test_a_crash_between_outbox_write_and_record_does_not_duplicate_a_batch(
    tmp_path: Path,
) -> None:
    node = Node(tmp_path)
    real_send = node.sender.send_many

    def send_then_die(notifications: Sequence[Notification]) -> list[SendResult]:
        real_send(notifications)
        raise Crash()

    node.sender.send_many = send_then_die
    with pytest.raises(Crash):
        node.processor.handle_batch(batch("n-1", "n-2"))
    assert node.store.count("sending") == 2

    node = node.restart()
    outcomes = node.processor.handle_batch(batch("n-1", "n-2", "n-3"))  # redelivered, and more

    assert outcomes == [Outcome.DELIVERED] * 3
    assert outbox_ids(node.outbox) == ["n-1", "n-2", "n-3"]
    assert node.receipt_ids() == ["n-1", "n-2", "n-3"]
    assert node.store.count("sending") == 0


def test_a_crash_after_receipts_before_their_mark_republishes_the_same_events(
    tmp_path: Path,
) -> None:
    node = Node(tmp_path)
    node.store.mark_published = lambda _ids: (_ for _ in ()).throw(Crash())
    with pytest.raises(Crash):
        node.processor.handle_batch(batch("n-1", "n-2"))
    first = [json.loads(value) for _t, _k, value, _h in node.publisher.records]

    node = node.restart()
    assert node.processor.republish_unpublished(batch_size=200)

    again = [json.loads(value) for _t, _k, value, _h in node.publisher.records[2:]]
    assert again == first  # at-least-once receipts: the same events, same ids
    assert outbox_ids(node.outbox) == ["n-1", "n-2"]


def test_republishing_stops_when_a_stop_is_requested(tmp_path: Path) -> None:
    node = Node(tmp_path)
    node.store.claim(["n-1"], "t0")
    node.store.finish([Finished("n-1", "sent", "t1", json.dumps({"subject": "o-1", "type": "x"}))])
    node.publisher.failures = 1
    node.stop.set()

    assert node.processor.republish_unpublished(batch_size=200) is False
    assert not node.store.get("n-1").published
