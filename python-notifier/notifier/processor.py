"""Handling request records in batches: dedup, send, record, publish the receipts."""

from __future__ import annotations

import enum
import json
import logging
import threading
import time
from collections.abc import Sequence
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
from .store import SENDING, DedupStore, Entry, Finished

log = logging.getLogger("notifier.processor")

Headers = list[tuple[str, bytes]]


class PublishError(Exception):
    """A record could not be written to Kafka (single-record publishers such as the tests';
    :meth:`Publisher.publish_many` reports an error per record instead)."""


@dataclass(frozen=True)
class Outgoing:
    """A record to write to Kafka."""

    topic: str
    key: str | None
    value: bytes
    headers: Headers = field(default_factory=list)


class Publisher(Protocol):
    """Writes records to Kafka and waits until the broker has them."""

    def publish_many(self, records: Sequence[Outgoing]) -> list[str | None]:
        """Write all of ``records``, then wait once; for each, ``None`` when the broker
        acknowledged it, else why not."""
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
    """What became of a record. Only ``INCOMPLETE`` and ``DEFERRED`` keep its offset unstored."""

    DELIVERED = "delivered"  # sent or failed for good now, receipt published
    REPUBLISHED = "republished"  # outcome known from before, receipt (re)published
    DUPLICATE = "duplicate"  # outcome known and receipt published before: nothing to do
    MALFORMED = "malformed"  # skipped (and dead-lettered when a DLQ topic is set)
    INCOMPLETE = "incomplete"  # receipt not published (shutting down): do not store the offset
    DEFERRED = "deferred"  # not started (batch out of time, or stopping): to be handled again

    @property
    def handled(self) -> bool:
        """Whether the record's offset may be stored."""
        return self not in (Outcome.INCOMPLETE, Outcome.DEFERRED)


@dataclass(eq=False)
class _Item:
    """One record of a batch on its way through the steps (or a receipt left to republish)."""

    position: int
    record: Record | None
    notification: Notification | None = None
    notification_id: str = ""
    reason: str = ""  # why the record is malformed
    first: _Item | None = None  # the earlier record of the batch with the same notificationId
    receipt: str | None = None  # the receipt event (JSON) to publish
    outcome: Outcome | None = None


