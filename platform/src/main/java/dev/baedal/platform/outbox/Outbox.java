package dev.baedal.platform.outbox;

import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Set;

/**
 * Writes events into a context's outbox table. Call it with the connection of the transaction that
 * changes the state: both commit together or neither does. {@link OutboxRelay} ships them.
 */
public final class Outbox {
  private final String insert;
  private final HandOver handOver;

  /** Where appended events of some types are published at once as well ({@link #handingOver}). */
  private record HandOver(Vertx vertx, String address, Set<String> types) {}

  /**
   * @param schema the context's schema, e.g. {@code order_svc}
   */
  public Outbox(String schema) {
    // one statement for any number of events: unnest keeps their order, and so does seq
    this(
        "insert into "
            + schema
            + ".outbox (event_id, topic, record_key, event_type, payload)"
            + " select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])",
        null);
  }

  private Outbox(String insert, HandOver handOver) {
    this.insert = insert;
    this.handOver = handOver;
  }

  /**
   * This outbox, also publishing each appended event of {@code types} (its JSON) on {@code address}
   * once the transaction commits, for the contexts that handle it at once rather than after the
   * relay and the broker ({@code ContextKit.early}); its record still comes, and finds it handled.
   * The transaction must be an {@link AfterCommit#transaction}: in any other, nothing is published.
   */
  public Outbox handingOver(Vertx vertx, String address, Set<String> types) {
    return new Outbox(insert, new HandOver(vertx, address, Set.copyOf(types)));
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
    int n = events.size();
    String[] ids = new String[n];
    String[] topics = new String[n];
    String[] keys = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      CloudEvent e = events.get(i);
      ids[i] = e.id();
      topics[i] = topic;
      keys[i] = e.subject();
      types[i] = e.type();
      payloads[i] = e.encode();
      if (handOver != null && handOver.types().contains(e.type())) {
        String payload = payloads[i];
        AfterCommit.run(tx, () -> handOver.vertx().eventBus().publish(handOver.address(), payload));
      }
    }
    return tx.preparedQuery(insert)
        .execute(
            Tuple.tuple()
                .addArrayOfString(ids)
                .addArrayOfString(topics)
                .addArrayOfString(keys)
                .addArrayOfString(types)
                .addArrayOfString(payloads))
        .mapEmpty();
  }
}
