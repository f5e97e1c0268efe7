"""Configuration: environment variables, overridable on the command line."""

from __future__ import annotations

import argparse
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SENDERS = ("outbox", "http")
OFFSET_RESETS = ("earliest", "latest")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_BATCH_SIZE = 10_000
MAX_BATCH_WAIT_MS = 1_000.0

# The Kafka security settings, named like the Java side's (`baedal settings`).
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
STORE_TYPES = ("PEM", "PKCS12", "JKS")
ENDPOINT_IDENTIFICATIONS = ("https", "none")
SASL_VARIABLES = (
    "BAEDAL_KAFKA_SASL_USERNAME",
    "BAEDAL_KAFKA_SASL_PASSWORD",
    "BAEDAL_KAFKA_SASL_JAAS_CONFIG",
)
TLS_VARIABLES = (
    "BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION",
    "BAEDAL_KAFKA_SSL_TRUSTSTORE_PASSWORD",
    "BAEDAL_KAFKA_SSL_KEYSTORE_LOCATION",
    "BAEDAL_KAFKA_SSL_KEYSTORE_PASSWORD",
    "BAEDAL_KAFKA_SSL_KEY_PASSWORD",
)
_JAAS_OPTION = re.compile(r'(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"')


class SettingError(ValueError):
    """A bad configuration value; the message names the variable."""


@dataclass(frozen=True)
class Config:
    """Everything the notifier needs, validated."""

    kafka: str = "127.0.0.1:19092"
    group: str = "baedal-notifier"
    requests_topic: str = "notification-requests"
    receipts_topic: str = "notification-receipts"
    dlq_topic: str = "notification-requests.dlq"
    instance_id: str = ""
    offset_reset: str = "earliest"
    batch_size: int = 200
    batch_wait_ms: float = 0.0
    sender: str = "outbox"
    outbox: Path = Path(".baedal/notifications.jsonl")
    state: Path = Path(".baedal/notifier.sqlite3")
    http_url: str = ""
    http_token: str = field(default="", repr=False)
    http_allow_http: bool = False
    http_timeout: float = 10.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    log_level: str = "INFO"
    kafka_security: dict[str, str] = field(
        default_factory=lambda: {"security.protocol": "PLAINTEXT"}, repr=False
    )
    """librdkafka properties from the ``BAEDAL_KAFKA_*`` security variables (secrets inside:
    never printed)."""


def _choice(env: Mapping[str, str], name: str, choices: Sequence[str], default: str) -> str:
    """``env[name]`` as one of ``choices`` (case-insensitive), or ``default`` when unset."""
    text = env.get(name, "").strip() or default
    for choice in choices:
        if choice.lower() == text.lower():
            return choice
    raise SettingError(f"{name}={text!r}: expected one of {', '.join(choices)}")


def _jaas_credentials(jaas: str) -> tuple[str, str]:
    """The ``username`` and ``password`` options of a PLAIN or SCRAM JAAS login line."""
    options = {key: re.sub(r"\\(.)", r"\1", value) for key, value in _JAAS_OPTION.findall(jaas)}
    return options.get("username", ""), options.get("password", "")


def _readable(name: str, location: str) -> str:
    if not os.access(location, os.R_OK):
        raise SettingError(f"{name}: cannot read {location}")
    return location


def kafka_security(env: Mapping[str, str]) -> dict[str, str]:
    """librdkafka's security properties from the same variables as the Java services':
    ``BAEDAL_KAFKA_SECURITY_PROTOCOL``, ``BAEDAL_KAFKA_SASL_*`` and ``BAEDAL_KAFKA_SSL_*``.

    librdkafka reads PEM trust stores only (``ssl.ca.location``) and PEM or PKCS#12 key
    stores. A setting that the protocol would ignore is an error, as on the Java side.
    """
    get = lambda name: env.get(name, "").strip()  # noqa: E731
    protocol = _choice(env, "BAEDAL_KAFKA_SECURITY_PROTOCOL", SECURITY_PROTOCOLS, "PLAINTEXT")
    sasl, tls = protocol.startswith("SASL_"), protocol.endswith("SSL")
    props = {"security.protocol": protocol}
    for name in SASL_VARIABLES if not sasl else ():
        if get(name):
            raise SettingError(f"{name} is set but BAEDAL_KAFKA_SECURITY_PROTOCOL is {protocol}")
    for name in TLS_VARIABLES if not tls else ():
        if get(name):
            raise SettingError(f"{name} is set but BAEDAL_KAFKA_SECURITY_PROTOCOL is {protocol}")
    if sasl:
        if not get("BAEDAL_KAFKA_SASL_MECHANISM"):
            raise SettingError(f"BAEDAL_KAFKA_SASL_MECHANISM is required with {protocol}")
        mechanism = _choice(env, "BAEDAL_KAFKA_SASL_MECHANISM", SASL_MECHANISMS, "")
        user, password = get("BAEDAL_KAFKA_SASL_USERNAME"), get("BAEDAL_KAFKA_SASL_PASSWORD")
        if get("BAEDAL_KAFKA_SASL_JAAS_CONFIG"):
            user, password = _jaas_credentials(get("BAEDAL_KAFKA_SASL_JAAS_CONFIG"))
        if not (user and password):
            raise SettingError(
                "BAEDAL_KAFKA_SASL_USERNAME and BAEDAL_KAFKA_SASL_PASSWORD (or "
                f"BAEDAL_KAFKA_SASL_JAAS_CONFIG) are required with {protocol}"
            )
        props.update(
            {"sasl.mechanism": mechanism, "sasl.username": user, "sasl.password": password}
        )
    if tls:
        props.update(_tls(env))
    return props


