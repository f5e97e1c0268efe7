"""Wire formats: Kafka records, parsing requests, the Kakao text template, CloudEvents receipts,
dead letters."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

REQUESTED = "notification.requested"
SENT = "notification.sent"
FAILED = "notification.failed"
SOURCE = "/notifier"
CHANNEL = "kakao"
KAKAO_TEXT_MAX = 200
ELLIPSIS = "…"

# Receipt ids are derived from (notificationId, status): a republished receipt is the same event.
_RECEIPT_NAMESPACE = uuid.UUID("6f1c2a4e-9b7d-4c1e-8a53-0b2d7e4f9c11")


Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Record:
    """A consumed record, independent of the Kafka client."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = field(default_factory=list)


@dataclass(frozen=True)
class Outgoing:
    """A record to write to Kafka."""

    topic: str
    key: str | None
    value: bytes
    headers: Headers = field(default_factory=list)


class Publisher(Protocol):
    """Writes records to Kafka and waits until the broker has them."""

    def publish_many(self, records: Sequence[Outgoing]) -> list[str | None]:
        """Write all of ``records``, then wait once; for each, ``None`` when the broker
        acknowledged it, else why not."""
        ...


class MalformedRecord(ValueError):
    """A record that is not a usable ``notification.requested`` CloudEvent."""


@dataclass(frozen=True)
class Button:
    """A message button: a title and the web page it opens."""

    title: str
    url: str


@dataclass(frozen=True)
class Notification:
    """One notification request (the ``data`` of a ``notification.requested`` event)."""

    notification_id: str
    order_id: str
    customer_id: str
    recipient_phone: str
    template: str
    text: str
    buttons: tuple[Button, ...]
    data: dict[str, Any]

    @property
    def first_url(self) -> str:
        """The URL of the first button, or an empty string."""
        return self.buttons[0].url if self.buttons else ""


@dataclass(frozen=True)
class SendResult:
    """The outcome of delivering one notification."""

    status: str  # "sent" or "failed"
    attempts: int
    at: str  # RFC 3339
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the notification was delivered."""
        return self.status == "sent"


def rfc3339(moment: datetime) -> str:
    """``2024-05-01T12:00:00.123Z`` for an aware datetime (converted to UTC)."""
    utc = moment.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware (the default clock)."""
    return datetime.now(timezone.utc)


def _string(data: dict[str, Any], field: str, required: bool = False) -> str:
    """``data[field]`` as a string; raises :class:`MalformedRecord` on a wrong type."""
    value = data.get(field)
    if value is None:
        if required:
            raise MalformedRecord(f"data.{field} is missing")
        return ""
    if not isinstance(value, str):
        raise MalformedRecord(f"data.{field} is not a string")
    if required and not value.strip():
        raise MalformedRecord(f"data.{field} is empty")
    return value


def _buttons(data: dict[str, Any]) -> tuple[Button, ...]:
    """The ``buttons`` list; each entry needs a string title and url."""
    raw = data.get("buttons") or []
    if not isinstance(raw, list):
        raise MalformedRecord("data.buttons is not a list")
    buttons = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise MalformedRecord("data.buttons has an entry that is not an object")
        buttons.append(Button(_string(entry, "title", True), _string(entry, "url", True)))
    return tuple(buttons)


def _decode_event(value: bytes | None) -> dict[str, Any]:
    """The CloudEvent in a record value, checked for the structured JSON envelope."""
    if value is None:
        raise MalformedRecord("record has no value")
    try:
        event = json.loads(value.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MalformedRecord(f"value is not UTF-8 JSON: {err}") from None
    if not isinstance(event, dict):
        raise MalformedRecord("value is not a JSON object")
    if event.get("specversion") != "1.0":
        raise MalformedRecord("not a CloudEvent 1.0 (specversion)")
    for attribute in ("id", "source", "type"):
        if not isinstance(event.get(attribute), str) or not event[attribute]:
            raise MalformedRecord(f"CloudEvent attribute '{attribute}' is missing")
    if event["type"] != REQUESTED:
        raise MalformedRecord(f"unexpected event type '{event['type']}'")
    if not isinstance(event.get("data"), dict):
        raise MalformedRecord("CloudEvent data is not a JSON object")
    return event


def parse_request(value: bytes | None) -> Notification:
    """Parse a ``notification.requested`` record value; raises :class:`MalformedRecord`."""
    event = _decode_event(value)
    data = event["data"]
    subject = event.get("subject") if isinstance(event.get("subject"), str) else ""
    return Notification(
        notification_id=_string(data, "notificationId", required=True),
        order_id=_string(data, "orderId") or subject,
        customer_id=_string(data, "customerId"),
        recipient_phone=_string(data, "recipientPhone"),
        template=_string(data, "template"),
        text=_string(data, "text", required=True),
        buttons=_buttons(data),
        data=data,
    )


def truncate(text: str, limit: int = KAKAO_TEXT_MAX) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


def kakao_template(notification: Notification) -> dict[str, Any]:
    """The Kakao "text" template object for the "send to me" API."""
    url = notification.first_url
    link = {"web_url": url, "mobile_web_url": url} if url else {}
    template: dict[str, Any] = {
        "object_type": "text",
        "text": truncate(notification.text),
        "link": link,
    }
    if notification.buttons:
        template["button_title"] = notification.buttons[0].title
    return template


def receipt_data(notification: Notification, result: SendResult) -> dict[str, Any]:
    """The ``data`` of a receipt event."""
    data: dict[str, Any] = {
        "notificationId": notification.notification_id,
        "orderId": notification.order_id,
        "customerId": notification.customer_id,
        "template": notification.template,
        "channel": CHANNEL,
        "status": result.status,
        "at": result.at,
        "attempts": result.attempts,
    }
    if not result.ok:
        data["error"] = result.error
    return data


def receipt_event(notification: Notification, result: SendResult) -> dict[str, Any]:
    """The ``notification.sent``/``notification.failed`` CloudEvent for ``result``."""
    event_type = SENT if result.ok else FAILED
    event_id = uuid.uuid5(_RECEIPT_NAMESPACE, f"{notification.notification_id}/{event_type}")
    return {
        "specversion": "1.0",
        "id": str(event_id),
        "source": SOURCE,
        "type": event_type,
        "subject": notification.order_id,
        "time": result.at,
        "datacontenttype": "application/json",
        "data": receipt_data(notification, result),
    }


def encode(event: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON for a record value."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dead_letter(record: Record, reason: str, topic: str, group: str) -> Outgoing:
    """The DLQ copy of a malformed record: its key and value, the reason and origin in headers."""
    headers = [
        ("baedal.reason", reason.encode("utf-8")),
        ("baedal.topic", record.topic.encode("utf-8")),
        ("baedal.partition", str(record.partition).encode("ascii")),
        ("baedal.offset", str(record.offset).encode("ascii")),
        ("baedal.group", group.encode("utf-8")),
    ]
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    return Outgoing(topic, key, record.value or b"", headers)
