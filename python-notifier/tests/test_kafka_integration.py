"""End to end against a real Kafka broker: exactly-once delivery into the outbox file."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from support import TopicReader, committed_offset, outbox_ids, produce, request_value, wait_for

import notifier.consumer
from notifier.config import Config
from notifier.consumer import EXIT_OK, run
from notifier.payload import SendResult, encode, parse_request, receipt_event
from notifier.senders import OutboxSender
from notifier.store import DedupStore, Finished

PROJECT = Path(__file__).resolve().parents[1]


def test_each_notification_is_delivered_and_receipted_exactly_once(
    kafka_bootstrap: str, topics: dict[str, str], tmp_path: Path
) -> None:
    ids = [f"n-{i}-{uuid.uuid4().hex[:6]}" for i in range(6)]
    missing_id = json.loads(request_value("x"))
    del missing_id["data"]["notificationId"]
    records = [(f"o-{i}", request_value(nid, f"o-{i}")) for i, nid in enumerate(ids[:4])]
    records += [
        ("o-1", request_value(ids[1], "o-1")),  # the same notification requested again
        ("o-x", b"not json at all"),
        ("o-y", json.dumps(missing_id).encode()),
    ]
    records += [(f"o-{i}", request_value(nid, f"o-{i}")) for i, nid in enumerate(ids) if i >= 4]
    produce(kafka_bootstrap, topics["requests"], records)
    config = Config(
        kafka=kafka_bootstrap,
        group=f"test-notifier-{uuid.uuid4().hex[:8]}",
        requests_topic=topics["requests"],
        receipts_topic=topics["receipts"],
        dlq_topic=topics["dlq"],
        outbox=tmp_path / "notifications.jsonl",
        state=tmp_path / "notifier.sqlite3",
    )
    stop = threading.Event()
    exit_code: list[int] = []
    notifier = threading.Thread(target=lambda: exit_code.append(run(config, stop)))
    receipts = TopicReader(kafka_bootstrap, topics["receipts"])
    dead = TopicReader(kafka_bootstrap, topics["dlq"])
    notifier.start()
    try:
        # One partition: once the last request's receipt is there, every record was handled.
        receipts.until(lambda r: ids[-1] in r.notification_ids("notification.sent"), 60, "receipts")
        dead.until(lambda r: len(r.records) == 2, 30, "two dead letters")
    finally:
        stop.set()
        notifier.join(30)
        receipts.close()
        dead.close()

    assert not notifier.is_alive() and exit_code == [EXIT_OK]
    assert sorted(outbox_ids(config.outbox)) == sorted(ids)
    assert Counter(receipts.notification_ids("notification.sent")) == Counter(ids)
    for key, receipt, _headers in receipts.records:
        assert receipt["source"] == "/notifier"
        assert key == receipt["subject"] == receipt["data"]["orderId"]
        assert receipt["data"]["channel"] == "kakao"
        assert receipt["data"]["attempts"] == 1
    reasons = [dict(h)["baedal.reason"].decode() for _k, _v, h in dead.records]
    assert "not UTF-8 JSON" in reasons[0] and "notificationId" in reasons[1]
    assert committed_offset(kafka_bootstrap, config.group, topics["requests"]) == len(records)


def start_notifier(env: dict[str, str], log: Path) -> subprocess.Popen:
    """``python3 -m notifier`` from the project directory, logging to ``log``."""
    with open(log, "ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "notifier"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def test_a_notifier_killed_mid_stream_resumes_without_duplicates_or_gaps(
    kafka_bootstrap: str, topics: dict[str, str], tmp_path: Path
) -> None:
    count = 300
    ids = [f"k-{i:03d}-{uuid.uuid4().hex[:6]}" for i in range(count)]
    produce(
        kafka_bootstrap,
        topics["requests"],
        [(f"o-{i}", request_value(nid, f"o-{i}")) for i, nid in enumerate(ids)],
    )
    outbox = tmp_path / "notifications.jsonl"
    log = tmp_path / "notifier.log"
    env = {
        **os.environ,
        "BAEDAL_KAFKA": kafka_bootstrap,
        "BAEDAL_KAFKA_GROUP_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "BAEDAL_NOTIFIER_INSTANCE_ID": "notifier-kill-test",  # static membership: fast rejoin
        "BAEDAL_NOTIFIER_BATCH_SIZE": "50",  # several batches: the kill lands between two of them
        "BAEDAL_KAFKA_TOPIC_PREFIX": topics["prefix"],
        "BAEDAL_NOTIFIER_OUTBOX": str(outbox),
        "BAEDAL_NOTIFIER_STATE": str(tmp_path / "notifier.sqlite3"),
    }
    first = start_notifier(env, log)
    try:
        wait_for(lambda: len(outbox_ids(outbox)) >= 25, 60, "the first deliveries", 0.005)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    delivered_before_kill = len(outbox_ids(outbox))

    second = start_notifier(env, log)
    receipts = TopicReader(kafka_bootstrap, topics["receipts"])
    try:
        wait_for(lambda: len(set(outbox_ids(outbox))) == count, 60, "every delivery")
        receipts.until(
            lambda r: set(r.notification_ids("notification.sent")) == set(ids), 60, "receipts"
        )
    finally:
        second.send_signal(signal.SIGTERM)
        code = second.wait(30)
        receipts.close()

    assert code == 0, log.read_text()[-3000:]
    delivered = outbox_ids(outbox)
    assert sorted(delivered) == sorted(ids), f"{delivered_before_kill} delivered before the kill"
    assert delivered_before_kill < count, "the kill came too late to be mid-stream"
    event_ids = defaultdict(set)
    for _key, receipt, _headers in receipts.records:
        assert receipt["type"] == "notification.sent"
        event_ids[receipt["data"]["notificationId"]].add(receipt["id"])
    assert all(len(same) == 1 for same in event_ids.values()), "republished receipts differ"
    assert '"msg": "notifier stopped"' in log.read_text()


def test_sigint_stops_the_notifier_cleanly(
    kafka_bootstrap: str, topics: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "notifier.log"
    env = {
        **os.environ,
        "BAEDAL_KAFKA": kafka_bootstrap,
        "BAEDAL_KAFKA_GROUP_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "BAEDAL_KAFKA_TOPIC_PREFIX": topics["prefix"],
        "BAEDAL_NOTIFIER_OUTBOX": str(tmp_path / "notifications.jsonl"),
        "BAEDAL_NOTIFIER_STATE": str(tmp_path / "notifier.sqlite3"),
    }
    notifier = start_notifier(env, log)
    try:
        wait_for(lambda: "notifier starting" in log.read_text(), 30, "the start")
    finally:
        notifier.send_signal(signal.SIGINT)
        code = notifier.wait(30)

    assert code == 0
    assert '"msg": "notifier stopped"' in log.read_text()


def config_for(bootstrap: str, topics: dict[str, str], tmp_path: Path, **overrides) -> Config:
    """A notifier configuration on the test's topics and files, with a fresh group."""
    settings = dict(
        kafka=bootstrap,
        group=f"test-notifier-{uuid.uuid4().hex[:8]}",
        requests_topic=topics["requests"],
        receipts_topic=topics["receipts"],
        dlq_topic=topics["dlq"],
        outbox=tmp_path / "notifications.jsonl",
        state=tmp_path / "notifier.sqlite3",
    )
    return Config(**{**settings, **overrides})


