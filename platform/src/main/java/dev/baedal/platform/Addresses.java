package dev.baedal.platform;

/** Event-bus addresses, in one place. Commands are request/reply; {@code live.*} is publish. */
public final class Addresses {
  public static final String PAYMENT_AUTHORIZE = "payment.authorize";
  public static final String PAYMENT_ADJUST = "payment.adjust";

  public static final String ORDER_PLACE = "order.place";
  public static final String ORDER_CANCEL = "order.cancel";
  public static final String ORDER_MODIFY = "order.modify";
  public static final String ORDER_CONFIRM = "order.confirm";

  /**
   * The payment reconciler's question {@code {orderId[, modificationId]}}: does the order (the
   * change) exist? If not, it is recorded as abandoned before the answer {@code {exists}}.
   */
  public static final String ORDER_ABANDON = "order.abandon";

  /**
   * Browsing the catalogue, answered by the order context's replica of it (so it keeps answering
   * while the store context is down): every store, and one store's menu ({@code {storeId}}).
   */
  public static final String CATALOG_STORES = "catalog.stores";

  public static final String CATALOG_MENU = "catalog.menu";

  public static final String STORE_ORDERS = "store.orders";
  public static final String STORE_ACTION = "store.action";
  public static final String STORE_OPEN = "store.open";

  public static final String RIDER_NEARBY = "rider.nearby";
  public static final String RIDER_ACTION = "rider.action";
  public static final String RIDER_MINE = "rider.mine";

  public static final String QUERY_GET = "query.get";
  public static final String QUERY_LIST = "query.list";
  public static final String QUERY_SNAPSHOT = "query.snapshot";
  public static final String QUERY_VERSIONS = "query.versions";

  public static final String STORE_SNAPSHOT = "store.snapshot";
  public static final String RIDER_SNAPSHOT = "rider.snapshot";

  /**
   * Published by the order context right after it stored an order: the order's {@code order.placed}
   * event (the CloudEvent's JSON). The contexts that show a new order, the query side and the
   * store, handle it at once, instead of after the outbox relay and the broker; its Kafka record,
   * when it comes, finds it handled. Best effort: a message lost, or a handling that fails, leaves
   * the work to the record.
   */
  public static final String ORDER_PLACED = "order.placed";

  /**
   * Published by the store context right after an owner's command committed: the order's {@code
   * store.cooking-started} or {@code store.cooking-finished} (the CloudEvent's JSON). The rider
   * context, which opens a delivery when cooking starts and lets its rider pick up once it is done,
   * handles them at once, as {@link #ORDER_PLACED}. Those are the only events of {@code
   * store-events} it acts on besides a cancel confirmed before cooking, so nothing it handles can
   * be due between them: cooking-finished handled before its delivery exists fails, and is left to
   * its record. A rider's claim or pickup can then reach the query side before the store's record
   * does; the query side holds it back until then ({@code OrderProjection.applyInTurn}).
   */
  public static final String STORE_COOKING = "store.cooking";

  /** Published by the query side after each commit: one message per change of an order view. */
  public static final String LIVE_ORDERS = "live.orders";

  /** Published by the store context after each commit: one message per change of a store order. */
  public static final String LIVE_STORE_ORDERS = "live.store-orders";

  /** Published by the rider context after each commit: one message per change of a delivery. */
  public static final String LIVE_DELIVERIES = "live.deliveries";

  /** Each process's event backlog, a few times a second (see {@code Backlog}). */
  public static final String BACKLOG = "baedal.backlog";

  private Addresses() {}
}
