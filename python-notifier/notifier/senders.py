"""Senders: how a notification reaches the customer (an outbox file, or HTTP)."""

from __future__ import annotations

import json
import logging
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime
from http.client import HTTPException
from pathlib import Path
from typing import Protocol

from .config import Config
from .logs import mask_phone
from .payload import Notification, SendResult, kakao_template, rfc3339, utc_now
from .retry import RetryPolicy, is_retryable_status

log = logging.getLogger("notifier.sender")

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]


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

    def send(self, notification: Notification) -> SendResult:
        """Append and fsync one line (see :meth:`send_many`)."""
        return self.send_many([notification])[0]

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

    def recover(self, notification: Notification) -> SendResult | None:
        """``sent`` if the outbox already holds the line, else ``None`` (send it now)."""
        return self.recover_many([notification])[0]

    def recover_many(self, notifications: Sequence[Notification]) -> list[SendResult | None]:
        """For each: ``sent`` if the outbox holds its line, else ``None``; one read of the file."""
        found = self._find_all({n.notification_id for n in notifications})
        return [
            SendResult("sent", 1, found[n.notification_id]) if n.notification_id in found else None
            for n in notifications
        ]

    def find(self, notification_id: str) -> str | None:
        """The ``deliveredAt`` of ``notification_id`` in the outbox, or ``None``."""
        return self._find_all({notification_id}).get(notification_id)

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


def _body_excerpt(err: urllib.error.HTTPError) -> str:
    """The first 200 bytes of an error response, for the receipt's ``error``."""
    try:
        return err.read(200).decode("utf-8", "replace").strip()
    except (OSError, HTTPException, AttributeError):
        return ""


class _Attempt:
    """The outcome of one HTTP request."""

    def __init__(self, ok: bool, retryable: bool, error: str = "") -> None:
        self.ok = ok
        self.retryable = retryable
        self.error = error


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: the 3xx comes back as an :class:`urllib.error.HTTPError`, so the
    bearer token never goes to another URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, PLR0913
        return None


class HttpSender:
    """POSTs a Kakao "send to me" style ``template_object`` form, with retries and back-off.

    It follows no redirect (a 3xx is a failure, not retried) and takes an ``https://`` URL
    only, unless ``allow_http`` (development: a local test receiver).
    """

    name = "http"
    exact_recovery = False  # an interrupted call's outcome is unknown

    def __init__(
        self,
        url: str,
        token: str,
        timeout: float,
        policy: RetryPolicy,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
        clock: Clock = utc_now,
        handlers: Sequence[urllib.request.BaseHandler] = (),
        allow_http: bool = False,
    ) -> None:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme != "https" and not (allow_http and scheme == "http"):
            raise ValueError(f"the HTTP sender needs an https:// URL, got {scheme or 'no'} scheme")
        self.url = url
        self.token = token
        self.timeout = timeout
        self.policy = policy
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.clock = clock
        # extra handlers (e.g. a proxy setting) go beside the redirect refusal, never replace it
        self.opener = urllib.request.build_opener(_RefuseRedirects(), *handlers)

    def send(self, notification: Notification) -> SendResult:
        """Try up to ``policy.max_attempts`` times; 4xx other than 429 is not retried."""
        request = self._request(notification)
        attempt = 0
        while True:
            attempt += 1
            outcome = self._post(request)
            if outcome.ok:
                self._log_delivered(notification, attempt)
                return SendResult("sent", attempt, rfc3339(self.clock()))
            if not self.policy.should_retry(attempt, outcome.retryable):
                self._log_failed(notification, attempt, outcome.error)
                return SendResult("failed", attempt, rfc3339(self.clock()), outcome.error)
            delay = self.policy.delay(attempt, self.rng)
            log.warning(
                "kakao send failed, retrying",
                extra={
                    "notificationId": notification.notification_id,
                    "attempt": attempt,
                    "error": outcome.error,
                    "retryIn": round(delay, 3),
                },
            )
            self.sleep(delay)

    def send_many(self, notifications: Sequence[Notification]) -> list[SendResult]:
        """:meth:`send` each in turn (the processor hands over one at a time, see
        ``exact_recovery``)."""
        return [self.send(notification) for notification in notifications]

    def recover_many(self, notifications: Sequence[Notification]) -> list[SendResult | None]:
        """:meth:`recover` each: ``failed``, never resent."""
        return [self.recover(notification) for notification in notifications]

    def recover(self, notification: Notification) -> SendResult | None:
        """An interrupted HTTP send has an unknown outcome: never resend, report it failed."""
        error = "interrupted by a restart; outcome unknown, not resent (at-most-once)"
        log.warning(
            "kakao send was interrupted, not resending",
            extra={"notificationId": notification.notification_id},
        )
        return SendResult("failed", 1, rfc3339(self.clock()), error)

    def _request(self, notification: Notification) -> urllib.request.Request:
        """The POST request: form body ``template_object=<json>`` and the bearer token."""
        template = json.dumps(kakao_template(notification), ensure_ascii=False)
        body = urllib.parse.urlencode({"template_object": template}).encode("ascii")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded;charset=utf-8",
            "Idempotency-Key": notification.notification_id,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def _post(self, request: urllib.request.Request) -> _Attempt:
        """One request; maps every HTTP or network problem to a (retryable?) failure."""
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
                return _Attempt(True, False)
        except urllib.error.HTTPError as err:
            if 300 <= err.code <= 399:
                location = err.headers.get("Location", "") if err.headers else ""
                return _Attempt(False, False, f"HTTP {err.code}: redirect to {location!r} refused")
            detail = _body_excerpt(err)
            return _Attempt(False, is_retryable_status(err.code), f"HTTP {err.code}: {detail}")
        except TimeoutError:
            return _Attempt(False, True, f"timed out after {self.timeout}s")
        except (urllib.error.URLError, HTTPException, OSError) as err:
            reason = getattr(err, "reason", err)
            return _Attempt(False, True, f"{type(err).__name__}: {reason}")

    def _log_delivered(self, notification: Notification, attempts: int) -> None:
        """Log a delivery."""
        log.info(
            "kakao message delivered over HTTP",
            extra={
                "notificationId": notification.notification_id,
                "orderId": notification.order_id,
                "recipient": mask_phone(notification.recipient_phone),
                "attempts": attempts,
            },
        )

    def _log_failed(self, notification: Notification, attempts: int, error: str) -> None:
        """Log a final failure."""
        log.error(
            "kakao send failed for good",
            extra={
                "notificationId": notification.notification_id,
                "orderId": notification.order_id,
                "attempts": attempts,
                "error": error,
            },
        )


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
