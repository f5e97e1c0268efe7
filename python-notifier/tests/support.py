"""Test helpers: request events, a recording publisher, polling with a deadline, reading and
writing Kafka topics."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from confluent_kafka import Consumer, Producer, TopicPartition

from notifier.payload import Headers, Outgoing, Record

FIXED_NOW = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    """A clock that always says 2024-05-01T12:00:00.123Z."""
    return FIXED_NOW


def request_data(notification_id: str, order_id: str = "o-1", **overrides: object) -> dict:
    """The ``data`` of a ``notification.requested`` event."""
    data = {
        "notificationId": notification_id,
        "orderId": order_id,
        "customerId": "c-1",
        "recipientPhone": "010-1234-5678",
        "template": "order_accepted",
        "text": "[배달] 주문이 접수되었습니다 ...\n[Baedal] Your order was accepted ...",
        "buttons": [
            {"title": "주문 확인 Track order", "url": f"http://127.0.0.1:8080/#/orders/{order_id}"}
        ],
    }
    data.update(overrides)
    return data


def request_event(notification_id: str, order_id: str = "o-1", **overrides: object) -> dict:
    """A whole ``notification.requested`` CloudEvent."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/notify",
        "type": "notification.requested",
        "subject": order_id,
        "time": "2024-05-01T12:00:00Z",
        "datacontenttype": "application/json",
        "data": request_data(notification_id, order_id, **overrides),
    }


def request_value(notification_id: str, order_id: str = "o-1", **overrides: object) -> bytes:
    """A request event as a record value."""
    return json.dumps(request_event(notification_id, order_id, **overrides)).encode("utf-8")


def record(value: bytes | None, offset: int = 0, key: bytes | None = b"o-1") -> Record:
    """A consumed record of the requests topic."""
    return Record("notification-requests", 0, offset, key, value)


class PublishError(Exception):
    """A record Kafka did not take (the stand-in publishers raise it per record)."""


class Crash(Exception):
    """Stands in for the process dying."""


class FakePublisher:
    """Records what was published and counts the flushes (``publish_many`` calls); can be told
    to fail the next n records."""

    def __init__(self) -> None:
        self.records: list[tuple[str, str | None, bytes, Headers]] = []
        self.failures = 0
        self.flushes = 0

    def publish(self, topic: str, key: str | None, value: bytes, headers: Headers) -> None:
        """Remember the record, or fail while ``failures`` > 0."""
        if self.failures > 0:
            self.failures -= 1
            raise PublishError("broker unavailable (test)")
        self.records.append((topic, key, value, headers))

    def publish_many(self, records: Sequence[Outgoing]) -> list[str | None]:
        """:meth:`publish` each record; the error of each, ``None`` when it was taken."""
        self.flushes += 1
        errors: list[str | None] = []
        for record in records:
            try:
                self.publish(record.topic, record.key, record.value, record.headers)
                errors.append(None)
            except PublishError as err:
                errors.append(str(err))
        return errors

    def on(self, topic: str) -> list[dict]:
        """The JSON values published on ``topic``."""
        return [json.loads(value) for t, _k, value, _h in self.records if t == topic]


def wait_for(
    condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05
) -> object:
    """Poll ``condition`` until it returns something truthy or ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def outbox_ids(path) -> list[str]:
    """The notificationIds in an outbox file, in order, torn lines ignored."""
    if not path.exists():
        return []
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            ids.append(json.loads(line)["notificationId"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return ids


class TopicReader:
    """Reads a whole topic from the start and keeps every record."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = Consumer(
            {
                "bootstrap.servers": bootstrap,
                "group.id": f"test-reader-{uuid.uuid4().hex[:8]}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        self.consumer.subscribe([topic])
        self.records: list[tuple[str, dict, list]] = []

    def poll(self) -> None:
        """Fetch what is there (waits up to 0.2 s)."""
        msg = self.consumer.poll(0.2)
        if msg is not None and msg.error() is None:
            value = json.loads(msg.value()) if msg.value()[:1] == b"{" else {}
            self.records.append((msg.key().decode(), value, msg.headers() or []))

    def until(self, condition, timeout: float, what: str) -> None:
        """Poll until ``condition(self)`` holds."""

        def check() -> bool:
            self.poll()
            return condition(self)

        wait_for(check, timeout, what, interval=0)

    def notification_ids(self, event_type: str) -> list[str]:
        """The notificationIds of the receipts of ``event_type`` seen so far."""
        return [
            v["data"]["notificationId"] for _k, v, _h in self.records if v["type"] == event_type
        ]

    def close(self) -> None:
        self.consumer.close()


def produce(bootstrap: str, topic: str, records: list[tuple[str, bytes]]) -> None:
    """Write ``(key, value)`` records in order and wait for the broker."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for key, value in records:
        producer.produce(topic, key=key, value=value)
    assert producer.flush(30) == 0


def committed_offset(bootstrap: str, group: str, topic: str) -> int:
    """The offset ``group`` committed on partition 0 of ``topic``."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        [partition] = consumer.committed([TopicPartition(topic, 0)], timeout=10)
        return partition.offset
    finally:
        consumer.close()
