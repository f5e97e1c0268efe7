package dev.baedal.query;

import dev.baedal.contract.OrderView;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.kafka.IdempotentConsumer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Projects events into order views and answers the read side of the API from them alone. */
final class QueryService implements IdempotentConsumer.Handler {
  private final Pool pool;
  private final ViewRepository views;

  QueryService(Pool pool, String schema) {
    this.pool = pool;
    this.views = new ViewRepository(schema);
  }

  /** Applies one event to its order's view (inside the consumer's transaction). */
  @Override
  public Future<Void> handle(SqlConnection tx, CloudEvent event) {
    return handleAll(tx, List.of(event));
  }

  /**
   * Applies a chunk of events in three round trips whatever its size: the views of its orders are
   * read (and locked) at once, the events applied in order in memory, and the changed views written
   * back in one batch.
   */
  @Override
  public Future<Void> handleAll(SqlConnection tx, List<CloudEvent> events) {
    List<CloudEvent> relevant = new ArrayList<>(events.size());
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent event : events) {
      if (OrderView.concerns(event)) {
        UUID orderId;
        try {
          orderId = UUID.fromString(event.subject());
        } catch (IllegalArgumentException e) {
          // one by one, this event goes to the dead-letter queue and the others through
          return Future.failedFuture("event subject is not an order id: " + event.subject());
        }
        relevant.add(event);
        ids.add(orderId);
      }
    }
    if (relevant.isEmpty()) {
      return Future.succeededFuture();
    }
    return views
        .findAllForUpdate(tx, ids)
        .compose(
            stored -> {
              Map<UUID, JsonObject> states = new HashMap<>(stored);
              Set<UUID> changed = new LinkedHashSet<>();
              for (CloudEvent event : relevant) {
                UUID orderId = UUID.fromString(event.subject());
                JsonObject before =
                    states.getOrDefault(orderId, OrderView.empty(orderId.toString()));
                JsonObject after = OrderView.apply(before, event);
                if (after != before || !stored.containsKey(orderId)) {
                  states.put(orderId, after);
                  changed.add(orderId);
                }
              }
              Map<UUID, JsonObject> writes = new LinkedHashMap<>();
              changed.forEach(id -> writes.put(id, states.get(id)));
              return views.saveAll(tx, writes);
            });
  }

  /** {@code {orderId, role, subject}}: the view, if the caller may see it. */
  Future<JsonObject> get(JsonObject query) {
    return state(query).map(OrderView::view);
  }

  /** {@code {orderId, role, subject}}: the projection state, for live subscribers. */
  Future<JsonObject> state(JsonObject query) {
    UUID orderId = parseId(query.getString("orderId"));
    return views
        .find(pool, orderId)
        .map(
            state -> {
              if (state == null || OrderView.view(state) == null || !visible(state, query)) {
                throw ProblemException.notFound("there is no order " + orderId);
              }
              return state;
            });
  }

  /** {@code {role, subject}}: the caller's orders, newest first. */
  Future<JsonArray> list(JsonObject query) {
    return views
        .list(pool, query.getString("role"), query.getString("subject"))
        .map(
            states -> new JsonArray(states.stream().map(s -> (Object) OrderView.view(s)).toList()));
  }

  /** A customer sees their orders, a store owner their store's, a rider their deliveries. */
  static boolean visible(JsonObject state, JsonObject caller) {
    String subject = caller.getString("subject");
    return switch (String.valueOf(caller.getString("role"))) {
      case "customer" -> subject.equals(state.getString("customerId"));
      case "store" -> subject.equals(state.getString("storeId"));
      case "rider" -> subject.equals(state.getString("riderId"));
      default -> false;
    };
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ProblemException.notFound("there is no order " + id);
    }
  }
}
