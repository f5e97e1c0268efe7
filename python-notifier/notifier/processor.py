"""Handling one request record: dedup, send, record, publish the receipt."""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .payload import (
    MalformedRecord,
    Notification,
    SendResult,
    encode,
    parse_request,
    receipt_event,
    rfc3339,
    utc_now,
)
from .senders import Clock, Sender
from .store import SENDING, DedupStore, Entry

log = logging.getLogger("notifier.processor")

Headers = list[tuple[str, bytes]]


class PublishError(Exception):
    """A record could not be written to Kafka."""


class Publisher(Protocol):
    """Writes one record to a topic and waits until the broker has it."""

    def publish(self, topic: str, key: str | None, value: bytes, headers: Headers) -> None:
        """Deliver the record or raise :class:`PublishError`."""
        ...


@dataclass(frozen=True)
class Record:
    """A consumed record, independent of the Kafka client."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = field(default_factory=list)


class Outcome(enum.Enum):
    """What became of a record. Every outcome but ``INCOMPLETE`` lets its offset be stored."""

    DELIVERED = "delivered"  # sent or failed for good now, receipt published
    REPUBLISHED = "republished"  # outcome known from before, receipt (re)published
    DUPLICATE = "duplicate"  # outcome known and receipt published before: nothing to do
    MALFORMED = "malformed"  # skipped (and dead-lettered when a DLQ topic is set)
    INCOMPLETE = "incomplete"  # receipt not published (shutting down): do not store the offset

    @property
    def handled(self) -> bool:
        """Whether the record's offset may be stored."""
        return self is not Outcome.INCOMPLETE


class Processor:
    """Turns request records into at most one delivery each and a receipt each."""

    def __init__(
        self,
        store: DedupStore,
        sender: Sender,
        publisher: Publisher,
        receipts_topic: str,
        dlq_topic: str = "",
        group: str = "",
        stop: threading.Event | None = None,
        clock: Clock = utc_now,
        publish_retry_s: float = 1.0,
    ) -> None:
        self.store = store
        self.sender = sender
        self.publisher = publisher
        self.receipts_topic = receipts_topic
        self.dlq_topic = dlq_topic
        self.group = group
        self.stop = stop or threading.Event()
        self.clock = clock
        self.publish_retry_s = publish_retry_s

    def handle(self, record: Record) -> Outcome:
        """Process one record; exceptions other than a bad record propagate (not handled)."""
        try:
            notification = parse_request(record.value)
        except MalformedRecord as err:
            self._skip(record, str(err))
            return Outcome.MALFORMED
        entry = self.store.claim(notification.notification_id, rfc3339(self.clock()))
        if entry is None:
            receipt = self._deliver(notification, self.sender.send)
            outcome = Outcome.DELIVERED
        elif entry.status == SENDING:
            receipt = self._deliver(notification, self._resume)
            outcome = Outcome.DELIVERED
        elif entry.published:
            self._log_duplicate(notification, entry)
            return Outcome.DUPLICATE
        else:
            receipt = entry.receipt or ""
            outcome = Outcome.REPUBLISHED
        if not self._publish_receipt(notification.notification_id, receipt):
            return Outcome.INCOMPLETE
        return outcome

    def _resume(self, notification: Notification) -> SendResult:
        """A send that a crash interrupted: ask the sender what happened, send if it did not."""
        log.warning(
            "resuming an interrupted send",
            extra={"notificationId": notification.notification_id, "sender": self.sender.name},
        )
        return self.sender.recover(notification) or self.sender.send(notification)

    def _deliver(
        self, notification: Notification, send: Callable[[Notification], SendResult]
    ) -> str:
        """Send (or resume), then record the outcome and its receipt before anything else."""
        result = send(notification)
        receipt = encode(receipt_event(notification, result)).decode("utf-8")
        self.store.finish(notification.notification_id, result.status, result.at, receipt)
        return receipt

    def _publish_receipt(self, notification_id: str, receipt: str) -> bool:
        """Publish the stored receipt as is, retrying until Kafka has it or a stop is requested.

        The receipt is byte-identical on every republish (same CloudEvent ``id``), so
        consumers that deduplicate by event id see it once.
        """
        event = json.loads(receipt)
        while True:
            try:
                self.publisher.publish(
                    self.receipts_topic, event["subject"], receipt.encode("utf-8"), []
                )
            except PublishError as err:
                log.warning(
                    "receipt not published",
                    extra={"notificationId": notification_id, "error": str(err)},
                )
                if self.stop.is_set() or self.stop.wait(self.publish_retry_s):
                    return False
                continue
            self.store.mark_published(notification_id)
            log.info(
                "receipt published",
                extra={
                    "notificationId": notification_id,
                    "orderId": event["subject"],
                    "type": event["type"],
                },
            )
            return True

    def _skip(self, record: Record, reason: str) -> None:
        """Log a malformed record and send it to the DLQ topic (best effort)."""
        where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
        log.warning("malformed record skipped", extra={**where, "reason": reason})
        if not self.dlq_topic:
            return
        headers = [
            ("baedal.reason", reason.encode("utf-8")),
            ("baedal.topic", record.topic.encode("utf-8")),
            ("baedal.partition", str(record.partition).encode("ascii")),
            ("baedal.offset", str(record.offset).encode("ascii")),
            ("baedal.group", self.group.encode("utf-8")),
        ]
        key = record.key.decode("utf-8", "replace") if record.key is not None else None
        try:
            self.publisher.publish(self.dlq_topic, key, record.value or b"", headers)
        except PublishError as err:
            log.error("could not dead-letter a record", extra={**where, "error": str(err)})

    @staticmethod
    def _log_duplicate(notification: Notification, entry: Entry) -> None:
        """Log a request for a notification that was handled before."""
        log.info(
            "duplicate notification ignored",
            extra={
                "notificationId": notification.notification_id,
                "status": entry.status,
                "at": entry.at,
            },
        )
