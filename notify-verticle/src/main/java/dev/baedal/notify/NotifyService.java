package dev.baedal.notify;

import dev.baedal.contract.EventType;
import dev.baedal.contract.StatusFacts;
import dev.baedal.contract.events.CatalogStoreUpdated;
import dev.baedal.contract.events.NotificationReceipt;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns what happens to an order into KakaoTalk-style notification requests, exactly one per fact
 * the customer is told of (each status reached, a change of items, a refused cancel, the store's
 * thank-you; see {@link OrderNotices}), and records the outcomes the notifier reports.
 *
 * <p>A chunk of events is handled in a few statements whatever its size: the states of its orders
 * are read and locked at once, the events applied in memory, the notices due rendered, recorded and
 * appended to the outbox, and the states written back in one batch.
 */
final class NotifyService implements IdempotentConsumer.Handler {
  /** The events that change what notify knows of an order, or of a notification's outcome. */
  static final Set<String> HANDLES = handles();

  private static Set<String> handles() {
    Set<EventType> types = EnumSet.copyOf(StatusFacts.eventTypes());
    types.addAll(
        List.of(
            EventType.ORDER_PLACED,
            EventType.ORDER_MODIFIED,
            EventType.DELIVERY_ASSIGNED,
            EventType.STORE_THANKS_SENT,
            EventType.CATALOG_STORE_UPDATED,
            EventType.NOTIFICATION_SENT,
            EventType.NOTIFICATION_FAILED));
    return EventType.wires(types);
  }

  private final NoticeRepository repository = new NoticeRepository();
  private final Outbox outbox = new Outbox(NoticeRepository.SCHEMA);
  private final Messages messages;

  NotifyService(String publicUrl) {
    this.messages = new Messages(publicUrl);
  }

  /**
   * Facts keep their first time, notices are asked for once (their ids are derived and recorded),
   * outcomes and names are written as they are: an event applied twice changes nothing, so no inbox
   * is needed.
   */
  @Override
  public boolean idempotentByItself() {
    return true;
  }

  @Override
  public Future<Void> handle(SqlConnection tx, CloudEvent event) {
    return handleAll(tx, List.of(event));
  }

