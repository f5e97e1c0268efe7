"""Settings: environment variables named like the Java side's (``BAEDAL_`` + the setting's key
upper-cased, ``.`` and ``-`` as ``_``), the notifier's own as ``BAEDAL_NOTIFIER_*``; a few of
them overridable on the command line."""

from __future__ import annotations

import argparse
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SENDERS = ("outbox", "http")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
REQUESTS_TOPIC = "notification-requests"
RECEIPTS_TOPIC = "notification-receipts"

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
    requests_topic: str = REQUESTS_TOPIC
    receipts_topic: str = RECEIPTS_TOPIC
    dlq_topic: str = REQUESTS_TOPIC + ".dlq"
    instance_id: str = ""
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
    try:
        return _one_of(choices)(env.get(name, "").strip() or default)
    except ValueError as err:
        raise SettingError(f"{name}: {err}") from None


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
            message = "the notifier reads a PEM trust store only"
            raise SettingError(f"BAEDAL_KAFKA_SSL_TRUSTSTORE_TYPE={kind}: {message}")
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


def _number(kind: type, low: float, high: float | None = None, above: bool = False) -> Callable:
    """A parser of a ``kind`` (int or float) from ``low`` (excluded when ``above``) to ``high``."""

    def parse(text: str) -> int | float:
        value = kind(text)
        if value < low or (above and value == low) or (high is not None and value > high):
            bounds = f"{'>' if above else '>='} {low:g}" + (f" and <= {high:g}" if high else "")
            raise ValueError(f"must be {bounds}, got {text}")
        return value

    return parse


def _flag(text: str) -> bool:
    """A boolean: true/1/yes or false/0/no."""
    if text.lower() in ("true", "1", "yes", "false", "0", "no"):
        return text.lower() in ("true", "1", "yes")
    raise ValueError(f"expected true or false, got {text!r}")


