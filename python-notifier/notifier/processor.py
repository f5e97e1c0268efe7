"""A batch of request records, top-down: parse, claim, send (or recover), record, publish the
receipts, mark them published. Each step is one call for the whole batch."""

from __future__ import annotations

import enum
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .payload import Clock, MalformedRecord, Notification, Outgoing, Publisher, Record, SendResult
from .payload import dead_letter, encode, parse_request, receipt_event, rfc3339, utc_now
from .senders import Sender
from .store import SENDING, DedupStore, Entry, Finished

log = logging.getLogger("notifier.processor")


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


@dataclass(frozen=True)
class Parsed:
    """A record and its notification, or why it has none (malformed)."""

    record: Record
    notification: Notification | None
    reason: str = ""


def parse(record: Record) -> Parsed:
    """The record's notification, or why it is malformed."""
    try:
        return Parsed(record, parse_request(record.value))
    except MalformedRecord as err:
        return Parsed(record, None, str(err))


def first_requests(batch: Sequence[Parsed]) -> dict[str, int]:
    """notificationId -> position of its first record in ``batch`` (in batch order)."""
    firsts: dict[str, int] = {}
    for position, parsed in enumerate(batch):
        if parsed.notification is not None:
            firsts.setdefault(parsed.notification.notification_id, position)
    return firsts


def outcomes(
    batch: Sequence[Parsed], cut: int, done: Mapping[str, Outcome], unpublished: set[str]
) -> list[Outcome]:
    """The outcome of each record: from ``cut`` on ``DEFERRED``; a notification whose receipt
    is not on Kafka ``INCOMPLETE``; a repeat in the batch a duplicate once its first record is
    handled, else it shares that record's fate."""
    result, seen = [], set()
    for parsed in batch[:cut]:
        if parsed.notification is None:
            result.append(Outcome.MALFORMED)
            continue
        nid = parsed.notification.notification_id
        first = Outcome.INCOMPLETE if nid in unpublished else done[nid]
        result.append(Outcome.DUPLICATE if nid in seen and first.handled else first)
        seen.add(nid)
    return result + [Outcome.DEFERRED] * (len(batch) - cut)


def _where(record: Record) -> dict[str, object]:
    return {"topic": record.topic, "partition": record.partition, "offset": record.offset}


