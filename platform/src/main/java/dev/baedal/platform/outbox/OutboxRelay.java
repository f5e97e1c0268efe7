package dev.baedal.platform.outbox;

import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.kafka.EventHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships a context's pending outbox rows to Kafka, oldest first, and deletes them once sent: the
 * outbox holds only what is still to send.
 *
 * <p>It wakes on the outbox's NOTIFY (sub-millisecond after the writing transaction commits) and
 * every {@code outbox.poll-ms} as a safety net. Only the holder of the schema's relay lease sends,
 * so two processes never relay the same schema at once and per-order order is kept. When the broker
 * is away the send waits or fails, the rows stay pending and the relay retries with exponential
 * back-off (100 ms .. 5 s). A row whose send succeeded but whose delete was lost is sent again:
 * delivery is at-least-once and consumers deduplicate by event id.
 *
 * <p>The lease is a session advisory lock on a connection of the relay's own, whose {@code
 * idle_session_timeout} is {@code outbox.lease-ms}, and the relay reads and deletes its rows on
 * that connection: a batch read there is read by the holder of the lock, or fails because the
 * session is gone. The relay touches the session every third of {@code outbox.lease-ms} between
 * batches. A holder that stops (a paused JVM, a cut network) stops touching it, so PostgreSQL ends
 * the session and frees the lock after {@code outbox.lease-ms}, and another instance takes over; a
 * holder that is only waiting for Kafka keeps it.
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5000;

  private final Vertx vertx;
  private final Settings settings;
  private final KafkaProducer<String, String> producer;
  private final String schema;
  private final String selectPending;
  private final String markSent;
  private final int batchSize;
  private final String topicPrefix;
  private final PgConnectOptions leaseOptions;
  private final long leaseMs;
  private SqlConnection leaseConnection;
  private boolean holding;
  private long leaseTimer = -1;

  private PgSubscriber subscriber;
  private long timerId = -1;
  private boolean draining;
  private boolean again;
  private boolean stopped;
  private long backoffMs = MIN_BACKOFF_MS;
  private boolean outage;

  /** created_at (epoch ms) of the oldest row the last batch found pending, 0 when none. */
  private volatile long oldestPendingMs;

  public OutboxRelay(
      Vertx vertx, Settings settings, KafkaProducer<String, String> producer, String schema) {
    this.vertx = vertx;
    this.settings = settings;
    this.producer = producer;
    this.schema = schema;
    this.batchSize = settings.integer("outbox.batch-size");
    this.topicPrefix = settings.string("kafka.topic-prefix");
    this.leaseMs = settings.integer("outbox.lease-ms");
    PgConnectOptions options = new PgConnectOptions(Database.connectOptions(settings));
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put("idle_session_timeout", String.valueOf(leaseMs));
    this.leaseOptions = options.setProperties(properties);
    this.selectPending =
        "select seq, topic, record_key, event_type, payload, created_at from "
            + schema
            + ".outbox order by seq limit "
            + batchSize;
    this.markSent = "delete from " + schema + ".outbox where seq = any($1)";
  }

  /**
   * How long the oldest row still to send has waited, while the relay keeps up with sending: the
   * backlog that load causes. While Kafka cannot be reached it is 0: an outage is not overload, and
   * the outbox takes the events until the broker is back.
   */
  public long behindMs() {
    long oldest = oldestPendingMs;
    return oldest == 0 || outage ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
  }

  /** Starts listening and relays what is already pending. */
  public Future<Void> start() {
    subscriber = PgSubscriber.subscriber(vertx, Database.connectOptions(settings));
    subscriber.reconnectPolicy(attempt -> 1000L);
    subscriber.channel(schema + "_outbox").handler(payload -> trigger());
    timerId = vertx.setPeriodic(settings.integer("outbox.poll-ms"), id -> trigger());
    leaseTimer = vertx.setPeriodic(Math.max(100, leaseMs / 3), id -> touchLease());
    return subscriber
        .connect()
        .onSuccess(v -> trigger())
        .onFailure(err -> log.warn("outbox {}: LISTEN failed, polling only", schema, err))
        .otherwiseEmpty()
        .mapEmpty();
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(leaseTimer);
    SqlConnection lease = leaseConnection;
    holding = false;
    leaseConnection = null;
    // closing the session frees the lock at once
    return Future.join(
            subscriber == null ? Future.succeededFuture() : subscriber.close(),
            lease == null ? Future.succeededFuture() : lease.close())
        .mapEmpty();
  }

  /**
   * The lease's connection if this relay holds the lock, else null: it takes the lock if it is
   * free. Whether a session it holds is still alive (after a pause, PostgreSQL may have ended it)
   * the batch's own read on it tells.
   */
  private Future<SqlConnection> lease() {
    return leaseConnection()
        .compose(
            conn ->
                holding
                    ? Future.succeededFuture(conn)
                    : conn.preparedQuery("select pg_try_advisory_lock(hashtext($1))")
                        .execute(Tuple.of(schema + ".outbox"))
                        .map(
                            rows -> (holding = rows.iterator().next().getBoolean(0)) ? conn : null))
        .onFailure(err -> dropLease());
  }

  private Future<SqlConnection> leaseConnection() {
    if (leaseConnection != null) {
      return Future.succeededFuture(leaseConnection);
    }
    return PgConnection.connect(vertx, leaseOptions)
        .map(
            conn -> {
              leaseConnection = conn;
              conn.closeHandler(
                  v -> {
                    if (leaseConnection == conn) {
                      dropLease();
                    }
                  });
              return conn;
            });
  }

  /** Keeps the session (and with it the lock, if held) from timing out while this relay runs. */
  private void touchLease() {
    SqlConnection conn = leaseConnection;
    if (conn != null && !stopped) {
      conn.query("select 1").execute().onFailure(err -> dropLease());
    }
  }

  private void dropLease() {
    SqlConnection conn = leaseConnection;
    leaseConnection = null;
    if (holding) {
      log.info("outbox {}: relay lease lost", schema);
    }
    holding = false;
    if (conn != null) {
      conn.close();
    }
  }

  /** Asks for a drain; coalesces with one already running. */
  public void trigger() {
    if (stopped) {
      return;
    }
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    again = false;
    drainOnce()
        .onComplete(
            ar -> {
              draining = false;
              if (ar.succeeded()) {
                if (outage) {
                  log.info("outbox {}: Kafka reachable again, relaying", schema);
                  outage = false;
                }
                backoffMs = MIN_BACKOFF_MS;
                if (ar.result() < batchSize) {
                  oldestPendingMs = 0;
                }
                if (ar.result() == batchSize || again) {
                  trigger();
                }
              } else {
                if (!outage) {
                  log.warn(
                      "outbox {}: relay failed ({}), retrying with back-off",
                      schema,
                      ar.cause().toString());
                  outage = true;
                }
                long delay = backoffMs;
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                vertx.setTimer(delay, id -> trigger());
              }
            });
  }

  /** Sends one batch if this relay holds the lease; returns how many rows it relayed. */
  private Future<Integer> drainOnce() {
    return lease().compose(conn -> conn == null ? Future.succeededFuture(0) : sendPending(conn));
  }

  private Future<Integer> sendPending(SqlConnection conn) {
    return conn.query(selectPending)
        .execute()
        .onFailure(err -> dropLease())
        .compose(
            rows -> {
              if (rows.size() == 0) {
                oldestPendingMs = 0;
                return Future.succeededFuture(0);
              }
              oldestPendingMs =
                  rows.iterator().next().getOffsetDateTime("created_at").toInstant().toEpochMilli();
              return send(rows)
                  .compose(
                      seqs ->
                          conn.preparedQuery(markSent)
                              .execute(Tuple.of(seqs.toArray(new Long[0])))
                              .onFailure(err -> dropLease())
                              .map(rows.size()));
            });
  }

  private Future<List<Long>> send(RowSet<Row> rows) {
    List<Long> seqs = new ArrayList<>(rows.size());
    List<Future<?>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      seqs.add(row.getLong("seq"));
      KafkaProducerRecord<String, String> record =
          KafkaProducerRecord.create(
              topicPrefix + row.getString("topic"),
              row.getString("record_key"),
              row.getString("payload"));
      String type = row.getString("event_type");
      if (type != null) {
        record.addHeader(EventHeaders.TYPE, type);
      }
      sends.add(producer.send(record));
    }
    return Future.all(sends).map(seqs);
  }
}
