package dev.baedal.launcher;

import dev.baedal.gateway.GatewayVerticle;
import dev.baedal.notify.NotifyVerticle;
import dev.baedal.order.OrderVerticle;
import dev.baedal.payment.PaymentVerticle;
import dev.baedal.query.QueryVerticle;
import dev.baedal.rider.RiderVerticle;
import dev.baedal.store.StoreVerticle;
import io.vertx.core.Deployable;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/** The services a node can run, in the order they are deployed. */
public enum Service {
  PAYMENT(PaymentVerticle::new),
  STORE(StoreVerticle::new),
  ORDER(OrderVerticle::new),
  RIDER(RiderVerticle::new),
  QUERY(QueryVerticle::new),
  NOTIFY(NotifyVerticle::new),
  GATEWAY(GatewayVerticle::new);

  private final Supplier<Deployable> verticle;

  Service(Supplier<Deployable> verticle) {
    this.verticle = verticle;
  }

  Deployable newVerticle() {
    return verticle.get();
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The service named {@code id}, e.g. {@code order}. */
  public static Service of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown service '"
                        + id
                        + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Service::id).toList())));
  }
}
