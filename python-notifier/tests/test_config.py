"""Configuration from the environment (``BAEDAL_*``, as the Java side names its settings), a few
settings overridden on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifier.config import Config, load_config


def test_defaults_without_environment() -> None:
    config = load_config([], {})

    assert config == Config()
    assert config.kafka == "127.0.0.1:19092"
    assert config.group == "baedal-notifier"
    assert config.sender == "outbox"
    assert config.outbox == Path(".baedal/notifications.jsonl")
    assert config.state == Path(".baedal/notifier.sqlite3")
    assert (config.max_attempts, config.backoff_base, config.backoff_max) == (4, 0.5, 8.0)
    assert config.dlq_topic == "notification-requests.dlq"
    assert (config.batch_size, config.batch_wait_ms) == (200, 0.0)


def test_topics_group_and_files_follow_the_settings_of_the_java_side() -> None:
    env = {
        "BAEDAL_KAFKA_TOPIC_PREFIX": "t1-",
        "BAEDAL_KAFKA_GROUP_PREFIX": "shop",
        "BAEDAL_DATA_DIR": "/var/lib/baedal",
    }

    config = load_config([], env)

    assert (config.requests_topic, config.receipts_topic, config.dlq_topic) == (
        "t1-notification-requests",
        "t1-notification-receipts",
        "t1-notification-requests.dlq",
    )
    assert config.group == "shop-notifier"
    assert config.outbox == Path("/var/lib/baedal/notifications.jsonl")
    assert config.state == Path("/var/lib/baedal/notifier.sqlite3")


def test_the_environment_sets_everything() -> None:
    env = {
        "BAEDAL_KAFKA": "kafka:9092",
        "BAEDAL_KAFKA_GROUP_PREFIX": "g",
        "BAEDAL_KAFKA_TOPIC_PREFIX": "p-",
        "BAEDAL_NOTIFIER_SENDER": "http",
        "BAEDAL_NOTIFIER_OUTBOX": "/tmp/o.jsonl",
        "BAEDAL_NOTIFIER_STATE": "/tmp/s.sqlite3",
        "BAEDAL_NOTIFIER_HTTP_URL": "http://127.0.0.1:1/send",
        "BAEDAL_NOTIFIER_HTTP_ALLOW_HTTP": "true",
        "BAEDAL_NOTIFIER_HTTP_TOKEN": "secret",
        "BAEDAL_NOTIFIER_HTTP_TIMEOUT": "2.5",
        "BAEDAL_NOTIFIER_MAX_ATTEMPTS": "6",
        "BAEDAL_NOTIFIER_BACKOFF_BASE": "0.1",
        "BAEDAL_NOTIFIER_BACKOFF_MAX": "3",
        "BAEDAL_NOTIFIER_INSTANCE_ID": "notifier-1",
        "BAEDAL_NOTIFIER_BATCH_SIZE": "500",
        "BAEDAL_NOTIFIER_BATCH_WAIT_MS": "2.5",
        "BAEDAL_NOTIFIER_LOG_LEVEL": "debug",
    }

    config = load_config([], env)

    assert config == Config(
        kafka="kafka:9092",
        group="g-notifier",
        requests_topic="p-notification-requests",
        receipts_topic="p-notification-receipts",
        dlq_topic="p-notification-requests.dlq",
        instance_id="notifier-1",
        batch_size=500,
        batch_wait_ms=2.5,
        sender="http",
        outbox=Path("/tmp/o.jsonl"),
        state=Path("/tmp/s.sqlite3"),
        http_url="http://127.0.0.1:1/send",
        http_allow_http=True,
        http_token="secret",
        http_timeout=2.5,
        max_attempts=6,
        backoff_base=0.1,
        backoff_max=3.0,
        log_level="DEBUG",
    )


def test_the_command_line_overrides_the_environment() -> None:
    env = {"BAEDAL_KAFKA": "kafka:9092", "BAEDAL_NOTIFIER_STATE": "/tmp/s.sqlite3"}
    argv = ["--kafka", "other:9092", "--state", "/tmp/t.sqlite3", "--log-level", "warning"]

    config = load_config(argv, env)

    assert (config.kafka, config.state, config.log_level) == (
        "other:9092",
        Path("/tmp/t.sqlite3"),
        "WARNING",
    )


@pytest.mark.parametrize(
    "argv, env",
    [
        ([], {"BAEDAL_NOTIFIER_SENDER": "http"}),
        ([], {"BAEDAL_NOTIFIER_SENDER": "sms"}),
        (["--sender", "sms"], {}),
        ([], {"BAEDAL_NOTIFIER_MAX_ATTEMPTS": "0"}),
        ([], {"BAEDAL_NOTIFIER_MAX_ATTEMPTS": "many"}),
        ([], {"BAEDAL_NOTIFIER_HTTP_TIMEOUT": "0"}),
        ([], {"BAEDAL_NOTIFIER_HTTP_ALLOW_HTTP": "maybe"}),
        ([], {"BAEDAL_NOTIFIER_BACKOFF_BASE": "-1"}),
        ([], {"BAEDAL_NOTIFIER_BACKOFF_BASE": "5", "BAEDAL_NOTIFIER_BACKOFF_MAX": "1"}),
        ([], {"BAEDAL_NOTIFIER_BATCH_SIZE": "0"}),
        ([], {"BAEDAL_NOTIFIER_BATCH_SIZE": "10001"}),
        ([], {"BAEDAL_NOTIFIER_BATCH_SIZE": "lots"}),
        ([], {"BAEDAL_NOTIFIER_BATCH_WAIT_MS": "-1"}),
        ([], {"BAEDAL_NOTIFIER_BATCH_WAIT_MS": "1001"}),
        ([], {"BAEDAL_NOTIFIER_LOG_LEVEL": "chatty"}),
        (["--unknown"], {}),
    ],
)
def test_invalid_settings_exit_with_status_2_naming_the_variable(
    argv: list[str], env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        load_config(argv, env)

    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert all(name in error for name in env)
