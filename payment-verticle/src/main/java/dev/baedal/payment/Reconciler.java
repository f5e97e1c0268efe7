package dev.baedal.payment;

import dev.baedal.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the payment context agree with the card network and with the order context, every {@code
 * payment.reconcile-interval-ms}, whatever crashed, paused or lost its answer:
 *
 * <ul>
 *   <li>an intent left PENDING longer than {@code payment.pending-timeout-ms} (the process died,
 *       the answer was lost) is settled from the network's own record under its key: authorized,
 *       declined, or voided when the network never saw it;
 *   <li>an authorization (or extra charge) never bound whose reservation ran out is put to the
 *       order context ({@link Addresses#ORDER_ABANDON}): if the order (or change) exists it is
 *       bound; if not, the order context records it as abandoned, so it can never be stored later,
 *       and the payment is voided. Never is a payment voided that a stored order is bound to;
 *   <li>refunds and reversals not yet carried out by the network are sent again.
 * </ul>
 *
 * Several instances may run at once: every change is made under a row lock on the state it expects.
 */
final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final Vertx vertx;
  private final Pool pool;
  private final PaymentService service;
  private final PaymentRepository payments;
  private final CardNetwork network;
  private final Duration pendingTimeout;
  private final long intervalMs;
  private final DeliveryOptions ask = new DeliveryOptions().setSendTimeout(5000);
  private long timer = -1;
  private boolean running;

  Reconciler(
      Vertx vertx, Pool pool, PaymentService service, Duration pendingTimeout, long intervalMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.service = service;
    this.payments = service.repository();
    this.network = service.network();
    this.pendingTimeout = pendingTimeout;
    this.intervalMs = intervalMs;
  }

  void start() {
    timer = vertx.setPeriodic(intervalMs, id -> runOnce());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** One round; rounds never overlap. */
  Future<Void> runOnce() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    return settlePending()
        .compose(v -> settlePendingAdjustments())
        .compose(v -> releaseOrphans())
        .compose(v -> releaseOrphanAdjustments())
        .compose(v -> sendCommands())
        .onFailure(
            err -> log.warn("reconciliation round failed, next round retries: {}", err.toString()))
        .eventually(
            () -> {
              running = false;
              return Future.succeededFuture();
            });
  }

  private Future<Void> settlePending() {
    Instant before = Instant.now().minus(pendingTimeout);
    return pool.withTransaction(tx -> payments.stalePending(tx, before))
        .compose(
            stale ->
                each(
                    stale,
                    p ->
                        network
                            .status(p.paymentId())
                            .compose(
                                outcome -> {
                                  log.info(
                                      "payment {} of order {} was left pending: the network says {}",
                                      p.paymentId(),
                                      p.orderId(),
                                      outcome == null ? "it never saw it" : outcome);
                                  return outcome == null
                                      ? pool.withTransaction(
                                          tx ->
                                              service.voidOrder(
                                                  tx, p.orderId(), "the card network never saw it"))
                                      : service.settle(p.orderId(), outcome).<Void>mapEmpty();
                                })));
  }

  private Future<Void> settlePendingAdjustments() {
    Instant before = Instant.now().minus(pendingTimeout);
    return pool.withTransaction(tx -> payments.stalePendingAdjustments(tx, before))
        .compose(
            stale ->
                each(
                    stale,
                    a ->
                        network
                            .status(a.modificationId())
                            .compose(
                                outcome ->
                                    outcome == null
                                        ? pool.withTransaction(
                                            tx ->
                                                service.voidAdjustment(
                                                    tx,
                                                    a.orderId(),
                                                    a.modificationId(),
                                                    "the card network never saw it"))
                                        : service.settleAdjustment(a, outcome).<Void>mapEmpty())));
  }

  private Future<Void> releaseOrphans() {
    return payments
        .unboundExpired(pool)
        .compose(
            orphans ->
                each(
                    orphans,
                    p ->
                        verdict(new JsonObject().put("orderId", p.orderId().toString()))
                            .compose(
                                exists ->
                                    pool.withTransaction(
                                        tx ->
                                            exists
                                                ? payments.bind(tx, p.orderId())
                                                : service.voidOrder(
                                                    tx,
                                                    p.orderId(),
                                                    "its order never came to be")))));
  }

  private Future<Void> releaseOrphanAdjustments() {
    return payments
        .unboundExpiredAdjustments(pool)
        .compose(
            orphans ->
                each(
                    orphans,
                    a ->
                        verdict(
                                new JsonObject()
                                    .put("orderId", a.orderId().toString())
                                    .put("modificationId", a.modificationId().toString()))
                            .compose(
                                exists ->
                                    pool.withTransaction(
                                        tx ->
                                            exists
                                                ? payments.bindAdjustment(tx, a.modificationId())
                                                : service.voidAdjustment(
                                                    tx,
                                                    a.orderId(),
                                                    a.modificationId(),
                                                    "the change was never recorded")))));
  }

  /**
   * Asks the order context whether an order (or a change of one) exists; if it does not, the order
   * context records it as abandoned before it answers, so it never will.
   */
  private Future<Boolean> verdict(JsonObject question) {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.ORDER_ABANDON, question, ask)
        .map(reply -> reply.body().getBoolean("exists"));
  }

  private Future<Void> sendCommands() {
    return payments
        .pendingCommands(pool)
        .compose(ids -> each(ids, id -> network.reverse(id).otherwiseEmpty()));
  }

  /** Runs {@code step} for each item in turn; one that fails is left for the next round. */
  private static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain =
          chain.compose(
              v ->
                  step.apply(item)
                      .recover(
                          err -> {
                            log.debug("reconciling {} failed: {}", item, err.toString());
                            return Future.succeededFuture();
                          }));
    }
    return chain;
  }
}
