"""Shared fixtures: a real Kafka broker (the project's in-process one) and test helpers."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_support import Receiver
from support import free_port

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "launcher" / "target" / "baedal.jar"
READY = "Kafka ready at "
BROKER_START_DEADLINE_S = 90.0


def _read_lines(stream, lines: queue.Queue) -> None:
    """Copy a process's output into ``lines`` (None at the end)."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _await_ready(broker: subprocess.Popen, lines: queue.Queue) -> str:
    """The bootstrap address the broker prints once it is ready; fails at the deadline."""
    deadline = time.monotonic() + BROKER_START_DEADLINE_S
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if READY in line:
            return line.split(READY, 1)[1].split()[0]
    broker.kill()
    output = "".join(seen[-30:])
    pytest.fail(f"the Kafka broker did not get ready (exit {broker.poll()}):\n{output}")


def _broker(tmp_path_factory: pytest.TempPathFactory, *options: str) -> Iterator[str]:
    """Runs ``baedal kafka`` from the fat jar with ``options``; yields its bootstrap address."""
    if not JAR.exists():
        pytest.skip("launcher/target/baedal.jar missing: run mvn -DskipTests install")
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not on PATH: needed to start the in-process Kafka broker")
    data_dir = tmp_path_factory.mktemp("kafka")
    command = [java, "-jar", str(JAR), "kafka", "--port", str(free_port()), *options]
    broker = subprocess.Popen(
        command + ["--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(broker.stdout, lines), daemon=True).start()
    try:
        yield _await_ready(broker, lines)
    finally:
        broker.send_signal(signal.SIGTERM)
        try:
            broker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a real broker: ``$BAEDAL_KAFKA`` or the project's in-process one."""
    external = os.environ.get("BAEDAL_KAFKA")
    if external:
        yield external
        return
    yield from _broker(tmp_path_factory)


SASL_USERS = {"admin": "admin-" + uuid.uuid4().hex, "notifier": "notifier-" + uuid.uuid4().hex}


@pytest.fixture(scope="session")
def sasl_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker of our own with a SASL_PLAINTEXT listener (PLAIN and SCRAM) and ACLs enforced;
    :data:`SASL_USERS` are its users, ``admin`` the super user. Yields its bootstrap address."""
    users = [f"--sasl-user={name}={password}" for name, password in SASL_USERS.items()]
    yield from _broker(tmp_path_factory, *users, "--super-user=admin")


@pytest.fixture
def topics(kafka_bootstrap: str) -> dict[str, str]:
    """Fresh requests/receipts/DLQ topics (one partition each) for one test, and their prefix."""
    from confluent_kafka.admin import AdminClient, NewTopic

    prefix = f"test-{uuid.uuid4().hex[:8]}-"  # BAEDAL_KAFKA_TOPIC_PREFIX
    names = {
        "requests": f"{prefix}notification-requests",
        "receipts": f"{prefix}notification-receipts",
        "dlq": f"{prefix}notification-requests.dlq",
    }
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})
    futures = admin.create_topics(
        [NewTopic(name, num_partitions=1, replication_factor=1) for name in names.values()],
        operation_timeout=30,
    )
    for future in futures.values():
        future.result(timeout=30)
    return {**names, "prefix": prefix}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()
