"""The consume loop with a stand-in consumer: offsets are stored only after handling."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from confluent_kafka import TopicPartition
from support import PublishError, FakePublisher, outbox_ids, request_value

import notifier.consumer
from notifier.consumer import EXIT_FATAL, EXIT_OK, _consume
from notifier.payload import Notification, SendResult
from notifier.processor import Processor
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

    def __init__(
        self, offset: int, value: bytes | None, error: FakeError | None = None, partition: int = 0
    ) -> None:
        self._offset, self._value, self._error = offset, value, error
        self._partition = partition

    def topic(self) -> str:
        return "notification-requests"

    def partition(self) -> int:
        return self._partition

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
    """Hands out the messages through ``consume``, then asks the loop to stop; records the
    stored offsets (of the messages passed), the seeks and the ``consume`` calls.

    ``None`` in the list is a pause: nothing more is fetched for now. A seek hands the
    messages from that offset out again.
    """

    def __init__(self, messages: list[FakeMessage | None], stop: threading.Event) -> None:
        self.messages = list(messages)
        self.position = 0
        self.stop = stop
        self.stored: list[int] = []
        self.stored_at: list[tuple[int, int]] = []  # (partition, offset)
        self.seeks: list[tuple[int, int]] = []
        self.calls: list[tuple[int, float]] = []

    def consume(self, num_messages: int, timeout: float) -> list[FakeMessage]:
        self.calls.append((num_messages, timeout))
        if self.position == len(self.messages):
            if timeout > 0:
                self.stop.set()
            return []
        batch: list[FakeMessage] = []
        while len(batch) < num_messages and self.position < len(self.messages):
            msg = self.messages[self.position]
            if msg is None:
                if timeout > 0 and not batch:
                    self.position += 1  # waited in vain
                break
            batch.append(msg)
            self.position += 1
        return batch

    def store_offsets(self, message: FakeMessage) -> None:
        self.stored.append(message.offset())
        self.stored_at.append((message.partition(), message.offset()))

    def seek(self, partition: TopicPartition) -> None:
        self.seeks.append((partition.partition, partition.offset))
        self.position = next(
            n
            for n, msg in enumerate(self.messages)
            if msg is not None
            and msg.error() is None
            and (msg.partition(), msg.offset()) == (partition.partition, partition.offset)
        )


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
    assert consumer.stored == [0, 3]  # the last record of each batch: [0], then [1, 2, 3]
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

    def broken(_notifications):
        raise OSError("disk full (test)")

    processor.sender.send_many = broken

    with pytest.raises(OSError):
        _consume(consumer, processor, stop)
    assert consumer.stored == []


class SlowSender(OutboxSender):
    """An outbox sender that claims like HTTP does (no exact recovery): one at a time."""

    name = "slow"
    exact_recovery = False


def test_a_batch_takes_what_is_fetched_without_waiting_for_more(parts) -> None:
    processor, _publisher, stop, outbox = parts
    messages = [FakeMessage(i, request_value(f"n-{i}")) for i in range(3)]
    consumer = FakeConsumer(messages + [None, FakeMessage(3, request_value("n-3"))], stop)

    assert _consume(consumer, processor, stop, batch_size=50) == EXIT_OK
    assert consumer.calls[:4] == [(1, 1.0), (49, 0.0), (1, 1.0), (1, 1.0)]
    assert consumer.stored == [2, 3]
    assert outbox_ids(outbox) == ["n-0", "n-1", "n-2", "n-3"]


def test_the_batch_size_and_wait_are_passed_to_consume(parts) -> None:
    processor, _publisher, stop, _outbox = parts
    messages = [FakeMessage(i, request_value(f"n-{i}")) for i in range(5)]
    consumer = FakeConsumer(messages, stop)

    assert _consume(consumer, processor, stop, batch_size=3, batch_wait_s=0.005) == EXIT_OK
    assert consumer.calls[:4] == [(1, 1.0), (2, 0.005), (1, 1.0), (2, 0.005)]
    assert consumer.stored == [2, 4]


def test_offsets_are_stored_per_partition_up_to_the_first_unhandled_record(parts) -> None:
    processor, publisher, stop, outbox = parts

    def refuse_n3(topic, key, value, headers) -> None:
        if b'"n-3"' in value:
            stop.set()  # SIGTERM while Kafka refuses this receipt
            raise PublishError("broker unavailable (test)")
        publisher.records.append((topic, key, value, headers))

    publisher.publish = refuse_n3
    messages = [
        FakeMessage(0, request_value("n-1"), partition=0),
        FakeMessage(0, request_value("n-2"), partition=1),
        FakeMessage(1, request_value("n-3"), partition=0),
        FakeMessage(1, request_value("n-4"), partition=1),
        FakeMessage(2, request_value("n-5"), partition=0),
    ]
    consumer = FakeConsumer(messages, stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert sorted(consumer.stored_at) == [(0, 0), (1, 1)]  # not (0, 2): n-3 is not handled
    assert consumer.seeks == []
    assert outbox_ids(outbox) == ["n-1", "n-2", "n-3", "n-4", "n-5"]


def test_records_a_slow_batch_deferred_are_consumed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifier.consumer, "BATCH_TIME_BUDGET_S", 0.0)
    stop = threading.Event()
    outbox = tmp_path / "outbox.jsonl"
    processor = Processor(
        DedupStore(tmp_path / "s.sqlite3"), SlowSender(outbox), FakePublisher(), "receipts"
    )
    messages = [FakeMessage(i, request_value(f"n-{i}")) for i in range(4)]
    consumer = FakeConsumer(messages, stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert consumer.seeks == [(0, 1), (0, 2), (0, 3)]  # each batch sent one, then out of time
    assert consumer.stored == [0, 1, 2, 3]
    assert outbox_ids(outbox) == ["n-0", "n-1", "n-2", "n-3"]
    assert len(processor.publisher.on("receipts")) == 4


def test_a_stop_during_a_slow_batch_leaves_the_rest_to_the_next_run(tmp_path: Path) -> None:
    stop = threading.Event()
    outbox = tmp_path / "outbox.jsonl"
    sender = SlowSender(outbox)
    processor = Processor(
        DedupStore(tmp_path / "s.sqlite3"), sender, FakePublisher(), "receipts", stop=stop
    )
    real_send = sender.send_many

    def send_then_sigterm(notifications: list[Notification]) -> list[SendResult]:
        stop.set()
        return real_send(notifications)

    sender.send_many = send_then_sigterm
    consumer = FakeConsumer([FakeMessage(i, request_value(f"n-{i}")) for i in range(3)], stop)

    assert _consume(consumer, processor, stop) == EXIT_OK
    assert consumer.stored == [0]
    assert consumer.seeks == []
    assert outbox_ids(outbox) == ["n-0"]
    assert processor.store.get("n-1") is None