def _one_of(choices: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        for choice in choices:
            if choice.lower() == text.lower():
                return choice
        raise ValueError(f"expected one of {', '.join(choices)}, got {text!r}")

    return parse


# The notifier's own settings: variable -> (Config field, parser).
SETTINGS: dict[str, tuple[str, Callable[[str], object]]] = {
    "BAEDAL_KAFKA": ("kafka", str),
    "BAEDAL_NOTIFIER_INSTANCE_ID": ("instance_id", str),
    "BAEDAL_NOTIFIER_SENDER": ("sender", _one_of(SENDERS)),
    "BAEDAL_NOTIFIER_OUTBOX": ("outbox", Path),
    "BAEDAL_NOTIFIER_STATE": ("state", Path),
    "BAEDAL_NOTIFIER_BATCH_SIZE": ("batch_size", _number(int, 1, 10_000)),
    "BAEDAL_NOTIFIER_BATCH_WAIT_MS": ("batch_wait_ms", _number(float, 0, 1_000)),
    "BAEDAL_NOTIFIER_HTTP_URL": ("http_url", str),
    "BAEDAL_NOTIFIER_HTTP_TOKEN": ("http_token", str),
    "BAEDAL_NOTIFIER_HTTP_ALLOW_HTTP": ("http_allow_http", _flag),
    "BAEDAL_NOTIFIER_HTTP_TIMEOUT": ("http_timeout", _number(float, 0, above=True)),
    "BAEDAL_NOTIFIER_MAX_ATTEMPTS": ("max_attempts", _number(int, 1)),
    "BAEDAL_NOTIFIER_BACKOFF_BASE": ("backoff_base", _number(float, 0)),
    "BAEDAL_NOTIFIER_BACKOFF_MAX": ("backoff_max", _number(float, 0)),
    "BAEDAL_NOTIFIER_LOG_LEVEL": ("log_level", _one_of(LOG_LEVELS)),
}
OPTIONS = {  # command-line option -> the variable it overrides
    "--kafka": "BAEDAL_KAFKA",
    "--sender": "BAEDAL_NOTIFIER_SENDER",
    "--outbox": "BAEDAL_NOTIFIER_OUTBOX",
    "--state": "BAEDAL_NOTIFIER_STATE",
    "--log-level": "BAEDAL_NOTIFIER_LOG_LEVEL",
}


def from_environment(env: Mapping[str, str]) -> Config:
    """The configuration ``env`` describes; raises :class:`SettingError` naming the variable.

    The topics and the group are named as the Java services name them
    (``BAEDAL_KAFKA_TOPIC_PREFIX``, ``BAEDAL_KAFKA_GROUP_PREFIX``), the state and the outbox lie
    in ``BAEDAL_DATA_DIR`` unless set apart. An empty variable counts as unset.
    """
    get = lambda name: env.get(name, "").strip()  # noqa: E731
    data_dir = Path(get("BAEDAL_DATA_DIR") or ".baedal")
    requests = get("BAEDAL_KAFKA_TOPIC_PREFIX") + REQUESTS_TOPIC
    values: dict[str, object] = {
        "group": (get("BAEDAL_KAFKA_GROUP_PREFIX") or "baedal") + "-notifier",
        "requests_topic": requests,
        "receipts_topic": get("BAEDAL_KAFKA_TOPIC_PREFIX") + RECEIPTS_TOPIC,
        "dlq_topic": requests + ".dlq",
        "outbox": data_dir / "notifications.jsonl",
        "state": data_dir / "notifier.sqlite3",
        "kafka_security": kafka_security(env),
    }
    for name, (field_name, parse) in SETTINGS.items():
        if get(name):
            try:
                values[field_name] = parse(get(name))
            except ValueError as err:
                raise SettingError(f"{name}: {err}") from None
    config = Config(**values)
    _check(config)
    return config


def _check(config: Config) -> None:
    """The rules that tie settings together."""
    if config.sender == "http" and not config.http_url:
        raise SettingError("BAEDAL_NOTIFIER_SENDER=http needs BAEDAL_NOTIFIER_HTTP_URL")
    scheme = urllib.parse.urlsplit(config.http_url).scheme
    if config.http_url and scheme not in ("https", "http" if config.http_allow_http else "https"):
        raise SettingError(
            f"BAEDAL_NOTIFIER_HTTP_URL must be an https:// URL, got {scheme or 'no'} scheme "
            "(BAEDAL_NOTIFIER_HTTP_ALLOW_HTTP=true allows http:// for a local test receiver)"
        )
    if config.backoff_max < config.backoff_base:
        raise SettingError("BAEDAL_NOTIFIER_BACKOFF_MAX must be >= BAEDAL_NOTIFIER_BACKOFF_BASE")


def load_config(argv: Sequence[str] | None, env: Mapping[str, str]) -> Config:
    """The configuration of ``env`` with the command line over it; exits with status 2 (as
    argparse does) on an invalid value."""
    parser = argparse.ArgumentParser(
        prog="python3 -m notifier",
        description="Deliver Baedal notification requests (KakaoTalk style) from Kafka.",
        epilog="Settings come from the environment (see README.md): BAEDAL_DATA_DIR,\n"
        "BAEDAL_KAFKA_TOPIC_PREFIX, BAEDAL_KAFKA_GROUP_PREFIX and the Kafka security settings\n"
        "(BAEDAL_KAFKA_SECURITY_PROTOCOL, BAEDAL_KAFKA_SASL_*, BAEDAL_KAFKA_SSL_*) of the Java\n"
        "services, and\n" + "\n".join(f"  {name}" for name in SETTINGS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option, name in OPTIONS.items():
        parser.add_argument(option, help=f"overrides {name}")
    args = vars(parser.parse_args(argv))
    overrides = {OPTIONS["--" + k.replace("_", "-")]: v for k, v in args.items() if v is not None}
    try:
        return from_environment({**env, **overrides})
    except SettingError as err:
        parser.error(str(err))
