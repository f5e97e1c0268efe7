"""Senders: how a notification reaches the customer (an outbox file, or HTTP)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .config import Config
from .http_sender import HttpSender, RetryPolicy
from .logs import mask_phone
from .payload import Clock, Notification, SendResult, rfc3339, utc_now

log = logging.getLogger("notifier.sender")


class Sender(Protocol):
    """Delivers notifications. Delivery failures are results, not exceptions."""

    name: str

    exact_recovery: bool
    """True when :meth:`recover_many` tells for certain whether an interrupted send went out.
    Then a whole batch may be claimed, sent and recorded at once; otherwise each notification
    is claimed right before its own send and recorded right after it."""

    def send_many(self, notifications: Sequence[Notification]) -> list[SendResult]:
        """Deliver each of ``notifications``; returns ``sent`` or ``failed`` for each, in order."""
        ...

    def recover_many(self, notifications: Sequence[Notification]) -> list[SendResult | None]:
        """Outcomes of earlier sends of ``notifications`` that were interrupted by a crash.

        For each: a result when the outcome is known or must be decided without sending
        again, or ``None`` when the notification certainly was not delivered (safe to send).
        """
        ...


class OutboxSender:
    """Appends each delivered notification as one JSON line (plus ``deliveredAt``) to a file."""

    name = "outbox"
    exact_recovery = True  # the file itself says whether a line went out

    def __init__(self, path: Path, clock: Clock = utc_now) -> None:
        self.path = path
        self.clock = clock
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # the lines hold phone numbers: only the notifier's user may read them
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)

    def send_many(self, notifications: Sequence[Notification]) -> list[SendResult]:
        """Append one line per notification, then one flush and fsync for them all.

        An I/O error propagates (none of them is handled; the records are redelivered and
        :meth:`recover_many` finds the lines that did reach the file).
        """
        if not notifications:
            return []
        at = rfc3339(self.clock())
        lines = [
            json.dumps({**n.data, "deliveredAt": at}, ensure_ascii=False).encode("utf-8") + b"\n"
            for n in notifications
        ]
        prefix = b"\n" if self._ends_torn() else b""
        with open(self.path, "ab") as out:
            out.write(prefix + b"".join(lines))
            out.flush()
            os.fsync(out.fileno())
        for notification in notifications:
            self._log_delivered(notification)
        return [SendResult("sent", 1, at) for _ in notifications]

    def recover_many(self, notifications: Sequence[Notification]) -> list[SendResult | None]:
        """For each: ``sent`` if the outbox holds its line, else ``None``; one read of the file."""
        found = self._find_all({n.notification_id for n in notifications})
        return [
            SendResult("sent", 1, found[n.notification_id]) if n.notification_id in found else None
            for n in notifications
        ]

    def _find_all(self, notification_ids: set[str]) -> dict[str, str]:
        """The ``deliveredAt`` of each of ``notification_ids`` that the outbox holds."""
        found: dict[str, str] = {}
        if not self.path.exists():
            return found
        with open(self.path, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                entry = _json_object(line)
                nid = entry.get("notificationId") if entry else None
                if nid in notification_ids and nid not in found:
                    found[nid] = str(entry.get("deliveredAt") or rfc3339(self.clock()))
        return found

    def _ends_torn(self) -> bool:
        """True when the file's last line lacks its newline (a write cut short by a crash)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return False
        with open(self.path, "rb") as check:
            check.seek(-1, os.SEEK_END)
            return check.read(1) != b"\n"

    def _log_delivered(self, notification: Notification) -> None:
        """Log a delivery."""
        log.info(
            "kakao message delivered to the outbox",
            extra={
                "notificationId": notification.notification_id,
                "orderId": notification.order_id,
                "template": notification.template,
                "recipient": mask_phone(notification.recipient_phone),
                "outbox": str(self.path),
            },
        )


def _json_object(line: str) -> dict | None:
    """``line`` parsed as a JSON object, or ``None`` for a torn or foreign line."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


def build_sender(config: Config) -> Sender:
    """The sender ``config`` asks for."""
    if config.sender == "http":
        policy = RetryPolicy(config.max_attempts, config.backoff_base, config.backoff_max)
        return HttpSender(
            config.http_url,
            config.http_token,
            config.http_timeout,
            policy,
            allow_http=config.http_allow_http,
        )
    return OutboxSender(config.outbox)
