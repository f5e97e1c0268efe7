"""Configuration from the environment, overridden on the command line."""

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


def test_the_environment_sets_everything() -> None:
    env = {
        "BAEDAL_KAFKA": "kafka:9092",
        "NOTIFIER_GROUP": "g",
        "NOTIFIER_SENDER": "http",
        "NOTIFIER_OUTBOX": "/tmp/o.jsonl",
        "NOTIFIER_STATE": "/tmp/s.sqlite3",
        "NOTIFIER_HTTP_URL": "http://127.0.0.1:1/send",
        "NOTIFIER_HTTP_ALLOW_HTTP": "true",
        "NOTIFIER_HTTP_TOKEN": "secret",
        "NOTIFIER_HTTP_TIMEOUT": "2.5",
        "NOTIFIER_MAX_ATTEMPTS": "6",
        "NOTIFIER_BACKOFF_BASE": "0.1",
        "NOTIFIER_BACKOFF_MAX": "3",
        "NOTIFIER_REQUESTS_TOPIC": "req",
        "NOTIFIER_RECEIPTS_TOPIC": "rec",
        "NOTIFIER_INSTANCE_ID": "notifier-1",
        "NOTIFIER_LOG_LEVEL": "debug",
    }

    config = load_config([], env)

    assert config == Config(
        kafka="kafka:9092",
        group="g",
        requests_topic="req",
        receipts_topic="rec",
        dlq_topic="req.dlq",
        instance_id="notifier-1",
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
    env = {"BAEDAL_KAFKA": "kafka:9092", "NOTIFIER_MAX_ATTEMPTS": "6"}

    config = load_config(["--kafka", "other:9092", "--max-attempts", "2"], env)

    assert (config.kafka, config.max_attempts) == ("other:9092", 2)


def test_an_empty_dlq_topic_disables_dead_lettering() -> None:
    assert load_config([], {"NOTIFIER_DLQ_TOPIC": ""}).dlq_topic == ""


@pytest.mark.parametrize(
    "argv, env",
    [
        ([], {"NOTIFIER_SENDER": "http"}),
        ([], {"NOTIFIER_SENDER": "sms"}),
        ([], {"NOTIFIER_MAX_ATTEMPTS": "0"}),
        ([], {"NOTIFIER_MAX_ATTEMPTS": "many"}),
        ([], {"NOTIFIER_HTTP_TIMEOUT": "0"}),
        ([], {"NOTIFIER_BACKOFF_BASE": "-1"}),
        ([], {"NOTIFIER_BACKOFF_BASE": "5", "NOTIFIER_BACKOFF_MAX": "1"}),
        (["--unknown"], {}),
    ],
)
def test_invalid_settings_exit_with_status_2(argv: list[str], env: dict[str, str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        load_config(argv, env)

    assert exit_info.value.code == 2


def test_the_batch_settings_come_from_the_environment_or_the_command_line() -> None:
    assert (Config().batch_size, Config().batch_wait_ms) == (200, 0.0)
    env = {"NOTIFIER_BATCH_SIZE": "500", "NOTIFIER_BATCH_WAIT_MS": "2.5"}

    assert (load_config([], env).batch_size, load_config([], env).batch_wait_ms) == (500, 2.5)
    assert load_config(["--batch-size", "1", "--batch-wait-ms", "0"], env).batch_size == 1


@pytest.mark.parametrize(
    "env",
    [
        {"NOTIFIER_BATCH_SIZE": "0"},
        {"NOTIFIER_BATCH_SIZE": "10001"},
        {"NOTIFIER_BATCH_SIZE": "lots"},
        {"NOTIFIER_BATCH_WAIT_MS": "-1"},
        {"NOTIFIER_BATCH_WAIT_MS": "1001"},
    ],
)
def test_invalid_batch_settings_exit_with_status_2(env: dict[str, str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        load_config([], env)

    assert exit_info.value.code == 2
