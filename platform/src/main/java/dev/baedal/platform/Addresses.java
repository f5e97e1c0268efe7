package dev.baedal.platform;

/** Event-bus addresses, in one place. Commands are request/reply; {@code live.*} is publish. */
public final class Addresses {
  public static final String PAYMENT_AUTHORIZE = "payment.authorize";
  public static final String PAYMENT_VOID = "payment.void";
  public static final String PAYMENT_ADJUST = "payment.adjust";

  public static final String ORDER_PLACE = "order.place";
  public static final String ORDER_CANCEL = "order.cancel";
  public static final String ORDER_MODIFY = "order.modify";
  public static final String ORDER_CONFIRM = "order.confirm";

  public static final String STORE_LIST = "store.list";
  public static final String STORE_MENU = "store.menu";
  public static final String STORE_ORDERS = "store.orders";
  public static final String STORE_ACTION = "store.action";
  public static final String STORE_OPEN = "store.open";

  public static final String RIDER_NEARBY = "rider.nearby";
  public static final String RIDER_ACTION = "rider.action";
  public static final String RIDER_MINE = "rider.mine";

  public static final String QUERY_GET = "query.get";
  public static final String QUERY_LIST = "query.list";
  public static final String QUERY_STATE = "query.state";

  private Addresses() {}

  /** Where the Kafka -> event-bus bridge publishes the records of {@code topic}. */
  public static String live(String topic) {
    return "live." + topic;
  }
}
