"""Parsing requests, the Kakao text template and receipt envelopes."""

from __future__ import annotations

import json

import pytest
from support import request_event, request_value

from notifier.payload import (
    ELLIPSIS,
    MalformedRecord,
    SendResult,
    encode,
    kakao_template,
    parse_request,
    receipt_event,
    truncate,
)


def test_a_request_is_parsed_into_a_notification() -> None:
    n = parse_request(request_value("n-1", "o-9"))

    assert n.notification_id == "n-1"
    assert n.order_id == "o-9"
    assert n.customer_id == "c-1"
    assert n.recipient_phone == "010-1234-5678"
    assert n.template == "order_accepted"
    assert n.text.startswith("[배달] 주문이 접수되었습니다")
    assert n.buttons[0].title == "주문 확인 Track order"
    assert n.first_url == "http://127.0.0.1:8080/#/orders/o-9"


def test_the_order_id_falls_back_to_the_event_subject() -> None:
    event = request_event("n-1", "o-7")
    del event["data"]["orderId"]

    assert parse_request(json.dumps(event).encode()).order_id == "o-7"


def test_the_kakao_text_template_has_link_and_button_title() -> None:
    n = parse_request(request_value("n-1", "o-9"))
    url = "http://127.0.0.1:8080/#/orders/o-9"

    assert kakao_template(n) == {
        "object_type": "text",
        "text": n.text,
        "link": {"web_url": url, "mobile_web_url": url},
        "button_title": "주문 확인 Track order",
    }


def test_without_buttons_the_template_has_an_empty_link_and_no_button() -> None:
    n = parse_request(request_value("n-1", buttons=[]))

    template = kakao_template(n)

    assert template["link"] == {}
    assert "button_title" not in template


def test_a_long_text_is_cut_to_200_characters_ending_in_an_ellipsis() -> None:
    text = "가" * 150 + "b" * 100
    n = parse_request(request_value("n-1", text=text))

    cut = kakao_template(n)["text"]

    assert len(cut) == 200
    assert cut.endswith(ELLIPSIS)
    assert cut[:199] == text[:199]


@pytest.mark.parametrize("length", [0, 1, 199, 200])
def test_a_text_of_at_most_200_characters_is_kept(length: int) -> None:
    assert truncate("x" * length) == "x" * length


def test_a_sent_receipt_is_a_cloudevent_about_the_order() -> None:
    n = parse_request(request_value("n-1", "o-9"))
    result = SendResult("sent", 1, "2024-05-01T12:00:00.123Z")

    event = receipt_event(n, result)

    assert event["specversion"] == "1.0"
    assert event["source"] == "/notifier"
    assert event["type"] == "notification.sent"
    assert event["subject"] == "o-9"
    assert event["time"] == "2024-05-01T12:00:00.123Z"
    assert event["datacontenttype"] == "application/json"
    assert event["data"] == {
        "notificationId": "n-1",
        "orderId": "o-9",
        "customerId": "c-1",
        "template": "order_accepted",
        "channel": "kakao",
        "status": "sent",
        "at": "2024-05-01T12:00:00.123Z",
        "attempts": 1,
    }


def test_a_failed_receipt_carries_the_error_and_attempts() -> None:
    n = parse_request(request_value("n-1"))

    event = receipt_event(n, SendResult("failed", 4, "2024-05-01T12:00:00Z", "HTTP 500: boom"))

    assert event["type"] == "notification.failed"
    assert event["data"]["status"] == "failed"
    assert event["data"]["attempts"] == 4
    assert event["data"]["error"] == "HTTP 500: boom"


def test_receipt_ids_are_stable_per_notification_and_outcome() -> None:
    n = parse_request(request_value("n-1"))
    sent = SendResult("sent", 1, "2024-05-01T12:00:00Z")

    first, again = receipt_event(n, sent), receipt_event(n, sent)
    failed = receipt_event(n, SendResult("failed", 1, "2024-05-01T12:00:00Z", "x"))
    other = receipt_event(parse_request(request_value("n-2")), sent)

    assert first["id"] == again["id"]
    assert len({first["id"], failed["id"], other["id"]}) == 3


def test_encoding_is_compact_utf8_json() -> None:
    assert encode({"text": "배달", "n": 1}) == '{"text":"배달","n":1}'.encode()


def _event_without(field: str) -> bytes:
    event = request_event("n-1")
    del event[field]
    return json.dumps(event).encode()


def _data_with(**fields: object) -> bytes:
    return json.dumps(request_event("n-1", **fields)).encode()


@pytest.mark.parametrize(
    "value",
    [
        None,
        b"",
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"hello": "world"}',
        _event_without("specversion"),
        _event_without("id"),
        _event_without("type"),
        _event_without("data"),
        json.dumps({**request_event("n-1"), "type": "order.placed"}).encode(),
        json.dumps({**request_event("n-1"), "data": "text"}).encode(),
        _data_with(notificationId=None),
        _data_with(notificationId=""),
        _data_with(notificationId=42),
        _data_with(text=None),
        _data_with(text="  "),
        _data_with(buttons="click me"),
        _data_with(buttons=[{"title": "no url"}]),
    ],
)
def test_malformed_records_are_rejected(value: bytes | None) -> None:
    with pytest.raises(MalformedRecord):
        parse_request(value)