def _tls(env: Mapping[str, str]) -> dict[str, str]:
    """The TLS part of :func:`kafka_security`."""
    get = lambda name: env.get(name, "").strip()  # noqa: E731
    props: dict[str, str] = {}
    trust = get("BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION")
    if trust:
        kind = _choice(env, "BAEDAL_KAFKA_SSL_TRUSTSTORE_TYPE", STORE_TYPES, "PEM")
        if kind != "PEM":
            raise SettingError(
                f"BAEDAL_KAFKA_SSL_TRUSTSTORE_TYPE={kind}: the notifier reads a PEM trust store only"
            )
        if get("BAEDAL_KAFKA_SSL_TRUSTSTORE_PASSWORD"):
            raise SettingError("BAEDAL_KAFKA_SSL_TRUSTSTORE_PASSWORD must be empty for a PEM store")
        props["ssl.ca.location"] = _readable("BAEDAL_KAFKA_SSL_TRUSTSTORE_LOCATION", trust)
    keystore = get("BAEDAL_KAFKA_SSL_KEYSTORE_LOCATION")
    if keystore:
        _readable("BAEDAL_KAFKA_SSL_KEYSTORE_LOCATION", keystore)
        kind = _choice(env, "BAEDAL_KAFKA_SSL_KEYSTORE_TYPE", STORE_TYPES, "PEM")
        if kind == "JKS":
            raise SettingError("BAEDAL_KAFKA_SSL_KEYSTORE_TYPE=JKS: use PEM or PKCS12")
        if kind == "PKCS12":
            props["ssl.keystore.location"] = keystore
            if get("BAEDAL_KAFKA_SSL_KEYSTORE_PASSWORD"):
                props["ssl.keystore.password"] = get("BAEDAL_KAFKA_SSL_KEYSTORE_PASSWORD")
        else:
            if get("BAEDAL_KAFKA_SSL_KEYSTORE_PASSWORD"):
                raise SettingError(
                    "BAEDAL_KAFKA_SSL_KEYSTORE_PASSWORD must be empty for a PEM key store "
                    "(use BAEDAL_KAFKA_SSL_KEY_PASSWORD)"
                )
            props["ssl.certificate.location"] = keystore
            props["ssl.key.location"] = keystore
    if get("BAEDAL_KAFKA_SSL_KEY_PASSWORD"):
        props["ssl.key.password"] = get("BAEDAL_KAFKA_SSL_KEY_PASSWORD")
    props["ssl.endpoint.identification.algorithm"] = _choice(
        env, "BAEDAL_KAFKA_SSL_ENDPOINT_IDENTIFICATION", ENDPOINT_IDENTIFICATIONS, "https"
    )
    return props


