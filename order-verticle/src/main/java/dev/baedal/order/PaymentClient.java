package dev.baedal.order;

import dev.baedal.contract.Won;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order context's way to the payment context: event-bus request/reply through the circuit
 * breaker {@value #BREAKER}. A decline is an answer, not a failure; timeouts, errors and an absent
 * payment service count against the breaker, and the fallback turns them into {@link
 * Result#unavailable}.
 */
final class PaymentClient {
  private static final Logger log = LoggerFactory.getLogger(PaymentClient.class);
  static final String BREAKER = "payment";

  /** The outcome of an authorization. */
  record Result(Kind kind, UUID paymentId, String reason) {
    enum Kind {
      AUTHORIZED,
      DECLINED,
      VOIDED,
      UNAVAILABLE
    }

    static Result unavailable(Throwable cause) {
      String reason =
          cause instanceof OpenCircuitException
              ? "circuit open"
              : String.valueOf(cause.getMessage());
      return new Result(Kind.UNAVAILABLE, null, reason);
    }
  }

  private final Vertx vertx;
  private final CircuitBreaker breaker;
  private final DeliveryOptions delivery;
  private final long resetTimeoutMs;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  PaymentClient(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    long timeout = settings.integer("breaker.timeout-ms");
    this.resetTimeoutMs = settings.integer("breaker.reset-timeout-ms");
    this.breaker =
        CircuitBreaker.create(
                BREAKER,
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(settings.integer("breaker.max-failures"))
                    .setTimeout(timeout)
                    .setResetTimeout(resetTimeoutMs)
                    .setFallbackOnFailure(true))
            .openHandler(
                v -> log.warn("circuit breaker '{}' OPEN: payment calls fail fast", BREAKER))
            .halfOpenHandler(
                v -> log.info("circuit breaker '{}' HALF-OPEN: trying payment", BREAKER))
            .closeHandler(v -> log.info("circuit breaker '{}' CLOSED: payment healthy", BREAKER));
    // the breaker's timeout must fire before the event bus gives up on the reply
    this.delivery = new DeliveryOptions().setSendTimeout(timeout + 1000);
    this.registry = Meters.registry();
    this.meters =
        List.of(
            Gauge.builder("baedal.circuit.breaker.state", breaker, PaymentClient::stateValue)
                .description("0 closed, 1 half-open, 2 open")
                .tag("name", BREAKER)
                .register(registry),
            Gauge.builder("baedal.circuit.breaker.failures", breaker, b -> b.failureCount())
                .description("failures counted towards opening")
                .tag("name", BREAKER)
                .register(registry));
  }

  /** Seconds a client should wait before retrying while the breaker is open. */
  long retryAfterSeconds() {
    return breaker.state() == CircuitBreakerState.OPEN ? Math.max(1, resetTimeoutMs / 1000) : 1;
  }

  /** Asks for {@code amount} on a card sealed by the gateway (the payment context opens it). */
  Future<Result> authorize(UUID orderId, String customerId, Won amount, JsonObject card) {
    JsonObject request =
        new JsonObject()
            .put("orderId", orderId.toString())
            .put("customerId", customerId)
            .put("amount", amount.value())
            .put("card", card);
    return ask(Addresses.PAYMENT_AUTHORIZE, request);
  }

  /**
   * Charges {@code amount} more on the order's payment for a change of items, through the same
   * breaker; idempotent per {@code modificationId}.
   */
  Future<Result> adjust(UUID orderId, UUID modificationId, Won amount) {
    JsonObject request =
        new JsonObject()
            .put("orderId", orderId.toString())
            .put("modificationId", modificationId.toString())
            .put("amount", amount.value());
    return ask(Addresses.PAYMENT_ADJUST, request);
  }

  /** One request to the payment context through the breaker; a voided payment is an answer. */
  private Future<Result> ask(String address, JsonObject request) {
    return breaker.executeWithFallback(
        () ->
            vertx
                .eventBus()
                .<JsonObject>request(address, request, delivery)
                .map(reply -> toResult(reply.body()))
                .recover(PaymentClient::voidedIsAnAnswer),
        Result::unavailable);
  }

  private static Result toResult(JsonObject body) {
    return switch (body.getString("status")) {
      case "AUTHORIZED" ->
          new Result(Result.Kind.AUTHORIZED, UUID.fromString(body.getString("paymentId")), null);
      case "DECLINED" -> new Result(Result.Kind.DECLINED, null, body.getString("reason"));
      default -> throw new IllegalStateException("unexpected payment answer " + body);
    };
  }

  private static Future<Result> voidedIsAnAnswer(Throwable err) {
    if (err instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == 409) {
      return Future.succeededFuture(new Result(Result.Kind.VOIDED, null, "voided"));
    }
    return Future.failedFuture(err);
  }

  private static double stateValue(CircuitBreaker b) {
    return switch (b.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  void close() {
    meters.forEach(registry::remove);
    breaker.close();
  }
}
