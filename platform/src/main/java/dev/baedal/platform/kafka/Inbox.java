package dev.baedal.platform.kafka;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A context's inbox: the ids of the events it handled. Inside the handling transaction, an event is
 * recorded there and handed to the handler only if it was not there yet, so a redelivered event
 * changes nothing (unless the handler is idempotent by itself: then the inbox is not written).
 */
final class Inbox {
  private final IdempotentConsumer.Handler handler;
  private final String markHandled;
  private final String markAllHandled;

  Inbox(String schema, IdempotentConsumer.Handler handler) {
    this.handler = handler;
    this.markHandled =
        "insert into " + schema + ".inbox (event_id, topic) values ($1, $2) on conflict do nothing";
    this.markAllHandled =
        "insert into "
            + schema
            + ".inbox (event_id, topic) select * from unnest($1::text[], $2::text[])"
            // in one order whoever inserts (the consumer, the early hand-over): see RowLocks
            + " as e(event_id, topic) order by event_id"
            + " on conflict do nothing returning event_id";
  }

  /** Records the event as handled and hands it over, unless it was handled before. */
  Future<Void> handle(SqlConnection tx, String topic, CloudEvent event) {
    if (handler.idempotentByItself()) {
      return handler.handle(tx, event);
    }
    return tx.preparedQuery(markHandled)
        .execute(Tuple.of(event.id(), topic))
        .compose(
            rs -> rs.rowCount() == 0 ? Future.<Void>succeededFuture() : handler.handle(tx, event));
  }

  /** Records the chunk's events as handled and hands over those not handled before. */
  Future<Void> handleAll(
      SqlConnection tx, List<KafkaConsumerRecord<String, String>> chunk, List<CloudEvent> events) {
    List<String> topics = new ArrayList<>(chunk.size());
    chunk.forEach(r -> topics.add(r.topic()));
    return handleEvents(tx, topics, events);
  }

  /**
   * Records {@code events} as handled ({@code topics.get(i)} is the topic of {@code events.get(i)})
   * and hands over those not handled before, in their order.
   */
  Future<Void> handleEvents(SqlConnection tx, List<String> topics, List<CloudEvent> events) {
    if (handler.idempotentByItself()) {
      return handler.handleAll(tx, events);
    }
    String[] ids = new String[events.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = events.get(i).id();
    }
    return tx.preparedQuery(markAllHandled)
        .execute(
            Tuple.tuple().addArrayOfString(ids).addArrayOfString(topics.toArray(String[]::new)))
        .compose(
            inserted -> {
              Set<String> fresh = new HashSet<>();
              inserted.forEach(row -> fresh.add(row.getString(0)));
              List<CloudEvent> todo = new ArrayList<>(fresh.size());
              for (CloudEvent event : events) {
                // remove: an event twice in one chunk is handled once
                if (fresh.remove(event.id())) {
                  todo.add(event);
                }
              }
              return todo.isEmpty() ? Future.<Void>succeededFuture() : handler.handleAll(tx, todo);
            });
  }
}
