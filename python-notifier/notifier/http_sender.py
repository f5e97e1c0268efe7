"""The HTTP sender: a Kakao "send to me" style POST, with retries (exponential back-off, full
jitter) and no redirects."""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.client import HTTPException

from .logs import mask_phone
from .payload import Clock, Notification, SendResult, kakao_template, rfc3339, utc_now

log = logging.getLogger("notifier.sender")

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``max_attempts`` tries; after failed try n, wait uniform(0, min(cap, base*2^(n-1)))."""

    max_attempts: int = 4
    base: float = 0.5
    cap: float = 8.0

    def ceiling(self, attempt: int) -> float:
        """The longest wait after failed attempt ``attempt`` (1-based)."""
        return min(self.cap, self.base * 2 ** min(attempt - 1, 62))

    def delay(self, attempt: int, rng: random.Random) -> float:
        """A full-jitter wait after failed attempt ``attempt``."""
        return rng.uniform(0.0, self.ceiling(attempt))

    def should_retry(self, attempt: int, retryable: bool) -> bool:
        """Whether to try again after failed attempt ``attempt``."""
        return retryable and attempt < self.max_attempts


def is_retryable_status(status: int) -> bool:
    """HTTP statuses worth another try: 429 and 5xx (other 4xx will not get better)."""
    return status == 429 or 500 <= status <= 599


def _body_excerpt(err: urllib.error.HTTPError) -> str:
    """The first 200 bytes of an error response, for the receipt's ``error``."""
    try:
        return err.read(200).decode("utf-8", "replace").strip()
    except (OSError, HTTPException, AttributeError):
        return ""


@dataclass(frozen=True)
class _Attempt:
    """The outcome of one HTTP request."""

    ok: bool
    retryable: bool
    error: str = ""


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
        """An interrupted HTTP send has an unknown outcome: never resend, report it failed."""
        error = "interrupted by a restart; outcome unknown, not resent (at-most-once)"
        for notification in notifications:
            log.warning(
                "kakao send was interrupted, not resending",
                extra={"notificationId": notification.notification_id},
            )
        return [SendResult("failed", 1, rfc3339(self.clock()), error) for _ in notifications]

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