class Processor:
    """Turns batches of request records into at most one delivery and one receipt each."""

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
        """Process one record: a batch of one (see :meth:`handle_batch`)."""
        return self.handle_batch([record])[0]

    def handle_batch(
        self, records: Sequence[Record], deadline: float | None = None
    ) -> list[Outcome]:
        """Process ``records`` (in consumption order); returns the outcome of each.

        The batch pays one claim transaction, one send (one fsync for the outbox), one outcome
        transaction, one Kafka flush for its receipts and dead letters and one transaction to
        mark the receipts published. With a sender without ``exact_recovery`` each
        notification is claimed, sent and recorded on its own, and the next one is started
        only before ``deadline`` (``time.monotonic()``) and while no stop is requested: the
        records not reached are ``DEFERRED``. Exceptions other than a bad record propagate
        (nothing of the batch counts as handled).
        """
        items = [self._parse(position, record) for position, record in enumerate(records)]
        reached = self._deliver(items, deadline)
        for item in items[reached:]:
            item.outcome = Outcome.DEFERRED
        self._publish(items[:reached])
        self._settle_duplicates(items[:reached])
        return [item.outcome or Outcome.INCOMPLETE for item in items]

    def republish_unpublished(self, batch_size: int) -> bool:
        """Publish the receipts a previous run recorded but did not get onto Kafka (it died
        between recording and publishing); ``False`` when a stop came first."""
        rows = self.store.unpublished()
        if not rows:
            return True
        log.warning("republishing receipts of the previous run", extra={"count": len(rows)})
        for start in range(0, len(rows), batch_size):
            items = [
                _Item(n, None, notification_id=notification_id, receipt=receipt)
                for n, (notification_id, receipt) in enumerate(rows[start : start + batch_size])
            ]
            self._publish(items)
            if any(item.outcome is Outcome.INCOMPLETE for item in items):
                return False
        return True

    @staticmethod
    def _parse(position: int, record: Record) -> _Item:
        """The record as a batch item: its notification, or why it is malformed."""
        try:
            notification = parse_request(record.value)
        except MalformedRecord as err:
            return _Item(position, record, reason=str(err), outcome=Outcome.MALFORMED)
        return _Item(position, record, notification, notification.notification_id)

    def _deliver(self, items: list[_Item], deadline: float | None) -> int:
        """Claim, send and record the batch's notifications; returns how many items (from the
        start) were reached before the deadline or a stop."""
        firsts = self._link_duplicates(items)
        if self.sender.exact_recovery:
            chunks = [firsts] if firsts else []
        else:
            chunks = [[item] for item in firsts]
        for n, chunk in enumerate(chunks):
            if n > 0 and self._must_pause(deadline):
                return chunk[0].position
            self._deliver_chunk(chunk)
        return len(items)

    def _must_pause(self, deadline: float | None) -> bool:
        """Whether to leave the rest of the batch for later: a stop, or out of time."""
        return self.stop.is_set() or (deadline is not None and time.monotonic() >= deadline)

    @staticmethod
    def _link_duplicates(items: list[_Item]) -> list[_Item]:
        """Point each repeated notificationId at its first record; returns the first ones."""
        firsts: dict[str, _Item] = {}
        for item in items:
            if item.notification is None:
                continue
            if item.notification_id in firsts:
                item.first = firsts[item.notification_id]
            else:
                firsts[item.notification_id] = item
        return list(firsts.values())

    def _deliver_chunk(self, chunk: list[_Item]) -> None:
        """One transaction claims the chunk, the sender sends what may be sent, one
        transaction records the outcomes and their receipts before anything is published."""
        at = rfc3339(self.clock())
        entries = self.store.claim_many([item.notification_id for item in chunk], at)
        interrupted = []
        for item in chunk:
            entry = entries[item.notification_id]
            if entry is not None and entry.status == SENDING:
                interrupted.append(item)
            elif entry is not None:
                self._known(item, entry)
        results = self._recover(interrupted)
        unsent = [item for item in chunk if item.outcome is None and item not in results]
        if unsent:
            sent = self.sender.send_many([item.notification for item in unsent])
            results.update(zip(unsent, sent))
        if results:
            self.store.finish_many(
                [self._finished(item, results[item]) for item in chunk if item in results]
            )

    def _known(self, item: _Item, entry: Entry) -> None:
        """A notification handled before: nothing to do, or its receipt still to publish."""
        if entry.published:
            self._log_duplicate(item.notification_id, entry.status, entry.at)
            item.outcome = Outcome.DUPLICATE
        else:
            item.receipt = entry.receipt or ""
            item.outcome = Outcome.REPUBLISHED

    def _recover(self, interrupted: list[_Item]) -> dict[_Item, SendResult]:
        """Sends a crash interrupted: the sender says what happened; those it did not send
        are left out (they are sent now)."""
        if not interrupted:
            return {}
        for item in interrupted:
            log.warning(
                "resuming an interrupted send",
                extra={"notificationId": item.notification_id, "sender": self.sender.name},
            )
        recovered = self.sender.recover_many([item.notification for item in interrupted])
        return {item: result for item, result in zip(interrupted, recovered) if result is not None}

    @staticmethod
    def _finished(item: _Item, result: SendResult) -> Finished:
        """The outcome to record for ``item``; sets its receipt (published next)."""
        item.receipt = encode(receipt_event(item.notification, result)).decode("utf-8")
        item.outcome = Outcome.DELIVERED
        return Finished(item.notification_id, result.status, result.at, item.receipt)

    def _publish(self, items: list[_Item]) -> None:
        """Dead-letter the malformed records and publish the receipts with one flush, then
        retry the receipts Kafka did not take until it takes them or a stop is requested
        (those are then ``INCOMPLETE``). Dead letters are best effort, never retried.

        A receipt is byte-identical on every republish (same CloudEvent ``id``), so
        consumers that deduplicate by event id see it once.
        """
        malformed = [item for item in items if item.outcome is Outcome.MALFORMED]
        letters = self._dead_letters(malformed)
        pending = [item for item in items if item.receipt is not None]
        if not letters and not pending:
            return
        errors = self.publisher.publish_many(letters + [self._receipt(item) for item in pending])
        self._log_dead_letter_errors(malformed, errors[: len(letters)])
        pending = self._record_published(pending, errors[len(letters) :])
        while pending:
            if self.stop.is_set() or self.stop.wait(self.publish_retry_s):
                for item in pending:
                    item.outcome = Outcome.INCOMPLETE
                return
            errors = self.publisher.publish_many([self._receipt(item) for item in pending])
            pending = self._record_published(pending, errors)

    def _receipt(self, item: _Item) -> Outgoing:
        """The receipt record of ``item``: the stored event as is, key = its subject (orderId)."""
        event = json.loads(item.receipt)
        return Outgoing(self.receipts_topic, event["subject"], item.receipt.encode("utf-8"))

    def _record_published(self, items: list[_Item], errors: list[str | None]) -> list[_Item]:
        """Mark the receipts Kafka acknowledged published (one transaction); returns the
        items whose receipt it did not take."""
        published = [item for item, error in zip(items, errors) if error is None]
        if published:
            self.store.mark_published_many(item.notification_id for item in published)
        for item in published:
            event = json.loads(item.receipt)
            log.info(
                "receipt published",
                extra={
                    "notificationId": item.notification_id,
                    "orderId": event["subject"],
                    "type": event["type"],
                },
            )
        failed = []
        for item, error in zip(items, errors):
            if error is not None:
                log.warning(
                    "receipt not published",
                    extra={"notificationId": item.notification_id, "error": error},
                )
                failed.append(item)
        return failed

    def _settle_duplicates(self, items: list[_Item]) -> None:
        """A notificationId repeated in the batch is not sent again: the repeat is a
        duplicate once its first record is handled, else it shares that record's fate."""
        for item in items:
            if item.first is None:
                continue
            if item.first.outcome.handled:
                self._log_duplicate(item.notification_id, "in this batch", "")
                item.outcome = Outcome.DUPLICATE
            else:
                item.outcome = item.first.outcome

    def _dead_letters(self, items: list[_Item]) -> list[Outgoing]:
        """Log each malformed record; their DLQ records, in order (none without a DLQ topic)."""
        letters = []
        for item in items:
            record = item.record
            where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
            log.warning("malformed record skipped", extra={**where, "reason": item.reason})
            if self.dlq_topic:
                letters.append(self._dead_letter(record, item.reason))
        return letters

    def _dead_letter(self, record: Record, reason: str) -> Outgoing:
        """The DLQ copy of ``record``: its key and value, the reason and origin in headers."""
        headers = [
            ("baedal.reason", reason.encode("utf-8")),
            ("baedal.topic", record.topic.encode("utf-8")),
            ("baedal.partition", str(record.partition).encode("ascii")),
            ("baedal.offset", str(record.offset).encode("ascii")),
            ("baedal.group", self.group.encode("utf-8")),
        ]
        key = record.key.decode("utf-8", "replace") if record.key is not None else None
        return Outgoing(self.dlq_topic, key, record.value or b"", headers)

    @staticmethod
    def _log_dead_letter_errors(malformed: list[_Item], errors: list[str | None]) -> None:
        """Log the dead letters Kafka did not take (they are not retried)."""
        for item, error in zip(malformed, errors):
            if error is not None:
                record = item.record
                log.error(
                    "could not dead-letter a record",
                    extra={
                        "topic": record.topic,
                        "partition": record.partition,
                        "offset": record.offset,
                        "error": error,
                    },
                )

    @staticmethod
    def _log_duplicate(notification_id: str, status: str, at: str) -> None:
        """Log a request for a notification that was handled before."""
        log.info(
            "duplicate notification ignored",
            extra={"notificationId": notification_id, "status": status, "at": at},
        )
