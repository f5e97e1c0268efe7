"""Security settings and hardening: Kafka SASL/TLS from the environment, secrets kept out of
reprs, files with phone numbers readable by the notifier's user only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from support import request_value

from notifier.config import load_config
from notifier.consumer import consumer_config, producer_config
from notifier.payload import parse_request
from notifier.senders import OutboxSender
from notifier.store import DedupStore

SASL_ENV = {
    "BAEDAL_KAFKA": "kafka.baedal.svc:9093",
    "BAEDAL_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "BAEDAL_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "BAEDAL_KAFKA_SASL_USERNAME": "notifier",
    "BAEDAL_KAFKA_SASL_PASSWORD": "s3cret-pass",
    "BAEDAL_KAFKA_SSL_ENDPOINT_IDENTIFICATION": "https",
}


def test_the_kafka_clients_get_the_security_settings_of_the_environment(tmp_path: Path) -> None:
    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    env = {**SASL_ENV, "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION": str(ca)}

    config = load_config([], env)

    expected = {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "notifier",
        "sasl.password": "s3cret-pass",
        "ssl.ca.location": str(ca),
        "ssl.endpoint.identification.algorithm": "https",
    }
    for client in (consumer_config(config), producer_config(config)):
        assert {key: client.get(key) for key in expected} == expected
        assert client["bootstrap.servers"] == "kafka.baedal.svc:9093"


def test_a_jaas_config_gives_the_credentials_and_pem_key_stores_map_to_librdkafka(
    tmp_path: Path,
) -> None:
    key = tmp_path / "client.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    jaas = (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        'username="notifier" password="pa\\"ss";'
    )
    env = {
        "BAEDAL_KAFKA_SECURITY_PROTOCOL": "sasl_ssl",
        "BAEDAL_KAFKA_SASL_MECHANISM": "plain",
        "BAEDAL_KAFKA_SASL_JAAS_CONFIG": jaas,
        "BAEDAL_KAFKA_SSL_KEYSTORE_LOCATION": str(key),
        "BAEDAL_KAFKA_SSL_KEY_PASSWORD": "kp",
        "BAEDAL_KAFKA_SSL_ENDPOINT_IDENTIFICATION": "none",
    }

    security = load_config([], env).kafka_security

    assert security["sasl.mechanism"] == "PLAIN"
    assert (security["sasl.username"], security["sasl.password"]) == ("notifier", 'pa"ss')
    assert security["ssl.certificate.location"] == security["ssl.key.location"] == str(key)
    assert security["ssl.key.password"] == "kp"
    assert security["ssl.endpoint.identification.algorithm"] == "none"


def test_without_security_variables_the_clients_speak_plaintext() -> None:
    config = load_config([], {})

    assert config.kafka_security == {"security.protocol": "PLAINTEXT"}
    assert consumer_config(config)["security.protocol"] == "PLAINTEXT"


@pytest.mark.parametrize(
    "env, named",
    [
        ({"BAEDAL_KAFKA_SECURITY_PROTOCOL": "TLS"}, "BAEDAL_KAFKA_SECURITY_PROTOCOL"),
        ({**SASL_ENV, "BAEDAL_KAFKA_SASL_MECHANISM": ""}, "BAEDAL_KAFKA_SASL_MECHANISM"),
        ({**SASL_ENV, "BAEDAL_KAFKA_SASL_MECHANISM": "GSSAPI"}, "BAEDAL_KAFKA_SASL_MECHANISM"),
        ({**SASL_ENV, "BAEDAL_KAFKA_SASL_PASSWORD": ""}, "BAEDAL_KAFKA_SASL_PASSWORD"),
        ({"BAEDAL_KAFKA_SASL_USERNAME": "notifier"}, "BAEDAL_KAFKA_SASL_USERNAME"),
        (
            {**SASL_ENV, "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION": "/nonexistent/ca.crt"},
            "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION",
        ),
        (
            {
                **SASL_ENV,
                "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION": "/etc/hostname",
                "BAEDAL_KAFKA_SSL_TRUSTSTORE_TYPE": "JKS",
            },
            "BAEDAL_KAFKA_SSL_TRUSTSTORE_TYPE",
        ),
        (
            {"BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION": "/etc/hostname"},
            "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION",
        ),
    ],
)
def test_bad_security_settings_exit_with_status_2_naming_the_variable(
    env: dict[str, str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        load_config([], env)

    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert named in error
    assert "s3cret-pass" not in error


def test_secrets_stay_out_of_the_config_repr() -> None:
    config = load_config([], {**SASL_ENV, "BAEDAL_NOTIFIER_HTTP_TOKEN": "tok-123"})

    assert "s3cret-pass" not in repr(config) and "tok-123" not in repr(config)


def test_the_http_sender_needs_https_unless_the_dev_flag_allows_http() -> None:
    http = {"BAEDAL_NOTIFIER_SENDER": "http", "BAEDAL_NOTIFIER_HTTP_URL": "http://127.0.0.1:9/send"}
    with pytest.raises(SystemExit):
        load_config([], http)

    assert load_config([], {**http, "BAEDAL_NOTIFIER_HTTP_ALLOW_HTTP": "true"}).http_allow_http
    https = {
        "BAEDAL_NOTIFIER_SENDER": "http",
        "BAEDAL_NOTIFIER_HTTP_URL": "https://kapi.example/send",
    }
    assert not load_config([], https).http_allow_http


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_outbox_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    outbox = tmp_path / "new" / "notifications.jsonl"

    OutboxSender(outbox).send_many([parse_request(request_value("n-1"))])

    assert _mode(outbox) == 0o600
    assert _mode(outbox.parent) == 0o700


def test_an_existing_outbox_file_is_tightened_to_0600(tmp_path: Path) -> None:
    outbox = tmp_path / "notifications.jsonl"
    outbox.write_text("")
    outbox.chmod(0o644)

    OutboxSender(outbox)

    assert _mode(outbox) == 0o600


def test_the_sqlite_state_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    state = tmp_path / "notifier.sqlite3"
    store = DedupStore(state)
    try:
        store.claim(["n-1"], "2024-01-01T00:00:00Z")

        assert _mode(state) == 0o600
        wal = state.with_name(state.name + "-wal")
        assert wal.exists() and _mode(wal) == 0o600
    finally:
        store.close()
