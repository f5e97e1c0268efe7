"""The poll loop with a stand-in consumer: offsets are stored only after handling."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from support import FakePublisher, outbox_ids, request_value

from notifier.consumer import EXIT_FATAL, EXIT_OK, _consume
from notifier.processor import Processor, PublishError
from notifier.senders import OutboxSender
from notifier.store import DedupStore


class FakeError:
    """A consumer error."""

    def __init__(self, fatal: bool) -> None:
        self._fatal = fatal

    def fatal(self) -> bool:
        return self._fatal

    def __str__(self) -> str:
        return "fatal (test)" if self._fatal else "transient (test)"


class FakeMessage:
    """Just enough of ``confluent_kafka.Message``."""

    def __init__(self, offset: int, value: bytes | None, error: FakeError | None = None) -> None:
        self._offset, self._value, self._error = offset, value, error

    def topic(self) -> str:
        return "notification-requests"

    def partition(self) -> int:
        return 0

    def offset(self) -> int:
        return self._offset

    def key(self) -> bytes:
        return b"o-1"

    def value(self) -> bytes | None:
        return self._value

    def headers(self) -> None:
        return None

    def error(self) -> FakeError | None:
        return self._error


class FakeConsumer:
    """Hands out the messages, then asks the loop to stop; records stored offsets."""

    def __init__(self, messages: list[FakeMessage | None], stop: threading.Event) -> None:
        self.messages = list(messages)
        self.stop = stop
        self.stored: list[int] = []

    def poll(self, timeout: float) -> FakeMessage | None:
        assert timeout == 1.0
        if not self.messages:
            self.stop.set()
            return None
        return self.messages.pop(0)

    def store_offsets(self, message: FakeMessage) -> None:
        self.stored.append(message.offset())


@pytest.fixture
def parts(tmp_path: Path) -> tuple[Processor, FakePublisher, threading.Event, Path]:
    stop = threading.Event()
    publisher = FakePublisher()
    outbox = tmp_path / "outbox.jsonl"
    processor = Processor(
        DedupStore(tmp_path / "s.sqlite3"),
        OutboxSender(outbox),
        publisher,
        "receipts",
        stop=stop,
        publish_retry_s=0.0,
    )
    return processor, publisher, stop, outbox


def test_every_handled_record_has_its_offset_stored(parts) -> None:
    processor, _publisher, stop, outbox = parts
    messages = [
        FakeMessage(0, request_value("n-1")),
        None,
        FakeMessage(1, b"garbage"),
        FakeMessage(2, request_value("n-1")),
        FakeMessage(3, request_value("n-2")),
    ]
    consumer = FakeConsumer(messages, stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert consumer.stored == [0, 1, 2, 3]
    assert outbox_ids(outbox) == ["n-1", "n-2"]


def test_a_record_whose_receipt_is_not_published_at_shutdown_is_not_stored(parts) -> None:
    processor, _publisher, stop, _outbox = parts

    def sigterm_while_kafka_is_down(*_args: object) -> None:
        stop.set()
        raise PublishError("broker unavailable (test)")

    processor.publisher.publish = sigterm_while_kafka_is_down
    consumer = FakeConsumer([FakeMessage(0, request_value("n-1"))], stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert consumer.stored == []
    assert processor.store.get("n-1").status == "sent"


def test_a_transient_consumer_error_is_logged_and_skipped(parts) -> None:
    processor, _publisher, stop, _outbox = parts
    messages = [FakeMessage(0, None, FakeError(False)), FakeMessage(0, request_value("n-1"))]
    consumer = FakeConsumer(messages, stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert consumer.stored == [0]


def test_a_fatal_consumer_error_ends_the_loop(parts) -> None:
    processor, _publisher, stop, _outbox = parts
    consumer = FakeConsumer([FakeMessage(0, None, FakeError(True))], stop)

    assert _consume(consumer, processor, stop) == EXIT_FATAL
    assert consumer.stored == []


def test_a_crash_while_handling_stores_nothing(parts) -> None:
    processor, _publisher, stop, _outbox = parts
    consumer = FakeConsumer([FakeMessage(0, request_value("n-1"))], stop)

    def broken(_notification):
        raise OSError("disk full (test)")

    processor.sender.send = broken

    with pytest.raises(OSError):
        _consume(consumer, processor, stop)
    assert consumer.stored == []
