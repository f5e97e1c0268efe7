package dev.baedal.payment;

import dev.baedal.contract.EventType;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Set;

/**
 * The payment context: authorizes and voids card payments for orders over the event bus, against a
 * simulated card network, and publishes {@code payment.*} events through its outbox.
 */
public final class PaymentVerticle extends VerticleBase {
  /** Event-bus address to change the simulated network at run time: {latencyMs, failureRate}. */
  public static final String SIMULATOR = "payment.simulator";

  private ContextKit kit;
  private Reconciler reconciler;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    CardSeal seal = CardSeal.of(settings); // before anything starts: no key, no payments
    Pool pool = Database.pool(vertx, settings);
    CardNetwork network =
        new CardNetwork(
            vertx,
            pool,
            settings.integer("payment.latency-ms"),
            settings.decimal("payment.failure-rate"));
    PaymentService service =
        new PaymentService(
            pool, network, seal, Duration.ofMillis(settings.integer("payment.reserve-ms")));
    reconciler =
        new Reconciler(
            vertx,
            pool,
            service,
            Duration.ofMillis(settings.integer("payment.pending-timeout-ms")),
            settings.integer("payment.reconcile-interval-ms"));
    kit =
        new ContextKit(vertx, settings, pool, PaymentRepository.SCHEMA)
            .publishing()
            .consume(
                "payment-compensations",
                Set.of(Topics.STORE_EVENTS, Topics.ORDER_EVENTS),
                PaymentService.HANDLES,
                EventType.KNOWN,
                service::on);
    var bus = vertx.eventBus();
    return kit.migrate("payment")
        .compose(v -> kit.run())
        .onSuccess(v -> reconciler.start())
        .compose(
            v ->
                Future.all(
                    kit.answer(Addresses.PAYMENT_AUTHORIZE, service::authorize),
                    kit.answer(Addresses.PAYMENT_ADJUST, service::adjust),
                    // the card network's knobs, for `baedal dev` and tests only: elsewhere no
                    // member of the event bus may make every payment fail
                    settings.flag("payment.simulator")
                        ? bus.<JsonObject>consumer(SIMULATOR, msg -> simulate(network, msg))
                            .completion()
                        : Future.succeededFuture()));
  }

  private void simulate(CardNetwork network, Message<JsonObject> msg) {
    try {
      network.set(
          msg.body().getLong("latencyMs", network.latencyMs()),
          msg.body().getDouble("failureRate", network.failureRate()));
      msg.reply(
          new JsonObject()
              .put("latencyMs", network.latencyMs())
              .put("failureRate", network.failureRate()));
    } catch (IllegalArgumentException | ClassCastException e) {
      msg.fail(400, e.getMessage());
    }
  }

  @Override
  public Future<?> stop() {
    if (reconciler != null) {
      reconciler.stop();
    }
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