def _flag(text: str) -> bool:
    """A boolean variable: true/1/yes or false/0/no/empty."""
    value = text.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no", ""):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _positive_float(text: str) -> float:
    """argparse type: a float greater than zero."""
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    """argparse type: a float of zero or more."""
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    """argparse type: an integer of one or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def _batch_size(text: str) -> int:
    """argparse type: an integer from 1 to :data:`MAX_BATCH_SIZE`."""
    value = _positive_int(text)
    if value > MAX_BATCH_SIZE:
        raise argparse.ArgumentTypeError(f"must be <= {MAX_BATCH_SIZE}, got {text}")
    return value


def _batch_wait(text: str) -> float:
    """argparse type: milliseconds from 0 to :data:`MAX_BATCH_WAIT_MS`."""
    value = _non_negative_float(text)
    if value > MAX_BATCH_WAIT_MS:
        raise argparse.ArgumentTypeError(f"must be <= {MAX_BATCH_WAIT_MS:g}, got {text}")
    return value


def build_parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    """The command line; every default comes from ``env`` (then from :class:`Config`)."""

    def default(name: str, fallback: object) -> str:
        return env.get(name, str(fallback))

    d = Config()
    p = argparse.ArgumentParser(
        prog="python3 -m notifier",
        description="Deliver Baedal notification requests (KakaoTalk style) from Kafka.",
    )
    p.add_argument("--kafka", default=default("BAEDAL_KAFKA", d.kafka), help="bootstrap servers")
    p.add_argument("--group", default=default("NOTIFIER_GROUP", d.group), help="consumer group")
    p.add_argument("--requests-topic", default=default("NOTIFIER_REQUESTS_TOPIC", d.requests_topic))
    p.add_argument("--receipts-topic", default=default("NOTIFIER_RECEIPTS_TOPIC", d.receipts_topic))
    p.add_argument(
        "--dlq-topic",
        default=env.get("NOTIFIER_DLQ_TOPIC"),
        help="topic for malformed records (default <requests-topic>.dlq, '' disables)",
    )
    p.add_argument(
        "--instance-id",
        default=default("NOTIFIER_INSTANCE_ID", d.instance_id),
        help="Kafka static group membership id (group.instance.id); empty = dynamic",
    )
    p.add_argument(
        "--offset-reset",
        choices=OFFSET_RESETS,
        default=default("NOTIFIER_OFFSET_RESET", d.offset_reset),
    )
    p.add_argument(
        "--batch-size",
        type=_batch_size,
        default=default("NOTIFIER_BATCH_SIZE", d.batch_size),
        help="most records handled together (one fsync, one commit, one flush)",
    )
    p.add_argument(
        "--batch-wait-ms",
        type=_batch_wait,
        default=default("NOTIFIER_BATCH_WAIT_MS", d.batch_wait_ms),
        help="after a batch's first record, wait this long for more (0: take what is there)",
    )
    p.add_argument("--sender", choices=SENDERS, default=default("NOTIFIER_SENDER", d.sender))
    p.add_argument("--outbox", type=Path, default=default("NOTIFIER_OUTBOX", d.outbox))
    p.add_argument("--state", type=Path, default=default("NOTIFIER_STATE", d.state))
    p.add_argument(
        "--http-url",
        default=default("NOTIFIER_HTTP_URL", d.http_url),
        help="the HTTP sender's endpoint; https only, unless --http-allow-http",
    )
    p.add_argument(
        "--http-allow-http",
        type=_flag,
        nargs="?",
        const=True,
        default=env.get("NOTIFIER_HTTP_ALLOW_HTTP", "false"),
        help="development only: let the HTTP sender use a plain http:// URL",
    )
    p.add_argument(
        "--http-token",
        default=default("NOTIFIER_HTTP_TOKEN", d.http_token),
        help="bearer token (prefer the environment variable: argv is visible in ps)",
    )
    p.add_argument(
        "--http-timeout",
        type=_positive_float,
        default=default("NOTIFIER_HTTP_TIMEOUT", d.http_timeout),
    )
    p.add_argument(
        "--max-attempts",
        type=_positive_int,
        default=default("NOTIFIER_MAX_ATTEMPTS", d.max_attempts),
    )
    p.add_argument(
        "--backoff-base",
        type=_non_negative_float,
        default=default("NOTIFIER_BACKOFF_BASE", d.backoff_base),
    )
    p.add_argument(
        "--backoff-max",
        type=_non_negative_float,
        default=default("NOTIFIER_BACKOFF_MAX", d.backoff_max),
    )
    p.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        type=str.upper,
        default=default("NOTIFIER_LOG_LEVEL", d.log_level),
    )
    return p


def _check_choices(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """argparse checks ``choices`` only on the command line: check values from the env too."""
    for dest, choices in (
        ("sender", SENDERS),
        ("offset_reset", OFFSET_RESETS),
        ("log_level", LOG_LEVELS),
    ):
        value = getattr(args, dest)
        if value not in choices:
            option = "--" + dest.replace("_", "-")
            parser.error(f"{option}: {value!r} is not one of {', '.join(choices)}")


def load_config(argv: Sequence[str] | None, env: Mapping[str, str]) -> Config:
    """Parse ``argv`` over ``env``; exits with status 2 (argparse) on invalid values."""
    parser = build_parser(env)
    args = parser.parse_args(argv)
    _check_choices(parser, args)
    if args.sender == "http" and not args.http_url:
        parser.error("--sender http needs NOTIFIER_HTTP_URL / --http-url")
    if args.http_url:
        scheme = urllib.parse.urlsplit(args.http_url).scheme
        allowed = ("https", "http") if args.http_allow_http else ("https",)
        if scheme not in allowed:
            parser.error(
                f"NOTIFIER_HTTP_URL must be an https:// URL, got {scheme or 'no'} scheme "
                "(NOTIFIER_HTTP_ALLOW_HTTP=true allows http:// for a local test receiver)"
            )
    try:
        security = kafka_security(env)
    except SettingError as err:
        parser.error(str(err))
    if args.backoff_max < args.backoff_base:
        parser.error("NOTIFIER_BACKOFF_MAX must be >= NOTIFIER_BACKOFF_BASE")
    dlq = f"{args.requests_topic}.dlq" if args.dlq_topic is None else args.dlq_topic
    return Config(
        kafka=args.kafka,
        group=args.group,
        requests_topic=args.requests_topic,
        receipts_topic=args.receipts_topic,
        dlq_topic=dlq,
        instance_id=args.instance_id,
        offset_reset=args.offset_reset,
        batch_size=args.batch_size,
        batch_wait_ms=args.batch_wait_ms,
        sender=args.sender,
        outbox=args.outbox,
        state=args.state,
        http_url=args.http_url,
        http_token=args.http_token,
        http_allow_http=args.http_allow_http,
        http_timeout=args.http_timeout,
        max_attempts=args.max_attempts,
        backoff_base=args.backoff_base,
        backoff_max=args.backoff_max,
        log_level=args.log_level,
        kafka_security=security,
    )
