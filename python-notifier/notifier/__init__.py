"""Baedal notifier: delivers KakaoTalk-style notifications from Kafka.

It consumes ``notification.requested`` CloudEvents from ``notification-requests``, delivers
each notification once through a sender (a JSON Lines outbox file or an HTTP endpoint) and
publishes a ``notification.sent`` or ``notification.failed`` receipt on
``notification-receipts``. See README.md for the guarantees.
"""

__version__ = "0.1.0"
