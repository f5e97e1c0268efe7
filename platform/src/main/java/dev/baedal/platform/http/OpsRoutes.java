package dev.baedal.platform.http;

import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.metrics.Meters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} on a router: all three on the
 * management port; only {@code /health/live} on the public API port.
 */
public final class OpsRoutes {
  private OpsRoutes() {}

  /** {@code /health/live} alone: the process is up. */
  public static void live(Router router) {
    router
        .get("/health/live")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", "UP").encode()));
  }

  public static void mount(Router router, Vertx vertx) {
    live(router);
    router
        .get("/health/ready")
        .handler(
            ctx ->
                Readiness.of(vertx)
                    .check()
                    .onSuccess(
                        health -> {
                          if ("UP".equals(health.getString("status"))) {
                            ctx.response()
                                .putHeader("Content-Type", "application/json")
                                .end(health.encode());
                            return;
                          }
                          JsonObject checks = health.getJsonObject("checks");
                          String down =
                              String.join(
                                  ", ",
                                  checks.fieldNames().stream()
                                      .filter(
                                          n ->
                                              !"UP"
                                                  .equals(
                                                      checks.getJsonObject(n).getString("status")))
                                      .sorted()
                                      .toList());
                          ctx.response()
                              .setStatusCode(503)
                              .putHeader("Content-Type", Problems.CONTENT_TYPE)
                              .putHeader("Retry-After", "1")
                              .end(
                                  Problems.json(
                                          503,
                                          "Service Unavailable",
                                          "not ready: " + down,
                                          "/health/ready")
                                      .put("checks", checks)
                                      .encode());
                        })
                    .onFailure(ctx::fail));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(Meters.scrape()));
  }
}
