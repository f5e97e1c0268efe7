"""Structured logging: one JSON object per line."""

from __future__ import annotations

import json
import logging
import sys

from notifier.logs import JsonFormatter, mask_phone


def _record(msg: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("notifier.test", logging.INFO, __file__, 1, msg, None, None)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_line_of_json_with_its_extra_fields() -> None:
    line = JsonFormatter().format(_record("주문 delivered", notificationId="n-1", attempts=2))

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "INFO"
    assert entry["logger"] == "notifier.test"
    assert entry["msg"] == "주문 delivered"
    assert entry["notificationId"] == "n-1"
    assert entry["attempts"] == 2
    assert entry["time"].endswith("Z")


def test_an_exception_is_included_in_the_same_line() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("n", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()

    entry = json.loads(JsonFormatter().format(record))

    assert "RuntimeError: boom" in entry["exc"]


def test_phone_numbers_are_masked_in_logs() -> None:
    assert mask_phone("010-1234-5678") == "***-****-5678"
    assert mask_phone("") == ""
