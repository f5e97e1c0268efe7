"""The HTTP sender against a real local HTTP receiver."""

from __future__ import annotations

import pytest
from http_support import TOKEN, Receiver, Sleeps, make_sender
from support import free_port, request_value

from notifier.http_sender import HttpSender, RetryPolicy
from notifier.payload import kakao_template, parse_request


def test_two_server_errors_then_success_is_one_delivery(receiver: Receiver) -> None:
    receiver.plan = lambda n, _text: 500 if n <= 2 else 200
    sleeps = Sleeps()
    notification = parse_request(request_value("n-1", "o-1"))

    result = make_sender(receiver.url, sleeps).send(notification)

    assert (result.status, result.attempts, result.error) == ("sent", 3, "")
    assert receiver.delivered == [kakao_template(notification)]
    assert len(receiver.requests) == 3
    assert len(sleeps.delays) == 2
    assert 0 <= sleeps.delays[0] <= 0.5 and 0 <= sleeps.delays[1] <= 1.0


def test_the_request_is_a_kakao_send_to_me_form_with_the_token(receiver: Receiver) -> None:
    notification = parse_request(request_value("n-1", "o-1"))

    make_sender(receiver.url, Sleeps()).send(notification)

    [seen] = receiver.requests
    assert seen["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert seen["headers"]["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert seen["headers"]["Idempotency-Key"] == "n-1"
    assert seen["template"]["object_type"] == "text"
    assert seen["template"]["button_title"] == "주문 확인 Track order"
    assert seen["template"]["link"]["web_url"] == "http://127.0.0.1:8080/#/orders/o-1"


def test_a_client_error_is_not_retried(receiver: Receiver) -> None:
    receiver.plan = lambda _n, _text: 401
    sleeps = Sleeps()

    result = make_sender(receiver.url, sleeps).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 1)
    assert result.error.startswith("HTTP 401")
    assert sleeps.delays == []


def test_throttling_is_retried(receiver: Receiver) -> None:
    receiver.plan = lambda n, _text: 429 if n == 1 else 200

    result = make_sender(receiver.url, Sleeps()).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("sent", 2)


def test_a_hanging_server_times_out_and_is_retried(receiver: Receiver) -> None:
    receiver.plan = lambda _n, _text: 0  # hang until released
    sleeps = Sleeps()
    sender = make_sender(receiver.url, sleeps, attempts=2, timeout=0.3)

    result = sender.send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 2)
    assert "timed out" in result.error
    assert len(sleeps.delays) == 1


def test_a_refused_connection_is_retried_then_failed() -> None:
    url = f"http://127.0.0.1:{free_port()}/send"
    sleeps = Sleeps()

    result = make_sender(url, sleeps, attempts=3).send(parse_request(request_value("n-1")))

    assert (result.status, result.attempts) == ("failed", 3)
    assert "refused" in result.error.lower()
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failure_and_the_token_never_reaches_the_other_host(
    receiver: Receiver, status: int
) -> None:
    elsewhere = Receiver().start()
    try:
        receiver.plan = lambda _n, _text: status
        receiver.location = elsewhere.url
        sleeps = Sleeps()

        result = make_sender(receiver.url, sleeps).send(parse_request(request_value("n-1")))

        assert result.status == "failed" and result.attempts == 1, "a 3xx is not retried"
        assert f"HTTP {status}" in result.error and "refused" in result.error
        assert len(receiver.requests) == 1
        assert elsewhere.requests == [], "the redirect was not followed"
        assert sleeps.delays == []
    finally:
        elsewhere.stop()


def test_a_plain_http_url_is_refused_unless_allowed() -> None:
    policy = RetryPolicy(max_attempts=1, base=0.5, cap=8.0)
    with pytest.raises(ValueError, match="https"):
        HttpSender("http://127.0.0.1:1/send", TOKEN, 1.0, policy)
    with pytest.raises(ValueError, match="https"):
        HttpSender("ftp://127.0.0.1/send", TOKEN, 1.0, policy, allow_http=True)
    assert HttpSender("https://kapi.example/send", TOKEN, 1.0, policy).url.startswith("https")