@dataclass
class Processor:
    """Turns batches of request records into at most one delivery and one receipt each."""

    store: DedupStore
    sender: Sender
    publisher: Publisher
    receipts_topic: str
    dlq_topic: str = ""  # where malformed records go ("": nowhere, only logged)
    group: str = ""  # named in the dead letters' headers
    stop: threading.Event = field(default_factory=threading.Event)
    clock: Clock = utc_now
    publish_retry_s: float = 1.0

    def handle_batch(
        self, records: Sequence[Record], deadline: float | None = None
    ) -> list[Outcome]:
        """Process ``records`` (in consumption order); returns the outcome of each.

        The batch pays one claim transaction, one send (one fsync for the outbox), one outcome
        transaction, one Kafka flush for its receipts and dead letters and one transaction to
        mark the receipts published. With a sender without ``exact_recovery`` each
        notification is claimed, sent and recorded on its own, and the next one is started
        only before ``deadline`` (``time.monotonic()``) and while no stop is requested: the
        records from there on are ``DEFERRED``. Exceptions other than a bad record propagate
        (nothing of the batch counts as handled).
        """
        batch = [parse(record) for record in records]
        firsts = first_requests(batch)
        ids = list(firsts)
        chunks = [ids] if self.sender.exact_recovery else [[nid] for nid in ids]
        done: dict[str, Outcome] = {}
        receipts: dict[str, str] = {}
        cut = len(batch)
        for n, chunk in enumerate(chunks if ids else []):
            if n > 0 and self._must_pause(deadline):
                cut = firsts[chunk[0]]
                break
            notifications = [batch[firsts[nid]].notification for nid in chunk]
            for nid, (outcome, receipt) in self._deliver(notifications).items():
                done[nid] = outcome
                if receipt is not None:
                    receipts[nid] = receipt
        letters = [parsed for parsed in batch[:cut] if parsed.notification is None]
        unpublished = self._publish(letters, receipts)
        return outcomes(batch, cut, done, unpublished)

    def republish_unpublished(self, batch_size: int) -> bool:
        """Publish the receipts a previous run recorded but did not get onto Kafka (it died
        between recording and publishing); ``False`` when a stop came first."""
        rows = self.store.unpublished()
        if rows:
            log.warning("republishing receipts of the previous run", extra={"count": len(rows)})
        for start in range(0, len(rows), batch_size):
            if self._publish([], dict(rows[start : start + batch_size])):
                return False
        return True

    def _must_pause(self, deadline: float | None) -> bool:
        """Whether to leave the rest of the batch for later: a stop, or out of time."""
        return self.stop.is_set() or (deadline is not None and time.monotonic() >= deadline)

    def _deliver(self, notifications: list[Notification]) -> dict[str, tuple[Outcome, str | None]]:
        """Claim (one transaction), recover the interrupted sends, send the rest, record the
        outcomes and their receipts (one transaction) before anything is published.
        Returns notificationId -> (outcome, receipt to publish or ``None``), in order."""
        ids = [n.notification_id for n in notifications]
        claimed = self.store.claim(ids, rfc3339(self.clock()))
        known = {nid: _known(e) for nid, e in claimed.items() if e and e.status != SENDING}
        interrupted = [
            n
            for n in notifications
            if claimed[n.notification_id] and n.notification_id not in known
        ]
        results = {
            n.notification_id: result
            for n, result in zip(interrupted, self._recover(interrupted))
            if result is not None
        }
        settled = known.keys() | results.keys()
        fresh = [n for n in notifications if n.notification_id not in settled]
        if fresh:
            results.update(zip([n.notification_id for n in fresh], self.sender.send_many(fresh)))
        finished = {
            n.notification_id: _finished(n, results[n.notification_id])
            for n in notifications
            if n.notification_id in results
        }
        if finished:
            self.store.finish(list(finished.values()))
        return {nid: known.get(nid) or (Outcome.DELIVERED, finished[nid].receipt) for nid in ids}

    def _recover(self, interrupted: list[Notification]) -> list[SendResult | None]:
        """What became of the sends a crash interrupted, as the sender tells (``None``: not
        sent, send it now)."""
        for notification in interrupted:
            log.warning(
                "resuming an interrupted send",
                extra={"notificationId": notification.notification_id, "sender": self.sender.name},
            )
        return self.sender.recover_many(interrupted) if interrupted else []

    def _publish(self, malformed: list[Parsed], receipts: dict[str, str]) -> set[str]:
        """Dead-letter the malformed records and publish the receipts with one flush, mark the
        receipts Kafka took published, retry the others until it takes them or a stop is
        requested. Returns the notificationIds whose receipts are not on Kafka.

        Dead letters are best effort, never retried. A receipt is byte-identical on every
        republish (same CloudEvent ``id``), so consumers that deduplicate by event id see it once.
        """
        for parsed in malformed:
            log.warning(
                "malformed record skipped", extra={**_where(parsed.record), "reason": parsed.reason}
            )
        letters = [dead_letter(p.record, p.reason, self.dlq_topic, self.group) for p in malformed]
        letters = letters if self.dlq_topic else []
        pending = list(receipts)
        if not letters and not pending:
            return set()
        errors = self.publisher.publish_many(
            letters + [self._outgoing(receipts[n]) for n in pending]
        )
        for parsed, error in zip(malformed, errors[: len(letters)]):
            if error is not None:
                log.error(
                    "could not dead-letter a record",
                    extra={**_where(parsed.record), "error": error},
                )
        pending = self._mark_published(pending, errors[len(letters) :], receipts)
        while pending:
            if self.stop.is_set() or self.stop.wait(self.publish_retry_s):
                return set(pending)
            errors = self.publisher.publish_many([self._outgoing(receipts[n]) for n in pending])
            pending = self._mark_published(pending, errors, receipts)
        return set()

    def _outgoing(self, receipt: str) -> Outgoing:
        """The receipt record: the stored event as is, key = its subject (the orderId)."""
        return Outgoing(self.receipts_topic, json.loads(receipt)["subject"], receipt.encode())

    def _mark_published(
        self, ids: list[str], errors: list[str | None], receipts: dict[str, str]
    ) -> list[str]:
        """Mark the receipts Kafka acknowledged published (one transaction); returns the ids
        whose receipt it did not take."""
        published = [nid for nid, error in zip(ids, errors) if error is None]
        if published:
            self.store.mark_published(published)
        for nid, error in zip(ids, errors):
            event = json.loads(receipts[nid])
            if error is None:
                extra = {"notificationId": nid, "orderId": event["subject"], "type": event["type"]}
                log.info("receipt published", extra=extra)
            else:
                log.warning("receipt not published", extra={"notificationId": nid, "error": error})
        return [nid for nid, error in zip(ids, errors) if error is not None]


def _known(entry: Entry) -> tuple[Outcome, str | None]:
    """A notification handled before: nothing to do, or its receipt still to publish."""
    if not entry.published:
        return Outcome.REPUBLISHED, entry.receipt or ""
    log.info(
        "duplicate notification ignored",
        extra={"notificationId": entry.notification_id, "status": entry.status, "at": entry.at},
    )
    return Outcome.DUPLICATE, None


def _finished(notification: Notification, result: SendResult) -> Finished:
    """The outcome of a send to record, with the receipt event (JSON) that reports it."""
    receipt = encode(receipt_event(notification, result)).decode("utf-8")
    return Finished(notification.notification_id, result.status, result.at, receipt)
