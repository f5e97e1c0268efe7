package dev.baedal.payment;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Won;
import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.StoreModificationRefused;
import dev.baedal.contract.events.StoreOrderRejected;
import dev.baedal.payment.PaymentRepository.Adjustment;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment context's entry points: {@link Authorizations}, {@link Adjustments} and {@link
 * Refunds}, and the events that bind payments or call for compensation. Authorizations, extra
 * charges and refunds, as durable intents. One payment per order id: the intent is recorded
 * (PENDING) before the card network is asked, with our payment id as the network's idempotency key,
 * so a retry, a concurrent request or a restart after a crash asks again under the same key and is
 * charged once. An authorization stays reserved for a while (the order context stores the order
 * right after), and is bound once {@code order.placed} shows its order exists; the {@link
 * Reconciler} settles intents left PENDING and voids authorizations that were never bound. Every
 * refund has a key (its cause), so a redelivered event never refunds twice, and reaches the card
 * network as a durable command.
 */
final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  /** The events this context acts on: bindings and the sagas' compensations. */
  static final Set<String> HANDLES =
      EventType.wires(
          EventType.ORDER_PLACED,
          EventType.ORDER_MODIFICATION_REQUESTED,
          EventType.STORE_ORDER_REJECTED,
          EventType.STORE_CANCEL_CONFIRMED,
          EventType.STORE_MODIFICATION_REFUSED,
          EventType.ORDER_MODIFIED);

  private final CardNetwork network;
  private final PaymentRepository payments = new PaymentRepository();
  private final Authorizations authorizations;
  private final Adjustments adjustments;
  private final Refunds refunds;

  PaymentService(Pool pool, CardNetwork network, CardSeal seal, Duration reserve) {
    this.network = network;
    Outbox outbox = new Outbox(PaymentRepository.SCHEMA);
    this.authorizations = new Authorizations(pool, network, seal, reserve, payments, outbox);
    this.adjustments = new Adjustments(pool, network, reserve, payments, outbox);
    this.refunds = new Refunds(payments, outbox);
  }

  CardNetwork network() {
    return network;
  }

  PaymentRepository repository() {
    return payments;
  }

  /** {@link Authorizations#authorize}. */
  Future<JsonObject> authorize(JsonObject request) {
    return authorizations.authorize(request);
  }

  /** {@link Authorizations#settle}. */
  Future<JsonObject> settle(UUID orderId, CardNetwork.Outcome outcome) {
    return authorizations.settle(orderId, outcome);
  }

  /** {@link Adjustments#adjust}. */
  Future<JsonObject> adjust(JsonObject request) {
    return adjustments.adjust(request);
  }

  /** {@link Adjustments#settle}. */
  Future<JsonObject> settleAdjustment(Adjustment adjustment, CardNetwork.Outcome outcome) {
    return adjustments.settle(adjustment, outcome);
  }

  /** {@link Refunds#voidOrder}. */
  Future<Void> voidOrder(SqlClient tx, UUID orderId, String reason) {
    return refunds.voidOrder(tx, orderId, reason);
  }

  /** {@link Refunds#voidAdjustment}. */
  Future<Void> voidAdjustment(SqlClient tx, UUID orderId, UUID modificationId, String reason) {
    return refunds.voidAdjustment(tx, orderId, modificationId, reason);
  }

  /** Bindings and the sagas' compensations, from {@code order-events} and {@code store-events}. */
  Future<Void> on(SqlConnection tx, CloudEvent event) {
    UUID orderId = UUID.fromString(event.subject());
    JsonObject data = event.data();
    return switch (EventType.of(event)) {
      case ORDER_PLACED -> payments.bind(tx, orderId);
      case ORDER_MODIFICATION_REQUESTED ->
          payments.bindAdjustment(
              tx, UUID.fromString(OrderModificationRequested.of(data).modificationId()));
      case STORE_ORDER_REJECTED ->
          refunds.refundOrder(
              tx,
              orderId,
              "rejected by the store: " + StoreOrderRejected.of(data).reason(),
              "rejected");
      case STORE_CANCEL_CONFIRMED ->
          refunds.refundOrder(tx, orderId, "cancelled by the customer", "cancelled");
      case STORE_MODIFICATION_REFUSED -> refused(tx, orderId, StoreModificationRefused.of(data));
      case ORDER_MODIFIED -> modified(tx, orderId, OrderModified.of(data));
      case ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_REFUSED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_ASSIGNED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          Future.succeededFuture(); // not in HANDLES: never handed to this consumer
    };
  }

  /** A change the store refused: a higher total already charged for it is voided. */
  private Future<Void> refused(SqlClient tx, UUID orderId, StoreModificationRefused refused) {
    return refused.delta() > 0
        ? refunds.voidAdjustment(
            tx, orderId, UUID.fromString(refused.modificationId()), "change refused by the store")
        : Future.succeededFuture();
  }

  /** A change made: a lower total is refunded the difference. */
  private Future<Void> modified(SqlClient tx, UUID orderId, OrderModified modified) {
    return modified.delta() < 0
        ? refunds.refundOrder(
            tx,
            orderId,
            Won.of(-modified.delta()),
            "order changed to a lower total",
            "modification:" + modified.modificationId())
        : Future.succeededFuture();
  }
}
