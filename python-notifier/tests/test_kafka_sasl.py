"""Against a real broker with SASL/SCRAM and ACLs: the notifier configured only through the
``BAEDAL_KAFKA_*`` security variables consumes and receipts, and may write nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

from confluent_kafka import Consumer, KafkaError, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from conftest import JAR, SASL_USERS
from support import request_value, wait_for

from notifier.config import load_config
from notifier.consumer import EXIT_OK, run


def _login(user: str, mechanism: str = "SCRAM-SHA-512") -> dict[str, str]:
    return {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": mechanism,
        "sasl.username": user,
        "sasl.password": SASL_USERS[user],
    }


def _allow(bootstrap: str, admin_config: Path, user: str, *resources_and_operations: str) -> None:
    """Adds ACLs with Kafka's own kafka-acls.sh command (its class in the project's jar; the
    Debian confluent-kafka has no ACL API)."""
    command = [
        shutil.which("java") or "java",
        "-cp",
        str(JAR),
        "kafka.admin.AclCommand",
        "--bootstrap-server",
        bootstrap,
        "--command-config",
        str(admin_config),
        "--add",
        "--force",
        "--allow-principal",
        f"User:{user}",
        *resources_and_operations,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def _topics_and_acls(
    sasl_kafka: str, tmp_path: Path, requests: str, receipts: str, group: str
) -> None:
    """The notifier's topics, and its ACLs of deploy/kafka/acls.sh."""
    admin = AdminClient({"bootstrap.servers": sasl_kafka, **_login("admin", "PLAIN")})
    created = admin.create_topics(
        [NewTopic(t, 1, 1) for t in (requests, receipts, requests + ".dlq")]
    )
    for future in created.values():
        future.result(timeout=30)
    # the notifier's ACLs of deploy/kafka/acls.sh: read the requests in its group, write the
    # receipts and the dead letters
    admin_config = tmp_path / "admin.properties"
    admin_config.write_text(
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="admin" password="{SASL_USERS["admin"]}";\n'
    )
    _allow(
        sasl_kafka,
        admin_config,
        "notifier",
        "--operation",
        "Read",
        "--topic",
        requests,
        "--group",
        group,
    )
    _allow(
        sasl_kafka,
        admin_config,
        "notifier",
        "--operation",
        "Write",
        "--topic",
        receipts,
        "--topic",
        requests + ".dlq",
    )


def _cannot_forge_a_request(sasl_kafka: str, requests: str) -> None:
    """The notifier's credentials cannot write a request (for another customer)."""
    forger = Producer(
        {"bootstrap.servers": sasl_kafka, **_login("notifier"), "message.timeout.ms": 10000}
    )
    errors: list[KafkaError] = []
    forger.produce(
        requests,
        value=request_value("forged", "o-2"),
        on_delivery=lambda err, _msg: errors.append(err),
    )
    forger.flush(30)
    assert len(errors) == 1 and errors[0] is not None
    assert errors[0].code() in (
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    ), errors[0]


def test_the_notifier_runs_on_a_sasl_broker_with_its_own_credentials_and_acls(
    sasl_kafka: str, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:8]
    prefix, group_prefix = f"t{suffix}-", f"baedal-{suffix}"  # as the Java services name them
    requests, receipts = f"{prefix}notification-requests", f"{prefix}notification-receipts"
    group = f"{group_prefix}-notifier"
    _topics_and_acls(sasl_kafka, tmp_path, requests, receipts, group)

    producer = Producer({"bootstrap.servers": sasl_kafka, **_login("admin")})
    nid = f"n-{suffix}"
    producer.produce(requests, key="o-1", value=request_value(nid, "o-1"))
    assert producer.flush(30) == 0

    env = {
        "BAEDAL_KAFKA": sasl_kafka,
        "BAEDAL_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "BAEDAL_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "BAEDAL_KAFKA_SASL_USERNAME": "notifier",
        "BAEDAL_KAFKA_SASL_PASSWORD": SASL_USERS["notifier"],
        "BAEDAL_KAFKA_GROUP_PREFIX": group_prefix,
        "BAEDAL_KAFKA_TOPIC_PREFIX": prefix,
        "BAEDAL_DATA_DIR": str(tmp_path),
    }
    config = load_config([], env)
    stop = threading.Event()
    exit_code: list[int] = []
    notifier = threading.Thread(target=lambda: exit_code.append(run(config, stop)))
    reader = Consumer(
        {
            "bootstrap.servers": sasl_kafka,
            **_login("admin"),
            "group.id": f"reader-{suffix}",
            "auto.offset.reset": "earliest",
        }
    )
    reader.subscribe([receipts])
    seen: list[dict] = []

    def receipt_arrived() -> bool:
        msg = reader.poll(0.2)
        if msg is not None and msg.error() is None:
            seen.append(json.loads(msg.value()))
        return any(r["data"]["notificationId"] == nid for r in seen)

    notifier.start()
    try:
        wait_for(receipt_arrived, 60, "the receipt of the notifier on the SASL broker")
    finally:
        stop.set()
        notifier.join(30)
        reader.close()
    assert exit_code == [EXIT_OK]
    assert [r["type"] for r in seen] == ["notification.sent"]

    _cannot_forge_a_request(sasl_kafka, requests)


def test_a_wrong_password_is_refused(sasl_kafka: str) -> None:
    errors: list[KafkaError] = []
    consumer = Consumer(
        {
            "bootstrap.servers": sasl_kafka,
            **_login("notifier"),
            "sasl.password": "wrong",
            "group.id": "nobody",
            "error_cb": errors.append,
        }
    )
    consumer.subscribe(["notification-requests"])
    try:

        def refused() -> bool:
            consumer.poll(0.2)
            return any(e.code() == KafkaError._AUTHENTICATION for e in errors)

        wait_for(refused, 30, "an authentication failure")
    finally:
        consumer.close()
