package dev.baedal.platform;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The Kafka topics of the contract (section 6), in one place. */
public final class Topics {
  public static final String ORDER_EVENTS = "order-events";
  public static final String PAYMENT_EVENTS = "payment-events";
  public static final String STORE_EVENTS = "store-events";
  public static final String DELIVERY_EVENTS = "delivery-events";
  public static final String NOTIFICATION_REQUESTS = "notification-requests";
  public static final String NOTIFICATION_RECEIPTS = "notification-receipts";
  public static final String CATALOG = "catalog";

  /** Every topic that carries events (all but the compacted catalogue). */
  public static final List<String> EVENT_TOPICS =
      List.of(
          ORDER_EVENTS,
          PAYMENT_EVENTS,
          STORE_EVENTS,
          DELIVERY_EVENTS,
          NOTIFICATION_REQUESTS,
          NOTIFICATION_RECEIPTS);

  private Topics() {}

  /**
   * {@code topic} as this deployment names it: with the {@code kafka.topic-prefix} (empty by
   * default, as the contract names them; tests give each system its own, so that systems sharing a
   * broker never see each other's events).
   */
  public static String qualified(Settings settings, String topic) {
    return settings.string("kafka.topic-prefix") + topic;
  }

  /** Each of {@code topics}, {@link #qualified}. */
  public static Set<String> qualified(Settings settings, Collection<String> topics) {
    Set<String> out = new LinkedHashSet<>();
    topics.forEach(t -> out.add(qualified(settings, t)));
    return out;
  }

  /** Where records of {@code topic} go when they cannot be processed. */
  public static String dlq(String topic) {
    return topic + ".dlq";
  }
}