class OneAtATimeSender(OutboxSender):
    """An outbox sender handled like HTTP (no exact recovery): claimed and sent one by one."""

    name = "one-at-a-time"
    exact_recovery = False


def test_records_a_batch_deferred_are_consumed_again_from_the_broker(
    kafka_bootstrap: str,
    topics: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(notifier.consumer, "BATCH_TIME_BUDGET_S", 0.0)  # one send per batch
    caplog.set_level(logging.DEBUG, logger="notifier.consumer")
    ids = [f"s-{i:02d}-{uuid.uuid4().hex[:6]}" for i in range(12)]
    produce(
        kafka_bootstrap,
        topics["requests"],
        [(f"o-{i}", request_value(n)) for i, n in enumerate(ids)],
    )
    config = config_for(kafka_bootstrap, topics, tmp_path)
    stop = threading.Event()
    exit_code: list[int] = []
    sender = OneAtATimeSender(config.outbox)
    notifier_thread = threading.Thread(target=lambda: exit_code.append(run(config, stop, sender)))
    receipts = TopicReader(kafka_bootstrap, topics["receipts"])
    notifier_thread.start()
    try:
        receipts.until(lambda r: len(r.records) >= len(ids), 60, "every receipt")
    finally:
        stop.set()
        notifier_thread.join(30)
        receipts.close()

    assert exit_code == [EXIT_OK]
    seeks = [r for r in caplog.records if r.getMessage() == "consuming the deferred records again"]
    assert seeks, "no batch was deferred: the test did not exercise seek()"
    assert outbox_ids(config.outbox) == ids  # in order, each once, despite the seeks
    assert receipts.notification_ids("notification.sent") == ids
    assert committed_offset(kafka_bootstrap, config.group, topics["requests"]) == len(ids)


def test_receipts_a_crash_left_unpublished_go_out_at_start(
    kafka_bootstrap: str, topics: dict[str, str], tmp_path: Path
) -> None:
    config = config_for(kafka_bootstrap, topics, tmp_path)
    store = DedupStore(config.state)  # what a run that died before its flush left behind
    notification = parse_request(request_value("n-lost", "o-lost"))
    receipt = encode(receipt_event(notification, SendResult("sent", 1, "2024-05-01T12:00:00Z")))
    store.claim(["n-lost"], "2024-05-01T12:00:00Z")
    store.finish([Finished("n-lost", "sent", "2024-05-01T12:00:00Z", receipt.decode())])
    store.close()
    stop = threading.Event()
    notifier_thread = threading.Thread(target=lambda: run(config, stop))
    receipts = TopicReader(kafka_bootstrap, topics["receipts"])
    notifier_thread.start()
    try:
        receipts.until(lambda r: len(r.records) == 1, 60, "the republished receipt")
    finally:
        stop.set()
        notifier_thread.join(30)
        receipts.close()

    [(key, value, _headers)] = receipts.records
    assert (key, value) == ("o-lost", json.loads(receipt))
    assert DedupStore(config.state).get("n-lost").published
