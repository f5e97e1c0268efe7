"""The Kafka side: consumer and producer set-up and the poll loop."""

from __future__ import annotations

import logging
import threading
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer

from .config import Config
from .processor import Headers, Processor, PublishError, Record
from .senders import Sender, build_sender
from .store import SENDING, DedupStore

log = logging.getLogger("notifier.consumer")

# Exit codes of the process.
EXIT_OK = 0
EXIT_FATAL = 1

MESSAGE_TIMEOUT_MS = 30_000


class KafkaPublisher:
    """A :class:`~notifier.processor.Publisher` on an idempotent confluent-kafka producer."""

    def __init__(
        self, producer: Producer, flush_timeout_s: float = MESSAGE_TIMEOUT_MS / 1000 + 5
    ) -> None:
        self.producer = producer
        self.flush_timeout_s = flush_timeout_s

    def publish(self, topic: str, key: str | None, value: bytes, headers: Headers) -> None:
        """Produce one record and flush; raise :class:`PublishError` unless it was acked."""
        outcome: dict[str, Any] = {}

        def on_delivery(err: KafkaError | None, _msg: Message) -> None:
            outcome["error"] = err

        try:
            self.producer.produce(
                topic, value=value, key=key, headers=headers or None, on_delivery=on_delivery
            )
        except (BufferError, KafkaException) as err:
            raise PublishError(str(err)) from err
        self.producer.flush(self.flush_timeout_s)
        if "error" not in outcome:
            raise PublishError(f"no acknowledgement within {self.flush_timeout_s}s")
        error = outcome["error"]
        if error is not None and error.fatal():
            raise KafkaException(error)  # e.g. the idempotent producer fenced: give up
        if error is not None:
            raise PublishError(str(error))


def consumer_config(config: Config) -> dict[str, Any]:
    """librdkafka settings of the consumer: offsets are stored by hand after handling."""
    settings: dict[str, Any] = {
        "bootstrap.servers": config.kafka,
        "group.id": config.group,
        "client.id": "baedal-notifier",
        "enable.auto.commit": True,
        "enable.auto.offset.store": False,
        "auto.offset.reset": config.offset_reset,
        "logger": logging.getLogger("notifier.kafka"),
    }
    if config.instance_id:
        settings["group.instance.id"] = config.instance_id
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


def _consume(consumer: Consumer, processor: Processor, stop: threading.Event) -> int:
    """Poll until ``stop`` is set; store each offset only after its record was handled."""
    while not stop.is_set():
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error() is not None:
            if msg.error().fatal():
                log.error("fatal Kafka error", extra={"error": str(msg.error())})
                return EXIT_FATAL
            log.warning("Kafka consumer error", extra={"error": str(msg.error())})
            continue
        outcome = processor.handle(to_record(msg))
        if not outcome.handled:
            log.warning("stopping before the record was handled", extra={"offset": msg.offset()})
            break
        consumer.store_offsets(message=msg)
    return EXIT_OK


def run(config: Config, stop: threading.Event, sender: Sender | None = None) -> int:
    """Consume until ``stop`` is set (finishing the current record); returns an exit code."""
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
            "group": config.group,
            "topic": config.requests_topic,
            "receipts": config.receipts_topic,
            "sender": sender.name,
            "state": str(config.state),
            "interrupted": store.count(SENDING),
        },
    )
    try:
        consumer.subscribe([config.requests_topic])
        return _consume(consumer, processor, stop)
    except Exception:
        log.exception("notifier failed")
        return EXIT_FATAL
    finally:
        consumer.close()
        producer.flush(10)
        store.close()
        log.info("notifier stopped")
