package dev.baedal.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The process's one Prometheus registry: Vert.x's own metrics (HTTP, event bus, pools) and Baedal's
 * meters (circuit breakers, outbox) go into it, and {@code /metrics} scrapes it.
 */
public final class Meters {
  private static final PrometheusMeterRegistry REGISTRY =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Meters() {}

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  /** The registry in the Prometheus text format. */
  public static String scrape() {
    return REGISTRY.scrape();
  }

  /** A builder of Vert.x instances whose metrics go to {@link #registry()}. */
  public static VertxBuilder builder(VertxOptions options) {
    // HTTP server and pool metrics; not one meter update per event-bus message or socket event,
    // which cost more than they tell
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
            .addDisabledMetricsCategory(MetricsDomain.VERTICLES));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(REGISTRY));
  }
}
