package dev.baedal.query;

import dev.baedal.contract.OrderProjection;
import dev.baedal.contract.OrderView;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.live.LiveFeed;
import dev.baedal.query.ViewRepository.Stored;
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

/**
 * Projects events into order views and answers the read side of the API from them alone.
 *
 * <p>Each visible change of a view (any event that changes it once the order is known, each held
 * event it lets through: see {@link OrderProjection#applyInTurn}) bumps the view's version and,
 * once the projecting transaction has committed, goes to live subscribers as one message {@code
 * {orderId, status, at, version, view}} (see {@link LiveFeed}). A subscriber starts from {@link
 * #snapshot} and applies the messages with a higher version: one ordered source, so nothing between
 * the snapshot and the stream is lost.
 */
final class QueryService implements IdempotentConsumer.Handler {
  private final Pool pool;
  private final ViewRepository views;
  private final LiveFeed live;

  /**
   * @param live where changes go once committed; null for a rebuild, which has no subscribers
   */
  QueryService(Pool pool, String schema, LiveFeed live) {
    this.pool = pool;
    this.views = new ViewRepository(schema);
    this.live = live;
  }

  /**
   * The projection keeps each fact's first time and keys refunds, extra charges and notifications
   * by their ids: an event applied twice changes nothing, so no inbox is needed.
   */
  @Override
  public boolean idempotentByItself() {
    return true;
  }

  /** Applies one event to its order's view (inside the consumer's transaction). */
  @Override
  public Future<Void> handle(SqlConnection tx, CloudEvent event) {
    return handleAll(tx, List.of(event));
  }

  /**
   * Applies a chunk of events in a few round trips whatever its size: the views of its orders are
   * locked at once (those of new orders created first), the events applied in order in memory, and
   * the changed views written back in one batch.
   */
  @Override
  public Future<Void> handleAll(SqlConnection tx, List<CloudEvent> events) {
    List<CloudEvent> relevant = new ArrayList<>(events.size());
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent event : events) {
      if (OrderProjection.concerns(event)) {
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
        .lockAll(tx, ids)
        .compose(
            stored -> {
              Map<UUID, Stored> states = new HashMap<>(stored);
              Map<UUID, Stored> changed = new LinkedHashMap<>();
              for (CloudEvent event : relevant) {
                UUID orderId = UUID.fromString(event.subject());
                Stored before = states.get(orderId);
                OrderProjection.Applied applied =
                    OrderProjection.applyInTurn(before.state(), event);
                if (applied.state() == before.state()) {
                  continue;
                }
                // one version per step a reader can see: none for an event held back, one more
                // for each held event it let through
                long version = before.version();
                for (OrderProjection.Step step : applied.steps()) {
                  JsonObject view = OrderView.view(step.state());
                  if (view == null) {
                    continue;
                  }
                  version++;
                  if (live != null) {
                    live.afterCommit(
                        tx,
                        orderId.toString(),
                        version,
                        message(view, step.at().toString(), version));
                  }
                }
                Stored next = new Stored(applied.state(), version);
                states.put(orderId, next);
                changed.put(orderId, next);
              }
              return views.saveAll(tx, changed);
            });
  }

  /** What a live subscriber is sent for each version of a view. */
  static JsonObject message(JsonObject view, String at, long version) {
    return new JsonObject()
        .put("orderId", view.getString("orderId"))
        .put("status", view.getString("status"))
        .put("at", at)
        .put("version", version)
        .put("view", view);
  }

  /** {@code {orderId, role, subject}}: the view, if the caller may see it. */
  Future<JsonObject> get(JsonObject query) {
    return visibleView(query).map(s -> OrderView.view(s.state()));
  }

  /**
   * {@code {orderId, role, subject}}: the current view as a live message, with its version, if the
   * caller may see it: where a live subscriber starts.
   */
  Future<JsonObject> snapshot(JsonObject query) {
    return visibleView(query)
        .map(
            s -> {
              JsonObject view = OrderView.view(s.state());
              return message(view, view.getString("updatedAt"), s.version());
            });
  }

  /** {@code {orderIds: [...]}}: {@code {orderId: version}} of those that have a view. */
  Future<JsonObject> versions(JsonObject query) {
    List<UUID> ids = new ArrayList<>();
    for (Object id : query.getJsonArray("orderIds", new JsonArray())) {
      try {
        ids.add(UUID.fromString(String.valueOf(id)));
      } catch (IllegalArgumentException e) {
        // not an order id: it has no view
      }
    }
    return views
        .versions(pool, ids)
        .map(
            found -> {
              JsonObject out = new JsonObject();
              found.forEach((id, version) -> out.put(id.toString(), version));
              return out;
            });
  }

  private Future<Stored> visibleView(JsonObject query) {
    UUID orderId = ProblemException.parseId("order", query.getString("orderId"));
    return views
        .find(pool, orderId)
        .map(
            stored -> {
              if (stored == null
                  || OrderView.view(stored.state()) == null
                  || !visible(stored.state(), query)) {
                throw ProblemException.notFound("there is no order " + orderId);
              }
              return stored;
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
}
