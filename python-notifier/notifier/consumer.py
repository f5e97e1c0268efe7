"""The Kafka side: consumer and producer set-up and the batch loop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from confluent_kafka import (
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

from .config import Config
from .payload import Outgoing, Record
from .processor import Outcome, Processor
from .senders import Sender, build_sender
from .store import SENDING, DedupStore

log = logging.getLogger("notifier.consumer")

# Exit codes of the process.
EXIT_OK = 0
EXIT_FATAL = 1

MESSAGE_TIMEOUT_MS = 30_000

# How long the loop waits for a first record before it looks at the stop flag again.
POLL_TIMEOUT_S = 1.0

# A sender without exact recovery (HTTP) starts no new send in a batch after this many seconds:
# the rest of the batch is consumed again later. It bounds the delay of the batch's receipts
# and keeps the loop calling consume() well within max.poll.interval.ms.
BATCH_TIME_BUDGET_S = 1.0


class KafkaPublisher:
    """A :class:`~notifier.processor.Publisher` on an idempotent confluent-kafka producer."""

    def __init__(
        self, producer: Producer, flush_timeout_s: float = MESSAGE_TIMEOUT_MS / 1000 + 5
    ) -> None:
        self.producer = producer
        self.flush_timeout_s = flush_timeout_s

    def publish_many(self, records: Sequence[Outgoing]) -> list[str | None]:
        """Produce every record, then one flush; for each, ``None`` once the broker acked it,
        else the error. A fatal producer error (e.g. the idempotent producer was fenced)
        raises :class:`KafkaException`: the notifier gives up."""
        errors: list[str | None] = [f"no acknowledgement within {self.flush_timeout_s}s"] * len(
            records
        )
        fatal: list[KafkaError] = []
        for index, record in enumerate(records):
            try:
                self.producer.produce(
                    record.topic,
                    value=record.value,
                    key=record.key,
                    headers=record.headers or None,
                    on_delivery=partial(_note_delivery, errors, fatal, index),
                )
            except (BufferError, KafkaException) as err:
                errors[index] = str(err)
        self.producer.flush(self.flush_timeout_s)
        if fatal:
            raise KafkaException(fatal[0])
        return errors


def _note_delivery(
    errors: list[str | None], fatal: list[KafkaError], index: int, err: KafkaError | None, _msg
) -> None:
    """Delivery report of record ``index`` of a :meth:`KafkaPublisher.publish_many` call."""
    errors[index] = None if err is None else str(err)
    if err is not None and err.fatal():
        fatal.append(err)


def consumer_config(config: Config) -> dict[str, Any]:
    """librdkafka settings of the consumer: offsets are stored by hand after handling; the
    security settings of ``config`` (SASL, TLS) apply."""
    settings: dict[str, Any] = {
        "bootstrap.servers": config.kafka,
        "group.id": config.group,
        "client.id": "baedal-notifier",
        "enable.auto.commit": True,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "logger": logging.getLogger("notifier.kafka"),
    }
    if config.instance_id:
        settings["group.instance.id"] = config.instance_id
    settings.update(config.kafka_security)
    return settings


def producer_config(config: Config) -> dict[str, Any]:
    """librdkafka settings of the producer: idempotent, acks from all replicas."""
    return {
        "bootstrap.servers": config.kafka,
        "client.id": "baedal-notifier",
        "enable.idempotence": True,
        "acks": "all",
        "message.timeout.ms": MESSAGE_TIMEOUT_MS,
        "logger": logging.getLogger("notifier.kafka"),
        **config.kafka_security,
    }


def to_record(msg: Message) -> Record:
    """The client-independent view of a consumed message."""
    return Record(
        topic=msg.topic(),
        partition=msg.partition(),
        offset=msg.offset(),
        key=msg.key(),
        value=msg.value(),
        headers=list(msg.headers() or []),
    )


def _next_batch(consumer: Consumer, batch_size: int, wait_s: float = 0.0) -> list[Message]:
    """Up to ``batch_size`` messages: waits up to :data:`POLL_TIMEOUT_S` for the first one, then
    up to ``wait_s`` for more (0: only what the client has already fetched). A full batch is
    never waited for: a lone record goes out at once, and under load the batches fill up by
    themselves."""
    first = consumer.consume(num_messages=1, timeout=POLL_TIMEOUT_S)
    if not first or batch_size == 1:
        return first
    return first + consumer.consume(num_messages=batch_size - 1, timeout=wait_s)


def _usable(batch: list[Message]) -> list[Message] | None:
    """The records of ``batch`` without the (logged) transient errors; ``None`` on a fatal
    error (nothing of the batch is handled then)."""
    usable = []
    for msg in batch:
        error = msg.error()
        if error is None:
            usable.append(msg)
        elif error.fatal():
            log.error("fatal Kafka error", extra={"error": str(error)})
            return None
        else:
            log.warning("Kafka consumer error", extra={"error": str(error)})
    return usable


def _progress(
    messages: list[Message], outcomes: list[Outcome]
) -> tuple[list[Message], list[Message]]:
    """Per partition, the last message of the handled run from the batch's start, and the
    first message not handled (where that partition must be consumed again)."""
    last_handled: dict[tuple[str, int], Message] = {}
    first_unhandled: dict[tuple[str, int], Message] = {}
    for msg, outcome in zip(messages, outcomes):
        partition = (msg.topic(), msg.partition())
        if partition in first_unhandled:
            continue
        if outcome.handled:
            last_handled[partition] = msg
        else:
            first_unhandled[partition] = msg
    return list(last_handled.values()), list(first_unhandled.values())


def _consume(
    consumer: Consumer,
    processor: Processor,
    stop: threading.Event,
    batch_size: int = 200,
    batch_wait_s: float = 0.0,
) -> int:
    """Consume batches until ``stop`` is set; after each batch, store per partition the offset
    up to which every record is handled (auto-commit then commits only those), and consume
    the records a batch deferred again."""
    while not stop.is_set():
        messages = _usable(_next_batch(consumer, batch_size, batch_wait_s))
        if messages is None:
            return EXIT_FATAL
        if not messages:
            continue
        deadline = time.monotonic() + BATCH_TIME_BUDGET_S
        outcomes = processor.handle_batch([to_record(m) for m in messages], deadline)
        handled, unhandled = _progress(messages, outcomes)
        for msg in handled:
            consumer.store_offsets(message=msg)
        if not unhandled:
            continue
        offsets = {f"{m.topic()}/{m.partition()}": m.offset() for m in unhandled}
        if stop.is_set():
            log.warning("stopping before the batch was handled", extra={"offsets": offsets})
            break
        log.debug("consuming the deferred records again", extra={"offsets": offsets})
        for msg in unhandled:
            consumer.seek(TopicPartition(msg.topic(), msg.partition(), msg.offset()))
    return EXIT_OK


def run(config: Config, stop: threading.Event, sender: Sender | None = None) -> int:
    """Consume until ``stop`` is set (finishing the batch in hand); returns an exit code."""
    sender = sender or build_sender(config)
    store = DedupStore(config.state)
    producer = Producer(producer_config(config))
    consumer = Consumer(consumer_config(config))
    processor = Processor(
        store,
        sender,
        KafkaPublisher(producer),
        config.receipts_topic,
        dlq_topic=config.dlq_topic,
        group=config.group,
        stop=stop,
    )
    log.info(
        "notifier starting",
        extra={
            "kafka": config.kafka,
            "security": config.kafka_security["security.protocol"],
            "group": config.group,
            "topic": config.requests_topic,
            "receipts": config.receipts_topic,
            "sender": sender.name,
            "state": str(config.state),
            "interrupted": store.count(SENDING),
            "batchSize": config.batch_size,
            "batchWaitMs": config.batch_wait_ms,
        },
    )
    try:
        if not processor.republish_unpublished(config.batch_size):
            return EXIT_OK  # stopped while Kafka did not take them: done on the next start
        consumer.subscribe([config.requests_topic])
        return _consume(consumer, processor, stop, config.batch_size, config.batch_wait_ms / 1000)
    except Exception:
        log.exception("notifier failed")
        return EXIT_FATAL
    finally:
        consumer.close()
        producer.flush(10)
        store.close()
        log.info("notifier stopped")
