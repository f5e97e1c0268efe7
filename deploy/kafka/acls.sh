#!/usr/bin/env bash
# Baedal's Kafka set-up on a broker cluster with SASL and ACLs: the topics, optionally the
# services' SCRAM users, and the ACLs that let each service write only its own topics and read
# only what it consumes. Every step is idempotent: run it again after a change.
#
# Needs Kafka's tools (kafka-topics.sh, kafka-acls.sh, kafka-configs.sh) on PATH, and:
#   KAFKA_BOOTSTRAP     bootstrap servers, e.g. kafka.baedal.svc:9093
#   KAFKA_ADMIN_CONFIG  client properties of a super user (security.protocol, sasl.*, ssl.*)
#   GROUP_PREFIX        BAEDAL_KAFKA_GROUP_PREFIX of the deployment (default baedal)
#   PARTITIONS          partitions of the event topics (default 12, >= the HPAs' maxReplicas)
#   REPLICATION         replication factor (default 3)
#   MIN_INSYNC          copies a write needs before it is acknowledged (default 2)
#   <USER>_PASSWORD     e.g. STORE_PASSWORD: when set, (re)sets that user's SCRAM-SHA-512
#                       password (letters and digits only); unset: users are managed elsewhere
# deploy/kafka/setup-job.yaml runs this script in the cluster; deploy/README.md explains it.
# KafkaAclTest runs this script against a real broker with SASL and ACLs (its kafka-acls.sh
# calls executed by Kafka's own command) and checks who may write and read what;
# K8sManifestsTest reads USERS and the PARTITIONS default below.
set -euo pipefail

: "${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP, e.g. kafka.baedal.svc:9093}"
: "${KAFKA_ADMIN_CONFIG:?set KAFKA_ADMIN_CONFIG to the client properties file of a super user}"
GROUP_PREFIX="${GROUP_PREFIX:-baedal}"
PARTITIONS="${PARTITIONS:-12}"
REPLICATION="${REPLICATION:-3}"
MIN_INSYNC="${MIN_INSYNC:-2}"
USERS=(payment store order rider query notify gateway notifier)

kafka() {
  local tool="$1"
  shift
  "$tool" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" "$@"
}

# topic NAME PARTITIONS [--config k=v]...: creates it (with its dead-letter topic) if missing;
# event topics and dead letters are kept for ever (the query side is rebuilt from the topics)
topic() {
  local name="$1" partitions="$2"
  shift 2
  kafka kafka-topics.sh --create --if-not-exists --topic "$name" --partitions "$partitions" \
    --replication-factor "$REPLICATION" --config "min.insync.replicas=$MIN_INSYNC" "$@"
  kafka kafka-topics.sh --create --if-not-exists --topic "$name.dlq" --partitions 1 \
    --replication-factor "$REPLICATION" --config "min.insync.replicas=$MIN_INSYNC" \
    --config retention.ms=-1
}

allow() {
  local user="$1"
  shift
  kafka kafka-acls.sh --add --force --allow-principal "User:$user" "$@"
}

# writes USER TOPIC...: USER may produce to the topics (Write, which implies Describe)
writes() {
  local user="$1"
  shift
  for t in "$@"; do allow "$user" --operation Write --topic "$t"; done
}

# reads USER GROUP TOPIC...: USER consumes the topics in the consumer group GROUP and
# dead-letters their poison records (Write on <topic>.dlq)
reads() {
  local user="$1" group="$2"
  shift 2
  allow "$user" --operation Read --group "$group"
  for t in "$@"; do
    allow "$user" --operation Read --topic "$t"
    allow "$user" --operation Write --topic "$t.dlq"
  done
}

# follows USER GROUP-PREFIX TOPIC...: USER reads the topics in groups named GROUP-PREFIX<random>
# (a live view or a replay; nothing is dead-lettered)
follows() {
  local user="$1" prefix="$2"
  shift 2
  allow "$user" --operation Read --group "$prefix" --resource-pattern-type prefixed
  for t in "$@"; do allow "$user" --operation Read --topic "$t"; done
}

echo "== topics"
for t in order-events payment-events store-events delivery-events notification-requests \
  notification-receipts; do
  topic "$t" "$PARTITIONS" --config retention.ms=-1
done
topic catalog 1 --config cleanup.policy=compact

echo "== users"
for user in "${USERS[@]}"; do
  variable="$(echo "$user" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  if [ -n "${!variable:-}" ]; then
    kafka kafka-configs.sh --alter --entity-type users --entity-name "$user" \
      --add-config "SCRAM-SHA-512=[password=${!variable}]"
  fi
done

echo "== ACLs: who writes which topic (only the store writes catalog and store-events)"
writes store catalog store-events
writes order order-events
writes payment payment-events
writes rider delivery-events
writes notify notification-requests
writes notifier notification-receipts

echo "== ACLs: who reads which topic, in which consumer group"
reads payment "$GROUP_PREFIX-payment-compensations" store-events order-events
reads store "$GROUP_PREFIX-store-orders" order-events delivery-events
reads order "$GROUP_PREFIX-order-catalog" catalog
reads order "$GROUP_PREFIX-order-progress" store-events delivery-events
reads rider "$GROUP_PREFIX-rider-deliveries" store-events
reads query "$GROUP_PREFIX-query-views" order-events payment-events store-events delivery-events notification-requests notification-receipts
reads notify "$GROUP_PREFIX-notify" catalog order-events store-events delivery-events notification-receipts
reads notifier "$GROUP_PREFIX-notifier" notification-requests
follows gateway "$GROUP_PREFIX-bridge-" order-events payment-events store-events delivery-events notification-requests notification-receipts
follows query "$GROUP_PREFIX-replay-" order-events payment-events store-events delivery-events notification-requests notification-receipts

echo "== ACLs: every service may count the dead letters (/metrics, readiness), not touch them"
for user in payment store order rider query notify gateway; do
  for t in order-events payment-events store-events delivery-events notification-requests \
    notification-receipts catalog; do
    allow "$user" --operation Describe --topic "$t.dlq"
  done
  allow "$user" --operation Describe --group "$GROUP_PREFIX-dlq-redrive"
done

echo "== done; the ACLs now:"
kafka kafka-acls.sh --list
