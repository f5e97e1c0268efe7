package dev.baedal.platform.outbox;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events into a context's outbox table. Call it with the connection of the transaction that
 * changes the state: both commit together or neither does. {@link OutboxRelay} ships them.
 */
public final class Outbox {
  private final String insert;

  /**
   * @param schema the context's schema, e.g. {@code order_svc}
   */
  public Outbox(String schema) {
    this.insert =
        "insert into "
            + schema
            + ".outbox (event_id, topic, record_key, event_type, payload)"
            + " values ($1, $2, $3, $4, $5)";
  }

  /** Appends {@code event} for {@code topic}, keyed by the event's subject (the order id). */
  public Future<Void> append(SqlClient tx, String topic, CloudEvent event) {
    return append(tx, topic, List.of(event));
  }

  /** Appends several events for {@code topic} in their order. */
  public Future<Void> append(SqlClient tx, String topic, List<CloudEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(events.size());
    for (CloudEvent e : events) {
      rows.add(Tuple.of(e.id(), topic, e.subject(), e.type(), e.encode()));
    }
    return tx.preparedQuery(insert).executeBatch(rows).mapEmpty();
  }
}