  @Override
  public Future<Void> handleAll(SqlConnection tx, List<CloudEvent> events) {
    List<NoticeRepository.Outcome> outcomes = new ArrayList<>();
    List<Tuple> names = new ArrayList<>();
    List<CloudEvent> aboutOrders = new ArrayList<>();
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent e : events) {
      boolean aboutOrder =
          switch (EventType.of(e)) {
            case NOTIFICATION_SENT, NOTIFICATION_FAILED -> {
              outcomes.add(outcome(e));
              yield false;
            }
            case CATALOG_STORE_UPDATED -> {
              names.addAll(koreanNames(CatalogStoreUpdated.of(e.data())));
              yield false;
            }
            case ORDER_PLACED,
                ORDER_MODIFICATION_REQUESTED,
                ORDER_MODIFIED,
                ORDER_CANCEL_REQUESTED,
                ORDER_CANCELLED,
                ORDER_COMPLETED,
                PAYMENT_AUTHORIZED,
                PAYMENT_ADJUSTED,
                PAYMENT_REFUNDED,
                STORE_ORDER_ACCEPTED,
                STORE_ORDER_REJECTED,
                STORE_COOKING_STARTED,
                STORE_COOKING_FINISHED,
                STORE_CANCEL_CONFIRMED,
                STORE_CANCEL_REFUSED,
                STORE_MODIFICATION_CONFIRMED,
                STORE_MODIFICATION_REFUSED,
                STORE_THANKS_SENT,
                DELIVERY_OPENED,
                DELIVERY_ASSIGNED,
                DELIVERY_PICKED_UP,
                DELIVERY_DELIVERED,
                DELIVERY_WITHDRAWN,
                NOTIFICATION_REQUESTED ->
                true;
          };
      if (aboutOrder) {
        aboutOrders.add(e);
        ids.add(orderId(e));
      }
    }
    return repository
        .recordAll(tx, outcomes)
        .compose(v -> repository.saveNames(tx, names))
        .compose(v -> ids.isEmpty() ? Future.succeededFuture() : notices(tx, aboutOrders, ids));
  }

  /** Applies the events to their orders and asks for every notice that is now due. */
  private Future<Void> notices(SqlConnection tx, List<CloudEvent> events, Set<UUID> ids) {
    return repository
        .lockAll(tx, ids)
        .compose(
            before -> {
              Map<UUID, OrderNotices> states = new HashMap<>(before);
              for (CloudEvent e : events) {
                UUID id = orderId(e);
                states.put(id, states.get(id).apply(e));
              }
              Map<UUID, OrderNotices> changed = new LinkedHashMap<>();
              states.forEach(
                  (id, s) -> {
                    if (s != before.get(id)) {
                      changed.put(id, s);
                    }
                  });
              Set<String> stores = new HashSet<>();
              changed.values().stream()
                  .filter(s -> s.storeId() != null && !s.due().isEmpty())
                  .forEach(s -> stores.add(s.storeId()));
              return repository
                  .names(tx, stores)
                  .compose(korean -> request(tx, changed, korean))
                  .compose(v -> repository.saveAll(tx, changed));
            });
  }

  /** Renders and records the notices due; marks them asked for in {@code states}. */
  private Future<Void> request(
      SqlConnection tx, Map<UUID, OrderNotices> states, Map<String, Map<String, String>> korean) {
    List<NoticeRepository.Requested> rows = new ArrayList<>();
    Map<UUID, CloudEvent> requests = new LinkedHashMap<>();
    for (Map.Entry<UUID, OrderNotices> entry : states.entrySet()) {
      UUID orderId = entry.getKey();
      OrderNotices order = entry.getValue();
      List<OrderNotices.Notice> due = order.due();
      for (OrderNotices.Notice notice : due) {
        CloudEvent requested =
            messages.requested(
                orderId, order, notice, korean.getOrDefault(order.storeId(), Map.of()));
        UUID id = UUID.fromString(requested.id());
        rows.add(new NoticeRepository.Requested(id, orderId, notice.template(), notice.at()));
        requests.put(id, requested);
      }
      entry.setValue(order.notified(due));
    }
    return repository
        .insertAll(tx, rows)
        .compose(
            fresh ->
                outbox.append(
                    tx,
                    Topics.NOTIFICATION_REQUESTS,
                    requests.entrySet().stream()
                        .filter(r -> fresh.contains(r.getKey()))
                        .map(Map.Entry::getValue)
                        .toList()));
  }

  private static NoticeRepository.Outcome outcome(CloudEvent e) {
    NotificationReceipt receipt = NotificationReceipt.of(e.data());
    return new NoticeRepository.Outcome(
        receipt.notificationId(),
        NotificationReceipt.statusOf(EventType.of(e)),
        e.time(),
        receipt.error());
  }

  /** The Korean names of a catalogue snapshot: the store's under "" and each menu item's. */
  private static List<Tuple> koreanNames(CatalogStoreUpdated store) {
    String storeId = store.storeId();
    List<Tuple> rows = new ArrayList<>();
    rows.add(Tuple.of(storeId, "", orElse(store.nameKo(), store.name())));
    for (CatalogStoreUpdated.Dish dish : store.menu()) {
      rows.add(Tuple.of(storeId, dish.menuId(), orElse(dish.nameKo(), dish.name())));
    }
    return rows;
  }

  private static String orElse(String korean, String name) {
    return korean != null ? korean : name;
  }

  private static UUID orderId(CloudEvent e) {
    try {
      return UUID.fromString(e.subject());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("event subject is not an order id: " + e.subject());
    }
  }
}
